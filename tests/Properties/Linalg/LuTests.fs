/// LU, solves and determinants (src/Core.CSharp/Linalg/Lu.cs, Solve.cs, Det.cs) against their definitions: the backward
/// error ‖P·L·U − A‖ ≤ c·n·ε·‖A‖ and ‖A·X − B‖ on random matrices at sizes on both sides of the kernel's panels, on
/// ill-conditioned (condition 1e10 in float64) and structured ones; pivots as partial pivoting chooses them (the
/// largest magnitude, the first of ties), written here as the textbook loop; determinants against a permutation
/// expansion and closed forms; singular matrices' errors and statuses. The rules are the rows "luFactor" … "logdet"
/// of OpSpec.fs.
module Linalg.LuTests

open System
open Expecto
open FuncGrad
open Linalg.LinalgCheck

/// LU with partial pivoting by the textbook loop (Golub and Van Loan, algorithm 3.4.1), in float64: the compact
/// factors and the 0-based pivots.
let private textbook (a0: float[]) (n: int) =
    let a = Array.copy a0
    let piv = Array.zeroCreate n

    for j in 0 .. n - 1 do
        let mutable p = j

        for i in j + 1 .. n - 1 do
            if abs a[i * n + j] > abs a[p * n + j] then
                p <- i

        piv[j] <- p

        for c in 0 .. n - 1 do
            let t = a[j * n + c]
            a[j * n + c] <- a[p * n + c]
            a[p * n + c] <- t

        for i in j + 1 .. n - 1 do
            a[i * n + j] <- a[i * n + j] / a[j * n + j]

            for c in j + 1 .. n - 1 do
                a[i * n + c] <- a[i * n + c] - a[i * n + j] * a[j * n + c]

    a, piv

/// P·L·U from the compact factors and the 1-based pivots.
let private reconstruct (lu: float[]) (pivots: int[]) (n: int) =
    let l =
        Array.init (n * n) (fun ij ->
            let i, j = ij / n, ij % n

            if i = j then 1.0
            elif j < i then lu[ij]
            else 0.0)

    let u = Array.init (n * n) (fun ij -> if ij % n >= ij / n then lu[ij] else 0.0)
    let a = mul l u n n n
    // undo the swaps, last first: A = P·(L·U)
    for j in n - 1 .. -1 .. 0 do
        let p = pivots[j] - 1

        for c in 0 .. n - 1 do
            let t = a[j * n + c]
            a[j * n + c] <- a[p * n + c]
            a[p * n + c] <- t

    a

/// A random general matrix, standard normal.
let private general (rng: Random) (n: int) = normals rng (n * n)

/// det by the Leibniz expansion over permutations (n ≤ 6), independent of any factorisation.
let private leibniz (a: float[]) (n: int) =
    let rec perms (xs: int list) =
        match xs with
        | [] -> [ [] ]
        | _ ->
            xs
            |> List.collect (fun x -> perms (List.filter ((<>) x) xs) |> List.map (fun p -> x :: p))

    perms [ 0 .. n - 1 ]
    |> List.sumBy (fun p ->
        let p = Array.ofList p
        let mutable inversions = 0

        for i in 0 .. n - 1 do
            for j in i + 1 .. n - 1 do
                if p[i] > p[j] then
                    inversions <- inversions + 1

        let sign = if inversions % 2 = 0 then 1.0 else -1.0
        sign * Seq.fold (fun s i -> s * a[i * n + p[i]]) 1.0 (seq { 0 .. n - 1 }))

