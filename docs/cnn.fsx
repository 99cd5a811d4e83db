// Convolutional networks with FuncGrad (see cnn.md): a convolution as a sparse matrix that shares its weights, built
// from indexSelect and checked against Conv2d; its backward derived by hand (the transposed matrix, a transposed
// convolution; the weight gradient as a sum over the shared copies, a correlation of input and output gradient) and
// checked against FuncGrad's; max-pooling's backward; GradCheck over conv → relu → pool to second order; per-example
// gradients of the digits CNN with vmap against a loop. CI runs it with `dotnet fsi docs/cnn.fsx` after building;
// every check fails the script if a result is not what the comment says.
#load "Checks.fsx"
#load "../examples/Digits/Data.fs"
#load "../examples/Digits/Cnn.fs"

open System
open System.Diagnostics
open System.IO
open FuncGrad
open Checks
open Digits

/// Prints what was compared and fails unless the two agree within rtol (relative and absolute).
let agrees (what: string) (rtol: float) (actual: Tensor) (expected: Tensor) =
    if not (actual.AllClose(expected, rtol, rtol)) then
        failwithf "%s: got %O, expected %O" what actual expected

    printfn "%-62s agree (shape %A)" what (Seq.toList actual.Shape)

// ---- 1. A convolution is a matrix product with a sparse matrix that repeats its weights ----
// A batch of 2 images with 2 channels of 5 × 5, 3 kernels of 2 × 3 × 3, padding 1, stride 1: 3 × 5 × 5 outputs.
let n, c, h, w, o, k, pad = 2, 2, 5, 5, 3, 3, 1
let x = Tensor.randn 1 [| n; c; h; w |]
let weight = Tensor.randn 2 [| o; c; k; k |]
let bias = Tensor.randn 3 [| o |]
let outH, outW = h + 2 * pad - k + 1, w + 2 * pad - k + 1
let rows, cols, nWeights = o * outH * outW, c * h * w, o * c * k * k

/// Which weight sits at (output (o, p, q), input (c, i, j)) of the matrix: the flat index of w[o, c, i − p + pad,
/// j − q + pad] when that is inside the kernel, else nWeights, a slot that holds 0. Zero padding is nothing more than
/// the entries that would reach outside the image and so do not exist.
let slot =
    Array.init (rows * cols) (fun e ->
        let r, col = e / cols, e % cols
        let oo, p, q = r / (outH * outW), r / outW % outH, r % outW
        let cc, i, j = col / (h * w), col / w % h, col % w
        let di, dj = i - p + pad, j - q + pad

        if di >= 0 && di < k && dj >= 0 && dj < k then
            ((oo * c + cc) * k + di) * k + dj
        else
            nWeights)

let slots = Tensor.ofInt64Array (Array.map int64 slot)

/// T(w): the weights with a zero after them, picked by the slot table. indexSelect is differentiable, so T is a
/// differentiable function of w, and so is everything built from it below.
let matrixOf (w: Tensor) =
    Tensor.concat [ Tensor.flatten w; Tensor.zeros [| 1 |] ]
    |> Tensor.indexSelectOf 0 slots
    |> Tensor.reshape [| rows; cols |]

/// The convolution as a matrix product: each image flattened to a column, y = T x + b.
let convByMatrix (w: Tensor) (b: Tensor) (x: Tensor) =
    let columns = Tensor.transpose (Tensor.reshape [| n; cols |] x)
    let y = Tensor.matmul (matrixOf w) columns |> Tensor.transpose
    Tensor.reshape [| n; o; outH; outW |] y + Tensor.reshape [| 1; o; 1; 1 |] b

/// FuncGrad's convolution with zero padding `pad` (stride 1 unless said otherwise) and an optional bias.
let padding (pad: int) =
    { ConvOptions.defaults with
        Padding = ConvPadding.Pad [| pad |]
    }

let withBias (b: Tensor) (pad: int) = { padding pad with Bias = Some b }

let y = Tensor.conv2dWith (withBias bias pad) weight x
agrees "T(w)·x + b and Tensor.conv2d (padding 1, bias b)" 1e-12 (convByMatrix weight bias x) y

let used = slot |> Array.filter (fun s -> s < nWeights)

printfn
    "T is %d × %d = %d entries; %d can be nonzero (%.0f%%)"
    rows
    cols
    slot.Length
    used.Length
    (100.0 * float used.Length / float slot.Length)
