/// Trains the lecture's MLP, or a LeNet-style CNN, on the UCI handwritten digits with FuncGrad, showing progress per
/// epoch.
module Digits.Program

open System
open System.Diagnostics
open System.IO
open Spectre.Console
open FuncGrad
open Digits.Options

/// <summary>A network to train: its initial parameters, its logits, and its loss with the logits beside it.</summary>
/// <example><code>
/// { Init = Cnn.init 42; Logits = Cnn.logits; LossAndLogits = Cnn.lossAndLogits; Shift = true; Cosine = true }
/// </code></example>
type Network<'P> =
    {
        Init: 'P
        Logits: 'P -> Tensor -> Tensor
        LossAndLogits: 'P -> Tensor -> int[] -> Tensor * Tensor
        /// Train on copies of the images shifted by up to a pixel, drawn afresh every epoch (Data.shifted).
        Shift: bool
        /// Lower the learning rate along a half cosine, epoch by epoch, instead of keeping it constant.
        Cosine: bool
    }

/// <summary>
/// The training loop for any network and pure optimizer: per epoch, shuffle, then for each mini-batch take the
/// loss, the logits and the gradients in one forward and one backward pass (<c>valueAndGradWithAux</c>) and let
/// the optimizer map (gradients, state, parameters) to new parameters and state.
/// </summary>
/// <example><code>train network Optim.sgd options (Options.resolve options) trainSet testSet</code></example>
let train
    (net: Network<'P>)
    (optimizer: float -> Optimizer<'P, 'S>)
    (o: Options)
    (r: Resolved)
    (trainSet: Data.Dataset)
    (testSet: Data.Dataset)
    =
    let rng = Random o.Seed
    let order = Array.init trainSet.Count id
    let batches = (trainSet.Count + o.Batch - 1) / o.Batch
    let epochs, lr = r.Epochs, r.Lr
    let xTest, yTest = Data.batch testSet (Array.init testSet.Count id)
    let mutable parameters = net.Init
    let mutable state = (optimizer lr).Init parameters
    let results = ResizeArray<Plot.EpochResult>()

    /// One epoch: shuffle, one optimizer step per mini-batch, then measure on the test set.
    let epoch (number: int) (batchDone: unit -> unit) =
        rng.Shuffle order

        let epochSet =
            if net.Shift then
                Data.shifted rng 0.0 trainSet
            else
                trainSet
        // Cosine decay: η·(1 + cos(π·(epoch − 1)/epochs))/2, from η down to nearly 0 in the last epoch.
        let rate =
            if net.Cosine then
                lr * 0.5 * (1.0 + cos (Math.PI * float (number - 1) / float epochs))
            else
                lr

        let opt = optimizer rate
        let mutable lossSum = 0.0
        let mutable correct = 0

        for b in 0 .. batches - 1 do
            let rows = order[b * o.Batch .. min trainSet.Count ((b + 1) * o.Batch) - 1]
            let x, y = Data.batch epochSet rows

            let (loss, logits), grads =
                valueAndGradWithAux (fun p -> net.LossAndLogits p x y) parameters

            let p, s = opt.Update grads state parameters
            // Decoupled weight decay: shrink after the step, whatever the optimizer did with the gradient.
            parameters <-
                if r.WeightDecay > 0.0 then
                    let keep = 1.0 - rate * r.WeightDecay
                    Tree.map (fun t -> t * keep) p
                else
                    p

            state <- s
            lossSum <- lossSum + Tensor.item loss * float rows.Length

            correct <- correct + Model.correct logits y

            batchDone ()

        let testLogits = net.Logits parameters xTest

        let r: Plot.EpochResult =
            {
                Epoch = number
                TrainLoss = lossSum / float trainSet.Count
                TestLoss = Tensor.item (Tensor.crossEntropy yTest testLogits)
                TrainAccuracy = float correct / float trainSet.Count
                TestAccuracy = Model.accuracy testLogits yTest
            }

        results.Add r

        $"epoch {number, 3}/{epochs}  loss {r.TrainLoss:F4}  "
        + $"train {100.0 * r.TrainAccuracy, 5:F1}%%  test {100.0 * r.TestAccuracy, 5:F1}%%"

    if AnsiConsole.Profile.Capabilities.Interactive then
        AnsiConsole
            .Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(
                TaskDescriptionColumn(Alignment = Justify.Left),
                ProgressBarColumn(),
                PercentageColumn(),
                ElapsedTimeColumn()
            )
            .Start(fun ctx ->
                for number in 1..epochs do
                    let task = ctx.AddTask($"epoch {number, 3}/{epochs}", true, float batches)
                    task.Description <- epoch number (fun () -> task.Increment 1.0)
                    ctx.Refresh())
    else
        // Not a terminal (a pipe, a CI log): one plain line per epoch instead of redrawn bars.
        for number in 1..epochs do
            printfn "%s" (epoch number ignore)

    List.ofSeq results

/// <summary>Loads the data, trains, writes the curves and prints the test accuracy last, on a line of its
/// own.</summary>
/// <example><code>run Options.defaults // 0</code></example>
let run (o: Options) =
    let clock = Stopwatch.StartNew()

    let data =
        Data.load (Path.Combine(AppContext.BaseDirectory, "data", "digits.csv.gz"))

    let trainSet, testSet =
        match o.Model with
        | Mlp -> Data.split 0.2 o.Seed data ||> Data.standardize
        | Cnn -> Data.split 0.2 o.Seed data

    let r = resolve o

    let name =
        match r.Optimizer with
        | Sgd -> "sgd"
        | Momentum -> "momentum"
        | Adam -> "adam"

    printfn
        "UCI digits: %d images, %d to train, %d to test (split seed %d)"
        data.Count
        trainSet.Count
        testSet.Count
        o.Seed

    let network =
        match o.Model with
        | Mlp -> $"MLP 64 → {o.Hidden} (tanh) → 10"
        | Cnn -> "CNN 1×8×8 → conv 3×3 → 16, relu, max-pool 2 → conv 3×3 → 32, relu, max-pool 2 → 128 → 64 (relu) → 10"

    printfn
        "%s, softmax cross-entropy; %s, η = %g%s, weight decay %g, batches of %d, %d epochs, on %O"
        network
        name
        r.Lr
        (if o.Model = Cnn then " (cosine schedule)" else "")
        r.WeightDecay
        o.Batch
        r.Epochs
        o.Device

    let withOptimizer (net: Network<'P>) =
        match r.Optimizer with
        | Sgd -> train net Optim.sgd o r trainSet testSet
        | Momentum -> train net (fun lr -> Optim.momentum lr 0.9) o r trainSet testSet
        | Adam -> train net Optim.adam o r trainSet testSet

    let results =
        match o.Model with
        | Mlp ->
            withOptimizer
                {
                    Init = Model.init o.Hidden o.Seed
                    Logits = Model.logits
                    LossAndLogits = Model.lossAndLogits
                    Shift = false
                    Cosine = false
                }
        | Cnn ->
            withOptimizer
                {
                    Init = Cnn.init o.Seed
                    Logits = Cnn.logits
                    LossAndLogits = Cnn.lossAndLogits
                    Shift = true
                    Cosine = true
                }

    let title =
        match o.Model with
        | Mlp -> "An MLP learns the UCI digits with FuncGrad"
        | Cnn -> "A CNN learns the UCI digits with FuncGrad"

    let png, svg =
        try
            Plot.save o.Out title results
        with
        | :? IOException
        | :? UnauthorizedAccessException as e ->
            raise (IOException($"cannot write the plots to {o.Out}: {e.Message}", e))

    let final = List.last results
    printfn "trained in %.1f s" clock.Elapsed.TotalSeconds
    printfn "loss and accuracy curves: %s" png
    printfn "                          %s" svg
    printfn "test accuracy: %.1f%%" (100.0 * final.TestAccuracy)
    0

[<EntryPoint>]
let main argv =
    match parse argv with
    | Help ->
        printfn "%s" usage
        0
    | Invalid why ->
        eprintfn "digits: %s" why
        2
    | Run o ->
        try
            FuncGrad.Device.using o.Device (fun () -> run o)
        with
        | Digits.Data.DataException why ->
            eprintfn "digits: cannot read the data: %s" why
            1
        | :? IOException
        | :? UnauthorizedAccessException as e ->
            eprintfn "digits: %s" e.Message
            1
