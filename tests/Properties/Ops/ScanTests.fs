/// The scans of Ops/Scans.cs against loops over .NET arrays written here: every axis of several shapes, both float
/// dtypes and the integer ones, the parallel kernel's sizes, cumprod's gradient at zeros against the product formula,
/// logcumsumexp at ±1e4 and −inf against a log-sum-exp per prefix, cummax and cummin at ties and NaN. Finite-difference
/// checks of the rules (to order 2), vmap and compile are the rows "cumsum" … "cummin" of OpSpec.fs.
module Ops.ScanTests

open System
open Expecto
open FuncGrad
open Support.Check

/// The lines of a row-major array of shape along axis: each line's element offsets, in order along the axis.
let private lines (shape: int[]) (axis: int) =
    let n = shape[axis]
    let inner = Array.fold (*) 1 shape[axis + 1 ..]
    let outer = Array.fold (*) 1 shape[.. axis - 1]

    [|
        for o in 0 .. outer - 1 do
            for j in 0 .. inner - 1 do
                Array.init n (fun k -> (o * n + k) * inner + j)
    |]

/// f applied to every line of values along axis (f maps a line's values to the results at the same places).
let private perLine (shape: int[]) (axis: int) (f: 'a[] -> 'b[]) (values: 'a[]) : 'b[] =
    let r = Array.zeroCreate values.Length

    for line in lines shape axis do
        let out = f (line |> Array.map (fun i -> values[i]))
        Array.iteri (fun k i -> r[i] <- out[k]) line

    r

/// Running results in order, each from the previous and the next element (the sequential definition).
let private running (step: 'a -> 'a -> 'a) (line: 'a[]) =
    if line.Length = 0 then
        [||]
    else
        Array.scan step line[0] line[1..]

let private shapes =
    [ [| 7 |]; [| 3; 5 |]; [| 2; 3; 4 |]; [| 2; 1; 3; 5 |]; [| 4; 0; 3 |]; [| 1 |] ]

/// Every (shape, axis) pair, the axis given as written (negative ones too) and as normalised.
let private cases =
    [
        for s in shapes do
            for a in 0 .. s.Length - 1 do
                s, a, a
                s, a - s.Length, a
    ]

let private values (rng: Random) (shape: int[]) =
    Array.init (Array.fold (*) 1 shape) (fun _ -> Math.Round(rng.NextDouble() * 4.0 - 2.0, 3))

/// The scan's result against the loop's, bit for bit: the kernel adds (or multiplies) in order along each line.
let private sequential
    name
    (scan: Tensor -> int -> Tensor)
    (step64: float -> float -> float)
    (step32: float32 -> float32 -> float32)
    =
    test $"{name}: every axis of several shapes, float64 and float32, bit for bit as the loop in order" {
        let rng = Random 7

        for shape, axis, a in cases do
            let v = values rng shape
            let x = Tensor.FromArray(v, shape)
            let y = scan x axis
            Expect.sequenceEqual (shapeOf y) shape $"{name} {shape} axis {axis}: shape"
            Expect.equal (y.ToArray()) (perLine shape a (running step64) v) $"{name} {shape} axis {axis}: float64"
            let v32 = Array.map float32 v
            let y32 = scan (Tensor.FromArray(v32, shape)) axis
            Expect.equal y32.DType DType.Float32 $"{name}: float32 stays float32"

            Expect.equal
                (y32.ToFloatArray())
                (perLine shape a (running step32) v32)
                $"{name} {shape} axis {axis}: float32"
    }

/// log Σ_(j ≤ i) e^(x_j) for each i, by the maximum of each prefix: a different computation from the kernel's running
/// log-add-exp.
let private logSumExpPrefixes (line: float[]) =
    line
    |> Array.mapi (fun i _ ->
        let prefix = line[..i]
        let m = Array.max prefix

        if Double.IsNegativeInfinity m then
            m
        else
            m + log (prefix |> Array.sumBy (fun v -> exp (v - m))))

/// The last index of the running maximum (or minimum) of each prefix, NaN propagating with each later NaN taking over.
let private runningExtreme (max: bool) (line: float[]) =
    let mutable best = nan
    let mutable at = -1

    line
    |> Array.mapi (fun i v ->
        if
            i = 0
            || Double.IsNaN v
            || (not (Double.IsNaN best) && (if max then v >= best else v <= best))
        then
            best <- v
            at <- i

        best, int64 at)

let private grad (f: Tensor -> Tensor) (x: Tensor) =
    Autodiff.Grad(Func<Tensor, Tensor> f, x)

let private jvp (f: Tensor -> Tensor) (x: Tensor) (v: Tensor) =
    let struct (_, t) = Autodiff.Jvp(Func<Tensor, Tensor> f, x, v)
    t

/// ∂/∂x_j of Σ_i g_i · Π_(k ≤ i) x_k along a line, as Σ_(i ≥ j) g_i · Π_(k ≤ i, k ≠ j) x_k: the product formula, exact
/// at zeros, with no division.
let private cumprodVjp (x: float[]) (g: float[]) =
    Array.init x.Length (fun j ->
        seq { j .. x.Length - 1 }
        |> Seq.sumBy (fun i ->
            g[i]
            * (seq { 0..i } |> Seq.filter ((<>) j) |> Seq.fold (fun p k -> p * x[k]) 1.0)))

[<Tests>]
let tests =
    testList
        "scans"
        [
            sequential "cumsum" (fun x a -> x.Cumsum a) (+) (+)
            sequential "cumprod" (fun x a -> x.Cumprod a) (*) (*)

            test "cumsum (both ways) and cumprod on the parallel kernel's sizes, every axis, as the loop" {
                let rng = Random 3

                for shape in [ [| 300; 700 |]; [| 3; 70_000 |]; [| 70_001 |]; [| 2; 300; 200 |] ] do
                    let v = values rng shape
                    let x = Tensor.FromArray(v, shape)

                    for a in 0 .. shape.Length - 1 do
                        Expect.equal
                            ((x.Cumsum a).ToArray())
                            (perLine shape a (running (+)) v)
                            $"cumsum {shape} axis {a}"
                        // its gradient runs the kernel backwards
                        let fromEnd line =
                            running (+) (Array.rev line) |> Array.rev

                        let g = v |> Array.map (fun u -> 0.5 * u)
                        let d = grad (fun t -> (t.Cumsum a * Tensor.FromArray(g, shape)).Sum()) x
                        Expect.equal (d.ToArray()) (perLine shape a fromEnd g) $"cumsum's gradient {shape} axis {a}"

                    let small = v |> Array.map (fun u -> 1.0 + u / 1000.0)

                    Expect.equal
                        ((Tensor.FromArray(small, shape).Cumprod(-1)).ToArray())
                        (perLine shape (shape.Length - 1) (running (*)) small)
                        $"cumprod {shape}"
            }

            test "cumprod's and logcumsumexp's rules on whole matrices give each line's bits alone" {
                let rng = Random 29
                let m = 260 // 67,600 elements: the kernels split the work and scan rows side by side

                let v =
                    Array.init (m * m) (fun i ->
                        if i % 97 = 0 then
                            0.0
                        else
                            1.0 + (rng.NextDouble() - 0.5) / 50.0)

                let g =
                    Tensor.FromArray(Array.init (m * m) (fun _ -> rng.NextDouble() - 0.5), [| m; m |])

                let x = Tensor.FromArray(v, [| m; m |])

                for name, scan in
                    [
                        "cumprod", (fun (t: Tensor) (a: int) -> t.Cumprod a)
                        "logcumsumexp", (fun t a -> t.Logcumsumexp a)
                    ] do
                    for a in 0..1 do
                        let line (t: Tensor) (i: int) =
                            if a = 1 then t.[i].Unsqueeze 0 else t.[*, i].Unsqueeze 1

                        let whole = grad (fun t -> (scan t a * g).Sum()) x
                        let t = Tensor.RandomNormal([| m; m |], 3)
                        let forward = jvp (fun u -> scan u a) x t

                        for i in [ 0; 1; 7; 130; m - 1 ] do
                            let alone = grad (fun u -> (scan u a * line g i).Sum()) (line x i)
                            bitwise $"{name} VJP, line {i} along axis {a}" alone (line whole i)
                            let tangent = jvp (fun u -> scan u a) (line x i) (line t i)
                            bitwise $"{name} JVP, line {i} along axis {a}" tangent (line forward i)
            }

            test "cumsum's gradient is the running sum from the end, bit for bit" {
                let rng = Random 5

                for shape, axis, a in cases do
                    let g = values rng shape
                    let x = Tensor.FromArray(values rng shape, shape)
                    let d = grad (fun t -> (t.Cumsum axis * Tensor.FromArray(g, shape)).Sum()) x

                    let fromEnd line =
                        running (+) (Array.rev line) |> Array.rev

                    Expect.equal (d.ToArray()) (perLine shape a fromEnd g) $"{shape} axis {axis}"
            }

            test "cumsum and cumprod of int64, int32 and bool give int64, as the loop in checked int64" {
                let rng = Random 11

                for shape, axis, a in cases do
                    let v = Array.init (Array.fold (*) 1 shape) (fun _ -> int64 (rng.Next(-9, 10)))

                    for x in [ Tensor.FromArray(v, shape); Tensor.FromArray(Array.map int v, shape) ] do
                        let s = x.Cumsum axis
                        Expect.equal s.DType DType.Int64 $"cumsum of {x.DType}"
                        Expect.equal (s.ToInt64Array()) (perLine shape a (running (+)) v) $"cumsum {shape} axis {axis}"
                        let p = x.Cumprod axis
                        Expect.equal p.DType DType.Int64 $"cumprod of {x.DType}"
                        Expect.equal (p.ToInt64Array()) (perLine shape a (running (*)) v) $"cumprod {shape} axis {axis}"

                    let b = v |> Array.map (fun u -> u > 0L)
                    let s = Tensor.FromArray(b, shape).Cumsum axis
                    Expect.equal s.DType DType.Int64 "cumsum of bool"

                    let counts =
                        perLine shape a (running (+)) (b |> Array.map (fun u -> if u then 1L else 0L))

                    Expect.equal (s.ToInt64Array()) counts $"cumsum of bool {shape} axis {axis}"
            }

            test "an integer sum or product that leaves int64's range is an error naming the op and the axis" {
                let big = Tensor.FromArray([| Int64.MaxValue - 1L; 2L; 3L |])
                let e = raises<OverflowException> "cumsum" (fun () -> big.Cumsum 0 |> ignore)
                Expect.stringContains e.Message "cumsum" "the op"
                Expect.stringContains e.Message "axis 0" "the axis"
                Expect.stringContains e.Message "ToDType(DType.Float64)" "what to do"
                let p = raises<OverflowException> "cumprod" (fun () -> big.Cumprod 0 |> ignore)
                Expect.stringContains p.Message "cumprod" "the op"
                // along axis 0 of a matrix, whole rows are added at once (a path of its own)
                let rows = Tensor.FromArray([| Int64.MaxValue - 1L; 1L; 2L; 1L |], [| 2; 2 |])

                raises<OverflowException> "cumsum of rows" (fun () -> rows.Cumsum 0 |> ignore)
                |> ignore

                raises<OverflowException> "cumprod of rows" (fun () -> rows.Cumprod 0 |> ignore)
                |> ignore
            }

            test "logcumsumexp on every axis against a log-sum-exp of each prefix" {
                let rng = Random 13

                for shape, axis, a in cases do
                    let v = values rng shape |> Array.map (fun u -> 3.0 * u)
                    let expected = perLine shape a logSumExpPrefixes v
                    let y = Tensor.FromArray(v, shape).Logcumsumexp axis
                    close $"float64 {shape} axis {axis}" 1e-14 1e-14 y (Tensor.FromArray(expected, shape))
                    let y32 = Tensor.FromArray(Array.map float32 v, shape).Logcumsumexp axis

                    close
                        $"float32 {shape} axis {axis}"
                        1e-6
                        1e-6
                        (y32.ToDType DType.Float64)
                        (Tensor.FromArray(expected, shape))
            }

            test "logcumsumexp at ±1e4: finite values and gradients, as the per-prefix computation, both dtypes" {
                let v = [| 1e4; -1e4; 1e4 - 3.0; 0.0; -1e4; 1e4 + 0.5; -0.25; 9999.0 |]
                let y = logSumExpPrefixes v
                let g = [| 0.5; -1.0; 2.0; 0.25; 1.0; -0.75; 1.5; -2.0 |]
                // ∂/∂x_j of Σ_i g_i y_i = Σ_(i ≥ j) g_i e^(x_j − y_i), each weight ≤ 1
                let d =
                    Array.init v.Length (fun j ->
                        seq { j .. v.Length - 1 } |> Seq.sumBy (fun i -> g[i] * exp (v[j] - y[i])))

                let f (t: Tensor) =
                    (t.Logcumsumexp 0 * Tensor.FromArray(g).ToDType t.DType).Sum()

                // gradient tolerances: the weights e^(x − y) carry y's rounding, an ulp of 1e4 (2^−10 in float32)
                for dtype, tol, gtol in [ DType.Float64, 1e-12, 1e-11; DType.Float32, 1e-6, 2e-3 ] do
                    let x = Tensor.FromArray(v).ToDType dtype
                    let value = x.Logcumsumexp 0
                    Expect.isTrue (value.ToArray() |> Array.forall Double.IsFinite) $"{dtype}: finite values"
                    close $"{dtype}: values" tol 0.0 (value.ToDType DType.Float64) (Tensor.FromArray y)
                    let dx = grad f x
                    Expect.isTrue (dx.ToArray() |> Array.forall Double.IsFinite) $"{dtype}: finite gradient"
                    close $"{dtype}: gradient" gtol gtol (dx.ToDType DType.Float64) (Tensor.FromArray d)

                    let u =
                        Tensor.FromArray(Array.init v.Length (fun i -> float (i % 3) - 1.0)).ToDType dtype

                    let jv = jvp (fun t -> t.Logcumsumexp 0) x u

                    let expected =
                        Array.init v.Length (fun i ->
                            seq { 0..i } |> Seq.sumBy (fun j -> exp (v[j] - y[i]) * float (j % 3 - 1)))

                    close $"{dtype}: forward mode" gtol gtol (jv.ToDType DType.Float64) (Tensor.FromArray expected)
                    let hv = jvp (grad f) x u
                    Expect.isTrue (hv.ToArray() |> Array.forall Double.IsFinite) $"{dtype}: finite second order"
            }

            test "logcumsumexp of −inf: −inf while every element so far is −inf, gradient 0 there, no NaN at order 2" {
                let ninf = Double.NegativeInfinity
                let x = Tensor.FromArray([| ninf; ninf; 1.0; ninf; 2.0 |])
                let y = x.Logcumsumexp 0
                Expect.equal (y.ToArray()) (logSumExpPrefixes (x.ToArray())) "values"

                let f (t: Tensor) =
                    (t.Logcumsumexp 0 * Tensor.FromArray [| 1.0; -2.0; 0.5; 1.0; 3.0 |]).Sum()

                let d = grad f x
                Expect.equal (d.ToArray()[0..1]) [| 0.0; 0.0 |] "no gradient to the −inf prefix"
                Expect.equal (d.ToArray()[3]) 0.0 "nor to a later −inf"
                let hv = jvp (grad f) x (Tensor.FromArray [| 1.0; 1.0; 1.0; 1.0; 1.0 |])
                Expect.isFalse (hv.ToArray() |> Array.exists Double.IsNaN) "second order has no NaN"
                let all = Tensor.FromArray([| ninf; ninf |])
                Expect.equal ((all.Logcumsumexp 0).ToArray()) [| ninf; ninf |] "all −inf"
                Expect.equal ((grad (fun t -> (t.Logcumsumexp 0).Sum()) all).ToArray()) [| 0.0; 0.0 |] "gradient 0"
            }

            test "cumprod's gradient at zeros (none, one, two, at the ends) is the product formula, both modes" {
                let rng = Random 17

                for line in
                    [
                        [| 2.0; -1.5; 0.5; 3.0; -0.75 |]
                        [| 2.0; 0.0; 0.5; 3.0; -0.75 |]
                        [| 0.0; -1.5; 0.5; 3.0; -0.75 |]
                        [| 2.0; 0.0; 0.5; 0.0; -0.75 |]
                        [| 2.0; -1.5; 0.5; 3.0; 0.0 |]
                        [| 0.0; 0.0; 0.0 |]
                    ] do
                    let g = Array.init line.Length (fun _ -> rng.NextDouble() - 0.5)
                    let x = Tensor.FromArray line
                    let d = grad (fun t -> (t.Cumprod 0 * Tensor.FromArray g).Sum()) x
                    close $"VJP at {line}" 1e-14 1e-14 d (Tensor.FromArray(cumprodVjp line g))
                    // the Jacobian's column j is the VJP formula's row: J[i, j] = Π_(k ≤ i, k ≠ j) x_k for j ≤ i
                    let v = Array.init line.Length (fun _ -> rng.NextDouble() - 0.5)

                    let jv =
                        Array.init line.Length (fun i ->
                            seq { 0..i }
                            |> Seq.sumBy (fun j ->
                                v[j]
                                * (seq { 0..i } |> Seq.filter ((<>) j) |> Seq.fold (fun p k -> p * line[k]) 1.0)))

                    close
                        $"JVP at {line}"
                        1e-14
                        1e-14
                        (jvp (fun t -> t.Cumprod 0) x (Tensor.FromArray v))
                        (Tensor.FromArray jv)
                    // along axis 1 of a batch of such lines, float32 too
                    let m = Tensor.Stack([| x; x * 2.0 |])
                    let gm = Tensor.FromArray(Array.append g g, [| 2; line.Length |])

                    let dm =
                        grad (fun t -> (t.Cumprod 1 * gm.ToDType t.DType).Sum()) (m.ToDType DType.Float32)

                    let expected =
                        Array.append (cumprodVjp line g) (cumprodVjp (line |> Array.map ((*) 2.0)) g)

                    close
                        $"float32 rows at {line}"
                        1e-5
                        1e-5
                        (dm.ToDType DType.Float64)
                        (Tensor.FromArray(expected, [| 2; line.Length |]))
            }

            test "cummax and cummin: values and the last index of ties, as the loop, on every axis" {
                let rng = Random 19

                for shape, axis, a in cases do
                    // few distinct values, so ties are common
                    let v = Array.init (Array.fold (*) 1 shape) (fun _ -> float (rng.Next 4))

                    for max, scan in
                        [
                            true, (fun (t: Tensor) -> t.Cummax axis)
                            false, (fun (t: Tensor) -> t.Cummin axis)
                        ] do
                        let expected = perLine shape a (runningExtreme max) v

                        for x in [ Tensor.FromArray(v, shape); Tensor.FromArray(v, shape).ToDType DType.Float32 ] do
                            let struct (values, indices) = scan x
                            Expect.equal values.DType x.DType "values keep the dtype"
                            Expect.equal indices.DType DType.Int64 "indices are int64"

                            Expect.equal
                                (values.ToArray())
                                (Array.map fst expected)
                                $"values {shape} axis {axis} max={max}"

                            Expect.equal
                                (indices.ToInt64Array())
                                (Array.map snd expected)
                                $"indices {shape} axis {axis} max={max}"

                        let struct (iv, ii) = scan (Tensor.FromArray(Array.map int64 v, shape))
                        Expect.equal iv.DType DType.Int64 "int64 values"
                        Expect.equal (iv.ToArray()) (Array.map fst expected) "int64 values as the loop"
                        Expect.equal (ii.ToInt64Array()) (Array.map snd expected) "int64 indices as the loop"
            }

            test "cummax at ties and NaN: PyTorch's CPU convention, the last index, NaN taking over" {
                let struct (v, i) = Tensor.FromArray([| 1.0; 3.0; 3.0; 2.0; 3.0 |]).Cummax 0
                Expect.equal (v.ToArray()) [| 1.0; 3.0; 3.0; 3.0; 3.0 |] "values"
                Expect.equal (i.ToInt64Array()) [| 0L; 1L; 2L; 2L; 4L |] "the last of equal maxima"
                let struct (mv, mi) = Tensor.FromArray([| 2.0; 1.0; 1.0; 3.0 |]).Cummin 0
                Expect.equal (mv.ToArray()) [| 2.0; 1.0; 1.0; 1.0 |] "min values"
                Expect.equal (mi.ToInt64Array()) [| 0L; 1L; 2L; 2L |] "the last of equal minima"
                let struct (nv, ni) = Tensor.FromArray([| 1.0; nan; 2.0; nan; 0.0 |]).Cummax 0
                Expect.isTrue (nv.ToArray()[1..] |> Array.forall Double.IsNaN) "NaN propagates"
                Expect.equal (ni.ToInt64Array()) [| 0L; 1L; 1L; 3L; 3L |] "each later NaN takes over the index"
            }

            test "cummax and cummin send each cotangent to the index they report, in both modes" {
                let rng = Random 23

                for shape, axis, a in cases do
                    let v = Array.init (Array.fold (*) 1 shape) (fun _ -> float (rng.Next 4))
                    let g = values rng shape

                    for max, scan in
                        [
                            true, (fun (t: Tensor) -> t.Cummax axis)
                            false, (fun (t: Tensor) -> t.Cummin axis)
                        ] do
                        let x = Tensor.FromArray(v, shape)
                        let struct (_, indices) = scan x
                        let at = indices.ToInt64Array()
                        let lineOf = Array.zeroCreate v.Length

                        for line in lines shape a do
                            Array.iter (fun e -> lineOf[e] <- line) line

                        // element e's cotangent goes to the element of its line at position at[e]
                        let expected = Array.zeroCreate v.Length

                        for e in 0 .. v.Length - 1 do
                            let target: int[] = lineOf[e]
                            expected[target[int at[e]]] <- expected[target[int at[e]]] + g[e]

                        let values (t: Tensor) = let struct (vs, _) = scan t in vs
                        let d = grad (fun t -> (values t * Tensor.FromArray(g, shape)).Sum()) x
                        Expect.equal (d.ToArray()) expected $"VJP {shape} axis {axis} max={max}"
                        let gathered = Array.init v.Length (fun e -> g[lineOf[e][int at[e]]])
                        let t = jvp values x (Tensor.FromArray(g, shape))
                        Expect.equal (t.ToArray()) gathered $"JVP {shape} axis {axis} max={max}"
            }

            test "a bad axis or dtype is an error that names the op, the axis and the valid range or what to do" {
                let x = Tensor.Zeros [| 2; 3 |]

                for name, f in
                    [
                        "cumsum", (fun () -> x.Cumsum 2 |> ignore)
                        "cumprod", (fun () -> x.Cumprod(-3) |> ignore)
                        "logcumsumexp", (fun () -> x.Logcumsumexp 5 |> ignore)
                        "cummax", (fun () -> x.Cummax 2 |> ignore)
                        "cummin", (fun () -> x.Cummin(-3) |> ignore)
                        "cumsum", (fun () -> (Tensor.Scalar 1.0).Cumsum 1 |> ignore)
                    ] do
                    let e = raises<AxisOutOfRangeException> name f
                    Expect.stringContains e.Message name "the op"
                    Expect.stringContains e.Message "axis" "the axis"
                    Expect.stringContains e.Message "use an axis in [" "the valid range"

                let bools = Tensor.FromArray [| true; false |]

                let e =
                    raises<DTypeMismatchException> "cummax of bool" (fun () -> bools.Cummax 0 |> ignore)

                Expect.stringContains e.Message "ToDType(DType.Int64)" "what to do"
                let ints = Tensor.FromArray [| 1L; 2L |]

                let l =
                    raises<DTypeMismatchException> "logcumsumexp of int64" (fun () -> ints.Logcumsumexp 0 |> ignore)

                Expect.stringContains l.Message "Logcumsumexp" "the op"
                Expect.stringContains l.Message "ToDType(DType.Float64)" "what to do"
            }

            test "integer scans under vmap and compile give the loop's values" {
                let x =
                    Tensor.FromArray(Array.init 24 (fun i -> int64 ((i * 7) % 5 - 2)), [| 2; 3; 4 |])

                let f (t: Tensor) =
                    let struct (m, i) = t.Cummax 1
                    Tensor.Stack([| t.Cumsum 1; t.Cumprod(-1); m; i |])

                let loop = Tensor.Stack([| for b in 0..1 -> f x.[b] |])

                for inAxis in 0..2 do
                    // the batch axis of x moved to inAxis
                    let moved = x.Permute(Array.insertAt inAxis 0 [| 1; 2 |])
                    let mapped = Autodiff.Vmap(Func<Tensor, Tensor> f, moved, inAxis)
                    Expect.equal (mapped.ToInt64Array()) (loop.ToInt64Array()) $"vmap over axis {inAxis}"

                let compiled = Autodiff.Compile(Func<Tensor, Tensor> f)
                Expect.equal ((compiled.Invoke x.[1]).ToInt64Array()) ((f x.[1]).ToInt64Array()) "compile"
            }

            test "a scalar scans as one element along axis 0 or −1, as in PyTorch" {
                let s = Tensor.Scalar 2.5

                for axis in [ 0; -1 ] do
                    Expect.equal (s.Cumsum axis) s "cumsum"
                    Expect.equal (s.Cumprod axis) s "cumprod"
                    Expect.equal (s.Logcumsumexp axis) s "logcumsumexp"
                    let struct (v, i) = s.Cummax axis
                    Expect.equal v s "cummax value"
                    Expect.equal (i.ToInt64Array()) [| 0L |] "cummax index"
                    Expect.sequenceEqual (shapeOf i) [||] "a scalar index"
            }
        ]
