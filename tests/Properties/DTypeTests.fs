/// Integer and bool tensors (issue 20): creation, printing, conversions, the layout ops that move their elements,
/// vmap and compile over them, and the errors where an op computes with floats or a transformation would
/// differentiate them.
module DTypeTests

open System
open Expecto
open FuncGrad
open Support.Check

let private intTypes = [ DType.Int64; DType.Int32; DType.Bool ]

/// A float64 tensor of small integers (and zeros, for bool) that every dtype holds exactly.
let private sample =
    Tensor.FromArray([| 3.0; 0.0; -2.0; 5.0; 1.0; 0.0; 7.0; -4.0; 2.0; 6.0; 0.0; -1.0 |], [| 3; 4 |])

/// The values a dtype makes of `sample` (bool: not zero), as float64: the reference for every layout op.
let private asFloat (d: DType) (t: Tensor) =
    if d = DType.Bool then
        Tensor.FromArray(t.ToArray() |> Array.map (fun v -> if v <> 0.0 then 1.0 else 0.0), shapeOf t)
    else
        t

/// Layout and indexing ops: each must move an integer or bool tensor's elements as it moves a float tensor's.
let private layouts: (string * (Tensor -> Tensor)) list =
    [
        "reshape", (fun t -> t.Reshape [| 4; 3 |])
        "transpose", (fun t -> t.Transpose())
        "permute", (fun t -> t.Reshape([| 3; 2; 2 |]).Permute [| 2; 0; 1 |])
        "slice", (fun t -> t.Slice(1, 1, 3))
        "index", (fun t -> t.[1, 2..3])
        "indexSelect", (fun t -> t.IndexSelect(0, [| 2; 0; 2 |]))
        "concat", (fun t -> Tensor.Concat([| t; t.Slice(0, 0, 1) |], 0))
        "stack", (fun t -> Tensor.Stack([| t; t |], 1))
        "broadcastTo", (fun t -> t.Slice(0, 0, 1).BroadcastTo [| 2; 4 |])
        "unsqueeze and squeeze", (fun t -> t.Unsqueeze(1).Squeeze(Nullable 1))
        "flatten", (fun t -> t.Flatten())
    ]

/// How a tensor prints, read back to the managed device first (the LibTorch suite runs these tests on torch:cpu,
/// where a print also names the device).
let private shown (t: Tensor) = string (t.To Device.Managed)

let private raisesWith<'E when 'E :> exn> (what: string) (parts: string list) (f: unit -> unit) =
    let e = raises<'E> what f

    for p in parts do
        Expect.stringContains e.Message p what

