/// The convolutions of Ops/Convolution.cs against the definition written here as plain loops over .NET arrays: conv and
/// conv_transpose at 1 to 3 spatial axes with stride, padding (numbers, "same", "valid"), dilation, groups (depthwise
/// too), output padding and bias, in float64 and float32; sizes that cross the kernels' tiles and thread split; the
/// weight gradient against its own loop; per-example gradients by vmap against a loop; and every error. Finite
/// differences of the rules (orders 1 and 2), vmap and compile are the rows of convSpecs in OpSpec.fs.
module Conv.ConvolutionTests

open System
open Expecto
open FuncGrad
open Support.Check

/// One case: spatial sizes, kernel, stride, padding (before and after each axis), dilation, groups, channels.
type private Case =
    {
        N: int
        CIn: int
        COut: int
        Size: int[]
        Kernel: int[]
        Stride: int[]
        Dilation: int[]
        Groups: int
    }

/// Three axes from one to three, missing leading ones of size 1 (the form the loops below read).
let private three (fill: int) (a: int[]) =
    Array.append (Array.create (3 - a.Length) fill) a

let private count (a: int[]) = Array.fold (*) 1 a

/// y[n, g·cog + co, o] = Σ_(ci, k) w[g·cog + co, ci, k] · x[n, g·cig + ci, o·s + k·d − lo], zero outside: the
/// definition of conv (cross-correlation), every index spelled out.
let private convLoop (c: Case) (lo: int[]) (outSize: int[]) (x: float[]) (w: float[]) =
    let size, k, s, d, lo, o =
        three 1 c.Size, three 1 c.Kernel, three 1 c.Stride, three 1 c.Dilation, three 0 lo, three 1 outSize

    let cig, cog = c.CIn / c.Groups, c.COut / c.Groups
    let y = Array.zeroCreate (c.N * c.COut * count o)

    for n in 0 .. c.N - 1 do
        for g in 0 .. c.Groups - 1 do
            for co in 0 .. cog - 1 do
                for od in 0 .. o[0] - 1 do
                    for oh in 0 .. o[1] - 1 do
                        for ow in 0 .. o[2] - 1 do
                            let mutable acc = 0.0

                            for ci in 0 .. cig - 1 do
                                for kd in 0 .. k[0] - 1 do
                                    for kh in 0 .. k[1] - 1 do
                                        for kw in 0 .. k[2] - 1 do
                                            let id = od * s[0] + kd * d[0] - lo[0]
                                            let ih = oh * s[1] + kh * d[1] - lo[1]
                                            let iw = ow * s[2] + kw * d[2] - lo[2]

                                            if
                                                id >= 0
                                                && id < size[0]
                                                && ih >= 0
                                                && ih < size[1]
                                                && iw >= 0
                                                && iw < size[2]
                                            then
                                                let xi =
                                                    (((n * c.CIn + g * cig + ci) * size[0] + id) * size[1] + ih)
                                                    * size[2]
                                                    + iw

                                                let wi =
                                                    ((((g * cog + co) * cig + ci) * k[0] + kd) * k[1] + kh) * k[2] + kw

                                                acc <- acc + x[xi] * w[wi]

                            y[(((n * c.COut + g * cog + co) * o[0] + od) * o[1] + oh) * o[2] + ow] <- acc

    y

