// vmap in practice (see vmap.md): per-example gradients of the digits MLP with DP-SGD's per-example clipping,
// a batched Jacobian, an ensemble trained at once, and the rules for what is mapped and what is captured.
// CI runs it after building; every check compares vmap's answer with a loop over the examples.
#load "Checks.fsx"
#load "../examples/Digits/Data.fs"
#load "../examples/Digits/Model.fs"

open System
open System.IO
open FuncGrad
open Checks
open Digits

/// Example i of a batch (axis 0), and a list of tensors stacked on axis 0.
let example (i: int) (t: Tensor) =
    t.Slice(0, i, i + 1).Squeeze(Nullable 0)

let stack (ts: Tensor list) = Tensor.Stack(Array.ofList ts)

/// Prints the value and fails unless it is within rtol of the loop's answer.
let agrees (what: string) (rtol: float) (actual: Tensor) (expected: Tensor) =
    if not (actual.AllClose(expected, rtol, rtol)) then
        failwithf "%s: vmap gave %O, the loop %O" what actual expected

    printfn "%-56s agrees with the loop (shape %A)" what (Seq.toList actual.Shape)

// ---- 1. The idea: write f for one example, run it on a batch ----
let rows = Tensor.ofArray2D (array2D [ [ 1.0; 2.0 ]; [ 3.0; 4.0 ]; [ 5.0; 6.0 ] ])
check "vmap (fun v -> sum (v * v)) rows" (vmap (fun v -> Tensor.sum (v * v)) rows) (Tensor.ofList [ 5.0; 25.0; 61.0 ])
// other axes: map over columns, stack the results last
check "vmapAxes 1 -1 (fun c -> c * 2.0) rows" (vmapAxes 1 -1 (fun c -> c * 2.0) rows) (rows * 2.0)
// inside f, Shape is one example's
vmap
    (fun v ->
        checkThat "inside f, the shape is one example's: [2]" (Seq.toList v.Shape = [ 2 ])
        v)
    rows
|> ignore

// ---- 2. Per-example gradients of the digits MLP ----
let data =
    Data.load (Path.Combine(__SOURCE_DIRECTORY__, "../examples/Digits/data/digits.csv.gz"))

let n = 64
let xs, labels = Data.batch data [| 0 .. n - 1 |]
let ys = Tensor.ofArray (Array.map float labels)
let p0 = Model.init 32 42

/// The loss of ONE example: pixels x [64] and its label y (a one-element tensor), through the lecture's model.
let loss (p: Model.Parameters) (x: Tensor) (y: Tensor) =
    (Model.logits p x).Reshape([| 1; 10 |])
    |> Tensor.crossEntropyOf (y.Reshape [| 1 |])

// One batched pass gives every example's gradient, in the parameters' structure, with a batch axis first.
let perExample = vmapOf (fun (x, y) -> gradOf (fun p -> loss p x y) p0) (xs, ys)
checkThat "per-example W1 gradients are [64; 32; 64]" (Seq.toList perExample.W1.Shape = [ n; 32; 64 ])

for i in [ 0; 17; 63 ] do
    let g = gradOf (fun p -> loss p (example i xs) (example i ys)) p0
    agrees $"example {i}: dW1 from vmap vs its own gradOf" 1e-12 (example i perExample.W1) g.W1
    agrees $"example {i}: db2 from vmap vs its own gradOf" 1e-12 (example i perExample.B2) g.B2
// Their mean is the gradient of the mean loss.
let meanLoss (p: Model.Parameters) =
    Tensor.crossEntropy labels (Model.logits p xs)

agrees "mean of per-example dW1 vs gradOf of the mean loss" 1e-12 (perExample.W1.Mean([| 0 |])) (gradOf meanLoss p0).W1

// Per-example gradient norms over all parameters, and DP-SGD's clipping: each example's gradient is scaled to
// norm at most C before they are averaged (and noise is added), so no single example can move the model much.
let normsOf (g: Model.Parameters) =
    Tree.leaves g
    |> List.map (fun t -> t.Reshape([| n; -1 |]).Square().Sum([| 1 |]))
    |> List.reduce (+)
    |> sqrt

let norms = normsOf perExample
let C = 0.5 * (Tensor.toArray norms |> Array.average)
let factor = (C / norms).Minimum(scalar 1.0) // [n]: 1 for small gradients, C/‖g‖ for large

let clipped =
    perExample
    |> Tree.map (fun g -> g * factor.Reshape(Array.append [| n |] (Array.create (g.Rank - 1) 1)))

checkThat
    $"every clipped norm is at most C = {C:F4}"
    (Tensor.toArray (normsOf clipped)
     |> Array.forall (fun v -> v <= C * (1.0 + 1e-12)))

let g5 = gradOf (fun p -> loss p (example 5 xs) (example 5 ys)) p0
let n5 = Tree.leaves g5 |> List.sumBy (fun t -> (Tensor.sum (t * t)).Item()) |> sqrt
let expectedW1 = g5.W1 * min 1.0 (C / n5)
agrees "example 5: clipped dW1 = its gradient * min(1, C/‖g‖)" 1e-12 (example 5 clipped.W1) expectedW1
let sigma, lr = 1.0, 0.1

let noisy =
    Tree.leaves clipped
    |> List.mapi (fun i g ->
        g.Mean([| 0 |])
        + Tensor.randn (100 + i) (Array.tail (Seq.toArray g.Shape))
          * (sigma * C / float n))
    |> Tree.rebuild p0

let pPrivate = Tree.map2 (fun w g -> w - lr * g) p0 noisy
checkThat "one DP-SGD step lowers the batch loss" ((meanLoss pPrivate).Item() < (meanLoss p0).Item())

