/// Command-line options: parsed into a record, with messages that say what was wrong.
module Digits.Options

open System
open System.Globalization

/// <summary>The update rule, each a pure optimizer from <c>FuncGrad.Optim</c>.</summary>
/// <example><code>Optimizer.Sgd</code></example>
type Optimizer =
    | Sgd
    | Momentum
    | Adam

/// <summary>The network to train: the lecture's perceptron or a LeNet-style convolutional network.</summary>
/// <example><code>Architecture.Cnn</code></example>
type Architecture =
    | Mlp
    | Cnn

/// <summary>Everything the run can be told; None takes the model's own default (see <c>resolve</c>).</summary>
/// <example><code>{ Options.defaults with Epochs = Some 5 }</code></example>
type Options =
    {
        Model: Architecture
        Epochs: int option
        Hidden: int
        Lr: float option
        /// Decoupled weight decay λ: every parameter is multiplied by 1 − η·λ after each step.
        WeightDecay: float option
        Seed: int
        Out: string
        Batch: int
        Optimizer: Optimizer option
        /// Where the tensors live (docs/devices.md): managed, torch:cpu or torch:cuda.
        Device: FuncGrad.Device
    }

/// <summary>The optimizer each model uses unless <c>--optimizer</c> says otherwise.</summary>
/// <example><code>Options.defaultOptimizer Cnn // Momentum</code></example>
let defaultOptimizer =
    function
    | Mlp -> Sgd
    | Cnn -> Momentum

/// <summary>The learning rate of each model and optimizer unless <c>--lr</c> says otherwise.</summary>
/// <example><code>Options.defaultLr Mlp Sgd // 0.1</code></example>
let defaultLr (model: Architecture) (optimizer: Optimizer) =
    match model, optimizer with
    | Mlp, Sgd -> 0.1
    | Mlp, Momentum -> 0.05
    | Mlp, Adam -> 0.003
    | Cnn, Sgd -> 0.2
    | Cnn, Momentum -> 0.02
    | Cnn, Adam -> 0.002

/// <summary>The passes over the training set each model takes unless <c>--epochs</c> says otherwise.</summary>
/// <example><code>Options.defaultEpochs Mlp // 40</code></example>
let defaultEpochs =
    function
    | Mlp -> 40
    | Cnn -> 90

/// <summary>The weight decay each model uses unless <c>--weight-decay</c> says otherwise.</summary>
/// <example><code>Options.defaultWeightDecay Cnn // 0.005</code></example>
let defaultWeightDecay =
    function
    | Mlp -> 0.0
    | Cnn -> 0.005

/// <summary>The settings of the default run.</summary>
/// <example><code>Options.defaults.Model // Mlp</code></example>
let defaults =
    {
        Model = Mlp
        Epochs = None
        Hidden = 128
        Lr = None
        WeightDecay = None
        Seed = 42
        Out = "out"
        Batch = 32
        Optimizer = None
        Device = FuncGrad.Device.Managed
    }

/// <summary>The settings a run uses: what was given, and the model's defaults for the rest.</summary>
/// <example><code>Options.resolve { defaults with Model = Cnn } // momentum, η 0.02, 90 epochs</code></example>
type Resolved =
    {
        Optimizer: Optimizer
        Lr: float
        Epochs: int
        WeightDecay: float
    }

/// <summary>Fills what the command line left open with the defaults of its model (and optimizer).</summary>
/// <example><code>(Options.resolve Options.defaults).Epochs // 40</code></example>
let resolve (o: Options) : Resolved =
    let optimizer = defaultArg o.Optimizer (defaultOptimizer o.Model)

    {
        Optimizer = optimizer
        Lr = defaultArg o.Lr (defaultLr o.Model optimizer)
        Epochs = defaultArg o.Epochs (defaultEpochs o.Model)
        WeightDecay = defaultArg o.WeightDecay (defaultWeightDecay o.Model)
    }

let private lrDefaults (model: Architecture) =
    $"{defaultLr model Sgd} for sgd, {defaultLr model Momentum} for momentum, {defaultLr model Adam} for adam"