// Along one axis, kernel offset d reaches outH − |d − pad| outputs (4, 5, 4): 13² = 169 entries per kernel, o·c = 6
// kernels.
checkThat "1014 = o·c·13² entries can be nonzero" (used.Length = o * c * 13 * 13)

// How often each weight of kernel (0, 0) appears in T: the centre once per output position, the others less
// often, because padding cuts off their copies at the border.
let copies = Array.countBy id used |> Map.ofArray

for di in 0 .. k - 1 do
    printfn "copies of w[0, 0, %d, :]: %A" di [ for dj in 0 .. k - 1 -> copies[di * k + dj] ]

checkThat "the centre weight appears at all 25 positions" (copies[k + 1] = outH * outW)
checkThat "a corner weight at the 16 positions padding keeps" (copies[0] = (outH - 1) * (outW - 1))

// The same matrix in another order is im2col: each column of patches holds the c·k·k inputs one output sees, and
// the kernel, a dense [o, c·k·k] matrix, multiplies the patches. Conv2d packs such patches tile by tile straight into
// its matrix-product kernel, so the k·k copy of the image never exists in memory at once.
let patches (x: Tensor) =
    let padded =
        let zr = Tensor.zeros [| n; c; pad; w |]
        let rowsPadded = Tensor.concatAxis 2 [ zr; x; zr ]
        let zc = Tensor.zeros [| n; c; h + 2 * pad; pad |]
        Tensor.concatAxis 3 [ zc; rowsPadded; zc ]

    [
        for i in 0 .. k - 1 do
            for j in 0 .. k - 1 do
                padded |> Tensor.sliceAxis 2 i (i + outH) |> Tensor.sliceAxis 3 j (j + outW)
    ]
    |> Tensor.stackAxis 2 // [n, c, k·k, outH, outW]: the patch's channel first, then its position
    |> Tensor.reshape [| n; c * k * k; outH * outW |]

let byPatches =
    Tensor.matmul (Tensor.reshape [| o; c * k * k |] weight) (patches x)
    |> Tensor.reshape [| n; o; outH; outW |]

agrees "kernel [3, 18] · patches [2, 18, 25] (im2col)" 1e-12 (byPatches + Tensor.reshape [| 1; o; 1; 1 |] bias) y

// ---- 2. The backward pass, derived by hand ----
// With y = T x + b and a cotangent g = ∂L/∂y:
//   ∂L/∂x = Tᵀ g                                            (the transposed matrix)
//   ∂L/∂T = g xᵀ, and each weight collects the entries of its copies: ∂L/∂w_s = Σ over (r, c) with slot(r, c) = s
//   ∂L/∂b_o = Σ over the batch and the positions of g[·, o, ·, ·]
let g = Tensor.randn 4 [| n; o; outH; outW |]

let _, back =
    vjpOf (fun (x: Tensor, w: Tensor, b: Tensor) -> Tensor.conv2dWith (withBias b pad) w x) (x, weight, bias)

let dx, dw, db = back g
let gRows = Tensor.reshape [| n; rows |] g

// ∂L/∂x = Tᵀ g, one image at a time as a column.
let dxByMatrix =
    Tensor.matmul gRows (matrixOf weight) |> Tensor.reshape [| n; c; h; w |]

agrees "∂L/∂x: Tᵀ g against FuncGrad's vjp" 1e-12 dxByMatrix dx

// ∂L/∂w: the outer products g xᵀ summed over the batch, then every entry added to the weight in its slot.
let dT =
    Tensor.matmul (Tensor.transpose gRows) (Tensor.reshape [| n; cols |] x)
    |> Tensor.flatten

let dwBySlots =
    Tensor.zeros [| nWeights + 1 |]
    |> Tensor.indexAdd 0 slots dT
    |> Tensor.sliceAxis 0 0 nWeights
    |> Tensor.reshape [| o; c; k; k |]

agrees "∂L/∂w: Σ over each weight's copies of g xᵀ, against FuncGrad" 1e-12 dwBySlots dw
agrees "∂L/∂b: g summed over batch and positions" 1e-12 (Tensor.sumAxes [| 0; 2; 3 |] false g) db

