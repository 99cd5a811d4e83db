/// Linalg.MatrixExp and Linalg.MatrixPower (Linalg/MatrixFunctions.cs, Kernels/Linalg/MatrixExponential.cs): values
/// against closed forms (rotations, nilpotent and diagonal matrices), against a long Taylor series in decimal
/// arithmetic after scaling, and against repeated products by a loop; bits alone against in a batch; errors.
/// Derivatives, vmap, compile and LibTorch run through the rows "matrixExp" and "matrixPower" of OpSpec.fs.
module Linalg.MatrixFunctionTests

open System
open Expecto
open FuncGrad
open Support.Check
open Linalg.QrTests

/// exp(A) in decimal (28 significant digits): A/2ˢ with ‖A/2ˢ‖₁ ≤ 1/2, 40 terms of the Taylor series, squared s
/// times; the truncation error is below 1e-25 of the result, far below a double's rounding.
let taylorExp (a: float[,]) =
    let n = Array2D.length1 a

    let norm =
        Seq.max (seq { for j in 0 .. n - 1 -> Seq.sum (seq { for i in 0 .. n - 1 -> abs a[i, j] }) })

    let s =
        if norm <= 0.5 then
            0
        else
            int (ceil (Math.Log2(norm / 0.5)))

    let scaled = Array2D.map (fun x -> decimal x / decimal (Math.Pow(2.0, float s))) a

    let mul (x: decimal[,]) (y: decimal[,]) =
        Array2D.init n n (fun i j -> Seq.sum (seq { for p in 0 .. n - 1 -> x[i, p] * y[p, j] }))

    let mutable term = Array2D.init n n (fun i j -> if i = j then 1M else 0M)
    let mutable sum = Array2D.copy term

    for k in 1..40 do
        term <- Array2D.map (fun x -> x / decimal k) (mul term scaled)
        sum <- Array2D.init n n (fun i j -> sum[i, j] + term[i, j])

    for _ in 1..s do
        sum <- mul sum sum

    Array2D.map float sum

let private relative (actual: float[,]) (expected: float[,]) =
    frobenius (
        Array2D.init (Array2D.length1 actual) (Array2D.length2 actual) (fun i j -> actual[i, j] - expected[i, j])
    )
    / frobenius expected

