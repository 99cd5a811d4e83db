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

/// <summary>The options of <c>Optim.adamWWith</c>, PyTorch's AdamW arguments with its defaults.</summary>
/// <example><code>{ AdamWOptions.defaults with Lr = Schedule.constant 3e-4; WeightDecay = 0.1 }</code></example>
type AdamWOptions =
    {
        /// <summary>The learning rate η: a constant (<c>Schedule.constant</c>) or a schedule (default 1e-3).</summary>
        /// <example><code>{ AdamWOptions.defaults with Lr = Schedule.warmupCosine 1e-3 10 100 1e-4 }</code></example>
        Lr: Schedule
        /// <summary>β₁, the first moment's decay (default 0.9).</summary>
        /// <example><code>{ AdamWOptions.defaults with Beta1 = 0.8 }</code></example>
        Beta1: float
        /// <summary>β₂, the second moment's decay (default 0.999).</summary>
        /// <example><code>{ AdamWOptions.defaults with Beta2 = 0.95 }</code></example>
        Beta2: float
        /// <summary>ε, added to the denominator √v̂ (default 1e-8).</summary>
        /// <example><code>{ AdamWOptions.defaults with Eps = 1e-6 }</code></example>
        Eps: float
        /// <summary>λ, the decoupled weight decay: W ← W − η·λ·W before the Adam step (default 0.01).</summary>
        /// <example><code>{ AdamWOptions.defaults with WeightDecay = 0.1 }</code></example>
        WeightDecay: float
        /// <summary>AMSGrad: divide by the running maximum of v instead of v (default false).</summary>
        /// <example><code>{ AdamWOptions.defaults with Amsgrad = true }</code></example>
        Amsgrad: bool
    }

    /// <summary>PyTorch's defaults: η = 1e-3, β = (0.9, 0.999), ε = 1e-8, λ = 0.01, no AMSGrad.</summary>
    /// <example><code>{ AdamWOptions.defaults with WeightDecay = 0.1 }</code></example>
    static member defaults =
        {
            Lr = Schedule.constant 1e-3
            Beta1 = 0.9
            Beta2 = 0.999
            Eps = 1e-8
            WeightDecay = 0.01
            Amsgrad = false
        }

/// <summary>The state of <c>Optim.adamW</c>: the step count, the two moments and, with AMSGrad, the running maximum
/// of the second moment.</summary>
/// <example><code>(Optim.adamW 1e-3).Init parameters // { Step = 0; M = zeros; V = zeros; VMax = [] }</code></example>
type AdamWState<'P> =
    {
        /// <summary>Steps taken (0 before the first), a one-element float64 tensor so that a compiled step traces
        /// once.</summary>
        /// <example><code>Tensor.item state.Step</code></example>
        Step: Tensor
        /// <summary>The first moment: m ← β₁·m + (1 − β₁)·g.</summary>
        /// <example><code>state.M</code></example>
        M: 'P
        /// <summary>The second moment: v ← β₂·v + (1 − β₂)·g².</summary>
        /// <example><code>state.V</code></example>
        V: 'P
        /// <summary>With AMSGrad, one tree: the running maximum of v; without, empty.</summary>
        /// <example><code>state.VMax // [] unless Amsgrad</code></example>
        VMax: 'P list
    }

/// <summary>The options of <c>Optim.sgdWith</c>, PyTorch's SGD arguments with its defaults.</summary>
/// <example><code>{ SgdOptions.defaults with Momentum = 0.9; Nesterov = true }</code></example>
type SgdOptions =
    {
        /// <summary>The learning rate η, a constant or a schedule (default 1e-3).</summary>
        /// <example><code>{ SgdOptions.defaults with Lr = Schedule.constant 0.1 }</code></example>
        Lr: Schedule
        /// <summary>μ: the buffer b ← μ·b + (1 − dampening)·g, b = g on the first step (default 0, no
        /// buffer).</summary>
        /// <example><code>{ SgdOptions.defaults with Momentum = 0.9 }</code></example>
        Momentum: float
        /// <summary>The dampening of the buffer's new gradient (default 0).</summary>
        /// <example><code>{ SgdOptions.defaults with Momentum = 0.9; Dampening = 0.1 }</code></example>
        Dampening: float
        /// <summary>λ, L2 weight decay: g ← g + λ·W before the step (default 0).</summary>
        /// <example><code>{ SgdOptions.defaults with WeightDecay = 1e-4 }</code></example>
        WeightDecay: float
        /// <summary>Nesterov momentum: step along g + μ·b instead of b (needs μ &gt; 0 and no dampening).</summary>
        /// <example><code>{ SgdOptions.defaults with Momentum = 0.9; Nesterov = true }</code></example>
        Nesterov: bool
    }

    /// <summary>PyTorch's defaults: η = 1e-3, no momentum, no dampening, no weight decay, no Nesterov.</summary>
    /// <example><code>{ SgdOptions.defaults with Momentum = 0.9 }</code></example>
    static member defaults =
        {
            Lr = Schedule.constant 1e-3
            Momentum = 0.0
            Dampening = 0.0
            WeightDecay = 0.0
            Nesterov = false
        }

/// <summary>The state of <c>Optim.sgdWith</c>: the step count and, with momentum, the buffer.</summary>
/// <example><code>
/// (Optim.sgdWith SgdOptions.defaults).Init parameters // { Step = 0; MomentumBuffer = [] }
/// </code></example>
type SgdState<'P> =
    {
        /// <summary>Steps taken (0 before the first), a one-element float64 tensor.</summary>
        /// <example><code>Tensor.item state.Step</code></example>
        Step: Tensor
        /// <summary>With momentum, one tree: the buffer b; without, empty.</summary>
        /// <example><code>state.MomentumBuffer</code></example>
        MomentumBuffer: 'P list
    }

