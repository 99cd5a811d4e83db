/// The symmetric eigensolver and the SVD against their definitions (backward error and orthogonality on random,
/// ill-conditioned, repeated-eigenvalue and structured matrices, both dtypes), values against closed forms, the
/// conventions (order, signs, degenerate gradients) docs/conventions.md states, determinism, and errors.
module Linalg.SpectralTests

open System
open Expecto
open FuncGrad
open Support.Check
open Linalg.LinalgCheck

/// Plain row-major n×k times k×m, in float64.
let private mul (a: float[]) (b: float[]) n k m =
    Array.init (n * m) (fun idx ->
        let i, j = idx / m, idx % m
        let mutable s = 0.0

        for t in 0 .. k - 1 do
            s <- s + a[i * k + t] * b[t * m + j]

        s)

let private transposeOf (a: float[]) n m =
    Array.init (n * m) (fun idx -> a[(idx % n) * m + idx / n])

let private frobenius (a: float[]) = sqrt (Array.sumBy (fun x -> x * x) a)

/// Q·diag(d)·Qᵀ for a random orthogonal Q.
let private withEigenvalues (rng: Random) (d: float[]) =
    let n = d.Length
    let q = orthogonal rng n
    let qd = Array.init (n * n) (fun idx -> q[idx] * d[idx % n])
    mul qd (transposeOf q n n) n n n

let private eps (dtype: DType) =
    if dtype = DType.Float64 then
        Math.Pow(2.0, -52)
    else
        Math.Pow(2.0, -23)

/// ‖A − V·diag(λ)·Vᵀ‖/‖A‖ and ‖VᵀV − I‖ (Frobenius) within 4·n·ε; λ ascending; each eigenvector's largest
/// component positive.
let private checkEigh (what: string) (a: float[]) n (dtype: DType) =
    let t = Tensor.FromArray(a, [| n; n |]).ToDType dtype
    let struct (w, v) = Linalg.Eigh(t)
    // the residual against the matrix the dtype holds
    let a = t.ToDType(DType.Float64).ToArray()
    let w, v = w.ToDType(DType.Float64).ToArray(), v.ToDType(DType.Float64).ToArray()
    let vw = Array.init (n * n) (fun idx -> v[idx] * w[idx % n])
    let back = mul vw (transposeOf v n n) n n n
    let scale = max (frobenius a) Double.Epsilon
    let bound = 4.0 * float n * eps dtype
    let residual = frobenius (Array.map2 (-) back a) / scale

    let orth =
        frobenius (
            Array.mapi (fun idx x -> x - (if idx / n = idx % n then 1.0 else 0.0)) (mul (transposeOf v n n) v n n n)
        )

    Expect.isLessThanOrEqual residual bound $"{what}: backward error ‖A − VΛVᵀ‖/‖A‖"
    Expect.isLessThanOrEqual orth bound $"{what}: ‖VᵀV − I‖"
    Expect.isTrue (Array.pairwise w |> Array.forall (fun (p, q) -> p <= q)) $"{what}: eigenvalues ascending"

    for j in 0 .. n - 1 do
        let col = Array.init n (fun i -> v[i * n + j])
        let big = col |> Array.maxBy abs
        Expect.isGreaterThan big 0.0 $"{what}: eigenvector {j}'s largest component is positive"

    w

