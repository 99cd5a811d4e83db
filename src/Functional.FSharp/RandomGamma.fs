namespace FuncGrad

/// <summary>The gamma, beta and Dirichlet draws of the <c>Random</c> module (the core's <c>RandomKeys.Gamma</c>,
/// <c>Beta</c>, <c>Dirichlet</c>), in a file of their own: F# finds <c>Random.gamma</c> here and
/// <c>Random.key</c> in Random.fs, as it does for any module extended under the same name.</summary>
/// <example><code>Random.gamma (Random.key 0) (Tensor.scalar 2.0) [| 3 |] |> Tensor.shape // [| 3 |]</code></example>
[<AutoOpen>]
module RandomGammaDraws =
    /// <summary>Gamma, beta and Dirichlet draws from keys, differentiable in their parameters (to first order)
    /// through the implicit reparameterisation gradient.</summary>
    /// <example><code>Random.beta (Random.key 0) (Tensor.scalar 2.0) (Tensor.scalar 3.0) [| 4 |] |> Tensor.shape // [| 4 |]</code></example>
    [<RequireQualifiedAccess>]
    module Random =
        /// <summary>Gamma(α, 1) draws of the given shape, α broadcast to it, as JAX's <c>random.gamma</c>:
        /// differentiable in α (dz/dα = −(∂P(α, z)/∂α)/f(z; α), first order only). α &gt; 0, float64 or float32 (the
        /// result's dtype); a batch of keys [..., 2] gives [..., shape]. Divide by a rate, or multiply by a scale, for
        /// the other parameterisations.</summary>
        /// <example><code>Random.gamma (Random.key 0) (Tensor.scalar 2.0) [| 3 |] |> Tensor.shape // [| 3 |]</code></example>
        let gamma (key: Tensor) (alpha: Tensor) (shape: int[]) : Tensor =
            Args.notNull "Random.gamma" "key" key
            Args.notNull "Random.gamma" "alpha" alpha
            Args.notNull "Random.gamma" "shape" shape
            RandomKeys.Gamma(key, alpha, shape)

        /// <summary>Beta(a, b) draws of the given shape, a and b broadcast to it, as JAX's <c>random.beta</c>:
        /// X/(X + Y) of gammas, differentiable in a and b (first order).</summary>
        /// <example><code>
        /// Random.beta (Random.key 0) (Tensor.scalar 2.0) (Tensor.scalar 3.0) [| 4 |] |> Tensor.shape // [| 4 |]
        /// </code></example>
        let beta (key: Tensor) (a: Tensor) (b: Tensor) (shape: int[]) : Tensor =
            Args.notNull "Random.beta" "key" key
            Args.notNull "Random.beta" "a" a
            Args.notNull "Random.beta" "b" b
            Args.notNull "Random.beta" "shape" shape
            RandomKeys.Beta(key, a, b, shape)

        /// <summary>Dirichlet(α) draws, α [..., K] with the categories last, as JAX's <c>random.dirichlet</c>: gammas
        /// normalised over the last axis, differentiable in α (first order). <c>shape</c> is the draws' batch shape
        /// (α's leading axes broadcast to it); the result is [..shape, K].</summary>
        /// <example><code>
        /// Random.dirichlet (Random.key 0) (Tensor.ofList [ 1.0; 2.0 ]) [| 5 |] |> Tensor.shape // [| 5; 2 |]
        /// </code></example>
        let dirichlet (key: Tensor) (alpha: Tensor) (shape: int[]) : Tensor =
            Args.notNull "Random.dirichlet" "key" key
            Args.notNull "Random.dirichlet" "alpha" alpha
            Args.notNull "Random.dirichlet" "shape" shape
            RandomKeys.Dirichlet(key, alpha, shape)