/// <summary>The options of <c>Optim.rmsPropWith</c>, PyTorch's RMSprop arguments with its defaults.</summary>
/// <example><code>{ RmsPropOptions.defaults with Centered = true }</code></example>
type RmsPropOptions =
    {
        /// <summary>The learning rate η, a constant or a schedule (default 1e-2).</summary>
        /// <example><code>{ RmsPropOptions.defaults with Lr = Schedule.constant 1e-3 }</code></example>
        Lr: Schedule
        /// <summary>α, the decay of the square average v ← α·v + (1 − α)·g² (default 0.99).</summary>
        /// <example><code>{ RmsPropOptions.defaults with Alpha = 0.9 }</code></example>
        Alpha: float
        /// <summary>ε, added to the denominator (default 1e-8).</summary>
        /// <example><code>{ RmsPropOptions.defaults with Eps = 1e-6 }</code></example>
        Eps: float
        /// <summary>λ, L2 weight decay: g ← g + λ·W (default 0).</summary>
        /// <example><code>{ RmsPropOptions.defaults with WeightDecay = 1e-4 }</code></example>
        WeightDecay: float
        /// <summary>μ: b ← μ·b + g/(√v + ε), W ← W − η·b (default 0: W ← W − η·g/(√v + ε)).</summary>
        /// <example><code>{ RmsPropOptions.defaults with Momentum = 0.9 }</code></example>
        Momentum: float
        /// <summary>Centered: divide by √(v − ḡ²) + ε with ḡ the running mean of g (default false).</summary>
        /// <example><code>{ RmsPropOptions.defaults with Centered = true }</code></example>
        Centered: bool
    }

    /// <summary>PyTorch's defaults: η = 1e-2, α = 0.99, ε = 1e-8, no weight decay, no momentum, not
    /// centered.</summary>
    /// <example><code>{ RmsPropOptions.defaults with Momentum = 0.9 }</code></example>
    static member defaults =
        {
            Lr = Schedule.constant 1e-2
            Alpha = 0.99
            Eps = 1e-8
            WeightDecay = 0.0
            Momentum = 0.0
            Centered = false
        }

/// <summary>The state of <c>Optim.rmsPropWith</c>.</summary>
/// <example><code>(Optim.rmsProp 0.01).Init parameters</code></example>
type RmsPropState<'P> =
    {
        /// <summary>Steps taken (0 before the first), a one-element float64 tensor.</summary>
        /// <example><code>Tensor.item state.Step</code></example>
        Step: Tensor
        /// <summary>v, the running average of g².</summary>
        /// <example><code>state.SquareAverage</code></example>
        SquareAverage: 'P
        /// <summary>Centered: one tree, ḡ, the running average of g; otherwise empty.</summary>
        /// <example><code>state.GradAverage</code></example>
        GradAverage: 'P list
        /// <summary>With momentum: one tree, the buffer b; otherwise empty.</summary>
        /// <example><code>state.MomentumBuffer</code></example>
        MomentumBuffer: 'P list
    }

/// <summary>The options of <c>Optim.adagradWith</c>, PyTorch's Adagrad arguments with its defaults.</summary>
/// <example><code>{ AdagradOptions.defaults with LrDecay = 0.01 }</code></example>
type AdagradOptions =
    {
        /// <summary>The learning rate η, a constant or a schedule (default 1e-2).</summary>
        /// <example><code>{ AdagradOptions.defaults with Lr = Schedule.constant 0.1 }</code></example>
        Lr: Schedule
        /// <summary>The step t (from 1) uses η / (1 + (t − 1)·lrDecay) (default 0).</summary>
        /// <example><code>{ AdagradOptions.defaults with LrDecay = 1e-3 }</code></example>
        LrDecay: float
        /// <summary>λ, L2 weight decay: g ← g + λ·W (default 0).</summary>
        /// <example><code>{ AdagradOptions.defaults with WeightDecay = 1e-4 }</code></example>
        WeightDecay: float
        /// <summary>The sum of squares' starting value (default 0).</summary>
        /// <example><code>{ AdagradOptions.defaults with InitialAccumulatorValue = 0.1 }</code></example>
        InitialAccumulatorValue: float
        /// <summary>ε, added to the denominator √s (default 1e-10).</summary>
        /// <example><code>{ AdagradOptions.defaults with Eps = 1e-8 }</code></example>
        Eps: float
    }

    /// <summary>PyTorch's defaults: η = 1e-2, no decay, no weight decay, accumulator 0, ε = 1e-10.</summary>
    /// <example><code>{ AdagradOptions.defaults with Eps = 1e-8 }</code></example>
    static member defaults =
        {
            Lr = Schedule.constant 1e-2
            LrDecay = 0.0
            WeightDecay = 0.0
            InitialAccumulatorValue = 0.0
            Eps = 1e-10
        }

/// <summary>The state of <c>Optim.adagradWith</c>.</summary>
/// <example><code>(Optim.adagrad 0.1).Init parameters</code></example>
type AdagradState<'P> =
    {
        /// <summary>Steps taken (0 before the first), a one-element float64 tensor.</summary>
        /// <example><code>Tensor.item state.Step</code></example>
        Step: Tensor
        /// <summary>s, the sum of the squared gradients (from the initial accumulator value).</summary>
        /// <example><code>state.Sum</code></example>
        Sum: 'P
    }