/// ‖A − U·diag(S)·Vh‖/‖A‖, ‖UᵀU − I‖, ‖Vh·Vhᵀ − I‖ within 4·max(m, n)·ε, S descending and non-negative.
let private checkSvd (what: string) (a: float[]) m n (full: bool) (dtype: DType) =
    let t = Tensor.FromArray(a, [| m; n |]).ToDType dtype
    let struct (u, s, vh) = Linalg.Svd(t, full)
    let a = t.ToDType(DType.Float64).ToArray()
    let k = min m n
    let uc, vr = (if full then m else k), (if full then n else k)
    Expect.equal (shapeOf u) [| m; uc |] $"{what}: U's shape"
    Expect.equal (shapeOf vh) [| vr; n |] $"{what}: Vh's shape"

    let u, s, vh =
        u.ToDType(DType.Float64).ToArray(), s.ToDType(DType.Float64).ToArray(), vh.ToDType(DType.Float64).ToArray()

    let us = Array.init (m * k) (fun idx -> u[(idx / k) * uc + idx % k] * s[idx % k])
    let back = mul us vh[.. k * n - 1] m k n
    let bound = 4.0 * float (max m n) * eps dtype

    let identityGap (g: float[]) c =
        frobenius (Array.mapi (fun idx x -> x - (if idx / c = idx % c then 1.0 else 0.0)) g)

    Expect.isLessThanOrEqual
        (frobenius (Array.map2 (-) back a) / max (frobenius a) Double.Epsilon)
        bound
        $"{what}: backward error"

    Expect.isLessThanOrEqual (identityGap (mul (transposeOf u m uc) u uc m uc) uc) bound $"{what}: ‖UᵀU − I‖"
    Expect.isLessThanOrEqual (identityGap (mul vh (transposeOf vh vr n) vr n vr) vr) bound $"{what}: ‖VhVhᵀ − I‖"

    Expect.isTrue
        (Array.pairwise s |> Array.forall (fun (p, q) -> p >= q)
         && Array.forall (fun x -> x >= 0.0) s)
        $"{what}: S descending"

    s

let private dtypes = [ DType.Float64; DType.Float32 ]

