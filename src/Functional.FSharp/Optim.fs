namespace FuncGrad

/// <summary>
/// A pure optimizer over a tree of parameters (a record, tuple, list, array or <c>Map</c> of tensors, see
/// <c>Tree</c>): <c>Init</c> makes the first state from the parameters; <c>Update grads state parameters</c>
/// returns the new parameters and the new state.
/// </summary>
/// <remarks>
/// Nothing is changed in place, so a training step is a function and two runs from the same state give the same
/// result.
/// </remarks>
/// <example><code>
/// let opt = Optim.adam 0.01
/// let state0 = opt.Init parameters
/// let parameters1, state1 = opt.Update grads state0 parameters
/// </code></example>
type Optimizer<'P, 'S> =
    {
        /// <summary>The state before the first step, for parameters shaped like the argument.</summary>
        /// <example><code>(Optim.momentum 0.1 0.9).Init (scalar 1.0) // { Velocity = tensor(0., ...) }</code></example>
        Init: 'P -> 'S
        /// <summary>One step: gradients, then state, then parameters in; new parameters and new state out.</summary>
        /// <example><code>
        /// (Optim.sgd 0.1).Update (scalar 2.0) () (scalar 1.0) // (tensor(0.8000, ...), ())
        /// </code></example>
        Update: 'P -> 'S -> 'P -> 'P * 'S
    }

/// <summary>The state of <c>Optim.momentum</c>: the running velocity, shaped like the parameters.</summary>
/// <example><code>{ Velocity = Tree.zerosLike parameters }</code></example>
type MomentumState<'P> =
    {
        /// <summary>v ← μ·v + g, one tensor per parameter.</summary>
        /// <example><code>state.Velocity</code></example>
        Velocity: 'P
    }

/// <summary>The state of <c>Optim.adam</c>: the step count and the two moment estimates, shaped like the
/// parameters.</summary>
/// <example><code>{ Step = scalar 0.0; M = Tree.zerosLike parameters; V = Tree.zerosLike parameters }</code></example>
type AdamState<'P> =
    {
        /// <summary>How many steps have been taken (0 before the first), as a one-element float64 tensor, so that a
        /// compiled update (<c>compileOf</c>) traces it as a value and compiles once, as PyTorch and optax keep their
        /// step counts in tensors.</summary>
        /// <example><code>Tensor.item state.Step // 0.0 after Init</code></example>
        Step: Tensor
        /// <summary>The first moment: m ← β₁·m + (1 − β₁)·g.</summary>
        /// <example><code>state.M</code></example>
        M: 'P
        /// <summary>The second moment: v ← β₂·v + (1 − β₂)·g².</summary>
        /// <example><code>state.V</code></example>
        V: 'P
    }

