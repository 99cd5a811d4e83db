/// Sorting and selection (Ops/Sorting.cs) against plain loops over .NET arrays: every axis of several shapes, values
/// drawn from a few integers so that ties are everywhere, NaN and −0 among them, every dtype; the gradient's path to
/// the picked positions; vmap with batched and shared arguments; Unique's refusals under vmap and compile; errors
/// that name the op, the axis and the valid range. Finite differences, vmap against a loop and compile are the spec
/// rows' (OpSpec.fs: "argmax-argmin" to "searchsorted").
module Ops.SortingTests

open System
open Expecto
open FuncGrad
open Support.Check

// ---- the reference: a stable sort of each line's (value, position) pairs by F#'s List.sortWith ----

/// Ascending order with NaN above every number (and −0 equal to +0).
let private ascending (a: float) (b: float) =
    match Double.IsNaN a, Double.IsNaN b with
    | true, true -> 0
    | true, false -> 1
    | false, true -> -1
    | _ ->
        if a < b then -1
        elif a > b then 1
        else 0

/// The lines of a row-major array of `shape` along `axis`, each as its elements' flat offsets, in the order
/// (outer, inner) that results of [outer, k, inner] lay them out.
let private lines (shape: int[]) (axis: int) =
    let outer = Array.fold (*) 1 shape[.. axis - 1]
    let inner = Array.fold (*) 1 shape[axis + 1 ..]
    let n = shape[axis]

    [
        for o in 0 .. outer - 1 do
            for i in 0 .. inner - 1 do
                [ for j in 0 .. n - 1 -> (o * n + j) * inner + i ]
    ],
    outer,
    inner

/// Per line, positions picked by `pick` (from the line's values), laid out [outer, k, inner] as the ops give them.
let private perLine (x: float[]) (shape: int[]) (axis: int) (k: int) (pick: float list -> int list) =
    let ls, _, inner = lines shape axis
    let out = Array.zeroCreate (ls.Length * k)

    ls
    |> List.iteri (fun l offsets ->
        let o, i = l / inner, l % inner
        let positions = pick (offsets |> List.map (fun f -> x[f]))
        positions |> List.iteri (fun r p -> out[(o * k + r) * inner + i] <- int64 p))

    out

/// Positions of a line in stable order (List.sortWith is stable): ascending, or descending with equal elements
/// still in position order.
let private stableOrder (descending: bool) (values: float list) =
    values
    |> List.mapi (fun j v -> j, v)
    |> List.sortWith (fun (_, a) (_, b) -> if descending then ascending b a else ascending a b)
    |> List.map fst

let private firstNan (values: float list) =
    values |> List.tryFindIndex Double.IsNaN

let private argExtreme (largest: bool) (values: float list) =
    match firstNan values with
    | Some j -> [ j ]
    | None ->
        let best = if largest then List.max values else List.min values
        [ values |> List.findIndex (fun v -> v = best) ]

let private median (values: float list) =
    match firstNan values with
    | Some j -> [ j ]
    | None -> [ (stableOrder false values)[(values.Length - 1) / 2] ]

// ---- data ----

/// Values from {-2, -1, -0, 0, 1, 2} and NaN: ties everywhere, −0 beside +0.
let private tied (rng: Random) (withNan: bool) (shape: int[]) =
    let n = Array.fold (*) 1 shape

    let v =
        Array.init n (fun _ ->
            match rng.Next 14 with
            | 0 when withNan -> nan
            | 1 -> -0.0
            | r -> float (r % 5 - 2))

    Tensor.FromArray(v, shape)

let private shapes =
    [ [| 7 |]; [| 4; 6 |]; [| 3; 5; 4 |]; [| 6; 1; 4 |]; [| 2; 3; 2; 5 |] ]

let private dtypes = [ DType.Float64; DType.Float32; DType.Int64; DType.Int32 ]

/// Every (tensor, axis) case: each shape and axis, each dtype (NaN only in floats), from one seed.
let private cases seed =
    let rng = Random seed

    [
        for dtype in dtypes do
            for shape in shapes do
                let x = (tied rng (dtype.IsFloat()) shape).ToDType dtype

                for axis in 0 .. shape.Length - 1 do
                    x, axis
    ]

