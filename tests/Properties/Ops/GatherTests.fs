/// Indexing with tensors (Ops/GatherScatter.cs, IndexTensors.cs, Embedding.cs): values against loops over .NET arrays
/// written here, the conventions (duplicates, negative indices, padding, ties), gradients where the spec table's finite
/// differences cannot reach (a padding row, duplicate writes, zero factors), the parallel kernels against the same
/// loops bit for bit, errors that name the op, the axis and the range, and Nonzero and MaskedSelect, which have no rows
/// because their shapes depend on values. Finite-difference and vmap checks of every op are the rows of OpSpec.fs.
module Ops.GatherTests

open System
open Expecto
open FuncGrad
open Support.Check

// ---- row-major helpers ----

let private strides (shape: int[]) =
    Array.init shape.Length (fun a -> Array.fold (*) 1 shape[a + 1 ..])

let private unravel (shape: int[]) (p: int) =
    let s = strides shape
    Array.init shape.Length (fun a -> p / s[a] % shape[a])

let private ravel (shape: int[]) (at: int[]) =
    Array.fold2 (fun acc i s -> acc + i * s) 0 at (strides shape)

let private count (shape: int[]) = Array.fold (*) 1 shape

let private longs (values: int64[]) (shape: int[]) = Tensor.FromArray(values, shape)

let private randomShape (rng: Random) rank =
    Array.init rank (fun _ -> 1 + rng.Next 4)

let private values (rng: Random) (shape: int[]) =
    Array.init (count shape) (fun _ -> Math.Round(rng.NextDouble() * 20.0 - 10.0, 2))

/// An index of a shape no larger than data's on every axis but dim, with values in [0, data's size along dim).
let private randomIndex (rng: Random) (data: int[]) (dim: int) =
    let shape =
        Array.init data.Length (fun a -> if a = dim then 1 + rng.Next 5 else 1 + rng.Next data[a])

    shape, Array.init (count shape) (fun _ -> int64 (rng.Next data[dim]))

/// Data's shape (rank 1 to 3), an axis of it, and an index along that axis (randomIndex's shape and values).
let private randomCase (rng: Random) =
    let rank = 1 + rng.Next 3
    let shape = randomShape rng rank
    let dim = rng.Next rank
    let iShape, idx = randomIndex rng shape dim
    shape, dim, iShape, idx

// ---- references: loops over arrays ----

let private gatherRef (x: float[]) (xShape: int[]) (idx: int64[]) (iShape: int[]) (dim: int) =
    Array.init idx.Length (fun p ->
        let at = unravel iShape p
        at[dim] <- int idx[p]
        x[ravel xShape at])

/// Each position of the index in row-major order combines src into the target: the order the kernels promise.
let private scatterRef combine (self: float[]) (shape: int[]) (idx: int64[]) (iShape: int[]) (src: float[]) dim =
    let y = Array.copy self

    for p in 0 .. idx.Length - 1 do
        let at = unravel iShape p
        at[dim] <- int idx[p]
        let t = ravel shape at
        y[t] <- combine y[t] src[p]

    y

let private reduceRef (reduce: string) includeSelf (self: float[]) shape (idx: int64[]) iShape (src: float[]) dim =
    let y = Array.copy self
    let n = Array.zeroCreate self.Length

    for p in 0 .. idx.Length - 1 do
        let at = unravel iShape p
        at[dim] <- int idx[p]
        let t = ravel shape at

        y[t] <-
            if not includeSelf && n[t] = 0 then
                src[p]
            else
                match reduce with
                | "sum"
                | "mean" -> y[t] + src[p]
                | "prod" -> y[t] * src[p]
                | "amax" -> Math.Max(y[t], src[p])
                | _ -> Math.Min(y[t], src[p])

        n[t] <- n[t] + 1

    if reduce = "mean" then
        for t in 0 .. y.Length - 1 do
            if n[t] > 0 then
                y[t] <- y[t] / float (n[t] + (if includeSelf then 1 else 0))

    y

/// Slices of x [outer, n, inner] at an index along an axis.
let private selectRef (x: float[]) (shape: int[]) (axis: int) (idx: int[]) =
    let outer = count shape[.. axis - 1]
    let n, inner = shape[axis], count shape[axis + 1 ..]

    [|
        for o in 0 .. outer - 1 do
            for j in idx do
                for i in 0 .. inner - 1 -> x[(o * n + j) * inner + i]
    |]

let private mentions (what: string) (e: exn) (parts: string list) =
    for p in parts do
        if not (e.Message.Contains(p, StringComparison.Ordinal)) then
            failtestf "%s: the message does not mention %A:\n  %s" what p e.Message

let private grad (f: Tensor -> Tensor) (x: Tensor) =
    Autodiff.Grad((fun t -> (f t).Sum()), x)

// ---- tests ----

