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
    /// <summary>The options of <c>Tensor.interpolateWith</c>, PyTorch's arguments of interpolate: exactly one of a
    /// size and a scale factor (each one value for every spatial axis, or one per axis), the mode and its
    /// settings.</summary>
    /// <example><code>{ InterpolateOptions.defaults with Size = Some [| 8; 8 |]; Mode = "bicubic" }</code></example>
    type InterpolateOptions =
        {
            /// <summary>The output's spatial size, or none where a scale factor sets it.</summary>
            /// <example><code>{ InterpolateOptions.defaults with Size = Some [| 8 |] }</code></example>
            Size: int[] option
            /// <summary>The factor each spatial size is multiplied by (then floored), or none where a size is
            /// given.</summary>
            /// <example><code>{ InterpolateOptions.defaults with ScaleFactor = Some [| 2.0 |] }</code></example>
            ScaleFactor: float[] option
            /// <summary>nearest (the default), nearest-exact, linear, bilinear, bicubic, trilinear or area.</summary>
            /// <example><code>{ InterpolateOptions.defaults with Mode = "area" }</code></example>
            Mode: string
            /// <summary>Whether the corner pixels' centres line up (the interpolating modes only; default
            /// false).</summary>
            /// <example><code>
            /// { InterpolateOptions.defaults with Mode = "linear"; AlignCorners = true }
            /// </code></example>
            AlignCorners: bool
            /// <summary>Whether a scale factor only sets the output size, the coordinates then following the sizes
            /// (default false).</summary>
            /// <example><code>{ InterpolateOptions.defaults with RecomputeScaleFactor = true }</code></example>
            RecomputeScaleFactor: bool
        }

        /// <summary>PyTorch's defaults, with neither a size nor a scale factor yet: nearest, corners not
        /// aligned.</summary>
        /// <example><code>{ InterpolateOptions.defaults with Size = Some [| 4 |] }</code></example>
        static member defaults =
            {
                Size = None
                ScaleFactor = None
                Mode = "nearest"
                AlignCorners = false
                RecomputeScaleFactor = false
            }

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

        /// <summary>Interpolation with every setting in <paramref name="options"/>: a size or a scale factor, the
        /// mode, aligned corners, and whether a scale factor only sets the output size.</summary>
        /// <remarks>Coordinates follow PyTorch's, as <c>Tensor.Interpolate</c> in the core describes.</remarks>
        /// <example><code>
        /// Tensor.zeros [| 1; 1; 3; 3 |]
        /// |> Tensor.interpolateWith
        ///     { InterpolateOptions.defaults with
        ///         ScaleFactor = Some [| 2.0 |]
        ///         Mode = "bilinear"
        ///         AlignCorners = true }
        /// |> Tensor.shape // [| 1; 1; 6; 6 |]
        /// </code></example>
        let interpolateWith (options: InterpolateOptions) (t: Tensor) =
            Args.notNull "Tensor.interpolateWith" "options" options
            Args.notNull "Tensor.interpolateWith" "t" t

            t.Interpolate(
                Option.toObj options.Size,
                Option.toObj options.ScaleFactor,
                options.Mode,
                options.AlignCorners,
                options.RecomputeScaleFactor
            )

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