let private what (x: Tensor) axis =
    $"""{x.DType.Name()} [{String.Join("x", shapeOf x)}] axis {axis}"""

/// Bits of floats, so NaN compares equal to NaN (values are copied, never computed).
let private bitsOf (t: Tensor) =
    t.ToArray() |> Array.map BitConverter.DoubleToInt64Bits

let private sameValues (what: string) (actual: Tensor) (expected: float[]) =
    Expect.equal (bitsOf actual) (expected |> Array.map BitConverter.DoubleToInt64Bits) what

/// The flat offsets in x (of `shape`) of positions along `axis` laid out [outer, k, inner].
let private offsetsAt (shape: int[]) (axis: int) (k: int) (positions: int64[]) =
    let _, _, inner = lines shape axis
    let n = shape[axis]

    positions
    |> Array.mapi (fun f p ->
        let o, i = f / (k * inner), f % inner
        (o * n + int p) * inner + i)

let private valuesAt (x: float[]) (shape: int[]) (axis: int) (k: int) (positions: int64[]) =
    offsetsAt shape axis k positions |> Array.map (fun f -> x[f])

let private keptShape (shape: int[]) axis k =
    shape |> Array.mapi (fun a d -> if a = axis then k else d)

let private droppedShape (shape: int[]) axis =
    shape
    |> Array.indexed
    |> Array.filter (fun (a, _) -> a <> axis)
    |> Array.map snd