/// <summary>
/// Gradient-descent optimizers as pure functions over trees of tensors: the lecture's update
/// W ← W − η·∂ℓ/∂W (<c>sgd</c>), with momentum (<c>momentum</c>), and Adam (<c>adam</c>). Each gives an
/// <see cref="T:FuncGrad.Optimizer`2"/>; gradients usually come from <c>valueAndGradOf</c> or
/// <c>valueAndGradWithAux</c>, in the parameters' own structure.
/// </summary>
/// <example><code>
/// let opt = Optim.sgd 0.1
/// let step (p, s) = let grads = gradOf loss p in opt.Update grads s p
/// let trained, _ = Seq.fold (fun acc _ -> step acc) (parameters, opt.Init parameters) [ 1 .. 100 ]
/// </code></example>
[<RequireQualifiedAccess>]
module Optim =
    let private positive (what: string) (value: float) =
        if not (value > 0.0 && System.Double.IsFinite value) then
            invalidArg what $"Optim: {what} must be a positive finite number, got {value}"

    let private fraction (what: string) (value: float) =
        if not (value >= 0.0 && value < 1.0) then
            invalidArg what $"Optim: {what} must be in [0, 1), got {value}"

    /// The leaves of several trees, checked to correspond one to one in count, shape and dtype.
    let private zipLeaves (parameters: 'P) (others: (string * 'Q) list) =
        let ps = Tree.leaves parameters

        let rest =
            others
            |> List.map (fun (what, tree) ->
                let ls = Tree.leaves tree

                if ls.Length <> ps.Length then
                    invalidArg
                        what
                        ($"Optim: the parameters have {ps.Length} tensors but the {what} have {ls.Length}; "
                         + $"pass {what} in the parameters' structure")

                List.iteri2
                    (fun i (p: Tensor) (q: Tensor) ->
                        if Seq.toArray p.Shape <> Seq.toArray q.Shape || p.DType <> q.DType then
                            invalidArg
                                what
                                ($"Optim: tensor {i} of the {what} is {Seq.toList q.Shape} {q.DType} "
                                 + $"but the parameter is {Seq.toList p.Shape} {p.DType}; they must match"))
                    ps
                    ls

                ls)

        ps, rest

    /// <summary>
    /// One step of plain gradient descent, the lecture's W ← W − η·∂ℓ/∂W, on every tensor of the tree:
    /// gradients first, parameters last.
    /// </summary>
    /// <example><code>Optim.sgdStep 0.1 (scalar 2.0) (scalar 1.0) // tensor(0.8000, dtype=float64)</code></example>
    let sgdStep (lr: float) (grads: 'P) (parameters: 'P) : 'P =
        Args.notNullAs "Optim.sgdStep" "grads" Args.tree grads
        Args.notNullAs "Optim.sgdStep" "parameters" Args.tree parameters
        positive "lr" lr

        match zipLeaves parameters [ "gradients", grads ] with
        | ps, [ gs ] -> Tree.rebuild parameters (List.map2 (fun (w: Tensor) g -> w - lr * g) ps gs)
        | _ -> failwith "unreachable"

    /// <summary>Plain gradient descent with learning rate η (no state: the state is <c>()</c>).</summary>
    /// <example><code>(Optim.sgd 0.1).Update (scalar 2.0) () (scalar 1.0) // (tensor(0.8000, ...), ())</code></example>
    [<Peers("torch.optim.SGD",
            "optax.sgd, jax.example_libraries.optimizers.sgd",
            "DiffSharp.Optim.SGD",
            Notes = "`Optim.sgdStep` is one step")>]
    let sgd (lr: float) : Optimizer<'P, unit> =
        positive "lr" lr

        {
            Init = fun _ -> ()
            Update = fun grads () parameters -> sgdStep lr grads parameters, ()
        }

    /// <summary>
    /// Gradient descent with momentum μ: v ← μ·v + g, then W ← W − η·v (PyTorch's form; the velocity
    /// starts at zero, so the first step is plain gradient descent).
    /// </summary>
    /// <example><code>
    /// let opt = Optim.momentum 0.1 0.9
    /// opt.Update (scalar 2.0) (opt.Init (scalar 1.0)) (scalar 1.0) // (tensor(0.8000, ...), { Velocity = tensor(2.,
    /// ...) })
    /// </code></example>
    [<Peers("torch.optim.SGD",
            "optax.sgd, jax.example_libraries.optimizers.momentum",
            "DiffSharp.Optim.SGD",
            Notes = "PyTorch's form, v ← μ·v + g")>]
    let momentum (lr: float) (mu: float) : Optimizer<'P, MomentumState<'P>> =
        positive "lr" lr
        fraction "mu" mu

        {
            Init = fun parameters -> { Velocity = Tree.zerosLike parameters }
            Update =
                fun grads state parameters ->
                    Args.notNullAs "Optim.momentum's Update" "grads" Args.tree grads

                    Args.notNullAs
                        "Optim.momentum's Update"
                        "state"
                        "the state from Init, or from the last Update"
                        state

                    Args.notNullAs "Optim.momentum's Update" "parameters" Args.tree parameters

                    match zipLeaves parameters [ "gradients", grads; "velocity", state.Velocity ] with
                    | ps, [ gs; vs ] ->
                        let vs' = List.map2 (fun (v: Tensor) (g: Tensor) -> mu * v + g) vs gs
                        let ps' = List.map2 (fun (w: Tensor) (v: Tensor) -> w - lr * v) ps vs'

                        Tree.rebuild parameters ps',
                        {
                            Velocity = Tree.rebuild parameters vs'
                        }
                    | _ -> failwith "unreachable"
        }

    /// <summary>
    /// Adam with explicit hyperparameters: the learning rate η, β₁, β₂ and ε.
    /// </summary>
    /// <remarks>
    /// m ← β₁·m + (1 − β₁)·g, v ← β₂·v + (1 − β₂)·g², then
    /// W ← W − η·m̂ / (√v̂ + ε) with the bias-corrected m̂ = m / (1 − β₁ᵗ)
    /// and v̂ = v / (1 − β₂ᵗ) at step t.
    /// </remarks>
    /// <example><code>
    /// let opt = Optim.adamWith 0.1 0.9 0.999 1e-8
    /// opt.Update (scalar 5.0) (opt.Init (scalar 1.0)) (scalar 1.0) |> fst
    /// // tensor(0.9000, ...): the first step is η·sign(g)
    /// </code></example>
    let adamWith (lr: float) (beta1: float) (beta2: float) (eps: float) : Optimizer<'P, AdamState<'P>> =
        positive "lr" lr
        fraction "beta1" beta1
        fraction "beta2" beta2
        positive "eps" eps

        {
            Init =
                fun parameters ->
                    {
                        Step = Tensor.Scalar 0.0
                        M = Tree.zerosLike parameters
                        V = Tree.zerosLike parameters
                    }
            Update =
                fun grads state parameters ->
                    Args.notNullAs "Optim.adam's Update" "grads" Args.tree grads
                    Args.notNullAs "Optim.adam's Update" "state" "the state from Init, or from the last Update" state
                    Args.notNullAs "Optim.adam's Update" "parameters" Args.tree parameters

                    match
                        zipLeaves parameters [ "gradients", grads; "first moments", state.M; "second moments", state.V ]
                    with
                    | ps, [ gs; ms; vs ] ->
                        let t = state.Step + 1.0
                        // 1 − βᵗ computed in float64, then rounded to each parameter's dtype
                        let c1 = 1.0 - Tensor.Scalar beta1 ** t
                        let c2 = 1.0 - Tensor.Scalar beta2 ** t

                        let ms' =
                            List.map2 (fun (m: Tensor) (g: Tensor) -> beta1 * m + (1.0 - beta1) * g) ms gs

                        let vs' =
                            List.map2 (fun (v: Tensor) (g: Tensor) -> beta2 * v + (1.0 - beta2) * (g * g)) vs gs

                        let ps' =
                            List.map3
                                (fun (w: Tensor) (m: Tensor) (v: Tensor) ->
                                    w - lr * (m / c1.ToDType m.DType) / (sqrt (v / c2.ToDType v.DType) + eps))
                                ps
                                ms'
                                vs'

                        Tree.rebuild parameters ps',
                        {
                            Step = t
                            M = Tree.rebuild parameters ms'
                            V = Tree.rebuild parameters vs'
                        }
                    | _ -> failwith "unreachable"
        }

    /// <summary>Adam with learning rate η and the usual β₁ = 0.9, β₂ = 0.999, ε = 1e-8.</summary>
    /// <example><code>
    /// let opt = Optim.adam 0.001
    /// let p1, s1 = opt.Update grads (opt.Init parameters) parameters
    /// </code></example>
    [<Peers("torch.optim.Adam",
            "optax.adam, jax.example_libraries.optimizers.adam",
            "DiffSharp.Optim.Adam",
            Notes = "`Optim.adamWith` sets β₁, β₂ and ε")>]
    let adam (lr: float) : Optimizer<'P, AdamState<'P>> = adamWith lr 0.9 0.999 1e-8
