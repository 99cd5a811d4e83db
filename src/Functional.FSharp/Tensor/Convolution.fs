namespace FuncGrad

/// <summary>The padding of a convolution: numbers (one for every spatial axis, or one per axis), or PyTorch's
/// <c>"same"</c> and <c>"valid"</c>.</summary>
/// <example><code>{ ConvOptions.defaults with Padding = ConvPadding.Same }</code></example>
[<Sealed>]
type ConvPadding private (mode: string, values: int[]) =
    member internal _.Mode = mode
    member internal _.Values = values

    /// <summary>Zeros before and after each spatial axis: one value for every axis, or one per axis.</summary>
    /// <example><code>{ ConvOptions.defaults with Padding = ConvPadding.Pad [| 1 |] }</code></example>
    static member Pad(values: int[]) =
        Args.notNull "ConvPadding.Pad" "values" values
        ConvPadding("", Array.copy values)

    /// <summary>Padding that keeps the input's size (stride 1): d·(k − 1) in all, the odd element after the
    /// input.</summary>
    /// <example><code>{ ConvOptions.defaults with Padding = ConvPadding.Same }</code></example>
    static member Same = ConvPadding("same", [||])

    /// <summary>No padding.</summary>
    /// <example><code>{ ConvOptions.defaults with Padding = ConvPadding.Valid }</code></example>
    static member Valid = ConvPadding("valid", [||])

    /// <summary>"same", "valid", or the numbers, as PyTorch writes them.</summary>
    /// <example><code>string ConvPadding.Same // "same"</code></example>
    override _.ToString() =
        if mode = "" then
            "[" + String.concat ", " (Array.map string values) + "]"
        else
            mode

/// <summary>The options of <c>Tensor.conv1dWith</c>, <c>conv2dWith</c> and <c>conv3dWith</c>, PyTorch's arguments
/// after the weight. Per-axis fields take one value for every spatial axis or one per axis.</summary>
/// <example><code>{ ConvOptions.defaults with Stride = [| 2 |]; Padding = ConvPadding.Same }</code></example>
type ConvOptions =
    {
        /// <summary>A bias [C_out] added per output channel, or none.</summary>
        /// <example><code>{ ConvOptions.defaults with Bias = Some(Tensor.zeros [| 8 |]) }</code></example>
        Bias: Tensor option
        /// <summary>The step between windows (default 1).</summary>
        /// <example><code>{ ConvOptions.defaults with Stride = [| 2 |] }</code></example>
        Stride: int[]
        /// <summary>Zeros around the input (default none).</summary>
        /// <example><code>{ ConvOptions.defaults with Padding = ConvPadding.Pad [| 1; 2 |] }</code></example>
        Padding: ConvPadding
        /// <summary>The step between a window's taps (default 1).</summary>
        /// <example><code>{ ConvOptions.defaults with Dilation = [| 2 |] }</code></example>
        Dilation: int[]
        /// <summary>Channel groups, each convolved with its own slice of the weight (default 1).</summary>
        /// <example><code>{ ConvOptions.defaults with Groups = 3 } // depthwise on 3 channels</code></example>
        Groups: int
    }

    /// <summary>PyTorch's defaults: no bias, stride 1, no padding, dilation 1, one group.</summary>
    /// <example><code>{ ConvOptions.defaults with Groups = 2 }</code></example>
    static member defaults =
        {
            Bias = None
            Stride = [| 1 |]
            Padding = ConvPadding.Pad [| 0 |]
            Dilation = [| 1 |]
            Groups = 1
        }