/// <summary>The text of <c>--help</c>.</summary>
/// <example><code>printfn "%s" Options.usage</code></example>
let usage =
    $"""Trains the lecture's MLP (64 → hidden → 10, tanh, softmax cross-entropy) or a LeNet-style CNN on the UCI
digits.

usage: dotnet run --project examples/Digits -c Release -- [options]

options:
  --model NAME         mlp (the lecture's perceptron) or cnn (3×3 convolutions to 16 and 32 channels, each with relu
                       and 2×2 max-pooling, then 128 → 64 → 10; trained on images shifted by up to a pixel, with
                       the learning rate decayed along a half cosine; docs/cnn.md) (default mlp)
  --epochs N           passes over the training set (default {defaultEpochs Mlp} for mlp, {defaultEpochs Cnn} for cnn)
  --hidden N           hidden units of the MLP (default {defaults.Hidden})
  --optimizer NAME     sgd (the lecture's W ← W − η ∂ℓ/∂W), momentum (μ = 0.9) or adam (default sgd for mlp,
                       momentum for cnn)
  --lr X               learning rate η (default for mlp: {lrDefaults Mlp};
                       for cnn: {lrDefaults Cnn})
  --weight-decay X     multiply every parameter by 1 − η·X after each step (default {defaultWeightDecay Mlp} for mlp,
                       {defaultWeightDecay Cnn} for cnn)
  --batch N            examples per gradient step (default {defaults.Batch})
  --seed N             seed of the train/test split, the initial weights and the batch order (default {defaults.Seed})
  --out DIR            where to write curves.png and curves.svg (default ./{defaults.Out})
  --device NAME        managed, torch:cpu or torch:cuda (LibTorch, docs/devices.md; default managed)
  -h, --help           show this text"""

/// <summary>What the command line asked for.</summary>
/// <example><code>match Options.parse argv with Run o -> ... | Help -> ... | Invalid why -> ...</code></example>
type Parsed =
    | Run of Options
    | Help
    | Invalid of string

let private positiveInt (name: string) (text: string) =
    match Int32.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture) with
    | true, v when v > 0 -> Ok v
    | true, v -> Error $"{name} must be a positive whole number, got {v}"
    | _ -> Error $"{name} must be a positive whole number, got \"{text}\""

/// <summary>
/// Parses <c>--name value</c> and <c>--name=value</c> forms. Unknown options, missing or malformed values
/// are reported, never thrown.
/// </summary>
/// <example><code>Options.parse [| "--epochs"; "5" |] // Run { defaults with Epochs = 5 }</code></example>
let parse (argv: string[]) : Parsed =
    let rec go (o: Options) (args: string list) =
        match args with
        | [] -> Run o
        | ("-h" | "--help") :: _ -> Help
        | arg :: rest when arg.StartsWith "--" && arg.Contains "=" ->
            let i = arg.IndexOf '='
            go o (arg[.. i - 1] :: arg[i + 1 ..] :: rest)
        | name :: rest ->
            let known =
                [
                    "--model"
                    "--epochs"
                    "--hidden"
                    "--lr"
                    "--weight-decay"
                    "--optimizer"
                    "--batch"
                    "--seed"
                    "--out"
                    "--device"
                ]

            if not (List.contains name known) then
                let all = String.Join(", ", known)

                Invalid(
                    if name.StartsWith "-" then
                        $"unknown option {name}; the options are {all} and --help"
                    else
                        $"unexpected argument \"{name}\"; options start with -- (see --help)"
                )
            else
                match rest with
                | [] -> Invalid $"{name} needs a value (see --help)"
                | value :: rest ->
                    let next =
                        match name with
                        | "--epochs" -> positiveInt name value |> Result.map (fun v -> { o with Epochs = Some v })
                        | "--model" ->
                            match value.ToLowerInvariant() with
                            | "mlp" -> Ok { o with Model = Mlp }
                            | "cnn" -> Ok { o with Model = Cnn }
                            | _ -> Error $"--model must be mlp or cnn, got \"{value}\""
                        | "--hidden" -> positiveInt name value |> Result.map (fun v -> { o with Hidden = v })
                        | "--batch" -> positiveInt name value |> Result.map (fun v -> { o with Batch = v })
                        | "--seed" ->
                            match Int32.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture) with
                            | true, v -> Ok { o with Seed = v }
                            | _ -> Error $"--seed must be a whole number, got \"{value}\""
                        | "--lr" ->
                            match Double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture) with
                            | true, v when v > 0.0 && Double.IsFinite v -> Ok { o with Lr = Some v }
                            | _ -> Error $"--lr must be a positive number such as 0.1, got \"{value}\""
                        | "--weight-decay" ->
                            match Double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture) with
                            | true, v when v >= 0.0 && Double.IsFinite v -> Ok { o with WeightDecay = Some v }
                            | _ -> Error $"--weight-decay must be a number ≥ 0 such as 0.005, got \"{value}\""
                        | "--optimizer" ->
                            match value.ToLowerInvariant() with
                            | "sgd" -> Ok { o with Optimizer = Some Sgd }
                            | "momentum" -> Ok { o with Optimizer = Some Momentum }
                            | "adam" -> Ok { o with Optimizer = Some Adam }
                            | _ -> Error $"--optimizer must be sgd, momentum or adam, got \"{value}\""
                        | "--device" ->
                            try
                                Ok
                                    { o with
                                        Device = FuncGrad.Device.Parse value
                                    }
                            with :? FormatException as e ->
                                Error e.Message
                        | _ ->
                            if String.IsNullOrWhiteSpace value then
                                Error "--out needs a directory name"
                            else
                                Ok { o with Out = value }

                    match next with
                    | Ok o -> go o rest
                    | Error why -> Invalid why

    go defaults (List.ofArray argv)
