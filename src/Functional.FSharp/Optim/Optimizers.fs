namespace FuncGrad

open System
open System.Runtime.InteropServices

/// <summary>
/// A first-order optimiser over an array of tensors, for C#: <c>Init</c> makes the state, <c>Step</c> takes the
/// gradients, the state and the parameters and returns the new parameters and state.
/// </summary>
/// <remarks>It wraps the F# optimiser of the same name (<c>Optim.adamW</c>...), so both languages run the same
/// code.</remarks>
/// <example><code>
/// var opt = Optimizers.AdamW(lr: 1e-3, weightDecay: 0.1);
/// var state = opt.Init(parameters);
/// (parameters, state) = opt.Step(grads, state, parameters);
/// </code></example>
[<Sealed>]
type TensorOptimizer<'S> internal (inner: Optimizer<Tensor[], 'S>, name: string) =
    /// <summary>The F# optimiser this wraps, over <c>Tensor[]</c>.</summary>
    /// <example><code>let opt = (Optimizers.AdamW()).Optimizer</code></example>
    member _.Optimizer = inner

    /// <summary>The state before the first step, for parameters shaped like these.</summary>
    /// <example><code>var state = opt.Init(parameters);</code></example>
    member _.Init(parameters: Tensor[]) : 'S =
        Args.notNull $"{name}.Init" "parameters" parameters
        inner.Init parameters

    /// <summary>One step: new parameters and new state; nothing is changed in place.</summary>
    /// <example><code>(parameters, state) = opt.Step(grads, state, parameters);</code></example>
    member _.Step(grads: Tensor[], state: 'S, parameters: Tensor[]) : struct (Tensor[] * 'S) =
        Args.notNull $"{name}.Step" "grads" grads
        Args.notNullAs $"{name}.Step" "state" "the state from Init, or from the last Step" state
        Args.notNull $"{name}.Step" "parameters" parameters
        let p, s = inner.Update grads state parameters
        struct (p, s)

