namespace FuncGrad

open System
open System.Collections
open System.Collections.Generic
open System.Globalization
open System.Text
open Microsoft.FSharp.Reflection

/// <summary>The comparisons GradCheck makes; a failure names the one that disagreed.</summary>
/// <example><code>failure.Check = GradCheckKind.Reverse // the VJP disagreed with finite differences</code></example>
type GradCheckKind =
    /// <summary>Reverse mode (the VJP) against central finite differences.</summary>
    /// <example><code>failure.Check = GradCheckKind.Reverse // the VJP was wrong</code></example>
    | Reverse = 0
    /// <summary>Forward mode (the JVP) against central finite differences.</summary>
    /// <example><code>failure.Check = GradCheckKind.Forward // the JVP was wrong</code></example>
    | Forward = 1
    /// <summary>Forward against reverse mode: ⟨u, J v⟩ = ⟨Jᵀu, v⟩, no finite differences involved.</summary>
    /// <example><code>failure.Check = GradCheckKind.Adjoint // the JVP and VJP disagree</code></example>
    | Adjoint = 2

/// <summary>
/// How GradCheck checks. The defaults (<see cref="P:FuncGrad.GradCheckOptions.Default"/>) are for float64.
/// </summary>
/// <remarks>
/// A central difference with step 1e-6 has a truncation error near 1e-13·|f'''| and a rounding error near
/// 1e-10·|f|, so an entry passes when |analytic − numeric| ≤ atol + rtol·|numeric| + (the rounding bound of
/// that difference), with rtol 1e-5 and atol 1e-6. Forward and reverse mode are compared with each other
/// at a relative 1e-10, since no finite difference is involved there.
/// </remarks>
/// <example><code>
/// { GradCheckOptions.Default with Order = 2; Fast = true } // second order, random projections
/// </code></example>
type GradCheckOptions =
    {
        /// <summary>The finite-difference step (absolute, on each input element or along a unit direction).</summary>
        /// <example><code>{ GradCheckOptions.Default with Eps = 1e-5 }</code></example>
        Eps: float
        /// <summary>The relative tolerance of a finite-difference comparison.</summary>
        /// <example><code>{ GradCheckOptions.Default with Rtol = 1e-4 }</code></example>
        Rtol: float
        /// <summary>The absolute tolerance of a finite-difference comparison.</summary>
        /// <example><code>{ GradCheckOptions.Default with Atol = 1e-5 }</code></example>
        Atol: float
        /// <summary>
        /// The relative tolerance of the adjointness check, relative to ‖J v‖ + ‖Jᵀu‖ for unit u and v, with a floor
        /// of AdjointRtol·Atol: a derivative that is zero, computed as rounding noise, is not measured against its own
        /// size.
        /// </summary>
        /// <example><code>{ GradCheckOptions.Default with AdjointRtol = 1e-8 }</code></example>
        AdjointRtol: float
        /// <summary>
        /// Check derivatives up to this order: 2 repeats every check on u ↦ Jᵀu (reverse over reverse and forward
        /// over reverse).
        /// </summary>
        /// <example><code>{ GradCheckOptions.Default with Order = 3 } // up to third derivatives</code></example>
        Order: int
        /// <summary>
        /// Compare along random directions (uᵀ J v) instead of building the full Jacobian: cost independent of the
        /// size.
        /// </summary>
        /// <example><code>{ GradCheckOptions.Default with Fast = true } // many elements</code></example>
        Fast: bool
        /// <summary>Random directions per check in fast mode, and for the adjointness check.</summary>
        /// <example><code>{ GradCheckOptions.Default with Fast = true; Directions = 10 }</code></example>
        Directions: int
        /// <summary>Run the reverse-mode (VJP) check.</summary>
        /// <example><code>{ GradCheckOptions.Default with Reverse = false } // skip the VJP check</code></example>
        Reverse: bool
        /// <summary>Run the forward-mode (JVP) check.</summary>
        /// <example><code>{ GradCheckOptions.Default with Forward = false } // skip the JVP check</code></example>
        Forward: bool
        /// <summary>Run the forward-versus-reverse adjointness check.</summary>
        /// <example><code>{ GradCheckOptions.Default with Adjoint = false } // skip this check</code></example>
        Adjoint: bool
        /// <summary>
        /// On a failure, look for the first op (in topological order) whose own rule disagrees with finite differences.
        /// </summary>
        /// <example><code>{ GradCheckOptions.Default with Blame = false } // no search</code></example>
        Blame: bool
        /// <summary>Seed of the random directions and cotangents: the same seed gives the same checks.</summary>
        /// <example><code>{ GradCheckOptions.Default with Fast = true; Seed = 7 } // other directions</code></example>
        Seed: int
        /// <summary>
        /// Accept float32 inputs and outputs (use with <see cref="P:FuncGrad.GradCheckOptions.Float32"/>'s tolerances).
        /// </summary>
        /// <example><code>GradCheckOptions.Float32.AllowFloat32 // true</code></example>
        AllowFloat32: bool
    }

    /// <summary>float64 defaults: eps 1e-6, rtol 1e-5, atol 1e-6, adjoint rtol 1e-10, order 1, full Jacobian, all
    /// checks, blame on.</summary>
    /// <example><code>GradCheck.check GradCheckOptions.Default sin (scalar 1.0)</code></example>
    static member Default =
        {
            Eps = 1e-6
            Rtol = 1e-5
            Atol = 1e-6
            AdjointRtol = 1e-10
            Order = 1
            Fast = false
            Directions = 3
            Reverse = true
            Forward = true
            Adjoint = true
            Blame = true
            Seed = 0
            AllowFloat32 = false
        }

    /// <summary>
    /// float32 defaults: eps 1e-3, rtol 1e-2, atol 1e-3, adjoint rtol 1e-4.
    /// </summary>
    /// <remarks>
    /// float32 keeps about 7 digits and a central difference loses about half of them, so only errors above about 1%
    /// can be told from noise. Prefer float64: FuncGrad's rules are the same code in both dtypes.
    /// </remarks>
    /// <example><code>GradCheck.check GradCheckOptions.Float32 sin (scalar32 1.0f)</code></example>
    static member Float32 =
        { GradCheckOptions.Default with
            Eps = 1e-3
            Rtol = 1e-2
            Atol = 1e-3
            AdjointRtol = 1e-4
            AllowFloat32 = true
        }

    /// <summary>These options checking up to order <paramref name="order"/> (for C#).</summary>
    /// <example><code>GradCheckOptions.Default.WithOrder(2)</code></example>
    member o.WithOrder(order: int) = { o with Order = order }

    /// <summary>These options with random projections (fast) or the full Jacobian (for C#).</summary>
    /// <example><code>GradCheckOptions.Default.WithFast(true)</code></example>
    member o.WithFast(fast: bool) = { o with Fast = fast }

    /// <summary>These options with another finite-difference step and tolerances (for C#).</summary>
    /// <example><code>GradCheckOptions.Default.WithTolerances(1e-6, 1e-4, 1e-5)</code></example>
    member o.WithTolerances(eps: float, rtol: float, atol: float) =
        { o with
            Eps = eps
            Rtol = rtol
            Atol = atol
        }

    /// <summary>These options with another seed for the random directions (for C#).</summary>
    /// <example><code>GradCheckOptions.Default.WithSeed(42)</code></example>
    member o.WithSeed(seed: int) = { o with Seed = seed }

