/// The poolings of Ops/Pooling.cs against the plain definitions written here as loops over .NET arrays: each output's
/// window listed tap by tap (PyTorch's output-size formula, −inf or zero padding, dilation, ceil mode, the average's
/// divisor, the adaptive windows), at both dtypes; their gradients against the same loops scattering the cotangent;
/// the conventions at ties and NaN; the errors. Finite differences, vmap and compile are the pooling rows of OpSpec.fs.
module Conv.PoolingTests

open System
open Expecto
open FuncGrad
open Support.Check

/// One spatial axis of the definition: the number of outputs, the input positions each output reads (in order, inside
/// the input) and the average's divisor along this axis.
type private Win =
    {
        Out: int
        Taps: int -> int list
        Div: int -> int
    }

/// Sliding windows as PyTorch defines them: ⌊(n + 2p − d(k − 1) − 1) / s⌋ + 1 outputs (⌈⌉ in ceil mode, less a last
/// window that would start past the input and its left padding); the divisor counts the window clipped to the padded
/// input, or to the input alone.
let private sliding n k s p dl ceil countPad =
    let room = n + 2 * p - dl * (k - 1) - 1
    let o = (if ceil then (room + s - 1) / s else room / s) + 1
    let out = if ceil && (o - 1) * s >= n + p then o - 1 else o

    {
        Out = out
        Taps =
            fun o ->
                [
                    for j in 0 .. k - 1 do
                        let i = o * s - p + j * dl

                        if i >= 0 && i < n then
                            i
                ]
        Div =
            fun o ->
                let start = o * s - p
                let stop = min (start + k) (n + p)
                if countPad then stop - start else min stop n - max start 0
    }

/// Output o of m over n positions reads ⌊o·n/m⌋ … ⌈(o+1)·n/m⌉ − 1.
let private adaptive n m =
    let taps o =
        [ o * n / m .. ((o + 1) * n + m - 1) / m - 1 ]

    {
        Out = m
        Taps = taps
        Div = fun o -> List.length (taps o)
    }

/// The axis a 1-d or 2-d pooling does not have.
let private single =
    {
        Out = 1
        Taps = fun _ -> [ 0 ]
        Div = fun _ -> 1
    }

/// The input as planes: leading axes multiplied, the spatial axes padded in front with ones to three.
let private planes (shape: int[]) dims =
    let lead = Array.fold (*) 1 shape[.. shape.Length - dims - 1]
    let spatial = Array.append (Array.create (3 - dims) 1) shape[shape.Length - dims ..]
    lead, spatial

/// Every output of every plane with the flat positions (in its plane) of its window, depth, then height, then width.
let private windows (shape: int[]) dims (w: Win[]) =
    let p, s = planes shape dims

    [|
        for plane in 0 .. p - 1 do
            for od in 0 .. w[0].Out - 1 do
                for oh in 0 .. w[1].Out - 1 do
                    for ow in 0 .. w[2].Out - 1 do
                        let taps =
                            [
                                for d in w[0].Taps od do
                                    for h in w[1].Taps oh do
                                        for x in w[2].Taps ow -> (d * s[1] + h) * s[2] + x
                            ]

                        plane, taps, w[0].Div od * w[1].Div oh * w[2].Div ow
    |]

let private outShape (shape: int[]) dims (w: Win[]) =
    Array.append shape[.. shape.Length - dims - 1] (w[3 - dims ..] |> Array.map _.Out)

/// Max-pooling by definition: the first maximum in window order, a NaN taking over; the values and the indices.
let private maxByLoop (x: float[]) (shape: int[]) dims (w: Win[]) =
    let _, s = planes shape dims
    let plane = s[0] * s[1] * s[2]

    windows shape dims w
    |> Array.map (fun (p, taps, _) ->
        let mutable best = Double.NegativeInfinity
        let mutable at = List.head taps

        for i in taps do
            let v = x[p * plane + i]

            if v > best || Double.IsNaN v then
                best <- v
                at <- i

        best, int64 at)
    |> Array.unzip

/// Average pooling by definition: the window's sum over its divisor (or the override).
let private avgByLoop (x: float[]) (shape: int[]) dims (w: Win[]) (divisor: int option) =
    let _, s = planes shape dims
    let plane = s[0] * s[1] * s[2]

    windows shape dims w
    |> Array.map (fun (p, taps, div) ->
        let sum = taps |> List.sumBy (fun i -> x[p * plane + i])
        sum / float (defaultArg divisor div))