/// <summary>The options of <c>Optim.lionWith</c> (Chen et al. 2023, "Symbolic Discovery of Optimization
/// Algorithms"), with the lion-pytorch package's defaults.</summary>
/// <example><code>{ LionOptions.defaults with WeightDecay = 1.0 }</code></example>
type LionOptions =
    {
        /// <summary>The learning rate η, a constant or a schedule (default 1e-4).</summary>
        /// <example><code>{ LionOptions.defaults with Lr = Schedule.constant 3e-5 }</code></example>
        Lr: Schedule
        /// <summary>β₁, the interpolation of the update's sign: sign(β₁·m + (1 − β₁)·g) (default 0.9).</summary>
        /// <example><code>{ LionOptions.defaults with Beta1 = 0.95 }</code></example>
        Beta1: float
        /// <summary>β₂, the momentum's decay: m ← β₂·m + (1 − β₂)·g (default 0.99).</summary>
        /// <example><code>{ LionOptions.defaults with Beta2 = 0.98 }</code></example>
        Beta2: float
        /// <summary>λ, decoupled weight decay W ← W·(1 − η·λ) (default 0).</summary>
        /// <example><code>{ LionOptions.defaults with WeightDecay = 1.0 }</code></example>
        WeightDecay: float
    }

    /// <summary>Defaults: η = 1e-4, β = (0.9, 0.99), no weight decay.</summary>
    /// <example><code>{ LionOptions.defaults with WeightDecay = 0.1 }</code></example>
    static member defaults =
        {
            Lr = Schedule.constant 1e-4
            Beta1 = 0.9
            Beta2 = 0.99
            WeightDecay = 0.0
        }

