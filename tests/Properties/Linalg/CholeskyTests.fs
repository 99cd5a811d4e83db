/// Linalg.Cholesky and CholeskyEx (src/Core.CSharp/Linalg/Cholesky.cs) against the definition: backward error
/// ‖A − L·Lᵀ‖ ≤ c·n·ε·‖A‖ on random SPD matrices at sizes on both sides of the kernel's blocks, on ill-conditioned ones
/// (condition 1e8 in float64, 1e4 in float32) and structured ones (identity, diagonal, tridiagonal, repeated
/// eigenvalues); L lower triangular with a positive diagonal; values against the textbook loop; the errors and the
/// statuses of matrices that are not positive definite. The rules are the rows "cholesky", "choleskyEx" and
/// "choleskySolve" of OpSpec.fs.
module Linalg.CholeskyTests

open System
open Expecto
open FuncGrad
open Linalg.LinalgCheck

/// The Cholesky factor by the textbook (Cholesky–Banachiewicz) loop, in float64.
let private textbook (a: float[]) (n: int) =
    let l = Array.zeroCreate (n * n)

    for i in 0 .. n - 1 do
        for j in 0..i do
            let s =
                a[i * n + j]
                - Seq.sum (seq { for p in 0 .. j - 1 -> l[i * n + p] * l[j * n + p] })

            l[i * n + j] <- if i = j then sqrt s else s / l[j * n + j]

    l

/// Checks L's structure and backward error for the symmetric A; the bound is c·n·ε·‖A‖.
let private check (what: string) (dt: DType) (a: float[]) (n: int) =
    let l = Linalg.Cholesky(matrix dt n n a) |> values

    for i in 0 .. n - 1 do
        Expect.isGreaterThan l[i * n + i] 0.0 $"{what}: positive diagonal"

        for j in i + 1 .. n - 1 do
            Expect.equal l[i * n + j] 0.0 $"{what}: upper triangle zero"

    let residual = distance (mul l (transpose l n n) n n n) a
    Expect.isLessThanOrEqual residual (4.0 * float n * eps dt * frobenius a) what

/// A symmetric matrix's lower triangle kept, garbage above it: the factor must not read it.
let private garbageAbove (a: float[]) (n: int) =
    Array.init (n * n) (fun ij -> if ij % n > ij / n then 1e30 else a[ij])