/// <summary>
/// The op GradCheck holds responsible for a failure: the first op, in topological order, whose own rule
/// disagrees with finite differences of its own value at the arguments it was given.
/// </summary>
/// <example><code>failure.Blame |> Option.map (fun b -> b.Op) // Some "Sin"</code></example>
type OpBlame =
    {
        /// <summary>The op's name (as grad_fn shows it; a custom rule shows the name it was given).</summary>
        /// <example><code>printfn "blame %s" blame.Op // e.g. "blame logcosh"</code></example>
        Op: string
        /// <summary>Its position in topological order, from 1.</summary>
        /// <example><code>printfn "op %d of %d" blame.Position blame.OpCount // e.g. "op 3 of 5"</code></example>
        Position: int
        /// <summary>How many ops the checked function recorded.</summary>
        /// <example><code>printfn "op %d of %d" blame.Position blame.OpCount // e.g. "op 3 of 5"</code></example>
        OpCount: int
        /// <summary>The rule that disagrees: Reverse for the VJP, Forward for the JVP.</summary>
        /// <example><code>blame.Rule = GradCheckKind.Reverse // the op's VJP rule is the wrong one</code></example>
        Rule: GradCheckKind
        /// <summary>The plain values of the op's arguments where it was checked.</summary>
        /// <example><code>blame.Arguments |> List.map (fun a -> List.ofSeq a.Shape) // the shapes</code></example>
        Arguments: Tensor list
        /// <summary>⟨Jᵀu, v⟩ from the VJP rule, or an element of J v from the JVP rule.</summary>
        /// <example><code>printfn "rule %g, finite differences %g" blame.Analytic blame.Numeric</code></example>
        Analytic: float
        /// <summary>The same quantity from central finite differences of the op's value.</summary>
        /// <example><code>printfn "rule %g, finite differences %g" blame.Analytic blame.Numeric</code></example>
        Numeric: float
        /// <summary>|Analytic − Numeric|.</summary>
        /// <example><code>printfn "off by %g (%g relative)" blame.AbsError blame.RelError</code></example>
        AbsError: float
        /// <summary>AbsError / |Numeric|.</summary>
        /// <example><code>printfn "off by %g (%g relative)" blame.AbsError blame.RelError</code></example>
        RelError: float
    }

/// <summary>One disagreement found by GradCheck: the worst entry of one check at one order.</summary>
/// <example><code>$"{f.Check} at {f.Input}{f.Index}: {f.Analytic} vs {f.Numeric}"</code></example>
type GradCheckFailure =
    {
        /// <summary>Which comparison disagreed.</summary>
        /// <example><code>failure.Check = GradCheckKind.Forward // the JVP disagreed</code></example>
        Check: GradCheckKind
        /// <summary>1 for the function itself, 2 for its first derivative (u ↦ Jᵀu), and so on.</summary>
        /// <example><code>failure.Order = 2 // the second derivatives are wrong</code></example>
        Order: int
        /// <summary>
        /// The input (a name from the structure, "x" for a single tensor) or "all inputs" for a random direction.
        /// </summary>
        /// <example><code>printfn "%s%A" failure.Input failure.Index // e.g. x[|1|]</code></example>
        Input: string
        /// <summary>The input element (a multi-index); empty when the direction was random.</summary>
        /// <example><code>printfn "%s%A" failure.Input failure.Index // e.g. x[|1|]</code></example>
        Index: int[]
        /// <summary>
        /// The output element (a multi-index into the output, flattened for structured outputs); empty for a
        /// projection.
        /// </summary>
        /// <example><code>failure.Output // e.g. [|0|]: the first output element</code></example>
        Output: int[]
        /// <summary>The direction the derivative was taken along, in words.</summary>
        /// <example><code>printfn "along %s" failure.Direction</code></example>
        Direction: string
        /// <summary>The derivative from FuncGrad's rules (for Adjoint: ⟨u, J v⟩ by forward mode).</summary>
        /// <example><code>printfn "rules %g, finite differences %g" failure.Analytic failure.Numeric</code></example>
        Analytic: float
        /// <summary>
        /// The derivative from central finite differences (for Adjoint: ⟨Jᵀu, v⟩ by reverse mode).
        /// </summary>
        /// <example><code>printfn "rules %g, finite differences %g" failure.Analytic failure.Numeric</code></example>
        Numeric: float
        /// <summary>|Analytic − Numeric|.</summary>
        /// <example><code>printfn "off by %g (%g relative)" failure.AbsError failure.RelError</code></example>
        AbsError: float
        /// <summary>AbsError / |Numeric| (0 when both are 0).</summary>
        /// <example><code>printfn "off by %g (%g relative)" failure.AbsError failure.RelError</code></example>
        RelError: float
        /// <summary>The tolerance this entry had to meet.</summary>
        /// <example><code>printfn "off by %g, allowed %g" failure.AbsError failure.Tolerance</code></example>
        Tolerance: float
        /// <summary>How many entries of this check disagreed.</summary>
        /// <example><code>printfn "%d of %d entries disagree" failure.Disagreeing failure.Compared</code></example>
        Disagreeing: int
        /// <summary>How many entries this check compared.</summary>
        /// <example><code>printfn "%d of %d entries disagree" failure.Disagreeing failure.Compared</code></example>
        Compared: int
        /// <summary>The op whose own rule disagrees, when one was found.</summary>
        /// <example><code>failure.Blame |> Option.map (fun b -> b.Op) // e.g. Some "logcosh"</code></example>
        Blame: OpBlame option
    }