// Read as convolutions. Row (o, p, q) of T holds w[o, c, i − p + 1, j − q + 1], so column (c, i, j) of T, which
// is what Tᵀ g sums over, holds w[o, c, i − p + 1, j − q + 1] for the outputs (p, q) near (i, j): a convolution of
// g with the kernel turned by 180° and its channel axes swapped (o in, c out), padding k − 1 − pad = 1.
let turned =
    weight
    |> Tensor.indexSelect 2 [| 2; 1; 0 |]
    |> Tensor.indexSelect 3 [| 2; 1; 0 |]
    |> Tensor.transposeAxes 0 1

agrees "Tᵀ g = conv2d(g, w turned 180°, channels swapped, padding 1)" 1e-12 (Tensor.conv2dWith (padding 1) turned g) dx

let transposedPadding (pad: int) =
    { ConvTransposeOptions.defaults with
        Padding = [| pad |]
    }

agrees "Tᵀ g = convTranspose2d(g, w, padding 1)" 1e-12 (Tensor.convTranspose2dWith (transposedPadding pad) weight g) dx

// ∂L/∂w[o, c, i, j] = Σ over n, p, q of g[n, o, p, q]·x_padded[n, c, p + i, q + j]: a correlation of the input with
// the cotangent, which is a convolution with the batch axis as the channels summed over: x as [c, n, h, w] images,
// g as [o, n, outH, outW] kernels, padding 1; the result [c, o, 3, 3] swaps back to [o, c, 3, 3].
let dwByCorrelation =
    Tensor.transposeAxes 0 1 x
    |> Tensor.conv2dWith (padding pad) (Tensor.transposeAxes 0 1 g)
    |> Tensor.transposeAxes 0 1

agrees "∂L/∂w = conv2d(xᵀ, gᵀ, padding 1)ᵀ (a correlation)" 1e-12 dwByCorrelation dw

// With stride 2 the outputs are 3 × 3 and T keeps every other row; its transpose is a transposed convolution with
// stride 2, which spreads each cotangent over a 3 × 3 patch of the input.
let _, back2 =
    vjp (Tensor.conv2dWith { padding pad with Stride = [| 2 |] } weight) x

let g2 = Tensor.randn 5 [| n; o; 3; 3 |]

agrees
    "stride 2: ∂L/∂x = convTranspose2d(g, w, stride 2, padding 1)"
    1e-12
    (Tensor.convTranspose2dWith
        { transposedPadding pad with
            Stride = [| 2 |]
        }
        weight
        g2)
    (back2 g2)

// ---- 3. Max-pooling routes the cotangent to each window's maximum ----
// y[·, ·, p, q] = max of the 2 × 2 window; with no ties, ∂y/∂x is 1 at the maximum and 0 elsewhere, so ∂L/∂x is g
// copied back over each window and kept only where x equals its window's maximum.
let a = Tensor.randn 6 [| n; c; 4; 4 |]
let pooled, backPool = vjp (Tensor.maxPool2d [| 2 |]) a
let gp = Tensor.randn 7 [| n; c; 2; 2 |]

/// Each value of [n, c, 2, 2] copied over its 2 × 2 window of [n, c, 4, 4].
let spread (t: Tensor) =
    t
    |> Tensor.reshape [| n; c; 2; 1; 2; 1 |]
    |> Tensor.broadcastTo [| n; c; 2; 2; 2; 2 |]
    |> Tensor.reshape [| n; c; 4; 4 |]

let atMaximum = Tensor.eq a (spread pooled) |> Tensor.toFloat64
checkThat "one maximum per window (no ties in this draw)" ((Tensor.sum atMaximum).Item() = float (n * c * 4))
agrees "max-pool: ∂L/∂x = g spread over its window, at the maximum" 1e-12 (spread gp * atMaximum) (backPool gp)

// ---- 4. GradCheck over conv → relu → pool, to second order ----
// The square makes the second derivatives nonzero: the layer is bilinear in (x, w) between kinks, and relu and max
// are linear between theirs. Random values keep every pre-activation and every window's runner-up well away from a
// kink, so central differences see a smooth function.
let layer (args: Tensor list) =
    match args with
    | [ x; w; b ] ->
        let z =
            x
            |> Tensor.conv2dWith (withBias b 1) w
            |> Tensor.relu
            |> Tensor.maxPool2d [| 2 |]

        Tensor.sum (z * z)
    | _ -> failwith "layer takes x, w and b"

let small =
    [
        Tensor.randn 8 [| 1; 2; 4; 4 |]
        Tensor.randn 9 [| 3; 2; 3; 3 |]
        Tensor.randn 10 [| 3 |]
    ]

