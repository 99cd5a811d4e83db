/// Padding, interpolation, pixel shuffles, unfold and fold (Ops/Padding.cs, Resampling.cs, Folding.cs) against loops
/// over .NET arrays written here from the definitions, in float64 and float32; their errors; and the conventions of
/// docs/conventions.md, "Convolution and pooling". Finite differences to order 2, vmap and compile are the rows
/// "pad-*", "interpolate-*", "pixelShuffle", "pixelUnshuffle", "unfold" and "fold" of OpSpec.fs; the coordinates
/// against LibTorch's own interpolate are checked in tests/Backend.LibTorch (ResamplingTorchTests.fs).
module Conv.ResamplingTests

open System
open Expecto
open FuncGrad
open Support.Check

/// "[1, 2]": an array as a test name shows it.
let private show (values: 'a[]) = "[" + String.Join(", ", values) + "]"

let private count (shape: int[]) = Array.fold (*) 1 shape

/// Every multi-index of a shape, row-major.
let private indices (shape: int[]) =
    let n = count shape

    Array.init n (fun flat ->
        let ix = Array.zeroCreate shape.Length
        let mutable r = flat

        for a in shape.Length - 1 .. -1 .. 0 do
            ix[a] <- r % shape[a]
            r <- r / shape[a]

        ix)

let private offset (shape: int[]) (ix: int[]) =
    let mutable o = 0

    for a in 0 .. shape.Length - 1 do
        o <- o * shape[a] + ix[a]

    o

/// Random values that float32 holds exactly, so both dtypes start from the same numbers.
let private values (rng: Random) (shape: int[]) =
    Array.init (count shape) (fun _ -> float (float32 (rng.NextDouble() * 2.0 - 1.0)))

let private dtypes = [ DType.Float64; DType.Float32 ]

/// Rounding to the dtype's precision, where the definitions compute coordinates in it (as ATen's opmath type does).
let private rounding (dtype: DType) =
    if dtype = DType.Float32 then
        (fun (v: float) -> float (float32 v))
    else
        id

let private tolerance (dtype: DType) =
    if dtype = DType.Float32 then 1e-5, 1e-6 else 1e-12, 1e-13

let private check what (dtype: DType) (actual: Tensor) (expectedShape: int[]) (expected: float[]) =
    Expect.equal (shapeOf actual) expectedShape $"{what}: shape"
    Expect.equal actual.DType dtype $"{what}: dtype"
    let rtol, atol = tolerance dtype
    close what rtol atol (actual.ToDType DType.Float64) (Tensor.FromArray(expected, expectedShape))

// ---- padding ----

/// Where output position j of an axis of n elements padded by `before` reads from, or None for the fill value.
let private padSource (mode: string) (n: int) (before: int) (j: int) =
    let p = j - before

    match mode with
    | "reflect" ->
        // fold the position back into [0, n) at the edges, the edges themselves not repeated
        let mutable q = p

        while q < 0 || q >= n do
            if q < 0 then
                q <- -q

            if q >= n then
                q <- 2 * (n - 1) - q

        Some q
    | "replicate" -> Some(max 0 (min (n - 1) p))
    | "circular" -> Some(((p % n) + n) % n)
    | _ -> if p >= 0 && p < n then Some p else None

let private padLoop (mode: string) (value: float) (pad: int[]) (shape: int[]) (x: float[]) =
    let k = pad.Length / 2
    let rank = shape.Length
    let outShape = Array.copy shape

    for i in 0 .. k - 1 do
        outShape[rank - 1 - i] <- shape[rank - 1 - i] + pad[2 * i] + pad[2 * i + 1]

    let out =
        indices outShape
        |> Array.map (fun ix ->
            let src = Array.copy ix
            let mutable inside = true

            for i in 0 .. k - 1 do
                let a = rank - 1 - i

                match padSource mode shape[a] pad[2 * i] ix[a] with
                | Some q -> src[a] <- q
                | None -> inside <- false

            if inside then x[offset shape src] else value)

    outShape, out

let private padTests =
    testList
        "pad"
        [
            for dtype in dtypes do
                for shape, pad, mode, value in
                    [
                        [| 7 |], [| 2; 3 |], "constant", 0.0
                        [| 2; 3; 4 |], [| 2; 0; -1; 1 |], "constant", 1.5
                        [| 2; 3; 4 |], [| 1; 1; 0; 2; 1; 0 |], "constant", -2.0
                        [| 3; 5 |], [| -2; -3 |], "constant", 0.0
                        [| 2; 3; 4 |], [| 3; 2; 2; 1 |], "reflect", 0.0
                        [| 2; 2; 3; 4 |], [| 1; 1; 2; 2; 1; 0 |], "reflect", 0.0
                        [| 2; 3; 4 |], [| 4; 0; 0; 3 |], "replicate", 0.0
                        [| 1; 2; 2; 3; 2 |], [| 1; 2; 0; 1; 2; 2 |], "replicate", 0.0
                        [| 2; 3; 4 |], [| 4; 1; 3; 2 |], "circular", 0.0
                        [| 2; 1; 3; 4 |], [| 0; 4; 1; 1; 1; 0 |], "circular", 0.0
                        [| 2; 5 |], [| 0; 0 |], "reflect", 0.0
                    ] do
                    test $"{mode} {show shape} by {show pad} in {dtype}" {
                        let x = values (Random 7) shape
                        let t = Tensor.FromArray(x, shape).ToDType dtype
                        let outShape, expected = padLoop mode value pad shape x
                        let actual = t.Pad(pad, mode, value)
                        check "pad" dtype actual outShape expected
                        // a copy, so exact
                        bitwise "pad bits" (Tensor.FromArray(expected, outShape).ToDType dtype) actual
                    }
            test "a large pad runs the parallel kernel to the same values" {
                let shape = [| 3; 40; 300 |]
                let x = values (Random 8) shape
                let outShape, expected = padLoop "reflect" 0.0 [| 5; 7; 3; 2 |] shape x

                bitwise
                    "reflect"
                    (Tensor.FromArray(expected, outShape))
                    (Tensor.FromArray(x, shape).Pad([| 5; 7; 3; 2 |], "reflect"))
            }
        ]

// ---- interpolation ----

/// The (input position, weight) pairs of output j along an axis of n inputs resampled to m, by PyTorch's definitions:
/// coordinates in the dtype's precision r, positions floored.
let private axisWeights
    (r: float -> float)
    (mode: string)
    (n: int)
    (m: int)
    (alignCorners: bool)
    (scale: float option)
    =
    let ratio =
        if alignCorners then
            (if m > 1 then r (float (n - 1) / float (m - 1)) else 0.0)
        else
            match scale with
            | Some s -> r (1.0 / s)
            | None -> r (float n / float m)

    // the centre of output pixel j in input coordinates (or the corner-aligned position)
    let centre (j: int) =
        if alignCorners then
            r (ratio * float j)
        else
            r (r (ratio * r (float j + 0.5)) - 0.5)

    let clampIndex i = max 0 (min (n - 1) i)

    // Keys' cubic convolution kernel, a = −0.75
    let keys (d: float) =
        let a, x = -0.75, abs d

        if x <= 1.0 then
            ((a + 2.0) * x - (a + 3.0)) * x * x + 1.0
        elif x < 2.0 then
            a * x * x * x - 5.0 * a * x * x + 8.0 * a * x - 4.0 * a
        else
            0.0

    fun (j: int) ->
        match mode with
        | "nearest" -> [ min (n - 1) (int (floor (r (float j * ratio)))), 1.0 ]
        | "nearest-exact" -> [ min (n - 1) (int (floor (r ((float j + 0.5) * ratio)))), 1.0 ]
        | "area" ->
            let lo = j * n / m
            let hi = ((j + 1) * n + m - 1) / m
            [ for i in lo .. hi - 1 -> i, 1.0 / float (hi - lo) ]
        | "bicubic" ->
            let src = centre j
            let i = min (n - 1) (int (floor src))
            let t = max 0.0 (min 1.0 (r (src - float i)))
            [ for k in -1 .. 2 -> clampIndex (i + k), keys (t - float k) ]
        | _ when m = n -> [ j, 1.0 ]
        | _ ->
            let src = max 0.0 (centre j)
            let i0 = min (n - 1) (int (floor src))
            let lambda = max 0.0 (min 1.0 (r (src - float i0)))
            [ i0, r (1.0 - lambda); min (n - 1) (i0 + 1), lambda ]

/// The interpolation as one sum over every combination of the axes' taps (not axis by axis).
let private interpolateLoop
    (dtype: DType)
    (mode: string)
    (shape: int[])
    (size: int[])
    (alignCorners: bool)
    (scales: float option[])
    (x: float[])
    =
    let r = rounding dtype
    let spatial = shape.Length - 2
    let outShape = Array.append shape[..1] size

    let weights =
        Array.init spatial (fun a ->
            let f = axisWeights r mode shape[a + 2] size[a] alignCorners scales[a]
            Array.init size[a] f)

    let out =
        indices outShape
        |> Array.map (fun ix ->
            let rec sum (a: int) (src: int[]) (w: float) =
                if a = spatial then
                    w * x[offset shape src]
                else
                    weights[a][ix[a + 2]]
                    |> List.sumBy (fun (i, wi) ->
                        let s = Array.copy src
                        s[a + 2] <- i
                        sum (a + 1) s (w * wi))

            sum 0 (Array.copy ix) 1.0)

    outShape, out

let private interpolateTests =
    let sized =
        [
            "nearest", [| 2; 3; 7 |], [| 3 |], false
            "nearest", [| 1; 2; 3; 5 |], [| 5; 2 |], false
            "nearest", [| 1; 2; 2; 3; 2 |], [| 3; 4; 2 |], false
            "nearest-exact", [| 2; 3; 5 |], [| 8 |], false
            "nearest-exact", [| 1; 2; 5; 3 |], [| 2; 7 |], false
            "linear", [| 2; 3; 4 |], [| 7 |], false
            "linear", [| 2; 3; 7 |], [| 3 |], false
            "linear", [| 2; 3; 4 |], [| 9 |], true
            "linear", [| 1; 1; 4 |], [| 1 |], true
            "linear", [| 1; 2; 5 |], [| 5 |], false
            "bilinear", [| 2; 2; 3; 4 |], [| 5; 7 |], false
            "bilinear", [| 1; 2; 5; 4 |], [| 2; 9 |], true
            "bicubic", [| 1; 2; 4; 5 |], [| 7; 3 |], false
            "bicubic", [| 1; 2; 4; 3 |], [| 6; 5 |], true
            "bicubic", [| 1; 1; 1; 2 |], [| 3; 4 |], false
            "trilinear", [| 1; 2; 2; 3; 4 |], [| 3; 5; 2 |], false
            "trilinear", [| 1; 1; 3; 2; 3 |], [| 4; 4; 4 |], true
            "area", [| 2; 3; 10 |], [| 4 |], false
            "area", [| 1; 2; 5; 7 |], [| 3; 9 |], false
            "area", [| 1; 1; 4; 5; 6 |], [| 2; 3; 4 |], false
        ]

    let scaledCases =
        [
            "nearest", [| 1; 2; 3; 5 |], [| 1.5; 0.5 |], false, false
            "nearest", [| 2; 3; 3 |], [| 1.2 |], false, false
            "nearest-exact", [| 2; 3; 7 |], [| 1.0 / 3.0 |], false, true
            "linear", [| 2; 2; 5 |], [| 1.7 |], false, false
            "linear", [| 2; 2; 5 |], [| 1.7 |], true, false
            "linear", [| 2; 2; 3 |], [| 1.2 |], false, false
            "bilinear", [| 1; 2; 3; 4 |], [| 2.5 |], false, false
            "bicubic", [| 1; 2; 4; 4 |], [| 0.6; 1.8 |], false, false
            "trilinear", [| 1; 1; 2; 3; 4 |], [| 2.0; 1.5; 0.5 |], false, true
            "area", [| 1; 2; 6; 5 |], [| 0.5 |], false, false
        ]

    testList
        "interpolate"
        [
            for dtype in dtypes do
                for mode, shape, size, alignCorners in sized do
                    test $"{mode} {show shape} to {show size}, aligned {alignCorners}, in {dtype}" {
                        let x = values (Random 11) shape
                        let scales = Array.create size.Length None
                        let outShape, expected = interpolateLoop dtype mode shape size alignCorners scales x

                        let actual =
                            Tensor
                                .FromArray(x, shape)
                                .ToDType(dtype)
                                .Interpolate(size = size, mode = mode, alignCorners = alignCorners)

                        check mode dtype actual outShape expected
                    }

                for mode, shape, scale, alignCorners, recompute in scaledCases do
                    let settings = $"aligned {alignCorners}, recomputed {recompute}"

                    test $"{mode} {show shape} scaled by {show scale}, {settings}, in {dtype}" {
                        let x = values (Random 12) shape
                        let spatial = shape.Length - 2

                        let s =
                            if scale.Length = 1 then
                                Array.create spatial scale[0]
                            else
                                scale

                        let size = Array.init spatial (fun a -> int (floor (float shape[a + 2] * s[a])))
                        let scales = s |> Array.map (fun v -> if recompute then None else Some v)
                        let outShape, expected = interpolateLoop dtype mode shape size alignCorners scales x

                        let actual =
                            Tensor
                                .FromArray(x, shape)
                                .ToDType(dtype)
                                .Interpolate(
                                    scaleFactor = scale,
                                    mode = mode,
                                    alignCorners = alignCorners,
                                    recomputeScaleFactor = recompute
                                )

                        check mode dtype actual outShape expected
                    }
            test "a large bilinear resize runs the parallel kernel to the loop's values" {
                let shape = [| 2; 3; 40; 50 |]
                let x = values (Random 13) shape

                let outShape, expected =
                    interpolateLoop DType.Float64 "bilinear" shape [| 67; 31 |] false [| None; None |] x

                let actual =
                    Tensor.FromArray(x, shape).Interpolate(size = [| 67; 31 |], mode = "bilinear")

                check "bilinear" DType.Float64 actual outShape expected
            }
        ]

// ---- pixel shuffles ----

let private shuffleTests =
    testList
        "pixel shuffle"
        [
            for dtype in dtypes do
                for shape, r in
                    [
                        [| 2; 8; 2; 3 |], 2
                        [| 3; 9; 1; 2 |], 3
                        [| 4; 2; 2 |], 1
                        [| 2; 1; 4; 1; 1 |], 2
                    ] do
                    test $"pixelShuffle {show shape} by {r} and back in {dtype}" {
                        let x = values (Random 17) shape
                        let t = Tensor.FromArray(x, shape).ToDType dtype
                        let lead = shape[.. shape.Length - 4]

                        let c, h, w =
                            shape[shape.Length - 3], shape[shape.Length - 2], shape[shape.Length - 1]

                        let outShape = Array.append lead [| c / (r * r); h * r; w * r |]
                        let inner = shape.Length - 3

                        let expected =
                            indices outShape
                            |> Array.map (fun ix ->
                                let oc, oy, ox = ix[inner], ix[inner + 1], ix[inner + 2]
                                let src = Array.copy ix[.. inner - 1]

                                x[offset
                                      shape
                                      (Array.append src [| oc * r * r + (oy % r) * r + ox % r; oy / r; ox / r |])])

                        let shuffled = t.PixelShuffle r
                        bitwise "pixelShuffle" (Tensor.FromArray(expected, outShape).ToDType dtype) shuffled
                        bitwise "pixelUnshuffle" t (shuffled.PixelUnshuffle r)
                    }
        ]

// ---- unfold and fold ----

let private unfoldLoop (shape: int[]) k d p s (x: float[]) =
    let n, c, h, w = shape[0], shape[1], shape[2], shape[3]
    let (kh, kw), (dh, dw), (ph, pw), (sh, sw) = k, d, p, s
    let oh = (h + 2 * ph - dh * (kh - 1) - 1) / sh + 1
    let ow = (w + 2 * pw - dw * (kw - 1) - 1) / sw + 1
    let outShape = [| n; c * kh * kw; oh * ow |]

    let out =
        indices outShape
        |> Array.map (fun ix ->
            let b, row, l = ix[0], ix[1], ix[2]
            let ch, tap = row / (kh * kw), row % (kh * kw)
            let i, j = tap / kw, tap % kw
            let y = (l / ow) * sh - ph + i * dh
            let xx = (l % ow) * sw - pw + j * dw

            if y >= 0 && y < h && xx >= 0 && xx < w then
                x[offset shape [| b; ch; y; xx |]]
            else
                0.0)

    outShape, out

let private foldLoop (shape: int[]) (size: int * int) k d p s (cols: float[]) =
    let n, rows, _ = shape[0], shape[1], shape[2]
    let (h, w), (kh, kw), (dh, dw), (ph, pw), (sh, sw) = size, k, d, p, s
    let c = rows / (kh * kw)
    let ow = (w + 2 * pw - dw * (kw - 1) - 1) / sw + 1
    let outShape = [| n; c; h; w |]
    let out = Array.zeroCreate (count outShape)

    // every column element added where unfold would have read it from
    for ix in indices shape do
        let b, row, l = ix[0], ix[1], ix[2]
        let ch, tap = row / (kh * kw), row % (kh * kw)
        let i, j = tap / kw, tap % kw
        let y = (l / ow) * sh - ph + i * dh
        let xx = (l % ow) * sw - pw + j * dw

        if y >= 0 && y < h && xx >= 0 && xx < w then
            let o = offset outShape [| b; ch; y; xx |]
            out[o] <- out[o] + cols[offset shape ix]

    outShape, out

let private windowCases =
    [
        (2, 2), (1, 1), (0, 0), (1, 1)
        (3, 3), (1, 1), (1, 1), (1, 1)
        (2, 3), (1, 2), (1, 0), (2, 1)
        (3, 2), (2, 1), (2, 2), (1, 3)
        (1, 1), (1, 1), (0, 0), (2, 2)
        (6, 6), (1, 1), (1, 1), (3, 3)
    ]

let private pair (a, b) = [| a; b |]

let private foldingTests =
    testList
        "unfold and fold"
        [
            for dtype in dtypes do
                for k, d, p, s in windowCases do
                    test $"unfold and fold by kernel {k}, dilation {d}, padding {p}, stride {s} in {dtype}" {
                        let shape = [| 2; 3; 4; 5 |]
                        let x = values (Random 19) shape
                        let outShape, expected = unfoldLoop shape k d p s x
                        let t = Tensor.FromArray(x, shape).ToDType dtype
                        let cols = t.Unfold(pair k, pair d, pair p, pair s)
                        bitwise "unfold" (Tensor.FromArray(expected, outShape).ToDType dtype) cols
                        let ys = values (Random 20) outShape
                        let foldShape, folded = foldLoop outShape (4, 5) k d p s ys

                        let actual =
                            Tensor
                                .FromArray(ys, outShape)
                                .ToDType(dtype)
                                .Fold([| 4; 5 |], pair k, pair d, pair p, pair s)

                        check "fold" dtype actual foldShape folded
                    }
            test "unbatched inputs are a batch of one" {
                let x = Tensor.FromArray(values (Random 21) [| 2; 4; 4 |], [| 2; 4; 4 |])
                let cols = x.Unfold([| 2 |], stride = [| 2 |])
                bitwise "unfold" (x.Unsqueeze(0).Unfold([| 2 |], stride = [| 2 |]).Squeeze(0)) cols
                bitwise "fold" (x.Unsqueeze 0) (cols.Unsqueeze(0).Fold([| 4; 4 |], [| 2 |], stride = [| 2 |]))
            }
            test "a large unfold and fold run the parallel kernels to the loops' values" {
                let shape = [| 4; 8; 20; 24 |]
                let x = values (Random 22) shape
                let outShape, expected = unfoldLoop shape (3, 3) (1, 1) (1, 1) (1, 1) x
                let cols = Tensor.FromArray(x, shape).Unfold([| 3 |], padding = [| 1 |])
                bitwise "unfold" (Tensor.FromArray(expected, outShape)) cols

                let foldShape, folded =
                    foldLoop outShape (20, 24) (3, 3) (1, 1) (1, 1) (1, 1) expected

                check "fold" DType.Float64 (cols.Fold([| 20; 24 |], [| 3 |], padding = [| 1 |])) foldShape folded
            }
        ]

// ---- errors ----

/// A test that f throws exactly 'E with a message containing each of the parts.
let private expectError<'E when 'E :> exn> what (parts: string list) (f: unit -> Tensor) =
    test what {
        let e = raises<'E> what (fun () -> f () |> ignore)

        for part in parts do
            Expect.stringContains e.Message part $"{what}: the message names {part}"
    }

let private errorTests =
    let x4 = Tensor.Zeros [| 1; 2; 3; 4 |]

    testList
        "errors"
        [
            expectError<ArgumentException> "pad: odd length" [ "pad:"; "pairs" ] (fun () -> x4.Pad [| 1; 2; 3 |])
            expectError<ArgumentException> "pad: too many pairs" [ "pad:"; "[1x2x3x4]" ] (fun () ->
                x4.Pad(Array.create 10 1))
            expectError<ArgumentException> "pad: unknown mode" [ "pad:"; "\"mirror\"" ] (fun () ->
                x4.Pad([| 1; 1 |], "mirror"))
            expectError<ArgumentException> "pad: a value with reflect" [ "pad:"; "\"constant\"" ] (fun () ->
                x4.Pad([| 1; 1 |], "reflect", 1.0))
            expectError<ArgumentOutOfRangeException>
                "pad: reflect as wide as the axis"
                [ "pad:"; "less than 4" ]
                (fun () -> x4.Pad([| 4; 0 |], "reflect"))
            expectError<ArgumentOutOfRangeException> "pad: circular past the axis" [ "pad:"; "at most 4" ] (fun () ->
                x4.Pad([| 1; 5 |], "circular"))
            expectError<ArgumentOutOfRangeException> "pad: negative replicate" [ "pad:"; "negative" ] (fun () ->
                x4.Pad([| -1; 0 |], "replicate"))
            expectError<ArgumentOutOfRangeException> "pad: cropping below nothing" [ "pad:"; "crop" ] (fun () ->
                x4.Pad([| -3; -2 |]))
            expectError<RankException> "interpolate: rank 2" [ "interpolate:"; "[3x4]" ] (fun () ->
                Tensor.Zeros([| 3; 4 |]).Interpolate(size = [| 2 |]))
            expectError<RankException>
                "interpolate: bilinear of 3-D"
                [ "interpolate:"; "\"bilinear\""; "\"linear\"" ]
                (fun () -> Tensor.Zeros([| 1; 2; 3 |]).Interpolate(size = [| 2 |], mode = "bilinear"))
            expectError<ArgumentException> "interpolate: unknown mode" [ "interpolate:"; "\"cubic\"" ] (fun () ->
                x4.Interpolate(size = [| 2 |], mode = "cubic"))
            expectError<ArgumentException>
                "interpolate: neither size nor scale"
                [ "interpolate:"; "exactly one" ]
                (fun () -> x4.Interpolate())
            expectError<ArgumentException>
                "interpolate: both size and scale"
                [ "interpolate:"; "exactly one" ]
                (fun () -> x4.Interpolate(size = [| 2 |], scaleFactor = [| 2.0 |]))
            expectError<ArgumentException>
                "interpolate: alignCorners with nearest"
                [ "interpolate:"; "alignCorners" ]
                (fun () -> x4.Interpolate(size = [| 2 |], alignCorners = true))
            expectError<ArgumentException>
                "interpolate: recompute with a size"
                [ "interpolate:"; "recomputeScaleFactor" ]
                (fun () -> x4.Interpolate(size = [| 2 |], recomputeScaleFactor = true))
            expectError<ArgumentException>
                "interpolate: three sizes for two axes"
                [ "interpolate:"; "2 spatial axes" ]
                (fun () -> x4.Interpolate(size = [| 2; 3; 4 |]))
            expectError<ArgumentOutOfRangeException>
                "interpolate: a zero size"
                [ "interpolate:"; "at least 1" ]
                (fun () -> x4.Interpolate(size = [| 0 |]))
            expectError<ArgumentOutOfRangeException>
                "interpolate: a scale that empties an axis"
                [ "interpolate:"; "0.2" ]
                (fun () -> x4.Interpolate(scaleFactor = [| 0.2 |]))
            expectError<ArgumentOutOfRangeException>
                "interpolate: a negative scale"
                [ "interpolate:"; "positive" ]
                (fun () -> x4.Interpolate(scaleFactor = [| -2.0 |]))
            expectError<ShapeMismatchException>
                "pixelShuffle: channels"
                [ "pixelShuffle:"; "[1x2x3x4]"; "4" ]
                (fun () -> x4.PixelShuffle 2)
            expectError<RankException> "pixelShuffle: rank 2" [ "pixelShuffle:"; "[3x4]" ] (fun () ->
                Tensor.Zeros([| 3; 4 |]).PixelShuffle 2)
            expectError<ArgumentOutOfRangeException>
                "pixelShuffle: factor 0"
                [ "pixelShuffle:"; "at least 1" ]
                (fun () -> x4.PixelShuffle 0)
            expectError<ShapeMismatchException>
                "pixelUnshuffle: height"
                [ "pixelUnshuffle:"; "[1x2x3x4]"; "multiples" ]
                (fun () -> x4.PixelUnshuffle 2)
            expectError<RankException> "unfold: rank 2" [ "unfold:"; "[3x4]" ] (fun () ->
                Tensor.Zeros([| 3; 4 |]).Unfold [| 2 |])
            expectError<ShapeMismatchException>
                "unfold: kernel larger than the input"
                [ "unfold:"; "window" ]
                (fun () -> x4.Unfold [| 5 |])
            expectError<ArgumentOutOfRangeException> "unfold: stride 0" [ "unfold:"; "stride" ] (fun () ->
                x4.Unfold([| 2 |], stride = [| 0 |]))
            expectError<ArgumentException> "unfold: three kernel sizes" [ "unfold:"; "kernelSize" ] (fun () ->
                x4.Unfold [| 1; 2; 3 |])
            expectError<ShapeMismatchException>
                "fold: rows not a multiple of the taps"
                [ "fold:"; "[1x5x6]"; "4 taps" ]
                (fun () -> Tensor.Zeros([| 1; 5; 6 |]).Fold([| 3; 4 |], [| 2 |]))
            expectError<ShapeMismatchException>
                "fold: the wrong number of columns"
                [ "fold:"; "[1x4x5]"; "6" ]
                (fun () -> Tensor.Zeros([| 1; 4; 5 |]).Fold([| 3; 4 |], [| 2 |]))
            expectError<RankException> "fold: rank 4" [ "fold:"; "[1x2x3x4]" ] (fun () -> x4.Fold([| 3; 4 |], [| 2 |]))
        ]

// ---- conventions (docs/conventions.md, "Convolution and pooling") ----

let private vec (xs: float list) = Tensor.FromArray(Array.ofList xs)
let private grad (f: Tensor -> Tensor) (x: Tensor) = Autodiff.Grad(f, x)

let private conventionTests =
    testList
        "conventions"
        [
            test "reflect mirrors without the edge; each padded element's gradient goes to the element it copies" {
                let x = vec [ 1.0; 2.0; 3.0 ]
                equalValues "reflect" (x.Pad([| 2; 1 |], "reflect")) [| 3.0; 2.0; 1.0; 2.0; 3.0; 2.0 |]
                equalValues "reflect'" (grad (fun t -> t.Pad([| 2; 1 |], "reflect").Sum()) x) [| 1.0; 3.0; 2.0 |]
                equalValues "replicate'" (grad (fun t -> t.Pad([| 2; 1 |], "replicate").Sum()) x) [| 3.0; 1.0; 2.0 |]
                equalValues "circular" (x.Pad([| 3; 2 |], "circular")) [| 1.0; 2.0; 3.0; 1.0; 2.0; 3.0; 1.0; 2.0 |]
            }
            test "a constant fill of NaN or ±inf fills only the padding" {
                let x = vec [ 1.0; -0.0 ]

                for fill in [ nan; infinity; -infinity ] do
                    let y = x.Pad([| 1; 1 |], "constant", fill).ToArray()

                    Expect.sequenceEqual
                        (y[1..2] |> Array.map BitConverter.DoubleToInt64Bits)
                        ([| 1.0; -0.0 |] |> Array.map BitConverter.DoubleToInt64Bits)
                        $"inside, fill {fill}"

                    Expect.isTrue (y[0].Equals fill && y[3].Equals fill) $"outside, fill {fill}"
            }
            test "every padding mode pads any number of trailing axes" {
                let x = Tensor.Arange(0.0, 24.0).Reshape [| 2; 3; 4 |]

                Expect.equal
                    (shapeOf (x.Pad([| 1; 1; 1; 1; 1; 1 |], "reflect")))
                    [| 4; 5; 6 |]
                    "three axes of a 3-D tensor"
            }
            test "nearest reads input ⌊j·n/m⌋ and nearest-exact the pixel whose centre is nearest" {
                let x = Tensor.FromArray([| 0.0; 1.0; 2.0 |], [| 1; 1; 3 |])
                equalValues "nearest" (x.Interpolate(size = [| 5 |])) [| 0.0; 0.0; 1.0; 1.0; 2.0 |]

                equalValues
                    "nearest-exact"
                    (x.Interpolate(size = [| 5 |], mode = "nearest-exact"))
                    [| 0.0; 0.0; 1.0; 2.0; 2.0 |]
            }
            test "a scale factor sets the coordinates, even where the size stays, unless it is recomputed" {
                let x = Tensor.FromArray([| 0.0; 1.0; 2.0 |], [| 1; 1; 3 |])
                // 3·1.2 → 3 elements, read at ⌊j/1.2⌋
                equalValues "nearest by 1.2" (x.Interpolate(scaleFactor = [| 1.2 |])) [| 0.0; 0.0; 1.0 |]

                equalValues
                    "recomputed"
                    (x.Interpolate(scaleFactor = [| 1.2 |], recomputeScaleFactor = true))
                    [| 0.0; 1.0; 2.0 |]

                // linear copies whenever the size stays
                equalValues
                    "linear by 1.2"
                    (x.Interpolate(scaleFactor = [| 1.2 |], mode = "linear"))
                    [| 0.0; 1.0; 2.0 |]
            }
            test "linear clamps pixel centres at the edges; aligned corners keep the corner values" {
                let x = Tensor.FromArray([| 1.0; 3.0 |], [| 1; 1; 2 |])
                equalValues "linear" (x.Interpolate(size = [| 4 |], mode = "linear")) [| 1.0; 1.5; 2.5; 3.0 |]

                close
                    "aligned"
                    1e-14
                    1e-14
                    (x.Interpolate(size = [| 4 |], mode = "linear", alignCorners = true))
                    (Tensor.FromArray([| 1.0; 5.0 / 3.0; 7.0 / 3.0; 3.0 |], [| 1; 1; 4 |]))
            }
            test "bicubic overshoots at a step (Keys, a = −0.75) and repeats the edge pixels" {
                let x = Tensor.FromArray([| 0.0; 0.0; 1.0; 1.0 |], [| 1; 1; 1; 4 |])
                let y = x.Interpolate(size = [| 1; 8 |], mode = "bicubic").ToArray()
                Expect.isLessThan (Array.min y) 0.0 "undershoot before the step"
                Expect.isGreaterThan (Array.max y) 1.0 "overshoot after the step"
            }
            test "fold adds overlapping windows: fold(unfold(x)) is x times the windows covering each element" {
                let x = Tensor.Ones [| 1; 1; 3; 3 |]

                equalValues
                    "coverage"
                    (x.Unfold([| 2 |]).Fold([| 3; 3 |], [| 2 |]))
                    [| 1.0; 2.0; 1.0; 2.0; 4.0; 2.0; 1.0; 2.0; 1.0 |]
            }
        ]

let private fsharpTests =
    testList
        "F# surface"
        [
            test "the F# functions are the C# methods" {
                let x = Tensor.FromArray(values (Random 23) [| 1; 2; 3; 4 |], [| 1; 2; 3; 4 |])
                bitwise "pad" (x.Pad [| 1; 2 |]) (Tensor.pad [| 1; 2 |] x)
                bitwise "padWith" (x.Pad([| 1; 2 |], "circular")) (Tensor.padWith "circular" 0.0 [| 1; 2 |] x)

                bitwise
                    "interpolate"
                    (x.Interpolate(size = [| 5 |], mode = "bicubic"))
                    (Tensor.interpolate "bicubic" [| 5 |] x)

                bitwise
                    "interpolateWith, a scale"
                    (x.Interpolate(scaleFactor = [| 2.0 |], mode = "bilinear", alignCorners = true))
                    (Tensor.interpolateWith
                        { InterpolateOptions.defaults with
                            ScaleFactor = Some [| 2.0 |]
                            Mode = "bilinear"
                            AlignCorners = true
                        }
                        x)

                bitwise
                    "interpolateWith, a size"
                    (x.Interpolate(size = [| 2; 3 |], mode = "area"))
                    (Tensor.interpolateWith
                        { InterpolateOptions.defaults with
                            Size = Some [| 2; 3 |]
                            Mode = "area"
                        }
                        x)

                bitwise "pixelUnshuffle" (x.PixelUnshuffle 1) (Tensor.pixelUnshuffle 1 x)

                bitwise
                    "pixelShuffle"
                    (x.Reshape([| 1; 8; 1; 3 |]).PixelShuffle 2)
                    (Tensor.pixelShuffle 2 (x.Reshape [| 1; 8; 1; 3 |]))

                bitwise "unfold" (x.Unfold [| 2 |]) (Tensor.unfold [| 2 |] x)
                let cols = x.Unfold([| 2 |], [| 1 |], [| 1 |], [| 2 |])

                let options =
                    { FoldingOptions.defaults with
                        Padding = [| 1 |]
                        Stride = [| 2 |]
                    }

                bitwise "unfoldWith" cols (Tensor.unfoldWith options [| 2 |] x)

                bitwise
                    "fold"
                    (cols.Fold([| 3; 4 |], [| 2 |], padding = [| 1 |], stride = [| 2 |]))
                    (Tensor.foldWith options [| 3; 4 |] [| 2 |] cols)

                let c2 = x.Unfold [| 2 |]
                bitwise "fold" (c2.Fold([| 3; 4 |], [| 2 |])) (Tensor.fold [| 3; 4 |] [| 2 |] c2)
            }
        ]

[<Tests>]
let tests =
    testList
        "resampling"
        [
            padTests
            interpolateTests
            shuffleTests
            foldingTests
            errorTests
            conventionTests
            fsharpTests
        ]