[<Tests>]
let tests =
    testList
        "linalg matrix functions"
        [
            test "matrixExp of a rotation generator is the rotation: [[cos t, −sin t], [sin t, cos t]]" {
                for t in [ 0.0; 1e-8; 0.1; 1.0; 3.0; 10.0 ] do
                    let e = Linalg.MatrixExp(Tensor.FromArray([| 0.0; -t; t; 0.0 |], [| 2; 2 |]))
                    let expected = Tensor.FromArray([| cos t; -(sin t); sin t; cos t |], [| 2; 2 |])
                    close $"t = {t}" 0.0 (8.0 * max 1.0 t * unitRoundoff DType.Float64) e expected

                    let e32 =
                        Linalg.MatrixExp(Tensor.FromArray([| 0.0; -t; t; 0.0 |], [| 2; 2 |]).ToDType DType.Float32)

                    close
                        $"t = {t} float32"
                        0.0
                        (8.0 * max 1.0 t * unitRoundoff DType.Float32)
                        (e32.ToDType DType.Float64)
                        expected
            }

            test "matrixExp of a nilpotent matrix is its finite series I + N + N²/2 + … + N⁴/24" {
                let rng = Random 2
                let n = 5
                let v = (randn rng [| n; n |]).ToArray()
                let nil = Array2D.init n n (fun i j -> if j > i then v[i * n + j] else 0.0)
                let mutable term = Array2D.init n n (fun i j -> if i = j then 1.0 else 0.0)
                let mutable sum = Array2D.copy term

                for k in 1 .. n - 1 do
                    term <- Array2D.map (fun x -> x / float k) (product term nil)
                    sum <- Array2D.init n n (fun i j -> sum[i, j] + term[i, j])

                let e = Linalg.MatrixExp(ofArray2D nil)
                Expect.isTrue (relative (Array.head (matrices e)) sum <= 20.0 * unitRoundoff DType.Float64) "nilpotent"
            }

            // exp's relative condition number at x is |x|: the bound is a few ulps times that
            test "matrixExp of a diagonal matrix is exp of its diagonal, within a few ulps times |d|" {
                for d in [ [| 0.0; 1.0; -1.0 |]; [| 0.01; -0.3; 2.5 |]; [| 5.0; -7.0; 20.0 |] ] do
                    let a = Tensor.Eye 3 * Tensor.FromArray(d)
                    let e = Linalg.MatrixExp a
                    let ed = (Array.head (matrices e))

                    for i in 0..2 do
                        let bound =
                            16.0 * max 1.0 (Array.max (Array.map abs d)) * unitRoundoff DType.Float64

                        closeNum $"exp({d[i]})" bound 0.0 ed[i, i] (exp d[i])
            }

            test "matrixExp of random matrices against a 40-term Taylor series in decimal, both dtypes" {
                let rng = Random 17

                for n, scale in [ 1, 1.0; 3, 0.01; 4, 0.2; 5, 1.0; 6, 3.0; 4, 10.0 ] do
                    let a = randn rng [| n; n |] * scale
                    let am = Array.head (matrices a)
                    let expected = taylorExp am
                    // the conditioning of exp at A scales the error with ‖A‖
                    let nrm = max 1.0 (frobenius am)

                    for dtype in [ DType.Float64; DType.Float32 ] do
                        let e = Array.head (matrices (Linalg.MatrixExp(a.ToDType dtype)))
                        let err = relative e expected
                        let bound = 16.0 * float n * nrm * unitRoundoff dtype
                        Expect.isTrue (err <= bound) $"{n}x{n} × {scale} {dtype.Name()}: relative error {err} > {bound}"
            }

            test "matrixExp: each matrix of a batch has the bits it has alone; NaN in, NaN out; 0×0" {
                let rng = Random 9
                let a = randn rng [| 50; 3; 3 |] * 2.0
                let e = Linalg.MatrixExp a

                for i in [ 0; 17; 49 ] do
                    bitwise
                        $"[{i}]"
                        (e.Slice(0, i, i + 1).Squeeze(0))
                        (Linalg.MatrixExp(a.Slice(0, i, i + 1).Squeeze(0)))

                let bad = Linalg.MatrixExp(Tensor.FromArray([| 1.0; nan; 0.0; 1.0 |], [| 2; 2 |]))
                Expect.isTrue (bad.ToArray() |> Array.forall Double.IsNaN) "NaN everywhere"
                Expect.equal (shapeOf (Linalg.MatrixExp(Tensor.Zeros([| 2; 0; 0 |])))) [| 2; 0; 0 |] "empty"
            }

            test "matrixPower: n = 0 … 9 equal products by a loop; n = 0 is the identity; NaN kept out at n = 0" {
                let rng = Random 12
                let a = randn rng [| 2; 4; 4 |] * 0.7

                for k in 0..9 do
                    let p = Linalg.MatrixPower(a, k)

                    for b, am in Array.indexed (matrices a) do
                        let mutable expected = Array2D.init 4 4 (fun i j -> if i = j then 1.0 else 0.0)

                        for _ in 1..k do
                            expected <- product expected am

                        close $"A^{k} [{b}]" 1e-13 1e-13 (p.Slice(0, b, b + 1).Squeeze(0)) (ofArray2D expected)

                let withNan = Tensor.FromArray([| nan; 1.0; 0.0; 1.0 |], [| 2; 2 |])
                bitwise "A^0 = I" (Tensor.Eye 2) (Linalg.MatrixPower(withNan, 0))
            }

            test "matrixPower with n < 0: A⁻ⁿ·Aⁿ = I by a loop, and a shear's inverse powers in closed form" {
                let rng = Random 13
                let a = randn rng [| 3; 3 |] * 0.3 + Tensor.Eye 3 * 2.0
                let am = Array.head (matrices a)

                for k in 1..5 do
                    let mutable power = Array2D.init 3 3 (fun i j -> if i = j then 1.0 else 0.0)

                    for _ in 1..k do
                        power <- product power am

                    let inverse = Array.head (matrices (Linalg.MatrixPower(a, -k)))
                    close $"A^-{k}·A^{k}" 1e-12 1e-12 (ofArray2D (product inverse power)) (Tensor.Eye 3)

                let shear = Tensor.FromArray([| 1.0; 1.0; 0.0; 1.0 |], [| 2; 2 |])

                for k in 1..6 do
                    let expected = Tensor.FromArray([| 1.0; -(float k); 0.0; 1.0 |], [| 2; 2 |])
                    close $"shear^-{k}" 1e-15 1e-15 (Linalg.MatrixPower(shear, -k)) expected
            }

            test "the F# functions give the C# methods' bits: qr, lstsq, matrixExp, matrixPower" {
                let rng = Random 40
                let a = randn rng [| 2; 5; 3 |]
                let b = randn rng [| 2; 5; 2 |]

                for mode in [ "reduced"; "complete"; "r" ] do
                    let struct (q, r) = FuncGrad.Linalg.Qr(a, mode)
                    let fq, fr = Linalg.qrWith mode a
                    bitwise $"qr {mode} Q" q fq
                    bitwise $"qr {mode} R" r fr

                let struct (x, res) = FuncGrad.Linalg.Lstsq(a, b)
                let fx, fres = Linalg.lstsq a b
                bitwise "lstsq solution" x fx
                bitwise "lstsq residuals" res fres
                let s = randn rng [| 3; 3 |]
                bitwise "matrixExp" (FuncGrad.Linalg.MatrixExp s) (Linalg.matrixExp s)
                bitwise "matrixPower" (FuncGrad.Linalg.MatrixPower(s, 5)) (Linalg.matrixPower 5 s)
            }

            test "errors: not square, or not a matrix" {
                let e =
                    raises<ShapeMismatchException> "2x3" (fun () ->
                        Linalg.MatrixExp(Tensor.Zeros([| 2; 3 |])) |> ignore)

                Expect.stringContains e.Message "matrix_exp" "names the op"
                Expect.stringContains e.Message "2x3" "names the shape"

                let e2 =
                    raises<RankException> "vector" (fun () -> Linalg.MatrixPower(Tensor.Zeros([| 3 |]), 2) |> ignore)

                Expect.stringContains e2.Message "matrix_power" "names the op"
            }
        ]
