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
        /// Stop after the step that passes this many minutes (evaluating there), if it comes before the last step;
        /// 0 for no limit.
        Minutes: float
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
        Minutes = 0.0
        Seed = 1
    }

/// <summary>One evaluation: the step, the mean training loss since the last one, the validation loss.</summary>
/// <example><code>{ Step = 100; Train = 2.5; Validation = 2.6; Seconds = 30.0; StepMs = 250.0 }</code></example>
type Evaluation =
    {
        Step: int
        Train: float
        Validation: float
        /// Since the start, evaluations included.
        Seconds: float
        /// The mean time of a training step so far (batch, forward, backward, clipping and AdamW), in milliseconds,
        /// the first (which compiles) left out.
        StepMs: float
    }

/// <summary>
/// The learning rate as a function of the step (0 for the first): a linear warm-up to Lr over Warmup steps, then a
/// half cosine down to MinLr at the last step (nanoGPT's schedule).
/// </summary>
/// <example><code>(Train.schedule Train.defaults).Value 1000 // 3e-4</code></example>
let schedule (s: Settings) : Schedule =
    // The cosine reaches MinLr at step Steps, one past the last; a warm-up of the whole run or more is cut to
    // Steps − 1, as the schedule needs the warm-up to end before the decay does.
    Schedule.warmupCosine s.Lr (min s.Warmup (s.Steps - 1)) s.Steps s.MinLr

/// <summary>
/// AdamW (β = (0.9, 0.999), ε = 1e-8) with the schedule's learning rate and decoupled weight decay; the step count
/// lives in its state as a tensor, so a compiled step compiles once.
/// </summary>
/// <example><code>(Train.optimizer Train.defaults).Init gpt</code></example>
let optimizer (s: Settings) : Optimizer<Model.Gpt, AdamWState<Model.Gpt>> =
    Optim.adamWWith
        { AdamWOptions.defaults with
            Lr = schedule s
            WeightDecay = s.WeightDecay
        }

/// <summary>
/// One training step as a pure function, compiled: the loss of a batch with dropout from the key, its gradient,
/// clipped to a global norm, and the AdamW step. Parameters, optimiser state, key and batch in; new parameters, new
/// state, the loss and the gradient's norm before clipping out.
/// </summary>
/// <example><code>let p1, s1, loss, norm = (Train.step config settings) (p0, s0, key, x, y)</code></example>
let step (c: Model.Config) (s: Settings) =
    let opt = optimizer s

    compileOf (fun (p: Model.Gpt, state: AdamWState<Model.Gpt>, key: Tensor, x: Tensor, y: Tensor) ->
        let loss, grads = valueAndGradOf (fun p -> Model.loss c p (Some key) x y) p
        let clipped, norm = Optim.clipGradNorm s.Clip grads
        let p, state = opt.Update clipped state p
        p, state, loss, norm)

/// <summary>The mean loss over batches of validation windows drawn with a fixed seed (the same windows at every
/// evaluation), without dropout.</summary>
/// <example><code>Train.validationLoss config settings gpt validationIds // 2.31</code></example>
let validationLoss (c: Model.Config) (s: Settings) (p: Model.Gpt) (ids: int[]) : float =
    let rng = System.Random(s.Seed + 1000)

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
/// otherwise (a pipe, a CI log) one line per evaluation. Dropout draws from key.
/// </summary>
/// <example><code>Train.run config settings (Random.key 2) gpt trainIds validationIds</code></example>
let run (c: Model.Config) (s: Settings) (key: Tensor) (p0: Model.Gpt) (trainIds: int[]) (validationIds: int[]) =
    let rng = System.Random s.Seed
    let interactive = not Console.IsOutputRedirected
    let clock = Stopwatch.StartNew()
    let evaluations = ResizeArray<Evaluation>()
    let lr = schedule s
    let train = step c s
    let mutable parameters = p0
    let mutable state = (optimizer s).Init p0
    let mutable trainSum, trainCount = 0.0, 0
    let mutable last = nan
    let mutable training = TimeSpan.Zero

    let mutable step = 0
    let mutable stop = false

    while not stop do
        step <- step + 1
        let x, y = Data.batch rng s.Batch c.Context trainIds
        let started = clock.Elapsed
        // Each step's dropout masks come from its own key: the run's key with the step folded in.
        let p, st, loss, _ = train (parameters, state, Random.fold key (int64 step), x, y)
        parameters <- p
        state <- st
        last <- Tensor.item loss
        // The first step traces and compiles the program; the steps after it are what a step costs.
        if step > 1 then
            training <- training + (clock.Elapsed - started)

        trainSum <- trainSum + last
        trainCount <- trainCount + 1
        stop <- step = s.Steps || (s.Minutes > 0.0 && clock.Elapsed.TotalMinutes >= s.Minutes)

        if step % s.EvalEvery = 0 || stop then
            let e =
                {
                    Step = step
                    Train = trainSum / float trainCount
                    Validation = validationLoss c s parameters validationIds
                    Seconds = clock.Elapsed.TotalSeconds
                    StepMs = training.TotalMilliseconds / float (max 1 (step - 1))
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

        if interactive && not stop then
            let secs = clock.Elapsed.TotalSeconds
            let eta = secs / float step * float (s.Steps - step)

            printf
                "\r%s %5d/%d  loss %.3f  lr %.1e  %5.1f s (%.0f s left) "
                (bar 30 (float step / float s.Steps))
                step
                s.Steps
                last
                (lr.Value(step - 1))
                secs
                eta

    if interactive then
        printf "\r%s\r" (String(' ', 100))

    parameters, List.ofSeq evaluations