let private valueTests =
    testList
        "values against loops"
        [
            test "gather, both dtypes and int64 data, int64 and int32 indices, every axis" {
                let rng = Random 1

                for _ in 1..60 do
                    let shape, dim, iShape, idx = randomCase rng
                    let v = values rng shape
                    let x = Tensor.FromArray(v, shape)
                    let expected = gatherRef v shape idx iShape dim
                    let index = longs idx iShape
                    let what = $"gather {shapeOf x} axis {dim} index {iShape}"
                    equalValues what (x.Gather(dim, index)) expected
                    equalValues (what + " (int32)") (x.Gather(dim, index.ToDType DType.Int32)) expected

                    Expect.equal
                        ((x.ToDType DType.Float32).Gather(dim, index).ToArray())
                        (expected |> Array.map (float32 >> float))
                        (what + " float32")

                    Expect.equal
                        ((x.ToDType DType.Int64).Gather(-shape.Length + dim, index).ToInt64Array())
                        (expected |> Array.map int64)
                        (what + " int64 data, negative axis")
            }

            test "scatter: the last write to an element wins; the number form; bool data" {
                let rng = Random 2

                for _ in 1..60 do
                    let shape, dim, iShape, idx = randomCase rng
                    let self, src = values rng shape, values rng iShape
                    let x = Tensor.FromArray(self, shape)
                    let what = $"scatter {shape} axis {dim} index {iShape}"
                    let r = x.Scatter(dim, longs idx iShape, Tensor.FromArray(src, iShape))
                    equalValues what r (scatterRef (fun _ s -> s) self shape idx iShape src dim)

                    equalValues
                        (what + " number")
                        (x.Scatter(dim, longs idx iShape, 2.5))
                        (scatterRef (fun _ s -> s) self shape idx iShape (Array.create src.Length 2.5) dim)

                let flags = Tensor.FromArray([| false; false; false |])
                let set = flags.Scatter(0, longs [| 2L |] [| 1 |], Tensor.FromArray [| true |])
                Expect.equal (set.ToBoolArray()) [| false; false; true |] "bool data"
            }

            test "a larger source is read in its leading block, as PyTorch reads it" {
                let src = Tensor.Arange(0, 12).Reshape [| 3; 4 |]

                let r =
                    Tensor.Zeros([| 2; 2 |]).ScatterAdd(0, longs [| 1L; 0L; 1L; 1L |] [| 2; 2 |], src)
                // src's block [2x2] is [[0, 1], [4, 5]]: row 1 gets 0 and 4 + 5, row 0 gets 1
                equalValues "scatterAdd" r [| 0.0; 1.0; 4.0; 5.0 |]
            }

            test "scatterAdd and scatterReduce, every reduction, with and without self: bit for bit" {
                let rng = Random 3

                for _ in 1..40 do
                    let shape, dim, iShape, idx = randomCase rng
                    let self, src = values rng shape, values rng iShape

                    let x, s, i =
                        Tensor.FromArray(self, shape), Tensor.FromArray(src, iShape), longs idx iShape

                    equalValues
                        $"scatterAdd {shape} axis {dim}"
                        (x.ScatterAdd(dim, i, s))
                        (scatterRef (+) self shape idx iShape src dim)

                    for reduce in [ "sum"; "prod"; "mean"; "amax"; "amin" ] do
                        for includeSelf in [ true; false ] do
                            equalValues
                                $"scatterReduce {reduce} {includeSelf} {shape} axis {dim}"
                                (x.ScatterReduce(dim, i, s, reduce, includeSelf))
                                (reduceRef reduce includeSelf self shape idx iShape src dim)
            }

            test "amax and amin propagate NaN" {
                let x = Tensor.FromArray [| 1.0; 1.0 |]
                let src = Tensor.FromArray [| nan; 3.0 |]
                let i = longs [| 0L; 1L |] [| 2 |]
                Expect.isTrue (Double.IsNaN((x.ScatterReduce(0, i, src, "amax")).ToArray()[0])) "amax"
                Expect.isTrue (Double.IsNaN((x.ScatterReduce(0, i, src, "amin")).ToArray()[0])) "amin"
            }

            test "the parallel kernels give the loops' bits (gather, scatter, scatterAdd, scatterReduce)" {
                let rng = Random 4
                // 70,000 x 4 along axis 0 splits the columns; 300 x 300 along axis 1 splits the rows
                for shape, dim, n in [ [| 100; 4 |], 0, 70000; [| 300; 300 |], 1, 300 ] do
                    let iShape = if dim = 0 then [| n; shape[1] |] else [| shape[0]; n |]
                    let idx = Array.init (count iShape) (fun _ -> int64 (rng.Next shape[dim]))
                    let self, src = values rng shape, values rng iShape

                    let x, s, i =
                        Tensor.FromArray(self, shape), Tensor.FromArray(src, iShape), longs idx iShape

                    let what = $"%A{shape} axis {dim}, index %A{iShape}"

                    equalValues
                        ("scatterAdd " + what)
                        (x.ScatterAdd(dim, i, s))
                        (scatterRef (+) self shape idx iShape src dim)

                    equalValues
                        ("scatter " + what)
                        (x.Scatter(dim, i, s))
                        (scatterRef (fun _ v -> v) self shape idx iShape src dim)

                    equalValues
                        ("scatterReduce mean " + what)
                        (x.ScatterReduce(dim, i, s, "mean", false))
                        (reduceRef "mean" false self shape idx iShape src dim)

                    let wide = Tensor.FromArray(values rng iShape, iShape)
                    let gShape = if dim = 0 then iShape else shape

                    let gIdx =
                        Array.init (count gShape) (fun _ -> int64 (rng.Next(if dim = 0 then n else shape[1])))

                    equalValues
                        ("gather " + what)
                        (wide.Gather(dim, longs gIdx gShape))
                        (gatherRef (wide.ToArray()) iShape gIdx gShape dim)

                    // a scatter-add into zeros clears y as it goes (each part its own rows where parts split them):
                    // the kernel given a dirty array
                    let dirty = Array.create (count shape) nan

                    Kernels.AlongAxis.ScatterAdd(
                        dirty,
                        idx,
                        Kernels.AxisGeometry(iShape, dim, shape),
                        src,
                        Kernels.AxisNames.ScatterAdd,
                        shape,
                        DType.Float64,
                        clear = true
                    )

                    equalValues
                        ("scatterAdd into zeros " + what)
                        (Tensor.FromArray(dirty, shape))
                        (scatterRef (+) (Array.zeroCreate (count shape)) shape idx iShape src dim)

                    // gather's gradient is a scatter-add into zeros
                    let c = values rng gShape

                    equalValues
                        ("gather's gradient " + what)
                        (grad (fun w -> (w.Gather(dim, longs gIdx gShape) * Tensor.FromArray(c, gShape)).Sum()) wide)
                        (scatterRef (+) (Array.zeroCreate (count iShape)) iShape gIdx gShape c dim)
            }

            test "indexSelect, indexAdd (alpha), the parallel row kernels too" {
                let rng = Random 5

                for shape, axis, m in
                    [
                        [| 4; 3; 2 |], 1, 5
                        [| 6; 5 |], 0, 7
                        [| 3; 40000 |], 0, 4
                        [| 40000; 3 |], 1, 2
                    ] do
                    let v = values rng shape
                    let x = Tensor.FromArray(v, shape)
                    let idx = Array.init m (fun _ -> rng.Next shape[axis])
                    let index = longs (Array.map int64 idx) [| m |]

                    equalValues
                        $"indexSelect {shape} axis {axis}"
                        (x.IndexSelect(axis, index))
                        (selectRef v shape axis idx)

                    let sShape = Array.mapi (fun a d -> if a = axis then m else d) shape
                    let src = values rng sShape

                    let y =
                        x.IndexAdd(axis, index.ToDType DType.Int32, Tensor.FromArray(src, sShape), 0.5)

                    let expected = Array.copy v

                    let outer, n, inner =
                        count shape[.. axis - 1], shape[axis], count shape[axis + 1 ..]

                    for o in 0 .. outer - 1 do
                        for j in 0 .. m - 1 do
                            for i in 0 .. inner - 1 do
                                let t = (o * n + idx[j]) * inner + i
                                expected[t] <- expected[t] + src[(o * m + j) * inner + i] * 0.5

                    equalValues $"indexAdd {shape} axis {axis}" y expected
            }

            test "indexPut: negative indices from the end, duplicates' last put wins, accumulate adds, masks" {
                let x = Tensor.Arange(0, 12).Reshape [| 3; 4 |]
                let rows = longs [| 0L; -1L; 0L |] [| 3 |]
                let cols = longs [| 1L; -4L; 1L |] [| 3 |]
                let v = Tensor.FromArray [| 10.0; 20.0; 30.0 |]
                let put = x.IndexPut([| rows; cols |], v)
                let expected = Array.init 12 float
                expected[1] <- 30.0 // (0, 1) twice: the later wins
                expected[8] <- 20.0 // (-1, -4) = (2, 0)
                equalValues "put" put expected
                let added = x.IndexPut([| rows; cols |], v, accumulate = true)
                let sums = Array.init 12 float
                sums[1] <- sums[1] + 40.0
                sums[8] <- sums[8] + 20.0
                equalValues "accumulate" added sums
                // one index tensor: whole rows, the values broadcast
                let rowsPut = x.IndexPut([| longs [| 1L |] [| 1 |] |], Tensor.Scalar -1.0)
                equalValues "rows" rowsPut (Array.init 12 (fun i -> if i / 4 = 1 then -1.0 else float i))
                let mask = Tensor.FromArray([| true; false; false; true |], [| 2; 2 |])
                let m = Tensor.Zeros([| 2; 2; 2 |]).IndexPut([| mask |], Tensor.Scalar 5.0)
                equalValues "bool mask" m [| 5.0; 5.0; 0.0; 0.0; 0.0; 0.0; 5.0; 5.0 |]
            }

            test "the indexer x[idx]: one tensor picks along axis 0, several pick elements, negatives count back" {
                let x = Tensor.Arange(0, 12).Reshape [| 3; 4 |]
                let one = x.[longs [| -1L; 0L; 2L; 2L |] [| 2; 2 |]]
                Expect.equal (shapeOf one) [| 2; 2; 4 |] "shape: the index's, then x's other axes"

                equalValues
                    "values"
                    one
                    (Array.concat [ [| 8.0 .. 11.0 |]; [| 0.0 .. 3.0 |]; [| 8.0 .. 11.0 |]; [| 8.0 .. 11.0 |] ])

                let pairs = x.[longs [| 0L; 2L |] [| 2 |], longs [| -1L; 1L |] [| 2 |]]
                equalValues "pairs" pairs [| 3.0; 9.0 |]
                let bcast = x.[longs [| 0L; 1L |] [| 2; 1 |], longs [| 0L; 3L |] [| 2 |]]
                equalValues "broadcast" bcast [| 0.0; 3.0; 4.0; 7.0 |]
                let scalar = x.[longs [| 1L |] [||]]
                Expect.equal (shapeOf scalar) [| 4 |] "a scalar index drops its axis"
                let mask = x.[x.Gt(Tensor.Scalar 8.0)]
                equalValues "bool mask" mask [| 9.0; 10.0; 11.0 |]
                equalValues "int32" (x.[Tensor.FromArray([| 2 |], [| 1 |])]) [| 8.0 .. 11.0 |]
            }

            test "maskedFill, nonzero and maskedSelect" {
                let x = Tensor.FromArray([| 1.0; 0.0; -2.0; 0.0; 3.0; 0.0 |], [| 2; 3 |])
                let row = Tensor.FromArray [| true; false; true |]
                equalValues "maskedFill" (x.MaskedFill(row, 9.0)) [| 9.0; 0.0; 9.0; 9.0; 3.0; 9.0 |]

                equalValues
                    "maskedFill tensor"
                    (x.MaskedFill(row, Tensor.Scalar 7.0))
                    [| 7.0; 0.0; 7.0; 7.0; 3.0; 7.0 |]

                let nz = x.Nonzero()
                Expect.equal (shapeOf nz) [| 3; 2 |] "nonzero shape"
                Expect.equal (nz.ToInt64Array()) [| 0L; 0L; 0L; 2L; 1L; 1L |] "nonzero positions"
                Expect.equal (shapeOf (Tensor.Scalar(0.0).Nonzero())) [| 0; 0 |] "a zero scalar"
                Expect.equal (shapeOf (Tensor.Scalar(2.0).Nonzero())) [| 1; 0 |] "a scalar"
                equalValues "maskedSelect" (x.MaskedSelect(x.Ne(Tensor.Scalar 0.0))) [| 1.0; -2.0; 3.0 |]
                equalValues "maskedSelect, broadcast" (x.MaskedSelect row) [| 1.0; -2.0; 0.0; 0.0 |]

                let g =
                    grad (fun t -> t.MaskedSelect(row) * Tensor.FromArray [| 1.0; 2.0; 3.0; 4.0 |]) x

                equalValues "maskedSelect gradient" g [| 1.0; 0.0; 2.0; 3.0; 0.0; 4.0 |]
            }

            test "embedding, embeddingBag and oneHot" {
                let w = Tensor.Arange(0, 10).Reshape [| 5; 2 |]
                let ids = longs [| 4L; 0L; 4L; 2L; 1L; 1L |] [| 2; 3 |]
                let e = Tensor.Embedding(ids, w)
                Expect.equal (shapeOf e) [| 2; 3; 2 |] "embedding shape"
                equalValues "embedding" e (selectRef (w.ToArray()) [| 5; 2 |] 0 [| 4; 0; 4; 2; 1; 1 |])
                let flat = longs [| 4L; 0L; 4L; 2L; 1L; 1L |] [| 6 |]
                // bags [4, 0], [], [4, 2, 1], [1]
                let offsets = longs [| 0L; 2L; 2L; 5L |] [| 4 |]
                let bagSum = Tensor.EmbeddingBag(flat, w, offsets, "sum")
                equalValues "bag sum" bagSum [| 8.0; 10.0; 0.0; 0.0; 14.0; 17.0; 2.0; 3.0 |]
                let bagMean = Tensor.EmbeddingBag(flat, w, offsets)
                equalValues "bag mean" bagMean [| 4.0; 5.0; 0.0; 0.0; 14.0 / 3.0; 17.0 / 3.0; 2.0; 3.0 |]
                // padding id 4 left out of its bag and of its count; the last offset ends the last bag
                let padded =
                    Tensor.EmbeddingBag(flat, w, longs [| 0L; 2L; 5L |] [| 3 |], "mean", true, Nullable 4)

                equalValues "bag padding" padded [| 0.0; 1.0; 3.0; 4.0 |]
                let rows = Tensor.EmbeddingBag(ids, w, mode = "sum")
                equalValues "2-D bags" rows [| 16.0; 19.0; 8.0; 11.0 |]
                let hot = (longs [| 2L; 0L |] [| 2 |]).OneHot 3
                Expect.equal hot.DType DType.Int64 "oneHot is int64"
                Expect.equal (hot.ToInt64Array()) [| 0L; 0L; 1L; 1L; 0L; 0L |] "oneHot"
                Expect.equal (shapeOf ((longs [| 2L; 0L |] [| 2 |]).OneHot())) [| 2; 3 |] "oneHot infers 3 classes"
            }

            test "crossEntropy with integer labels against the formula, every option" {
                let rng = Random 6
                let n, c = 5, 4
                let x = Tensor.FromArray(values rng [| n; c |], [| n; c |]) * 0.3
                let labels = [| 3L; -100L; 0L; 2L; 3L |]
                let w = [| 0.5; 2.0; 1.0; 1.5 |]
                let v = x.ToArray()

                let logp i k =
                    let row = v[i * c .. i * c + c - 1]
                    let m = Array.max row
                    v[i * c + k] - m - log (row |> Array.sumBy (fun e -> exp (e - m)))

                for weighted in [ false; true ] do
                    for eps in [ 0.0; 0.2 ] do
                        let wt k = if weighted then w[k] else 1.0

                        let each =
                            Array.init n (fun i ->
                                if labels[i] = -100L then
                                    0.0
                                else
                                    let y = int labels[i]
                                    let smooth = -(Array.init c (fun k -> wt k * logp i k) |> Array.sum)
                                    (1.0 - eps) * -(wt y * logp i y) + eps / float c * smooth)

                        let total = labels |> Array.sumBy (fun l -> if l = -100L then 0.0 else wt (int l))

                        let t = longs labels [| n |]
                        let wT = Tensor.FromArray w

                        let run reduction =
                            if weighted then
                                x.CrossEntropy(t, wT, reduction = reduction, labelSmoothing = eps)
                            else
                                x.CrossEntropy(t, reduction = reduction, labelSmoothing = eps)

                        let what = $"crossEntropy weighted {weighted}, smoothing {eps}"
                        close (what + " none") 1e-12 1e-12 (run "none") (Tensor.FromArray each)
                        closeNum (what + " sum") 1e-12 1e-12 ((run "sum").Item()) (Array.sum each)
                        closeNum (what + " mean") 1e-12 1e-12 ((run "mean").Item()) (Array.sum each / total)

                let kept = longs [| 3L; 1L; 0L; 2L; 3L |] [| n |]

                close
                    "one argument: int labels as the float ones"
                    1e-12
                    1e-12
                    (x.CrossEntropy kept)
                    (x.CrossEntropy(kept.ToDType DType.Float64))

                close
                    "int32 labels"
                    0.0
                    0.0
                    (x.CrossEntropy(kept.ToDType DType.Int32))
                    (x.CrossEntropy(kept, ignoreIndex = -100))

                let allIgnored = x.CrossEntropy(longs (Array.create n -100L) [| n |])
                Expect.isTrue (Double.IsNaN(allIgnored.Item())) "every row ignored: 0/0, as in PyTorch"
                // probabilities: one-hot rows give the index form
                let hot = (kept.OneHot c).ToDType DType.Float64

                close
                    "probabilities"
                    1e-12
                    1e-12
                    (x.CrossEntropy(hot, labelSmoothing = 0.1))
                    (x.CrossEntropy(kept, labelSmoothing = 0.1))
            }
        ]