/// <summary>The options of <c>Tensor.convTranspose1dWith</c>, <c>convTranspose2dWith</c> and
/// <c>convTranspose3dWith</c>, PyTorch's arguments after the weight. Per-axis fields take one value for every spatial
/// axis or one per axis.</summary>
/// <example><code>{ ConvTransposeOptions.defaults with Stride = [| 2 |]; OutputPadding = [| 1 |] }</code></example>
type ConvTransposeOptions =
    {
        /// <summary>A bias [C_out] added per output channel, or none.</summary>
        /// <example><code>{ ConvTransposeOptions.defaults with Bias = Some(Tensor.zeros [| 8 |]) }</code></example>
        Bias: Tensor option
        /// <summary>The stride of the convolution this transposes (default 1).</summary>
        /// <example><code>{ ConvTransposeOptions.defaults with Stride = [| 2 |] }</code></example>
        Stride: int[]
        /// <summary>The padding of the convolution this transposes: taken off the output (default none).</summary>
        /// <example><code>{ ConvTransposeOptions.defaults with Padding = [| 1 |] }</code></example>
        Padding: int[]
        /// <summary>Elements added after each output axis, less than the stride or the dilation (default 0).</summary>
        /// <example><code>
        /// { ConvTransposeOptions.defaults with Stride = [| 2 |]; OutputPadding = [| 1 |] }
        /// </code></example>
        OutputPadding: int[]
        /// <summary>Channel groups (default 1).</summary>
        /// <example><code>{ ConvTransposeOptions.defaults with Groups = 2 }</code></example>
        Groups: int
        /// <summary>The step between a window's taps (default 1).</summary>
        /// <example><code>{ ConvTransposeOptions.defaults with Dilation = [| 2 |] }</code></example>
        Dilation: int[]
    }

    /// <summary>PyTorch's defaults: no bias, stride 1, no padding or output padding, one group, dilation 1.</summary>
    /// <example><code>{ ConvTransposeOptions.defaults with Groups = 2 }</code></example>
    static member defaults =
        {
            Bias = None
            Stride = [| 1 |]
            Padding = [| 0 |]
            OutputPadding = [| 0 |]
            Groups = 1
            Dilation = [| 1 |]
        }

