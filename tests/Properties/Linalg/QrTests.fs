/// Linalg.Qr (Linalg/Qr.cs, Kernels/Linalg/Householder.cs): backward error ‖A − Q·R‖/‖A‖ and loss of orthogonality
/// ‖QᵀQ − I‖ against c·n·u on random, ill-conditioned, rank-deficient and structured matrices of both dtypes, through
/// the unblocked and the blocked paths; values against modified Gram–Schmidt in the test; the sign convention, the
/// modes' shapes, bits alone against in a batch, and errors. Derivatives, vmap, compile and LibTorch run through the
/// row "qr" of OpSpec.fs.
module Linalg.QrTests

open System
open Expecto
open FuncGrad
open Support.Check

/// The unit roundoff of a dtype.
let unitRoundoff (dtype: DType) =
    Math.ScaleB(1.0, (if dtype = DType.Float64 then -53 else -24))

/// The matrices of a [.., r, c] tensor as float64 arrays.
let matrices (t: Tensor) =
    let s = shapeOf t
    let r, c = s[s.Length - 2], s[s.Length - 1]
    let v = t.ToDType(DType.Float64).ToArray()
    let count = if r * c = 0 then 0 else v.Length / (r * c)
    Array.init count (fun b -> Array2D.init r c (fun i j -> v[b * r * c + i * c + j]))

let product (a: float[,]) (b: float[,]) =
    let m, k, n = Array2D.length1 a, Array2D.length2 a, Array2D.length2 b

    Array2D.init m n (fun i j ->
        let mutable s = 0.0

        for p in 0 .. k - 1 do
            s <- s + a[i, p] * b[p, j]

        s)

/// ‖a‖_F in units of its largest element, so that 1e300 and 1e-300 neither overflow nor underflow.
let frobenius (a: float[,]) =
    let mutable big = 0.0
    a |> Array2D.iter (fun x -> big <- max big (abs x))

    if big = 0.0 || Double.IsNaN big then
        big
    else
        let mutable s = 0.0
        a |> Array2D.iter (fun x -> s <- s + (x / big) * (x / big))
        big * sqrt s

let transpose (a: float[,]) =
    Array2D.init (Array2D.length2 a) (Array2D.length1 a) (fun i j -> a[j, i])

/// ‖A − Q·R‖_F / ‖A‖_F and ‖QᵀQ − I‖_F, in float64 from the factors' values.
let errors (a: float[,]) (q: float[,]) (r: float[,]) =
    let qr = product q r

    let residual =
        Array2D.init (Array2D.length1 a) (Array2D.length2 a) (fun i j -> a[i, j] - qr[i, j])

    let qtq = product (transpose q) q

    let orth =
        Array2D.init (Array2D.length1 qtq) (Array2D.length2 qtq) (fun i j -> qtq[i, j] - (if i = j then 1.0 else 0.0))

    let na = frobenius a

    (if na = 0.0 then
         frobenius residual
     else
         frobenius residual / na),
    frobenius orth

/// Checks one factorisation of a [.., m, n] tensor in a mode: shapes, R upper triangular with a non-negative
/// diagonal, and both errors within c·max(m, n)·u.
let checkFactors (what: string) (mode: string) (a: Tensor) (q: Tensor) (r: Tensor) =
    let s = shapeOf a
    let m, n = s[s.Length - 2], s[s.Length - 1]
    let k = min m n
    let batch = s[.. s.Length - 3]
    let qc, rr = (if mode = "complete" then m, m else k, k)
    Expect.equal (shapeOf q) (Array.append batch [| m; qc |]) $"{what}: Q's shape"
    Expect.equal (shapeOf r) (Array.append batch [| rr; n |]) $"{what}: R's shape"
    Expect.equal q.DType a.DType $"{what}: Q's dtype"
    let bound = 8.0 * float (max m n) * unitRoundoff a.DType

    for b, (aa, (qq, rm)) in Array.indexed (Array.zip (matrices a) (Array.zip (matrices q) (matrices r))) do
        for i in 0 .. rr - 1 do
            for j in 0 .. n - 1 do
                if j < i then
                    Expect.equal rm[i, j] 0.0 $"{what} [{b}]: R[{i}, {j}] below the diagonal"
                elif i = j then
                    Expect.isTrue (rm[i, i] >= 0.0) $"{what} [{b}]: R[{i}, {i}] = {rm[i, i]} is negative"

        let backward, orth = errors aa qq rm
        Expect.isTrue (backward <= bound) $"{what} [{b}]: ‖A − QR‖/‖A‖ = {backward} > {bound}"
        Expect.isTrue (orth <= bound) $"{what} [{b}]: ‖QᵀQ − I‖ = {orth} > {bound}"