let private gradientTests =
    testList
        "gradients"
        [
            test "scatter: only the write that stays gets a gradient, and the written places of x get none" {
                let x = Tensor.Zeros [| 3 |]
                let i = longs [| 2L; 0L; 2L |] [| 3 |]
                let src = Tensor.FromArray [| 1.0; 2.0; 3.0 |]
                let w = Tensor.FromArray [| 10.0; 20.0; 30.0 |]
                let f (xs: Tensor list) = (xs[0].Scatter(0, i, xs[1]) * w).Sum()
                let g = reverse f [ x; src ] (Tensor.Scalar 1.0)
                equalValues "x" g[0] [| 0.0; 20.0; 0.0 |]
                equalValues "src: position 2 wins target 2" g[1] [| 0.0; 10.0; 30.0 |]
            }

            test "scatterReduce amax and amin share the gradient evenly among ties, self included" {
                let x = Tensor.FromArray [| 3.0; 0.0 |]
                let i = longs [| 0L; 0L; 1L |] [| 3 |]
                let src = Tensor.FromArray [| 3.0; 1.0; 2.0 |]

                let f (xs: Tensor list) =
                    xs[0].ScatterReduce(0, i, xs[1], "amax").Sum()

                let g = reverse f [ x; src ] (Tensor.Scalar 1.0)
                equalValues "self: ties with src 0" g[0] [| 0.5; 0.0 |]
                equalValues "src" g[1] [| 0.5; 0.0; 1.0 |]

                let h =
                    forward f [ x; src ] [ Tensor.FromArray [| 1.0; 0.0 |]; Tensor.FromArray [| 3.0; 0.0; 5.0 |] ]

                closeNum "jvp: the ties' tangents averaged" 0.0 1e-15 (h.Item()) (2.0 + 5.0)
            }

            test "scatterReduce prod: the first derivative is exact at one zero factor and at two" {
                let i = longs [| 0L; 0L; 0L |] [| 3 |]

                let check (src: float[]) (expected: float[]) =
                    let f (s: Tensor) =
                        Tensor.Ones([| 1 |]).ScatterReduce(0, i, s, "prod", false)

                    equalValues $"prod of {src}" (grad f (Tensor.FromArray src)) expected

                check [| 2.0; 3.0; 4.0 |] [| 12.0; 8.0; 6.0 |]
                check [| 2.0; 0.0; 4.0 |] [| 0.0; 8.0; 0.0 |]
                check [| 0.0; 3.0; 0.0 |] [| 0.0; 0.0; 0.0 |]
                // self as a zero factor
                let f (s: Tensor) =
                    s.ScatterReduce(0, longs [| 0L |] [| 1 |], Tensor.FromArray [| 5.0 |], "prod")

                equalValues "self zero" (grad f (Tensor.Zeros [| 1 |])) [| 5.0 |]
            }

            test "embedding: the padding row gets no gradient though it is read; the others add up" {
                let w = Tensor.Arange(0, 6).Reshape [| 3; 2 |]
                let ids = longs [| 1L; 2L; 1L; 0L |] [| 4 |]
                let e = Tensor.Embedding(ids, w, Nullable 1)
                equalValues "read" (e.Slice(0, 0, 1)) [| 2.0; 3.0 |]
                let g = grad (fun t -> Tensor.Embedding(ids, t, Nullable -2) * 2.0) w
                equalValues "gradient" g [| 2.0; 2.0; 0.0; 0.0; 2.0; 2.0 |]

                let j =
                    forward (fun xs -> Tensor.Embedding(ids, xs.Head, Nullable 1)) [ w ] [ Tensor.OnesLike w ]

                equalValues "tangent: none for the padding row" j [| 0.0; 0.0; 1.0; 1.0; 0.0; 0.0; 1.0; 1.0 |]
            }

            test "per-example gradients under vmap: mapped ids and a shared table, with padding" {
                let w = Tensor.RandomNormal([| 5; 3 |], Random 7)
                let ids = longs [| 0L; 3L; 3L; 4L; 1L; 3L; 0L; 0L; 2L |] [| 3; 3 |]

                let perExample (i: Tensor) =
                    Autodiff.Grad((fun t -> (Tensor.Embedding(i, t, Nullable 3) * t.Sum()).Sum()), w)

                let batched = Autodiff.Vmap(Func<_, _> perExample, ids)
                let loop = Tensor.Stack [| for k in 0..2 -> perExample ids.[k] |]
                Expect.isTrue (batched.Equals loop) "vmap of grad = loop"
            }

            test "a mapped table and mapped ids, nested vmap, with padding: values and gradients against loops" {
                let ws = Tensor.RandomNormal([| 2; 3; 4; 2 |], Random 8)
                let ids = longs [| 0L; 3L; 1L; 3L; 2L; 2L; 3L; 0L; 1L; 1L; 3L; 3L |] [| 2; 3; 2 |]

                let f (xs: Collections.Generic.IReadOnlyList<Tensor>) =
                    let g =
                        Autodiff.Grad((fun t -> (Tensor.Embedding(xs[1], t, Nullable 3).Square()).Sum()), xs[0])

                    Tensor.Concat [| Tensor.Embedding(xs[1], xs[0], Nullable 3).Flatten(); g.Flatten() |]

                let inner (xs: Collections.Generic.IReadOnlyList<Tensor>) =
                    Autodiff.Vmap(Func<_, _> f, xs, [| Nullable 0; Nullable 0 |])

                let nested =
                    Autodiff.Vmap(Func<_, _> inner, [| ws; ids |], [| Nullable 0; Nullable 0 |])

                let loop =
                    Tensor.Stack
                        [|
                            for a in 0..1 -> Tensor.Stack [| for b in 0..2 -> f [| ws.[a, b]; ids.[a, b] |] |]
                        |]

                Expect.isTrue (nested.Equals loop) "nested vmap = loop"
            }
        ]

