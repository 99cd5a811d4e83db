/// Bad input gets a specific exception type whose message names the op and the shapes and says
/// what to do; and nothing is left half-built: after an op throws, its inputs are unchanged and the
/// same op with good input still works.
module ErrorTests

open System
open Expecto
open FuncGrad
open Support.Check

let private config =
    { FsCheckConfig.defaultConfig with
        maxTest = 8
    }

/// Fails unless the message contains every part (ignoring case).
let private mentions (what: string) (e: exn) (parts: string list) =
    for p in parts do
        if not (e.Message.Contains(p, StringComparison.OrdinalIgnoreCase)) then
            failtestf "%s: the message does not mention %A:\n  %s" what p e.Message

/// A plain copy with the same values, shape and dtype, made before anything can go wrong.
let private copyOf (t: Tensor) =
    Tensor.FromArray(t.ToArray(), shapeOf t).ToDType t.DType

let private values (t: Tensor) = t.ToArray()

/// C = A·B by the triple loop over row-major values.
let private matmulRef (a: Tensor) (b: Tensor) =
    let m, k, n = a.Shape[0], a.Shape[1], b.Shape[1]
    let x, y = values a, values b

    Tensor.FromArray(
        Array.init (m * n) (fun o -> Seq.sum (seq { for p in 0 .. k - 1 -> x[(o / n) * k + p] * y[p * n + o % n] })),
        [| m; n |]
    )

/// One kind of mistake: inputs drawn from a generator, the bad call (which must throw 'E with a
/// message mentioning the parts), and a good call of the same op with its own check.
type private Case =
    {
        Name: string
        Inputs: Random -> Tensor list
        Bad: Tensor list -> unit
        Check: Tensor list -> exn -> unit
        Good: Tensor list -> unit
    }

let private case name inputs bad expect good =
    {
        Name = name
        Inputs = inputs
        Bad = bad
        Check = expect
        Good = good
    }

/// The exception must be exactly 'E and mention the parts.
let private expecting<'E when 'E :> exn> (parts: string list) (_: Tensor list) (e: exn) =
    if e.GetType() <> typeof<'E> then
        failtestf "expected %s but got %s: %s" typeof<'E>.Name (e.GetType().Name) e.Message

    mentions typeof<'E>.Name e parts

let private f32 (t: Tensor) = t.ToDType DType.Float32