[<Tests>]
let tests =
    testList
        "linalg cholesky"
        [
            test "backward error on random SPD matrices across block sizes, both dtypes" {
                let rng = Random 11

                for dt in [ DType.Float64; DType.Float32 ] do
                    for n in [ 1; 2; 7; 65; 128; 129; 270 ] do
                        check $"{dt} n={n}" dt (spd rng n |> rounded dt) n
            }

            test "backward error on ill-conditioned and structured matrices" {
                let rng = Random 12

                for dt, condition in [ DType.Float64, 1e8; DType.Float32, 1e4 ] do
                    for n in [ 10; 70 ] do
                        check $"{dt} condition {condition} n={n}" dt (spdConditioned rng n condition |> rounded dt) n

                    let n = 80
                    let eye = Array.init (n * n) (fun ij -> if ij / n = ij % n then 1.0 else 0.0)
                    check "identity" dt eye n

                    let diag =
                        Array.init (n * n) (fun ij -> if ij / n = ij % n then float (ij / n + 1) else 0.0)

                    check "diagonal" dt diag n

                    check "tridiagonal (condition ~ n²)" dt (laplacian n) n
                    // eigenvalues 1 (n − 1 times) and n + 1: I + 1·1ᵀ
                    check
                        "repeated eigenvalues"
                        dt
                        (Array.init (n * n) (fun ij -> if ij / n = ij % n then 2.0 else 1.0))
                        n
            }

            test "values as the textbook loop; the upper triangle is not read; upper is the transpose" {
                let rng = Random 13

                for n in [ 3; 66 ] do
                    let a = spd rng n
                    let l = Linalg.Cholesky(matrix DType.Float64 n n (garbageAbove a n)) |> values
                    let expected = textbook a n
                    Expect.isLessThan (distance l expected) (1e-12 * frobenius expected) $"n={n}"
                    let u = Linalg.Cholesky(matrix DType.Float64 n n a, true) |> values
                    Expect.sequenceEqual u (transpose l n n) "upper = Lᵀ"
            }

            test "batches: each element as alone, in any batch shape" {
                let rng = Random 14
                let n = 4
                let mats = Array.init 6 (fun _ -> spd rng n)

                let batch =
                    Linalg.Cholesky(Tensor.FromArray(Array.concat mats, [| 2; 3; n; n |])) |> values

                for i in 0..5 do
                    let alone = Linalg.Cholesky(matrix DType.Float64 n n mats[i]) |> values
                    Expect.sequenceEqual batch[i * n * n .. (i + 1) * n * n - 1] alone $"element {i}"
            }

            test "not positive definite: the error names the op, the batch element and the minor's order" {
                let rng = Random 15
                let n = 5
                let good = spd rng n
                // leading minor of order 3 negative: a[2,2] far below what rows 0..1 need
                let bad = Array.copy good
                bad[2 * n + 2] <- -1.0
                let a = Tensor.FromArray(Array.concat [ good; good; good; bad ], [| 2; 2; n; n |])

                let e =
                    Support.Check.raises<LinalgException> "indefinite" (fun () -> Linalg.Cholesky a |> ignore)

                Expect.stringContains e.Message "Cholesky" "the op"
                Expect.stringContains e.Message "batch element [1, 1]" "the element"
                Expect.stringContains e.Message "order 3" "the minor"

                let struct (_, info) = Linalg.CholeskyEx a
                Expect.equal info.DType DType.Int32 "int32 status"
                Expect.equal (info.ToInt32Array()) [| 0; 0; 0; 3 |] "status per matrix"
                Expect.equal (info.Shape |> Seq.toArray) [| 2; 2 |] "status shape"

                Support.Check.raises<LinalgException> "checkErrors" (fun () ->
                    Linalg.CholeskyEx(a, false, true) |> ignore)
                |> ignore

                Support.Check.raises<LinalgException> "NaN" (fun () ->
                    Linalg.Cholesky(Tensor.FromArray([| nan; 0.0; 0.0; 1.0 |], [| 2; 2 |]))
                    |> ignore)
                |> ignore
            }

            test "gradient of Σ log diag L = ½·log det A is ½·A⁻¹ (A symmetric)" {
                let rng = Random 16
                let n = 4
                let a = spd rng n

                let logdet (x: Tensor) =
                    let l = Linalg.Cholesky x
                    (l * Tensor.Eye(n)).Sum([| -1 |]).Log().Sum()

                let g = Autodiff.Grad(logdet, matrix DType.Float64 n n a) |> values
                // A⁻¹ by solving with the textbook factor, column by column
                let l = textbook a n

                let inv =
                    let cols =
                        Array.init n (fun j ->
                            let e = Array.init n (fun i -> if i = j then 1.0 else 0.0)
                            // L y = e, Lᵀ x = y
                            let y = Array.zeroCreate n

                            for i in 0 .. n - 1 do
                                y[i] <-
                                    (e[i] - Seq.sum (seq { for p in 0 .. i - 1 -> l[i * n + p] * y[p] }))
                                    / l[i * n + i]

                            let x = Array.zeroCreate n

                            for i in n - 1 .. -1 .. 0 do
                                x[i] <-
                                    (y[i] - Seq.sum (seq { for p in i + 1 .. n - 1 -> l[p * n + i] * x[p] }))
                                    / l[i * n + i]

                            x)

                    Array.init (n * n) (fun ij -> cols[ij % n][ij / n])

                Expect.isLessThan (distance g (inv |> Array.map ((*) 0.5))) 1e-12 "½·A⁻¹"
            }

            test "choleskySolve: backward error ‖A·X − B‖ against A, lower and upper factors" {
                let rng = Random 17

                for dt in [ DType.Float64; DType.Float32 ] do
                    for n, k in [ 1, 1; 9, 3; 130, 16 ] do
                        let a = spd rng n |> rounded dt
                        let b = normals rng (n * k) |> rounded dt
                        let l = Linalg.Cholesky(matrix dt n n a)

                        for upper in [ false; true ] do
                            let f = if upper then l.Transpose(-2, -1) else l
                            let x = Linalg.CholeskySolve(matrix dt n k b, f, upper) |> values
                            let bound = 20.0 * float n * eps dt * (frobenius a * frobenius x + frobenius b)
                            Expect.isLessThanOrEqual (distance (mul a x n n k) b) bound $"{dt} n={n} upper={upper}"
            }
        ]