/// out[n, g·cog + co, j·s − p + k·d] += x[n, g·cig + ci, j] · w[g·cig + ci, co, k]: the definition of
/// conv_transpose (each input element spreads its weighted kernel), kept where the index is inside the output.
let private transposeLoop (c: Case) (p: int[]) (outSize: int[]) (x: float[]) (w: float[]) =
    let size, k, s, d, p, o =
        three 1 c.Size, three 1 c.Kernel, three 1 c.Stride, three 1 c.Dilation, three 0 p, three 1 outSize

    let cig, cog = c.CIn / c.Groups, c.COut / c.Groups
    let y = Array.zeroCreate (c.N * c.COut * count o)

    for n in 0 .. c.N - 1 do
        for g in 0 .. c.Groups - 1 do
            for ci in 0 .. cig - 1 do
                for jd in 0 .. size[0] - 1 do
                    for jh in 0 .. size[1] - 1 do
                        for jw in 0 .. size[2] - 1 do
                            let xv =
                                x[(((n * c.CIn + g * cig + ci) * size[0] + jd) * size[1] + jh) * size[2] + jw]

                            for co in 0 .. cog - 1 do
                                for kd in 0 .. k[0] - 1 do
                                    for kh in 0 .. k[1] - 1 do
                                        for kw in 0 .. k[2] - 1 do
                                            let od = jd * s[0] - p[0] + kd * d[0]
                                            let oh = jh * s[1] - p[1] + kh * d[1]
                                            let ow = jw * s[2] - p[2] + kw * d[2]

                                            if od >= 0 && od < o[0] && oh >= 0 && oh < o[1] && ow >= 0 && ow < o[2] then
                                                let wi =
                                                    ((((g * cig + ci) * cog + co) * k[0] + kd) * k[1] + kh) * k[2] + kw

                                                let yi =
                                                    (((n * c.COut + g * cog + co) * o[0] + od) * o[1] + oh) * o[2] + ow

                                                y[yi] <- y[yi] + xv * w[wi]

    y

let private convAt (axes: int) (x: Tensor) (w: Tensor) (stride: int[]) (padding: int[]) (dilation: int[]) groups =
    match axes with
    | 1 -> x.Conv1d(w, stride = stride, padding = padding, dilation = dilation, groups = groups)
    | 2 -> x.Conv2d(w, stride = stride, padding = padding, dilation = dilation, groups = groups)
    | _ -> x.Conv3d(w, stride = stride, padding = padding, dilation = dilation, groups = groups)

let private convSame (axes: int) (x: Tensor) (w: Tensor) (mode: string) (dilation: int[]) groups =
    match axes with
    | 1 -> x.Conv1d(w, mode, dilation = dilation, groups = groups)
    | 2 -> x.Conv2d(w, mode, dilation = dilation, groups = groups)
    | _ -> x.Conv3d(w, mode, dilation = dilation, groups = groups)

let private transposeAt (axes: int) (x: Tensor) (w: Tensor) stride padding outputPadding dilation groups =
    match axes with
    | 1 ->
        x.ConvTranspose1d(
            w,
            stride = stride,
            padding = padding,
            outputPadding = outputPadding,
            groups = groups,
            dilation = dilation
        )
    | 2 ->
        x.ConvTranspose2d(
            w,
            stride = stride,
            padding = padding,
            outputPadding = outputPadding,
            groups = groups,
            dilation = dilation
        )
    | _ ->
        x.ConvTranspose3d(
            w,
            stride = stride,
            padding = padding,
            outputPadding = outputPadding,
            groups = groups,
            dilation = dilation
        )

let private values (rng: Random) n =
    Array.init n (fun _ -> Math.Round(rng.NextDouble() * 2.0 - 1.0, 4))

/// Cases that reach every path: each axis count, strides, dilations, groups (depthwise among them), 1×1 kernels,
/// kernels larger than the input with padding, odd sizes.
let private cases =
    let c n cin cout size kernel stride dilation groups =
        {
            N = n
            CIn = cin
            COut = cout
            Size = size
            Kernel = kernel
            Stride = stride
            Dilation = dilation
            Groups = groups
        }

    [
        c 2 3 4 [| 7 |] [| 3 |] [| 1 |] [| 1 |] 1, [| 0 |]
        c 1 2 2 [| 9 |] [| 2 |] [| 3 |] [| 2 |] 2, [| 1 |]
        c 2 3 2 [| 5; 6 |] [| 3; 2 |] [| 1; 2 |] [| 1; 1 |] 1, [| 1; 0 |]
        c 1 4 4 [| 6; 5 |] [| 3; 3 |] [| 2; 1 |] [| 1; 2 |] 4, [| 2; 1 |]
        c 2 4 6 [| 5; 5 |] [| 1; 1 |] [| 2; 2 |] [| 1; 1 |] 2, [| 0; 0 |]
        c 1 2 3 [| 2; 3 |] [| 4; 4 |] [| 1; 1 |] [| 1; 1 |] 1, [| 2; 2 |]
        c 1 2 2 [| 4; 5; 3 |] [| 2; 3; 2 |] [| 1; 2; 1 |] [| 2; 1; 1 |] 1, [| 1; 1; 0 |]
        c 2 2 4 [| 3; 4; 4 |] [| 3; 1; 2 |] [| 2; 1; 1 |] [| 1; 1; 2 |] 2, [| 1; 0; 1 |]
    ]

