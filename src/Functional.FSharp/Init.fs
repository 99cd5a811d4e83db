namespace FuncGrad

/// <summary>The options of He (Kaiming) initialisation, as PyTorch's <c>kaiming_uniform_</c> and
/// <c>kaiming_normal_</c> take them (<c>Init.kaiming</c> holds PyTorch's defaults).</summary>
/// <example><code>{ Init.kaiming with Nonlinearity = "relu" }.Mode // "fan_in"</code></example>
type KaimingOptions =
    {
        /// <summary>The negative slope of the leaky_relu that follows (used only with leaky_relu).</summary>
        /// <example><code>{ Init.kaiming with A = 0.2 }</code></example>
        A: float
        /// <summary>"fan_in" (keeps the forward pass's variance) or "fan_out" (the backward pass's).</summary>
        /// <example><code>{ Init.kaiming with Mode = "fan_out" }</code></example>
        Mode: string
        /// <summary>The nonlinearity that follows, as <c>Init.calculateGain</c> takes it.</summary>
        /// <example><code>{ Init.kaiming with Nonlinearity = "relu" }</code></example>
        Nonlinearity: string
        /// <summary>Float64 or Float32.</summary>
        /// <example><code>{ Init.kaiming with DType = DType.Float32 }</code></example>
        DType: DType
    }

/// <summary>The options of a truncated normal initialisation, as PyTorch's <c>trunc_normal_</c> takes them
/// (<c>Init.truncNormalDefaults</c> holds PyTorch's defaults): the bounds in the values' units.</summary>
/// <example><code>{ Init.truncNormalDefaults with Std = 0.02 }.B // 2.0</code></example>
type TruncNormalOptions =
    {
        /// <summary>The normal's mean.</summary>
        /// <example><code>{ Init.truncNormalDefaults with Mean = 1.0 }</code></example>
        Mean: float
        /// <summary>Its standard deviation, above 0.</summary>
        /// <example><code>{ Init.truncNormalDefaults with Std = 0.02 }</code></example>
        Std: float
        /// <summary>The lower bound.</summary>
        /// <example><code>{ Init.truncNormalDefaults with A = -1.0 }</code></example>
        A: float
        /// <summary>The upper bound.</summary>
        /// <example><code>{ Init.truncNormalDefaults with B = 1.0 }</code></example>
        B: float
        /// <summary>Float64 or Float32.</summary>
        /// <example><code>{ Init.truncNormalDefaults with DType = DType.Float32 }</code></example>
        DType: DType
    }

/// <summary>The core's <c>Init</c> class under a name the F# module <c>Init</c> does not hide.</summary>
module internal InitCore =
    let gain (nonlinearity: string) (param: float option) =
        Init.CalculateGain(nonlinearity, Option.toNullable param)

    let fans shape = Init.Fans shape

    let kaimingUniform key shape (o: KaimingOptions) =
        Init.KaimingUniform(key, shape, o.A, o.Mode, o.Nonlinearity, o.DType)

    let kaimingNormal key shape (o: KaimingOptions) =
        Init.KaimingNormal(key, shape, o.A, o.Mode, o.Nonlinearity, o.DType)

    let xavierUniform key shape gain dtype =
        Init.XavierUniform(key, shape, gain, dtype)

    let xavierNormal key shape gain dtype =
        Init.XavierNormal(key, shape, gain, dtype)

    let orthogonal key shape gain dtype =
        Init.Orthogonal(key, shape, gain, dtype)

    let truncNormal key shape (o: TruncNormalOptions) =
        Init.TruncNormal(key, shape, o.Mean, o.Std, o.A, o.B, o.DType)

