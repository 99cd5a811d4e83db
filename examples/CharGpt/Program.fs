/// Trains a small character-level GPT on the repository's docs, prints the validation loss beside the unigram
/// baseline, and samples text from it.
module CharGpt.Program

open System
open System.Globalization
open System.IO
open FuncGrad

/// <summary>The command line: the model's sizes, the training settings, the sample and the text's folder.</summary>
/// <example><code>{ Program.defaults with Sample = 0 }</code></example>
type Options =
    {
        Context: int
        Width: int
        Heads: int
        Layers: int
        Dropout: float
        Train: Train.Settings
        /// Characters to sample after training.
        Sample: int
        Temperature: float
        /// The folder of *.md pages to learn; by default the docs copied beside the program.
        Text: string
    }

/// <summary>The README's command: a 4-layer, 128-wide model with a context of 64 characters.</summary>
/// <example><code>Program.defaults.Layers // 4</code></example>
let defaults =
    {
        Context = 64
        Width = 128
        Heads = 4
        Layers = 4
        Dropout = 0.1
        Train = Train.defaults
        Sample = 400
        Temperature = 0.8
        Text = Path.Combine(AppContext.BaseDirectory, "text")
    }

let private usage =
    """usage: dotnet run --project examples/CharGpt -c Release -- [options]
  --steps N        training steps (1000)          --batch N        windows per step (16)
  --context N      characters per window (64)     --width N        model width (128)
  --heads N        attention heads (4)            --layers N       blocks (4)
  --lr X           peak learning rate (3e-3)      --min-lr X       final learning rate (3e-4)
  --warmup N       warm-up steps (50)             --weight-decay X AdamW's λ (0.1)
  --clip X         gradient norm clip (1.0)       --dropout P      dropout probability (0.1)
  --eval-every N   steps between evaluations      --seed N         seed of everything (1)
  --minutes M      stop after M minutes, evaluating there (no limit)
  --sample N       characters to sample (400)     --temperature T  sampling temperature (0.8)
  --text DIR       folder of *.md pages to learn (the repository's docs)"""

/// <summary>Parses the command line into options; an unknown option or a bad value raises with the usage.</summary>
/// <example><code>Program.parse [ "--steps"; "10" ] // { defaults with Train.Steps = 10 }</code></example>
let parse (args: string list) : Options =
    let fail why =
        raise (ArgumentException $"{why}\n{usage}")

    let int (name: string) (v: string) =
        match Int32.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture) with
        | true, n when n > 0 -> n
        | _ -> fail $"{name} needs a positive integer, got \"{v}\""

    let count (name: string) (v: string) =
        match Int32.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture) with
        | true, n when n >= 0 -> n
        | _ -> fail $"{name} needs a whole number, got \"{v}\""

    let number (name: string) (v: string) =
        match Double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture) with
        | true, x when x >= 0.0 && Double.IsFinite x -> x
        | _ -> fail $"{name} needs a non-negative number, got \"{v}\""

    let rec go (o: Options) args =
        let t = o.Train

        match args with
        | [] -> o
        | [ "--help" ]
        | [ "-h" ] -> fail "CharGpt"
        | name :: v :: rest ->
            let o =
                match name with
                | "--steps" ->
                    { o with
                        Train = { t with Steps = int name v }
                    }
                | "--batch" ->
                    { o with
                        Train = { t with Batch = int name v }
                    }
                | "--lr" ->
                    { o with
                        Train = { t with Lr = number name v }
                    }
                | "--min-lr" ->
                    { o with
                        Train = { t with MinLr = number name v }
                    }
                | "--warmup" ->
                    { o with
                        Train = { t with Warmup = int name v }
                    }
                | "--weight-decay" ->
                    { o with
                        Train = { t with WeightDecay = number name v }
                    }
                | "--clip" ->
                    { o with
                        Train = { t with Clip = number name v }
                    }
                | "--eval-every" ->
                    { o with
                        Train = { t with EvalEvery = int name v }
                    }
                | "--seed" ->
                    { o with
                        Train = { t with Seed = int name v }
                    }
                | "--minutes" ->
                    { o with
                        Train = { t with Minutes = number name v }
                    }
                | "--context" -> { o with Context = int name v }
                | "--width" -> { o with Width = int name v }
                | "--heads" -> { o with Heads = int name v }
                | "--layers" -> { o with Layers = int name v }
                | "--dropout" ->
                    match number name v with
                    | p when p < 1.0 -> { o with Dropout = p }
                    | _ -> fail $"--dropout needs a probability below 1, got {v}"
                | "--sample" -> { o with Sample = count name v }
                | "--temperature" -> { o with Temperature = number name v }
                | "--text" -> { o with Text = v }
                | _ -> fail $"unknown option {name}"

            go o rest
        | [ name ] -> fail $"{name} needs a value"

    go defaults args

/// <summary>Loads the text, trains, reports the losses beside the unigram baseline and prints a sample.</summary>
/// <example><code>Program.run Program.defaults</code></example>
let run (o: Options) =
    let corpus = Data.readPages o.Text |> Data.ofText
    let trainIds, validationIds = Data.split 0.9 corpus.Ids
    let vocabulary = corpus.Vocabulary.Length
    let unigram = Data.unigramEntropy vocabulary trainIds

    let config: Model.Config =
        {
            Vocabulary = vocabulary
            Context = o.Context
            Width = o.Width
            Heads = o.Heads
            Layers = o.Layers
            Dropout = o.Dropout
        }

    // One key for the run; the initial weights, the dropout masks and the sample each get a key folded from it.
    let root = Random.key o.Train.Seed
    let p0 = Model.init config (Random.fold root 1L)

    printfn
        "text: %d characters (%d distinct), %d for training, %d for validation"
        corpus.Ids.Length
        vocabulary
        trainIds.Length
        validationIds.Length

    printfn
        "model: %d layers, width %d, %d heads, context %d: %d parameters"
        o.Layers
        o.Width
        o.Heads
        o.Context
        (Model.parameterCount p0)

    printfn "unigram baseline (entropy of the training characters): %.3f nats" unigram

    let trained, evaluations =
        Train.run config o.Train (Random.fold root 2L) p0 trainIds validationIds

    let final = List.last evaluations

    printfn
        "validation loss %.3f nats after %d steps in %.0f s (%.0f ms per step): %.3f %s the unigram baseline %.3f"
        final.Validation
        final.Step
        final.Seconds
        final.StepMs
        (abs (unigram - final.Validation))
        (if final.Validation < unigram then "below" else "above")
        unigram

    if o.Sample > 0 then
        let newline = Array.IndexOf(corpus.Vocabulary, '\n')
        let prompt = if newline >= 0 then [| newline |] else [| 0 |]

        let ids =
            Sample.generate config trained (Random.fold root 3L) o.Temperature o.Sample prompt

        printfn "sample (temperature %g):\n%s" o.Temperature (Data.decode corpus.Vocabulary ids)

[<EntryPoint>]
let main argv =
    CultureInfo.CurrentCulture <- CultureInfo.InvariantCulture

    match
        (try
            Ok(parse (List.ofArray argv))
         with :? ArgumentException as e ->
             Error e.Message)
    with
    | Error message ->
        eprintfn "%s" message
        2
    | Ok o ->
        run o
        0