[<Tests>]
let tests =
    testList
        "linalg lu, solve, det"
        [
            test "luFactor: backward error ‖P·L·U − A‖ ≤ c·n·ε·‖A‖, random, graded and structured, both dtypes" {
                let rng = Random 31

                for dt in [ DType.Float64; DType.Float32 ] do
                    let graded =
                        general rng 70
                        |> Array.mapi (fun ij x -> x * Math.Pow(1e-8, float (ij / 70) / 69.0))

                    let tridiagonal =
                        Array.init (90 * 90) (fun ij ->
                            let i, j = ij / 90, ij % 90

                            if i = j then 2.0
                            elif abs (i - j) = 1 then -1.0
                            else 0.0)

                    let condition = if dt = DType.Float64 then 1e10 else 1e5

                    let cases =
                        [ for n in [ 1; 2; 9; 64; 65; 130; 200 ] -> $"random n={n}", n, general rng n ]
                        @ [
                            "graded rows 1 … 1e-8", 70, graded
                            "ill-conditioned SPD", 70, spdConditioned rng 70 condition
                            "tridiagonal", 90, tridiagonal
                        ]

                    for what, n, a in cases do
                        let a = rounded dt a
                        let struct (lu, pivots) = Linalg.LuFactor(matrix dt n n a)
                        Expect.equal pivots.DType DType.Int32 "int32 pivots"
                        let back = reconstruct (values lu) (pivots.ToInt32Array()) n
                        // growth factor of partial pivoting is small on these: a bound in ‖A‖ suffices
                        Expect.isLessThanOrEqual (distance back a) (8.0 * float n * eps dt * frobenius a) $"{dt} {what}"
            }

            test "luFactor: factors and pivots as the textbook loop" {
                let rng = Random 32

                for n in [ 4; 67 ] do
                    let a = general rng n
                    let lu, piv = textbook a n
                    let struct (got, pivots) = Linalg.LuFactor(matrix DType.Float64 n n a)
                    Expect.equal (pivots.ToInt32Array()) (piv |> Array.map ((+) 1)) $"n={n} pivots"
                    Expect.isLessThan (distance (values got) lu) (1e-11 * frobenius lu) $"n={n} factors"
            }

            test "solve and luSolve: backward error ‖A·X − B‖, every side and adjoint; inv: ‖A·A⁻¹ − I‖" {
                let rng = Random 33

                for dt in [ DType.Float64; DType.Float32 ] do
                    for n, k in [ 1, 1; 8, 3; 130, 16 ] do
                        let a = general rng n |> rounded dt
                        let am = matrix dt n n a
                        let b = normals rng (n * k) |> rounded dt

                        let bound (x: float[]) =
                            40.0 * float n * eps dt * (frobenius a * frobenius x + frobenius b)

                        let x = Linalg.Solve(am, matrix dt n k b) |> values
                        Expect.isLessThanOrEqual (distance (mul a x n n k) b) (bound x) $"{dt} n={n} solve"
                        let bt = transpose b n k
                        let xr = Linalg.Solve(am, matrix dt k n bt, false) |> values
                        Expect.isLessThanOrEqual (distance (mul xr a k n n) bt) (bound xr) $"{dt} n={n} solve right"
                        let struct (lu, p) = Linalg.LuFactor am
                        let at = transpose a n n

                        for left in [ true; false ] do
                            for adjoint in [ false; true ] do
                                let op = if adjoint then at else a
                                let rhs = if left then b else bt
                                let rows, cols = if left then n, k else k, n
                                let x = Linalg.LuSolve(lu, p, matrix dt rows cols rhs, left, adjoint) |> values
                                let ax = if left then mul op x n n k else mul x op k n n
                                let what = $"{dt} n={n} luSolve left={left} adjoint={adjoint}"
                                Expect.isLessThanOrEqual (distance ax rhs) (bound x) what

                        let inv = Linalg.Inv am |> values
                        let eye = Array.init (n * n) (fun ij -> if ij / n = ij % n then 1.0 else 0.0)
                        let bound = 40.0 * float n * eps dt * frobenius a * frobenius inv
                        Expect.isLessThanOrEqual (distance (mul a inv n n n) eye) bound $"{dt} n={n} inv"
            }

            test "solve: a batch of vectors (B of A's shape less the last axis) and broadcast batches" {
                let rng = Random 34
                let n = 3
                let a = Array.init 2 (fun _ -> general rng n)
                let v = normals rng (2 * n)

                let x =
                    Linalg.Solve(Tensor.FromArray(Array.concat a, [| 2; n; n |]), Tensor.FromArray(v, [| 2; n |]))

                Expect.equal (x.Shape |> Seq.toArray) [| 2; n |] "vector shape"
                let xs = values x

                for i in 0..1 do
                    let ax = mul a[i] xs[i * n .. i * n + n - 1] n n 1
                    Expect.isLessThan (distance ax v[i * n .. i * n + n - 1]) 1e-12 $"element {i}"

                let b = normals rng (n * 2)

                let x =
                    Linalg.Solve(Tensor.FromArray(Array.concat a, [| 2; 1; n; n |]), Tensor.FromArray(b, [| 1; n; 2 |]))

                Expect.equal (x.Shape |> Seq.toArray) [| 2; 1; n; 2 |] "broadcast shape"
            }

            test "det and slogdet: against the Leibniz expansion, closed forms, and without overflow" {
                let rng = Random 35

                for n in 1..5 do
                    let a = general rng n
                    let d = Linalg.Det(matrix DType.Float64 n n a).Item()
                    Expect.floatClose Accuracy.high d (leibniz a n) $"det n={n}"
                    let struct (sign, logabs) = Linalg.Slogdet(matrix DType.Float64 n n a)
                    Expect.equal (sign.Item()) (float (Math.Sign(leibniz a n))) $"sign n={n}"
                    Expect.floatClose Accuracy.high (logabs.Item()) (log (abs (leibniz a n))) $"log|det| n={n}"

                // a triangular matrix: the product of the diagonal; 300 of 100 overflows det but not slogdet
                let n = 300

                let t =
                    Array.init (n * n) (fun ij ->
                        if ij / n = ij % n then 100.0
                        elif ij % n > ij / n then 1.0
                        else 0.0)

                let struct (sign, logabs) = Linalg.Slogdet(matrix DType.Float64 n n t)
                Expect.equal (sign.Item()) 1.0 "sign"
                Expect.floatClose Accuracy.high (logabs.Item()) (float n * log 100.0) "log|det| = n·log 100"
                Expect.isTrue (Double.IsPositiveInfinity(Linalg.Det(matrix DType.Float64 n n t).Item())) "det overflows"
                // a swap of two rows of I: det −1
                let swap = [| 0.0; 1.0; 1.0; 0.0 |]
                Expect.equal (Linalg.Det(matrix DType.Float64 2 2 swap).Item()) -1.0 "det of a swap"
                let spdA = spd rng 6
                let l = Linalg.Cholesky(matrix DType.Float64 6 6 spdA) |> values
                let logdetFromL = 2.0 * Seq.sum (seq { for i in 0..5 -> log l[i * 6 + i] })

                Expect.floatClose
                    Accuracy.high
                    (Linalg.Logdet(matrix DType.Float64 6 6 spdA).Item())
                    logdetFromL
                    "logdet"

                Expect.isTrue (Double.IsNaN(Linalg.Logdet(matrix DType.Float64 2 2 swap).Item())) "logdet of det < 0"
            }

            test "singular: det 0, slogdet (0, −∞), errors naming the op, the element and the pivot, statuses" {
                let n = 3
                // row 1 = 2·row 0: the third pivot is exactly zero (every step exact in binary)
                let s = [| 1.0; 2.0; 3.0; 2.0; 4.0; 6.0; 1.0; 1.0; 1.0 |]
                let good = [| 2.0; 0.0; 0.0; 0.0; 3.0; 0.0; 0.0; 0.0; 4.0 |]
                let a = Tensor.FromArray(Array.concat [ good; s ], [| 2; n; n |])
                Expect.equal (Linalg.Det(a).ToArray()) [| 24.0; 0.0 |] "det"
                let struct (sign, logabs) = Linalg.Slogdet a
                Expect.equal (sign.ToArray()) [| 1.0; 0.0 |] "sign"
                Expect.equal (logabs.ToArray()[1]) Double.NegativeInfinity "log|det|"

                for name, f in
                    [
                        "solve", (fun () -> Linalg.Solve(a, Tensor.Ones [| 2; n; 1 |]) |> ignore)
                        "inv", (fun () -> Linalg.Inv a |> ignore)
                        "LuFactor", (fun () -> Linalg.LuFactor a |> ignore)
                    ] do
                    let e = Support.Check.raises<LinalgException> name f
                    Expect.stringContains e.Message name "the op"
                    Expect.stringContains e.Message "batch element [1]" "the element"
                    Expect.stringContains e.Message "pivot 3" "the pivot"

                let struct (_, _, info) = Linalg.LuFactorEx a
                Expect.equal (info.ToInt32Array()) [| 0; 3 |] "luFactorEx status"
                let struct (x, info) = Linalg.SolveEx(a, Tensor.Ones [| 2; n; 1 |])
                Expect.equal (info.ToInt32Array()) [| 0; 3 |] "solveEx status"
                Expect.equal (x.ToArray()[0..2]) [| 0.5; 1.0 / 3.0; 0.25 |] "the good element solved"
                let struct (_, info) = Linalg.InvEx a
                Expect.equal (info.ToInt32Array()) [| 0; 3 |] "invEx status"
            }

            test "gradients: d det = det·tr(A⁻¹·dA), d log|det| = tr(A⁻¹·dA)" {
                let rng = Random 36
                let n = 5
                let a = general rng n
                let am = matrix DType.Float64 n n a
                let inv = Linalg.Inv am |> values
                let invT = transpose inv n n
                let d = Linalg.Det(am).Item()
                let g = Autodiff.Grad((fun x -> Linalg.Det x), am) |> values
                Expect.isLessThan (distance g (invT |> Array.map ((*) d))) (1e-10 * abs d * frobenius invT) "det"

                let g =
                    Autodiff.Grad(
                        (fun x ->
                            let struct (_, l) = Linalg.Slogdet x
                            l),
                        am
                    )
                    |> values

                Expect.isLessThan (distance g invT) (1e-10 * frobenius invT) "slogdet"
            }

            test "det's gradient is the cofactor matrix, finite at singular matrices of rank n − 1" {
                // cofactor (i, j) = (−1)^(i+j)·det of A without row i and column j, by the Leibniz expansion
                let cofactors (a: float[]) (n: int) =
                    Array.init (n * n) (fun ij ->
                        let i, j = ij / n, ij % n

                        let minor =
                            [|
                                for r in 0 .. n - 1 do
                                    if r <> i then
                                        for c in 0 .. n - 1 do
                                            if c <> j then
                                                a[r * n + c]
                            |]

                        (if (i + j) % 2 = 0 then 1.0 else -1.0)
                        * (if n = 1 then 1.0 else leibniz minor (n - 1)))

                let rng = Random 37

                let singular =
                    [
                        "1x1 zero", 1, [| 0.0 |]
                        "rank 1 of 2", 2, [| 1.0; 2.0; 2.0; 4.0 |]
                        "rank 2 of 3", 3, [| 1.0; 2.0; 3.0; 2.0; 4.0; 6.0; 1.0; 1.0; 1.0 |]
                        "zero column", 3, [| 0.0; 2.0; 3.0; 0.0; 5.0; 6.0; 0.0; 1.0; 1.0 |]
                        "random", 4, normals rng 16
                    ]

                for what, n, a in singular do
                    let g = Autodiff.Grad((fun x -> Linalg.Det x), matrix DType.Float64 n n a) |> values
                    let expected = cofactors a n
                    Expect.isLessThan (distance g expected) (1e-12 * (1.0 + frobenius expected)) what

                // two zero pivots: LU cannot tell rank n − 1 from less; NaN, as documented
                let g =
                    Autodiff.Grad((fun x -> Linalg.Det x), matrix DType.Float64 2 2 [| 0.0; 1.0; 0.0; 0.0 |])

                Expect.isTrue (values g |> Array.forall Double.IsNaN) "NaN beyond one zero pivot"
            }
        ]