let private outputs (c: Case) (lo: int[]) (hi: int[]) =
    Array.init c.Size.Length (fun i ->
        (c.Size[i] + lo[i] + hi[i] - c.Dilation[i] * (c.Kernel[i] - 1) - 1)
        / c.Stride[i]
        + 1)

let private closeArrays what (rtol: float) (actual: float[]) (expected: float[]) =
    Expect.equal actual.Length expected.Length $"{what}: length"

    for i in 0 .. actual.Length - 1 do
        if abs (actual[i] - expected[i]) > rtol * (1.0 + abs expected[i]) then
            failtestf "%s: element %d is %g, the loop gives %g" what i actual[i] expected[i]

/// Runs f on float64 and float32 tensors of the same values and checks both against the loop.
let private bothDTypes
    what
    (shapeX: int[])
    (x: float[])
    (shapeW: int[])
    (w: float[])
    (f: Tensor -> Tensor -> Tensor)
    (expected: float[])
    =
    let y = f (Tensor.FromArray(x, shapeX)) (Tensor.FromArray(w, shapeW))
    closeArrays $"{what} float64" 1e-12 (y.ToArray()) expected

    let y32 =
        f (Tensor.FromArray(Array.map float32 x, shapeX)) (Tensor.FromArray(Array.map float32 w, shapeW))

    Expect.equal y32.DType DType.Float32 $"{what}: float32 stays float32"
    closeArrays $"{what} float32" 2e-5 (y32.ToFloatArray() |> Array.map float) expected
    y

