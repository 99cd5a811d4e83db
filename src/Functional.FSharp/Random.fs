namespace FuncGrad

/// <summary>
/// Random numbers from keys, as JAX's <c>jax.random</c> (the core's <c>RandomKeys</c>): a key is an int64 tensor [2],
/// every draw a pure function of a key and a shape, new keys from <c>split</c> and <c>fold</c>. Arguments in JAX's
/// order: the key first.
/// </summary>
/// <remarks>The module is <c>Random</c>: with <c>open System</c> and <c>open FuncGrad</c>, <c>Random.key 0</c> is
/// this module's and <c>Random 1</c> (a constructor) still makes a <c>System.Random</c>; write
/// <c>System.Random.Shared</c> for that type's members.</remarks>
/// <example><code>
/// let keys = Random.split (Random.key 0) 2
/// Random.normal keys[0] [| 3 |] |> Tensor.shape // [| 3 |]
/// </code></example>
[<RequireQualifiedAccess>]
module Random =
    /// <summary>The key of a seed: int64 [2], the seed's high and low 32-bit words (a negative seed is sign-extended
    /// to 64 bits first).</summary>
    /// <example><code>Random.key 1 // tensor([0, 1], dtype=int64)</code></example>
    let key (seed: int) = RandomKeys.Key(int64 seed)

    /// <summary>The key of a 64-bit seed: int64 [2], the seed's high and low 32-bit words.</summary>
    /// <example><code>Random.key64 1099511627776L // tensor([256, 0], dtype=int64)</code></example>
    let key64 (seed: int64) = RandomKeys.Key seed

    /// <summary>n new keys [n, 2] (a batch of keys [..., 2] gives [..., n, 2]), independent of each other and of the
    /// key's own draws.</summary>
    /// <example><code>Random.split (Random.key 0) 3 |> Tensor.shape // [| 3; 2 |]</code></example>
    let split (key: Tensor) (n: int) =
        Args.notNull "Random.split" "key" key
        RandomKeys.Split(key, n)

    /// <summary>n new keys as an array of keys [2] (<c>split</c>'s rows), to unpack: <c>let [| k1; k2 |] =
    /// Random.splitArray key 2</c>.</summary>
    /// <example><code>Random.splitArray (Random.key 0) 2 |> Array.length // 2</code></example>
    let splitArray (key: Tensor) (n: int) =
        Args.notNull "Random.splitArray" "key" key
        RandomKeys.Split(key, n).Unbind 0

    /// <summary>A new key with an integer folded in (JAX's <c>fold_in</c>): the same data, the same key.</summary>
    /// <example><code>Random.fold (Random.key 0) 7L |> Tensor.shape // [| 2 |]</code></example>
    let fold (key: Tensor) (data: int64) =
        Args.notNull "Random.fold" "key" key
        RandomKeys.Fold(key, data)

    /// <summary>The raw 32-bit words of the key's stream, as int64 values in [0, 2^32).</summary>
    /// <example><code>Random.bits (Random.key 0) [| 4 |] |> Tensor.dtype // DType.Int64</code></example>
    let bits (key: Tensor) (shape: int[]) =
        Args.notNull "Random.bits" "key" key
        Args.notNull "Random.bits" "shape" shape
        RandomKeys.Bits(key, shape)

    /// <summary>Uniform numbers in [0, 1), float64.</summary>
    /// <example><code>Random.uniform (Random.key 0) [| 2; 3 |] |> Tensor.shape // [| 2; 3 |]</code></example>
    let uniform (key: Tensor) (shape: int[]) =
        Args.notNull "Random.uniform" "key" key
        Args.notNull "Random.uniform" "shape" shape
        RandomKeys.Uniform(key, shape)

    /// <summary>Uniform numbers in [0, 1), float32: the float64 draw of the key cut to 24 bits.</summary>
    /// <example><code>Random.uniform32 (Random.key 0) [| 3 |] |> Tensor.dtype // DType.Float32</code></example>
    let uniform32 (key: Tensor) (shape: int[]) =
        Args.notNull "Random.uniform32" "key" key
        Args.notNull "Random.uniform32" "shape" shape
        RandomKeys.Uniform(key, shape, dtype = DType.Float32)

    /// <summary>Uniform numbers in [low, high), float64.</summary>
    /// <example><code>Random.uniformRange (Random.key 0) [| 3 |] -1.0 1.0 |> Tensor.shape // [| 3 |]</code></example>
    let uniformRange (key: Tensor) (shape: int[]) (low: float) (high: float) =
        Args.notNull "Random.uniformRange" "key" key
        Args.notNull "Random.uniformRange" "shape" shape
        RandomKeys.Uniform(key, shape, low, high)

    /// <summary>Uniform numbers in [low, high), float32.</summary>
    /// <example><code>
    /// Random.uniformRange32 (Random.key 0) [| 3 |] -1.0 1.0 |> Tensor.dtype // DType.Float32
    /// </code></example>
    let uniformRange32 (key: Tensor) (shape: int[]) (low: float) (high: float) =
        Args.notNull "Random.uniformRange32" "key" key
        Args.notNull "Random.uniformRange32" "shape" shape
        RandomKeys.Uniform(key, shape, low, high, DType.Float32)

    /// <summary>Standard normal numbers, float64 (ndtri of an open-interval uniform).</summary>
    /// <example><code>Random.normal (Random.key 0) [| 3 |] |> Tensor.shape // [| 3 |]</code></example>
    let normal (key: Tensor) (shape: int[]) =
        Args.notNull "Random.normal" "key" key
        Args.notNull "Random.normal" "shape" shape
        RandomKeys.Normal(key, shape)

    /// <summary>Standard normal numbers, float32: the float64 draw of the key, rounded.</summary>
    /// <example><code>Random.normal32 (Random.key 0) [| 3 |] |> Tensor.dtype // DType.Float32</code></example>
    let normal32 (key: Tensor) (shape: int[]) =
        Args.notNull "Random.normal32" "key" key
        Args.notNull "Random.normal32" "shape" shape
        RandomKeys.Normal(key, shape, DType.Float32)

    /// <summary>mean + std·z for z standard normal, of their broadcast shape: differentiable in mean and std (the
    /// reparameterisation trick).</summary>
    /// <example><code>
    /// Random.normalWith (Random.key 0) (Tensor.zeros [| 3 |]) (Tensor.ones [| 3 |]) |> Tensor.shape // [| 3 |]
    /// </code></example>
    let normalWith (key: Tensor) (mean: Tensor) (std: Tensor) =
        Args.notNull "Random.normalWith" "key" key
        Args.notNull "Random.normalWith" "mean" mean
        Args.notNull "Random.normalWith" "std" std
        RandomKeys.Normal(key, mean, std)

    /// <summary>True with probability p (a bool tensor); where it is true, <c>Tensor.dropout key p</c>
    /// zeroes.</summary>
    /// <example><code>Random.bernoulli (Random.key 0) 0.5 [| 4 |] |> Tensor.dtype // DType.Bool</code></example>
    let bernoulli (key: Tensor) (p: float) (shape: int[]) =
        Args.notNull "Random.bernoulli" "key" key
        Args.notNull "Random.bernoulli" "shape" shape
        RandomKeys.Bernoulli(key, p, shape)

    /// <summary>True with probability p[i] at element i, of p's shape.</summary>
    /// <example><code>
    /// Random.bernoulliOf (Random.key 0) (Tensor.ofList [ 0.0; 1.0 ]) // tensor([False,  True])
    /// </code></example>
    let bernoulliOf (key: Tensor) (p: Tensor) =
        Args.notNull "Random.bernoulliOf" "key" key
        Args.notNull "Random.bernoulliOf" "p" p
        RandomKeys.Bernoulli(key, p)

    /// <summary>Standard normal numbers restricted to [lower, upper], exactly by the inverse CDF, float64.</summary>
    /// <example><code>
    /// Random.truncatedNormal (Random.key 0) -2.0 2.0 [| 3 |] |> Tensor.shape // [| 3 |]
    /// </code></example>
    let truncatedNormal (key: Tensor) (lower: float) (upper: float) (shape: int[]) =
        Args.notNull "Random.truncatedNormal" "key" key
        Args.notNull "Random.truncatedNormal" "shape" shape
        RandomKeys.TruncatedNormal(key, lower, upper, shape)

    /// <summary>Standard normal numbers restricted to [lower, upper], float32.</summary>
    /// <example><code>
    /// Random.truncatedNormal32 (Random.key 0) -2.0 2.0 [| 3 |] |> Tensor.dtype // DType.Float32
    /// </code></example>
    let truncatedNormal32 (key: Tensor) (lower: float) (upper: float) (shape: int[]) =
        Args.notNull "Random.truncatedNormal32" "key" key
        Args.notNull "Random.truncatedNormal32" "shape" shape
        RandomKeys.TruncatedNormal(key, lower, upper, shape, DType.Float32)

    /// <summary>Standard Gumbel numbers, −log(−log u), float64.</summary>
    /// <example><code>Random.gumbel (Random.key 0) [| 3 |] |> Tensor.shape // [| 3 |]</code></example>
    let gumbel (key: Tensor) (shape: int[]) =
        Args.notNull "Random.gumbel" "key" key
        Args.notNull "Random.gumbel" "shape" shape
        RandomKeys.Gumbel(key, shape)

    /// <summary>Category indices (int64) drawn with probabilities softmax(logits) over the last axis, by the
    /// Gumbel-max trick.</summary>
    /// <example><code>
    /// Random.categorical (Random.key 0) (Tensor.ofList [ 0.0; 1.0 ]) |> Tensor.shape // [||]
    /// </code></example>
    let categorical (key: Tensor) (logits: Tensor) =
        Args.notNull "Random.categorical" "key" key
        Args.notNull "Random.categorical" "logits" logits
        RandomKeys.Categorical(key, logits)

    /// <summary>Category indices over the given axis, of the given shape (None: the logits' shape without the axis;
    /// a longer shape draws several samples per distribution).</summary>
    /// <example><code>
    /// Random.categoricalWith (Random.key 0) (Tensor.ofList [ 0.0; 1.0 ]) 0 (Some [| 5 |]) |> Tensor.shape // [| 5 |]
    /// </code></example>
    let categoricalWith (key: Tensor) (logits: Tensor) (axis: int) (shape: int[] option) =
        Args.notNull "Random.categoricalWith" "key" key
        Args.notNull "Random.categoricalWith" "logits" logits
        RandomKeys.Categorical(key, logits, axis, Option.toObj shape)

    /// <summary>A random permutation of 0 … n − 1 (int64).</summary>
    /// <example><code>Random.permutation (Random.key 0) 4 |> Tensor.shape // [| 4 |]</code></example>
    let permutation (key: Tensor) (n: int) =
        Args.notNull "Random.permutation" "key" key
        RandomKeys.Permutation(key, n)

    /// <summary>x with its elements along the axis in a random order (one permutation for every slice),
    /// differentiable in x.</summary>
    /// <example><code>
    /// Random.permute (Random.key 0) 0 (Tensor.ofList [ 1.0; 2.0 ]) |> Tensor.shape // [| 2 |]
    /// </code></example>
    let permute (key: Tensor) (axis: int) (x: Tensor) =
        Args.notNull "Random.permute" "key" key
        Args.notNull "Random.permute" "x" x
        RandomKeys.Permutation(key, x, axis)

    /// <summary>Integers uniform in [low, high) without bias (int64).</summary>
    /// <example><code>Random.randint (Random.key 0) [| 3 |] 0L 10L |> Tensor.dtype // DType.Int64</code></example>
    let randint (key: Tensor) (shape: int[]) (low: int64) (high: int64) =
        Args.notNull "Random.randint" "key" key
        Args.notNull "Random.randint" "shape" shape
        RandomKeys.Randint(key, shape, low, high)

    /// <summary>Integers uniform in [low, high) without bias (int32).</summary>
    /// <example><code>Random.randint32 (Random.key 0) [| 3 |] 0 10 |> Tensor.dtype // DType.Int32</code></example>
    let randint32 (key: Tensor) (shape: int[]) (low: int) (high: int) =
        Args.notNull "Random.randint32" "key" key
        Args.notNull "Random.randint32" "shape" shape
        RandomKeys.Randint(key, shape, int64 low, int64 high, DType.Int32)