let private errorTests =
    testList
        "errors name the op, the axis and the range"
        [
            test "out of range and negative indices" {
                let x = Tensor.Zeros [| 3; 4 |]
                let bad = longs [| 0L; 5L |] [| 1; 2 |]

                let e =
                    raises<ArgumentOutOfRangeException> "gather" (fun () -> x.Gather(1, bad) |> ignore)

                mentions "gather" e [ "gather:"; "index 5"; "axis 1"; "[0, 3]" ]
                let neg = longs [| -1L |] [| 1; 1 |]

                let e =
                    raises<ArgumentOutOfRangeException> "gather -1" (fun () -> x.Gather(0, neg) |> ignore)

                mentions "gather -1" e [ "gather:"; "index -1"; "axis 0"; "[0, 2]"; "negative" ]

                let e =
                    raises<ArgumentOutOfRangeException> "scatterAdd" (fun () ->
                        x.ScatterAdd(0, longs [| 3L |] [| 1; 1 |], Tensor.Ones [| 1; 1 |]) |> ignore)

                mentions "scatterAdd" e [ "scatterAdd:"; "axis 0"; "[0, 2]" ]

                let e =
                    raises<ArgumentOutOfRangeException> "indexSelect" (fun () ->
                        x.IndexSelect(1, longs [| -1L |] [| 1 |]) |> ignore)

                mentions "indexSelect" e [ "indexSelect:"; "axis 1"; "[0, 3]"; "negative" ]

                let e =
                    raises<ArgumentOutOfRangeException> "embedding" (fun () ->
                        Tensor.Embedding(longs [| 9L |] [| 1 |], x) |> ignore)

                mentions "embedding" e [ "embedding:"; "index 9"; "axis 0"; "[0, 2]" ]

                let e =
                    raises<ArgumentOutOfRangeException> "indexPut" (fun () ->
                        x.IndexPut([| longs [| 0L |] [| 1 |]; longs [| -5L |] [| 1 |] |], Tensor.Scalar 1.0)
                        |> ignore)

                mentions "indexPut" e [ "indexPut:"; "axis 1"; "[-4, 3]" ]

                let e =
                    raises<ArgumentOutOfRangeException> "index" (fun () -> x.[longs [| 3L |] [| 1 |]] |> ignore)

                mentions "index" e [ "index:"; "axis 0"; "[-3, 2]" ]

                let e =
                    raises<ArgumentOutOfRangeException> "oneHot" (fun () -> (longs [| 3L |] [| 1 |]).OneHot 3 |> ignore)

                mentions "oneHot" e [ "oneHot:"; "[0, 2]" ]

                let e =
                    raises<ArgumentOutOfRangeException> "crossEntropy" (fun () ->
                        x.CrossEntropy(longs [| 0L; 1L; 4L |] [| 3 |]) |> ignore)

                mentions "crossEntropy" e [ "crossEntropy:"; "index 4"; "axis 1"; "[0, 3]" ]
            }

            test "an index out of range inside vmap still names the op and the example's axis" {
                let x = Tensor.Zeros [| 3; 4 |]
                let ids = longs [| 0L; 1L; 7L; 2L |] [| 2; 2 |]

                let e =
                    raises<ArgumentOutOfRangeException> "vmap" (fun () ->
                        Autodiff.Vmap((fun i -> x.IndexSelect(1, i)), ids) |> ignore)

                mentions "vmap" e [ "indexSelect:"; "index 7"; "axis 1"; "[0, 3]" ]
                let xs = Tensor.Zeros [| 2; 3; 4 |]
                let idx = longs [| 0L; 1L; 2L; 7L |] [| 2; 1; 2 |]

                let e =
                    raises<ArgumentOutOfRangeException> "vmap gather" (fun () ->
                        Autodiff.Vmap(
                            (fun (a: Collections.Generic.IReadOnlyList<Tensor>) -> a[0].Gather(1, a[1])),
                            [| xs; idx |],
                            [| Nullable 0; Nullable 0 |]
                        )
                        |> ignore)

                mentions "vmap gather" e [ "gather:"; "index 7 at position [0, 1]"; "axis 1"; "[3x4]"; "[0, 3]" ]
            }

            test "float indices, wrong ranks and shapes" {
                let x = Tensor.Zeros [| 3; 4 |]

                let e =
                    raises<DTypeMismatchException> "float index" (fun () ->
                        x.Gather(0, Tensor.Zeros [| 1; 1 |]) |> ignore)

                mentions "float index" e [ "gather:"; "float64"; "int64 or int32"; "ToDType(DType.Int64)" ]

                for name, f in
                    [
                        "scatter", (fun (i: Tensor) -> x.Scatter(0, i, Tensor.Ones [| 1 |]))
                        "indexSelect", (fun i -> x.IndexSelect(0, i))
                        "embedding", (fun i -> Tensor.Embedding(i, x))
                        "oneHot", (fun i -> i.OneHot 3)
                        "index", (fun i -> x.[i])
                    ] do
                    let e =
                        raises<DTypeMismatchException> name (fun () -> f (Tensor.Zeros [| 1 |]) |> ignore)

                    mentions name e [ name + ":"; "float64" ]

                let e =
                    raises<RankException> "gather rank" (fun () -> x.Gather(0, longs [| 0L |] [| 1 |]) |> ignore)

                mentions "gather rank" e [ "gather:"; "[1] int64"; "[3x4] float64" ]

                let e =
                    raises<ShapeMismatchException> "gather shape" (fun () ->
                        x.Gather(0, longs (Array.zeroCreate 5) [| 1; 5 |]) |> ignore)

                mentions "gather shape" e [ "gather:"; "axis 1"; "5 > 4" ]

                let e =
                    raises<ShapeMismatchException> "indexAdd" (fun () ->
                        x.IndexAdd(0, longs [| 0L |] [| 1 |], Tensor.Ones [| 2; 4 |]) |> ignore)

                mentions "indexAdd" e [ "indexAdd:"; "[2x4] float64" ]

                raises<ArgumentException> "scatterReduce" (fun () ->
                    x.ScatterReduce(0, longs [| 0L |] [| 1; 1 |], Tensor.Ones [| 1; 1 |], "max")
                    |> ignore)
                |> fun e -> mentions "scatterReduce" e [ "scatterReduce:"; "amax" ]

                raises<ArgumentException> "embeddingBag offsets" (fun () ->
                    Tensor.EmbeddingBag(longs [| 0L; 1L |] [| 2 |], x, longs [| 1L |] [| 1 |])
                    |> ignore)
                |> fun e -> mentions "embeddingBag" e [ "embeddingBag:"; "offsets start at 0" ]

                raises<ArgumentOutOfRangeException> "paddingIdx" (fun () ->
                    Tensor.Embedding(longs [| 0L |] [| 1 |], x, Nullable 3) |> ignore)
                |> fun e -> mentions "paddingIdx" e [ "embedding:"; "paddingIdx 3"; "[-3, 2]" ]
            }

            test "nonzero, maskedSelect, a mask index and oneHot without numClasses refuse vmap and compile" {
                let x = Tensor.FromArray [| 0.0; 2.0 |]
                let xs = Tensor.FromArray([| 0.0; 2.0; 1.0; 0.0 |], [| 2; 2 |])
                let m = Tensor.FromArray [| true; false |]

                for name, f in
                    [
                        "nonzero", (fun (t: Tensor) -> t.Nonzero().ToDType DType.Float64)
                        "maskedSelect", (fun t -> t.MaskedSelect m)
                        "index with a bool mask", (fun t -> t.[t.Gt(Tensor.Scalar 1.0)])
                        "oneHot without numClasses", (fun t -> (t.ToDType DType.Int64).OneHot().ToDType DType.Float64)
                    ] do
                    let e =
                        raises<VmapException> (name + " in vmap") (fun () -> Autodiff.Vmap(Func<_, _> f, xs) |> ignore)

                    mentions name e [ "vmap:"; "depends on the values" ]

                    let e =
                        raises<CompileException> (name + " in compile") (fun () ->
                            (Autodiff.Compile(Func<_, _> f)).Invoke x |> ignore)

                    mentions name e [ "compile:"; "depends on the values" ]
            }
        ]