let private cases: Case list =
    [
        case
            "matmul with different inner dimensions"
            (fun rng -> [ randn rng [| 2; 3 |]; randn rng [| 4; 5 |]; randn rng [| 3; 5 |] ])
            (fun ts -> ts[0].MatMul ts[1] |> ignore)
            (expecting<ShapeMismatchException> [ "matmul"; "[2x3]"; "[4x5]"; "inner dimensions 3 and 4" ])
            (fun ts -> close "A·C" 1e-12 1e-14 (ts[0].MatMul ts[2]) (matmulRef ts[0] ts[2]))

        case
            "add of shapes that do not broadcast"
            (fun rng -> [ randn rng [| 2; 3 |]; randn rng [| 4 |]; randn rng [| 3 |] ])
            (fun ts -> ts[0] + ts[1] |> ignore)
            (expecting<ShapeMismatchException> [ "add"; "[2x3]"; "[4]"; "reshape or unsqueeze" ])
            (fun ts ->
                let a, c = values ts[0], values ts[2]
                equalValues "a + row" (ts[0] + ts[2]) (Array.init 6 (fun i -> a[i] + c[i % 3])))

        case
            "mul of shapes that do not broadcast"
            (fun rng -> [ randn rng [| 3; 2 |]; randn rng [| 3 |]; randn rng [| 3; 1 |] ])
            (fun ts -> ts[0] * ts[1] |> ignore)
            (expecting<ShapeMismatchException> [ "mul"; "[3x2]"; "[3]"; "reshape or unsqueeze" ])
            (fun ts ->
                let a, c = values ts[0], values ts[2]
                equalValues "a · column" (ts[0] * ts[2]) (Array.init 6 (fun i -> a[i] * c[i / 2])))

        case
            "reshape to a different element count"
            (fun rng -> [ randn rng [| 2; 3 |] ])
            (fun ts -> ts[0].Reshape [| 4 |] |> ignore)
            (expecting<ShapeMismatchException> [ "reshape"; "[2x3]"; "[4]"; "6 elements"; "counts must match" ])
            (fun ts ->
                let r = ts[0].Reshape [| 3; -1 |]
                Expect.sequenceEqual (shapeOf r) [| 3; 2 |] "reshaped"
                equalValues "same values" r (values ts[0]))

        case
            "reshape with an inferred dimension that does not divide"
            (fun rng -> [ randn rng [| 2; 3 |] ])
            (fun ts -> ts[0].Reshape [| -1; 4 |] |> ignore)
            (expecting<ShapeMismatchException> [ "reshape"; "[2x3]"; "[-1x4]"; "divide" ])
            (fun ts -> Expect.sequenceEqual (shapeOf (ts[0].Reshape [| -1; 2 |])) [| 3; 2 |] "inferred")

        case
            "sum over an axis out of range"
            (fun rng -> [ randn rng [| 2; 3 |] ])
            (fun ts -> ts[0].Sum [| 2 |] |> ignore)
            (expecting<AxisOutOfRangeException> [ "sum"; "axis 2"; "[2x3]"; "rank 2"; "[-2, 1]" ])
            (fun ts ->
                let a = values ts[0]

                close
                    "row sums"
                    1e-14
                    1e-15
                    (ts[0].Sum [| 1 |])
                    (Tensor.FromArray [| a[0] + a[1] + a[2]; a[3] + a[4] + a[5] |]))

        case
            "max over an axis out of range"
            (fun rng -> [ randn rng [| 2; 3 |] ])
            (fun ts -> ts[0].Max [| -3 |] |> ignore)
            (expecting<AxisOutOfRangeException> [ "max"; "axis -3"; "rank 2"; "[-2, 1]" ])
            (fun ts ->
                let a = values ts[0]
                equalValues "column maxima" (ts[0].Max [| -2 |]) (Array.init 3 (fun j -> max a[j] a[3 + j])))

        case
            "squeeze of an axis out of range"
            (fun rng -> [ randn rng [| 2; 1 |] ])
            (fun ts -> ts[0].Squeeze(Nullable 5) |> ignore)
            (expecting<AxisOutOfRangeException> [ "squeeze"; "axis 5"; "rank 2"; "[-2, 1]" ])
            (fun ts ->
                let s = ts[0].Squeeze(Nullable 1)
                Expect.sequenceEqual (shapeOf s) [| 2 |] "squeezed"
                equalValues "same values" s (values ts[0]))

        case
            "transpose of an axis out of range"
            (fun rng -> [ randn rng [| 2; 3 |] ])
            (fun ts -> ts[0].Transpose(0, 2) |> ignore)
            (expecting<AxisOutOfRangeException> [ "transpose"; "axis 2"; "rank 2"; "[-2, 1]" ])
            (fun ts ->
                let a = values ts[0]
                equalValues "transposed" (ts[0].Transpose(0, 1)) [| a[0]; a[3]; a[1]; a[4]; a[2]; a[5] |])

        case
            "transpose of a vector"
            (fun rng -> [ randn rng [| 3 |]; randn rng [| 3; 1 |] ])
            (fun ts -> ts[0].Transpose() |> ignore)
            (expecting<RankException> [ "transpose"; "[3]"; "rank 2"; "Unsqueeze" ])
            (fun ts ->
                Expect.sequenceEqual (shapeOf (ts[1].Transpose())) [| 1; 3 |] "a column's transpose is a row"
                equalValues "a row of the vector" (ts[0].Unsqueeze(0)) (values ts[0]))

        case
            "add of float64 and float32"
            (fun rng -> [ randn rng [| 2 |]; f32 (randn rng [| 2 |]) ])
            (fun ts -> ts[0] + ts[1] |> ignore)
            (expecting<DTypeMismatchException> [ "add"; "[2] float64"; "[2] float32"; "ToDType" ])
            (fun ts ->
                let a, b = values ts[0], values ts[1]
                equalValues "converted" (ts[0] + ts[1].ToDType DType.Float64) (Array.map2 (+) a b))

        case
            "matmul of float64 and float32"
            (fun rng -> [ randn rng [| 2; 3 |]; f32 (randn rng [| 3; 2 |]) ])
            (fun ts -> ts[0].MatMul ts[1] |> ignore)
            (expecting<DTypeMismatchException> [ "matmul"; "[2x3] float64"; "[3x2] float32"; "ToDType" ])
            (fun ts ->
                let b = ts[1].ToDType DType.Float64
                close "converted" 1e-12 1e-14 (ts[0].MatMul b) (matmulRef ts[0] b))

        case
            "where of float64 and float32"
            (fun rng ->
                [
                    Tensor.FromArray [| true; false; true |]
                    randn rng [| 3 |]
                    f32 (randn rng [| 3 |])
                ])
            (fun ts -> Tensor.Where(ts[0], ts[1], ts[2]) |> ignore)
            (expecting<DTypeMismatchException> [ "where"; "float64"; "float32"; "ToDType" ])
            (fun ts ->
                let a, b = values ts[1], values ts[2]
                equalValues "selected" (Tensor.Where(ts[0], ts[1], ts[2].ToDType DType.Float64)) [| a[0]; b[1]; a[2] |])

        case
            "concat of float64 and float32"
            (fun rng -> [ randn rng [| 2 |]; f32 (randn rng [| 3 |]) ])
            (fun ts -> Tensor.Concat [| ts[0]; ts[1] |] |> ignore)
            (expecting<DTypeMismatchException> [ "concat"; "[2] float64"; "[3] float32"; "ToDType" ])
            (fun ts ->
                equalValues
                    "joined"
                    (Tensor.Concat [| ts[0].ToDType DType.Float32; ts[1] |])
                    (Array.append (values (f32 ts[0])) (values ts[1])))

        case
            "Grad of a function with a vector output"
            (fun rng -> [ randn rng [| 3 |] ])
            (fun ts -> Autodiff.Grad((fun (x: Tensor) -> x * 2.0), ts[0]) |> ignore)
            (expecting<NonScalarOutputException> [ "grad"; "[3]"; "Jacobian" ])
            (fun ts ->
                equalValues
                    "d/dx sum(2x)"
                    (Autodiff.Grad((fun (x: Tensor) -> (x * 2.0).Sum()), ts[0]))
                    [| 2.0; 2.0; 2.0 |])

        case
            "max of an empty tensor"
            (fun rng -> [ Tensor.Zeros [| 0 |]; randn rng [| 4 |] ])
            (fun ts -> ts[0].Max() |> ignore)
            (expecting<EmptyTensorException> [ "max"; "[0]"; "at least one element" ])
            (fun ts -> Expect.equal (ts[1].Max().Item()) (Array.max (values ts[1])) "max of a non-empty tensor")

        // over no axes: no empty axis to name, so the message names the tensor
        case
            "min over no axes of an empty tensor"
            (fun rng -> [ Tensor.Zeros [| 0; 3 |]; randn rng [| 2; 3 |] ])
            (fun ts -> ts[0].Min([||]) |> ignore)
            (expecting<EmptyTensorException> [ "min"; "[0x3]"; "at least one element" ])
            (fun ts -> Expect.equal (ts[1].Min([||]).ToArray()) (values ts[1]) "min over no axes is the tensor itself")

        case
            "mean of an empty tensor"
            (fun rng -> [ Tensor.Zeros [| 2; 0 |]; randn rng [| 4 |] ])
            (fun ts -> ts[0].Mean() |> ignore)
            (expecting<EmptyTensorException> [ "mean"; "[2x0]"; "at least one element" ])
            (fun ts ->
                closeNum "mean of a non-empty tensor" 1e-14 1e-15 (ts[1].Mean().Item()) (Array.average (values ts[1])))

        case
            "a shape with more elements than an array holds"
            (fun _ -> [])
            (fun _ -> Tensor.Zeros [| 65536; 65536 |] |> ignore)
            (expecting<TensorSizeOverflowException> [ "[65536x65536]"; "smaller dimensions" ])
            (fun _ -> Expect.equal (Tensor.Zeros([| 256; 256 |]).Count) 65536 "a smaller shape")

        case
            "concat of shapes that differ off the axis"
            (fun rng -> [ randn rng [| 2; 3 |]; randn rng [| 2; 4 |] ])
            (fun ts -> Tensor.Concat([| ts[0]; ts[1] |], 0) |> ignore)
            (expecting<ShapeMismatchException> [ "concat"; "tensor 1 is [2x4]"; "tensor 0 is [2x3]"; "except axis 0" ])
            (fun ts ->
                let a, b = values ts[0], values ts[1]
                let c = Tensor.Concat([| ts[0]; ts[1] |], 1)
                Expect.sequenceEqual (shapeOf c) [| 2; 7 |] "joined along axis 1"
                equalValues "rows joined" c (Array.concat [ a[0..2]; b[0..3]; a[3..5]; b[4..7] ]))

        case
            "stack of different shapes"
            (fun rng -> [ randn rng [| 2 |]; randn rng [| 3 |]; randn rng [| 2 |] ])
            (fun ts -> Tensor.Stack [| ts[0]; ts[1] |] |> ignore)
            (expecting<ShapeMismatchException> [ "stack"; "tensor 1 is [3]"; "tensor 0 is [2]"; "one shape" ])
            (fun ts ->
                let s = Tensor.Stack [| ts[0]; ts[2] |]
                Expect.sequenceEqual (shapeOf s) [| 2; 2 |] "stacked"
                equalValues "rows" s (Array.append (values ts[0]) (values ts[2])))

        case
            "index-select of an index out of range"
            (fun rng -> [ randn rng [| 3 |] ])
            (fun ts -> ts[0].IndexSelect(0, [| 0; 3 |]) |> ignore)
            (expecting<ArgumentOutOfRangeException> [ "indexSelect"; "index 3"; "size 3"; "[3]"; "[-3, 2]" ])
            (fun ts ->
                let a = values ts[0] in equalValues "picked" (ts[0].IndexSelect(0, [| 2; -3 |])) [| a[2]; a[0] |])

        case
            "an integer index out of range"
            (fun rng -> [ randn rng [| 3; 4 |] ])
            (fun ts -> ts[0].[1, 4] |> ignore)
            (expecting<ArgumentOutOfRangeException> [ "index"; "index 4"; "axis 1 of size 4"; "[3x4]"; "[-4, 3]" ])
            (fun ts -> let a = values ts[0] in equalValues "picked" ts[0].[1, -4] [| a[4] |])

        case
            "a negative index past the start"
            (fun rng -> [ randn rng [| 3 |] ])
            (fun ts -> ts[0].[-4] |> ignore)
            (expecting<ArgumentOutOfRangeException> [ "index"; "index -4"; "axis 0 of size 3"; "[-3, 2]"; "^3 to ^1" ])
            (fun ts -> let a = values ts[0] in equalValues "first" ts[0].[-3] [| a[0] |])

        case
            "a C# from-end index past the start"
            (fun rng -> [ randn rng [| 2; 3 |] ])
            (fun ts -> ts[0].At(TensorIndex.op_Implicit (Index(3, true))) |> ignore)
            (expecting<ArgumentOutOfRangeException> [ "index"; "index ^3"; "axis 0 of size 2"; "[2x3]" ])
            (fun ts ->
                let a = values ts[0]
                equalValues "^2 is the first row" (ts[0].At(TensorIndex.op_Implicit (Index(2, true)))) a[0..2])

        case
            "an index into an empty axis"
            (fun _ -> [ Tensor.Zeros [| 0; 2 |]; Tensor.Zeros [| 2; 0 |] ])
            (fun ts -> ts[0].[0] |> ignore)
            (expecting<ArgumentOutOfRangeException> [ "index"; "axis 0 of size 0"; "[0x2]"; "no elements" ])
            (fun ts -> Expect.sequenceEqual (shapeOf ts[1].[1]) [| 0 |] "a row of an empty axis")

        case
            "more indices than axes"
            (fun rng -> [ randn rng [| 3; 4 |] ])
            (fun ts -> ts[0].[0, 1, 2] |> ignore)
            (expecting<RankException> [ "index"; "3 indices"; "[3x4]"; "rank 2"; "one index per axis" ])
            (fun ts -> let a = values ts[0] in equalValues "two indices" ts[0].[2, 3] [| a[11] |])

        case
            "an F# slice with more ranges than axes"
            (fun rng -> [ randn rng [| 3 |] ])
            (fun ts -> ts[0].[0.., 1..] |> ignore)
            (expecting<RankException> [ "index"; "2 indices"; "[3]"; "rank 1" ])
            (fun ts -> let a = values ts[0] in equalValues "one range" ts[0].[1..] a[1..])

        case
            "cross-entropy with a label out of range"
            (fun rng -> [ randn rng [| 2; 3 |] ])
            (fun ts -> ts[0].CrossEntropy [| 0; 3 |] |> ignore)
            (expecting<ArgumentOutOfRangeException> [ "crossEntropy"; "label 3"; "row 1"; "[2x3]"; "[0, 2]" ])
            (fun ts ->
                let z = values ts[0]
                // −log softmax(z_i)[label_i] = log Σ_j exp z_ij − z_i,label, averaged over rows.
                let term i label =
                    log (Seq.sum (seq { for j in 0..2 -> exp z[3 * i + j] })) - z[3 * i + label]

                closeNum
                    "cross-entropy"
                    1e-12
                    1e-14
                    (ts[0].CrossEntropy([| 0; 2 |]).Item())
                    ((term 0 0 + term 1 2) / 2.0))

        case
            "cross-entropy of logits that are not a matrix"
            (fun rng -> [ randn rng [| 3 |]; randn rng [| 1; 3 |] ])
            (fun ts -> ts[0].CrossEntropy [| 0 |] |> ignore)
            (expecting<RankException> [ "crossEntropy"; "[3]"; "[N, C]"; "[1, C]" ])
            (fun ts -> Expect.isTrue (Double.IsFinite(ts[1].CrossEntropy([| 2 |]).Item())) "one row")

        case
            "cross-entropy with a label too few"
            (fun rng -> [ randn rng [| 3; 2 |] ])
            (fun ts -> ts[0].CrossEntropy [| 0; 1 |] |> ignore)
            (expecting<ShapeMismatchException> [ "crossEntropy"; "2 labels"; "3 rows"; "[3x2]"; "one label per row" ])
            (fun ts -> Expect.isTrue (Double.IsFinite(ts[0].CrossEntropy([| 0; 1; 1 |]).Item())) "three labels")

        case
            "cross-entropy of no rows"
            (fun rng -> [ Tensor.Zeros [| 0; 2 |]; randn rng [| 1; 2 |] ])
            (fun ts -> ts[0].CrossEntropy [||] |> ignore)
            (expecting<EmptyTensorException> [ "crossEntropy"; "[0x2]"; "at least one example" ])
            (fun ts -> Expect.isTrue (Double.IsFinite(ts[1].CrossEntropy([| 1 |]).Item())) "one row")

        case
            "cross-entropy with labels in a tensor, of logits that are not a matrix"
            (fun rng -> [ randn rng [| 3 |]; Tensor.Zeros [| 1 |] ])
            (fun ts -> ts[0].CrossEntropy ts[1] |> ignore)
            (expecting<RankException> [ "crossEntropy"; "[3]"; "[N, C]"; "[1, C]" ])
            (fun ts -> Expect.isTrue (Double.IsFinite(ts[0].Unsqueeze(0).CrossEntropy(ts[1]).Item())) "[1x3]")

        // a column of labels has the right length but the wrong rank
        case
            "cross-entropy with labels in a tensor of the wrong shape"
            (fun rng -> [ randn rng [| 3; 2 |]; Tensor.Zeros [| 3; 1 |] ])
            (fun ts -> ts[0].CrossEntropy ts[1] |> ignore)
            (expecting<ShapeMismatchException> [ "crossEntropy"; "labels [3x1]"; "[3x2]"; "one label per row" ])
            (fun ts ->
                closeNum
                    "a vector of labels as the int array"
                    1e-15
                    0.0
                    (ts[0].CrossEntropy(ts[1].Flatten()).Item())
                    (ts[0].CrossEntropy([| 0; 0; 0 |]).Item()))

        case
            "cross-entropy with labels in a tensor, of no rows"
            (fun _ -> [ Tensor.Zeros [| 0; 2 |]; Tensor.Zeros [| 0 |] ])
            (fun ts -> ts[0].CrossEntropy ts[1] |> ignore)
            (expecting<EmptyTensorException> [ "crossEntropy"; "[0x2]"; "at least one example" ])
            (fun ts -> Expect.equal (ts[0].Sum().Item()) 0.0 "the logits are untouched")

        case
            "cross-entropy with a label in a tensor out of range"
            (fun rng -> [ randn rng [| 2; 3 |]; Tensor.FromArray [| 0.0; 3.0 |] ])
            (fun ts -> ts[0].CrossEntropy ts[1] |> ignore)
            (expecting<ArgumentOutOfRangeException> [ "crossEntropy"; "row 1"; "[2x3]"; "whole numbers in [0, 2]" ])
            (fun ts ->
                closeNum
                    "labels 0 and 2 as the int array"
                    1e-15
                    0.0
                    (ts[0].CrossEntropy(Tensor.FromArray [| 0.0; 2.0 |]).Item())
                    (ts[0].CrossEntropy([| 0; 2 |]).Item()))

        case
            "mseLoss of different shapes"
            (fun rng -> [ randn rng [| 3 |]; randn rng [| 2 |] ])
            (fun ts -> ts[0].MseLoss ts[1] |> ignore)
            (expecting<ShapeMismatchException> [ "mseLoss"; "[3]"; "[2]"; "match exactly" ])
            (fun ts -> Expect.equal (ts[1].MseLoss(ts[1]).Item()) 0.0 "against itself")

        case
            "softmax over an axis the tensor lacks"
            (fun rng -> [ randn rng [| 2; 3 |] ])
            (fun ts -> ts[0].Softmax 2 |> ignore)
            (expecting<AxisOutOfRangeException> [ "softmax"; "2"; "[2x3]" ])
            (fun ts -> closeNum "rows sum to 1" 1e-15 1e-15 (ts[0].Softmax(1).Sum().Item()) 2.0)

        case
            "Backward of a tensor without a graph"
            (fun rng -> [ randn rng [| 2 |] ])
            (fun ts -> ts[0].Sum().Backward() |> ignore)
            (expecting<GradientException> [ "backward"; "[] float64"; "RequiresGrad()" ])
            (fun ts ->
                let v = ts[0].RequiresGrad()
                equalValues "d/dv sum(v)" ((v.Sum()).Backward()[v]) [| 1.0; 1.0 |])

        case
            "RequiresGrad of a computed tensor"
            (fun rng -> [ (randn rng [| 2 |]).RequiresGrad() ])
            (fun ts -> (ts[0] * 2.0).RequiresGrad() |> ignore)
            (expecting<GradientException> [ "requiresGrad"; "[2] float64"; "grad_fn=Mul"; "Detach().RequiresGrad()" ])
            (fun ts ->
                let w = (ts[0] * 2.0).Detach().RequiresGrad()
                Expect.isTrue w.IsLeaf "a new leaf"
                equalValues "its values" w (Array.map (fun x -> 2.0 * x) (values ts[0])))

        case
            "Item of a tensor with several elements"
            (fun rng -> [ randn rng [| 2; 3 |] ])
            (fun ts -> ts[0].Item() |> ignore)
            (expecting<ShapeMismatchException> [ "item"; "[2x3]"; "6 elements"; "Sum()" ])
            (fun ts -> closeNum "Sum().Item()" 1e-14 1e-15 (ts[0].Sum().Item()) (Array.sum (values ts[0])))
    ]