[<Tests>]
let tests =
    testList
        "linalg spectral"
        [
            test "eigh: backward error on random, ill-conditioned, repeated and structured matrices" {
                let rng = Random 7

                for dtype in dtypes do
                    for n in [ 1; 2; 3; 5; 17; 40 ] do
                        let b = (randn rng [| n; n |]).ToArray()

                        checkEigh $"random {n} {dtype}" (Array.map2 (+) b (transposeOf b n n)) n dtype
                        |> ignore

                    let n = 12
                    let graded = Array.init n (fun i -> Math.Pow(10.0, -10.0 * float i / float (n - 1)))

                    checkEigh $"condition 1e10 {dtype}" (withEigenvalues rng graded) n dtype
                    |> ignore

                    let repeated = [| 1.0; 1.0; 1.0; 2.0; 2.0; -3.0; -3.0; -3.0; -3.0; 5.0 |]
                    let w = checkEigh $"repeated {dtype}" (withEigenvalues rng repeated) 10 dtype

                    close
                        $"repeated eigenvalues {dtype}"
                        0.0
                        (40.0 * eps dtype * 5.0)
                        (Tensor.FromArray w)
                        (Tensor.FromArray(Array.sort repeated))

                    checkEigh $"identity {dtype}" (Tensor.Eye(6).ToArray()) 6 dtype |> ignore
                    checkEigh $"zero {dtype}" (Array.zeroCreate 16) 4 dtype |> ignore
                    let diag = [| 3.0; -1.0; 2.0; -1.0; 0.5 |]
                    let d = Array.init 25 (fun idx -> if idx / 5 = idx % 5 then diag[idx / 5] else 0.0)
                    let w = checkEigh $"diagonal {dtype}" d 5 dtype
                    Expect.sequenceEqual w (Array.sort diag) $"diagonal {dtype}: the diagonal, sorted, exactly"
            }

            test "eigh: the 1-D Laplacian's eigenvalues are 2 − 2cos(kπ/(n+1)); uplo reads one triangle" {
                let n = 30

                let lap = laplacian n

                let w = checkEigh "laplacian" lap n DType.Float64

                let expected =
                    Array.init n (fun k -> 2.0 - 2.0 * cos (float (k + 1) * Math.PI / float (n + 1)))

                close "laplacian eigenvalues" 0.0 1e-14 (Tensor.FromArray w) (Tensor.FromArray expected)
                // garbage in the unread triangle changes nothing
                let lower = lap |> Array.mapi (fun idx x -> if idx % n > idx / n then 99.0 else x)
                let upper = lap |> Array.mapi (fun idx x -> if idx % n < idx / n then -99.0 else x)

                bitwise
                    "lower"
                    (Linalg.Eigvalsh(Tensor.FromArray(lap, [| n; n |])))
                    (Linalg.Eigvalsh(Tensor.FromArray(lower, [| n; n |])))

                bitwise
                    "upper"
                    (Linalg.Eigvalsh(Tensor.FromArray(lap, [| n; n |])))
                    (Linalg.Eigvalsh(Tensor.FromArray(upper, [| n; n |]), "U"))

                let struct (w2, _) = Linalg.Eigh(Tensor.FromArray(lap, [| n; n |]))
                bitwise "eigvalsh is eigh's values" w2 (Linalg.Eigvalsh(Tensor.FromArray(lap, [| n; n |])))
            }

            test "svd: backward error, tall, wide and square, full and reduced, both dtypes" {
                let rng = Random 8

                for dtype in dtypes do
                    for (m, n) in [ (1, 1); (1, 4); (4, 1); (5, 3); (3, 5); (8, 8); (40, 17); (17, 40) ] do
                        for full in [ true; false ] do
                            checkSvd $"{m}x{n} full={full} {dtype}" ((randn rng [| m; n |]).ToArray()) m n full dtype
                            |> ignore

                    // rank-deficient: zero singular values, and their vectors completed
                    let b = (randn rng [| 6; 2 |]).ToArray()
                    let c = (randn rng [| 2; 5 |]).ToArray()
                    let s = checkSvd $"rank 2 {dtype}" (mul b c 6 2 5) 6 5 true dtype
                    Expect.isLessThanOrEqual s[2] (10.0 * eps dtype * s[0]) "rank 2: third singular value is zero"
                    checkSvd $"zero {dtype}" (Array.zeroCreate 12) 4 3 true dtype |> ignore
            }

            test "svd: small singular values keep their relative accuracy (A = Q·diag(σ), σ down to 1e-12)" {
                let rng = Random 9
                let n = 8

                // square, tall (reduced to R first) and wide (its transpose): the columns of A are orthogonal, so
                // AᵀA = diag(σ²) up to one rounding per element
                for m in [ 8; 13 ] do
                    let q = orthogonal rng m
                    let sigma = Array.init n (fun i -> Math.Pow(10.0, -12.0 * float i / float (n - 1)))
                    let a = Array.init (m * n) (fun idx -> q[(idx / n) * m + idx % n] * sigma[idx % n])
                    let tall = Tensor.FromArray(a, [| m; n |])

                    for what, x in [ "A", tall; "Aᵀ", tall.Transpose() ] do
                        let s = Linalg.Svdvals(x).ToArray()

                        for i in 0 .. n - 1 do
                            closeNum $"{m}x{n} {what} σ{i}" 1e-13 0.0 s[i] sigma[i]

                    checkSvd $"graded {m}x{n}" a m n true DType.Float64 |> ignore
                    checkSvd $"graded {m}x{n} reduced" a m n false DType.Float64 |> ignore
            }

            test "degenerate eigenvalues: gauge-invariant gradients exact, eigenvector terms of equal pairs zero" {
                let rng = Random 10

                let a =
                    Tensor.FromArray(withEigenvalues rng [| 1.0; 1.0; 3.0; 3.0; 3.0 |], [| 5; 5 |])

                let c = randn rng [| 5; 5 |]
                // the projector onto the eigenvalue-1 eigenspace: smooth in A, so finite differences are its gradient
                let projector (x: Tensor) =
                    let struct (_, v) = Linalg.Eigh(x)
                    let v1 = v.Slice(-1, 0, 2)
                    (v1.MatMul(v1.Transpose()) * c).Sum()

                let g =
                    reverse (List.exactlyOne >> projector) [ a ] (Tensor.Scalar 1.0) |> List.head

                let fd =
                    fdGradient (fun xs -> (projector (List.exactlyOne xs)).Item()) [ a ] 1e-6
                    |> List.head

                close "projector gradient" 1e-6 1e-7 g fd
                // Σλ² = ‖A‖²: the gradient 2A folded onto the lower triangle
                let sq =
                    reverse (fun xs -> Linalg.Eigvalsh(List.exactlyOne xs).Square().Sum()) [ a ] (Tensor.Scalar 1.0)
                    |> List.head

                let av = a.ToArray()

                let expected =
                    Array.init 25 (fun idx ->
                        let i, j = idx / 5, idx % 5 in

                        if i = j then 2.0 * av[idx]
                        elif i > j then 4.0 * av[idx]
                        else 0.0)

                close "Σλ² gradient" 1e-12 1e-12 sq (Tensor.FromArray(expected, [| 5; 5 |]))
                // a function of one eigenvector at the identity (all eigenvalues equal): the documented zero
                let g0 =
                    reverse
                        (fun xs -> let struct (_, v) = Linalg.Eigh(List.exactlyOne xs) in v.Slice(-1, 0, 1).Sum())
                        [ Tensor.Eye 3 ]
                        (Tensor.Scalar 1.0)
                    |> List.head

                equalValues "eigenvector gradient at the identity" g0 (Array.zeroCreate 9)

                let t =
                    forward
                        (fun xs -> let struct (_, v) = Linalg.Eigh(List.exactlyOne xs) in v)
                        [ Tensor.Eye 3 ]
                        [ randn rng [| 3; 3 |] ]

                equalValues "eigenvector tangent at the identity" t (Array.zeroCreate 9)
            }

            test "degenerate singular values: S, the polar factor and projectors exact; U·S·Vh as documented" {
                let rng = Random 11
                let c = randn rng [| 4; 3 |]
                let cs = randn rng [| 4; 4 |]

                let repeated =
                    Tensor.FromArray(withEigenvalues rng [| 2.0; 2.0; 2.0; 1.0 |], [| 4; 4 |]).Slice(-1, 0, 3)

                for a in [ Tensor.Eye(4).Slice(-1, 0, 3); repeated ] do
                    let check (what: string) (f: Tensor -> Tensor) =
                        let g = reverse (List.exactlyOne >> f) [ a ] (Tensor.Scalar 1.0) |> List.head

                        let fd =
                            fdGradient (fun xs -> (f (List.exactlyOne xs)).Item()) [ a ] 1e-6 |> List.head

                        close what 1e-6 1e-7 g fd

                    check "Σ s + Σ s² (symmetric in equal values)" (fun x ->
                        Linalg.Svdvals(x).Sum() + Linalg.Svdvals(x).Square().Sum())

                    check "the polar factor U·Vh" (fun x ->
                        let struct (u, _, vh) = Linalg.Svd(x, false) in (u.MatMul(vh) * c).Sum())

                    check "the column space's projector" (fun x ->
                        let struct (u, _, _) = Linalg.Svd(x, false) in (u.MatMul(u.Transpose()) * cs).Sum())

                    check "the complement's projector (full matrices)" (fun x ->
                        let struct (u, _, _) = Linalg.Svd(x) in
                        (u.Slice(-1, 3, 4).MatMul(u.Slice(-1, 3, 4).Transpose()) * cs).Sum())
                    // ⟨C, U·diag(S)·Vh⟩ = ⟨C, A⟩, but at equal singular values its gradient misses the symmetric
                    // part of Uᵀ·C·V between equal values off the diagonal (docs/conventions.md): C less
                    // U·(that part)·Vh
                    let struct (u, s, vh) = Linalg.Svd(a, false)
                    let m = u.Transpose().MatMul(c).MatMul(vh.Transpose()).ToArray()
                    let sv = s.ToArray()

                    let dropped =
                        Array.init 9 (fun idx ->
                            let i, j = idx / 3, idx % 3 in

                            if i <> j && abs (sv[i] - sv[j]) < 1e-12 then
                                (m[i * 3 + j] + m[j * 3 + i]) / 2.0
                            else
                                0.0)

                    let expected = c - u.MatMul(Tensor.FromArray(dropped, [| 3; 3 |])).MatMul(vh)

                    let rebuilt (x: Tensor) =
                        let struct (u, s, vh) = Linalg.Svd(x, false)
                        ((u * s.Unsqueeze(-2)).MatMul(vh) * c).Sum()

                    close
                        "⟨C, U·S·Vh⟩ at equal values"
                        1e-12
                        1e-12
                        (reverse (List.exactlyOne >> rebuilt) [ a ] (Tensor.Scalar 1.0) |> List.head)
                        expected

                // away from equal values it is C
                let b = randn rng [| 4; 3 |]

                let rebuilt (x: Tensor) =
                    let struct (u, s, vh) = Linalg.Svd(x)
                    ((u.Slice(-1, 0, 3) * s.Unsqueeze(-2)).MatMul(vh) * c).Sum()

                close
                    "⟨C, U·S·Vh⟩ gradient is C"
                    1e-10
                    1e-10
                    (reverse (List.exactlyOne >> rebuilt) [ b ] (Tensor.Scalar 1.0) |> List.head)
                    c
            }

            test "pinv: Moore–Penrose conditions, rank-deficient and hermitian" {
                let rng = Random 12
                let a = randn rng [| 5; 3 |]
                let p = Linalg.Pinv(a)
                close "A·A⁺·A = A" 1e-12 1e-12 (a.MatMul(p).MatMul(a)) a
                close "A⁺·A·A⁺ = A⁺" 1e-12 1e-12 (p.MatMul(a).MatMul(p)) p
                close "(A·A⁺)ᵀ = A·A⁺" 1e-12 1e-12 (a.MatMul(p).Transpose()) (a.MatMul(p))
                close "A⁺·A = I (full column rank)" 1e-12 1e-12 (p.MatMul(a)) (Tensor.Eye 3)
                let d = Tensor.FromArray([| 2.0; 0.0; 0.0; 0.0 |], [| 2; 2 |])
                equalValues "rank 1" (Linalg.Pinv(d)) [| 0.5; 0.0; 0.0; 0.0 |]
                equalValues "cut off by atol" (Linalg.Pinv(d, atol = 3.0)) [| 0.0; 0.0; 0.0; 0.0 |]
                let s = a.Transpose().MatMul(a)
                close "hermitian" 1e-12 1e-12 (Linalg.Pinv(s, hermitian = true)) (Linalg.Pinv(s))
                Expect.equal (shapeOf (Linalg.Pinv(Tensor.Zeros [| 2; 3; 0 |]))) [| 2; 0; 3 |] "empty: n×m"
            }

            test "matrix norms against plain loops" {
                let a = Tensor.FromArray([| 1.0; -2.0; 3.0; 4.0; -5.0; 6.0 |], [| 2; 3 |])
                let colSums = [| 5.0; 7.0; 9.0 |]
                let rowSums = [| 6.0; 15.0 |]
                equalValues "fro" (Linalg.MatrixNorm(a)) [| sqrt 91.0 |]
                equalValues "1" (Linalg.MatrixNorm(a, 1.0)) [| Array.max colSums |]
                equalValues "-1" (Linalg.MatrixNorm(a, -1.0)) [| Array.min colSums |]
                equalValues "inf" (Linalg.MatrixNorm(a, infinity)) [| Array.max rowSums |]
                equalValues "-inf" (Linalg.MatrixNorm(a, -infinity)) [| Array.min rowSums |]
                let s = Linalg.Svdvals(a).ToArray()
                closeNum "2" 1e-15 0.0 (Linalg.MatrixNorm(a, 2.0).Item()) s[0]
                closeNum "-2" 1e-15 0.0 (Linalg.MatrixNorm(a, -2.0).Item()) s[1]
                closeNum "nuc" 1e-15 0.0 (Linalg.MatrixNorm(a, "nuc").Item()) (s[0] + s[1])
                // Σσ² = ‖A‖²_F, independently of the SVD
                closeNum "Σσ²" 1e-14 0.0 (s[0] * s[0] + s[1] * s[1]) 91.0
                // over axes 0 and 2 of a batch, kept
                let b = Tensor.Stack([| a; a * 2.0 |], 1) // [2, 2, 3]
                Expect.equal (shapeOf (Linalg.MatrixNorm(b, 1.0, [| 0; 2 |], true))) [| 1; 2; 1 |] "kept axes"
                equalValues "1 over axes 0, 2" (Linalg.MatrixNorm(b, 1.0, [| 0; 2 |])) [| 9.0; 18.0 |]
                equalValues "fro over axes 0, 2" (Linalg.MatrixNorm(b, "fro", [| 0; 2 |])) [| sqrt 91.0; sqrt 364.0 |]
            }

            test "batches: the same bits as one matrix at a time, on any split of the work" {
                let rng = Random 13
                let batch = randn rng [| 600; 4; 4 |]
                let struct (w, v) = Linalg.Eigh(batch)
                let struct (u, s, vh) = Linalg.Svd(batch.Slice(-1, 0, 3))

                for i in [ 0; 299; 599 ] do
                    let struct (wi, vi) = Linalg.Eigh(batch[i])
                    bitwise $"eigenvalues {i}" wi w[i]
                    bitwise $"eigenvectors {i}" vi v[i]
                    let struct (ui, si, vhi) = Linalg.Svd(batch[i].Slice(-1, 0, 3))
                    bitwise $"U {i}" ui u[i]
                    bitwise $"S {i}" si s[i]
                    bitwise $"Vh {i}" vhi vh[i]

                // a large matrix alone splits its rows and rotations over the workers; in a batch of two it does not
                let b = randn rng [| 300; 300 |]
                let big = b + b.Transpose()
                let struct (w1, v1) = Linalg.Eigh(big)
                let struct (w2, v2) = Linalg.Eigh(Tensor.Stack([| big; big |]))
                bitwise "large eigenvalues" w1 w2[0]
                bitwise "large eigenvectors" v1 v2[1]
                let struct (w3, v3) = Linalg.Eigh(big)
                bitwise "run to run" v1 v3
                // the SVD's rounds of pairs likewise
                let tall = b.Slice(-1, 0, 200)
                let struct (u1, s1, vh1) = Linalg.Svd(tall, false)
                let struct (u2, s2, vh2) = Linalg.Svd(Tensor.Stack([| tall; tall |]), false)
                bitwise "large U" u1 u2[0]
                bitwise "large S" s1 s2[1]
                bitwise "large Vh" vh1 vh2[0]
            }

            test "non-finite input gives NaN; errors name the op, the shape and what to do" {
                let a = Tensor.FromArray([| 1.0; nan; nan; 1.0 |], [| 2; 2 |])
                Expect.isTrue (Linalg.Eigvalsh(a).ToArray() |> Array.forall Double.IsNaN) "eigvalsh of NaN"
                Expect.isTrue (Linalg.Svdvals(a).ToArray() |> Array.forall Double.IsNaN) "svdvals of NaN"

                let e =
                    raises<ShapeMismatchException> "eigh of 2x3" (fun () ->
                        Linalg.Eigh(Tensor.Zeros [| 2; 3 |]) |> ignore)

                Expect.stringContains e.Message "eigh" "op named"
                Expect.stringContains e.Message "[2x3]" "shape named"

                let r =
                    raises<RankException> "svd of a vector" (fun () -> Linalg.Svd(Tensor.Zeros [| 3 |]) |> ignore)

                Expect.stringContains r.Message "svd" "op named"

                raises<ArgumentException> "uplo" (fun () -> Linalg.Eigvalsh(Tensor.Eye 2, "X") |> ignore)
                |> ignore

                let o =
                    raises<ArgumentException> "ord" (fun () -> Linalg.MatrixNorm(Tensor.Eye 2, 3.0) |> ignore)

                Expect.stringContains o.Message "matrix_norm" "op named"

                raises<AxisOutOfRangeException> "dim" (fun () ->
                    Linalg.MatrixNorm(Tensor.Eye 2, "fro", [| 0; 0 |]) |> ignore)
                |> ignore
            }
        ]