/// The gradient of sum(g · pool(x)) by definition: each output's cotangent added at its maximum, or spread over its
/// window over its divisor.
let private scatterByLoop (shape: int[]) dims (w: Win[]) (g: float[]) (to': int -> int list -> int -> float -> unit) =
    windows shape dims w
    |> Array.iteri (fun o (p, taps, div) -> to' p taps div g[o])

let private randomValues (rng: Random) n =
    // distinct values in [−2, 2) (a shuffled ramp), exact in float32 too, so maxima are unique and both dtypes pick the
    // same element
    let ramp = Array.init n (fun i -> 4.0 * float i / float n - 2.0)
    rng.Shuffle ramp
    ramp

/// A pooling case: its name, dims, input shape, the windows of the definition and the library call.
type private Case =
    {
        Name: string
        Dims: int
        Shape: int[]
        Wins: Win[]
        Max: (Tensor -> Tensor) option
        Indices: (Tensor -> struct (Tensor * Tensor)) option
        Avg: (Tensor -> Tensor) option
        Divisor: int option
    }

/// The windows of a sliding pooling on an input shape: kernel, stride, padding, dilation per spatial axis.
let private slidingWins (shape: int[]) dims (k: int[]) (s: int[]) (p: int[]) (d: int[]) ceil countPad =
    let n = shape[shape.Length - dims ..]

    Array.append
        (Array.create (3 - dims) single)
        (Array.init dims (fun a -> sliding n[a] k[a] s[a] p[a] d[a] ceil countPad))

let private adaptiveWins (shape: int[]) dims (m: int[]) =
    let n = shape[shape.Length - dims ..]
    Array.append (Array.create (3 - dims) single) (Array.init dims (fun a -> adaptive n[a] m[a]))

let private maxCase name dims shape k s p d ceil f g =
    {
        Name = name
        Dims = dims
        Shape = shape
        Wins = slidingWins shape dims k s p d ceil true
        Max = Some f
        Indices = Some g
        Avg = None
        Divisor = None
    }

let private avgCase name dims shape k s p ceil countPad divisor f =
    {
        Name = name
        Dims = dims
        Shape = shape
        Wins = slidingWins shape dims k s p (Array.create dims 1) ceil countPad
        Max = None
        Indices = None
        Avg = Some f
        Divisor = divisor
    }

let private show (a: int[]) = "[" + String.Join(", ", a) + "]"

let private cases =
    [
        maxCase
            "maxPool2d k2"
            2
            [| 2; 3; 6; 7 |]
            [| 2; 2 |]
            [| 2; 2 |]
            [| 0; 0 |]
            [| 1; 1 |]
            false
            (fun x -> x.MaxPool2d([| 2 |]))
            (fun x -> x.MaxPool2dWithIndices([| 2 |]))
        maxCase
            "maxPool2d k3 s2 p1"
            2
            [| 1; 2; 7; 6 |]
            [| 3; 3 |]
            [| 2; 2 |]
            [| 1; 1 |]
            [| 1; 1 |]
            false
            (fun x -> x.MaxPool2d([| 3 |], [| 2 |], [| 1 |]))
            (fun x -> x.MaxPool2dWithIndices([| 3 |], [| 2 |], [| 1 |]))
        maxCase
            "maxPool2d per axis, dilation, ceil"
            2
            [| 2; 1; 7; 8 |]
            [| 2; 3 |]
            [| 1; 2 |]
            [| 1; 0 |]
            [| 2; 1 |]
            true
            (fun x -> x.MaxPool2d([| 2; 3 |], [| 1; 2 |], [| 1; 0 |], [| 2; 1 |], true))
            (fun x -> x.MaxPool2dWithIndices([| 2; 3 |], [| 1; 2 |], [| 1; 0 |], [| 2; 1 |], true))
        maxCase
            "maxPool2d unbatched, ceil"
            2
            [| 3; 5; 5 |]
            [| 3; 3 |]
            [| 2; 2 |]
            [| 1; 1 |]
            [| 1; 1 |]
            true
            (fun x -> x.MaxPool2d([| 3 |], [| 2 |], [| 1 |], ceilMode = true))
            (fun x -> x.MaxPool2dWithIndices([| 3 |], [| 2 |], [| 1 |], ceilMode = true))
        maxCase
            "maxPool2d kernel larger than the input, padded"
            2
            [| 1; 2; 2; 3 |]
            [| 4; 4 |]
            [| 1; 1 |]
            [| 2; 2 |]
            [| 1; 1 |]
            false
            (fun x -> x.MaxPool2d([| 4 |], [| 1 |], [| 2 |]))
            (fun x -> x.MaxPool2dWithIndices([| 4 |], [| 1 |], [| 2 |]))
        maxCase
            "maxPool1d k3 s2 p1 d2"
            1
            [| 2; 3; 9 |]
            [| 3 |]
            [| 2 |]
            [| 1 |]
            [| 2 |]
            false
            (fun x -> x.MaxPool1d([| 3 |], [| 2 |], [| 1 |], [| 2 |]))
            (fun x -> x.MaxPool1dWithIndices([| 3 |], [| 2 |], [| 1 |], [| 2 |]))
        maxCase
            "maxPool1d unbatched ceil"
            1
            [| 3; 10 |]
            [| 4 |]
            [| 4 |]
            [| 0 |]
            [| 1 |]
            true
            (fun x -> x.MaxPool1d([| 4 |], ceilMode = true))
            (fun x -> x.MaxPool1dWithIndices([| 4 |], ceilMode = true))
        maxCase
            "maxPool3d per axis"
            3
            [| 1; 2; 4; 5; 6 |]
            [| 2; 3; 2 |]
            [| 2; 1; 2 |]
            [| 1; 1; 0 |]
            [| 1; 1; 1 |]
            false
            (fun x -> x.MaxPool3d([| 2; 3; 2 |], [| 2; 1; 2 |], [| 1; 1; 0 |]))
            (fun x -> x.MaxPool3dWithIndices([| 2; 3; 2 |], [| 2; 1; 2 |], [| 1; 1; 0 |]))
        maxCase
            "maxPool3d dilation ceil"
            3
            [| 2; 5; 6; 5 |]
            [| 2; 2; 2 |]
            [| 2; 2; 2 |]
            [| 1; 0; 1 |]
            [| 2; 1; 2 |]
            true
            (fun x -> x.MaxPool3d([| 2 |], [| 2 |], [| 1; 0; 1 |], [| 2; 1; 2 |], true))
            (fun x -> x.MaxPool3dWithIndices([| 2 |], [| 2 |], [| 1; 0; 1 |], [| 2; 1; 2 |], true))
        // large enough for the kernels' parallel path
        maxCase
            "maxPool2d parallel"
            2
            [| 4; 16; 32; 32 |]
            [| 3; 3 |]
            [| 1; 1 |]
            [| 1; 1 |]
            [| 1; 1 |]
            false
            (fun x -> x.MaxPool2d([| 3 |], [| 1 |], [| 1 |]))
            (fun x -> x.MaxPool2dWithIndices([| 3 |], [| 1 |], [| 1 |]))
        avgCase "avgPool2d k2" 2 [| 2; 3; 6; 7 |] [| 2; 2 |] [| 2; 2 |] [| 0; 0 |] false true None (fun x ->
            x.AvgPool2d([| 2 |]))
        avgCase "avgPool2d k3 s2 p1" 2 [| 1; 2; 7; 6 |] [| 3; 3 |] [| 2; 2 |] [| 1; 1 |] false true None (fun x ->
            x.AvgPool2d([| 3 |], [| 2 |], [| 1 |]))
        avgCase
            "avgPool2d without padding counted, ceil"
            2
            [| 2; 1; 7; 8 |]
            [| 3; 2 |]
            [| 2; 3 |]
            [| 1; 1 |]
            true
            false
            None
            (fun x -> x.AvgPool2d([| 3; 2 |], [| 2; 3 |], [| 1 |], true, false))
        avgCase
            "avgPool2d ceil, padding counted"
            2
            [| 3; 5; 5 |]
            [| 3; 3 |]
            [| 2; 2 |]
            [| 1; 1 |]
            true
            true
            None
            (fun x -> x.AvgPool2d([| 3 |], [| 2 |], [| 1 |], ceilMode = true))
        avgCase
            "avgPool2d divisor override"
            2
            [| 1; 2; 5; 5 |]
            [| 3; 3 |]
            [| 2; 2 |]
            [| 1; 1 |]
            false
            true
            (Some 5)
            (fun x -> x.AvgPool2d([| 3 |], [| 2 |], [| 1 |], divisorOverride = 5))
        avgCase "avgPool1d k3 s2 p1" 1 [| 2; 3; 9 |] [| 3 |] [| 2 |] [| 1 |] false false None (fun x ->
            x.AvgPool1d([| 3 |], [| 2 |], [| 1 |], countIncludePad = false))
        avgCase "avgPool1d unbatched ceil" 1 [| 3; 10 |] [| 4 |] [| 3 |] [| 2 |] true true None (fun x ->
            x.AvgPool1d([| 4 |], [| 3 |], [| 2 |], true))
        avgCase
            "avgPool3d per axis"
            3
            [| 1; 2; 4; 5; 6 |]
            [| 2; 3; 2 |]
            [| 2; 1; 2 |]
            [| 1; 1; 0 |]
            true
            false
            None
            (fun x -> x.AvgPool3d([| 2; 3; 2 |], [| 2; 1; 2 |], [| 1; 1; 0 |], true, false))
        avgCase "avgPool2d parallel" 2 [| 4; 16; 32; 32 |] [| 3; 3 |] [| 1; 1 |] [| 1; 1 |] false true None (fun x ->
            x.AvgPool2d([| 3 |], [| 1 |], [| 1 |]))
        for dims, shape, m in
            [
                1, [| 2; 3; 7 |], [| 3 |]
                1, [| 3; 4 |], [| 7 |]
                2, [| 2; 2; 7; 5 |], [| 3; 5 |]
                2, [| 3; 6; 6 |], [| 4; 4 |]
                3, [| 1; 2; 5; 6; 4 |], [| 2; 4; 3 |]
            ] do
            let wins = adaptiveWins shape dims m

            let maxOf (x: Tensor) =
                match dims with
                | 1 -> x.AdaptiveMaxPool1dWithIndices m
                | _ -> x.AdaptiveMaxPool2dWithIndices m

            if dims < 3 then
                {
                    Name = $"adaptiveMaxPool{dims}d {show shape} to {show m}"
                    Dims = dims
                    Shape = shape
                    Wins = wins
                    Max =
                        Some(fun x ->
                            if dims = 1 then
                                x.AdaptiveMaxPool1d m
                            else
                                x.AdaptiveMaxPool2d m)
                    Indices = Some maxOf
                    Avg = None
                    Divisor = None
                }

            {
                Name = $"adaptiveAvgPool{dims}d {show shape} to {show m}"
                Dims = dims
                Shape = shape
                Wins = wins
                Max = None
                Indices = None
                Avg =
                    Some(fun x ->
                        match dims with
                        | 1 -> x.AdaptiveAvgPool1d m
                        | 2 -> x.AdaptiveAvgPool2d m
                        | _ -> x.AdaptiveAvgPool3d m)
                Divisor = None
            }
    ]

let private cotangentOf (rng: Random) (y: Tensor) =
    Tensor.FromArray(Array.init y.Count (fun _ -> Math.Round(rng.NextDouble() * 2.0 - 1.0, 3)), shapeOf y)

let private valueTests =
    [
        for c in cases do
            test $"{c.Name}: values, indices and gradient as the definition, float64 and float32" {
                let rng = Random 11
                let n = Array.fold (*) 1 c.Shape
                let v = randomValues rng n
                let x = Tensor.FromArray(v, c.Shape)
                let x32 = x.ToDType DType.Float32
                let v32 = x32.ToFloatArray() |> Array.map float
                let shape = outShape c.Shape c.Dims c.Wins
                let p, s = planes c.Shape c.Dims
                let plane = s[0] * s[1] * s[2]

                // f's VJP at x (float64) and x32 (float32) against the gradient the loop gives
                let gradients (f: Tensor -> Tensor) (g: Tensor) (expected: float[]) =
                    let dx = reverse (List.exactlyOne >> f) [ x ] g |> List.exactlyOne
                    close "float64 gradient" 1e-12 1e-12 dx (Tensor.FromArray(expected, c.Shape))

                    let dx32 =
                        reverse (List.exactlyOne >> f) [ x32 ] (g.ToDType DType.Float32)
                        |> List.exactlyOne

                    close
                        "float32 gradient"
                        1e-5
                        1e-5
                        (dx32.ToDType DType.Float64)
                        (Tensor.FromArray(expected, c.Shape))

                match c.Max, c.Indices with
                | Some f, Some fi ->
                    let values, at = maxByLoop v c.Shape c.Dims c.Wins
                    let y = f x
                    Expect.sequenceEqual (shapeOf y) shape "shape"
                    equalValues "float64 values" y values
                    let struct (yi, idx) = fi x
                    equalValues "values with indices" yi values
                    Expect.equal idx.DType DType.Int64 "indices are int64"
                    Expect.sequenceEqual (shapeOf idx) shape "indices' shape"
                    Expect.sequenceEqual (idx.ToInt64Array()) at "indices"
                    let values32, at32 = maxByLoop v32 c.Shape c.Dims c.Wins
                    let y32 = f x32
                    Expect.equal y32.DType DType.Float32 "float32 stays float32"
                    Expect.sequenceEqual (y32.ToFloatArray() |> Array.map float) values32 "float32 values"
                    let struct (_, idx32) = fi x32
                    Expect.sequenceEqual (idx32.ToInt64Array()) at32 "float32 indices"
                    // the gradient: each cotangent added at its window's maximum
                    let g = cotangentOf rng y
                    let expected = Array.zeroCreate n
                    let ga = g.ToArray()

                    windows c.Shape c.Dims c.Wins
                    |> Array.iteri (fun o (q, _, _) ->
                        expected[q * plane + int at[o]] <- expected[q * plane + int at[o]] + ga[o])

                    gradients f g expected
                    // the tangent: the input's tangent at each maximum
                    let t = cotangentOf rng x
                    let ta = t.ToArray()

                    let tangent =
                        windows c.Shape c.Dims c.Wins
                        |> Array.mapi (fun o (q, _, _) -> ta[q * plane + int at[o]])

                    equalValues "tangent" (forward (List.exactlyOne >> f) [ x ] [ t ]) tangent
                | _ -> ()

                match c.Avg with
                | Some f ->
                    let y = f x
                    Expect.sequenceEqual (shapeOf y) shape "shape"

                    close
                        "float64 values"
                        1e-12
                        1e-12
                        y
                        (Tensor.FromArray(avgByLoop v c.Shape c.Dims c.Wins c.Divisor, shape))

                    let y32 = f x32
                    Expect.equal y32.DType DType.Float32 "float32 stays float32"

                    close
                        "float32 values"
                        1e-5
                        1e-5
                        (y32.ToDType DType.Float64)
                        (Tensor.FromArray(avgByLoop v32 c.Shape c.Dims c.Wins c.Divisor, shape))

                    let g = cotangentOf rng y
                    let expected = Array.zeroCreate n

                    scatterByLoop c.Shape c.Dims c.Wins (g.ToArray()) (fun q taps div gv ->
                        for i in taps do
                            expected[q * plane + i] <- expected[q * plane + i] + gv / float (defaultArg c.Divisor div))

                    gradients f g expected
                | None -> ()

                ignore p
            }
    ]

/// The conventions of docs/conventions.md, "Convolution and pooling", pinned.
let private conventionTests =
    [
        test "maxPool: at a tie the first maximum in window order gets the gradient" {
            let x = Tensor.FromArray([| 2.0; 2.0; 2.0; 2.0 |], [| 1; 1; 2; 2 |])
            let struct (_, idx) = x.MaxPool2dWithIndices([| 2 |])
            Expect.sequenceEqual (idx.ToInt64Array()) [| 0L |] "the first of four equal elements"
            let dx = Autodiff.Grad((fun (t: Tensor) -> t.MaxPool2d([| 2 |]).Sum()), x)
            equalValues "gradient to the first" dx [| 1.0; 0.0; 0.0; 0.0 |]
            // overlapping windows sharing a maximum each send their cotangent to it
            let y = Tensor.FromArray([| 1.0; 5.0; 5.0; 0.0 |], [| 1; 4 |])
            let dy = Autodiff.Grad((fun (t: Tensor) -> t.MaxPool1d([| 2 |], [| 1 |]).Sum()), y)
            equalValues "ties across windows" dy [| 0.0; 2.0; 1.0; 0.0 |]
        }
        test "maxPool: NaN propagates, the last NaN of a window is its index" {
            let x = Tensor.FromArray([| 1.0; nan; 3.0; nan; 0.0; 1.0 |], [| 1; 6 |])
            let struct (v, idx) = x.MaxPool1dWithIndices([| 4 |], [| 4 |], ceilMode = true)
            Expect.isTrue (Double.IsNaN(v.ToArray()[0])) "NaN propagates"

            Expect.sequenceEqual
                (idx.ToInt64Array())
                [| 3L; 5L |]
                "the last NaN; then the maximum of the partial window"
        }
        test "maxPool: padding is −inf, so a window never picks it; a window of −inf reports its first element" {
            let x = Tensor.FromArray([| -5.0; -6.0; -7.0 |], [| 1; 3 |])
            let struct (v, idx) = x.MaxPool1dWithIndices([| 3 |], [| 1 |], [| 1 |])
            equalValues "values" v [| -5.0; -5.0; -6.0 |]
            Expect.sequenceEqual (idx.ToInt64Array()) [| 0L; 0L; 1L |] "indices"
            let inf = Tensor.FromArray([| -infinity; -infinity |], [| 1; 2 |])
            let struct (vi, ii) = inf.MaxPool1dWithIndices([| 3 |], [| 1 |], [| 1 |])
            equalValues "−inf" vi [| -infinity; -infinity |]
            Expect.sequenceEqual (ii.ToInt64Array()) [| 0L; 0L |] "the first element inside the input"
        }
        test "avgPool: padding counts in the divisor unless countIncludePad is false; ceil mode's overhang never does" {
            let x = Tensor.FromArray([| 1.0; 2.0; 3.0; 4.0; 5.0 |], [| 1; 5 |])
            equalValues "padding counted" (x.AvgPool1d([| 2 |], [| 2 |], [| 1 |])) [| 0.5; 2.5; 4.5 |]

            equalValues
                "only the input counted"
                (x.AvgPool1d([| 2 |], [| 2 |], [| 1 |], countIncludePad = false))
                [| 1.0; 2.5; 4.5 |]

            // ceil mode: the last window [4, 6) reads 5 alone and counts 1 (its overhang beyond the input is not
            // padding)
            equalValues "ceil mode" (x.AvgPool1d([| 2 |], ceilMode = true)) [| 1.5; 3.5; 5.0 |]
        }
    ]

/// Each output (and each input element of an average's gradient) is computed by one thread in one order: a plane's
/// bits are the same pooled within a large batch, split over the workers, as pooled alone, on the calling thread.
let private determinismTests =
    [
        test "pooling: a plane's bits do not depend on the batch around it or the split over threads" {
            let x =
                Tensor.FromArray(randomValues (Random 5) (8 * 16 * 24 * 24), [| 8; 16; 24; 24 |])

            let one = x.[3..3]

            let pools: (string * (Tensor -> Tensor)) list =
                [
                    "maxPool2d", (fun t -> t.MaxPool2d([| 3 |], [| 2 |], [| 1 |]))
                    "avgPool2d", (fun t -> t.AvgPool2d([| 3 |], [| 2 |], [| 1 |], countIncludePad = false))
                    "adaptiveAvgPool2d", (fun t -> t.AdaptiveAvgPool2d([| 7 |]))
                ]

            for name, f in pools do
                bitwise $"{name} value" (f one) ((f x).[3..3])
                let g = Autodiff.Grad((fun (t: Tensor) -> (f t).Square().Sum()), x)
                let g1 = Autodiff.Grad((fun (t: Tensor) -> (f t).Square().Sum()), one)
                bitwise $"{name} gradient" g1 g.[3..3]
        }
    ]

let private errorTests =
    [
        test "pooling errors name the op, the shapes and the rule" {
            let x = Tensor.Zeros [| 1; 1; 4; 4 |]

            let e =
                raises<RankException> "rank" (fun () -> Tensor.Zeros([| 4; 4 |]).MaxPool2d([| 2 |]) |> ignore)

            Expect.stringContains e.Message "maxPool2d" "names the op"
            Expect.stringContains e.Message "[N, C, H, W] (rank 4) or [C, H, W] (rank 3)" "says the layouts"

            let e =
                raises<DTypeMismatchException> "dtype" (fun () -> x.ToDType(DType.Int64).AvgPool2d([| 2 |]) |> ignore)

            Expect.stringContains e.Message "avgPool2d" "names the op"

            let e =
                raises<ArgumentException> "lengths" (fun () -> x.MaxPool2d([| 2; 2; 2 |]) |> ignore)

            Expect.stringContains e.Message "kernelSize has 3 values ([2, 2, 2]) for 2 spatial axes" "says the length"

            let e =
                raises<ArgumentOutOfRangeException> "half the kernel" (fun () ->
                    x.MaxPool2d([| 2 |], padding = [| 2 |]) |> ignore)

            Expect.stringContains e.Message "more than half the kernel" "says the rule"

            let e =
                raises<ShapeMismatchException> "too small" (fun () -> x.AvgPool2d([| 5 |]) |> ignore)

            Expect.stringContains e.Message "avgPool2d: spatial axis 0 has 4 elements" "names the op and the axis"

            raises<ArgumentOutOfRangeException> "stride 0" (fun () -> x.MaxPool2d([| 2 |], [| 0 |]) |> ignore)
            |> ignore

            raises<ArgumentOutOfRangeException> "divisor 0" (fun () ->
                x.AvgPool2d([| 2 |], divisorOverride = 0) |> ignore)
            |> ignore

            let e =
                raises<ArgumentOutOfRangeException> "padding only" (fun () ->
                    Tensor.Zeros([| 1; 2 |]).MaxPool1d([| 2 |], [| 1 |], [| 1 |], [| 3 |]) |> ignore)

            Expect.stringContains e.Message "holds padding only" "says the rule"

            raises<ArgumentOutOfRangeException> "adaptive 0" (fun () -> x.AdaptiveAvgPool2d([| 0 |]) |> ignore)
            |> ignore

            raises<RankException> "adaptive rank" (fun () -> x.AdaptiveMaxPool1d([| 2 |]) |> ignore)
            |> ignore
        }
    ]

let private fsharpTests =
    [
        test "F#: the Tensor module's poolings call the core's" {
            let x = Tensor.FromArray(randomValues (Random 3) 48, [| 1; 3; 4; 4 |])
            bitwise "maxPool2d" (x.MaxPool2d([| 2 |])) (Tensor.maxPool2d [| 2 |] x)

            bitwise
                "maxPool2dWith"
                (x.MaxPool2d([| 3 |], [| 1 |], [| 1 |], ceilMode = true))
                (Tensor.maxPool2dWith
                    { MaxPoolOptions.defaults with
                        Stride = [| 1 |]
                        Padding = [| 1 |]
                        CeilMode = true
                    }
                    [| 3 |]
                    x)

            let v, i = Tensor.maxPool2dWithIndices [| 2 |] x
            let struct (cv, ci) = x.MaxPool2dWithIndices([| 2 |])
            bitwise "maxPool2dWithIndices values" cv v
            Expect.sequenceEqual (i.ToInt64Array()) (ci.ToInt64Array()) "maxPool2dWithIndices indices"

            bitwise
                "avgPool2dWith"
                (x.AvgPool2d([| 3 |], [| 2 |], [| 1 |], false, false, 2))
                (Tensor.avgPool2dWith
                    { AvgPoolOptions.defaults with
                        Stride = [| 2 |]
                        Padding = [| 1 |]
                        CountIncludePad = false
                        DivisorOverride = Some 2
                    }
                    [| 3 |]
                    x)

            bitwise "adaptiveAvgPool2d" (x.AdaptiveAvgPool2d([| 3 |])) (Tensor.adaptiveAvgPool2d [| 3 |] x)
            bitwise "adaptiveMaxPool1d" (x.[0].AdaptiveMaxPool1d([| 3 |])) (Tensor.adaptiveMaxPool1d [| 3 |] x.[0])
        }
    ]

[<Tests>]
let poolingTests =
    testList "pooling" (valueTests @ conventionTests @ determinismTests @ errorTests @ fsharpTests)