let private runCase (c: Case) (seed: int) =
    let inputs = c.Inputs(Random seed)
    let before = inputs |> List.map copyOf

    let thrown =
        try
            c.Bad inputs
            None
        with e ->
            Some e

    match thrown with
    | None -> failtestf "%s: nothing was thrown" c.Name
    | Some e -> c.Check inputs e

    List.iteri2
        (fun i (t: Tensor) b -> Expect.isTrue (t.Equals b) $"{c.Name}: input {i} unchanged after the throw")
        inputs
        before

    c.Good inputs
    // The bad call is still rejected the same way: nothing was cached half-way.
    match
        (try
            c.Bad inputs
            None
         with e ->
             Some e)
    with
    | Some e -> c.Check inputs e
    | None -> failtestf "%s: the second bad call did not throw" c.Name

let private graphs =
    testList
        "a failed op leaves the graph usable"
        [
            testCase "Backward after a failed matmul on a variable"
            <| fun () ->
                let x =
                    Tensor.FromArray([| 1.0; 2.0; 3.0; 4.0; 5.0; 6.0 |], [| 2; 3 |]).RequiresGrad()

                let y = x * 2.0

                raises<ShapeMismatchException> "bad matmul" (fun () -> y.MatMul(Tensor.Ones [| 4; 5 |]) |> ignore)
                |> ignore

                raises<DTypeMismatchException> "bad add" (fun () -> y + Tensor.Ones([| 3 |], DType.Float32) |> ignore)
                |> ignore
                // d/dx Σ (2x)·W = 2·(W row sums), W = ones[3x5]: 10 everywhere.
                let g = (y.MatMul(Tensor.Ones [| 3; 5 |])).Sum().Backward()
                equalValues "gradient" g[x] (Array.create 6 10.0)
                equalValues "y unchanged" y [| 2.0; 4.0; 6.0; 8.0; 10.0; 12.0 |]

            testCase "Grad after a function that threw inside a differentiation"
            <| fun () ->
                let x = Tensor.FromArray [| 1.0; 2.0 |]

                raises<ShapeMismatchException> "throws inside Grad" (fun () ->
                    Autodiff.Grad((fun (v: Tensor) -> (v + Tensor.Ones [| 3 |]).Sum()), x) |> ignore)
                |> ignore

                raises<NonScalarOutputException> "non-scalar inside Jvp-of-Grad" (fun () ->
                    Autodiff.Jvp((fun (v: Tensor) -> Autodiff.Grad((fun (w: Tensor) -> w * w), v)), x, x)
                    |> ignore)
                |> ignore

                equalValues "d/dx Σx³" (Autodiff.Grad((fun (v: Tensor) -> (v * v * v).Sum()), x)) [| 3.0; 12.0 |]

                let struct (value, tangent) =
                    Autodiff.Jvp((fun (v: Tensor) -> (v * v).Sum()), x, Tensor.Ones [| 2 |])

                Expect.equal (value.Item()) 5.0 "Jvp value"
                Expect.equal (tangent.Item()) 6.0 "Jvp tangent: 2·1 + 2·2"

            testCase "recording resumes after an exception inside NoGrad"
            <| fun () ->
                let x = (Tensor.Scalar 3.0).RequiresGrad()

                (try
                    use _ = Autodiff.NoGrad()
                    (x * 2.0).MatMul(x) |> ignore
                 with :? RankException ->
                     ())

                let y = x * x
                Expect.isTrue y.RequiresGradient "recorded again"
                Expect.equal ((y.Backward()[x]).Item()) 6.0 "d/dx x²"
        ]