/// <summary>
/// The optimisers, schedules, gradient clipping and full-batch minimisers of <c>Optim</c> for C#, over
/// <c>Tensor[]</c>, with PyTorch's argument names and defaults. They live in the F# library and call <c>Optim</c>, so
/// the maths is written once.
/// </summary>
/// <example><code>
/// var opt = Optimizers.AdamW(schedule: Optimizers.WarmupCosine(1e-3, 100, 5000, 1e-4), weightDecay: 0.1);
/// var (clipped, norm) = Optimizers.ClipGradNorm(grads, 1.0);
/// </code></example>
[<AbstractClass; Sealed>]
type Optimizers =
    /// <summary>torch.optim.AdamW: decoupled weight decay, then Adam (see <c>Optim.adamWWith</c>); the overload
    /// with a schedule takes one in place of lr.</summary>
    /// <example><code>var opt = Optimizers.AdamW(lr: 3e-4, weightDecay: 0.1);</code></example>
    static member AdamW
        (
            [<Optional; DefaultParameterValue(1e-3)>] lr: float,
            [<Optional; DefaultParameterValue(0.9)>] beta1: float,
            [<Optional; DefaultParameterValue(0.999)>] beta2: float,
            [<Optional; DefaultParameterValue(1e-8)>] eps: float,
            [<Optional; DefaultParameterValue(0.01)>] weightDecay: float,
            [<Optional; DefaultParameterValue(false)>] amsgrad: bool
        ) =
        TensorOptimizer(
            Optim.adamWWith
                {
                    Lr = Schedule.constant lr
                    Beta1 = beta1
                    Beta2 = beta2
                    Eps = eps
                    WeightDecay = weightDecay
                    Amsgrad = amsgrad
                },
            "Optimizers.AdamW"
        )

    /// <summary>AdamW with a learning-rate schedule in place of a constant lr.</summary>
    /// <example><code>var opt = Optimizers.AdamW(schedule: Optimizers.ExponentialLr(1e-3, 0.99));</code></example>
    static member AdamW
        (
            schedule: Schedule,
            [<Optional; DefaultParameterValue(0.9)>] beta1: float,
            [<Optional; DefaultParameterValue(0.999)>] beta2: float,
            [<Optional; DefaultParameterValue(1e-8)>] eps: float,
            [<Optional; DefaultParameterValue(0.01)>] weightDecay: float,
            [<Optional; DefaultParameterValue(false)>] amsgrad: bool
        ) =
        Args.notNull "Optimizers.AdamW" "schedule" schedule

        TensorOptimizer(
            Optim.adamWWith
                {
                    Lr = schedule
                    Beta1 = beta1
                    Beta2 = beta2
                    Eps = eps
                    WeightDecay = weightDecay
                    Amsgrad = amsgrad
                },
            "Optimizers.AdamW"
        )

    /// <summary>torch.optim.SGD: momentum, dampening, weight decay and Nesterov (see <c>Optim.sgdWith</c>).</summary>
    /// <example><code>var opt = Optimizers.Sgd(lr: 0.1, momentum: 0.9, nesterov: true);</code></example>
    static member Sgd
        (
            [<Optional; DefaultParameterValue(1e-3)>] lr: float,
            [<Optional; DefaultParameterValue(0.0)>] momentum: float,
            [<Optional; DefaultParameterValue(0.0)>] dampening: float,
            [<Optional; DefaultParameterValue(0.0)>] weightDecay: float,
            [<Optional; DefaultParameterValue(false)>] nesterov: bool
        ) =
        TensorOptimizer(
            Optim.sgdWith
                {
                    Lr = Schedule.constant lr
                    Momentum = momentum
                    Dampening = dampening
                    WeightDecay = weightDecay
                    Nesterov = nesterov
                },
            "Optimizers.Sgd"
        )

    /// <summary>Sgd with a learning-rate schedule in place of a constant lr.</summary>
    /// <example><code>var opt = Optimizers.Sgd(schedule: Optimizers.ExponentialLr(1e-3, 0.99));</code></example>
    static member Sgd
        (
            schedule: Schedule,
            [<Optional; DefaultParameterValue(0.0)>] momentum: float,
            [<Optional; DefaultParameterValue(0.0)>] dampening: float,
            [<Optional; DefaultParameterValue(0.0)>] weightDecay: float,
            [<Optional; DefaultParameterValue(false)>] nesterov: bool
        ) =
        Args.notNull "Optimizers.Sgd" "schedule" schedule

        TensorOptimizer(
            Optim.sgdWith
                {
                    Lr = schedule
                    Momentum = momentum
                    Dampening = dampening
                    WeightDecay = weightDecay
                    Nesterov = nesterov
                },
            "Optimizers.Sgd"
        )

    /// <summary>torch.optim.RMSprop (see <c>Optim.rmsPropWith</c>).</summary>
    /// <example><code>var opt = Optimizers.RmsProp(lr: 1e-3, centered: true);</code></example>
    static member RmsProp
        (
            [<Optional; DefaultParameterValue(1e-2)>] lr: float,
            [<Optional; DefaultParameterValue(0.99)>] alpha: float,
            [<Optional; DefaultParameterValue(1e-8)>] eps: float,
            [<Optional; DefaultParameterValue(0.0)>] weightDecay: float,
            [<Optional; DefaultParameterValue(0.0)>] momentum: float,
            [<Optional; DefaultParameterValue(false)>] centered: bool
        ) =
        TensorOptimizer(
            Optim.rmsPropWith
                {
                    Lr = Schedule.constant lr
                    Alpha = alpha
                    Eps = eps
                    WeightDecay = weightDecay
                    Momentum = momentum
                    Centered = centered
                },
            "Optimizers.RmsProp"
        )

    /// <summary>RmsProp with a learning-rate schedule in place of a constant lr.</summary>
    /// <example><code>var opt = Optimizers.RmsProp(schedule: Optimizers.ExponentialLr(1e-3, 0.99));</code></example>
    static member RmsProp
        (
            schedule: Schedule,
            [<Optional; DefaultParameterValue(0.99)>] alpha: float,
            [<Optional; DefaultParameterValue(1e-8)>] eps: float,
            [<Optional; DefaultParameterValue(0.0)>] weightDecay: float,
            [<Optional; DefaultParameterValue(0.0)>] momentum: float,
            [<Optional; DefaultParameterValue(false)>] centered: bool
        ) =
        Args.notNull "Optimizers.RmsProp" "schedule" schedule

        TensorOptimizer(
            Optim.rmsPropWith
                {
                    Lr = schedule
                    Alpha = alpha
                    Eps = eps
                    WeightDecay = weightDecay
                    Momentum = momentum
                    Centered = centered
                },
            "Optimizers.RmsProp"
        )

    /// <summary>torch.optim.Adagrad (see <c>Optim.adagradWith</c>).</summary>
    /// <example><code>var opt = Optimizers.Adagrad(lr: 0.1, initialAccumulatorValue: 0.1);</code></example>
    static member Adagrad
        (
            [<Optional; DefaultParameterValue(1e-2)>] lr: float,
            [<Optional; DefaultParameterValue(0.0)>] lrDecay: float,
            [<Optional; DefaultParameterValue(0.0)>] weightDecay: float,
            [<Optional; DefaultParameterValue(0.0)>] initialAccumulatorValue: float,
            [<Optional; DefaultParameterValue(1e-10)>] eps: float
        ) =
        TensorOptimizer(
            Optim.adagradWith
                {
                    Lr = Schedule.constant lr
                    LrDecay = lrDecay
                    WeightDecay = weightDecay
                    InitialAccumulatorValue = initialAccumulatorValue
                    Eps = eps
                },
            "Optimizers.Adagrad"
        )

    /// <summary>Adagrad with a learning-rate schedule in place of a constant lr.</summary>
    /// <example><code>var opt = Optimizers.Adagrad(schedule: Optimizers.ExponentialLr(1e-3, 0.99));</code></example>
    static member Adagrad
        (
            schedule: Schedule,
            [<Optional; DefaultParameterValue(0.0)>] lrDecay: float,
            [<Optional; DefaultParameterValue(0.0)>] weightDecay: float,
            [<Optional; DefaultParameterValue(0.0)>] initialAccumulatorValue: float,
            [<Optional; DefaultParameterValue(1e-10)>] eps: float
        ) =
        Args.notNull "Optimizers.Adagrad" "schedule" schedule

        TensorOptimizer(
            Optim.adagradWith
                {
                    Lr = schedule
                    LrDecay = lrDecay
                    WeightDecay = weightDecay
                    InitialAccumulatorValue = initialAccumulatorValue
                    Eps = eps
                },
            "Optimizers.Adagrad"
        )

    /// <summary>Lion (see <c>Optim.lionWith</c>).</summary>
    /// <example><code>var opt = Optimizers.Lion(lr: 1e-4, weightDecay: 1.0);</code></example>
    static member Lion
        (
            [<Optional; DefaultParameterValue(1e-4)>] lr: float,
            [<Optional; DefaultParameterValue(0.9)>] beta1: float,
            [<Optional; DefaultParameterValue(0.99)>] beta2: float,
            [<Optional; DefaultParameterValue(0.0)>] weightDecay: float
        ) =
        TensorOptimizer(
            Optim.lionWith
                {
                    Lr = Schedule.constant lr
                    Beta1 = beta1
                    Beta2 = beta2
                    WeightDecay = weightDecay
                },
            "Optimizers.Lion"
        )

    /// <summary>Lion with a learning-rate schedule in place of a constant lr.</summary>
    /// <example><code>var opt = Optimizers.Lion(schedule: Optimizers.ExponentialLr(1e-3, 0.99));</code></example>
    static member Lion
        (
            schedule: Schedule,
            [<Optional; DefaultParameterValue(0.9)>] beta1: float,
            [<Optional; DefaultParameterValue(0.99)>] beta2: float,
            [<Optional; DefaultParameterValue(0.0)>] weightDecay: float
        ) =
        Args.notNull "Optimizers.Lion" "schedule" schedule

        TensorOptimizer(
            Optim.lionWith
                {
                    Lr = schedule
                    Beta1 = beta1
                    Beta2 = beta2
                    WeightDecay = weightDecay
                },
            "Optimizers.Lion"
        )

    /// <summary>Linear warm-up then cosine decay (see <c>Schedule.warmupCosine</c>).</summary>
    /// <example><code>var lr = Optimizers.WarmupCosine(6e-4, 100, 5000, 6e-5);</code></example>
    static member WarmupCosine(peak: float, warmup: int, decaySteps: int, final: float) : Schedule =
        Schedule.warmupCosine peak warmup decaySteps final

    /// <summary>Step decay, PyTorch's StepLR (see <c>Schedule.step</c>).</summary>
    /// <example><code>var lr = Optimizers.StepLr(0.1, 30, 0.1);</code></example>
    static member StepLr(lr: float, stepSize: int, gamma: float) : Schedule = Schedule.step lr stepSize gamma

    /// <summary>Exponential decay, PyTorch's ExponentialLR (see <c>Schedule.exponential</c>).</summary>
    /// <example><code>var lr = Optimizers.ExponentialLr(0.1, 0.99);</code></example>
    static member ExponentialLr(lr: float, gamma: float) : Schedule = Schedule.exponential lr gamma

    /// <summary>Any schedule written in tensor ops of the step (see <c>Schedule.ofFunction</c>), PyTorch's
    /// LambdaLR.</summary>
    /// <example><code>var lr = Optimizers.LambdaLr(t => 0.1 / (t + 1.0).Sqrt());</code></example>
    static member LambdaLr(f: Func<Tensor, Tensor>) : Schedule =
        Args.notNull "Optimizers.LambdaLr" "f" f
        Schedule.ofFunction f.Invoke

    /// <summary>torch.nn.utils.clip_grad_norm_ without the mutation: the gradients scaled to a global L2 norm of
    /// at most maxNorm, and the norm before clipping (see <c>Optim.clipGradNorm</c>).</summary>
    /// <example><code>var (clipped, norm) = Optimizers.ClipGradNorm(grads, 1.0);</code></example>
    static member ClipGradNorm(grads: Tensor[], maxNorm: float) : struct (Tensor[] * Tensor) =
        Args.notNull "Optimizers.ClipGradNorm" "grads" grads
        let g, n = Optim.clipGradNorm maxNorm grads
        struct (g, n)

    /// <summary>L-BFGS with a strong-Wolfe line search, run to convergence (see <c>Optim.lbfgsWith</c>).</summary>
    /// <example><code>
    /// var r = Optimizers.Lbfgs(p => Rosenbrock(p[0]), [Tensor.FromArray([-1.2, 1.0])], gradientTolerance: 1e-10);
    /// </code></example>
    static member Lbfgs
        (
            f: Func<Tensor[], Tensor>,
            x0: Tensor[],
            [<Optional; DefaultParameterValue(10)>] history: int,
            [<Optional; DefaultParameterValue(1000)>] maxIterations: int,
            [<Optional; DefaultParameterValue(1e-7)>] gradientTolerance: float,
            [<Optional; DefaultParameterValue(1e-9)>] changeTolerance: float
        ) : MinimizeResult<Tensor[]> =
        Args.notNull "Optimizers.Lbfgs" "f" f
        Args.notNull "Optimizers.Lbfgs" "x0" x0

        Optim.lbfgsWith
            { LbfgsOptions.defaults with
                History = history
                MaxIterations = maxIterations
                GradientTolerance = gradientTolerance
                ChangeTolerance = changeTolerance
            }
            f.Invoke
            x0

    /// <summary>Truncated Newton-CG on Hessian-vector products (see <c>Optim.newtonCgWith</c>).</summary>
    /// <example><code>var r = Optimizers.NewtonCg(p => Loss(p[0]), [w0], gradientTolerance: 1e-10);</code></example>
    static member NewtonCg
        (
            f: Func<Tensor[], Tensor>,
            x0: Tensor[],
            [<Optional; DefaultParameterValue(200)>] maxIterations: int,
            [<Optional; DefaultParameterValue(1e-7)>] gradientTolerance: float,
            [<Optional; DefaultParameterValue(1e-12)>] changeTolerance: float
        ) : MinimizeResult<Tensor[]> =
        Args.notNull "Optimizers.NewtonCg" "f" f
        Args.notNull "Optimizers.NewtonCg" "x0" x0

        Optim.newtonCgWith
            { NewtonCgOptions.defaults with
                MaxIterations = maxIterations
                GradientTolerance = gradientTolerance
                ChangeTolerance = changeTolerance
            }
            f.Invoke
            x0
