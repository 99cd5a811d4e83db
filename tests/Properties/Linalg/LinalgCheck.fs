/// What the linear-algebra tests share: matrices as row-major float arrays, built and multiplied by plain loops in
/// float64, independently of FuncGrad's kernels, and the relative residuals the backward-error tests bound.
module Linalg.LinalgCheck

open System
open FuncGrad

/// The unit roundoff of a dtype.
let eps (dt: DType) =
    if dt = DType.Float64 then
        Math.Pow(2.0, -52.0)
    else
        float (Math.Pow(2.0, -23.0))

/// A tensor's values as float64, whatever its dtype.
let values (t: Tensor) = t.ToDType(DType.Float64).ToArray()

/// A row-major [n×n] (or [rows×cols]) tensor of the dtype from float64 values.
let matrix (dt: DType) (rows: int) (cols: int) (v: float[]) =
    Tensor.FromArray(v, [| rows; cols |]).ToDType dt

/// The values the tensor will hold: float64 values rounded to the dtype, so residuals use exactly the input.
let rounded (dt: DType) (v: float[]) =
    if dt = DType.Float64 then
        v
    else
        v |> Array.map (fun x -> float (float32 x))

/// c = a·b for a [m×k], b [k×n], by the textbook triple loop in float64.
let mul (a: float[]) (b: float[]) (m: int) (k: int) (n: int) =
    Array.init (m * n) (fun ij ->
        let i, j = ij / n, ij % n
        let mutable s = 0.0

        for p in 0 .. k - 1 do
            s <- s + a[i * k + p] * b[p * n + j]

        s)

/// The transpose of a [rows×cols] array.
let transpose (a: float[]) (rows: int) (cols: int) =
    Array.init (rows * cols) (fun ji -> a[(ji % rows) * cols + ji / rows])

/// The largest absolute value (the max norm).
let maxAbs (a: float[]) =
    a |> Array.fold (fun m x -> if Double.IsNaN x then nan else max m (abs x)) 0.0

/// The Frobenius norm.
let frobenius (a: float[]) =
    sqrt (a |> Array.sumBy (fun x -> x * x))

/// ‖x − y‖_F
let distance (x: float[]) (y: float[]) = frobenius (Array.map2 (-) x y)

/// Standard normal values from the generator (Box–Muller).
let normals (rng: Random) (count: int) =
    Array.init count (fun _ ->
        let u = 1.0 - rng.NextDouble()
        sqrt (-2.0 * log u) * cos (2.0 * Math.PI * rng.NextDouble()))

/// A random symmetric positive-definite [n×n]: B·Bᵀ + n·I with B standard normal.
let spd (rng: Random) (n: int) =
    let b = normals rng (n * n)
    let a = mul b (transpose b n n) n n n

    for i in 0 .. n - 1 do
        a[i * n + i] <- a[i * n + i] + float n

    a

/// A random orthogonal n×n matrix (row-major): modified Gram–Schmidt, each column orthogonalised twice, on standard
/// normal columns.
let orthogonal (rng: Random) (n: int) =
    let q = normals rng (n * n)

    for j in 0 .. n - 1 do
        for _ in 1..2 do
            for p in 0 .. j - 1 do
                let d = Seq.sum (seq { for i in 0 .. n - 1 -> q[i * n + j] * q[i * n + p] })

                for i in 0 .. n - 1 do
                    q[i * n + j] <- q[i * n + j] - d * q[i * n + p]

        let norm =
            sqrt (Seq.sum (seq { for i in 0 .. n - 1 -> q[i * n + j] * q[i * n + j] }))

        for i in 0 .. n - 1 do
            q[i * n + j] <- q[i * n + j] / norm

    q

/// An SPD matrix of condition about `condition`: Q·diag(σ)·Qᵀ with σ geometric from 1 to 1/condition and Q a random
/// orthogonal matrix.
let spdConditioned (rng: Random) (n: int) (condition: float) =
    let q = orthogonal rng n

    let s =
        Array.init n (fun i ->
            if n = 1 then
                1.0
            else
                Math.Pow(condition, -float i / float (n - 1)))

    Array.init (n * n) (fun ij ->
        let i, j = ij / n, ij % n
        Seq.sum (seq { for p in 0 .. n - 1 -> q[i * n + p] * s[p] * q[j * n + p] }))

/// The multi-index of flat position i in a row-major tensor of shape.
let indexOf (shape: int[]) (i: int) =
    let r = Array.zeroCreate shape.Length
    let mutable rest = i

    for a in shape.Length - 1 .. -1 .. 0 do
        r[a] <- rest % shape[a]
        rest <- rest / shape[a]

    r

/// The 1-D Laplacian, n×n row-major: 2 on the diagonal, −1 beside it (SPD, condition about n², eigenvalues
/// 2 − 2cos(kπ/(n + 1))).
let laplacian (n: int) =
    Array.init (n * n) (fun ij ->
        let i, j = ij / n, ij % n

        if i = j then 2.0
        elif abs (i - j) = 1 then -1.0
        else 0.0)