// The point is away from every kink: pre-activations away from 0, and each pooling window's largest value (when
// positive, so that it passes relu) away from the runner-up, both by far more than the difference step 1e-6.
let preActivations =
    match small with
    | [ x; w; b ] -> Tensor.conv2dWith (withBias b 1) w x |> Tensor.toArray
    | _ -> failwith "three inputs"

checkThat "no pre-activation within 1e-3 of 0" (preActivations |> Array.forall (fun v -> abs v > 1e-3))

let gaps =
    let z = preActivations |> Array.map (max 0.0) // [1, 3, 4, 4], row-major

    [
        for ch in 0..2 do
            for pi in 0..1 do
                for pj in 0..1 do
                    let window =
                        [
                            for i in 0..1 do
                                for j in 0..1 -> z[(ch * 4 + 2 * pi + i) * 4 + 2 * pj + j]
                        ]
                        |> List.sortDescending

                    if window[0] > 0.0 then
                        window[0] - window[1]
    ]

checkThat "each window's maximum ahead of its runner-up by > 1e-3" (gaps |> List.forall (fun d -> d > 1e-3))

let report = GradCheck.checkMany (GradCheckOptions.Default.WithOrder 2) layer small
printfn "%O" report
checkThat "conv → relu → pool passes GradCheck to second order" report.Passed

// ---- 5. Per-example gradients of the digits CNN with vmap ----
// Write the loss for ONE image, then vmap the gradient over the batch: inside, every convolution sees a batched
// image and, in the backward pass, a batched cotangent; Conv2d's batching rule folds the vmapped axis into the batch
// (forward, input gradient) or into the groups (weight gradient), so the 64 weight gradients come from one grouped
// convolution rather than 64 small ones.
let data =
    Data.load (Path.Combine(__SOURCE_DIRECTORY__, "../examples/Digits/data/digits.csv.gz"))

let batchSize = 64
let xs, labels = Data.batch data [| 0 .. batchSize - 1 |]
let ys = Tensor.ofArray (Array.map float labels)
let p0 = Cnn.init 42

/// The loss of one image: its 64 pixels and its label (a one-element tensor).
let loss (p: Cnn.Parameters) (x: Tensor) (y: Tensor) =
    Cnn.logits p (Tensor.reshape [| 1; 64 |] x)
    |> Tensor.crossEntropyOf (Tensor.reshape [| 1 |] y)

let perExample = vmapOf (fun (x, y) -> gradOf (fun p -> loss p x y) p0) (xs, ys)

checkThat
    "per-example C2 gradients are [64; 32; 16; 3; 3]"
    (Seq.toList perExample.C2.Shape = [ batchSize; 32; 16; 3; 3 ])

/// Example i of a batch (axis 0).
let example (i: int) (t: Tensor) =
    t.Slice(0, i, i + 1).Squeeze(Nullable 0)

for i in [ 0; 17; 63 ] do
    let one = gradOf (fun p -> loss p (example i xs) (example i ys)) p0
    agrees $"example {i}: ∂ℓ/∂C1 from vmap and from its own gradOf" 1e-10 (example i perExample.C1) one.C1
    agrees $"example {i}: ∂ℓ/∂C2 from vmap and from its own gradOf" 1e-10 (example i perExample.C2) one.C2

// Their mean is the gradient of the batch's mean loss, as the training loop takes it.
let whole = gradOf (fun p -> fst (Cnn.lossAndLogits p xs labels)) p0
agrees "the mean of the per-example ∂ℓ/∂C1 and the batch's gradient" 1e-10 (Tensor.meanAxis 0 perExample.C1) whole.C1

/// The median of seven timed runs after three to warm up, in ms.
let time (f: unit -> 'a) =
    for _ in 1..3 do
        f () |> ignore

    let runs =
        Array.init 7 (fun _ ->
            let clock = Stopwatch.StartNew()
            f () |> ignore
            clock.Elapsed.TotalMilliseconds)

    Array.sortInPlace runs
    runs[3]

let batched =
    time (fun () -> vmapOf (fun (x, y) -> gradOf (fun p -> loss p x y) p0) (xs, ys))

let looped =
    time (fun () ->
        [
            for i in 0 .. batchSize - 1 -> gradOf (fun p -> loss p (example i xs) (example i ys)) p0
        ])

printfn
    "64 per-example gradients: vmap %.0f ms, a loop of gradOf %.0f ms (medians; this run, this machine)"
    batched
    looped
