namespace FuncGrad

open System

/// <summary>
/// A learning rate as a function of the step: the number of optimiser steps taken before the current one (0 on the
/// first step), as PyTorch's schedulers stepped once after each optimiser step.
/// </summary>
/// <remarks>The function is written in tensor ops of a one-element float64 step tensor, so an optimiser's step that
/// reads it from its state compiles once.</remarks>
/// <example><code>
/// let lr = Schedule.warmupCosine 6e-4 100 5000 6e-5
/// lr.Value 0 // 6e-4 · 1/101
/// </code></example>
[<Sealed; AllowNullLiteral>]
type Schedule internal (at: Tensor -> Tensor, description: string) =
    /// <summary>The learning rate at a step given as a one-element float64 tensor (a traced value under compile):
    /// a one-element float64 tensor.</summary>
    /// <example><code>(Schedule.constant 0.1).At(scalar 3.0) // tensor(0.1000, dtype=float64)</code></example>
    member _.At(step: Tensor) : Tensor =
        Args.notNull "Schedule.At" "step" step
        at step

    /// <summary>The learning rate at step <c>step</c> (0 for the first optimiser step), as a number.</summary>
    /// <example><code>(Schedule.exponential 1.0 0.5).Value 3 // 0.125</code></example>
    member _.Value(step: int) : float =
        if step < 0 then
            invalidArg "step" $"Schedule.Value: the step must be 0 or more, got {step}"

        (at (Tensor.Scalar(float step))).Item()

    /// <summary>The schedule's formula and numbers.</summary>
    /// <example><code>string (Schedule.constant 0.1) // "constant 0.1"</code></example>
    override _.ToString() = description

/// <summary>
/// Learning-rate schedules as pure functions of the step (see <see cref="T:FuncGrad.Schedule"/>): constant,
/// linear warm-up then cosine decay, step decay and exponential decay, or any function of the step tensor.
/// </summary>
/// <example><code>
/// let opt = Optim.adamWWith { AdamWOptions.defaults with Lr = Schedule.warmupCosine 1e-3 10 200 1e-4 }
/// </code></example>
[<RequireQualifiedAccess; CompilationRepresentation(CompilationRepresentationFlags.ModuleSuffix)>]
module Schedule =
    let private finite (what: string) (value: float) =
        if not (Double.IsFinite value) then
            invalidArg what $"Schedule: {what} must be a finite number, got {value}"

    /// <summary>The same learning rate at every step.</summary>
    /// <example><code>(Schedule.constant 0.01).Value 1000 // 0.01</code></example>
    let constant (lr: float) : Schedule =
        finite "lr" lr
        Schedule((fun _ -> Tensor.Scalar lr), $"constant {lr}")

    /// <summary>Linear warm-up, then cosine decay, then a floor: nanoGPT's <c>get_lr</c>.</summary>
    /// <remarks>
    /// At step t, lr = peak·(t + 1)/(warmup + 1) while t &lt; warmup; then with
    /// r = (t − warmup)/(decaySteps − warmup) clamped to [0, 1], lr = final + ½·(1 + cos(π·r))·(peak − final), which
    /// is peak at t = warmup and final from t = decaySteps on. With warmup = 0 it is PyTorch's CosineAnnealingLR
    /// (T_max = decaySteps, eta_min = final) held at final after T_max.
    /// </remarks>
    /// <example><code>
    /// let s = Schedule.warmupCosine 1.0 10 110 0.0
    /// s.Value 4, s.Value 10, s.Value 60, s.Value 500 // 5/11, 1.0, 0.5, 0.0
    /// </code></example>
    let warmupCosine (peak: float) (warmup: int) (decaySteps: int) (final: float) : Schedule =
        finite "peak" peak
        finite "final" final

        if warmup < 0 || decaySteps <= warmup then
            invalidArg
                "decaySteps"
                ($"Schedule.warmupCosine: need 0 ≤ warmup < decaySteps, got warmup = {warmup} and "
                 + $"decaySteps = {decaySteps}")

        let at (t: Tensor) =
            let ratio =
                Tensor.clamp (Some 0.0) (Some 1.0) ((t - float warmup) / float (decaySteps - warmup))

            let decayed = final + 0.5 * (1.0 + Tensor.cos (Math.PI * ratio)) * (peak - final)

            if warmup = 0 then
                decayed
            else
                let warm = peak * (t + 1.0) / float (warmup + 1)
                Tensor.where (Tensor.lt t (Tensor.Scalar(float warmup))) warm decayed

        Schedule(at, $"warmupCosine (peak {peak}, warmup {warmup}, decaySteps {decaySteps}, final {final})")

    /// <summary>Step decay, PyTorch's StepLR: lr·γ^⌊t / stepSize⌋.</summary>
    /// <example><code>(Schedule.step 0.1 30 0.1).Value 65 // 0.001</code></example>
    let step (lr: float) (stepSize: int) (gamma: float) : Schedule =
        finite "lr" lr
        finite "gamma" gamma

        if stepSize < 1 then
            invalidArg "stepSize" $"Schedule.step: stepSize must be 1 or more, got {stepSize}"

        Schedule(
            (fun t -> lr * Tensor.Scalar gamma ** Tensor.floor (t / float stepSize)),
            $"step (lr {lr}, stepSize {stepSize}, gamma {gamma})"
        )

    /// <summary>Exponential decay, PyTorch's ExponentialLR: lr·γ^t.</summary>
    /// <example><code>(Schedule.exponential 1.0 0.5).Value 3 // 0.125</code></example>
    let exponential (lr: float) (gamma: float) : Schedule =
        finite "lr" lr
        finite "gamma" gamma
        Schedule((fun t -> lr * Tensor.Scalar gamma ** t), $"exponential (lr {lr}, gamma {gamma})")

    /// <summary>
    /// Any schedule, written in tensor ops of the step (a one-element float64 tensor, 0 on the first step), as
    /// PyTorch's LambdaLR; keep data-dependent choices as <c>Tensor.where</c> so that a compiled step traces once.
    /// </summary>
    /// <example><code>Schedule.ofFunction (fun t -> 0.1 / sqrt (t + 1.0)) // inverse square root decay</code></example>
    let ofFunction (f: Tensor -> Tensor) : Schedule =
        Args.notNull "Schedule.ofFunction" "f" f
        Schedule(f, "ofFunction")
