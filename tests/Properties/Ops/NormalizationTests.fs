/// The normalisation ops of Ops/Normalization.cs: layer norm's value against a loop written here (two passes in
/// float64), every op's value and first and second derivatives against its unfused composition of mean, var, sqrt
/// and division, the kernel at every vector width and on any number of threads, the running statistics against the
/// update formula, the conventions and the errors. Finite differences, vmap and compile are the rows "layerNorm" …
/// "batchNormTrain" of OpSpec.fs.
module Ops.NormalizationTests

open System
open Expecto
open FuncGrad
open FuncGrad.Kernels
open Support.Check

let private rng () = Random 24

/// a + b as a pair (sum, rounding error), exactly (Knuth's two-sum).
let private twoSum (a: float) (b: float) =
    let s = a + b
    let bb = s - a
    s, (a - (s - bb)) + (b - bb)

/// Layer norm of each row of n elements by a loop: the mean summed exactly as a double-double, then the deviations
/// (exact to a rounding), the variance and (x − mean)/√(var + ε); also each row's |mean|·r, the condition of the
/// kernel's result (an input offset far from 0 costs a rounding of the mean, relative to the offset).
let private layerNormLoop (n: int) (eps: float) (x: float[]) =
    let y = Array.zeroCreate x.Length
    let scale = Array.zeroCreate x.Length

    for r in 0 .. x.Length / n - 1 do
        let row = x[r * n .. r * n + n - 1]
        let mutable hi, lo = 0.0, 0.0

        for v in row do
            let s, e = twoSum hi v
            hi <- s
            lo <- lo + e

        let meanHi = hi / float n
        // the rest of the mean: hi − meanHi·n is exact by a fused multiply-add
        let meanLo = (Math.FusedMultiplyAdd(-meanHi, float n, hi) + lo) / float n
        let d = row |> Array.map (fun v -> (v - meanHi) - meanLo)
        let var = (d |> Array.sumBy (fun v -> v * v)) / float n
        let s = sqrt (var + eps)

        for i in 0 .. n - 1 do
            y[r * n + i] <- d[i] / s
            scale[r * n + i] <- max 1.0 (abs meanHi / s)

    y, scale

/// The largest |actual − expected| in units of the dtype's epsilon times the condition of each element.
let private worst (eps: float) (actual: float[]) (expected: float[], scale: float[]) =
    Array.fold2
        (fun w (a: float) (e, c) -> max w (abs (a - e) / (eps * max c (abs e))))
        0.0
        actual
        (Array.zip expected scale)

/// The unfused compositions of existing ops, over the trailing `k` axes.
let private composedNorm (k: int) (centre: bool) (eps: float) (x: Tensor) =
    let axes = [| for a in x.Rank - k .. x.Rank - 1 -> a |]
    let d = if centre then x - x.Mean(axes, true) else x
    d / ((d * d).Mean(axes, true) + eps).Sqrt()

let private channelShape (x: Tensor) =
    [| for a in 0 .. x.Rank - 2 -> if a = 0 then x.Shape[1] else 1 |]

let private affine (w: Tensor) (b: Tensor) (y: Tensor) =
    let at = channelShape y
    y * w.Reshape at + b.Reshape at

let private composedGroup (groups: int) (eps: float) (x: Tensor) =
    let s = shapeOf x
    (composedNorm 1 true eps (x.Reshape [| s[0] * groups; -1 |])).Reshape s

let private composedBatch (eps: float) (x: Tensor) =
    let axes =
        [|
            for a in 0 .. x.Rank - 1 do
                if a <> 1 then
                    a
        |]

    let d = x - x.Mean(axes, true)
    d / ((d * d).Mean(axes, true) + eps).Sqrt()

/// f and its composition agree in value, VJP (to every argument), VJP of the VJP and JVP of the VJP (the rules of
/// the backward op), in float64.
let private againstComposition (what: string) (f: Tensor list -> Tensor) (g: Tensor list -> Tensor) (xs: Tensor list) =
    let r = rng ()
    close $"{what}: value" 1e-13 1e-13 (f xs) (g xs)
    let u = randn r (shapeOf (f xs))

    for a, b in List.zip (reverse f xs u) (reverse g xs u) do
        close $"{what}: VJP" 1e-12 1e-12 a b

    let vs = xs |> List.map (fun x -> randn r (shapeOf x))

    let dot (h: Tensor list -> Tensor) (ys: Tensor list) =
        List.map2 (fun (a: Tensor) (v: Tensor) -> (a * v).Sum()) (reverse h ys u) vs
        |> List.reduce (fun (p: Tensor) q -> p + q)

    for a, b in List.zip (reverse (dot f) xs (Tensor.Scalar 1.0)) (reverse (dot g) xs (Tensor.Scalar 1.0)) do
        close $"{what}: VJP of the VJP" 1e-11 1e-11 a b

    let first (h: Tensor list -> Tensor) (ys: Tensor list) = (reverse h ys u).Head
    close $"{what}: JVP of the VJP" 1e-11 1e-11 (forward (first f) xs vs) (forward (first g) xs vs)
    close $"{what}: JVP" 1e-12 1e-12 (forward f xs vs) (forward g xs vs)