let private valueTests =
    testList
        "values"
        [
            test "conv1d, conv2d, conv3d: strides, padding, dilation, groups, 1×1 and large kernels, as the loop" {
                let rng = Random 11

                for c, pad in cases do
                    let axes = c.Size.Length
                    let shapeX = Array.append [| c.N; c.CIn |] c.Size
                    let shapeW = Array.append [| c.COut; c.CIn / c.Groups |] c.Kernel
                    let x, w = values rng (count shapeX), values rng (count shapeW)
                    let o = outputs c pad pad
                    let expected = convLoop c pad o x w

                    let y =
                        bothDTypes
                            $"conv{axes}d {c}"
                            shapeX
                            x
                            shapeW
                            w
                            (fun x w -> convAt axes x w c.Stride pad c.Dilation c.Groups)
                            expected

                    Expect.sequenceEqual (shapeOf y) (Array.append [| c.N; c.COut |] o) $"conv{axes}d {c}: shape"
            }

            test "conv: \"same\" pads d·(k − 1), the odd element after the input; \"valid\" pads nothing" {
                let rng = Random 12

                for c, _ in cases do
                    let c =
                        { c with
                            Stride = Array.create c.Size.Length 1
                        }

                    let axes = c.Size.Length
                    let shapeX = Array.append [| c.N; c.CIn |] c.Size
                    let shapeW = Array.append [| c.COut; c.CIn / c.Groups |] c.Kernel
                    let x, w = values rng (count shapeX), values rng (count shapeW)
                    let total = Array.init axes (fun i -> c.Dilation[i] * (c.Kernel[i] - 1))
                    let lo = total |> Array.map (fun t -> t / 2)

                    let same =
                        bothDTypes
                            $"same {c}"
                            shapeX
                            x
                            shapeW
                            w
                            (fun x w -> convSame axes x w "same" c.Dilation c.Groups)
                            (convLoop c lo c.Size x w)

                    Expect.sequenceEqual (shapeOf same).[2..] c.Size "same keeps the size"
                    let zero = Array.zeroCreate axes

                    if
                        Array.forall2
                            (fun s k -> s >= k)
                            c.Size
                            (Array.map2 (fun d k -> d * (k - 1) + 1) c.Dilation c.Kernel)
                    then
                        bothDTypes
                            $"valid {c}"
                            shapeX
                            x
                            shapeW
                            w
                            (fun x w -> convSame axes x w "valid" c.Dilation c.Groups)
                            (convLoop c zero (outputs c zero zero) x w)
                        |> ignore
            }

            test "convTranspose1d/2d/3d: strides, padding, output padding, dilation, groups, against the loop" {
                let rng = Random 13

                for c, pad in cases do
                    let axes = c.Size.Length
                    let shapeX = Array.append [| c.N; c.CIn |] c.Size
                    let shapeW = Array.append [| c.CIn; c.COut / c.Groups |] c.Kernel
                    let x, w = values rng (count shapeX), values rng (count shapeW)
                    let extra = Array.init axes (fun i -> (max c.Stride[i] c.Dilation[i]) - 1)

                    let o =
                        Array.init axes (fun i ->
                            (c.Size[i] - 1) * c.Stride[i] - 2 * pad[i]
                            + c.Dilation[i] * (c.Kernel[i] - 1)
                            + extra[i]
                            + 1)

                    if Array.forall (fun s -> s >= 1) o then
                        let expected = transposeLoop c pad o x w

                        let y =
                            bothDTypes
                                $"convTranspose{axes}d {c}"
                                shapeX
                                x
                                shapeW
                                w
                                (fun x w -> transposeAt axes x w c.Stride pad extra c.Dilation c.Groups)
                                expected

                        Expect.sequenceEqual
                            (shapeOf y)
                            (Array.append [| c.N; c.COut |] o)
                            $"convTranspose{axes}d {c}: shape"
            }

            test "bias adds one value per output channel; an unbatched input gives an unbatched output" {
                let rng = Random 14
                let x = Tensor.FromArray(values rng 50, [| 2; 5; 5 |])
                let w = Tensor.FromArray(values rng 54, [| 3; 2; 3; 3 |])
                let b = Tensor.FromArray([| 1.0; -2.0; 0.5 |])
                let y = x.Conv2d(w, b, padding = [| 1 |])
                Expect.sequenceEqual (shapeOf y) [| 3; 5; 5 |] "unbatched shape"
                let plain = x.Unsqueeze(0).Conv2d(w, padding = [| 1 |]).Squeeze(0)
                let expected = (plain + b.Reshape([| 3; 1; 1 |])).ToArray()
                Expect.equal (y.ToArray()) expected "bias per channel"
                let t = x.ConvTranspose2d(w.Permute([| 1; 0; 2; 3 |]), b, stride = [| 2 |])
                Expect.sequenceEqual (shapeOf t) [| 3; 11; 11 |] "unbatched transpose shape"
            }

            test "sizes across the kernels' tiles and thread split: conv, transpose and weight gradient against loops" {
                let rng = Random 15

                let c =
                    {
                        N = 2
                        CIn = 6
                        COut = 8
                        Size = [| 41; 47 |]
                        Kernel = [| 3; 3 |]
                        Stride = [| 1; 1 |]
                        Dilation = [| 1; 1 |]
                        Groups = 2
                    }

                let pad = [| 1; 1 |]
                let shapeX, shapeW = [| 2; 6; 41; 47 |], [| 8; 3; 3; 3 |]
                let x, w = values rng (count shapeX), values rng (count shapeW)
                let o = outputs c pad pad

                bothDTypes
                    "large conv2d"
                    shapeX
                    x
                    shapeW
                    w
                    (fun x w -> x.Conv2d(w, padding = pad, groups = 2))
                    (convLoop c pad o x w)
                |> ignore
                // The weight's gradient of Σ r·conv(x, w) is Σ_(n, o) r[n, co, o] · x[n, ci, o + k − 1]: read off
                // the loop by putting a one-hot weight through it, one weight element at a time.
                let r = values rng (2 * 8 * count o)

                let gw =
                    Autodiff.Grad(
                        (fun w ->
                            (Tensor.FromArray(x, shapeX).Conv2d(w, padding = pad, groups = 2)
                             * Tensor.FromArray(r, [| 2; 8; 41; 47 |]))
                                .Sum()),
                        Tensor.FromArray(w, shapeW)
                    )

                let expected =
                    Array.init (count shapeW) (fun i ->
                        let hot = Array.zeroCreate (count shapeW)
                        hot[i] <- 1.0
                        Array.fold2 (fun acc a b -> acc + a * b) 0.0 (convLoop c pad o x hot) r)

                closeArrays "weight gradient" 1e-11 (gw.ToArray()) expected
                // The input's gradient is the transpose with the same weight: against the transpose's loop (groups
                // 2, the weight read as [C_in, C_out / groups, k] of the transpose).
                let gx =
                    Autodiff.Grad(
                        (fun x ->
                            (x.Conv2d(Tensor.FromArray(w, shapeW), padding = pad, groups = 2)
                             * Tensor.FromArray(r, [| 2; 8; 41; 47 |]))
                                .Sum()),
                        Tensor.FromArray(x, shapeX)
                    )

                let tc = { c with CIn = 8; COut = 6; Size = o }
                closeArrays "input gradient" 1e-11 (gx.ToArray()) (transposeLoop tc pad c.Size r w)
            }

            test "depthwise kernel: planes across the thread split, channel multiplier 2, strides, against the loop" {
                let rng = Random 19

                for stride in [ [| 1; 1 |]; [| 2; 3 |] ] do
                    let c =
                        {
                            N = 2
                            CIn = 6
                            COut = 12
                            Size = [| 37; 45 |]
                            Kernel = [| 3; 5 |]
                            Stride = stride
                            Dilation = [| 1; 2 |]
                            Groups = 6
                        }

                    let pad = [| 1; 4 |]
                    let shapeX, shapeW = [| 2; 6; 37; 45 |], [| 12; 1; 3; 5 |]
                    let x, w = values rng (count shapeX), values rng (count shapeW)

                    bothDTypes
                        $"depthwise stride {stride}"
                        shapeX
                        x
                        shapeW
                        w
                        (fun x w -> x.Conv2d(w, stride = stride, padding = pad, dilation = c.Dilation, groups = 6))
                        (convLoop c pad (outputs c pad pad) x w)
                    |> ignore
            }

            test "the same bits from run to run and from the float64 loop's order-independent values" {
                let rng = Random 16
                let x = Tensor.FromArray(values rng (3 * 8 * 30 * 30), [| 3; 8; 30; 30 |])
                let w = Tensor.FromArray(values rng (16 * 8 * 9), [| 16; 8; 3; 3 |])
                let a = x.Conv2d(w, padding = [| 1 |])
                let b = x.Conv2d(w, padding = [| 1 |])
                bitwise "conv2d twice" a b

                let g () =
                    Autodiff.Grad((fun w -> x.Conv2d(w, padding = [| 1 |]).Square().Sum()), w)

                bitwise "weight gradient twice" (g ()) (g ())
            }

            test "per-example weight gradients by vmap are the gradients of each example alone" {
                let rng = Random 17
                let x = Tensor.FromArray(values rng (4 * 2 * 6 * 6), [| 4; 2; 6; 6 |])
                let w = Tensor.FromArray(values rng (3 * 2 * 9), [| 3; 2; 3; 3 |])

                let loss (w: Tensor) (x: Tensor) =
                    x.Conv2d(w, padding = [| 1 |]).Tanh().Sum()

                let perExample = Autodiff.Vmap((fun x -> Autodiff.Grad((fun w -> loss w x), w)), x)

                for i in 0..3 do
                    let one = Autodiff.Grad((fun w -> loss w (x.Slice(0, i, i + 1).Squeeze(0))), w)

                    closeArrays
                        $"example {i}"
                        1e-12
                        (perExample.Slice(0, i, i + 1).Squeeze(0).ToArray())
                        (one.ToArray())
            }
        ]

