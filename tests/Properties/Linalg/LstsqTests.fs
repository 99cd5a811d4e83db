/// Linalg.Lstsq (Linalg/Lstsq.cs): overdetermined solutions satisfy the normal equations Aᵀ(A·X − B) = 0 and equal a
/// Gaussian-elimination solve of AᵀA·X = AᵀB by a loop; underdetermined ones solve A·X = B with X = Aᵀ·Y (least norm);
/// residuals against a loop; a closed form; shapes, broadcasting and errors. Derivatives, vmap, compile and LibTorch
/// run through the row "lstsq" of OpSpec.fs.
module Linalg.LstsqTests

open System
open Expecto
open FuncGrad
open Support.Check
open Linalg.QrTests

/// x = s⁻¹·t for a square s by Gaussian elimination with partial pivoting in float64.
let private gaussSolve (s: float[,]) (t: float[,]) =
    let n, k = Array2D.length1 s, Array2D.length2 t
    let a = Array2D.copy s
    let b = Array2D.copy t

    for c in 0 .. n - 1 do
        let p = seq { c .. n - 1 } |> Seq.maxBy (fun i -> abs a[i, c])

        for j in 0 .. n - 1 do
            let v = a[c, j] in
            a[c, j] <- a[p, j]
            a[p, j] <- v

        for j in 0 .. k - 1 do
            let v = b[c, j] in
            b[c, j] <- b[p, j]
            b[p, j] <- v

        for i in c + 1 .. n - 1 do
            let l = a[i, c] / a[c, c]

            for j in c .. n - 1 do
                a[i, j] <- a[i, j] - l * a[c, j]

            for j in 0 .. k - 1 do
                b[i, j] <- b[i, j] - l * b[c, j]

    let x = Array2D.zeroCreate n k

    for i in n - 1 .. -1 .. 0 do
        for j in 0 .. k - 1 do
            let mutable v = b[i, j]

            for l in i + 1 .. n - 1 do
                v <- v - a[i, l] * x[l, j]

            x[i, j] <- v / a[i, i]

    x

[<Tests>]
let tests =
    testList
        "linalg lstsq"
        [
            test "a closed form: the line through (0, 1), (1, 2), (2, 2) is 7/6 + x/2, residual 1/6" {
                let a = Tensor.FromArray([| 1.0; 0.0; 1.0; 1.0; 1.0; 2.0 |], [| 3; 2 |])
                let b = Tensor.FromArray([| 1.0; 2.0; 2.0 |], [| 3; 1 |])
                let struct (x, res) = Linalg.Lstsq(a, b)
                close "solution" 1e-15 1e-15 x (Tensor.FromArray([| 7.0 / 6.0; 0.5 |], [| 2; 1 |]))
                close "residual" 1e-15 1e-15 res (Tensor.FromArray([| 1.0 / 6.0 |]))
            }

            test "overdetermined: the normal equations' solution by a loop, and residuals Σ (AX − B)² by a loop" {
                let rng = Random 31

                for m, n, k in [ 5, 3, 2; 8, 8, 1; 40, 7, 3; 130, 100, 2 ] do
                    for dtype in [ DType.Float64; DType.Float32 ] do
                        let a = (randn rng [| m; n |]).ToDType dtype
                        let b = (randn rng [| m; k |]).ToDType dtype
                        let struct (x, res) = Linalg.Lstsq(a, b)
                        let am, bm = Array.head (matrices a), Array.head (matrices b)
                        let at = transpose am
                        let expected = gaussSolve (product at am) (product at bm)
                        let tol = if dtype = DType.Float64 then 1e-10 else 1e-3
                        close $"{m}x{n} {dtype.Name()}: X" tol tol x (ofArray2D expected)

                        if m > n then
                            let xm = Array.head (matrices x)
                            let r = product am xm

                            let expectedRes =
                                Array.init k (fun j ->
                                    Seq.sum (seq { for i in 0 .. m - 1 -> (r[i, j] - bm[i, j]) ** 2.0 }))

                            close $"{m}x{n} {dtype.Name()}: residuals" tol tol res (Tensor.FromArray expectedRes)
                        else
                            Expect.equal (shapeOf res) [| 0 |] "square: residuals empty"
            }

            test "underdetermined: A·X = B, and X = Aᵀ·Y with A·Aᵀ·Y = B by a loop (the least-norm solution)" {
                let rng = Random 32

                for m, n, k in [ 2, 5, 1; 7, 40, 3; 100, 130, 2 ] do
                    let a = randn rng [| m; n |]
                    let b = randn rng [| m; k |]
                    let struct (x, res) = Linalg.Lstsq(a, b)
                    let am, bm = Array.head (matrices a), Array.head (matrices b)
                    let y = gaussSolve (product am (transpose am)) bm
                    close $"{m}x{n}: X" 1e-10 1e-10 x (ofArray2D (product (transpose am) y))
                    close $"{m}x{n}: A·X = B" 1e-10 1e-10 (a.MatMul x) b
                    Expect.equal (shapeOf res) [| 0 |] "residuals empty"
            }

            test "batch axes broadcast: each solution is the one alone" {
                let rng = Random 33
                let a = randn rng [| 3; 1; 6; 4 |]
                let b = randn rng [| 2; 6; 2 |]
                let struct (x, res) = Linalg.Lstsq(a, b)
                Expect.equal (shapeOf x) [| 3; 2; 4; 2 |] "solution shape"
                Expect.equal (shapeOf res) [| 3; 2; 2 |] "residual shape"

                for i in 0..2 do
                    for j in 0..1 do
                        let struct (xi, _) =
                            Linalg.Lstsq(a.Slice(0, i, i + 1).Squeeze(0).Squeeze(0), b.Slice(0, j, j + 1).Squeeze(0))

                        close
                            $"[{i}, {j}]"
                            1e-12
                            1e-12
                            (x.Slice(0, i, i + 1).Slice(1, j, j + 1).Squeeze(0).Squeeze(0))
                            xi
            }

            test "errors: a vector, rows that differ" {
                let e =
                    raises<RankException> "vector" (fun () ->
                        Linalg.Lstsq(Tensor.Zeros([| 3; 2 |]), Tensor.Zeros([| 3 |])) |> ignore)

                Expect.stringContains e.Message "lstsq" "names the op"
                Expect.stringContains e.Message "Unsqueeze" "says what to do"

                let e2 =
                    raises<ShapeMismatchException> "rows" (fun () ->
                        Linalg.Lstsq(Tensor.Zeros([| 3; 2 |]), Tensor.Zeros([| 4; 1 |])) |> ignore)

                Expect.stringContains e2.Message "4" "names B's rows"
            }
        ]