[<Tests>]
let tests =
    testList
        "normalization"
        [
            test "layerNorm is within 4 epsilons of a float64 loop, in both dtypes, over one and two trailing axes" {
                // Rows with a large common offset, where a one-pass Σx² − n·mean² would lose every digit.
                let r = rng ()
                let x = Array.init (6 * 35) (fun i -> 1e4 + r.NextDouble() * 3.0 - float (i % 7))

                for k, n in [ 1, 35; 2, 35 * 6 / 2 ] do
                    let shape = if k = 1 then [| 6; 35 |] else [| 2; 3; 35 |]
                    let normalized = shape[shape.Length - k ..]
                    let expected = layerNormLoop n 1e-5 x
                    let y64 = Tensor.FromArray(x, shape).LayerNorm normalized
                    let w64 = worst 2.220446049250313e-16 (y64.ToArray()) expected
                    Expect.isLessThanOrEqual w64 4.0 $"float64, {k} axes: within 4 epsilons"
                    // float32: against the loop on the float32 input's values, rounded to float32
                    let x32 = x |> Array.map float32
                    let e32, c32 = layerNormLoop n 1e-5 (Array.map float x32)
                    let expected32 = Array.map (float32 >> float) e32, c32
                    let y32 = Tensor.FromArray(x32, shape).LayerNorm normalized
                    let w32 = worst 1.1920928955078125e-07 (y32.ToArray()) expected32
                    Expect.isLessThanOrEqual w32 4.0 $"float32, {k} axes: within 4 epsilons"
            }

            test "the row kernel at every vector width is within 4 epsilons of the loop, forward and backward" {
                let r = rng ()
                let rows, n = 5, 37 // a tail at every width
                let x = Array.init (rows * n) (fun _ -> r.NextDouble() * 4.0 - 1.0)
                let g = Array.init (rows * n) (fun _ -> r.NextDouble() - 0.5)
                let expected = layerNormLoop n 1e-5 x
                let ones = Array.create x.Length 1.0
                // the gradient by the unfused composition
                let xt = Tensor.FromArray(x, [| rows; n |])
                let gt = Tensor.FromArray(g, [| rows; n |])

                let expectedGrad =
                    (reverse (fun xs -> composedNorm 1 true 1e-5 xs.Head) [ xt ] gt).Head.ToArray()

                for width in [ Width.Scalar; Width.V128; Width.V256; Width.V512 ] do
                    let y = Array.zeroCreate x.Length
                    RowNorm.Forward(width, x, y, rows, n, true, 1e-5)
                    Expect.isLessThanOrEqual (worst 2.220446049250313e-16 y expected) 4.0 $"{width}: forward"
                    let dx = Array.zeroCreate x.Length
                    RowNorm.Backward(width, g, x, dx, rows, n, true, 1e-5)

                    Expect.isLessThanOrEqual
                        (worst 2.220446049250313e-16 dx (expectedGrad, ones))
                        16.0
                        $"{width}: backward"
            }

            test "the bits do not depend on the number of threads" {
                let r = rng ()
                let x = randn r [| 300; 512 |]
                let u = randn r [| 300; 512 |]

                let run parts (x: Tensor) =
                    use _ = Workers.Force parts
                    let y = x.LayerNorm [| 512 |]

                    let g =
                        (reverse (fun xs -> xs.Head.RmsNorm [| 512 |]) [ x ] (u.ToDType x.DType)).Head

                    y, g

                for dtype in [ DType.Float64; DType.Float32 ] do
                    let xd = x.ToDType dtype
                    let y1, g1 = run 1 xd

                    for parts in [ 2; 3 ] do
                        let y, g = run parts xd
                        bitwise $"{dtype}, {parts} parts: forward" y1 y
                        bitwise $"{dtype}, {parts} parts: backward" g1 g
            }

            test "layerNorm with weight and bias equals its composition, to the second order" {
                let r = rng ()
                let xs = [ randn r [| 3; 2; 4 |]; randn r [| 2; 4 |]; randn r [| 2; 4 |] ]

                againstComposition
                    "layerNorm"
                    (fun xs -> xs[0].LayerNorm([| 2; 4 |], xs[1], xs[2], 1e-3))
                    (fun xs -> composedNorm 2 true 1e-3 xs[0] * xs[1] + xs[2])
                    xs
            }

            test "rmsNorm equals its composition, to the second order, with PyTorch's default eps" {
                let r = rng ()
                let xs = [ randn r [| 3; 5 |]; randn r [| 5 |] ]

                againstComposition
                    "rmsNorm"
                    (fun xs -> xs[0].RmsNorm([| 5 |], xs[1]))
                    (fun xs -> composedNorm 1 false 2.220446049250313e-16 xs[0] * xs[1])
                    xs
                // eps null is the dtype's machine epsilon: visible on a row of tiny values
                let tiny = Tensor.FromArray([| 1e-8; -1e-8 |])

                close
                    "float64 default eps"
                    1e-15
                    0.0
                    (tiny.RmsNorm [| 2 |])
                    (tiny.RmsNorm([| 2 |], eps = Nullable 2.220446049250313e-16))

                let tiny32 = tiny.ToDType DType.Float32

                close
                    "float32 default eps"
                    1e-6
                    0.0
                    (tiny32.RmsNorm [| 2 |])
                    (tiny32.RmsNorm([| 2 |], eps = Nullable 1.1920928955078125e-07))
            }

            test "groupNorm and instanceNorm equal their compositions, to the second order" {
                let r = rng ()
                let xs = [ randn r [| 2; 4; 3 |]; randn r [| 4 |]; randn r [| 4 |] ]

                againstComposition
                    "groupNorm"
                    (fun xs -> xs[0].GroupNorm(2, xs[1], xs[2]))
                    (fun xs -> affine xs[1] xs[2] (composedGroup 2 1e-5 xs[0]))
                    xs

                againstComposition
                    "instanceNorm"
                    (fun xs -> xs[0].InstanceNorm(xs[1], xs[2], 1e-4))
                    (fun xs -> affine xs[1] xs[2] (composedNorm 1 true 1e-4 xs[0]))
                    xs
            }

            test "batchNorm in training equals its composition over N and the spatial axes, to the second order" {
                let r = rng ()
                let xs = [ randn r [| 3; 2; 2; 2 |]; randn r [| 2 |]; randn r [| 2 |] ]

                againstComposition
                    "batchNorm"
                    (fun xs -> xs[0].BatchNorm(null, null, xs[1], xs[2], true))
                    (fun xs -> affine xs[1] xs[2] (composedBatch 1e-5 xs[0]))
                    xs
            }

            test "batchNorm in evaluation uses the running statistics; training returns them updated as PyTorch" {
                let r = rng ()
                let x = randn r [| 4; 3; 5 |]
                let mean = randn r [| 3 |]
                let var = (randn r [| 3 |]).Abs() + 0.5
                let w, b = randn r [| 3 |], randn r [| 3 |]
                let at = [| 3; 1 |]

                close
                    "evaluation"
                    1e-14
                    1e-14
                    (x.BatchNorm(mean, var, w, b))
                    ((x - mean.Reshape at) / (var.Reshape at + 1e-5).Sqrt() * w.Reshape at
                     + b.Reshape at)

                let struct (y, m2, v2) = x.BatchNormTrain(mean, var, w, b, momentum = 0.25)
                close "training output" 0.0 0.0 y (x.BatchNorm(mean, var, w, b, training = true))
                // the update by a loop over each channel's 20 values: the mean, and the variance divided by 19
                let xa = x.ToArray()

                for c in 0..2 do
                    let vals =
                        [|
                            for n in 0..3 do
                                for l in 0..4 -> xa[(n * 3 + c) * 5 + l]
                        |]

                    let mu = Array.average vals
                    let unbiased = (vals |> Array.sumBy (fun v -> (v - mu) ** 2.0)) / 19.0
                    closeNum $"running mean {c}" 1e-14 1e-15 (m2.ToArray()[c]) (0.75 * mean.ToArray()[c] + 0.25 * mu)

                    closeNum
                        $"running var {c}"
                        1e-14
                        1e-15
                        (v2.ToArray()[c])
                        (0.75 * var.ToArray()[c] + 0.25 * unbiased)
            }

            test "under vmap, batch norm's statistics are each mapped example's own" {
                let r = rng ()
                let xs = randn r [| 3; 4; 2 |] // three examples of [N = 4, C = 2]

                let mapped =
                    Autodiff.Vmap((fun (x: Tensor) -> x.BatchNorm(null, null, training = true)), xs)

                for i in 0..2 do
                    close $"example {i}" 1e-14 1e-14 (mapped[i]) (composedBatch 1e-5 (xs[i]))
            }

            test "conventions: a constant row gives 0 with eps > 0 and NaN with eps = 0, as PyTorch" {
                let x = Tensor.FromArray([| 2.0; 2.0; 2.0 |])
                equalValues "eps 1e-5" (x.LayerNorm [| 3 |]) [| 0.0; 0.0; 0.0 |]
                Expect.isTrue (x.LayerNorm([| 3 |], eps = 0.0).ToArray() |> Array.forall Double.IsNaN) "eps 0: 0·inf"

                let g =
                    (reverse (fun xs -> xs.Head.LayerNorm [| 3 |]) [ x ] (Tensor.FromArray [| 1.0; 2.0; 4.0 |])).Head

                Expect.isTrue (g.ToArray() |> Array.forall Double.IsFinite) "the gradient at a constant row is finite"
                equalValues "an empty input" (((Tensor.Zeros [| 0; 3 |]).LayerNorm [| 3 |]).Flatten()) [||]
            }

            test "errors name the op, the shapes and what to do" {
                let x = Tensor.Zeros [| 2; 3; 4 |]
                let msg (e: exn) = e.Message

                let e =
                    raises<ShapeMismatchException> "trailing shape" (fun () -> x.LayerNorm [| 3 |] |> ignore)

                Expect.stringContains (msg e) "LayerNorm: normalizedShape [3]" "names the shape"

                raises<ArgumentException> "empty shape" (fun () -> x.LayerNorm [||] |> ignore)
                |> ignore

                raises<ShapeMismatchException> "weight" (fun () -> x.LayerNorm([| 4 |], Tensor.Ones [| 3 |]) |> ignore)
                |> ignore

                raises<DTypeMismatchException> "bias dtype" (fun () ->
                    x.LayerNorm([| 4 |], bias = Tensor.Ones([| 4 |], DType.Float32)) |> ignore)
                |> ignore

                raises<ArgumentOutOfRangeException> "eps" (fun () -> x.LayerNorm([| 4 |], eps = -1.0) |> ignore)
                |> ignore

                raises<DTypeMismatchException> "integers" (fun () ->
                    Tensor.FromArray([| 1L; 2L |]).LayerNorm [| 2 |] |> ignore)
                |> ignore

                let e = raises<ArgumentException> "groups" (fun () -> x.GroupNorm 2 |> ignore)
                Expect.stringContains (msg e) "2 groups for 3 channels" "names the groups"

                raises<RankException> "instance rank" (fun () -> (Tensor.Zeros [| 2; 3 |]).InstanceNorm() |> ignore)
                |> ignore

                raises<ArgumentException> "one spatial" (fun () ->
                    (Tensor.Zeros [| 2; 3; 1 |]).InstanceNorm() |> ignore)
                |> ignore

                raises<ArgumentException> "one value per channel" (fun () ->
                    (Tensor.Zeros [| 1; 3 |]).BatchNorm(null, null, training = true) |> ignore)
                |> ignore

                raises<ArgumentException> "one running statistic" (fun () ->
                    (Tensor.Zeros [| 2; 3 |]).BatchNorm(Tensor.Zeros [| 3 |], null) |> ignore)
                |> ignore

                raises<ArgumentOutOfRangeException> "momentum" (fun () ->
                    (Tensor.Zeros [| 2; 3 |]).BatchNormTrain(Tensor.Zeros [| 3 |], Tensor.Ones [| 3 |], momentum = 2.0)
                    |> ignore)
                |> ignore
            }

            test "the F# functions apply the C# methods" {
                let r = rng ()
                let x = randn r [| 4; 3; 2 |]
                let w, b = randn r [| 3 |], randn r [| 3 |]

                let opts =
                    { NormOptions.defaults with
                        Weight = Some w
                        Bias = Some b
                    }

                bitwise "layerNorm" (x.LayerNorm [| 3; 2 |]) (Tensor.layerNorm [| 3; 2 |] x)

                bitwise
                    "rmsNormWith"
                    (x.RmsNorm([| 2 |], eps = Nullable 0.5))
                    (Tensor.rmsNormWith
                        { RmsNormOptions.defaults with
                            Eps = Some 0.5
                        }
                        [| 2 |]
                        x)

                bitwise "groupNormWith" (x.GroupNorm(3, w, b)) (Tensor.groupNormWith opts 3 x)
                bitwise "instanceNormWith" (x.InstanceNorm(w, b)) (Tensor.instanceNormWith opts x)
                bitwise "batchNorm" (x.BatchNorm(null, null, training = true)) (Tensor.batchNorm x)
                let y, m, v = Tensor.batchNormTrain (Tensor.zeros [| 3 |]) (Tensor.ones [| 3 |]) x

                let struct (y2, m2, v2) =
                    x.BatchNormTrain(Tensor.Zeros [| 3 |], Tensor.Ones [| 3 |])

                bitwise "batchNormTrain" y2 y
                bitwise "running mean" m2 m
                bitwise "running var" v2 v
                bitwise "batchNormEval" (x.BatchNorm(m, v)) (Tensor.batchNormEval m v x)
            }
        ]