let private more =
    testList
        "more errors"
        [
            testCase "Backward of a non-scalar without a seed is a NonScalarOutputException"
            <| fun () ->
                let x = Tensor.Ones([| 3 |]).RequiresGrad()

                let e =
                    raises<NonScalarOutputException> "backward" (fun () -> (x * 2.0).Backward() |> ignore)

                mentions "backward" e [ "backward"; "[3]"; "seed"; "Sum()" ]

            testCase "Autodiff.Grad with a plain input is a GradientException"
            <| fun () ->
                let x = Tensor.Ones [| 2 |]

                let e =
                    raises<GradientException> "grad" (fun () -> Autodiff.Grad([| x.Sum() |], [| x |]) |> ignore)

                mentions "grad" e [ "grad"; "input 0"; "[2] float64"; "RequiresGrad()" ]

            testCase "FromArray with values that do not fill the shape is a ShapeMismatchException"
            <| fun () ->
                let e =
                    raises<ShapeMismatchException> "fromArray" (fun () ->
                        Tensor.FromArray([| 1.0 .. 5.0 |], [| 2; 3 |]) |> ignore)

                mentions "fromArray" e [ "fromArray"; "5 values"; "[2x3]" ]

            testCase "a negative dimension is a ShapeMismatchException"
            <| fun () ->
                let e =
                    raises<ShapeMismatchException> "zeros" (fun () -> Tensor.Zeros [| 2; -1 |] |> ignore)

                mentions "negative" e [ "[2x-1]"; "negative" ]

            testCase "Arange with more values than an array holds is a TensorSizeOverflowException"
            <| fun () ->
                // Documented: TensorSizeOverflowException is for element counts that do not fit in a .NET array.
                // 1e10 values is such a count; the user gave no shape, so a "negative dimension" is not the problem.
                let e =
                    raises<TensorSizeOverflowException> "arange" (fun () -> Tensor.Arange(0.0, 1e10) |> ignore)

                mentions "arange" e [ "arange" ]
        ]

[<Tests>]
let tests =
    testList
        "errors"
        [
            testList
                "specific exception and message"
                [
                    for c in cases do
                        testCase c.Name <| fun () -> runCase c 1
                ]
            testList
                "nothing is left half-built"
                [
                    for c in cases do
                        testPropertyWithConfig
                            config
                            $"{c.Name}: inputs unchanged, good input works"
                            (fun (seed: int) -> runCase c seed)
                ]
            graphs
            more
        ]