/// Q and R by modified Gram–Schmidt in float64, for a matrix of full column rank (m ≥ n): the unique factorisation with
/// a positive diagonal, computed independently of the Householder kernel.
let gramSchmidt (a: float[,]) =
    let m, n = Array2D.length1 a, Array2D.length2 a
    let q = Array2D.copy a
    let r = Array2D.zeroCreate n n

    for j in 0 .. n - 1 do
        let mutable norm = 0.0

        for i in 0 .. m - 1 do
            norm <- norm + q[i, j] * q[i, j]

        r[j, j] <- sqrt norm

        for i in 0 .. m - 1 do
            q[i, j] <- q[i, j] / r[j, j]

        for l in j + 1 .. n - 1 do
            let mutable d = 0.0

            for i in 0 .. m - 1 do
                d <- d + q[i, j] * q[i, l]

            r[j, l] <- d

            for i in 0 .. m - 1 do
                q[i, l] <- q[i, l] - d * q[i, j]

    q, r

let ofArray2D (a: float[,]) =
    Tensor.FromArray(
        Array.init a.Length (fun i -> a[i / Array2D.length2 a, i % Array2D.length2 a]),
        [| Array2D.length1 a; Array2D.length2 a |]
    )

/// Matrices of a family: random normal; columns graded from 1 to 1e-10 (condition about 1e10); rank r < min(m, n)
/// as a product of m×r and r×n; and structured ones.
let family (rng: Random) (m: int) (n: int) =
    let g () = randn rng [| m; n |]

    let graded =
        let d =
            Array.init n (fun j -> Math.Pow(10.0, -10.0 * float j / float (max 1 (n - 1))))

        g () * Tensor.FromArray(d)

    let r = max 1 (min m n / 2)

    [
        "random", g ()
        "graded columns", graded
        "rank-deficient", (randn rng [| m; r |]).MatMul(randn rng [| r; n |])
        "identity-like", Tensor.Eye(max m n).Slice(0, 0, m).Slice(1, 0, n)
        "negative diagonal", Tensor.Eye(max m n).Slice(0, 0, m).Slice(1, 0, n) * -3.0
        "zeros", Tensor.Zeros([| m; n |])
        "upper triangular",
        (g ()).Abs()
        * Tensor.FromArray(Array.init (m * n) (fun i -> if i % n >= i / n then 1.0 else 0.0), [| m; n |])
        "huge", g () * 1e300
        "tiny", g () * 1e-300
    ]

let shapes = [ 1, 1; 4, 4; 7, 3; 3, 7; 5, 1; 1, 5; 100, 100; 150, 97; 97, 150 ]

