/// FuncGrad's managed interpolation, padding, unfold, fold and pixel shuffles against LibTorch's own
/// torch.nn.functional kernels, called directly: PyTorch's coordinate rules (nearest's floor, a given scale factor's
/// 1/scale, linear's copy at equal sizes, bicubic's clamped neighbours, area's windows) over many sizes, scale factors,
/// modes and both dtypes. The spec rows, which run the same ops on torch:cpu, compare FuncGrad with itself there.
module ResamplingTorchTests

open System
open Expecto
open TorchSharp
open FuncGrad

let private managed f =
    use _ = Device.Use Device.Managed
    f ()

let private data (rng: Random) (shape: int[]) =
    Array.init (Array.fold (*) 1 shape) (fun _ -> float (float32 (rng.NextDouble() * 2.0 - 1.0)))

let private torchOf (values: float[]) (shape: int[]) (dtype: DType) =
    let t = torch.tensor(values).reshape(Array.map int64 shape)
    if dtype = DType.Float32 then t.to_type torch.float32 else t

let private same what (dtype: DType) (ours: Tensor) (theirs: torch.Tensor) =
    Expect.equal (Array.ofSeq ours.Shape) (theirs.shape |> Array.map int) $"{what}: shape"
    let a = ours.ToDType(DType.Float64).ToArray()
    let b = theirs.to_type(torch.float64).data<float>().ToArray()
    // float32 bilinear and area sum in another order than ATen's one pass over the window
    let tol = if dtype = DType.Float32 then 1e-5 else 1e-12

    for i in 0 .. a.Length - 1 do
        if abs (a[i] - b[i]) > tol then
            failtestf "%s: element %d is %.9g, LibTorch's %.9g" what i a[i] b[i]

let private modeOf =
    function
    | "nearest" -> torch.InterpolationMode.Nearest
    | "nearest-exact" -> torch.InterpolationMode.NearestExact
    | "linear" -> torch.InterpolationMode.Linear
    | "bilinear" -> torch.InterpolationMode.Bilinear
    | "bicubic" -> torch.InterpolationMode.Bicubic
    | "trilinear" -> torch.InterpolationMode.Trilinear
    | _ -> torch.InterpolationMode.Area

/// One interpolation both ways; a scale is given to LibTorch per axis, as its C++ interpolate takes it.
let private interpolates (rng: Random) (dtype: DType) mode (shape: int[]) (size: int[]) (scale: float[]) alignCorners =
    let x = data rng shape
    let spatial = shape.Length - 2

    let ours =
        managed (fun () -> Tensor.FromArray(x, shape).ToDType(dtype).Interpolate(size, scale, mode, alignCorners))

    // LibTorch's C++ interpolate warns about nearest-exact without a setting, and accepts false for it
    let aligned =
        if mode.Contains "linear" || mode = "bicubic" || mode = "nearest-exact" then
            Nullable alignCorners
        else
            Nullable()

    let scales =
        if isNull scale then null
        elif scale.Length = 1 then Array.create spatial scale[0]
        else scale

    let sizes =
        if isNull size then
            null
        else
            Array.map
                int64
                (if size.Length = 1 then
                     Array.create spatial size[0]
                 else
                     size)

    use t = torchOf x shape dtype

    use r =
        torch.nn.functional.interpolate (t, sizes, scales, modeOf mode, aligned, false, false)

    same $"{mode} {shape} size {size} scale {scale} aligned {alignCorners} {dtype}" dtype ours r