let private fsharpTests =
    testList
        "F#"
        [
            test "x.[idx] with index tensors, and the Tensor module's functions" {
                let x = Tensor.arange 6 |> Tensor.reshape [| 2; 3 |]
                equalValues "x.[idx]" (x.[Tensor.ofInt64Array [| 1L |]]) [| 3.0; 4.0; 5.0 |]

                equalValues
                    "x.[rows, cols]"
                    (x.[Tensor.ofInt64Array [| 1L; 0L |], Tensor.ofInt64Array [| -1L; 0L |]])
                    [| 5.0; 0.0 |]

                let g =
                    x
                    |> Tensor.gather 1 (Tensor.ofInt64Array [| 2L; 0L |] |> Tensor.reshape [| 2; 1 |])

                equalValues "gather" g [| 2.0; 3.0 |]

                let s =
                    Tensor.zeros [| 2 |]
                    |> Tensor.scatterAdd 0 (Tensor.ofInt64Array [| 1L; 1L |]) (Tensor.ofList [ 1.0; 2.0 ])

                equalValues "scatterAdd" s [| 0.0; 3.0 |]
                let e = Tensor.ofInt64Array [| 1L |] |> Tensor.embeddingWith 0 x
                equalValues "embeddingWith" e [| 3.0; 4.0; 5.0 |]
            }
        ]

[<Tests>]
let tests =
    testList "indexing with tensors" [ valueTests; gradientTests; errorTests; fsharpTests ]