/// <summary>Convolutions and transposed convolutions: the functions of the <c>Tensor</c> module that mirror the core's
/// <c>Ops/Convolution.cs</c>.</summary>
/// <example><code>
/// Tensor.ones [| 1; 1; 3; 3 |] |> Tensor.conv2d (Tensor.ones [| 1; 1; 2; 2 |]) |> Tensor.shape // [| 1; 1; 2; 2 |]
/// </code></example>
[<AutoOpen>]
module TensorConvolution =
    let private bias (b: Tensor option) =
        match b with
        | Some t -> t
        | None -> null

    /// conv1dWith … conv3dWith: the options checked, then the numbers or the mode handed to the C# method.
    let private convWith
        (name: string)
        (numbers: Tensor * Tensor * Tensor * int[] * int[] * int[] * int -> Tensor)
        (mode: Tensor * Tensor * string * Tensor * int[] * int[] * int -> Tensor)
        (options: ConvOptions)
        (weight: Tensor)
        (input: Tensor)
        =
        Args.notNull name "options" (box options)
        Args.notNull name "weight" weight
        Args.notNull name "input" input
        let padding = options.Padding
        Args.notNull name "options.Padding" padding
        let b = bias options.Bias

        if padding.Mode = "" then
            numbers (input, weight, b, options.Stride, padding.Values, options.Dilation, options.Groups)
        else
            mode (input, weight, padding.Mode, b, options.Stride, options.Dilation, options.Groups)

    /// convTranspose1dWith … convTranspose3dWith: the options checked and handed to the C# method in PyTorch's order.
    let private convTransposeWith
        (name: string)
        (f: Tensor * Tensor * Tensor * int[] * int[] * int[] * int * int[] -> Tensor)
        (options: ConvTransposeOptions)
        (weight: Tensor)
        (input: Tensor)
        =
        Args.notNull name "options" (box options)
        Args.notNull name "weight" weight
        Args.notNull name "input" input

        f (
            input,
            weight,
            bias options.Bias,
            options.Stride,
            options.Padding,
            options.OutputPadding,
            options.Groups,
            options.Dilation
        )

    /// <summary>Convolutions and transposed convolutions.</summary>
    /// <example><code>
    /// Tensor.ones [| 1; 1; 3; 3 |] |> Tensor.conv2d (Tensor.ones [| 1; 1; 2; 2 |]) |> Tensor.shape // [| 1; 1; 2; 2 |]
    /// </code></example>
    [<RequireQualifiedAccess; CompilationRepresentation(CompilationRepresentationFlags.ModuleSuffix)>]
    module Tensor =
        /// <summary>The 1-D convolution of an input [N, C_in, L] (or unbatched) with a weight [C_out, C_in / groups,
        /// k], PyTorch's defaults.</summary>
        /// <example><code>
        /// Tensor.ones [| 1; 1; 5 |] |> Tensor.conv1d (Tensor.ones [| 2; 1; 3 |]) |> Tensor.shape // [| 1; 2; 3 |]
        /// </code></example>
        let conv1d (weight: Tensor) (input: Tensor) =
            Args.notNull "Tensor.conv1d" "weight" weight
            Args.notNull "Tensor.conv1d" "input" input
            input.Conv1d weight

        /// <summary>The 1-D convolution with options: bias, stride, padding (numbers, same or valid), dilation,
        /// groups.</summary>
        /// <example><code>
        /// Tensor.ones [| 1; 1; 5 |]
        /// |> Tensor.conv1dWith { ConvOptions.defaults with Padding = ConvPadding.Same } (Tensor.ones [| 2; 1; 3 |])
        /// |> Tensor.shape // [| 1; 2; 5 |]
        /// </code></example>
        let conv1dWith (options: ConvOptions) (weight: Tensor) (input: Tensor) =
            convWith
                "Tensor.conv1dWith"
                (fun (x, w, b, s, p, d, g) -> x.Conv1d(w, b, s, p, d, g))
                (fun (x, w, m, b, s, d, g) -> x.Conv1d(w, m, b, s, d, g))
                options
                weight
                input

        /// <summary>The 2-D convolution of an input [N, C_in, H, W] (or unbatched) with a weight [C_out, C_in / groups,
        /// kH, kW], PyTorch's defaults.</summary>
        /// <example><code>
        /// Tensor.ones [| 1; 1; 5; 5 |]
        /// |> Tensor.conv2d (Tensor.ones [| 2; 1; 3; 3 |])
        /// |> Tensor.shape // [| 1; 2; 3; 3 |]
        /// </code></example>
        let conv2d (weight: Tensor) (input: Tensor) =
            Args.notNull "Tensor.conv2d" "weight" weight
            Args.notNull "Tensor.conv2d" "input" input
            input.Conv2d weight

        /// <summary>The 2-D convolution with options: bias, stride, padding (numbers, same or valid), dilation,
        /// groups.</summary>
        /// <example><code>
        /// Tensor.ones [| 1; 1; 5; 5 |]
        /// |> Tensor.conv2dWith { ConvOptions.defaults with Padding = ConvPadding.Same } (Tensor.ones [| 2; 1; 3; 3 |])
        /// |> Tensor.shape // [| 1; 2; 5; 5 |]
        /// </code></example>
        let conv2dWith (options: ConvOptions) (weight: Tensor) (input: Tensor) =
            convWith
                "Tensor.conv2dWith"
                (fun (x, w, b, s, p, d, g) -> x.Conv2d(w, b, s, p, d, g))
                (fun (x, w, m, b, s, d, g) -> x.Conv2d(w, m, b, s, d, g))
                options
                weight
                input

        /// <summary>The 3-D convolution of an input [N, C_in, D, H, W] (or unbatched) with a weight [C_out, C_in /
        /// groups, kD, kH, kW], PyTorch's defaults.</summary>
        /// <example><code>
        /// Tensor.ones [| 1; 1; 4; 4; 4 |]
        /// |> Tensor.conv3d (Tensor.ones [| 2; 1; 3; 3; 3 |])
        /// |> Tensor.shape // [| 1; 2; 2; 2; 2 |]
        /// </code></example>
        let conv3d (weight: Tensor) (input: Tensor) =
            Args.notNull "Tensor.conv3d" "weight" weight
            Args.notNull "Tensor.conv3d" "input" input
            input.Conv3d weight

        /// <summary>The 3-D convolution with options: bias, stride, padding (numbers, same or valid), dilation,
        /// groups.</summary>
        /// <example><code>
        /// Tensor.ones [| 1; 1; 4; 4; 4 |]
        /// |> Tensor.conv3dWith
        ///     { ConvOptions.defaults with Padding = ConvPadding.Same }
        ///     (Tensor.ones [| 2; 1; 3; 3; 3 |])
        /// |> Tensor.shape // [| 1; 2; 4; 4; 4 |]
        /// </code></example>
        let conv3dWith (options: ConvOptions) (weight: Tensor) (input: Tensor) =
            convWith
                "Tensor.conv3dWith"
                (fun (x, w, b, s, p, d, g) -> x.Conv3d(w, b, s, p, d, g))
                (fun (x, w, m, b, s, d, g) -> x.Conv3d(w, m, b, s, d, g))
                options
                weight
                input

        /// <summary>The 1-D transposed convolution of an input [N, C_in, L] (or unbatched) with a weight [C_in, C_out /
        /// groups, k], PyTorch's defaults.</summary>
        /// <example><code>
        /// Tensor.ones [| 1; 2; 3 |]
        /// |> Tensor.convTranspose1d (Tensor.ones [| 2; 1; 2 |])
        /// |> Tensor.shape // [| 1; 1; 4 |]
        /// </code></example>
        let convTranspose1d (weight: Tensor) (input: Tensor) =
            Args.notNull "Tensor.convTranspose1d" "weight" weight
            Args.notNull "Tensor.convTranspose1d" "input" input
            input.ConvTranspose1d weight

        /// <summary>The 1-D transposed convolution with options: bias, stride, padding, output padding, groups,
        /// dilation.</summary>
        /// <example><code>
        /// Tensor.ones [| 1; 2; 3 |]
        /// |> Tensor.convTranspose1dWith
        ///     { ConvTransposeOptions.defaults with Stride = [| 2 |]; Padding = [| 1 |] }
        ///     (Tensor.ones [| 2; 1; 2 |])
        /// |> Tensor.shape // [| 1; 1; 4 |]
        /// </code></example>
        let convTranspose1dWith (options: ConvTransposeOptions) (weight: Tensor) (input: Tensor) =
            convTransposeWith
                "Tensor.convTranspose1dWith"
                (fun (x, w, b, s, p, o, g, d) -> x.ConvTranspose1d(w, b, s, p, o, g, d))
                options
                weight
                input

        /// <summary>The 2-D transposed convolution of an input [N, C_in, H, W] (or unbatched) with a weight [C_in,
        /// C_out / groups, kH, kW], PyTorch's defaults.</summary>
        /// <example><code>
        /// Tensor.ones [| 1; 2; 3; 3 |]
        /// |> Tensor.convTranspose2d (Tensor.ones [| 2; 1; 2; 2 |])
        /// |> Tensor.shape // [| 1; 1; 4; 4 |]
        /// </code></example>
        let convTranspose2d (weight: Tensor) (input: Tensor) =
            Args.notNull "Tensor.convTranspose2d" "weight" weight
            Args.notNull "Tensor.convTranspose2d" "input" input
            input.ConvTranspose2d weight

        /// <summary>The 2-D transposed convolution with options: bias, stride, padding, output padding, groups,
        /// dilation.</summary>
        /// <example><code>
        /// Tensor.ones [| 1; 2; 3; 3 |]
        /// |> Tensor.convTranspose2dWith
        ///     { ConvTransposeOptions.defaults with Stride = [| 2 |]; Padding = [| 1 |] }
        ///     (Tensor.ones [| 2; 1; 2; 2 |])
        /// |> Tensor.shape // [| 1; 1; 4; 4 |]
        /// </code></example>
        let convTranspose2dWith (options: ConvTransposeOptions) (weight: Tensor) (input: Tensor) =
            convTransposeWith
                "Tensor.convTranspose2dWith"
                (fun (x, w, b, s, p, o, g, d) -> x.ConvTranspose2d(w, b, s, p, o, g, d))
                options
                weight
                input

        /// <summary>The 3-D transposed convolution of an input [N, C_in, D, H, W] (or unbatched) with a weight [C_in,
        /// C_out / groups, kD, kH, kW], PyTorch's defaults.</summary>
        /// <example><code>
        /// Tensor.ones [| 1; 2; 2; 2; 2 |]
        /// |> Tensor.convTranspose3d (Tensor.ones [| 2; 1; 2; 2; 2 |])
        /// |> Tensor.shape // [| 1; 1; 3; 3; 3 |]
        /// </code></example>
        let convTranspose3d (weight: Tensor) (input: Tensor) =
            Args.notNull "Tensor.convTranspose3d" "weight" weight
            Args.notNull "Tensor.convTranspose3d" "input" input
            input.ConvTranspose3d weight

        /// <summary>The 3-D transposed convolution with options: bias, stride, padding, output padding, groups,
        /// dilation.</summary>
        /// <example><code>
        /// Tensor.ones [| 1; 2; 2; 2; 2 |]
        /// |> Tensor.convTranspose3dWith
        ///     { ConvTransposeOptions.defaults with Stride = [| 2 |]; Padding = [| 1 |] }
        ///     (Tensor.ones [| 2; 1; 2; 2; 2 |])
        /// |> Tensor.shape // [| 1; 1; 2; 2; 2 |]
        /// </code></example>
        let convTranspose3dWith (options: ConvTransposeOptions) (weight: Tensor) (input: Tensor) =
            convTransposeWith
                "Tensor.convTranspose3dWith"
                (fun (x, w, b, s, p, o, g, d) -> x.ConvTranspose3d(w, b, s, p, o, g, d))
                options
                weight
                input
