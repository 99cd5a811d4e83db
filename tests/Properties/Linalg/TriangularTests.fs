/// Linalg.SolveTriangular (src/Core.CSharp/Linalg/Triangular.cs) against its definition: backward error of
/// op(A)·X = B at sizes on both sides of the kernel's block of 64 rows, every triangle, side and diagonal, both dtypes,
/// on random and ill-conditioned triangles; values against substitution written here; broadcast batches. The rules
/// (finite differences to order 2, vmap, compile, LibTorch) are the row "solveTriangular" of OpSpec.fs.
module Linalg.TriangularTests

open System
open Expecto
open FuncGrad
open Linalg.LinalgCheck

/// A triangular [n×n] with standard normal entries in its triangle and a diagonal of magnitude in [1, 2], or spanning
/// 1 down to 1e-6 (ill-conditioned); the other triangle holds garbage that the solve must not read.
let private triangle (rng: Random) (n: int) (upper: bool) (graded: bool) =
    let v = normals rng (n * n)

    Array.init (n * n) (fun ij ->
        let i, j = ij / n, ij % n

        if i = j then
            let d =
                if graded && n > 1 then
                    Math.Pow(1e-6, float i / float (n - 1))
                else
                    1.0 + rng.NextDouble()

            if rng.Next 2 = 0 then d else -d
        elif (j > i) = upper then
            v[ij]
        else
            1e3 * v[ij])

/// The triangle read, as a full matrix: the other triangle zero, the diagonal one for unit.
let private read (a: float[]) (n: int) (upper: bool) (unit: bool) =
    Array.init (n * n) (fun ij ->
        let i, j = ij / n, ij % n

        if i = j then (if unit then 1.0 else a[ij])
        elif (j > i) = upper then a[ij]
        else 0.0)

/// x with t·x = b for a lower (or upper) triangular t [n×n] and b [n×k], by plain substitution.
let private substitute (t: float[]) (b: float[]) (n: int) (k: int) (upper: bool) =
    let x = Array.copy b

    for step in 0 .. n - 1 do
        let i = if upper then n - 1 - step else step

        for c in 0 .. k - 1 do
            let mutable s = x[i * k + c]

            for j in 0 .. n - 1 do
                if (if upper then j > i else j < i) then
                    s <- s - t[i * n + j] * x[j * k + c]

            x[i * k + c] <- s / t[i * n + i]

    x

[<Tests>]
let tests =
    testList
        "linalg solveTriangular"
        [
            test "backward error ‖op(A)·X − B‖ ≤ c·n·ε·(‖A‖·‖X‖ + ‖B‖) on random and graded triangles" {
                let rng = Random 21

                for dt in [ DType.Float64; DType.Float32 ] do
                    for n, k in [ 1, 1; 5, 3; 64, 1; 65, 7; 150, 20 ] do
                        for upper in [ false; true ] do
                            for left in [ false; true ] do
                                for unit in [ false; true ] do
                                    for graded in [ false; true ] do
                                        let a = triangle rng n upper graded |> rounded dt
                                        let rows, cols = if left then n, k else k, n
                                        let b = normals rng (rows * cols) |> rounded dt

                                        let x =
                                            Linalg.SolveTriangular(
                                                matrix dt n n a,
                                                matrix dt rows cols b,
                                                upper,
                                                left,
                                                unit
                                            )
                                            |> values

                                        let t = read a n upper unit

                                        let ax = if left then mul t x n n k else mul x t k n n

                                        let bound = 20.0 * float n * eps dt * (frobenius t * frobenius x + frobenius b)

                                        let what = $"{dt} n={n} k={k} upper={upper} left={left} unit={unit}"
                                        Expect.isLessThanOrEqual (distance ax b) bound what
            }

            test "values as substitution, batches broadcast both ways" {
                let rng = Random 5
                let n, k = 4, 2

                for upper in [ false; true ] do
                    let a = Array.init 3 (fun _ -> triangle rng n upper false)
                    let b = normals rng (n * k)

                    let x =
                        Linalg.SolveTriangular(
                            Tensor.FromArray(Array.concat a, [| 3; 1; n; n |]),
                            Tensor.FromArray(b, [| 1; 1; n; k |]),
                            upper
                        )

                    Expect.equal (x.Shape |> Seq.toArray) [| 3; 1; n; k |] "shape"
                    let xs = values x

                    for i in 0..2 do
                        let expected = substitute (read a[i] n upper false) b n k upper
                        let got = xs[i * n * k .. (i + 1) * n * k - 1]
                        Expect.isLessThan (distance got expected) (1e-12 * frobenius expected) $"batch {i}"
            }

            test "a B that does not fit A names the op and the shapes" {
                let e =
                    Support.Check.raises<ShapeMismatchException> "3x3 with 2x1" (fun () ->
                        Linalg.SolveTriangular(Tensor.Zeros [| 3; 3 |], Tensor.Zeros [| 2; 1 |], false)
                        |> ignore)

                Expect.stringContains e.Message "solveTriangular" "op"
                Expect.stringContains e.Message "[2x1]" "shape"

                let e =
                    Support.Check.raises<ShapeMismatchException> "3x2" (fun () ->
                        Linalg.SolveTriangular(Tensor.Zeros [| 3; 2 |], Tensor.Zeros [| 3; 1 |], false)
                        |> ignore)

                Expect.stringContains e.Message "square" "what"
            }
        ]
