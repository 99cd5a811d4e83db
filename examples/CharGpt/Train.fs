/// The training loop: random windows of the training text, one AdamW step per batch with a cosine learning rate
/// after a linear warm-up and the gradients clipped to a global norm, the validation loss every so often.
module CharGpt.Train

open System
open System.Diagnostics
open FuncGrad

/// <summary>How to train: steps, batch, the learning-rate schedule, weight decay, clipping and evaluation.</summary>
/// <example><code>{ Train.defaults with Steps = 100 }</code></example>
type Settings =
    {
        Steps: int
        Batch: int
        /// The peak learning rate, reached at the end of the warm-up.
        Lr: float
        /// The learning rate the cosine decays to at the last step.
        MinLr: float
        /// Steps of linear warm-up from 0 to Lr.
        Warmup: int
        /// AdamW's decoupled weight decay λ (PyTorch's default is 0.01; nanoGPT uses 0.1).
        WeightDecay: float
        /// The global L2 norm the gradients are clipped to.
        Clip: float
        /// Evaluate every this many steps (and at the last).
        EvalEvery: int
        /// Batches of validation windows averaged per evaluation.
        EvalBatches: int
        Seed: int
    }

/// <summary>The settings the README's command uses.</summary>
/// <example><code>Train.defaults.Steps // 1000</code></example>
let defaults =
    {
        Steps = 1000
        Batch = 16
        Lr = 3e-3
        MinLr = 3e-4
        Warmup = 50
        WeightDecay = 0.1
        Clip = 1.0
        EvalEvery = 100
        EvalBatches = 8
        Seed = 1
    }

/// <summary>One evaluation: the step, the mean training loss since the last one, the validation loss.</summary>
/// <example><code>{ Step = 100; Train = 2.5; Validation = 2.6; Seconds = 30.0 }</code></example>
type Evaluation =
    {
        Step: int
        Train: float
        Validation: float
        Seconds: float
    }

/// <summary>The learning rate at step (1-based): linear warm-up to lr, then a half cosine down to minLr at the
/// last step.</summary>
/// <example><code>Train.learningRate Train.defaults 1000 // 3e-4</code></example>
let learningRate (s: Settings) (step: int) : float =
    if step <= s.Warmup then
        s.Lr * float step / float s.Warmup
    else
        let progress = float (step - s.Warmup) / float (max 1 (s.Steps - s.Warmup))
        s.MinLr + 0.5 * (s.Lr - s.MinLr) * (1.0 + cos (Math.PI * progress))

/// <summary>The gradients scaled so that their global L2 norm is at most maxNorm, and the norm before.</summary>
/// <example><code>Train.clip 1.0 grads // (grads, tensor(0.37))</code></example>
let clip (maxNorm: float) (grads: 'P) : 'P * Tensor =
    let norm =
        Tree.leaves grads
        |> List.map (fun g -> Tensor.sum (g * g))
        |> List.reduce (+)
        |> sqrt

    let scale = (maxNorm / (norm + 1e-6)).Minimum(Tensor.Scalar(1.0).ToDType norm.DType)
    Tree.map (fun g -> g * scale) grads, norm

/// <summary>The mean loss over batches of validation windows drawn with a fixed seed (the same windows at every
/// evaluation), without dropout.</summary>
/// <example><code>Train.validationLoss config settings gpt validationIds // 2.31</code></example>
let validationLoss (c: Model.Config) (s: Settings) (p: Model.Gpt) (ids: int[]) : float =
    let rng = Random(s.Seed + 1000)

    List.init s.EvalBatches (fun _ ->
        let x, y = Data.batch rng s.Batch c.Context ids
        Model.loss c p None x y |> Tensor.item)
    |> List.average

/// <summary>A bar of width cells, filled to fraction.</summary>
/// <example><code>Train.bar 10 0.5 // "█████·····"</code></example>
let bar (width: int) (fraction: float) : string =
    let filled = int (Math.Round(float width * min 1.0 (max 0.0 fraction)))
    String('█', filled) + String('·', width - filled)

/// <summary>
/// Trains from p0 and returns the parameters and the evaluations. On a terminal a progress bar is redrawn in place;
/// otherwise (a pipe, a CI log) one line per evaluation. report is told about each evaluation as it happens.
/// </summary>
/// <example><code>Train.run config settings gpt trainIds validationIds</code></example>
let run (c: Model.Config) (s: Settings) (p0: Model.Gpt) (trainIds: int[]) (validationIds: int[]) =
    let rng = Random s.Seed
    let interactive = not Console.IsOutputRedirected
    let clock = Stopwatch.StartNew()
    let evaluations = ResizeArray<Evaluation>()
    let optimizer = Optim.adam s.Lr
    let mutable parameters = p0
    let mutable state = optimizer.Init p0
    let mutable trainSum, trainCount = 0.0, 0
    let mutable last = nan

    for step in 1 .. s.Steps do
        let x, y = Data.batch rng s.Batch c.Context trainIds
        let loss, grads = valueAndGradOf (fun p -> Model.loss c p None x y) parameters
        let grads, _ = clip s.Clip grads
        let lr = learningRate s step
        let p, st = (Optim.adam lr).Update grads state parameters
        // Decoupled weight decay (AdamW): shrink by 1 − η·λ, whatever Adam did with the gradient.
        parameters <- Tree.map (fun (w: Tensor) -> w * (1.0 - lr * s.WeightDecay)) p
        state <- st
        last <- Tensor.item loss
        trainSum <- trainSum + last
        trainCount <- trainCount + 1

        if step % s.EvalEvery = 0 || step = s.Steps then
            let e =
                {
                    Step = step
                    Train = trainSum / float trainCount
                    Validation = validationLoss c s parameters validationIds
                    Seconds = clock.Elapsed.TotalSeconds
                }

            evaluations.Add e
            trainSum <- 0.0
            trainCount <- 0

            let line =
                $"step {step, 5}/{s.Steps}  train {e.Train:F3}  validation {e.Validation:F3}  {e.Seconds, 6:F1} s"

            if interactive then
                printf "\r%s\n" (line.PadRight 100)
            else
                printfn "%s" line

        if interactive then
            let fraction = float step / float s.Steps
            let secs = clock.Elapsed.TotalSeconds
            let eta = secs / float step * float (s.Steps - step)

            printf
                "\r%s %5d/%d  loss %.3f  lr %.1e  %5.1f s (%.0f s left) "
                (bar 30 fraction)
                step
                s.Steps
                last
                lr
                secs
                eta

    if interactive then
        printf "\r%s\r" (String(' ', 100))

    parameters, List.ofSeq evaluations