/// <summary>The outcome of GradCheck: passed or not, every disagreement, and a readable report (also its
/// ToString).</summary>
/// <example><code>
/// let r = GradCheck.check GradCheckOptions.Default sin (scalar 1.0) in r.Passed // true
/// </code></example>
type GradCheckResult =
    {
        /// <summary>True when every check agreed.</summary>
        /// <example><code>(GradCheck.check GradCheckOptions.Default sin (scalar 1.0)).Passed // true</code></example>
        Passed: bool
        /// <summary>One entry per check and order that disagreed, worst entry first within each.</summary>
        /// <example><code>result.Failures |> List.map (fun f -> f.Check) // [] when result.Passed</code></example>
        Failures: GradCheckFailure list
        /// <summary>What was compared, one line per check and order.</summary>
        /// <example><code>result.Checked |> List.iter (printfn "%s") // one line per check and order</code></example>
        Checked: string list
        /// <summary>The report printed by ToString: what failed, where, by how much, and which op to blame.</summary>
        /// <example><code>printfn "%s" result.Report // the same text as printfn "%O" result</code></example>
        Report: string
    }

    /// <summary>The report.</summary>
    /// <example><code>printfn "%O" result</code></example>
    override r.ToString() = r.Report

/// <summary>Thrown by the throwing variants of GradCheck; the message is the report.</summary>
/// <example><code>
/// try GradCheck.checkOrThrow GradCheckOptions.Default f x with :? GradCheckException as e -> printfn "%O" e.Result
/// </code></example>
type GradCheckException
    /// <summary>An exception carrying <paramref name="result"/>, with its report as the message.</summary>
    /// <example><code>raise (GradCheckException(GradCheck.check GradCheckOptions.Default f x))</code></example>
    (result: GradCheckResult) =
    inherit
        Exception(
            (Args.notNull "GradCheckException" "result" result
             result.Report)
        )

    /// <summary>The full result.</summary>
    /// <example><code>e.Result.Failures.Head.Check</code></example>
    member _.Result = result