/// <summary>The state of <c>Optim.lionWith</c>.</summary>
/// <example><code>(Optim.lion 1e-4).Init parameters</code></example>
type LionState<'P> =
    {
        /// <summary>Steps taken (0 before the first), a one-element float64 tensor.</summary>
        /// <example><code>Tensor.item state.Step</code></example>
        Step: Tensor
        /// <summary>m, the momentum.</summary>
        /// <example><code>state.M</code></example>
        M: 'P
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

    let private nonNegative (what: string) (value: float) =
        if not (value >= 0.0 && System.Double.IsFinite value) then
            invalidArg what $"Optim: {what} must be a finite number ≥ 0, got {value}"

    let private checkUpdate (op: string) (grads: 'P) (state: 'S) (parameters: 'P) =
        Args.notNullAs op "grads" Args.tree grads
        Args.notNullAs op "state" "the state from Init, or from the last Update" state
        Args.notNullAs op "parameters" Args.tree parameters

    /// A float64 scalar (a learning rate, a bias correction) in a parameter's dtype.
    let private like (p: Tensor) (t: Tensor) =
        if t.DType = p.DType then t else t.ToDType p.DType

    /// The leaves of an optional slot of the state (a list of zero or one tree), checked against the parameters.
    let private slot (what: string) (parameters: 'P) (trees: 'P list) : Tensor list option =
        match trees with
        | [] -> None
        | [ tree ] ->
            match zipLeaves parameters [ what, tree ] with
            | _, [ ls ] -> Some ls
            | _ -> failwith "unreachable"
        | _ -> invalidArg what $"Optim: the state's {what} must hold zero or one tree, got {trees.Length}"

    let private needed (what: string) (option: string) (leaves: Tensor list option) =
        match leaves with
        | Some ls -> ls
        | None ->
            invalidArg
                "state"
                ($"Optim: the state has no {what} but the options ask for {option}; "
                 + "make the state with this optimizer's Init")

    let private checkSchedule (op: string) (lr: Schedule) =
        Args.notNullAs op "Lr" "a Schedule, such as Schedule.constant 1e-3" lr

    /// <summary>AdamW (Loshchilov and Hutter, "Decoupled Weight Decay Regularization") with every option of PyTorch's
    /// torch.optim.AdamW and a learning-rate schedule.</summary>
    /// <remarks>
    /// At step t with learning rate η from the schedule, W ← W·(1 − η·λ), then m ← β₁·m + (1 − β₁)·g,
    /// v ← β₂·v + (1 − β₂)·g², and W ← W − (η / (1 − β₁ᵗ))·m / (√v / √(1 − β₂ᵗ) + ε), with v replaced by its
    /// running maximum under AMSGrad. The step count and the learning rate are tensors, so a step compiled with
    /// <c>compileOf</c> traces once, whatever the schedule.
    /// </remarks>
    /// <example><code>
    /// let opt = Optim.adamWWith { AdamWOptions.defaults with Lr = Schedule.warmupCosine 1e-3 10 100 1e-4 }
    /// let p1, s1 = opt.Update grads (opt.Init parameters) parameters
    /// </code></example>
    let adamWWith (options: AdamWOptions) : Optimizer<'P, AdamWState<'P>> =
        Args.notNullAs "Optim.adamWWith" "options" "AdamWOptions.defaults, or options made from it" options
        checkSchedule "Optim.adamWWith" options.Lr
        fraction "Beta1" options.Beta1
        fraction "Beta2" options.Beta2
        positive "Eps" options.Eps
        nonNegative "WeightDecay" options.WeightDecay
        let o = options

        {
            Init =
                fun parameters ->
                    Args.notNullAs "Optim.adamW's Init" "parameters" Args.tree parameters

                    {
                        Step = Tensor.Scalar 0.0
                        M = Tree.zerosLike parameters
                        V = Tree.zerosLike parameters
                        VMax = if o.Amsgrad then [ Tree.zerosLike parameters ] else []
                    }
            Update =
                fun grads state parameters ->
                    checkUpdate "Optim.adamW's Update" grads state parameters
                    let maxima = slot "maxima" parameters state.VMax

                    let maxima =
                        if o.Amsgrad then
                            Some(needed "maxima of v" "AMSGrad" maxima)
                        else
                            None

                    match
                        zipLeaves parameters [ "gradients", grads; "first moments", state.M; "second moments", state.V ]
                    with
                    | ps, [ gs; ms; vs ] ->
                        let lr = o.Lr.At state.Step
                        let t = state.Step + 1.0
                        let c1 = 1.0 - Tensor.Scalar o.Beta1 ** t
                        let c2 = sqrt (1.0 - Tensor.Scalar o.Beta2 ** t)
                        let decay = 1.0 - lr * o.WeightDecay
                        let ms' = List.map2 (fun (m: Tensor) g -> o.Beta1 * m + (1.0 - o.Beta1) * g) ms gs

                        let vs' =
                            List.map2 (fun (v: Tensor) (g: Tensor) -> o.Beta2 * v + (1.0 - o.Beta2) * (g * g)) vs gs

                        let maxima' = maxima |> Option.map (List.map2 Tensor.maximum vs')
                        let denominators = defaultArg maxima' vs'

                        let ps' =
                            List.map3
                                (fun (w: Tensor) (m: Tensor) (v: Tensor) ->
                                    let decayed = if o.WeightDecay = 0.0 then w else w * like w decay
                                    decayed - like w (lr / c1) * m / (sqrt v / like w c2 + o.Eps))
                                ps
                                ms'
                                denominators

                        Tree.rebuild parameters ps',
                        {
                            Step = t
                            M = Tree.rebuild parameters ms'
                            V = Tree.rebuild parameters vs'
                            VMax =
                                match maxima' with
                                | Some ls -> [ Tree.rebuild parameters ls ]
                                | None -> []
                        }
                    | _ -> failwith "unreachable"
        }

    /// <summary>AdamW with learning rate η and PyTorch's other defaults: β = (0.9, 0.999), ε = 1e-8, weight decay
    /// 0.01.</summary>
    /// <example><code>
    /// let opt = Optim.adamW 1e-3
    /// let p1, s1 = opt.Update grads (opt.Init parameters) parameters
    /// </code></example>
    [<Peers("torch.optim.AdamW",
            "optax.adamw",
            "",
            Notes = "decoupled decay W·(1 − η·λ); `Optim.adamWWith` sets λ, β, ε, AMSGrad and a schedule")>]
    let adamW (lr: float) : Optimizer<'P, AdamWState<'P>> =
        positive "lr" lr

        adamWWith
            { AdamWOptions.defaults with
                Lr = Schedule.constant lr
            }

    /// <summary>Stochastic gradient descent with PyTorch's torch.optim.SGD options (momentum, dampening, weight decay,
    /// Nesterov) and a learning-rate schedule.</summary>
    /// <remarks>
    /// g ← g + λ·W; with momentum μ the buffer
    /// b ← μ·b + (1 − dampening)·g (b = g on the first step) and the step direction is b, or g + μ·b with Nesterov;
    /// then W ← W − η·direction, η from the schedule.
    /// </remarks>
    /// <example><code>
    /// let opt = Optim.sgdWith { SgdOptions.defaults with Lr = Schedule.constant 0.1; Momentum = 0.9; Nesterov = true }
    /// let p1, s1 = opt.Update grads (opt.Init parameters) parameters
    /// </code></example>
    let sgdWith (options: SgdOptions) : Optimizer<'P, SgdState<'P>> =
        Args.notNullAs "Optim.sgdWith" "options" "SgdOptions.defaults, or options made from it" options
        checkSchedule "Optim.sgdWith" options.Lr
        nonNegative "Momentum" options.Momentum
        nonNegative "WeightDecay" options.WeightDecay

        if not (System.Double.IsFinite options.Dampening) then
            invalidArg "Dampening" $"Optim: Dampening must be a finite number, got {options.Dampening}"

        if options.Nesterov && (options.Momentum <= 0.0 || options.Dampening <> 0.0) then
            invalidArg
                "Nesterov"
                ($"Optim.sgdWith: Nesterov momentum needs Momentum > 0 and Dampening = 0, got Momentum = "
                 + $"{options.Momentum} and Dampening = {options.Dampening}")

        let o = options
        let withMomentum = o.Momentum <> 0.0

        {
            Init =
                fun parameters ->
                    Args.notNullAs "Optim.sgdWith's Init" "parameters" Args.tree parameters

                    {
                        Step = Tensor.Scalar 0.0
                        MomentumBuffer = if withMomentum then [ Tree.zerosLike parameters ] else []
                    }
            Update =
                fun grads state parameters ->
                    checkUpdate "Optim.sgdWith's Update" grads state parameters
                    let buffers = slot "momentum buffer" parameters state.MomentumBuffer

                    match zipLeaves parameters [ "gradients", grads ] with
                    | ps, [ gs ] ->
                        let lr = o.Lr.At state.Step

                        let gs =
                            if o.WeightDecay = 0.0 then
                                gs
                            else
                                List.map2 (fun (g: Tensor) w -> g + o.WeightDecay * w) gs ps

                        let directions, buffers' =
                            if withMomentum then
                                // the buffer starts at zero, so μ·b + 1·g is PyTorch's b = g on the first step
                                let fresh =
                                    Tensor.where
                                        (Tensor.eq state.Step (Tensor.Scalar 0.0))
                                        (Tensor.Scalar 1.0)
                                        (Tensor.Scalar(1.0 - o.Dampening))

                                let bs =
                                    List.map2
                                        (fun (b: Tensor) (g: Tensor) -> o.Momentum * b + like g fresh * g)
                                        (needed "momentum buffer" "momentum" buffers)
                                        gs

                                let ds =
                                    if o.Nesterov then
                                        List.map2 (fun (g: Tensor) b -> g + o.Momentum * b) gs bs
                                    else
                                        bs

                                ds, [ Tree.rebuild parameters bs ]
                            else
                                gs, []

                        Tree.rebuild parameters (List.map2 (fun (w: Tensor) d -> w - like w lr * d) ps directions),
                        {
                            Step = state.Step + 1.0
                            MomentumBuffer = buffers'
                        }
                    | _ -> failwith "unreachable"
        }

    /// <summary>RMSprop with every option of PyTorch's torch.optim.RMSprop and a learning-rate schedule.</summary>
    /// <remarks>
    /// g ← g + λ·W, v ← α·v + (1 − α)·g², the denominator
    /// d = √v + ε (centered: ḡ ← α·ḡ + (1 − α)·g and d = √(v − ḡ²) + ε); then W ← W − η·g/d, or with momentum μ
    /// b ← μ·b + g/d and W ← W − η·b.
    /// </remarks>
    /// <example><code>
    /// let opt = Optim.rmsPropWith { RmsPropOptions.defaults with Centered = true; Momentum = 0.9 }
    /// </code></example>
    let rmsPropWith (options: RmsPropOptions) : Optimizer<'P, RmsPropState<'P>> =
        Args.notNullAs "Optim.rmsPropWith" "options" "RmsPropOptions.defaults, or options made from it" options
        checkSchedule "Optim.rmsPropWith" options.Lr
        fraction "Alpha" options.Alpha
        positive "Eps" options.Eps
        nonNegative "WeightDecay" options.WeightDecay
        nonNegative "Momentum" options.Momentum
        let o = options

        {
            Init =
                fun parameters ->
                    Args.notNullAs "Optim.rmsPropWith's Init" "parameters" Args.tree parameters

                    {
                        Step = Tensor.Scalar 0.0
                        SquareAverage = Tree.zerosLike parameters
                        GradAverage = if o.Centered then [ Tree.zerosLike parameters ] else []
                        MomentumBuffer =
                            if o.Momentum > 0.0 then
                                [ Tree.zerosLike parameters ]
                            else
                                []
                    }
            Update =
                fun grads state parameters ->
                    checkUpdate "Optim.rmsPropWith's Update" grads state parameters
                    let means = slot "gradient average" parameters state.GradAverage
                    let buffers = slot "momentum buffer" parameters state.MomentumBuffer

                    match zipLeaves parameters [ "gradients", grads; "square averages", state.SquareAverage ] with
                    | ps, [ gs; vs ] ->
                        let lr = o.Lr.At state.Step

                        let gs =
                            if o.WeightDecay = 0.0 then
                                gs
                            else
                                List.map2 (fun (g: Tensor) w -> g + o.WeightDecay * w) gs ps

                        let vs' =
                            List.map2 (fun (v: Tensor) (g: Tensor) -> o.Alpha * v + (1.0 - o.Alpha) * (g * g)) vs gs

                        let means' =
                            if o.Centered then
                                Some(
                                    List.map2
                                        (fun (m: Tensor) g -> o.Alpha * m + (1.0 - o.Alpha) * g)
                                        (needed "gradient average" "Centered" means)
                                        gs
                                )
                            else
                                None

                        let ds =
                            match means' with
                            | Some ms -> List.map2 (fun (v: Tensor) (m: Tensor) -> sqrt (v - m * m) + o.Eps) vs' ms
                            | None -> List.map (fun (v: Tensor) -> sqrt v + o.Eps) vs'

                        let scaled = List.map2 (fun (g: Tensor) d -> g / d) gs ds

                        let directions, buffers' =
                            if o.Momentum > 0.0 then
                                let bs =
                                    List.map2
                                        (fun (b: Tensor) s -> o.Momentum * b + s)
                                        (needed "momentum buffer" "momentum" buffers)
                                        scaled

                                bs, [ Tree.rebuild parameters bs ]
                            else
                                scaled, []

                        Tree.rebuild parameters (List.map2 (fun (w: Tensor) d -> w - like w lr * d) ps directions),
                        {
                            Step = state.Step + 1.0
                            SquareAverage = Tree.rebuild parameters vs'
                            GradAverage =
                                match means' with
                                | Some ms -> [ Tree.rebuild parameters ms ]
                                | None -> []
                            MomentumBuffer = buffers'
                        }
                    | _ -> failwith "unreachable"
        }

    /// <summary>RMSprop with learning rate η and PyTorch's other defaults (α = 0.99, ε = 1e-8).</summary>
    /// <example><code>let opt = Optim.rmsProp 0.01</code></example>
    [<Peers("torch.optim.RMSprop",
            "optax.rmsprop",
            "",
            Notes = "`Optim.rmsPropWith`: α, ε, weight decay, momentum, centered, a schedule")>]
    let rmsProp (lr: float) : Optimizer<'P, RmsPropState<'P>> =
        positive "lr" lr

        rmsPropWith
            { RmsPropOptions.defaults with
                Lr = Schedule.constant lr
            }

    /// <summary>
    /// Adagrad, PyTorch's torch.optim.Adagrad: at step t (from 1), g ← g + λ·W, s ← s + g², and
    /// W ← W − η/(1 + (t − 1)·lrDecay)·g/(√s + ε), η from the schedule.
    /// </summary>
    /// <example><code>
    /// let opt = Optim.adagradWith { AdagradOptions.defaults with InitialAccumulatorValue = 0.1 }
    /// </code></example>
    let adagradWith (options: AdagradOptions) : Optimizer<'P, AdagradState<'P>> =
        Args.notNullAs "Optim.adagradWith" "options" "AdagradOptions.defaults, or options made from it" options
        checkSchedule "Optim.adagradWith" options.Lr
        nonNegative "LrDecay" options.LrDecay
        nonNegative "WeightDecay" options.WeightDecay
        nonNegative "InitialAccumulatorValue" options.InitialAccumulatorValue
        positive "Eps" options.Eps
        let o = options

        {
            Init =
                fun parameters ->
                    Args.notNullAs "Optim.adagradWith's Init" "parameters" Args.tree parameters

                    {
                        Step = Tensor.Scalar 0.0
                        Sum = Tree.zerosLike parameters |> Tree.map (fun z -> z + o.InitialAccumulatorValue)
                    }
            Update =
                fun grads state parameters ->
                    checkUpdate "Optim.adagradWith's Update" grads state parameters

                    match zipLeaves parameters [ "gradients", grads; "sums of squares", state.Sum ] with
                    | ps, [ gs; ss ] ->
                        let lr = o.Lr.At state.Step / (1.0 + state.Step * o.LrDecay)

                        let gs =
                            if o.WeightDecay = 0.0 then
                                gs
                            else
                                List.map2 (fun (g: Tensor) w -> g + o.WeightDecay * w) gs ps

                        let ss' = List.map2 (fun (s: Tensor) (g: Tensor) -> s + g * g) ss gs

                        let ps' =
                            List.map3 (fun (w: Tensor) (g: Tensor) s -> w - like w lr * g / (sqrt s + o.Eps)) ps gs ss'

                        Tree.rebuild parameters ps',
                        {
                            Step = state.Step + 1.0
                            Sum = Tree.rebuild parameters ss'
                        }
                    | _ -> failwith "unreachable"
        }

    /// <summary>Adagrad with learning rate η and PyTorch's other defaults (ε = 1e-10, accumulator 0).</summary>
    /// <example><code>let opt = Optim.adagrad 0.1</code></example>
    [<Peers("torch.optim.Adagrad",
            "optax.adagrad",
            "",
            Notes = "`Optim.adagradWith`: lr decay, weight decay, initial accumulator, ε, a schedule")>]
    let adagrad (lr: float) : Optimizer<'P, AdagradState<'P>> =
        positive "lr" lr

        adagradWith
            { AdagradOptions.defaults with
                Lr = Schedule.constant lr
            }

    /// <summary>Lion (Chen et al. 2023, "Symbolic Discovery of Optimization Algorithms") with decoupled weight decay
    /// and a learning-rate schedule.</summary>
    /// <remarks>
    /// W ← W·(1 − η·λ), then W ← W − η·sign(β₁·m + (1 − β₁)·g), and
    /// m ← β₂·m + (1 − β₂)·g, η from the schedule. Steps have size η in every coordinate, so its η is usually 3–10×
    /// smaller than AdamW's and its λ as much larger.
    /// </remarks>
    /// <example><code>let opt = Optim.lionWith { LionOptions.defaults with WeightDecay = 1.0 }</code></example>
    let lionWith (options: LionOptions) : Optimizer<'P, LionState<'P>> =
        Args.notNullAs "Optim.lionWith" "options" "LionOptions.defaults, or options made from it" options
        checkSchedule "Optim.lionWith" options.Lr
        fraction "Beta1" options.Beta1
        fraction "Beta2" options.Beta2
        nonNegative "WeightDecay" options.WeightDecay
        let o = options

        {
            Init =
                fun parameters ->
                    Args.notNullAs "Optim.lionWith's Init" "parameters" Args.tree parameters

                    {
                        Step = Tensor.Scalar 0.0
                        M = Tree.zerosLike parameters
                    }
            Update =
                fun grads state parameters ->
                    checkUpdate "Optim.lionWith's Update" grads state parameters

                    match zipLeaves parameters [ "gradients", grads; "momenta", state.M ] with
                    | ps, [ gs; ms ] ->
                        let lr = o.Lr.At state.Step
                        let decay = 1.0 - lr * o.WeightDecay

                        let ps' =
                            List.map3
                                (fun (w: Tensor) (m: Tensor) (g: Tensor) ->
                                    let decayed = if o.WeightDecay = 0.0 then w else w * like w decay
                                    decayed - like w lr * Tensor.sign (o.Beta1 * m + (1.0 - o.Beta1) * g))
                                ps
                                ms
                                gs

                        let ms' = List.map2 (fun (m: Tensor) g -> o.Beta2 * m + (1.0 - o.Beta2) * g) ms gs

                        Tree.rebuild parameters ps',
                        {
                            Step = state.Step + 1.0
                            M = Tree.rebuild parameters ms'
                        }
                    | _ -> failwith "unreachable"
        }

    /// <summary>Lion with learning rate η, β = (0.9, 0.99) and no weight decay.</summary>
    /// <example><code>let opt = Optim.lion 1e-4</code></example>
    [<Peers("", "optax.lion", "", Notes = "not in torch.optim; `Optim.lionWith`: β, decoupled decay, a schedule")>]
    let lion (lr: float) : Optimizer<'P, LionState<'P>> =
        positive "lr" lr

        lionWith
            { LionOptions.defaults with
                Lr = Schedule.constant lr
            }

    /// <summary>Global-norm gradient clipping, PyTorch's clip_grad_norm_ without the mutation: the gradients times
    /// min(1, maxNorm / (N + 1e-6)), and N, the L2 norm of all their elements together.</summary>
    /// <remarks>N is a float64 one-element tensor, the norm before clipping. Nothing is read on the host, so it
    /// compiles.</remarks>
    /// <example><code>
    /// let clipped, norm = Optim.clipGradNorm 1.0 grads
    /// </code></example>
    [<Peers("torch.nn.utils.clip_grad_norm_",
            "optax.clip_by_global_norm",
            "",
            Notes = "returns the clipped tree and the norm")>]
    let clipGradNorm (maxNorm: float) (grads: 'P) : 'P * Tensor =
        Args.notNullAs "Optim.clipGradNorm" "grads" Args.tree grads
        nonNegative "maxNorm" maxNorm
        let gs = Tree.leaves grads

        let norm =
            match gs with
            | [] -> Tensor.Scalar 0.0
            | _ ->
                gs
                |> List.map (fun (g: Tensor) -> like (Tensor.Scalar 0.0) (Tensor.sum (g * g)))
                |> List.reduce (+)
                |> sqrt

        let scale = Tensor.clampMax 1.0 (Tensor.Scalar maxNorm / (norm + 1e-6))
        Tree.rebuild grads (List.map (fun (g: Tensor) -> g * like g scale) gs), norm

    /// f of a structure as a function of one flat float64 vector (x0's tensors, flattened and concatenated, each
    /// cast back to its dtype), with the host-side value-and-gradient and Hessian-vector product the minimisers use.
    let private flatProblem (op: string) (f: 'P -> Tensor) (x0: 'P) =
        let leaves = Tree.leaves x0 |> Array.ofList

        if leaves.Length = 0 then
            invalidArg "x0" $"{op}: the starting point holds no tensor; pass the parameters to fit"

        for t in leaves do
            if t.DType <> DType.Float64 && t.DType <> DType.Float32 then
                invalidArg "x0" $"{op}: the starting point holds a {t.DType} tensor; pass float64 or float32 tensors"

        let sizes = leaves |> Array.map (fun t -> t.Count)
        let offsets = Array.scan (+) 0 sizes

        let unflat (x: Tensor) =
            Tree.rebuild
                x0
                [
                    for i in 0 .. leaves.Length - 1 ->
                        (Tensor.narrow 0 offsets[i] sizes[i] x
                         |> Tensor.reshape (Seq.toArray leaves[i].Shape))
                            .ToDType
                            leaves[i].DType
                ]

        let objective (x: Tensor) =
            let y = f (unflat x)

            if isNull (box y) || y.Count <> 1 then
                invalidArg
                    "f"
                    (if isNull (box y) then
                         $"{op}: f returned null; return the loss as a one-element tensor"
                     else
                         $"{op}: f returned a tensor of shape {Seq.toList y.Shape}; return the loss as one number")

            Tensor.sum (y.ToDType DType.Float64)

        let start =
            leaves |> Array.collect (fun t -> Tensor.toArray (t.ToDType DType.Float64))

        let fg (x: float[]) =
            let v, g = valueAndGrad objective (Tensor.ofArray x)
            Tensor.item v, Tensor.toArray g

        let hv (x: float[]) (v: float[]) =
            Tensor.toArray (hvp objective (Tensor.ofArray x) (Tensor.ofArray v))

        start, fg, hv, (fun (x: float[]) -> unflat (Tensor.ofArray x))

    let private result (back: float[] -> 'P) (run: Minimizer.Run, reason: StopReason) =
        {
            X = back run.X
            F = run.F
            GradientNorm = Minimizer.maxAbs run.G
            Iterations = run.Iterations
            Evaluations = run.Evaluations
            HessianProducts = run.HessianProducts
            Reason = reason
            Path = run.Path |> List.rev |> List.map back
        }

    let private searchOptions (c1: float) (c2: float) (maxLineSearch: int) =
        if not (0.0 < c1 && c1 < c2 && c2 < 1.0) then
            invalidArg "C2" $"Optim: the Wolfe constants need 0 < C1 < C2 < 1, got C1 = {c1} and C2 = {c2}"

        if maxLineSearch < 1 then
            invalidArg "MaxLineSearch" $"Optim: MaxLineSearch must be 1 or more, got {maxLineSearch}"

    /// <summary>
    /// Minimises f from x0 by L-BFGS (Nocedal and Wright, algorithm 7.5) with a strong-Wolfe line search
    /// (their algorithms 3.5 and 3.6, cubic interpolation): a full-batch fit, as scipy's
    /// <c>minimize(method="L-BFGS-B")</c> without bounds, or PyTorch's LBFGS with line_search_fn="strong_wolfe"
    /// run to convergence.
    /// </summary>
    /// <remarks>
    /// x0 is any structure of float64 or float32 tensors; the iteration runs in float64 on the host (the line search
    /// branches on values), calling f and its gradient (<c>valueAndGrad</c>) at each trial point, so it is not for
    /// <c>compile</c>. It stops on the gradient tolerance (largest absolute element), the change tolerance, the
    /// iteration limit, or a line search that found no acceptable point (often: converged as far as f's rounding
    /// allows); the result says which.
    /// </remarks>
    /// <example><code>
    /// let rosenbrock (x: Tensor) = let a, b = x[0], x[1] in (1.0 - a) ** 2.0 + 100.0 * (b - a * a) ** 2.0
    /// let options = { LbfgsOptions.defaults with GradientTolerance = 1e-10 }
    /// let r = Optim.lbfgsWith options rosenbrock (Tensor.ofList [ -1.2; 1.0 ])
    /// r.X // tensor([1.0000, 1.0000], dtype=float64)
    /// </code></example>
    let lbfgsWith (options: LbfgsOptions) (f: 'P -> Tensor) (x0: 'P) : MinimizeResult<'P> =
        Args.notNullAs "Optim.lbfgsWith" "options" "LbfgsOptions.defaults, or options made from it" options
        Args.notNull "Optim.lbfgsWith" "f" f
        Args.notNullAs "Optim.lbfgsWith" "x0" Args.tree x0

        if options.History < 1 then
            invalidArg "History" $"Optim.lbfgsWith: History must be 1 or more, got {options.History}"

        if options.MaxIterations < 0 then
            invalidArg "MaxIterations" $"Optim.lbfgsWith: MaxIterations must be 0 or more, got {options.MaxIterations}"

        nonNegative "GradientTolerance" options.GradientTolerance
        nonNegative "ChangeTolerance" options.ChangeTolerance
        searchOptions options.C1 options.C2 options.MaxLineSearch
        let start, fg, _, back = flatProblem "Optim.lbfgs" f x0
        result back (Minimizer.lbfgs fg start options)

    /// <summary>L-BFGS with the default options (<c>LbfgsOptions.defaults</c>): see <c>Optim.lbfgsWith</c>.</summary>
    /// <example><code>
    /// let r = Optim.lbfgs (fun (x: Tensor) -> Tensor.sum ((x - 3.0) ** 2.0)) (Tensor.zeros [| 2 |])
    /// r.X // tensor([3., 3.], dtype=float64)
    /// </code></example>
    [<Peers("torch.optim.LBFGS",
            "jax.scipy.optimize.minimize, optax.lbfgs",
            "",
            Notes = "runs to convergence with a strong-Wolfe line search; returns a result record")>]
    let lbfgs (f: 'P -> Tensor) (x0: 'P) : MinimizeResult<'P> = lbfgsWith LbfgsOptions.defaults f x0

    /// <summary>Minimises f from x0 by truncated Newton-CG (Nocedal and Wright, algorithm 7.1), as scipy's
    /// <c>minimize(method="Newton-CG")</c>.</summary>
    /// <remarks>
    /// Each step solves H·d = −g by conjugate gradients on Hessian-vector
    /// products (<c>hvp</c>, never forming H) to the tolerance min(0.5, √‖g‖)·‖g‖, leaving early at negative
    /// curvature (with the CG iterate so far, or −g on the first CG step), then a strong-Wolfe line search from
    /// α = 1. Like <c>lbfgsWith</c>, it runs eagerly in float64 on the host, for full-batch fits of any structure
    /// of float64 or float32 tensors.
    /// </remarks>
    /// <example><code>
    /// let r = Optim.newtonCgWith { NewtonCgOptions.defaults with GradientTolerance = 1e-10 } rosenbrock x0
    /// r.X, r.HessianProducts
    /// </code></example>
    let newtonCgWith (options: NewtonCgOptions) (f: 'P -> Tensor) (x0: 'P) : MinimizeResult<'P> =
        Args.notNullAs "Optim.newtonCgWith" "options" "NewtonCgOptions.defaults, or options made from it" options
        Args.notNull "Optim.newtonCgWith" "f" f
        Args.notNullAs "Optim.newtonCgWith" "x0" Args.tree x0

        if options.MaxIterations < 0 || options.MaxCgIterations < 0 then
            invalidArg
                "MaxIterations"
                ($"Optim.newtonCgWith: MaxIterations and MaxCgIterations must be 0 or more, got "
                 + $"{options.MaxIterations} and {options.MaxCgIterations}")

        nonNegative "GradientTolerance" options.GradientTolerance
        nonNegative "ChangeTolerance" options.ChangeTolerance
        searchOptions options.C1 options.C2 options.MaxLineSearch
        let start, fg, hv, back = flatProblem "Optim.newtonCg" f x0
        result back (Minimizer.newtonCg fg hv start options)

    /// <summary>Newton-CG with the default options (<c>NewtonCgOptions.defaults</c>): see
    /// <c>Optim.newtonCgWith</c>.</summary>
    /// <example><code>
    /// let r = Optim.newtonCg (fun (x: Tensor) -> Tensor.sum ((x - 3.0) ** 4.0 + x * x)) (Tensor.zeros [| 2 |])
    /// </code></example>
    [<Peers("", "jax.scipy.optimize.minimize", "", Notes = "scipy.optimize.minimize(method=\"Newton-CG\") on hvp")>]
    let newtonCg (f: 'P -> Tensor) (x0: 'P) : MinimizeResult<'P> =
        newtonCgWith NewtonCgOptions.defaults f x0