[<Tests>]
let tests =
    testList
        "sorting"
        [
            testList
                "values against loops (ties, NaN, −0, every dtype and axis)"
                [
                    test "argmax and argmin: the first of equal extremes, the first NaN, keepDims, all elements" {
                        for x, axis in cases 1 do
                            let v = x.ToArray()
                            let shape = shapeOf x

                            for largest in [ true; false ] do
                                let expected = perLine v shape axis 1 (argExtreme largest)

                                let kept =
                                    if largest then
                                        x.Argmax(axis, true)
                                    else
                                        x.Argmin(axis, true)

                                let dropped =
                                    if largest then
                                        x.Argmax(axis - shape.Length)
                                    else
                                        x.Argmin(axis)

                                Expect.equal kept.DType DType.Int64 "int64 positions"
                                Expect.equal (shapeOf kept) (keptShape shape axis 1) $"{what x axis}: kept shape"
                                Expect.equal (shapeOf dropped) (droppedShape shape axis) $"{what x axis}: shape"
                                Expect.equal (kept.ToInt64Array()) expected $"{what x axis}: largest {largest}"
                                Expect.equal (dropped.ToInt64Array()) expected $"{what x axis}: without keepDims"

                                let all = if largest then x.Argmax() else x.Argmin()
                                Expect.equal (shapeOf all) [||] "a scalar over all elements"

                                Expect.equal
                                    (all.ToInt64Array())
                                    [| int64 (argExtreme largest (List.ofArray v)).Head |]
                                    $"{what x axis}: flattened"

                                let allKept =
                                    if largest then
                                        x.Argmax(keepDims = true)
                                    else
                                        x.Argmin(keepDims = true)

                                Expect.equal (shapeOf allKept) (Array.create shape.Length 1) "all axes kept"
                    }

                    test "maxWithIndices and minWithIndices: the element at the index, which is argmax's" {
                        for x, axis in cases 2 do
                            let v = x.ToArray()
                            let shape = shapeOf x

                            for largest in [ true; false ] do
                                let struct (values, indices) =
                                    if largest then
                                        x.MaxWithIndices(axis)
                                    else
                                        x.MinWithIndices(axis, false)

                                let expected = perLine v shape axis 1 (argExtreme largest)
                                Expect.equal (indices.ToInt64Array()) expected $"{what x axis}: indices"
                                Expect.equal values.DType x.DType "values keep the dtype"
                                sameValues $"{what x axis}: values" values (valuesAt v shape axis 1 expected)

                                // Max's and Min's values but for the signs of zeros and NaN: Max(−0, +0) is +0,
                                // where the first of the two equal elements is picked here, as PyTorch's max does
                                if x.DType.IsFloat() then
                                    let reduced = if largest then x.Max([| axis |]) else x.Min([| axis |])

                                    let plain (t: Tensor) =
                                        t.ToArray() |> Array.map (fun v -> if Double.IsNaN v then nan else v + 0.0)

                                    let bits = Array.map BitConverter.DoubleToInt64Bits
                                    Expect.equal (bits (plain values)) (bits (plain reduced)) "as Max and Min"
                    }

                    test "sort and argsort: stable both ways, NaN last ascending and first descending" {
                        for x, axis in cases 3 do
                            let v = x.ToArray()
                            let shape = shapeOf x
                            let n = shape[axis]

                            for descending in [ false; true ] do
                                let expected = perLine v shape axis n (stableOrder descending)
                                let struct (values, indices) = x.Sort(axis, descending)
                                Expect.equal (indices.ToInt64Array()) expected $"{what x axis}: desc {descending}"
                                sameValues $"{what x axis}: values" values (valuesAt v shape axis n expected)

                                Expect.equal
                                    (x.Argsort(axis - shape.Length, descending).ToInt64Array())
                                    expected
                                    $"{what x axis}: argsort"
                    }

                    test "topk: the first k of the stable order, largest or smallest, every k" {
                        for x, axis in cases 4 do
                            let v = x.ToArray()
                            let shape = shapeOf x
                            let n = shape[axis]

                            for largest in [ true; false ] do
                                for k in 0..n do
                                    let expected = perLine v shape axis k (fun l -> List.take k (stableOrder largest l))

                                    let struct (values, indices) = x.Topk(k, axis, largest)
                                    Expect.equal (shapeOf indices) (keptShape shape axis k) "shape"
                                    let w = $"{what x axis}: k {k} largest {largest}"
                                    Expect.equal (indices.ToInt64Array()) expected w
                                    sameValues w values (valuesAt v shape axis k expected)
                    }

                    test "topk on long lines: the insertion path with its vector skip, and the sorting path" {
                        let rng = Random 5

                        for dtype in dtypes do
                            for n in [ 9; 100; 301; 1024 ] do
                                // few ties, many ties, and rising or falling lines (every element joins the best)
                                let draws =
                                    [
                                        Tensor.RandomNormal([| 3; n |], rng)
                                        tied rng (dtype.IsFloat()) [| 3; n |]
                                        Tensor.Arange(0.0, float (3 * n)).Reshape([| 3; n |])
                                        Tensor.Arange(float (3 * n), 0.0, -1.0).Reshape([| 3; n |])
                                    ]

                                for x in draws do
                                    let x = (if dtype.IsFloat() then x else (x * 10.0).ToDType dtype).ToDType dtype
                                    let v = x.ToArray()

                                    for k in [ 1; 3; 10; 32; 33; n ] |> List.filter (fun k -> k <= n) do
                                        for largest in [ true; false ] do
                                            let expected =
                                                perLine v [| 3; n |] 1 k (fun l -> List.take k (stableOrder largest l))

                                            let struct (_, indices) = x.Topk(k, 1, largest)

                                            Expect.equal
                                                (indices.ToInt64Array())
                                                expected
                                                $"{dtype.Name()} n {n} k {k} largest {largest}"
                    }

                    test "kthvalue: rank k of the stable ascending order, every k; median: rank (n - 1) / 2 or NaN" {
                        for x, axis in cases 6 do
                            let v = x.ToArray()
                            let shape = shapeOf x
                            let n = shape[axis]

                            for k in 1..n do
                                let expected = perLine v shape axis 1 (fun l -> [ (stableOrder false l)[k - 1] ])
                                let struct (values, indices) = x.Kthvalue(k, axis, true)
                                Expect.equal (indices.ToInt64Array()) expected $"{what x axis}: k {k}"
                                sameValues $"{what x axis}: k {k}" values (valuesAt v shape axis 1 expected)

                            let expected = perLine v shape axis 1 median
                            let struct (values, indices) = x.Median(axis)
                            Expect.equal (shapeOf values) (droppedShape shape axis) "median's shape"
                            Expect.equal (indices.ToInt64Array()) expected $"{what x axis}: median"
                            sameValues $"{what x axis}: median" values (valuesAt v shape axis 1 expected)

                            let all = List.ofArray v
                            sameValues $"{what x axis}: median of all" (x.Median()) [| all[(median all).Head] |]
                    }

                    test "the lower median of an even count, as PyTorch's" {
                        let struct (m, i) = (Tensor.FromArray [| 4.0; 1.0; 3.0; 2.0 |]).Median(0)
                        equalValues "median of 1, 2, 3, 4" m [| 2.0 |]
                        Expect.equal (i.ToInt64Array()) [| 3L |] "at position 3"
                    }

                    test "searchsorted: counts of elements below (left) or not above (right), NaN above all" {
                        let rng = Random 7

                        let count right (s: float list) (v: float) =
                            s
                            |> List.filter (fun e -> if right then ascending e v <= 0 else ascending e v < 0)
                            |> List.length
                            |> int64

                        for dtype in dtypes do
                            let sortedLines (shape: int[]) =
                                let struct (s, _) = (tied rng (dtype.IsFloat()) shape).ToDType(dtype).Sort()
                                s

                            for seqShape, valueShape in
                                [
                                    [| 6 |], [| 4; 3 |]
                                    [| 6 |], [||]
                                    [| 0 |], [| 3 |]
                                    [| 3; 5 |], [| 3; 4 |]
                                    [| 2; 2; 4 |], [| 2; 2; 3 |]
                                ] do
                                let s = sortedLines seqShape
                                let values = (tied rng (dtype.IsFloat()) valueShape).ToDType dtype
                                let sv, vv = s.ToArray(), values.ToArray()
                                let n = seqShape[seqShape.Length - 1]

                                let m =
                                    if seqShape.Length = 1 then
                                        vv.Length
                                    else
                                        valueShape[valueShape.Length - 1]

                                for right in [ false; true ] do
                                    let expected =
                                        vv
                                        |> Array.mapi (fun f v ->
                                            let line = if seqShape.Length = 1 then 0 else f / m
                                            count right (List.ofArray sv[line * n .. line * n + n - 1]) v)

                                    let r = Tensor.Searchsorted(s, values, right)
                                    Expect.equal (shapeOf r) valueShape "the values' shape"
                                    Expect.equal (r.ToInt64Array()) expected $"{dtype.Name()} {seqShape} right {right}"
                    }

                    test "unique: sorted distinct values, each NaN its own, inverse and counts" {
                        let rng = Random 8

                        for dtype in dtypes do
                            for shape in [ [| 0 |]; [| 1 |]; [| 9 |]; [| 3; 5 |] ] do
                                let x = (tied rng (dtype.IsFloat()) shape).ToDType dtype
                                let v = x.ToArray()
                                let order = stableOrder false (List.ofArray v)
                                // runs of equal values in stable order; a NaN equals nothing
                                let groups =
                                    order
                                    |> List.fold
                                        (fun (acc: int list list) j ->
                                            match acc with
                                            | (h :: _ as g) :: rest when v[h] = v[j] -> (g @ [ j ]) :: rest
                                            | _ -> [ j ] :: acc)
                                        []
                                    |> List.rev

                                let struct (values, inverse, counts) = x.Unique()
                                let w = $"{dtype.Name()} {shape}"
                                sameValues w values (groups |> List.map (fun g -> v[g.Head]) |> Array.ofList)
                                Expect.equal values.DType x.DType "the dtype kept"
                                Expect.equal (shapeOf inverse) shape "inverse has the input's shape"

                                let expectedInverse = Array.zeroCreate v.Length

                                groups
                                |> List.iteri (fun gi g ->
                                    for j in g do
                                        expectedInverse[j] <- int64 gi)

                                Expect.equal (inverse.ToInt64Array()) expectedInverse $"{w}: inverse"

                                Expect.equal
                                    (counts.ToInt64Array())
                                    (groups |> List.map (fun g -> int64 g.Length) |> Array.ofList)
                                    $"{w}: counts"

                        let struct (b, bi, bc) = (Tensor.FromArray [| true; false; true |]).Unique()
                        Expect.equal (b.ToBoolArray()) [| false; true |] "bool values"
                        Expect.equal (bi.ToInt64Array()) [| 1L; 0L; 1L |] "bool inverse"
                        Expect.equal (bc.ToInt64Array()) [| 1L; 2L |] "bool counts"
                    }

                    test "lines long enough to be split over the cores give the loop's results" {
                        let x = tied (Random 9) true [| 64; 700 |]
                        let v = x.ToArray()
                        let sorted = perLine v [| 64; 700 |] 1 700 (stableOrder true)
                        Expect.equal (x.Argsort(1, true).ToInt64Array()) sorted "argsort"
                        let struct (_, top) = x.Topk(5, 1)

                        Expect.equal
                            (top.ToInt64Array())
                            (perLine v [| 64; 700 |] 1 5 (fun l -> List.take 5 (stableOrder true l)))
                            "topk"

                        let struct (_, m) = x.Transpose().Median(0)
                        Expect.equal (m.ToInt64Array()) (perLine v [| 64; 700 |] 1 1 median) "median along axis 0"
                    }

                    test "a scalar is one element along axis 0 or -1, as in PyTorch" {
                        let x = Tensor.Scalar 3.0
                        Expect.equal (x.Argmax(0).ToInt64Array()) [| 0L |] "argmax"
                        let struct (v, i) = x.Sort(-1)
                        Expect.equal (shapeOf v, shapeOf i) ([||], [||]) "sort keeps the scalar"
                        let struct (t, _) = x.Topk(1)
                        equalValues "topk" t [| 3.0 |]
                        let struct (m, _) = x.Median(0)
                        equalValues "median" m [| 3.0 |]

                        raises<AxisOutOfRangeException> "axis 1 of a scalar" (fun () -> x.Argsort(1) |> ignore)
                        |> ignore
                    }
                ]

            testList
                "gradients go to the picked positions"
                [
                    test "reverse and forward mode: the cotangent scattered to the indices, the tangent gathered" {
                        let rng = Random 11

                        // each op, the axis it picks along, and its indices with that axis kept
                        let ops: (string * int * (Tensor -> struct (Tensor * Tensor))) list =
                            [
                                "maxWithIndices", 1, (fun x -> x.MaxWithIndices(1, true))
                                "minWithIndices", 0, (fun x -> x.MinWithIndices(0, true))
                                "sort", 1, (fun x -> x.Sort(1, true))
                                "topk", 0, (fun x -> x.Topk(2, 0, false))
                                "kthvalue", 1, (fun x -> x.Kthvalue(3, 1, true))
                                "median", 1, (fun x -> x.Median(1, true))
                            ]

                        for name, axis, f in ops do
                            // ties and NaN included: the gradient goes to the returned index alone
                            let x = tied rng true [| 4; 5 |]
                            let struct (y, indices) = f x
                            let k = (shapeOf y)[axis]
                            let offsets = offsetsAt [| 4; 5 |] axis k (indices.ToInt64Array())
                            let w = randn rng (shapeOf y)
                            let g = Autodiff.Grad((fun t -> let struct (v, _) = f t in (v * w).Sum()), x)
                            let expected = Array.zeroCreate 20

                            w.ToArray()
                            |> Array.iteri (fun j c -> expected[offsets[j]] <- expected[offsets[j]] + c)

                            equalValues $"{name}: gradient" g expected

                            let v = randn rng [| 4; 5 |]
                            let struct (_, dy) = Autodiff.Jvp((fun t -> let struct (y, _) = f t in y), x, v)
                            let vs = v.ToArray()
                            equalValues $"{name}: tangent" dy (offsets |> Array.map (fun j -> vs[j]))
                    }

                    test "maxWithIndices gives all of a tie's gradient to the returned index; Max splits it" {
                        let x = Tensor.FromArray [| 1.0; 3.0; 3.0 |]

                        let whole =
                            Autodiff.Grad((fun t -> let struct (v, _) = t.MaxWithIndices(0) in v), x)

                        equalValues "to the first of the two" whole [| 0.0; 1.0; 0.0 |]
                        equalValues "Max splits" (Autodiff.Grad((fun t -> t.Max()), x)) [| 0.0; 0.5; 0.5 |]
                    }

                    test "second order: the Hessian of Σ wᵢ·sort(x)ᵢ² is diag(2 w at each rank)" {
                        let x = Tensor.FromArray [| 3.0; 1.0; 2.0 |]
                        let w = Tensor.FromArray [| 1.0; 2.0; 3.0 |]

                        let h =
                            Autodiff.Hessian((fun t -> let struct (v, _) = t.Sort() in (w * v * v).Sum()), x)
                        // x = 3 is sorted to rank 2 (w = 3), 1 to rank 0 (w = 1), 2 to rank 1 (w = 2)
                        equalValues "diagonal" h [| 6.0; 0.0; 0.0; 0.0; 2.0; 0.0; 0.0; 0.0; 4.0 |]
                    }

                    test "unique's values send their gradient to each value's first occurrence" {
                        let x = Tensor.FromArray [| 2.0; 1.0; 2.0; 1.0; 5.0 |]

                        let g =
                            Autodiff.Grad((fun t -> let struct (v, _, _) = t.Unique() in (v * v).Sum()), x)

                        equalValues "2x at the first 1, 2 and 5" g [| 4.0; 2.0; 0.0; 0.0; 10.0 |]
                    }

                    test "indices never carry a gradient: a function of them alone has a zero gradient" {
                        let x = Tensor.FromArray [| 3.0; 1.0; 2.0 |]

                        let g =
                            Autodiff.Grad((fun t -> t.Argsort().ToDType(DType.Float64).Sum() + t.Sum() * 0.0), x)

                        equalValues "zero" g [| 0.0; 0.0; 0.0 |]
                    }
                ]

            testList
                "vmap"
                [
                    test "per-example gradients of top-k values, over axis 1, against a loop" {
                        let x = Tensor.RandomNormal([| 6; 4 |], 3)
                        let w = Tensor.FromArray [| 1.0; -2.0 |]

                        let f (t: Tensor) =
                            let struct (v, _) = t.Topk(2) in (v * w).Sum()

                        let batched =
                            Autodiff.Vmap(Func<Tensor, Tensor>(fun t -> Autodiff.Grad(f, t)), x, inAxis = 1)

                        let looped =
                            Tensor.Stack([| for i in 0..3 -> Autodiff.Grad(f, x.Slice(1, i, i + 1).Squeeze(1)) |])

                        Expect.equal batched looped "vmap of grad = the loop"
                    }

                    test "searchsorted with a shared sequence (one- and two-dimensional) and batched values, and back" {
                        let struct (s1, _) = (Tensor.RandomNormal([| 7 |], 4)).Sort()
                        let struct (s2, _) = (Tensor.RandomNormal([| 3; 7 |], 5)).Sort(1)
                        let values = Tensor.RandomNormal([| 5; 3; 2 |], 6)

                        for s in [ s1; s2 ] do
                            let batched =
                                Autodiff.Vmap(Func<Tensor, Tensor>(fun v -> Tensor.Searchsorted(s, v, true)), values)

                            let looped =
                                Tensor.Stack([| for i in 0..4 -> Tensor.Searchsorted(s, values[i], true) |])

                            Expect.equal batched looped $"shared sequence of rank {s.Rank}"

                        let seqs = Tensor.Stack([| s1; s1 * 2.0 |])
                        let v = Tensor.FromArray [| 0.1; -0.3 |]

                        let batched =
                            Autodiff.Vmap(Func<Tensor, Tensor>(fun s -> Tensor.Searchsorted(s, v)), seqs)

                        let looped =
                            Tensor.Stack([| Tensor.Searchsorted(s1, v); Tensor.Searchsorted(s1 * 2.0, v) |])

                        Expect.equal batched looped "batched sequences, shared values"
                    }

                    test "unique under vmap and under compile is an error that says why and what to use" {
                        let x = Tensor.FromArray([| 1.0; 2.0; 2.0; 3.0 |], [| 2; 2 |])

                        let e =
                            raises<VmapException> "vmap" (fun () ->
                                Autodiff.Vmap(Func<Tensor, Tensor>(fun t -> let struct (v, _, _) = t.Unique() in v), x)
                                |> ignore)

                        for part in [ "unique"; "vmap"; "Sort" ] do
                            Expect.stringContains e.Message part "the message"

                        let compiled =
                            Autodiff.Compile(Func<Tensor, Tensor>(fun t -> let struct (v, _, _) = t.Unique() in v))

                        // a managed input, which compile traces (on a device, compile runs f itself)
                        let c =
                            raises<CompileException> "compile" (fun () ->
                                compiled.Invoke(x.To Device.Managed) |> ignore)

                        for part in [ "unique"; "compiled"; "Sort" ] do
                            Expect.stringContains c.Message part "the message"
                    }
                ]

            testList
                "errors"
                [
                    test "a bad axis names the op, the axis and the valid range" {
                        let x = Tensor.Zeros [| 2; 3 |]

                        for name, f in
                            [
                                "argmax", (fun () -> x.Argmax(2) |> ignore)
                                "argmin", (fun () -> x.Argmin(-3) |> ignore)
                                "maxWithIndices", (fun () -> x.MaxWithIndices(5) |> ignore)
                                "sort", (fun () -> x.Sort(2) |> ignore)
                                "argsort", (fun () -> x.Argsort(-3) |> ignore)
                                "topk", (fun () -> x.Topk(1, 2) |> ignore)
                                "kthvalue", (fun () -> x.Kthvalue(1, 2) |> ignore)
                                "median", (fun () -> x.Median(2) |> ignore)
                            ] do
                            let e = raises<AxisOutOfRangeException> name f

                            for part in [ name; "axis"; "[-2, 1]" ] do
                                Expect.stringContains e.Message part $"{name}'s message"
                    }

                    test "k out of range names the op, k, the axis and the valid range" {
                        let x = Tensor.Zeros [| 2; 3 |]
                        let e = raises<ArgumentOutOfRangeException> "topk" (fun () -> x.Topk(4) |> ignore)

                        for part in [ "topk"; "k = 4"; "axis 1"; "[0, 3]" ] do
                            Expect.stringContains e.Message part "topk's message"

                        let e =
                            raises<ArgumentOutOfRangeException> "kthvalue" (fun () -> x.Kthvalue(0, 0) |> ignore)

                        for part in [ "kthvalue"; "k = 0"; "axis 0"; "[1, 2]" ] do
                            Expect.stringContains e.Message part "kthvalue's message"

                        raises<ArgumentOutOfRangeException> "topk -1" (fun () -> x.Topk(-1) |> ignore)
                        |> ignore
                    }

                    test "an empty axis has nothing to pick; sorting it is fine" {
                        let x = Tensor.Zeros [| 2; 0 |]

                        for name, f in
                            [
                                "argmax", (fun () -> x.Argmax(1) |> ignore)
                                "argmin", (fun () -> x.Argmin() |> ignore)
                                "minWithIndices", (fun () -> x.MinWithIndices(1) |> ignore)
                                "median", (fun () -> x.Median(1) |> ignore)
                                "median", (fun () -> x.Median() |> ignore)
                            ] do
                            let e = raises<EmptyTensorException> name f
                            Expect.stringContains e.Message name "the message names the op"

                        raises<ArgumentOutOfRangeException> "kthvalue" (fun () -> x.Kthvalue(1) |> ignore)
                        |> ignore

                        let struct (v, i) = x.Sort()
                        Expect.equal (shapeOf v, shapeOf i) ([| 2; 0 |], [| 2; 0 |]) "an empty sort"
                        let struct (t, _) = x.Topk(0)
                        Expect.equal (shapeOf t) [| 2; 0 |] "top 0"
                    }

                    test "bool tensors are refused with the conversion to use; searchsorted's shapes and dtypes" {
                        let b = Tensor.FromArray [| true; false |]
                        let e = raises<DTypeMismatchException> "sort" (fun () -> b.Sort() |> ignore)
                        Expect.stringContains e.Message "ToDType(DType.Int64)" "the conversion"

                        raises<DTypeMismatchException> "argmax" (fun () -> b.Argmax() |> ignore)
                        |> ignore

                        let e =
                            raises<ShapeMismatchException> "searchsorted" (fun () ->
                                Tensor.Searchsorted(Tensor.Zeros [| 2; 3 |], Tensor.Zeros [| 3; 3 |]) |> ignore)

                        for part in [ "searchsorted"; "[2x3]"; "[3x3]"; "leading dimensions" ] do
                            Expect.stringContains e.Message part "the message"

                        raises<DTypeMismatchException> "mixed dtypes" (fun () ->
                            Tensor.Searchsorted(Tensor.Zeros [| 3 |], Tensor.Zeros([| 2 |], DType.Float32))
                            |> ignore)
                        |> ignore

                        raises<RankException> "scalar sequence" (fun () ->
                            Tensor.Searchsorted(Tensor.Scalar 1.0, Tensor.Zeros [| 2 |]) |> ignore)
                        |> ignore
                    }
                ]
        ]
