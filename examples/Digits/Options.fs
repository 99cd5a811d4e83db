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

/// <summary>Everything the run can be told.</summary>
/// <example><code>{ Options.defaults with Epochs = 5 }</code></example>
type Options =
    {
        Epochs: int
        Hidden: int
        Lr: float option
        Seed: int
        Out: string
        Batch: int
        Optimizer: Optimizer
        /// Where the tensors live (docs/devices.md): managed, torch:cpu or torch:cuda.
        Device: FuncGrad.Device
    }

/// <summary>The learning rate each optimizer uses unless <c>--lr</c> says otherwise.</summary>
/// <example><code>Options.defaultLr Sgd // 0.1</code></example>
let defaultLr =
    function
    | Sgd -> 0.1
    | Momentum -> 0.05
    | Adam -> 0.003

/// <summary>The settings of the default run.</summary>
/// <example><code>Options.defaults.Epochs // 40</code></example>
let defaults =
    {
        Epochs = 40
        Hidden = 128
        Lr = None
        Seed = 42
        Out = "out"
        Batch = 32
        Optimizer = Sgd
        Device = FuncGrad.Device.Managed
    }

let private lrDefaults =
    $"{defaultLr Sgd} for sgd, {defaultLr Momentum} for momentum, {defaultLr Adam} for adam"

/// <summary>The text of <c>--help</c>.</summary>
/// <example><code>printfn "%s" Options.usage</code></example>
let usage =
    $"""Trains the lecture's MLP (64 → hidden → 10, tanh, softmax cross-entropy) on the UCI digits.

usage: dotnet run --project examples/Digits -c Release -- [options]

options:
  --epochs N         passes over the training set (default {defaults.Epochs})
  --hidden N         hidden units (default {defaults.Hidden})
  --lr X             learning rate η (default: {lrDefaults})
  --optimizer NAME   sgd (the lecture's W ← W − η ∂ℓ/∂W), momentum or adam (default sgd)
  --batch N          examples per gradient step (default {defaults.Batch})
  --seed N           seed of the train/test split, the initial weights and the batch order (default {defaults.Seed})
  --out DIR          where to write curves.png and curves.svg (default ./{defaults.Out})
  --device NAME      managed, torch:cpu or torch:cuda (LibTorch, docs/devices.md; default managed)
  -h, --help         show this text"""

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
                    "--epochs"
                    "--hidden"
                    "--lr"
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
                        | "--epochs" -> positiveInt name value |> Result.map (fun v -> { o with Epochs = v })
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
                        | "--optimizer" ->
                            match value.ToLowerInvariant() with
                            | "sgd" -> Ok { o with Optimizer = Sgd }
                            | "momentum" -> Ok { o with Optimizer = Momentum }
                            | "adam" -> Ok { o with Optimizer = Adam }
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