let private errorTests =
    let x = Tensor.Zeros([| 2; 4; 8; 8 |])

    testList
        "errors"
        [
            test "a weight whose input channels differ names both shapes" {
                let e =
                    raises<ShapeMismatchException> "channels" (fun () ->
                        x.Conv2d(Tensor.Zeros([| 8; 3; 3; 3 |])) |> ignore)

                Expect.stringContains e.Message "conv2d: weight [8x3x3x3] float64 expects 3 input channels" "message"
                Expect.stringContains e.Message "[2x4x8x8] float64 has 4" "message"
            }

            test "ranks of input and weight" {
                let e =
                    raises<RankException> "input rank" (fun () ->
                        Tensor.Zeros([| 8; 8 |]).Conv2d(Tensor.Zeros([| 1; 1; 3; 3 |])) |> ignore)

                Expect.stringContains
                    e.Message
                    "conv2d: the input is [8x8] float64, rank 2; it takes [N, C, H, W]"
                    "input"

                let e =
                    raises<RankException> "weight rank" (fun () -> x.Conv2d(Tensor.Zeros([| 4; 3; 3 |])) |> ignore)

                Expect.stringContains
                    e.Message
                    "conv2d: the weight is [4x3x3] float64, rank 3; it takes [C_out, C_in / groups, kH, kW]"
                    "weight"
            }

            test "groups that do not divide the channels, and groups below 1" {
                let e =
                    raises<ShapeMismatchException> "groups" (fun () ->
                        x.Conv2d(Tensor.Zeros([| 4; 1; 3; 3 |]), groups = 3) |> ignore)

                Expect.stringContains e.Message "4 channels, which 3 groups do not divide" "in"

                let e =
                    raises<ShapeMismatchException> "out" (fun () ->
                        x.Conv2d(Tensor.Zeros([| 3; 2; 3; 3 |]), groups = 2) |> ignore)

                Expect.stringContains e.Message "3 output channels, which 2 groups do not divide" "out"

                raises<ArgumentOutOfRangeException> "zero" (fun () ->
                    x.Conv2d(Tensor.Zeros([| 4; 4; 3; 3 |]), groups = 0) |> ignore)
                |> ignore
            }

            test "per-axis arguments: lengths, ranges, \"same\" with a stride, unknown padding words" {
                let w = Tensor.Zeros([| 2; 4; 3; 3 |])

                let e =
                    raises<ArgumentException> "length" (fun () -> x.Conv2d(w, stride = [| 1; 2; 3 |]) |> ignore)

                Expect.stringContains e.Message "conv2d: stride has 3 values ([1, 2, 3]) for 2 spatial axes" "length"

                let e =
                    raises<ArgumentOutOfRangeException> "stride" (fun () -> x.Conv2d(w, stride = [| 0 |]) |> ignore)

                Expect.stringContains e.Message "conv2d: stride is [0, 0]; every value must be at least 1" "stride"

                let e =
                    raises<ArgumentOutOfRangeException> "padding" (fun () ->
                        x.Conv2d(w, padding = [| -1; 0 |]) |> ignore)

                Expect.stringContains e.Message "padding is [-1, 0]; every value must be 0 or more" "padding"

                let e =
                    raises<ArgumentException> "same" (fun () -> x.Conv2d(w, "same", stride = [| 2 |]) |> ignore)

                Expect.stringContains e.Message "conv2d: padding \"same\" needs stride 1" "same"
                let e = raises<ArgumentException> "word" (fun () -> x.Conv2d(w, "full") |> ignore)
                Expect.stringContains e.Message "conv2d: padding is \"full\"; use \"same\", \"valid\"" "word"
            }

            test "a window larger than the padded input" {
                let e =
                    raises<ShapeMismatchException> "size" (fun () -> x.Conv2d(Tensor.Zeros([| 1; 4; 3; 9 |])) |> ignore)

                Expect.stringContains
                    e.Message
                    "conv2d: spatial axis 1 has 8 elements, fewer than the window spans (9 taps"
                    "size"

                let e =
                    raises<ShapeMismatchException> "dilated" (fun () ->
                        Tensor.Zeros([| 1; 8; 9 |]).Conv1d(Tensor.Zeros([| 1; 8; 3 |]), dilation = [| 5 |])
                        |> ignore)

                Expect.stringContains
                    e.Message
                    "conv1d: spatial axis 0 has 9 elements, fewer than the window spans (3 taps dilated by 5 = 11)"
                    "dilated"
            }

            test "bias and dtype" {
                let w = Tensor.Zeros([| 2; 4; 3; 3 |])

                let e =
                    raises<ShapeMismatchException> "bias" (fun () -> x.Conv2d(w, Tensor.Zeros([| 3 |])) |> ignore)

                Expect.stringContains e.Message "conv2d: the bias is [3] float64 for 2 output channels" "bias"

                raises<DTypeMismatchException> "dtype" (fun () ->
                    x.Conv2d(Tensor.Zeros([| 2; 4; 3; 3 |], DType.Float32)) |> ignore)
                |> ignore
            }

            test "transposed: weight channels, output padding, negative output size" {
                let e =
                    raises<ShapeMismatchException> "channels" (fun () ->
                        x.ConvTranspose2d(Tensor.Zeros([| 3; 2; 3; 3 |])) |> ignore)

                Expect.stringContains
                    e.Message
                    "convTranspose2d: weight [3x2x3x3] float64 expects 3 input channels"
                    "channels"

                let w = Tensor.Zeros([| 4; 2; 3; 3 |])

                let e =
                    raises<ArgumentOutOfRangeException> "outputPadding" (fun () ->
                        x.ConvTranspose2d(w, stride = [| 2 |], outputPadding = [| 2 |]) |> ignore)

                Expect.stringContains
                    e.Message
                    "outputPadding [2, 2] must be less than the stride [2, 2] or the dilation"
                    "op"

                let e =
                    raises<ShapeMismatchException> "size" (fun () ->
                        Tensor.Zeros([| 1; 4; 1; 1 |]).ConvTranspose2d(w, padding = [| 2 |]) |> ignore)

                Expect.stringContains
                    e.Message
                    "convTranspose2d: spatial axis 0 of the input [1x4x1x1] float64 gives an output of -1"
                    "size"
            }
        ]