/// <summary>
/// Initial weights from a random key, as PyTorch's <c>torch.nn.init</c> (the core's <c>Init</c> class): Kaiming,
/// Xavier, orthogonal and truncated normal, with PyTorch's fans and gains.
/// </summary>
/// <remarks>For a weight [out, in, kernel...], fan_in = in·receptive field and fan_out = out·receptive field, the
/// receptive field being the product of the kernel's sizes. The key comes first, then the shape.</remarks>
/// <example><code>Init.kaimingUniform (Random.key 0) [| 64; 32 |] |> Tensor.shape // [| 64; 32 |]</code></example>
[<RequireQualifiedAccess; CompilationRepresentation(CompilationRepresentationFlags.ModuleSuffix)>]
module Init =
    /// <summary>PyTorch's defaults for Kaiming initialisation: a = 0, "fan_in", "leaky_relu", float64.</summary>
    /// <example><code>Init.kaiming.Nonlinearity // "leaky_relu"</code></example>
    let kaiming =
        {
            A = 0.0
            Mode = "fan_in"
            Nonlinearity = "leaky_relu"
            DType = DType.Float64
        }

    /// <summary>PyTorch's defaults for <c>trunc_normal_</c>: mean 0, std 1, bounds −2 and 2, float64.</summary>
    /// <example><code>Init.truncNormalDefaults.A // -2.0</code></example>
    let truncNormalDefaults =
        {
            Mean = 0.0
            Std = 1.0
            A = -2.0
            B = 2.0
            DType = DType.Float64
        }

    /// <summary>The recommended gain for a nonlinearity, as PyTorch's <c>calculate_gain</c>.</summary>
    /// <example><code>Init.calculateGain "tanh" // 1.6666666666666667</code></example>
    let calculateGain (nonlinearity: string) =
        Args.notNull "Init.calculateGain" "nonlinearity" nonlinearity
        InitCore.gain nonlinearity None

    /// <summary>The gain for a nonlinearity with a parameter (leaky_relu's negative slope).</summary>
    /// <example><code>Init.calculateGainWith "leaky_relu" 0.2 // 1.3867504905630728</code></example>
    let calculateGainWith (nonlinearity: string) (param: float) =
        Args.notNull "Init.calculateGainWith" "nonlinearity" nonlinearity
        InitCore.gain nonlinearity (Some param)

    /// <summary>(fan_in, fan_out) of a weight shape [out, in, kernel...], as PyTorch computes them.</summary>
    /// <example><code>Init.fans [| 16; 3; 5; 5 |] // (75, 400)</code></example>
    let fans (shape: int[]) =
        Args.notNull "Init.fans" "shape" shape
        let struct (fanIn, fanOut) = InitCore.fans shape
        fanIn, fanOut

    /// <summary>He (Kaiming) uniform weights with PyTorch's defaults: bound = gain·√(3/fan_in).</summary>
    /// <example><code>Init.kaimingUniform (Random.key 0) [| 8; 4 |] |> Tensor.shape // [| 8; 4 |]</code></example>
    let kaimingUniform (key: Tensor) (shape: int[]) =
        Args.notNull "Init.kaimingUniform" "key" key
        Args.notNull "Init.kaimingUniform" "shape" shape
        InitCore.kaimingUniform key shape kaiming

    /// <summary>He (Kaiming) uniform weights with the given options.</summary>
    /// <example><code>
    /// Init.kaimingUniformWith { Init.kaiming with Nonlinearity = "relu" } (Random.key 0) [| 8; 4 |] |> Tensor.shape
    /// </code></example>
    let kaimingUniformWith (options: KaimingOptions) (key: Tensor) (shape: int[]) =
        Args.notNull "Init.kaimingUniformWith" "options" options
        Args.notNull "Init.kaimingUniformWith" "key" key
        Args.notNull "Init.kaimingUniformWith" "shape" shape
        InitCore.kaimingUniform key shape options

    /// <summary>He (Kaiming) normal weights with PyTorch's defaults: standard deviation gain/√fan_in.</summary>
    /// <example><code>Init.kaimingNormal (Random.key 0) [| 8; 4 |] |> Tensor.shape // [| 8; 4 |]</code></example>
    let kaimingNormal (key: Tensor) (shape: int[]) =
        Args.notNull "Init.kaimingNormal" "key" key
        Args.notNull "Init.kaimingNormal" "shape" shape
        InitCore.kaimingNormal key shape kaiming

    /// <summary>He (Kaiming) normal weights with the given options.</summary>
    /// <example><code>
    /// Init.kaimingNormalWith { Init.kaiming with Mode = "fan_out" } (Random.key 0) [| 8; 4 |] |> Tensor.shape
    /// </code></example>
    let kaimingNormalWith (options: KaimingOptions) (key: Tensor) (shape: int[]) =
        Args.notNull "Init.kaimingNormalWith" "options" options
        Args.notNull "Init.kaimingNormalWith" "key" key
        Args.notNull "Init.kaimingNormalWith" "shape" shape
        InitCore.kaimingNormal key shape options

    /// <summary>Glorot (Xavier) uniform weights, gain 1: bound √(6/(fan_in + fan_out)).</summary>
    /// <example><code>Init.xavierUniform (Random.key 0) [| 8; 4 |] |> Tensor.shape // [| 8; 4 |]</code></example>
    let xavierUniform (key: Tensor) (shape: int[]) =
        Args.notNull "Init.xavierUniform" "key" key
        Args.notNull "Init.xavierUniform" "shape" shape
        InitCore.xavierUniform key shape 1.0 DType.Float64

    /// <summary>Glorot (Xavier) uniform weights with a gain and a dtype.</summary>
    /// <example><code>
    /// Init.xavierUniformWith 2.0 DType.Float32 (Random.key 0) [| 8; 4 |] |> Tensor.dtype // DType.Float32
    /// </code></example>
    let xavierUniformWith (gain: float) (dtype: DType) (key: Tensor) (shape: int[]) =
        Args.notNull "Init.xavierUniformWith" "key" key
        Args.notNull "Init.xavierUniformWith" "shape" shape
        InitCore.xavierUniform key shape gain dtype

    /// <summary>Glorot (Xavier) normal weights, gain 1: standard deviation √(2/(fan_in + fan_out)).</summary>
    /// <example><code>Init.xavierNormal (Random.key 0) [| 8; 4 |] |> Tensor.shape // [| 8; 4 |]</code></example>
    let xavierNormal (key: Tensor) (shape: int[]) =
        Args.notNull "Init.xavierNormal" "key" key
        Args.notNull "Init.xavierNormal" "shape" shape
        InitCore.xavierNormal key shape 1.0 DType.Float64

    /// <summary>Glorot (Xavier) normal weights with a gain and a dtype.</summary>
    /// <example><code>
    /// Init.xavierNormalWith 2.0 DType.Float32 (Random.key 0) [| 8; 4 |] |> Tensor.dtype // DType.Float32
    /// </code></example>
    let xavierNormalWith (gain: float) (dtype: DType) (key: Tensor) (shape: int[]) =
        Args.notNull "Init.xavierNormalWith" "key" key
        Args.notNull "Init.xavierNormalWith" "shape" shape
        InitCore.xavierNormal key shape gain dtype

    /// <summary>A (semi-)orthogonal matrix (trailing axes flattened into the columns), gain 1, as PyTorch's
    /// <c>orthogonal_</c>.</summary>
    /// <example><code>Init.orthogonal (Random.key 0) [| 3; 5 |] |> Tensor.shape // [| 3; 5 |]</code></example>
    let orthogonal (key: Tensor) (shape: int[]) =
        Args.notNull "Init.orthogonal" "key" key
        Args.notNull "Init.orthogonal" "shape" shape
        InitCore.orthogonal key shape 1.0 DType.Float64

    /// <summary>A (semi-)orthogonal matrix times a gain, of a dtype.</summary>
    /// <example><code>
    /// Init.orthogonalWith 2.0 DType.Float32 (Random.key 0) [| 3; 5 |] |> Tensor.dtype // DType.Float32
    /// </code></example>
    let orthogonalWith (gain: float) (dtype: DType) (key: Tensor) (shape: int[]) =
        Args.notNull "Init.orthogonalWith" "key" key
        Args.notNull "Init.orthogonalWith" "shape" shape
        InitCore.orthogonal key shape gain dtype

    /// <summary>Standard normal weights restricted to [−2, 2], as PyTorch's <c>trunc_normal_</c> with its
    /// defaults.</summary>
    /// <example><code>Init.truncNormal (Random.key 0) [| 4 |] |> Tensor.shape // [| 4 |]</code></example>
    let truncNormal (key: Tensor) (shape: int[]) =
        Args.notNull "Init.truncNormal" "key" key
        Args.notNull "Init.truncNormal" "shape" shape
        InitCore.truncNormal key shape truncNormalDefaults

    /// <summary>Normal weights of a mean and a standard deviation restricted to [a, b] (the values' units).</summary>
    /// <example><code>
    /// Init.truncNormalWith { Init.truncNormalDefaults with Std = 0.02 } (Random.key 0) [| 4 |] |> Tensor.shape
    /// </code></example>
    let truncNormalWith (options: TruncNormalOptions) (key: Tensor) (shape: int[]) =
        Args.notNull "Init.truncNormalWith" "options" options
        Args.notNull "Init.truncNormalWith" "key" key
        Args.notNull "Init.truncNormalWith" "shape" shape
        InitCore.truncNormal key shape options
