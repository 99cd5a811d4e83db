namespace FuncGrad

/// <summary>
/// Interpolation and pixel shuffles. The functions of the <c>Tensor</c> module that mirror the core's
/// <c>Ops/Resampling.cs</c>; <c>open FuncGrad</c> opens this module, so they are called as <c>Tensor.name</c> beside
/// the other families'.
/// </summary>
/// <example><code>
/// Tensor.zeros [| 1; 1; 2; 2 |] |> Tensor.interpolate "nearest" [| 4 |] |> Tensor.shape // [| 1; 1; 4; 4 |]
/// </code></example>
[<AutoOpen>]
module TensorResampling =
    /// <summary>Interpolation and pixel shuffles.</summary>
    /// <example><code>
    /// Tensor.zeros [| 1; 1; 2; 2 |] |> Tensor.interpolate "nearest" [| 4 |] |> Tensor.shape // [| 1; 1; 4; 4 |]
    /// </code></example>
    [<RequireQualifiedAccess; CompilationRepresentation(CompilationRepresentationFlags.ModuleSuffix)>]
    module Tensor =
        /// <summary>Resamples the spatial axes of [N, C, L], [N, C, H, W] or [N, C, D, H, W] to
        /// <paramref name="size"/> (one value for every axis, or one per axis) by <paramref name="mode"/>: nearest,
        /// nearest-exact, linear, bilinear, bicubic, trilinear or area.</summary>
        /// <example><code>
        /// Tensor.ofShape [| 1; 1; 2 |] [| 1.0; 3.0 |]
        /// |> Tensor.interpolate "linear" [| 4 |] // tensor([[[1.0000, 1.5000, 2.5000, 3.0000]]], dtype=float64)
        /// </code></example>
        let interpolate (mode: string) (size: int[]) (t: Tensor) =
            Args.notNull "Tensor.interpolate" "mode" mode
            Args.notNull "Tensor.interpolate" "size" size
            Args.notNull "Tensor.interpolate" "t" t
            t.Interpolate(size, null, mode)

        /// <summary>Interpolation with every setting: <paramref name="size"/> or <paramref name="scaleFactor"/>
        /// (exactly one of them; the other empty), the mode, aligned corners, and whether a scale factor only sets
        /// the output size (<paramref name="recomputeScaleFactor"/>).</summary>
        /// <remarks>Coordinates follow PyTorch's, as <c>Tensor.Interpolate</c> in the core describes.</remarks>
        /// <example><code>
        /// Tensor.zeros [| 1; 1; 3; 3 |]
        /// |> Tensor.interpolateWith [||] [| 2.0 |] "bilinear" true false
        /// |> Tensor.shape // [| 1; 1; 6; 6 |]
        /// </code></example>
        let interpolateWith
            (size: int[])
            (scaleFactor: float[])
            (mode: string)
            (alignCorners: bool)
            (recomputeScaleFactor: bool)
            (t: Tensor)
            =
            Args.notNull "Tensor.interpolateWith" "size" size
            Args.notNull "Tensor.interpolateWith" "scaleFactor" scaleFactor
            Args.notNull "Tensor.interpolateWith" "mode" mode
            Args.notNull "Tensor.interpolateWith" "t" t
            let given (a: 'a[]) = if a.Length = 0 then null else a
            t.Interpolate(given size, given scaleFactor, mode, alignCorners, recomputeScaleFactor)

        /// <summary>Rearranges [*, C·r², H, W] into [*, C, H·r, W·r] (r = <paramref name="upscaleFactor"/>).</summary>
        /// <example><code>
        /// Tensor.zeros [| 1; 4; 2; 2 |] |> Tensor.pixelShuffle 2 |> Tensor.shape // [| 1; 1; 4; 4 |]
        /// </code></example>
        let pixelShuffle (upscaleFactor: int) (t: Tensor) =
            Args.notNull "Tensor.pixelShuffle" "t" t
            t.PixelShuffle upscaleFactor

        /// <summary>Rearranges [*, C, H·r, W·r] into [*, C·r², H, W] (r = <paramref name="downscaleFactor"/>): the
        /// inverse of <c>pixelShuffle</c>.</summary>
        /// <example><code>
        /// Tensor.zeros [| 1; 1; 4; 4 |] |> Tensor.pixelUnshuffle 2 |> Tensor.shape // [| 1; 4; 2; 2 |]
        /// </code></example>
        let pixelUnshuffle (downscaleFactor: int) (t: Tensor) =
            Args.notNull "Tensor.pixelUnshuffle" "t" t
            t.PixelUnshuffle downscaleFactor
