// A small GPT with FuncGrad (see transformer.md): the model of examples/CharGpt at a tiny size, checked to be causal,
// trained for a few steps on the repository's docs, and its per-sequence gradients taken with vmap over integer
// token ids and checked against a loop. CI runs it with `dotnet fsi docs/transformer.fsx` after building; every
// check fails the script if a result is not what the comment says.
#load "Checks.fsx"
#load "../examples/CharGpt/Data.fs"
#load "../examples/CharGpt/Model.fs"
#load "../examples/CharGpt/Train.fs"

open System
open FuncGrad
open Checks
open CharGpt

// ---- 1. The text, as character ids, and the unigram baseline ----
let corpus = Data.readPages __SOURCE_DIRECTORY__ |> Data.ofText
let trainIds, validationIds = Data.split 0.9 corpus.Ids
let unigram = Data.unigramEntropy corpus.Vocabulary.Length trainIds
printfn "%d characters, %d distinct; unigram baseline %.3f nats" corpus.Ids.Length corpus.Vocabulary.Length unigram
// The entropy of V frequencies lies between 0 and ln V (all characters equally frequent).
checkThat "0 < unigram baseline < ln(vocabulary)" (unigram > 0.0 && unigram < log (float corpus.Vocabulary.Length))

// ---- 2. A tiny model: one block, width 32, two heads, sixteen characters of context ----
let config: Model.Config =
    {
        Vocabulary = corpus.Vocabulary.Length
        Context = 16
        Width = 32
        Heads = 2
        Layers = 1
        Dropout = 0.0
    }

let p0 = Model.init config (Random.key 1)
printfn "parameters: %d" (Model.parameterCount p0)

// Causal: the logits at position i depend on ids 0..i only. Change the last id; the other positions keep their logits.
let ids =
    Tensor.ofShapeInt64 [| 1; 16 |] (Array.init 16 (fun i -> int64 corpus.Ids[i]))

let changed =
    Tensor.ofShapeInt64 [| 1; 16 |] (Array.init 16 (fun i -> if i = 15 then 0L else int64 corpus.Ids[i]))

let before = Model.logits config p0 None ids
let after = Model.logits config p0 None changed

checkThat
    "positions 0..14 do not see position 15"
    ((Tensor.sliceAxis 1 0 15 before).AllClose(Tensor.sliceAxis 1 0 15 after, 0.0, 0.0))

checkThat
    "position 15 does"
    (not ((Tensor.sliceAxis 1 15 16 before).AllClose(Tensor.sliceAxis 1 15 16 after, 1e-6, 1e-6)))

// ---- 3. A few steps of training ----
let settings =
    { Train.defaults with
        Steps = 120
        Batch = 16
        Lr = 1e-2
        MinLr = 1e-3
        Warmup = 10
        EvalEvery = 60
        EvalBatches = 4
    }

let initial = Train.validationLoss config settings p0 validationIds

let trained, evaluations =
    Train.run config settings (Random.key 2) p0 trainIds validationIds

let final = (List.last evaluations).Validation
printfn "validation loss: %.3f at the start, %.3f after %d steps" initial final settings.Steps
checkThat "the validation loss went down" (final < initial)

// ---- 4. Per-sequence gradients: vmap over the token ids ----
// Eight windows of the validation text, and their next characters: int64 [8; 16] each.
let inputs, targets =
    Data.windows 16 validationIds (Array.init 8 (fun i -> 100 * i))

let lossOf (p: Model.Gpt) (x: Tensor) (y: Tensor) = Model.loss config p None x y

// One gradient per sequence, in one batched pass: every leaf of the tree gets a leading axis of 8.
let perSequence =
    vmapOf (fun (x, y) -> gradOf (fun p -> lossOf p x y) trained) (inputs, targets)

checkThat "Tokens' gradients are [8; vocabulary; 32]" (Tensor.shape perSequence.Tokens = [| 8; config.Vocabulary; 32 |])

// The same, one sequence at a time.
let looped =
    List.init 8 (fun i ->
        let x = Tensor.sliceAxis 0 i (i + 1) inputs
        let y = Tensor.sliceAxis 0 i (i + 1) targets
        gradOf (fun p -> lossOf p x y) trained)

let agree =
    List.forall2
        (fun (batched: Tensor) (single: Tensor list) -> batched.AllClose(Tensor.stack single, 1e-4, 1e-6))
        (Tree.leaves perSequence)
        (looped |> List.map Tree.leaves |> List.transpose)

checkThat "vmap's gradients = a loop of gradOf, leaf by leaf" agree

// Their mean is the gradient of the batch's mean loss (every sequence has the same number of tokens).
let whole = gradOf (fun p -> lossOf p inputs targets) trained

checkThat
    "mean of the per-sequence gradients = the batch gradient"
    (List.forall2
        (fun (b: Tensor) (w: Tensor) -> (Tensor.meanAxis 0 b).AllClose(w, 1e-4, 1e-6))
        (Tree.leaves perSequence)
        (Tree.leaves whole))

// Each sequence's gradient norm over all the parameters: how much each one pulls.
let norms =
    Tree.leaves perSequence
    |> List.map (fun g -> g.Reshape([| 8; -1 |]).Square().Sum([| 1 |]))
    |> List.reduce (+)
    |> sqrt

printfn "per-sequence gradient norms: %s" (norms |> Tensor.toArray32 |> Array.map (sprintf "%.3f") |> String.concat " ")

checkThat
    "every norm is positive and finite"
    (norms |> Tensor.toArray32 |> Array.forall (fun n -> n > 0f && Single.IsFinite n))