/// The machinery shared by the F# module and the C# class.
module internal GradCheckEngine =
    type Fn = Tensor list -> Tensor

    let shapeOf (t: Tensor) = Seq.toArray t.Shape

    let asFunc (f: Fn) =
        Func<IReadOnlyList<Tensor>, Tensor>(fun xs -> f (List.ofSeq xs))

    let dot (a: float[]) (b: float[]) =
        Array.fold2 (fun s x y -> s + x * y) 0.0 a b

    let norm (a: float[]) = sqrt (dot a a)

    let flat (ts: Tensor seq) =
        ts |> Seq.map (fun t -> t.ToArray()) |> Array.concat

    let machineEps (d: DType) =
        if d = DType.Float64 then
            2.220446049250313e-16
        else
            1.1920928955078125e-7

    let unravel (shape: int[]) (i: int) =
        let idx = Array.zeroCreate shape.Length
        let mutable r = i

        for d in shape.Length - 1 .. -1 .. 0 do
            idx[d] <- r % shape[d]
            r <- r / shape[d]

        idx

    let showIndex (idx: int[]) = "[" + String.Join(", ", idx) + "]"

    let num (x: float) =
        x.ToString("G10", CultureInfo.InvariantCulture).ToLowerInvariant()

    let small (x: float) =
        x.ToString("G3", CultureInfo.InvariantCulture).ToLowerInvariant()

    let showShape (t: Tensor) =
        "[" + String.Join("x", t.Shape) + "] " + t.DType.Name()

    /// A tensor after `head` on a line that starts at column `indent`: a matrix's later rows line up under its first.
    let after (indent: int) (head: string) (x: Tensor) =
        head + (string x).Replace("\n", "\n" + String(' ', indent + head.Length))

    let basis (like: Tensor) (i: int) =
        let a = Array.zeroCreate like.Count
        a[i] <- 1.0
        Tensor.FromArray(a, shapeOf like).ToDType like.DType

    let zerosOf (like: Tensor) = Tensor.Zeros(shapeOf like, like.DType)

    /// Random normal tensors shaped like `likes`, scaled together to unit norm (in their dtypes).
    let randomUnit (rng: Random) (likes: Tensor list) =
        let raw = likes |> List.map (fun x -> Tensor.RandomNormal(shapeOf x, rng).ToArray())
        let n = raw |> List.sumBy (fun a -> dot a a) |> sqrt

        List.map2
            (fun (x: Tensor) (a: float[]) ->
                Tensor.FromArray((if n > 0.0 then Array.map (fun v -> v / n) a else a), shapeOf x).ToDType x.DType)
            likes
            raw

    /// f(xs + εv) − f(xs − εv) over 2ε, and the bound on its rounding error, per output element.
    let directional (eps: float) (f: Fn) (xs: Tensor list) (vs: Tensor list) =
        let at (s: float) =
            List.map2 (fun (x: Tensor) (v: Tensor) -> x + v * s) xs vs

        let yp, ym = f (at eps), f (at -eps)
        let e = machineEps yp.DType
        let p, m = yp.ToArray(), ym.ToArray()

        Array.map2 (fun a b -> (a - b) / (2.0 * eps)) p m,
        Array.map2 (fun a b -> 4.0 * e * (abs a + abs b) / (2.0 * eps)) p m

    /// Central differences along every input element: one column (over the flattened output) per element,
    /// with the rounding bound of each entry. The step is the one actually taken after rounding to the dtype.
    let numericColumns (eps: float) (f: Fn) (xs: Tensor list) =
        [|
            for k, x in List.indexed xs do
                let a = x.ToArray()

                for i in 0 .. a.Length - 1 do
                    let moved (d: float) =
                        let b = Array.copy a

                        b[i] <-
                            if x.DType = DType.Float64 then
                                a[i] + d
                            else
                                float (float32 (a[i] + d))

                        b[i], Tensor.FromArray(b, shapeOf x).ToDType x.DType

                    let vp, xp = moved eps
                    let vm, xm = moved -eps
                    let step = vp - vm

                    let at (z: Tensor) =
                        xs |> List.mapi (fun j y -> if j = k then z else y)

                    let yp, ym = f (at xp), f (at xm)
                    let e = machineEps yp.DType
                    let p, m = yp.ToArray(), ym.ToArray()

                    yield
                        Array.map2 (fun q r -> (q - r) / step) p m,
                        Array.map2 (fun q r -> 4.0 * e * (abs q + abs r) / step) p m
        |]

    /// One compared quantity.
    type Entry =
        {
            Input: string
            Index: int[]
            Output: int[]
            Direction: string
            Analytic: float
            Numeric: float
            Tolerance: float
        }

    let agrees (e: Entry) =
        if Double.IsNaN e.Analytic || Double.IsNaN e.Numeric then
            Double.IsNaN e.Analytic && Double.IsNaN e.Numeric
        elif Double.IsInfinity e.Analytic || Double.IsInfinity e.Numeric then
            e.Analytic = e.Numeric
        else
            abs (e.Analytic - e.Numeric) <= e.Tolerance

    /// How far past its tolerance an entry is (for choosing the worst).
    let excess (e: Entry) =
        let d = abs (e.Analytic - e.Numeric)

        if Double.IsNaN d || Double.IsInfinity d then
            Double.PositiveInfinity
        else
            d / max e.Tolerance Double.Epsilon

    let relError (analytic: float) (numeric: float) =
        let d = abs (analytic - numeric)

        if d = 0.0 then 0.0
        elif numeric = 0.0 then Double.PositiveInfinity
        else d / abs numeric

    let tolerance (o: GradCheckOptions) (numeric: float) (noise: float) = o.Atol + o.Rtol * abs numeric + noise

    /// Where input column n lives: (input index, element index).
    let columnsOf (xs: Tensor list) =
        [|
            for k, x in List.indexed xs do
                for i in 0 .. x.Count - 1 -> k, i
        |]

    /// The comparisons of one order: per check, how many entries were compared and which disagreed.
    let compare (o: GradCheckOptions) (rng: Random) (f: Fn) (xs: Tensor list) (labels: string list) =
        let labels = Array.ofList labels
        let struct (y, back) = Autodiff.Vjp(asFunc f, Array.ofList xs)
        let yShape = shapeOf y

        let forward (vs: Tensor list) =
            let struct (_, t) = Autodiff.Jvp(asFunc f, Array.ofList xs, Array.ofList vs)
            t.ToArray()

        let results = ResizeArray<GradCheckKind * int * Entry list>()

        if not o.Fast then
            let cols = columnsOf xs

            let numeric =
                if o.Reverse || o.Forward then
                    numericColumns o.Eps f xs
                else
                    [||]

            let entry n out analytic =
                let k, i = cols[n]
                let value, noise = numeric[n]

                {
                    Input = labels[k]
                    Index = unravel (shapeOf xs[k]) i
                    Output = unravel yShape out
                    Direction = $"input element {labels[k]}{showIndex (unravel (shapeOf xs[k]) i)}"
                    Analytic = analytic
                    Numeric = value[out]
                    Tolerance = tolerance o value[out] noise[out]
                }

            if o.Reverse then
                let rows = [| for out in 0 .. y.Count - 1 -> flat (back.Invoke(basis y out)) |]

                let all =
                    [
                        for out in 0 .. y.Count - 1 do
                            for n in 0 .. cols.Length - 1 -> entry n out (rows[out][n])
                    ]

                results.Add(GradCheckKind.Reverse, all.Length, all |> List.filter (agrees >> not))

            if o.Forward then
                let all =
                    [
                        for n in 0 .. cols.Length - 1 do
                            let k, i = cols[n]

                            let column =
                                forward (xs |> List.mapi (fun j x -> if j = k then basis x i else zerosOf x))

                            for out in 0 .. y.Count - 1 -> entry n out (column[out])
                    ]

                results.Add(GradCheckKind.Forward, all.Length, all |> List.filter (agrees >> not))
        else
            let rev, fwd = ResizeArray(), ResizeArray()

            for r in 1 .. o.Directions do
                let u = randomUnit rng [ y ] |> List.head
                let vs = randomUnit rng xs
                let d, noise = directional o.Eps f xs vs

                let direction =
                    $"random unit directions u, v (draw {r} of {o.Directions}, seed {o.Seed})"

                if o.Reverse then
                    let ua = u.ToArray()
                    let n = dot ua d

                    rev.Add
                        {
                            Input = "all inputs"
                            Index = [||]
                            Output = [||]
                            Direction = direction
                            Analytic = dot (flat (back.Invoke u)) (flat vs)
                            Numeric = n
                            Tolerance = tolerance o n (dot (Array.map abs ua) noise)
                        }

                if o.Forward then
                    let jv = forward vs

                    for out in 0 .. jv.Length - 1 do
                        fwd.Add
                            {
                                Input = "all inputs"
                                Index = [||]
                                Output = unravel yShape out
                                Direction = $"random unit direction v (draw {r} of {o.Directions}, seed {o.Seed})"
                                Analytic = jv[out]
                                Numeric = d[out]
                                Tolerance = tolerance o d[out] noise[out]
                            }

            if o.Reverse then
                results.Add(GradCheckKind.Reverse, rev.Count, rev |> Seq.filter (agrees >> not) |> List.ofSeq)

            if o.Forward then
                results.Add(GradCheckKind.Forward, fwd.Count, fwd |> Seq.filter (agrees >> not) |> List.ofSeq)

        if o.Adjoint then
            let adj =
                [
                    for r in 1 .. o.Directions ->
                        let u = randomUnit rng [ y ] |> List.head
                        let vs = randomUnit rng xs
                        let jv = forward vs
                        let jtu = flat (back.Invoke u)

                        {
                            Input = "all inputs"
                            Index = [||]
                            Output = [||]
                            Direction = $"random unit u, v (draw {r} of {o.Directions}, seed {o.Seed})"
                            Analytic = dot (u.ToArray()) jv
                            Numeric = dot jtu (flat vs)
                            Tolerance = o.AdjointRtol * (norm jv + norm jtu + o.Atol)
                        }
                ]

            results.Add(GradCheckKind.Adjoint, adj.Length, adj |> List.filter (agrees >> not))

        y, List.ofSeq results

    /// u ↦ Jᵀu of f with a fixed cotangent u, flattened over the inputs: the function whose derivatives are f's
    /// next order.
    let nextOrder (rng: Random) (f: Fn) (xs: Tensor list) : Fn =
        let y = f xs
        let u = Tensor.RandomNormal(shapeOf y, rng).ToDType y.DType

        fun (zs: Tensor list) ->
            let struct (_, back) = Autodiff.Vjp(asFunc f, Array.ofList zs)
            Tensor.Concat(back.Invoke u |> Array.map (fun t -> t.Flatten()))

    /// The op's own rules at its own arguments, along two random directions; Some when one disagrees.
    let checkOp (o: GradCheckOptions) (rng: Random) (count: int) (rules: GradCheckKind list) (op: TracedOp) =
        let args = Array.ofSeq op.Arguments

        let vars =
            [
                for j in 0 .. args.Length - 1 do
                    if op.DependsOnInputs[j] then
                        j
            ]

        if vars.IsEmpty || op.Output.Count = 0 then
            None
        else
            let h (vs: Tensor list) =
                let a = Array.copy args
                List.iter2 (fun j v -> a[j] <- v) vars vs
                op.Apply a

            let x0 = vars |> List.map (fun j -> args[j])

            let blame rule analytic numeric : OpBlame =
                {
                    Op = op.Name
                    Position = op.Index + 1
                    OpCount = count
                    Rule = rule
                    Arguments = List.ofArray args
                    Analytic = analytic
                    Numeric = numeric
                    AbsError = abs (analytic - numeric)
                    RelError = relError analytic numeric
                }

            let draw () =
                let u = randomUnit rng [ op.Output ] |> List.head
                let vs = randomUnit rng x0
                let d, noise = directional o.Eps h x0 vs

                rules
                |> List.tryPick (fun rule ->
                    if rule = GradCheckKind.Reverse then
                        let struct (_, back) = Autodiff.Vjp(asFunc h, Array.ofList x0)
                        let ua = u.ToArray()

                        let e =
                            {
                                Input = ""
                                Index = [||]
                                Output = [||]
                                Direction = ""
                                Analytic = dot (flat (back.Invoke u)) (flat vs)
                                Numeric = dot ua d
                                Tolerance = tolerance o (dot ua d) (dot (Array.map abs ua) noise)
                            }

                        if agrees e then
                            None
                        else
                            Some(blame rule e.Analytic e.Numeric)
                    else
                        let struct (_, t) = Autodiff.Jvp(asFunc h, Array.ofList x0, Array.ofList vs)
                        let jv = t.ToArray()

                        Array.init jv.Length (fun i ->
                            {
                                Input = ""
                                Index = [||]
                                Output = [||]
                                Direction = ""
                                Analytic = jv[i]
                                Numeric = d[i]
                                Tolerance = tolerance o d[i] noise[i]
                            })
                        |> Array.filter (agrees >> not)
                        |> Array.sortByDescending excess
                        |> Array.tryHead
                        |> Option.map (fun e -> blame rule e.Analytic e.Numeric))

            match draw () with
            | Some b -> Some b
            | None -> draw ()

    /// The first op in topological order whose own rule (of the kinds given) disagrees with finite differences.
    let findBlame (o: GradCheckOptions) (f: Fn) (xs: Tensor list) (rules: GradCheckKind list) =
        let rng = Random(o.Seed + 7919)
        let struct (_, ops) = GraphInspection.Trace(asFunc f, Array.ofList xs)
        ops |> Seq.tryPick (checkOp o rng ops.Count rules)

    let kindName (k: GradCheckKind) =
        match k with
        | GradCheckKind.Reverse -> "reverse mode (VJP) vs finite differences"
        | GradCheckKind.Forward -> "forward mode (JVP) vs finite differences"
        | _ -> "forward vs reverse adjointness <u, J v> = <J^T u, v>"

    let describe (o: GradCheckOptions) (f: GradCheckFailure) (sb: StringBuilder) =
        let line (s: string) =
            sb.Append("    ").Append(s).Append('\n') |> ignore

        sb.Append(
            $"  {kindName f.Check}, order {f.Order}: "
            + $"{f.Disagreeing} of {f.Compared} compared values disagree; the worst:\n"
        )
        |> ignore

        match f.Check with
        | GradCheckKind.Adjoint ->
            line $"along {f.Direction}"
            line $"forward <u, J v> = {num f.Analytic}   reverse <J^T u, v> = {num f.Numeric}"
        | _ ->
            let who =
                if f.Input.StartsWith "input " then
                    f.Input
                else
                    "input " + f.Input

            if f.Input <> "all inputs" then
                line $"{who}, element {showIndex f.Index}, output element {showIndex f.Output}"
            elif f.Check = GradCheckKind.Forward then
                line $"output element {showIndex f.Output} of J v, along {f.Direction}"
            else
                line $"u^T J v along {f.Direction}"

            line $"analytic {num f.Analytic}   numeric {num f.Numeric}"

        line $"abs error {small f.AbsError}   rel error {small f.RelError}   tolerance {small f.Tolerance}"

        match f.Blame with
        | Some b ->
            let rule = if b.Rule = GradCheckKind.Reverse then "VJP" else "JVP"
            let shapes = b.Arguments |> List.map showShape |> String.concat ", "

            line (
                $"blame: op {b.Position} of {b.OpCount} in topological order, {b.Op}({shapes}): "
                + $"its own {rule} rule disagrees with finite differences of its value"
            )

            line (
                $"  analytic {num b.Analytic}   numeric {num b.Numeric}   "
                + $"abs error {small b.AbsError}   rel error {small b.RelError}"
            )

            for i, a in List.indexed b.Arguments do
                if a.Count <= 12 then
                    line (after 4 $"  argument {i}: " a)
        | None when o.Blame ->
            line (
                "blame: no single op's own rule disagrees with finite differences at the values it saw. "
                + "Look for a value"
            )

            line (
                "  taken outside the graph (stopGradient, Detach, ToArray), a custom rule that detaches, "
                + "or a kink or pole near the point"
            )
        | None -> ()

    /// Every leaf's name, in Tree's order: field names, Map keys, item1.. for tuples, [i] for lists and arrays.
    let rec labelsOf (path: string) (declared: Type) (o: obj) : string list =
        let t = if isNull o then declared else o.GetType()

        let at (seg: string) =
            if path = "" then seg
            else if seg.StartsWith "[" then path + seg
            else path + "." + seg

        match o with
        | :? Tensor -> [ path ]
        | _ when
            isNull o
            || t.IsPrimitive
            || t = typeof<string>
            || t = typeof<decimal>
            || t.IsEnum
            ->
            []
        | _ when FSharpType.IsTuple t ->
            Array.map2 (fun (et: Type) (v: obj) -> et, v) (FSharpType.GetTupleElements t) (FSharpValue.GetTupleFields o)
            |> Array.toList
            |> List.mapi (fun i (et, v) -> labelsOf (at $"item{i + 1}") et v)
            |> List.concat
        | _ when FSharpType.IsRecord(t, true) ->
            Array.map2
                (fun (p: Reflection.PropertyInfo) v -> labelsOf (at p.Name) p.PropertyType v)
                (FSharpType.GetRecordFields(t, true))
                (FSharpValue.GetRecordFields(o, true))
            |> List.concat
        | _ when t.IsGenericType && t.GetGenericTypeDefinition() = typedefof<Map<_, _>> ->
            [
                for e in (o :?> IEnumerable) do
                    let et = e.GetType()
                    let key = et.GetProperty("Key").GetValue e

                    let name =
                        match key with
                        | :? string as s -> "\"" + s + "\""
                        | k -> string k

                    yield! labelsOf (at name) (t.GetGenericArguments()[1]) (et.GetProperty("Value").GetValue e)
            ]
        | _ when
            t.IsArray
            || (t.IsGenericType && t.GetGenericTypeDefinition() = typedefof<list<_>>)
            ->
            [
                for i, v in Seq.indexed (Seq.cast<obj>(o :?> IEnumerable)) do
                    yield! labelsOf (at $"[{i}]") typeof<obj> v
            ]
        | _ -> []

    let labelsFor (p: 'P) (count: int) =
        let names =
            try
                labelsOf "" typeof<'P> (box p) |> List.map (fun s -> if s = "" then "x" else s)
            with _ ->
                []

        if names.Length = count then
            names
        else
            List.init count (fun k -> $"input {k}")

    let float32Message (what: string) =
        $"GradCheck: {what} is float32. Central differences in float32 keep only about 3 of its 7 digits, so the "
        + "float64 defaults (eps 1e-6) would report errors that are only rounding. Check in float64: convert the "
        + "inputs with Tensor.toFloat64 (C#: x.ToDType(DType.Float64)); FuncGrad's rules are the same code in both "
        + "dtypes. To check float32 anyway, pass GradCheckOptions.Float32 (eps 1e-3, rtol 1e-2, atol 1e-3), which "
        + "can only see errors above about 1%."

    let validate (o: GradCheckOptions) (xs: Tensor list) (labels: string list) =
        if xs.IsEmpty then
            invalidArg "inputs" "GradCheck: no input tensors; give at least one"

        if o.Order < 1 then
            invalidArg "options" $"GradCheck: Order = {o.Order}; give 1 or more (2 also checks second derivatives)"

        if not (o.Eps > 0.0) then
            invalidArg "options" $"GradCheck: Eps = {o.Eps}; the finite-difference step must be positive"

        if (o.Fast || o.Adjoint) && o.Directions < 1 then
            invalidArg "options" $"GradCheck: Directions = {o.Directions}; give 1 or more"

        if not o.AllowFloat32 then
            List.iter2
                (fun (x: Tensor) (l: string) ->
                    if x.DType = DType.Float32 then
                        invalidArg "inputs" (float32Message $"input {l}"))
                xs
                labels

    /// Runs every requested check at every order, with blame.
    let run (o: GradCheckOptions) (f: Fn) (inputs: Tensor list) (labels: string list) : GradCheckResult =
        let xs = inputs |> List.map (fun x -> x.Detach())
        validate o xs labels
        let rng = Random o.Seed
        let failures = ResizeArray<GradCheckFailure>()
        let checkedLines = ResizeArray<string>()
        let mutable fk = f

        for order in 1 .. o.Order do
            let y, outcomes = compare o rng fk xs labels

            if order = 1 && y.DType = DType.Float32 && not o.AllowFloat32 then
                invalidArg "f" (float32Message "the output")
            // Each failing rule is traced on its own; an adjointness failure blames whichever rule is found wrong.
            let blameOf =
                let cache = Dictionary<GradCheckKind, OpBlame option>()

                fun (rule: GradCheckKind) ->
                    if not o.Blame then
                        None
                    else
                        match cache.TryGetValue rule with
                        | true, b -> b
                        | _ ->
                            let b = findBlame o fk xs [ rule ]
                            cache[rule] <- b
                            b

            for k, n, bad in outcomes do
                checkedLines.Add $"{kindName k}, order {order}: {n} compared, {bad.Length} disagree"

                match bad |> List.sortByDescending excess with
                | [] -> ()
                | worst :: _ ->
                    let blame =
                        if k = GradCheckKind.Adjoint then
                            blameOf GradCheckKind.Reverse
                            |> Option.orElseWith (fun () -> blameOf GradCheckKind.Forward)
                        else
                            blameOf k

                    failures.Add(
                        ({
                            Check = k
                            Order = order
                            Input = worst.Input
                            Index = worst.Index
                            Output = worst.Output
                            Direction = worst.Direction
                            Analytic = worst.Analytic
                            Numeric = worst.Numeric
                            AbsError = abs (worst.Analytic - worst.Numeric)
                            RelError = relError worst.Analytic worst.Numeric
                            Tolerance = worst.Tolerance
                            Disagreeing = bad.Length
                            Compared = n
                            Blame = blame
                        }
                        : GradCheckFailure)
                    )

            if order < o.Order then
                fk <- nextOrder rng fk xs

        let sizes = xs |> List.map showShape |> String.concat ", "

        let how =
            if o.Fast then
                $"{o.Directions} random projections"
            else
                "full Jacobian"

        let setting =
            $"order {o.Order}, {how}, inputs {sizes}, "
            + $"eps {small o.Eps}, rtol {small o.Rtol}, atol {small o.Atol}, seed {o.Seed}"

        let sb = StringBuilder()

        if failures.Count = 0 then
            sb.Append($"GradCheck passed ({setting}); {checkedLines.Count} checks agree")
            |> ignore
        else
            sb.Append($"GradCheck failed ({setting}): {failures.Count} of {checkedLines.Count} checks disagree\n")
            |> ignore

            List.iter2
                (fun (l: string) (x: Tensor) ->
                    if x.Count <= 12 then
                        sb.Append(after 0 $"  at {l} = " x).Append('\n') |> ignore)
                labels
                xs

            for fl in failures do
                describe o fl sb

        {
            Passed = failures.Count = 0
            Failures = List.ofSeq failures
            Checked = List.ofSeq checkedLines
            Report = sb.ToString().TrimEnd()
        }

    /// f over a structure, seen as a function of its leaves with one flat output.
    let ofTree (f: 'P -> 'Q) (p: 'P) : Fn =
        fun (xs: Tensor list) ->
            match Tree.leaves (f (Tree.rebuild p xs)) with
            | [ t ] -> t
            | ts -> Tensor.Concat(ts |> List.map (fun t -> t.Flatten()) |> Array.ofList)

/// <summary>
/// Checks derivatives: reverse mode (VJP) and forward mode (JVP) against central finite differences, forward
/// against reverse mode (⟨u, J v⟩ = ⟨Jᵀu, v⟩), to any order.
/// </summary>
/// <remarks>
/// On a failure the result says which check, where, by how much, and which op's own rule disagrees. See
/// docs/gradcheck.md.
/// </remarks>
/// <example><code>
/// GradCheck.check GradCheckOptions.Default (fun x -> Tensor.sum (sin x * x)) (Tensor.ofList [ 1.0; 2.0 ])
/// |> printfn "%O"
/// // GradCheck passed (order 1, full Jacobian, inputs [2] float64, ...); 3 checks agree
/// </code></example>
[<RequireQualifiedAccess; CompilationRepresentation(CompilationRepresentationFlags.ModuleSuffix)>]
module GradCheck =
    /// <summary>Checks f's derivatives at x; the result says what disagreed. Inputs must be float64 unless the options
    /// allow float32.</summary>
    /// <example><code>
    /// (GradCheck.check GradCheckOptions.Default (fun x -> x * sin x) (Tensor.ofList [ 0.5; 2.0 ])).Passed // true
    /// </code></example>
    [<CompiledName("Check")>]
    let check (options: GradCheckOptions) (f: Tensor -> Tensor) (x: Tensor) : GradCheckResult =
        Args.notNullAs "GradCheck.check" "options" Args.gradCheckOptions options
        Args.notNull "GradCheck.check" "f" f
        Args.notNull "GradCheck.check" "x" x
        GradCheckEngine.run options (List.exactlyOne >> f) [ x ] [ "x" ]

    /// <summary>Like <c>check</c>, but throws a <c>GradCheckException</c> (whose message is the report) when a check
    /// fails.</summary>
    /// <example><code>GradCheck.checkOrThrow GradCheckOptions.Default tanh (scalar 0.3) // returns ()</code></example>
    [<CompiledName("CheckOrThrow")>]
    let checkOrThrow (options: GradCheckOptions) (f: Tensor -> Tensor) (x: Tensor) : unit =
        Args.notNullAs "GradCheck.checkOrThrow" "options" Args.gradCheckOptions options
        Args.notNull "GradCheck.checkOrThrow" "f" f
        Args.notNull "GradCheck.checkOrThrow" "x" x
        let r = check options f x

        if not r.Passed then
            raise (GradCheckException r)

    /// <summary>Checks a function of several tensors; failures name inputs "input 0", "input 1", ...</summary>
    /// <example><code>
    /// GradCheck.checkMany GradCheckOptions.Default (fun [ a; b ] -> a * b) [ scalar 2.0; scalar 3.0 ]
    /// </code></example>
    [<CompiledName("CheckMany")>]
    let checkMany (options: GradCheckOptions) (f: Tensor list -> Tensor) (xs: Tensor list) : GradCheckResult =
        Args.notNullAs "GradCheck.checkMany" "options" Args.gradCheckOptions options
        Args.notNull "GradCheck.checkMany" "f" f
        Args.notNull "GradCheck.checkMany" "xs" xs
        GradCheckEngine.run options f xs (List.init xs.Length (fun k -> $"input {k}"))

    /// <summary>
    /// Checks a function of a structure of tensors (tuple, list, array, Map, record; see Tree) whose result is a
    /// tensor or a structure of tensors (compared flattened).
    /// </summary>
    /// <remarks>
    /// Failures name the input by its place: a Map key, a record field, item1/item2 for tuples, [i] for lists.
    /// </remarks>
    /// <example><code>
    /// let f (m: Map&lt;string, Tensor&gt;) = m["w"] * m["b"]
    /// GradCheck.checkOf GradCheckOptions.Default f (Map [ "w", scalar 2.0; "b", scalar 3.0 ])
    /// </code></example>
    [<CompiledName("CheckOf")>]
    let checkOf (options: GradCheckOptions) (f: 'P -> 'Q) (p: 'P) : GradCheckResult =
        Args.notNullAs "GradCheck.checkOf" "options" Args.gradCheckOptions options
        Args.notNull "GradCheck.checkOf" "f" f
        Args.notNullAs "GradCheck.checkOf" "p" Args.tree p
        let leaves = Tree.leaves p
        GradCheckEngine.run options (GradCheckEngine.ofTree f p) leaves (GradCheckEngine.labelsFor p leaves.Length)

    /// <summary>Like <c>checkOf</c>, but throws a <c>GradCheckException</c> when a check fails.</summary>
    /// <example><code>
    /// GradCheck.checkOfOrThrow GradCheckOptions.Default (fun (a, b) -> a * b) (scalar 2.0, scalar 3.0)
    /// </code></example>
    [<CompiledName("CheckOfOrThrow")>]
    let checkOfOrThrow (options: GradCheckOptions) (f: 'P -> 'Q) (p: 'P) : unit =
        Args.notNullAs "GradCheck.checkOfOrThrow" "options" Args.gradCheckOptions options
        Args.notNull "GradCheck.checkOfOrThrow" "f" f
        Args.notNullAs "GradCheck.checkOfOrThrow" "p" Args.tree p
        let r = checkOf options f p

        if not r.Passed then
            raise (GradCheckException r)

/// <summary>GradCheck for C#: the same checks as the F# <c>GradCheck</c> module, taking delegates.</summary>
/// <example><code>
/// var r = GradCheck.Check(x => (x.Sin() * x).Sum(), Tensor.FromArray([1.0, 2.0]));
/// Console.WriteLine(r.Passed); // True
/// </code></example>
[<AbstractClass; Sealed>]
type GradCheck =
    /// <summary>Checks f's derivatives at x with the float64 defaults.</summary>
    /// <example><code>GradCheck.Check(x => x.Tanh(), Tensor.Scalar(0.3)).Passed // true</code></example>
    static member Check(f: Func<Tensor, Tensor>, x: Tensor) : GradCheckResult =
        Args.notNull "GradCheck.Check" "f" f
        Args.notNull "GradCheck.Check" "x" x
        GradCheckEngine.run GradCheckOptions.Default (fun xs -> f.Invoke(List.exactlyOne xs)) [ x ] [ "x" ]

    /// <summary>Checks f's derivatives at x with the given options.</summary>
    /// <example><code>
    /// GradCheck.Check(x => x.Tanh(), Tensor.Scalar(0.3), GradCheckOptions.Default.WithOrder(2))
    /// </code></example>
    static member Check(f: Func<Tensor, Tensor>, x: Tensor, options: GradCheckOptions) : GradCheckResult =
        Args.notNull "GradCheck.Check" "f" f
        Args.notNull "GradCheck.Check" "x" x
        Args.notNullAs "GradCheck.Check" "options" Args.gradCheckOptions options
        GradCheckEngine.run options (fun xs -> f.Invoke(List.exactlyOne xs)) [ x ] [ "x" ]

    /// <summary>Checks a function of several tensors; failures name inputs "input 0", "input 1", ...</summary>
    /// <example><code>
    /// GradCheck.Check(xs => xs[0] * xs[1], [Tensor.Scalar(2.0), Tensor.Scalar(3.0)], GradCheckOptions.Default)
    /// </code></example>
    static member Check
        (f: Func<IReadOnlyList<Tensor>, Tensor>, xs: IReadOnlyList<Tensor>, options: GradCheckOptions)
        : GradCheckResult =
        Args.notNull "GradCheck.Check" "f" f
        Args.notNull "GradCheck.Check" "xs" xs
        Args.notNullAs "GradCheck.Check" "options" Args.gradCheckOptions options

        GradCheckEngine.run
            options
            (fun ys -> f.Invoke(ResizeArray ys))
            (List.ofSeq xs)
            (List.init xs.Count (fun k -> $"input {k}"))

    /// <summary>Like Check, but throws a <see cref="T:FuncGrad.GradCheckException"/> when a check fails.</summary>
    /// <example><code>GradCheck.CheckOrThrow(x => x.Exp(), Tensor.Scalar(1.0));</code></example>
    static member CheckOrThrow(f: Func<Tensor, Tensor>, x: Tensor) : unit =
        Args.notNull "GradCheck.CheckOrThrow" "f" f
        Args.notNull "GradCheck.CheckOrThrow" "x" x
        let r = GradCheck.Check(f, x)

        if not r.Passed then
            raise (GradCheckException r)

    /// <summary>Like Check with options, but throws a <see cref="T:FuncGrad.GradCheckException"/> when a check
    /// fails.</summary>
    /// <example><code>
    /// GradCheck.CheckOrThrow(x => x.Exp(), Tensor.Scalar(1.0), GradCheckOptions.Default.WithOrder(2));
    /// </code></example>
    static member CheckOrThrow(f: Func<Tensor, Tensor>, x: Tensor, options: GradCheckOptions) : unit =
        Args.notNull "GradCheck.CheckOrThrow" "f" f
        Args.notNull "GradCheck.CheckOrThrow" "x" x
        Args.notNullAs "GradCheck.CheckOrThrow" "options" Args.gradCheckOptions options
        let r = GradCheck.Check(f, x, options)

        if not r.Passed then
            raise (GradCheckException r)

    /// <summary>Like Check for several tensors, but throws a <see cref="T:FuncGrad.GradCheckException"/> when a check
    /// fails.</summary>
    /// <example><code>GradCheck.CheckOrThrow(xs => xs[0] * xs[1], [a, b], GradCheckOptions.Default);</code></example>
    static member CheckOrThrow
        (f: Func<IReadOnlyList<Tensor>, Tensor>, xs: IReadOnlyList<Tensor>, options: GradCheckOptions)
        : unit =
        Args.notNull "GradCheck.CheckOrThrow" "f" f
        Args.notNull "GradCheck.CheckOrThrow" "xs" xs
        Args.notNullAs "GradCheck.CheckOrThrow" "options" Args.gradCheckOptions options
        let r = GradCheck.Check(f, xs, options)

        if not r.Passed then
            raise (GradCheckException r)