[<Tests>]
let tests =
    testList
        "resampling against LibTorch"
        [
            for dtype in [ DType.Float64; DType.Float32 ] do
                test $"1-D modes, every size from 1 to 7 to every size up to 13 and scale factors, {dtype.Name()}" {
                    let rng = Random 1

                    for mode in [ "nearest"; "nearest-exact"; "linear"; "area" ] do
                        for n in 1..7 do
                            for m in 1..13 do
                                interpolates rng dtype mode [| 2; 2; n |] [| m |] null false

                                if mode = "linear" then
                                    interpolates rng dtype mode [| 2; 2; n |] [| m |] null true

                            for s in [ 0.3; 0.5; 0.7; 1.0; 1.2; 1.5; 2.0; 2.5; 3.0; 1.0 / 3.0; 2.0 / 3.0 ] do
                                if floor (float n * s) >= 1.0 then
                                    interpolates rng dtype mode [| 1; 2; n |] null [| s |] false

                                    if mode = "linear" then
                                        interpolates rng dtype mode [| 1; 2; n |] null [| s |] true
                }

                test $"2-D and 3-D modes, sizes and scale factors, {dtype.Name()}" {
                    let rng = Random 2

                    for mode in [ "bilinear"; "bicubic"; "nearest"; "nearest-exact"; "area" ] do
                        let corners =
                            if mode = "bilinear" || mode = "bicubic" then
                                [ false; true ]
                            else
                                [ false ]

                        for h, w in [ 1, 1; 2, 3; 4, 5; 5, 2 ] do
                            for ac in corners do
                                for a, b in [ 1, 1; 3, 2; 4, 4; 7, 9; 8, 10 ] do
                                    interpolates rng dtype mode [| 2; 3; h; w |] [| a; b |] null ac

                                for s in [ 0.5; 1.5; 2.0; 1.0 / 3.0; 2.7 ] do
                                    if floor (float (min h w) * s) >= 1.0 then
                                        interpolates rng dtype mode [| 1; 2; h; w |] null [| s |] ac

                    for mode in [ "trilinear"; "nearest"; "area" ] do
                        for ac in (if mode = "trilinear" then [ false; true ] else [ false ]) do
                            interpolates rng dtype mode [| 1; 2; 3; 2; 4 |] [| 5; 3; 2 |] null ac
                            interpolates rng dtype mode [| 1; 2; 3; 2; 4 |] null [| 1.5; 2.0; 0.5 |] ac
                }
            test "on the device, a padded element next to an infinite one is the fill, not NaN" {
                let x =
                    Tensor.FromArray([| infinity; 1.0; -infinity |], [| 1; 1; 3 |]).To(Setup.device ())

                let padded = x.Pad([| 2; 1 |]).ToArray()
                Expect.sequenceEqual padded [| 0.0; 0.0; infinity; 1.0; -infinity; 0.0 |] "zero padding"
                let filled = x.Pad([| 1; 1 |], "constant", 2.0).ToArray()
                Expect.sequenceEqual filled [| 2.0; infinity; 1.0; -infinity; 2.0 |] "constant 2"
                let replicated = x.Pad([| 1; 1 |], "replicate").ToArray()
                Expect.sequenceEqual replicated [| infinity; infinity; 1.0; -infinity; -infinity |] "replicate"
            }
            test "padding, unfold, fold and pixel shuffles, bit for bit" {
                let rng = Random 3

                let modes =
                    [
                        "reflect", PaddingModes.Reflect
                        "replicate", PaddingModes.Replicate
                        "circular", PaddingModes.Circular
                        "constant", PaddingModes.Constant
                    ]

                for shape, pads in
                    [
                        [| 2; 3; 5 |], [| 2; 1 |]
                        [| 1; 2; 4; 5 |], [| 1; 2; 3; 0 |]
                        [| 1; 1; 3; 4; 5 |], [| 1; 1; 2; 2; 0; 2 |]
                        [| 2; 2; 4; 4 |], [| 3; 3; 3; 3 |]
                    ] do
                    let x = data rng shape

                    for mode, tm in modes do
                        let value = if mode = "constant" then 2.5 else 0.0
                        let ours = managed (fun () -> Tensor.FromArray(x, shape).Pad(pads, mode, value))
                        use t = torchOf x shape DType.Float64
                        use r = torch.nn.functional.pad (t, Array.map int64 pads, tm, value)
                        same $"pad {mode} {shape} {pads}" DType.Float64 ours r

                for k, d, p, s in [ 2, 1, 0, 1; 3, 1, 1, 1; 2, 2, 1, 2; 3, 2, 2, 1; 1, 1, 0, 3; 6, 1, 2, 1 ] do
                    let shape = [| 2; 3; 5; 4 |]
                    let x = data rng shape

                    let ours =
                        managed (fun () -> Tensor.FromArray(x, shape).Unfold([| k |], [| d |], [| p |], [| s |]))

                    use t = torchOf x shape DType.Float64
                    use r = torch.nn.functional.unfold (t, int64 k, int64 d, int64 p, int64 s)
                    same $"unfold {k} {d} {p} {s}" DType.Float64 ours r
                    let colShape = Array.ofSeq ours.Shape
                    let c = data rng colShape

                    let folded =
                        managed (fun () ->
                            Tensor.FromArray(c, colShape).Fold([| 5; 4 |], [| k |], [| d |], [| p |], [| s |]))

                    use ct = torchOf c colShape DType.Float64

                    let both (v: int) =
                        Nullable<struct (int64 * int64)>(struct (int64 v, int64 v))

                    use fr =
                        torch.nn.functional.fold (
                            ct,
                            struct (5L, 4L),
                            struct (int64 k, int64 k),
                            both d,
                            both p,
                            both s
                        )

                    // col2im sums overlapping windows, perhaps in another order
                    same $"fold {k} {d} {p} {s}" DType.Float32 folded fr

                let shape = [| 2; 8; 3; 2 |]
                let x = data rng shape
                use t = torchOf x shape DType.Float64
                use r = torch.nn.functional.pixel_shuffle (t, 2L)
                same "pixelShuffle" DType.Float64 (managed (fun () -> Tensor.FromArray(x, shape).PixelShuffle 2)) r
                use u = torch.nn.functional.pixel_unshuffle (t, 1L)
                same "pixelUnshuffle" DType.Float64 (managed (fun () -> Tensor.FromArray(x, shape).PixelUnshuffle 1)) u
            }
        ]
