namespace FuncGrad

/// <summary>How a max-pooling slides its windows (<c>Tensor.maxPool2dWith</c> and its kin): per-axis arrays take one
/// element for every spatial axis or one per axis.</summary>
/// <example><code>{ MaxPoolOptions.defaults with Stride = [| 1 |]; Padding = [| 1 |] }</code></example>
type MaxPoolOptions =
    {
        /// <summary>Steps between windows; empty (the default) steps by the kernel size.</summary>
        /// <example><code>{ MaxPoolOptions.defaults with Stride = [| 1 |] }</code></example>
        Stride: int[]
        /// <summary>−inf added on both ends of each axis, at most half the kernel (default 0).</summary>
        /// <example><code>{ MaxPoolOptions.defaults with Padding = [| 1 |] }</code></example>
        Padding: int[]
        /// <summary>Steps between a window's taps (default 1).</summary>
        /// <example><code>{ MaxPoolOptions.defaults with Dilation = [| 2 |] }</code></example>
        Dilation: int[]
        /// <summary>Keep a last, partial window that starts inside the input or the left padding.</summary>
        /// <example><code>{ MaxPoolOptions.defaults with CeilMode = true }</code></example>
        CeilMode: bool
    }

/// <summary>How an average pooling slides its windows and divides (<c>Tensor.avgPool2dWith</c> and its kin).</summary>
/// <example><code>{ AvgPoolOptions.defaults with Padding = [| 1 |]; CountIncludePad = false }</code></example>
type AvgPoolOptions =
    {
        /// <summary>Steps between windows; empty (the default) steps by the kernel size.</summary>
        /// <example><code>{ AvgPoolOptions.defaults with Stride = [| 1 |] }</code></example>
        Stride: int[]
        /// <summary>Zeros added on both ends of each axis, at most half the kernel (default 0).</summary>
        /// <example><code>{ AvgPoolOptions.defaults with Padding = [| 1 |] }</code></example>
        Padding: int[]
        /// <summary>Keep a last, partial window that starts inside the input or the left padding.</summary>
        /// <example><code>{ AvgPoolOptions.defaults with CeilMode = true }</code></example>
        CeilMode: bool
        /// <summary>Count the padding in each window's divisor (the default, as PyTorch).</summary>
        /// <example><code>{ AvgPoolOptions.defaults with CountIncludePad = false }</code></example>
        CountIncludePad: bool
        /// <summary>Divide every window's sum by this number instead of its size.</summary>
        /// <example><code>{ AvgPoolOptions.defaults with DivisorOverride = Some 4 }</code></example>
        DivisorOverride: int option
    }

/// <summary>The default max-pooling options: stride the kernel size, no padding, no dilation, floor mode.</summary>
/// <example><code>{ MaxPoolOptions.defaults with Padding = [| 1 |] }</code></example>
[<RequireQualifiedAccess; CompilationRepresentation(CompilationRepresentationFlags.ModuleSuffix)>]
module MaxPoolOptions =
    /// <summary>Stride the kernel size, no padding, no dilation, floor mode: PyTorch's defaults.</summary>
    /// <example><code>MaxPoolOptions.defaults.Padding // [| 0 |]</code></example>
    let defaults =
        {
            Stride = [||]
            Padding = [| 0 |]
            Dilation = [| 1 |]
            CeilMode = false
        }

/// <summary>The default average-pooling options: stride the kernel size, no padding, floor mode, padding
/// counted.</summary>
/// <example><code>{ AvgPoolOptions.defaults with Padding = [| 1 |] }</code></example>
[<RequireQualifiedAccess; CompilationRepresentation(CompilationRepresentationFlags.ModuleSuffix)>]
module AvgPoolOptions =
    /// <summary>Stride the kernel size, no padding, floor mode, padding counted, no divisor override: PyTorch's
    /// defaults.</summary>
    /// <example><code>AvgPoolOptions.defaults.CountIncludePad // true</code></example>
    let defaults =
        {
            Stride = [||]
            Padding = [| 0 |]
            CeilMode = false
            CountIncludePad = true
            DivisorOverride = None
        }