// ---- 3. A batched Jacobian: d logits / d pixels for every example at once ----
let jacobians = vmap (jacrev (Model.logits p0)) xs // [n; 10; 64]
checkThat "per-example Jacobians are [64; 10; 64]" (Seq.toList jacobians.Shape = [ n; 10; 64 ])

for i in [ 0; 31 ] do
    agrees
        $"example {i}: Jacobian vs jacfwd alone"
        1e-12
        (example i jacobians)
        (jacfwd (Model.logits p0) (example i xs))

// ---- 4. An ensemble of four models trained at once, by mapping over their parameters ----
let k = 4

let ensemble =
    Tree.rebuild
        p0
        [
            for leaves in List.transpose [ for s in 1..k -> Tree.leaves (Model.init 32 (100 * s)) ] -> stack leaves
        ]

let step (p: Model.Parameters) =
    Tree.map2 (fun w g -> w - 0.5 * g) p (gradOf meanLoss p)

let lossesOf (ps: Model.Parameters) = vmapOf meanLoss ps // the data is captured: the same for every model
let before = lossesOf ensemble
let mutable trained = ensemble

for _ in 1..20 do
    trained <- vmapOf step trained

let after = lossesOf trained
printfn "ensemble losses before %O\n               after  %O" before after

checkThat
    "every model of the ensemble learned"
    (Array.forall2 (fun a b -> a < b) (Tensor.toArray after) (Tensor.toArray before))

let mutable alone = Tree.map (example 2) ensemble

for _ in 1..20 do
    alone <- step alone

agrees "model 2 trained alone vs in the ensemble" 1e-10 (Tree.map (example 2) trained).W2 alone.W2

// ---- 5. Mapped or captured ----
// Mapped: the tensors vmap is given, along their axis. Captured: everything else f uses (p0 above, the data in
// the ensemble), the same for every example. A random tensor drawn inside f is captured too, one draw for all.
let noiseInside = vmap (fun v -> v + Tensor.randn 7 [| 2 |]) rows

checkThat
    "randomness drawn inside f is shared by every example"
    ((example 0 noiseInside - example 0 rows).Equals(example 1 noiseInside - example 1 rows))

let perRow = Tensor.randn 7 [| 3; 2 |] // per-example noise: draw it outside and map it

let noiseMapped =
    Autodiff.Vmap(
        (fun (a: Collections.Generic.IReadOnlyList<Tensor>) -> a[0] + a[1]),
        [| rows; perRow |],
        [| Nullable 0; Nullable 0 |]
    )

check "per-example noise, drawn outside and mapped" noiseMapped (rows + perRow)
// Values inside f are batched: reading one is an error that says what to do.
let message =
    try
        vmap (fun v -> scalar ((Tensor.sum v).Item())) rows |> ignore
        ""
    with :? VmapException as e ->
        e.Message

checkThat
    "Item() inside f is a VmapException naming the batch"
    (message.Contains "Item() on a batched value" && message.Contains "3 examples")

// ---- 6. Per-sequence gradients of a small token model, vmap over integer token ids ----
// An embedding table [V; D] and a linear layer [D; V] predict each next token. Sequences are padded with id 0 at the
// end: the padding row of the table gets no gradient, and the padded targets are -100, left out of the mean.
let vocab, width = 12, 8

let tokens =
    Tensor.ofArrayND (
        array2D
            [
                [ 3L; 5L; 7L; 2L; 9L; 4L; 1L ]
                [ 6L; 6L; 11L; 3L; 0L; 0L; 0L ]
                [ 8L; 1L; 4L; 10L; 5L; 2L; 0L ]
                [ 2L; 9L; 0L; 0L; 0L; 0L; 0L ]
                [ 7L; 7L; 7L; 3L; 11L; 10L; 6L ]
            ]
    )

let inputs = tokens.[*, ..5] // [5; 6] int64
let next = tokens.[*, 1..] // the token each position predicts

let targets =
    Tensor.where (next.Eq(Tensor.Scalar(0.0, DType.Int64))) (Tensor.Scalar(-100.0, DType.Int64)) next

let tiny =
    Tensor.randn 11 [| vocab; width |] * 0.5, Tensor.randn 12 [| width; vocab |] * 0.5

/// The mean next-token loss of ONE sequence.
let tokenLoss (table: Tensor, w: Tensor) (ids: Tensor) (next: Tensor) =
    let h = ids |> Tensor.embeddingWith 0 table // [T; D]; the padding row is read, but gets no gradient
    Tensor.matmul h w |> Tensor.crossEntropyWith -100 "mean" 0.0 next

let perSequence =
    vmapOf (fun (ids, next) -> gradOf (fun p -> tokenLoss p ids next) tiny) (inputs, targets)

checkThat
    "per-sequence gradients are [5; 12; 8] and [5; 8; 12]"
    (Seq.toList (fst perSequence).Shape = [ 5; vocab; width ]
     && Seq.toList (snd perSequence).Shape = [ 5; width; vocab ])

for i in 0..4 do
    let table, w =
        gradOf (fun p -> tokenLoss p (example i inputs) (example i targets)) tiny

    agrees $"sequence {i}: d table from vmap vs its own gradOf" 1e-12 (example i (fst perSequence)) table
    agrees $"sequence {i}: d linear from vmap vs its own gradOf" 1e-12 (example i (snd perSequence)) w

check "the padding row (id 0) gets no gradient" ((fst perSequence).[*, 0].Abs().Sum()) (scalar 0.0)