[<Tests>]
let tests =
    testList
        "linalg qr"
        [
            // Small shapes: every family in both modes. The blocked path's shapes (each check a loop of ~m³ steps):
            // random ones in both modes and dtypes, graded and rank-deficient ones in float64.
            test "backward error and orthogonality within 8·max(m, n)·u: every family, shape, mode and dtype" {
                let rng = Random 21

                for m, n in shapes do
                    let blocked = min m n >= 96

                    for name, a64 in family rng m n do
                        for dtype in [ DType.Float64; DType.Float32 ] do
                            let a = a64.ToDType dtype
                            let scaleOk = dtype = DType.Float64 || not (name = "huge" || name = "tiny")

                            let modes =
                                if not blocked then
                                    [ "reduced"; "complete" ]
                                elif name = "random" then
                                    [ "reduced"; "complete" ]
                                elif dtype = DType.Float64 && (name = "graded columns" || name = "rank-deficient") then
                                    [ "reduced" ]
                                else
                                    []

                            if scaleOk then
                                for mode in modes do
                                    let struct (q, r) = Linalg.Qr(a, mode)
                                    checkFactors $"{name} {m}x{n} {dtype.Name()} {mode}" mode a q r
            }

            test "values equal modified Gram–Schmidt's (the unique factors with R's diagonal positive)" {
                let rng = Random 5

                for m, n in [ 1, 1; 3, 3; 6, 4; 40, 20; 120, 100 ] do
                    let a = randn rng [| m; n |]
                    let qe, re = gramSchmidt (Array.head (matrices a))
                    let struct (q, r) = Linalg.Qr a
                    close $"{m}x{n} Q" 1e-10 1e-10 q (ofArray2D qe)
                    close $"{m}x{n} R" 1e-10 1e-10 r (ofArray2D re)
            }

            test "a 2×2 in closed form: [[3, 1], [4, 2]] = Q·R with R = [[5, 2.2], [0, 0.4]]" {
                let struct (q, r) =
                    Linalg.Qr(Tensor.FromArray([| 3.0; 1.0; 4.0; 2.0 |], [| 2; 2 |]))

                close "R" 1e-15 1e-15 r (Tensor.FromArray([| 5.0; 2.2; 0.0; 0.4 |], [| 2; 2 |]))
                close "Q" 1e-15 1e-15 q (Tensor.FromArray([| 0.6; -0.8; 0.8; 0.6 |], [| 2; 2 |]))
            }

            test "mode r: R alone, the bits of the reduced R, and Q empty" {
                let rng = Random 3

                for m, n in [ 5, 3; 3, 5; 130, 100 ] do
                    let a = randn rng [| 2; m; n |]
                    let struct (q, r) = Linalg.Qr(a, "r")
                    let struct (_, r2) = Linalg.Qr a
                    Expect.equal (shapeOf q) [| 0 |] "Q is empty"
                    bitwise $"{m}x{n}: R" r2 r
            }

            test "each matrix of a batch has the bits it has alone, on the unblocked and blocked paths" {
                let rng = Random 8

                for m, n, count in [ 4, 4, 300; 9, 5, 40; 110, 100, 2 ] do
                    let a = randn rng [| count; m; n |]
                    let struct (q, r) = Linalg.Qr a
                    let struct (q2, r2) = Linalg.Qr a

                    bitwise "run to run Q" q q2
                    bitwise "run to run R" r r2

                    for i in [ 0; count / 2; count - 1 ] do
                        let struct (qi, ri) = Linalg.Qr(a.Slice(0, i, i + 1).Squeeze(0))
                        bitwise $"{m}x{n} [{i}] Q" (q.Slice(0, i, i + 1).Squeeze(0)) qi
                        bitwise $"{m}x{n} [{i}] R" (r.Slice(0, i, i + 1).Squeeze(0)) ri
            }

            test "batches over several leading axes and empty ones" {
                let rng = Random 4
                let a = randn rng [| 2; 3; 4; 2 |]
                let struct (q, r) = Linalg.Qr a
                checkFactors "2x3 batch" "reduced" a q r
                let struct (q0, r0) = Linalg.Qr(Tensor.Zeros([| 0; 3; 2 |]))
                Expect.equal (shapeOf q0) [| 0; 3; 2 |] "empty batch Q"
                Expect.equal (shapeOf r0) [| 0; 2; 2 |] "empty batch R"
                let struct (q1, r1) = Linalg.Qr(Tensor.Zeros([| 3; 0 |]), "complete")
                Expect.equal (shapeOf q1) [| 3; 3 |] "3x0 complete Q"
                Expect.equal (shapeOf r1) [| 3; 0 |] "3x0 complete R"
                close "3x0 complete Q is I" 0.0 0.0 q1 (Tensor.Eye 3)
            }

            test "errors: a vector, an unknown mode, and the derivative of complete Q of a tall matrix" {
                let e =
                    raises<RankException> "vector" (fun () -> Linalg.Qr(Tensor.Zeros([| 3 |])) |> ignore)

                Expect.stringContains e.Message "qr" "names the op"
                Expect.stringContains e.Message "[3]" "names the shape"

                let e2 =
                    raises<ArgumentException> "mode" (fun () -> Linalg.Qr(Tensor.Eye 2, "full") |> ignore)

                Expect.stringContains e2.Message "\"reduced\"" "lists the modes"
                let a = Tensor.FromArray([| 1.0; 2.0; 3.0; 4.0; 5.0; 7.0 |], [| 3; 2 |])

                let f (x: Tensor) =
                    let struct (q, _) = Linalg.Qr(x, "complete") in q.Sum()

                let e3 =
                    raises<GradientException> "complete" (fun () -> Autodiff.Grad(f, a) |> ignore)

                Expect.stringContains e3.Message "reduced" "says what to use"
            }
        ]