/// The lines of docs/conventions.md, "Convolutions", that the value tests above do not already pin.
let private conventionTests =
    testList
        "conventions"
        [
            test "cross-correlation: the kernel is not flipped" {
                let y =
                    Tensor
                        .FromArray([| 1.0; 2.0; 3.0 |], [| 1; 1; 3 |])
                        .Conv1d(Tensor.FromArray([| 1.0; 0.0 |], [| 1; 1; 2 |]))

                Expect.equal (y.ToArray()) [| 1.0; 2.0 |] "[1, 2, 3] with [1, 0]"
            }

            test "an even kernel with \"same\" pads one more after the input" {
                let x = Tensor.FromArray([| 1.0; 2.0; 3.0 |], [| 1; 1; 3 |])
                let y = x.Conv1d(Tensor.FromArray([| 1.0; 10.0 |], [| 1; 1; 2 |]), "same")
                Expect.equal (y.ToArray()) [| 21.0; 32.0; 3.0 |] "windows [1, 2], [2, 3], [3, 0]"
            }

            test "a stride rounds the output down; elements no window reaches get a zero gradient" {
                let x = Tensor.FromArray(Array.init 6 float, [| 1; 1; 6 |])
                let w = Tensor.FromArray([| 1.0; 1.0 |], [| 1; 1; 2 |])
                let y = x.Conv1d(w, stride = [| 4 |])
                Expect.equal (y.ToArray()) [| 1.0; 9.0 |] "⌊(6 − 2) / 4⌋ + 1 = 2 windows"
                let g = Autodiff.Grad((fun x -> x.Conv1d(w, stride = [| 3 |]).Sum()), x)

                Expect.equal
                    (g.ToArray())
                    [| 1.0; 1.0; 0.0; 1.0; 1.0; 0.0 |]
                    "the third and sixth elements are never read"
            }

            test "output padding adds elements that only zero padding reaches" {
                let x = Tensor.FromArray([| 1.0; 2.0 |], [| 1; 1; 2 |])
                let w = Tensor.FromArray([| 1.0; 1.0 |], [| 1; 1; 2 |])
                let y = x.ConvTranspose1d(w, stride = [| 2 |], outputPadding = [| 1 |])
                Expect.equal (y.ToArray()) [| 1.0; 1.0; 2.0; 2.0; 0.0 |] "(2 − 1)·2 + 2 + 1 = 5 elements, the last zero"
            }

            test "the input's VJP is the transposed convolution with the same settings, bit for bit" {
                let rng = Random 18
                let x = Tensor.FromArray(values rng 30, [| 1; 2; 3; 5 |])
                let w = Tensor.FromArray(values rng 48, [| 4; 2; 2; 3 |])
                let g = Tensor.FromArray(values rng 48, [| 1; 4; 4; 3 |])

                let struct (_, pullback) =
                    Autodiff.Vjp((fun (x: Tensor) -> x.Conv2d(w, stride = [| 1; 2 |], padding = [| 1 |])), x)

                let gx = pullback.Invoke g

                let t =
                    g.ConvTranspose2d(w, stride = [| 1; 2 |], padding = [| 1 |], outputPadding = [| 0; 0 |])

                Expect.sequenceEqual (shapeOf gx) (shapeOf x) "the input's shape"
                bitwise "the transposed convolution" t gx
            }
        ]