[<Tests>]
let tests =
    testList
        "dtypes: int64, int32, bool"
        [
            testList
                "creation and reading"
                [
                    test "from arrays, with a shape, and from rectangular arrays" {
                        let l = Tensor.FromArray([| 3L; -1L; 7L; 0L |], [| 2; 2 |])
                        Expect.equal l.DType DType.Int64 "int64"
                        Expect.equal (shapeOf l) [| 2; 2 |] "shape"
                        Expect.equal (l.ToInt64Array()) [| 3L; -1L; 7L; 0L |] "values"
                        Expect.equal (Tensor.FromArray [| 1; 2 |]).DType DType.Int32 "int32"
                        Expect.equal (Tensor.FromArray [| true |]).DType DType.Bool "bool"
                        let m = Tensor.FromArray(array2D [ [ 1; 2; 3 ]; [ 4; 5; 6 ] ] :> Array)
                        Expect.equal (m.DType, shapeOf m) (DType.Int32, [| 2; 3 |]) "int[,]"
                        Expect.equal (m.ToInt32Array()) [| 1..6 |] "row-major"
                        let b = Tensor.FromArray(array2D [ [ true; false ] ] :> Array)
                        Expect.equal (b.ToBoolArray()) [| true; false |] "bool[,]"
                    }
                    test "one-element tensors keep every dtype's value exactly, inline" {
                        let big = (1L <<< 62) + 1L
                        Expect.equal ((Tensor.FromArray [| big |]).ToInt64Array()) [| big |] "int64 beyond 2^53"

                        Expect.equal
                            ((Tensor.FromArray [| Int32.MinValue |]).ToInt32Array())
                            [| Int32.MinValue |]
                            "int32"

                        Expect.equal ((Tensor.FromArray [| true |]).ToBoolArray()) [| true |] "bool"
                        Expect.equal ((Tensor.FromArray [| -7L |]).Item()) -7.0 "Item as a double"
                    }
                    test "zeros, ones, full, scalar, arange and eye take every dtype" {
                        for d in intTypes do
                            Expect.equal (Tensor.Zeros([| 3 |], d).ToArray()) [| 0.0; 0.0; 0.0 |] $"zeros {d}"
                            Expect.equal (Tensor.Ones([| 2 |], d).ToArray()) [| 1.0; 1.0 |] $"ones {d}"
                            Expect.equal (Tensor.Eye(2, d).ToArray()) [| 1.0; 0.0; 0.0; 1.0 |] $"eye {d}"
                            Expect.equal (Tensor.Zeros([| 3 |], d)).DType d $"dtype {d}"

                        Expect.equal (Tensor.Full([| 2 |], 2.7, DType.Int64).ToInt64Array()) [| 2L; 2L |] "truncated"
                        Expect.equal (Tensor.Full([| 2 |], -2.7, DType.Int32).ToInt32Array()) [| -2; -2 |] "toward 0"
                        Expect.equal (Tensor.Scalar(5.0, DType.Int32).ToInt32Array()) [| 5 |] "scalar"

                        Expect.equal
                            (Tensor.Arange(0.0, 5.0, 2.0, DType.Int64).ToInt64Array())
                            [| 0L; 2L; 4L |]
                            "arange"
                    }
                    test "random factories draw floats and refuse an integer dtype" {
                        raisesWith<DTypeMismatchException> "randomNormal" [ "randomNormal"; "int64" ] (fun () ->
                            Tensor.RandomNormal([| 2 |], 1, DType.Int64) |> ignore)

                        raisesWith<DTypeMismatchException> "randomUniform" [ "randomUniform"; "bool" ] (fun () ->
                            Tensor.RandomUniform([| 2 |], 1, 0.0, 1.0, DType.Bool) |> ignore)
                    }
                    test "int64 equality is exact beyond 2^53, where doubles would merge them" {
                        let a = Tensor.FromArray [| 1L <<< 53; 1L |]
                        let b = Tensor.FromArray [| (1L <<< 53) + 1L; 1L |]
                        Expect.isFalse (a.Equals b) "2^53 and 2^53 + 1 differ"
                        Expect.isTrue (a.Equals(Tensor.FromArray [| 1L <<< 53; 1L |])) "equal values"
                        Expect.isFalse (a.Equals(Tensor.FromArray [| 0; 1 |])) "another dtype"
                    }
                ]

            testList
                "printing, as PyTorch prints"
                [
                    test "integers right-aligned to one width, bools padded, the dtype named" {
                        Expect.equal
                            (shown (Tensor.FromArray([| 3L; -1L; 7L; 0L |], [| 2; 2 |])))
                            "tensor([[ 3, -1],\n        [ 7,  0]], dtype=int64)"
                            "int64"

                        Expect.equal
                            (shown (Tensor.FromArray [| 1; 2; 300 |]))
                            "tensor([  1,   2, 300], dtype=int32)"
                            "int32"

                        Expect.equal
                            (shown (Tensor.FromArray [| true; false; true |]))
                            "tensor([ True, False,  True], dtype=bool)"
                            "bool"

                        Expect.equal
                            (shown (Tensor.FromArray [| true; true |]))
                            "tensor([True, True], dtype=bool)"
                            "no pad"

                        Expect.equal (shown (Tensor.Scalar(5.0, DType.Int32))) "tensor(5, dtype=int32)" "scalar"

                        Expect.equal
                            (shown (Tensor.FromArray [| Int64.MaxValue |]))
                            "tensor([9223372036854775807], dtype=int64)"
                            "in full, not through a double"
                    }
                ]

            testList
                "conversions"
                [
                    test "floats to integers truncate toward zero; to bool, not zero (NaN too) is true" {
                        let x = Tensor.ofList [ 1.7; -2.5; 0.0; -0.9; 3.0 ]
                        Expect.equal ((x.ToDType DType.Int64).ToInt64Array()) [| 1L; -2L; 0L; 0L; 3L |] "int64"
                        Expect.equal ((x.ToDType DType.Int32).ToInt32Array()) [| 1; -2; 0; 0; 3 |] "int32"

                        Expect.equal
                            ((Tensor.ofList [ 0.0; -0.0; 2.0; nan ]).ToDType(DType.Bool).ToBoolArray())
                            [| false; false; true; true |]
                            "bool"

                        Expect.equal
                            ((Tensor.ofArray32 [| 2.9f; -0.5f |]).ToDType(DType.Int64).ToInt64Array())
                            [| 2L; 0L |]
                            "from float32"
                    }
                    test "bools are 0 and 1; integers to floats round to nearest; int32 to int64 is exact" {
                        let b = Tensor.FromArray [| true; false |]
                        equalValues "bool to float64" (b.ToDType DType.Float64) [| 1.0; 0.0 |]
                        Expect.equal ((b.ToDType DType.Int64).ToInt64Array()) [| 1L; 0L |] "bool to int64"
                        let big = Tensor.FromArray [| (1L <<< 53) + 1L; -3L |]
                        equalValues "int64 to float64" (big.ToDType DType.Float64) [| 9007199254740992.0; -3.0 |]
                        Expect.equal ((big.ToDType DType.Float32).ToFloatArray()) [| 9007199254740992.0f; -3.0f |] "f32"
                        let i = Tensor.FromArray [| Int32.MinValue; 5 |]
                        Expect.equal ((i.ToDType DType.Int64).ToInt64Array()) [| int64 Int32.MinValue; 5L |] "int32 up"
                        Expect.equal ((i.ToDType DType.Bool).ToBoolArray()) [| true; true |] "int32 to bool"
                    }
                    test "a value an integer dtype cannot hold is an error naming the element, not garbage" {
                        for v, why in [ nan, "NaN"; infinity, "infinity"; 1e19, "out of its range" ] do
                            raisesWith<OverflowException> $"{v}" [ "toDType"; "element 1"; "int64"; why ] (fun () ->
                                (Tensor.ofList [ 0.0; v ]).ToDType DType.Int64 |> ignore)

                        raisesWith<OverflowException> "int64 to int32" [ "int32"; "out of its range" ] (fun () ->
                            (Tensor.FromArray [| 1L <<< 40 |]).ToDType DType.Int32 |> ignore)

                        raisesWith<OverflowException> "3e9 to int32" [ "int32" ] (fun () ->
                            (Tensor.ofList [ 3e9 ]).ToDType DType.Int32 |> ignore)
                    }
                ]

            testList
                "layout and indexing ops move every dtype's elements"
                [
                    for name, op in layouts do
                        test name {
                            for d in intTypes do
                                let t = sample.ToDType d
                                let r = op t
                                Expect.equal r.DType d $"{name} keeps {d}"
                                bitwise $"{name} on {d}" (op (asFloat d sample)) (r.ToDType DType.Float64)
                        }
                ]

            testList
                "errors"
                [
                    test "an op that computes with floats refuses integers, naming the op, the argument and the fix" {
                        let i = Tensor.FromArray [| 1L; 2L |]

                        for what, f in
                            [
                                "Exp", (fun () -> i.Exp() |> ignore)
                                "Tanh", (fun () -> i.Tanh() |> ignore)
                                "Div", (fun () -> (i / i) |> ignore)
                                "mul", (fun () -> (Tensor.ofList [ 1.0; 2.0 ] * i) |> ignore)
                            ] do
                            raisesWith<DTypeMismatchException> what [ what; "int64" ] f

                        raisesWith<DTypeMismatchException>
                            "second argument"
                            [ "argument 1"; "bool"; "ToDType(DType.Float64)" ]
                            (fun () -> (Tensor.ofList [ 1.0 ]).Pow(Tensor.FromArray [| true |]) |> ignore)
                    }
                    test "integer and bool tensors are never differentiated, and saying so names the function" {
                        let i = Tensor.FromArray [| 1L; 2L |]

                        for what, f in
                            [
                                "grad", (fun () -> grad (fun x -> x) i |> ignore)
                                "vjp", (fun () -> vjp (fun x -> x) i |> ignore)
                                "jvp", (fun () -> jvp (fun x -> x) i i |> ignore)
                                "requiresGrad", (fun () -> i.RequiresGrad() |> ignore)
                                "gradOf",
                                (fun () ->
                                    gradOf (fun (x: Tensor, _: Tensor) -> x.Sum()) (Tensor.ofList [ 1.0 ], i)
                                    |> ignore)
                            ] do
                            raisesWith<DTypeMismatchException> what [ "never differentiated" ] f
                    }
                    test "converting a differentiated tensor to an integer dtype drops its derivative, as detach does" {
                        // d/dx [trunc(x)·x] with trunc a constant = trunc(x)
                        let f (x: Tensor) =
                            (x.ToDType(DType.Int64).ToDType(DType.Float64) * x).Sum()

                        equalValues "grad" (grad f (Tensor.ofList [ 1.5; -2.5 ])) [| 1.0; -2.0 |]
                        let x = (Tensor.ofList [ 1.5 ]).RequiresGrad()
                        Expect.isFalse (x.ToDType DType.Int64).RequiresGradient "no graph"
                    }
                ]

            testList
                "vmap and compile"
                [
                    test "vmap maps integer tensors, batched and beside floats" {
                        let ids = Tensor.FromArray([| 0L; 2L; 1L; 1L; 0L; 2L |], [| 2; 3 |])
                        let table = Tensor.ofList [ 10.0; 20.0; 30.0 ]

                        let pick (row: Tensor) =
                            row.ToDType(DType.Float64).Reshape([| 3; 1 |]).Transpose() + table

                        let loop = Tensor.Stack([| for i in 0..1 -> pick ids.[i] |])
                        bitwise "vmap = loop" loop (vmap pick ids)
                        bitwise "a transpose of ints" (ids.Transpose()) (vmapAxes 1 0 (fun c -> c) ids)
                    }
                    test "compile traces integer inputs and outputs like any other" {
                        use _ = Device.Use Device.Managed // compiled programs run on the managed device

                        let f (ids: Tensor) =
                            Tensor.Concat([| ids.Transpose(); ids.Transpose() |], 0)

                        let c = compile f
                        let ids = Tensor.FromArray([| 1; 2; 3; 4; 5; 6 |], [| 2; 3 |])
                        bitwise "compiled = eager" (f ids) (c ids)
                        bitwise "again" (f ids) (c ids)
                        Expect.stringContains (explain c ids) "int32" "the listing names the dtype"
                        let mask = Tensor.FromArray [| true; false |]

                        bitwise
                            "bool through compile"
                            mask
                            (compile (fun (m: Tensor) -> m.Reshape([| 1; 2 |]).Flatten()) mask)
                    }
                ]

            testList
                "masks: comparisons, where, logic"
                [
                    test "comparisons give bool masks: NaN equals nothing, int64 compares exactly, bools compare" {
                        let x = Tensor.ofList [ 1.0; nan; 3.0 ]
                        let y = Tensor.ofList [ 1.0; nan; 2.0 ]
                        Expect.equal ((x.Eq y).ToBoolArray()) [| true; false; false |] "eq"
                        Expect.equal ((x.Ne y).ToBoolArray()) [| false; true; true |] "ne"
                        Expect.equal ((x.Gt y).ToBoolArray()) [| false; false; true |] "gt"
                        Expect.equal (x.Eq y).DType DType.Bool "bool"
                        let a = Tensor.FromArray [| 1L <<< 53; 5L |]
                        let b = Tensor.FromArray [| (1L <<< 53) + 1L; 5L |]
                        Expect.equal ((a.Lt b).ToBoolArray()) [| true; false |] "2^53 < 2^53 + 1, not equal as doubles"
                        Expect.equal ((a.Le b).ToBoolArray()) [| true; true |] "le"
                        let t, f = Tensor.FromArray [| true; false |], Tensor.FromArray [| true; true |]
                        Expect.equal ((t.Eq f).ToBoolArray()) [| true; false |] "bools"

                        Expect.equal
                            (shapeOf ((Tensor.ofList [ 1.0; 2.0 ]).Unsqueeze(1).Lt(Tensor.ofList [ 1.5; 2.5; 0.0 ])))
                            [| 2; 3 |]
                            "broadcast"

                        raisesWith<DTypeMismatchException> "mixed" [ "eq"; "int64"; "float64" ] (fun () ->
                            a.Eq(Tensor.ofList [ 1.0; 2.0 ]) |> ignore)
                    }
                    test "where takes a bool mask, picks from any dtype, and sends gradients to the chosen side" {
                        let m = Tensor.FromArray [| true; false; true |]
                        let x = Tensor.ofList [ 1.0; 2.0; 3.0 ]
                        equalValues "floats" (Tensor.Where(m, x, -x)) [| 1.0; -2.0; 3.0 |]

                        Expect.equal
                            ((Tensor.Where(m, Tensor.FromArray [| 1L; 2L; 3L |], Tensor.FromArray [| 0L |]))
                                .ToInt64Array())
                            [| 1L; 0L; 3L |]
                            "int64"

                        equalValues
                            "gradient"
                            (grad (fun x -> (Tensor.Where(m, x, 2.0 * x)).Sum()) x)
                            [| 1.0; 2.0; 1.0 |]

                        raisesWith<DTypeMismatchException>
                            "a float mask"
                            [ "where"; "float64"; "bool"; "ToDType(DType.Bool)" ]
                            (fun () -> Tensor.Where(Tensor.ofList [ 1.0; 0.0; 1.0 ], x, x) |> ignore)
                    }
                    test "a mask made from a tensor being differentiated carries no graph" {
                        // d/dx [x·(x > 0)] = (x > 0), the mask a constant
                        let f (x: Tensor) =
                            (x * x.Gt(x.Const 0.0).ToDType x.DType).Sum()

                        equalValues "grad" (grad f (Tensor.ofList [ -1.5; 2.0 ])) [| 0.0; 1.0 |]
                        let w = (Tensor.ofList [ 1.0 ]).RequiresGrad()
                        Expect.isFalse (w.Gt(w.Const 0.0)).RequiresGradient "no graph"
                    }
                    test "logic: truth tables, any dtype true where not zero, and the operators" {
                        let p = Tensor.FromArray [| true; true; false; false |]
                        let q = Tensor.FromArray [| true; false; true; false |]
                        Expect.equal ((p.LogicalAnd q).ToBoolArray()) [| true; false; false; false |] "and"
                        Expect.equal ((p.LogicalOr q).ToBoolArray()) [| true; true; true; false |] "or"
                        Expect.equal ((p.LogicalXor q).ToBoolArray()) [| false; true; true; false |] "xor"
                        Expect.equal ((p.LogicalNot()).ToBoolArray()) [| false; false; true; true |] "not"
                        Expect.isTrue ((p &&& q).Equals(p.LogicalAnd q)) "&&&"
                        Expect.isTrue ((p ||| q).Equals(p.LogicalOr q)) "|||"
                        Expect.isTrue ((p ^^^ q).Equals(p.LogicalXor q)) "^^^"
                        let n = Tensor.ofList [ 2.0; 0.0; nan; -0.0 ]

                        Expect.equal
                            ((n.LogicalAnd(Tensor.FromArray [| 5L |])).ToBoolArray())
                            [| true; false; true; false |]
                            "numbers"
                    }
                    test "any, all and countNonzero over axes match loops, keepDims too, and the empty cases" {
                        let values = [| 0.0; 1.0; 0.0; 2.0; 0.0; 0.0; 3.0; 4.0; 5.0; 0.0; 0.0; 6.0 |]
                        let x = Tensor.FromArray(values, [| 2; 2; 3 |])
                        let at i j k = values[i * 6 + j * 3 + k] <> 0.0

                        let over1 f =
                            [|
                                for i in 0..1 do
                                    for k in 0..2 -> f [ for j in 0..1 -> at i j k ]
                            |]

                        Expect.equal ((x.Any([| 1 |])).ToBoolArray()) (over1 (List.exists id)) "any over axis 1"
                        Expect.equal ((x.All([| 1 |])).ToBoolArray()) (over1 (List.forall id)) "all over axis 1"

                        Expect.equal
                            ((x.CountNonzero([| 1 |])).ToInt64Array())
                            (over1 (fun l -> l |> List.filter id |> List.length |> int64))
                            "count over axis 1"

                        Expect.equal (shapeOf (x.Any([| -1 |], true))) [| 2; 2; 1 |] "keepDims"
                        Expect.equal ((x.CountNonzero()).ToInt64Array()) [| 6L |] "count of all"
                        Expect.equal (x.CountNonzero()).DType DType.Int64 "an int64 count"
                        let empty = Tensor.Zeros([| 0 |], DType.Bool)

                        Expect.equal
                            ((empty.Any()).ToBoolArray(), (empty.All()).ToBoolArray())
                            ([| false |], [| true |])
                            "empty"
                    }
                    test "isNan, isInf and isFinite at every special value; integers are all finite" {
                        let x = Tensor.ofList [ 1.0; nan; infinity; -infinity; -0.0; 5e-324 ]
                        Expect.equal ((x.IsNan()).ToBoolArray()) [| false; true; false; false; false; false |] "isNan"
                        Expect.equal ((x.IsInf()).ToBoolArray()) [| false; false; true; true; false; false |] "isInf"

                        Expect.equal
                            ((x.IsFinite()).ToBoolArray())
                            [| true; false; false; false; true; true |]
                            "isFinite"

                        let f32 = x.ToDType DType.Float32

                        Expect.equal
                            ((f32.IsFinite()).ToBoolArray())
                            [| true; false; false; false; true; true |]
                            "float32"

                        let i = Tensor.FromArray [| 1; -1 |]

                        Expect.equal
                            ((i.IsNan()).ToBoolArray(), (i.IsFinite()).ToBoolArray())
                            ([| false; false |], [| true; true |])
                            "ints"
                    }
                    test "masks under vmap and compile: the loop's and eager's values" {
                        let rows = Tensor.FromArray([| 1.0; -2.0; 0.0; -1.0; -3.0; 4.0 |], [| 2; 3 |])
                        let f (r: Tensor) = r.Gt(r.Const 0.0).Any()
                        Expect.equal ((vmap f rows).ToBoolArray()) [| true; true |] "vmap = loop"

                        let g (r: Tensor) =
                            Tensor.Where(r.Lt(r.Const 0.0), -r, r).Sum()

                        bitwise "vmap of where" (Tensor.Stack([| g rows.[0]; g rows.[1] |])) (vmap g rows)
                        use _ = Device.Use Device.Managed
                        bitwise "compile of where" (g rows) (compile g rows)

                        Expect.isTrue
                            ((compile (fun (r: Tensor) -> r.Gt(r.Const 0.0)) rows).Equals(rows.Gt(rows.Const 0.0)))
                            "compile of a mask"
                    }
                ]

            testList
                "integer arithmetic"
                [
                    test "+, −, ×, negation on int64 and int32, broadcasting, against loops; overflow wraps" {
                        let a = [| 7L; -3L; 0L; 12L; -8L; 5L |]
                        let b = [| 2L; 5L; -4L |]
                        let ta = Tensor.FromArray(a, [| 2; 3 |])
                        let tb = Tensor.FromArray b
                        let loop f = Array.init 6 (fun i -> f a[i] b[i % 3])
                        Expect.equal ((ta + tb).ToInt64Array()) (loop (+)) "add"
                        Expect.equal ((ta - tb).ToInt64Array()) (loop (-)) "sub"
                        Expect.equal ((ta * tb).ToInt64Array()) (loop (*)) "mul"
                        Expect.equal ((-ta).ToInt64Array()) (a |> Array.map (~-)) "neg"
                        let i32 = (ta.ToDType DType.Int32 * tb.ToDType DType.Int32)
                        Expect.equal (i32.DType, i32.ToInt32Array()) (DType.Int32, loop (*) |> Array.map int) "int32"

                        Expect.equal
                            ((Tensor.FromArray [| Int64.MaxValue |] + Tensor.FromArray [| 1L |]).ToInt64Array())
                            [| Int64.MinValue |]
                            "wraps"
                    }
                    test "numbers that are integers combine with integer tensors; others are an error" {
                        let t = Tensor.FromArray [| 1L; 2L |]
                        Expect.equal ((t * 3.0 + 1.0).ToInt64Array()) [| 4L; 7L |] "x·3 + 1"
                        Expect.equal ((10.0 - t).ToInt64Array()) [| 9L; 8L |] "10 − x"
                        Expect.equal ((t - 1.0).DType) DType.Int64 "stays int64"

                        raisesWith<DTypeMismatchException> "x·2.5" [ "mul"; "2.5"; "ToDType(DType.Float64)" ] (fun () ->
                            t * 2.5 |> ignore)

                        raisesWith<DTypeMismatchException> "int + float" [ "add"; "int64"; "float64" ] (fun () ->
                            t + Tensor.ofList [ 1.0; 2.0 ] |> ignore)

                        raisesWith<DTypeMismatchException> "bool + bool" [ "bool" ] (fun () ->
                            Tensor.FromArray [| true |] + Tensor.FromArray [| true |] |> ignore)
                    }
                    test "floor division and remainder of integers are Python's: toward −∞, the divisor's sign" {
                        let a = [| 7L; -7L; 7L; -7L; 0L; 6L |]
                        let b = [| 2L; 2L; -2L; -2L; 3L; 3L |]
                        // the reference: floor of the exact quotient, in decimal arithmetic
                        let q =
                            Array.map2 (fun (x: int64) (y: int64) -> int64 (Math.Floor(decimal x / decimal y))) a b

                        let r =
                            Array.map2
                                (fun (x: int64) (y: int64) -> x - y * int64 (Math.Floor(decimal x / decimal y)))
                                a
                                b

                        let ta, tb = Tensor.FromArray a, Tensor.FromArray b
                        Expect.equal ((ta.FloorDivide tb).ToInt64Array()) q "floor division"
                        Expect.equal ((ta.Remainder tb).ToInt64Array()) r "remainder"
                        Expect.equal ((ta % tb).ToInt64Array()) r "%"
                        Expect.equal (r[1], r[2]) (1L, -1L) "−7 % 2 = 1 and 7 % −2 = −1, as Python"

                        raisesWith<DivideByZeroException> "by zero" [ "floorDivide"; "element 1"; "0" ] (fun () ->
                            ta.FloorDivide(Tensor.FromArray [| 1L; 0L; 1L; 1L; 1L; 1L |]) |> ignore)
                    }
                    test "floor division and remainder of floats are Python's, exactly (1 // 0.1 is 9)" {
                        // CPython: 1 // 0.1 == 9.0, 1 % 0.1 == 0.09999999999999995, -7.5 // 2 == -4.0, -7.5 % 2 == 0.5,
                        // 7.5 % -2 == -0.5, 6.0 % 3.0 == 0.0 and -6.0 % 3.0 == 0.0 (with the divisor's sign)
                        let a = Tensor.ofList [ 1.0; -7.5; 7.5; 6.0; -6.0 ]
                        let b = Tensor.ofList [ 0.1; 2.0; -2.0; 3.0; 3.0 ]
                        equalValues "floor division" (a.FloorDivide b) [| 9.0; -4.0; -4.0; 2.0; -2.0 |]
                        equalValues "remainder" (a % b) [| 0.09999999999999995; 0.5; -0.5; 0.0; 0.0 |]
                        // the remainder's derivatives: 1 for a, −(a // b) for b
                        let x, y = Tensor.ofList [ 7.5 ], Tensor.ofList [ 2.0 ]
                        equalValues "∂/∂a" (grad (fun a -> (a % y).Sum()) x) [| 1.0 |]
                        equalValues "∂/∂b" (grad (fun b -> (x % b).Sum()) y) [| -3.0 |]
                    }
                    test "sum (as int64), max and min of integers and bools over axes, against loops" {
                        let v = [| 3; -1; 4; 1; -5; 9 |]
                        let t = Tensor.FromArray(v, [| 2; 3 |])
                        let s = t.Sum([| 1 |])
                        Expect.equal (s.DType, s.ToInt64Array()) (DType.Int64, [| 6L; 5L |]) "sum over axis 1, int64"
                        Expect.equal ((t.Max([| 0 |])).ToInt32Array()) [| 3; -1; 9 |] "max over axis 0"
                        Expect.equal ((t.Min()).ToInt32Array()) [| -5 |] "min of all"
                        Expect.equal (t.Max()).DType DType.Int32 "keeps int32"
                        Expect.equal (shapeOf (t.Sum([| 0 |], true))) [| 1; 3 |] "keepDims"
                        let m = Tensor.FromArray [| true; false; true |]
                        Expect.equal ((m.Sum()).ToInt64Array()) [| 2L |] "a count of bools"
                        Expect.equal ((m.Max()).DType, (m.Max()).ToBoolArray()) (DType.Bool, [| true |]) "max of bools"
                    }
                    test "integer arithmetic under vmap and compile: the loop's values" {
                        let rows = Tensor.FromArray([| 1L; 2L; 3L; 4L; 5L; 6L |], [| 2; 3 |])
                        let f (r: Tensor) = r * 2.0 + r.Sum() - r.Max()
                        let loop = Tensor.Stack([| f rows.[0]; f rows.[1] |])
                        Expect.isTrue ((vmap f rows).Equals loop) "vmap = loop"
                        use _ = Device.Use Device.Managed
                        Expect.isTrue ((compile f rows.[1]).Equals(f rows.[1])) "compile = eager"
                    }
                ]
        ]