/// <summary>
/// Max, average and adaptive pooling over 1, 2 or 3 trailing axes: the functions of the <c>Tensor</c> module that
/// mirror the core's <c>Ops/Pooling.cs</c>. Inputs are [N, C, …] or [C, …]; indices are int64, flat in each plane.
/// </summary>
/// <example><code>
/// Tensor.ones [| 1; 1; 4; 4 |] |> Tensor.maxPool2d [| 2 |] |> Tensor.shape // [| 1; 1; 2; 2 |]
/// </code></example>
[<AutoOpen>]
module TensorPooling =
    let private maxArgs name (o: MaxPoolOptions) (kernelSize: int[]) (t: Tensor) =
        Args.notNullAs name "options" "options: MaxPoolOptions.defaults, or options made from it" o
        Args.notNull name "kernelSize" kernelSize
        Args.notNull name "t" t
        Args.notNull name "options.Stride" o.Stride
        Args.notNull name "options.Padding" o.Padding
        Args.notNull name "options.Dilation" o.Dilation

    let private avgArgs name (o: AvgPoolOptions) (kernelSize: int[]) (t: Tensor) =
        Args.notNullAs name "options" "options: AvgPoolOptions.defaults, or options made from it" o
        Args.notNull name "kernelSize" kernelSize
        Args.notNull name "t" t
        Args.notNull name "options.Stride" o.Stride
        Args.notNull name "options.Padding" o.Padding

    let private divisor (o: AvgPoolOptions) = Option.toNullable o.DivisorOverride

    /// <summary>Max, average and adaptive pooling.</summary>
    /// <example><code>
    /// Tensor.ones [| 1; 1; 4; 4 |] |> Tensor.avgPool2d [| 2 |] |> Tensor.shape // [| 1; 1; 2; 2 |]
    /// </code></example>
    [<RequireQualifiedAccess; CompilationRepresentation(CompilationRepresentationFlags.ModuleSuffix)>]
    module Tensor =
        /// <summary>The maximum of each window of the kernel size over the last axis of [N, C, L] or [C, L] (stride the
        /// kernel, no padding); ties give the gradient to the first maximum.</summary>
        /// <example><code>
        /// Tensor.ofList [ 1.0; 3.0; 2.0; 0.0 ] |> Tensor.reshape [| 1; 1; 4 |]
        /// |> Tensor.maxPool1d [| 2 |] |> Tensor.shape // [| 1; 1; 2 |]
        /// </code></example>
        let maxPool1d (kernelSize: int[]) (t: Tensor) =
            Args.notNull "Tensor.maxPool1d" "kernelSize" kernelSize
            Args.notNull "Tensor.maxPool1d" "t" t
            t.MaxPool1d kernelSize

        /// <summary>Max-pooling over the last axis of [N, C, L] or [C, L] with stride, padding (−inf), dilation and
        /// ceil mode.</summary>
        /// <example><code>
        /// Tensor.ofList [ 1.0; 3.0; 2.0; 0.0 ] |> Tensor.reshape [| 1; 1; 4 |]
        /// |> Tensor.maxPool1dWith { MaxPoolOptions.defaults with Stride = [| 1 |] } [| 2 |]
        /// </code></example>
        let maxPool1dWith (options: MaxPoolOptions) (kernelSize: int[]) (t: Tensor) =
            maxArgs "Tensor.maxPool1dWith" options kernelSize t
            t.MaxPool1d(kernelSize, options.Stride, options.Padding, options.Dilation, options.CeilMode)

        /// <summary>Max-pooling over the last axis of [N, C, L] or [C, L] (stride the kernel) with the int64 index of
        /// each maximum, flat in its plane.</summary>
        /// <example><code>
        /// Tensor.ofList [ 1.0; 3.0; 2.0; 0.0 ] |> Tensor.reshape [| 1; 1; 4 |]
        /// |> Tensor.maxPool1dWithIndices [| 2 |] |> snd |> Tensor.shape // [| 1; 1; 2 |]
        /// </code></example>
        let maxPool1dWithIndices (kernelSize: int[]) (t: Tensor) =
            Args.notNull "Tensor.maxPool1dWithIndices" "kernelSize" kernelSize
            Args.notNull "Tensor.maxPool1dWithIndices" "t" t
            t.MaxPool1dWithIndices kernelSize |> StructTuple.toPair

        /// <summary>Max-pooling over the last axis of [N, C, L] or [C, L] with options, and the int64 index of each
        /// maximum, flat in its plane.</summary>
        /// <example><code>
        /// Tensor.ofList [ 1.0; 3.0; 2.0; 0.0 ] |> Tensor.reshape [| 1; 1; 4 |]
        /// |> Tensor.maxPool1dWithIndicesWith { MaxPoolOptions.defaults with CeilMode = true } [| 2 |]
        /// </code></example>
        let maxPool1dWithIndicesWith (options: MaxPoolOptions) (kernelSize: int[]) (t: Tensor) =
            maxArgs "Tensor.maxPool1dWithIndicesWith" options kernelSize t

            t.MaxPool1dWithIndices(kernelSize, options.Stride, options.Padding, options.Dilation, options.CeilMode)
            |> StructTuple.toPair

        /// <summary>The mean of each window of the kernel size over the last axis of [N, C, L] or [C, L] (stride the
        /// kernel, no padding).</summary>
        /// <example><code>
        /// Tensor.ofList [ 1.0; 3.0; 2.0; 0.0 ] |> Tensor.reshape [| 1; 1; 4 |]
        /// |> Tensor.avgPool1d [| 2 |] |> Tensor.shape // [| 1; 1; 2 |]
        /// </code></example>
        let avgPool1d (kernelSize: int[]) (t: Tensor) =
            Args.notNull "Tensor.avgPool1d" "kernelSize" kernelSize
            Args.notNull "Tensor.avgPool1d" "t" t
            t.AvgPool1d kernelSize

        /// <summary>Average pooling over the last axis of [N, C, L] or [C, L] with stride, zero padding, ceil mode,
        /// count-include-pad and a divisor override.</summary>
        /// <example><code>
        /// Tensor.ofList [ 1.0; 3.0; 2.0; 0.0 ] |> Tensor.reshape [| 1; 1; 4 |]
        /// |> Tensor.avgPool1dWith { AvgPoolOptions.defaults with DivisorOverride = Some 1 } [| 2 |]
        /// </code></example>
        let avgPool1dWith (options: AvgPoolOptions) (kernelSize: int[]) (t: Tensor) =
            avgArgs "Tensor.avgPool1dWith" options kernelSize t

            t.AvgPool1d(
                kernelSize,
                options.Stride,
                options.Padding,
                options.CeilMode,
                options.CountIncludePad,
                divisor options
            )

        /// <summary>The mean over outputSize windows of the last axis of [N, C, L] or [C, L]: output o of m covers
        /// ⌊o·n/m⌋ … ⌈(o+1)·n/m⌉ − 1.</summary>
        /// <example><code>
        /// Tensor.ofList [ 1.0; 3.0; 2.0; 0.0 ] |> Tensor.reshape [| 1; 1; 4 |]
        /// |> Tensor.adaptiveAvgPool1d [| 1 |]
        /// </code></example>
        let adaptiveAvgPool1d (outputSize: int[]) (t: Tensor) =
            Args.notNull "Tensor.adaptiveAvgPool1d" "outputSize" outputSize
            Args.notNull "Tensor.adaptiveAvgPool1d" "t" t
            t.AdaptiveAvgPool1d outputSize

        /// <summary>The maximum of each window of the kernel size over the last two axes of [N, C, H, W] or [C, H, W]
        /// (stride the kernel, no padding); ties give the gradient to the first maximum.</summary>
        /// <example><code>
        /// Tensor.arange 16 |> Tensor.reshape [| 1; 1; 4; 4 |]
        /// |> Tensor.maxPool2d [| 2 |] |> Tensor.shape // [| 1; 1; 2; 2 |]
        /// </code></example>
        let maxPool2d (kernelSize: int[]) (t: Tensor) =
            Args.notNull "Tensor.maxPool2d" "kernelSize" kernelSize
            Args.notNull "Tensor.maxPool2d" "t" t
            t.MaxPool2d kernelSize

        /// <summary>Max-pooling over the last two axes of [N, C, H, W] or [C, H, W] with stride, padding (−inf),
        /// dilation and ceil mode.</summary>
        /// <example><code>
        /// Tensor.arange 16 |> Tensor.reshape [| 1; 1; 4; 4 |]
        /// |> Tensor.maxPool2dWith { MaxPoolOptions.defaults with Stride = [| 1 |] } [| 2 |]
        /// </code></example>
        let maxPool2dWith (options: MaxPoolOptions) (kernelSize: int[]) (t: Tensor) =
            maxArgs "Tensor.maxPool2dWith" options kernelSize t
            t.MaxPool2d(kernelSize, options.Stride, options.Padding, options.Dilation, options.CeilMode)

        /// <summary>Max-pooling over the last two axes of [N, C, H, W] or [C, H, W] (stride the kernel) with the int64
        /// index of each maximum, flat in its plane.</summary>
        /// <example><code>
        /// Tensor.arange 16 |> Tensor.reshape [| 1; 1; 4; 4 |]
        /// |> Tensor.maxPool2dWithIndices [| 2 |] |> snd |> Tensor.shape // [| 1; 1; 2; 2 |]
        /// </code></example>
        let maxPool2dWithIndices (kernelSize: int[]) (t: Tensor) =
            Args.notNull "Tensor.maxPool2dWithIndices" "kernelSize" kernelSize
            Args.notNull "Tensor.maxPool2dWithIndices" "t" t
            t.MaxPool2dWithIndices kernelSize |> StructTuple.toPair

        /// <summary>Max-pooling over the last two axes of [N, C, H, W] or [C, H, W] with options, and the int64 index
        /// of each maximum, flat in its plane.</summary>
        /// <example><code>
        /// Tensor.arange 16 |> Tensor.reshape [| 1; 1; 4; 4 |]
        /// |> Tensor.maxPool2dWithIndicesWith { MaxPoolOptions.defaults with CeilMode = true } [| 2 |]
        /// </code></example>
        let maxPool2dWithIndicesWith (options: MaxPoolOptions) (kernelSize: int[]) (t: Tensor) =
            maxArgs "Tensor.maxPool2dWithIndicesWith" options kernelSize t

            t.MaxPool2dWithIndices(kernelSize, options.Stride, options.Padding, options.Dilation, options.CeilMode)
            |> StructTuple.toPair

        /// <summary>The mean of each window of the kernel size over the last two axes of [N, C, H, W] or [C, H, W]
        /// (stride the kernel, no padding).</summary>
        /// <example><code>
        /// Tensor.arange 16 |> Tensor.reshape [| 1; 1; 4; 4 |]
        /// |> Tensor.avgPool2d [| 2 |] |> Tensor.shape // [| 1; 1; 2; 2 |]
        /// </code></example>
        let avgPool2d (kernelSize: int[]) (t: Tensor) =
            Args.notNull "Tensor.avgPool2d" "kernelSize" kernelSize
            Args.notNull "Tensor.avgPool2d" "t" t
            t.AvgPool2d kernelSize

        /// <summary>Average pooling over the last two axes of [N, C, H, W] or [C, H, W] with stride, zero padding, ceil
        /// mode, count-include-pad and a divisor override.</summary>
        /// <example><code>
        /// Tensor.arange 16 |> Tensor.reshape [| 1; 1; 4; 4 |]
        /// |> Tensor.avgPool2dWith { AvgPoolOptions.defaults with DivisorOverride = Some 1 } [| 2 |]
        /// </code></example>
        let avgPool2dWith (options: AvgPoolOptions) (kernelSize: int[]) (t: Tensor) =
            avgArgs "Tensor.avgPool2dWith" options kernelSize t

            t.AvgPool2d(
                kernelSize,
                options.Stride,
                options.Padding,
                options.CeilMode,
                options.CountIncludePad,
                divisor options
            )

        /// <summary>The mean over outputSize windows of the last two axes of [N, C, H, W] or [C, H, W]: output o of m
        /// covers ⌊o·n/m⌋ … ⌈(o+1)·n/m⌉ − 1.</summary>
        /// <example><code>
        /// Tensor.arange 16 |> Tensor.reshape [| 1; 1; 4; 4 |]
        /// |> Tensor.adaptiveAvgPool2d [| 1 |]
        /// </code></example>
        let adaptiveAvgPool2d (outputSize: int[]) (t: Tensor) =
            Args.notNull "Tensor.adaptiveAvgPool2d" "outputSize" outputSize
            Args.notNull "Tensor.adaptiveAvgPool2d" "t" t
            t.AdaptiveAvgPool2d outputSize

        /// <summary>The maximum of each window of the kernel size over the last three axes of [N, C, D, H, W] or [C, D,
        /// H, W] (stride the kernel, no padding); ties give the gradient to the first maximum.</summary>
        /// <example><code>
        /// Tensor.arange 8 |> Tensor.reshape [| 1; 1; 2; 2; 2 |]
        /// |> Tensor.maxPool3d [| 2 |] |> Tensor.shape // [| 1; 1; 1; 1; 1 |]
        /// </code></example>
        let maxPool3d (kernelSize: int[]) (t: Tensor) =
            Args.notNull "Tensor.maxPool3d" "kernelSize" kernelSize
            Args.notNull "Tensor.maxPool3d" "t" t
            t.MaxPool3d kernelSize

        /// <summary>Max-pooling over the last three axes of [N, C, D, H, W] or [C, D, H, W] with stride, padding
        /// (−inf), dilation and ceil mode.</summary>
        /// <example><code>
        /// Tensor.arange 8 |> Tensor.reshape [| 1; 1; 2; 2; 2 |]
        /// |> Tensor.maxPool3dWith { MaxPoolOptions.defaults with Stride = [| 1 |] } [| 2 |]
        /// </code></example>
        let maxPool3dWith (options: MaxPoolOptions) (kernelSize: int[]) (t: Tensor) =
            maxArgs "Tensor.maxPool3dWith" options kernelSize t
            t.MaxPool3d(kernelSize, options.Stride, options.Padding, options.Dilation, options.CeilMode)

        /// <summary>Max-pooling over the last three axes of [N, C, D, H, W] or [C, D, H, W] (stride the kernel) with
        /// the int64 index of each maximum, flat in its plane.</summary>
        /// <example><code>
        /// Tensor.arange 8 |> Tensor.reshape [| 1; 1; 2; 2; 2 |]
        /// |> Tensor.maxPool3dWithIndices [| 2 |] |> snd |> Tensor.shape // [| 1; 1; 1; 1; 1 |]
        /// </code></example>
        let maxPool3dWithIndices (kernelSize: int[]) (t: Tensor) =
            Args.notNull "Tensor.maxPool3dWithIndices" "kernelSize" kernelSize
            Args.notNull "Tensor.maxPool3dWithIndices" "t" t
            t.MaxPool3dWithIndices kernelSize |> StructTuple.toPair

        /// <summary>Max-pooling over the last three axes of [N, C, D, H, W] or [C, D, H, W] with options, and the int64
        /// index of each maximum, flat in its plane.</summary>
        /// <example><code>
        /// Tensor.arange 8 |> Tensor.reshape [| 1; 1; 2; 2; 2 |]
        /// |> Tensor.maxPool3dWithIndicesWith { MaxPoolOptions.defaults with CeilMode = true } [| 2 |]
        /// </code></example>
        let maxPool3dWithIndicesWith (options: MaxPoolOptions) (kernelSize: int[]) (t: Tensor) =
            maxArgs "Tensor.maxPool3dWithIndicesWith" options kernelSize t

            t.MaxPool3dWithIndices(kernelSize, options.Stride, options.Padding, options.Dilation, options.CeilMode)
            |> StructTuple.toPair

        /// <summary>The mean of each window of the kernel size over the last three axes of [N, C, D, H, W] or [C, D, H,
        /// W] (stride the kernel, no padding).</summary>
        /// <example><code>
        /// Tensor.arange 8 |> Tensor.reshape [| 1; 1; 2; 2; 2 |]
        /// |> Tensor.avgPool3d [| 2 |] |> Tensor.shape // [| 1; 1; 1; 1; 1 |]
        /// </code></example>
        let avgPool3d (kernelSize: int[]) (t: Tensor) =
            Args.notNull "Tensor.avgPool3d" "kernelSize" kernelSize
            Args.notNull "Tensor.avgPool3d" "t" t
            t.AvgPool3d kernelSize

        /// <summary>Average pooling over the last three axes of [N, C, D, H, W] or [C, D, H, W] with stride, zero
        /// padding, ceil mode, count-include-pad and a divisor override.</summary>
        /// <example><code>
        /// Tensor.arange 8 |> Tensor.reshape [| 1; 1; 2; 2; 2 |]
        /// |> Tensor.avgPool3dWith { AvgPoolOptions.defaults with DivisorOverride = Some 1 } [| 2 |]
        /// </code></example>
        let avgPool3dWith (options: AvgPoolOptions) (kernelSize: int[]) (t: Tensor) =
            avgArgs "Tensor.avgPool3dWith" options kernelSize t

            t.AvgPool3d(
                kernelSize,
                options.Stride,
                options.Padding,
                options.CeilMode,
                options.CountIncludePad,
                divisor options
            )

        /// <summary>The mean over outputSize windows of the last three axes of [N, C, D, H, W] or [C, D, H, W]: output
        /// o of m covers ⌊o·n/m⌋ … ⌈(o+1)·n/m⌉ − 1.</summary>
        /// <example><code>
        /// Tensor.arange 8 |> Tensor.reshape [| 1; 1; 2; 2; 2 |]
        /// |> Tensor.adaptiveAvgPool3d [| 1 |]
        /// </code></example>
        let adaptiveAvgPool3d (outputSize: int[]) (t: Tensor) =
            Args.notNull "Tensor.adaptiveAvgPool3d" "outputSize" outputSize
            Args.notNull "Tensor.adaptiveAvgPool3d" "t" t
            t.AdaptiveAvgPool3d outputSize

        /// <summary>The maximum over outputSize windows of the last axis of [N, C, L] or [C, L], with
        /// adaptiveAvgPool1d's windows.</summary>
        /// <example><code>
        /// Tensor.ofList [ 1.0; 3.0; 2.0; 0.0 ] |> Tensor.reshape [| 1; 1; 4 |]
        /// |> Tensor.adaptiveMaxPool1d [| 1 |]
        /// </code></example>
        let adaptiveMaxPool1d (outputSize: int[]) (t: Tensor) =
            Args.notNull "Tensor.adaptiveMaxPool1d" "outputSize" outputSize
            Args.notNull "Tensor.adaptiveMaxPool1d" "t" t
            t.AdaptiveMaxPool1d outputSize

        /// <summary>Adaptive max-pooling over the last axis of [N, C, L] or [C, L] with the int64 index of each
        /// maximum, flat in its plane.</summary>
        /// <example><code>
        /// Tensor.ofList [ 1.0; 3.0; 2.0; 0.0 ] |> Tensor.reshape [| 1; 1; 4 |]
        /// |> Tensor.adaptiveMaxPool1dWithIndices [| 1 |] |> snd
        /// </code></example>
        let adaptiveMaxPool1dWithIndices (outputSize: int[]) (t: Tensor) =
            Args.notNull "Tensor.adaptiveMaxPool1dWithIndices" "outputSize" outputSize
            Args.notNull "Tensor.adaptiveMaxPool1dWithIndices" "t" t
            t.AdaptiveMaxPool1dWithIndices outputSize |> StructTuple.toPair

        /// <summary>The maximum over outputSize windows of the last two axes of [N, C, H, W] or [C, H, W], with
        /// adaptiveAvgPool2d's windows.</summary>
        /// <example><code>
        /// Tensor.arange 16 |> Tensor.reshape [| 1; 1; 4; 4 |]
        /// |> Tensor.adaptiveMaxPool2d [| 1 |]
        /// </code></example>
        let adaptiveMaxPool2d (outputSize: int[]) (t: Tensor) =
            Args.notNull "Tensor.adaptiveMaxPool2d" "outputSize" outputSize
            Args.notNull "Tensor.adaptiveMaxPool2d" "t" t
            t.AdaptiveMaxPool2d outputSize

        /// <summary>Adaptive max-pooling over the last two axes of [N, C, H, W] or [C, H, W] with the int64 index of
        /// each maximum, flat in its plane.</summary>
        /// <example><code>
        /// Tensor.arange 16 |> Tensor.reshape [| 1; 1; 4; 4 |]
        /// |> Tensor.adaptiveMaxPool2dWithIndices [| 1 |] |> snd
        /// </code></example>
        let adaptiveMaxPool2dWithIndices (outputSize: int[]) (t: Tensor) =
            Args.notNull "Tensor.adaptiveMaxPool2dWithIndices" "outputSize" outputSize
            Args.notNull "Tensor.adaptiveMaxPool2dWithIndices" "t" t
            t.AdaptiveMaxPool2dWithIndices outputSize |> StructTuple.toPair