/// The F# functions are the C# methods with their settings in a record: the same values, bit for bit.
let private fsharpTests =
    testList
        "F#"
        [
            test "conv2d, conv2dWith and convTranspose2dWith give the C# methods' bits" {
                let rng = Random 20
                let x = Tensor.FromArray(values rng 150, [| 2; 3; 5; 5 |])
                let w = Tensor.FromArray(values rng 54, [| 2; 3; 3; 3 |])
                let b = Tensor.FromArray([| 0.5; -1.0 |])
                bitwise "conv2d" (x.Conv2d w) (Tensor.conv2d w x)

                let same =
                    Tensor.conv2dWith
                        { ConvOptions.defaults with
                            Padding = ConvPadding.Same
                            Bias = Some b
                            Dilation = [| 1; 2 |]
                        }
                        w
                        x

                bitwise "same" (x.Conv2d(w, "same", b, dilation = [| 1; 2 |])) same

                let strided =
                    Tensor.conv2dWith
                        { ConvOptions.defaults with
                            Padding = ConvPadding.Pad [| 1; 0 |]
                            Stride = [| 2 |]
                        }
                        w
                        x

                bitwise "padding and stride" (x.Conv2d(w, stride = [| 2 |], padding = [| 1; 0 |])) strided

                let valid =
                    Tensor.conv2dWith
                        { ConvOptions.defaults with
                            Padding = ConvPadding.Valid
                        }
                        w
                        x

                bitwise "valid" (x.Conv2d w) valid
                let y = x.Conv2d w

                let t =
                    Tensor.convTranspose2dWith
                        { ConvTransposeOptions.defaults with
                            Stride = [| 2 |]
                            Padding = [| 1 |]
                            OutputPadding = [| 1 |]
                        }
                        w
                        y

                bitwise
                    "transpose"
                    (y.ConvTranspose2d(w, stride = [| 2 |], padding = [| 1 |], outputPadding = [| 1 |]))
                    t

                Expect.equal (string ConvPadding.Same) "same" "Same prints as PyTorch writes it"
                Expect.equal (string (ConvPadding.Pad [| 1; 2 |])) "[1, 2]" "numbers print as a list"
            }
        ]

[<Tests>]
let convolutionTests =
    testList "convolution" [ valueTests; errorTests; conventionTests; fsharpTests ]
