namespace FuncGrad

open System

/// <summary>Why <c>Optim.lbfgs</c> or <c>Optim.newtonCg</c> stopped.</summary>
/// <example><code>
/// match (Optim.lbfgs f x0).Reason with
/// | StopReason.GradientTolerance -> "converged"
/// | reason -> $"stopped: {reason}"
/// </code></example>
type StopReason =
    /// <summary>The largest gradient element fell to the gradient tolerance or below: converged.</summary>
    /// <example><code>StopReason.GradientTolerance</code></example>
    | GradientTolerance = 0
    /// <summary>The last step changed f, or every element of x, by no more than the change tolerance.</summary>
    /// <example><code>StopReason.ChangeTolerance</code></example>
    | ChangeTolerance = 1
    /// <summary>The iteration limit was reached.</summary>
    /// <example><code>StopReason.MaxIterations</code></example>
    | MaxIterations = 2
    /// <summary>The line search found no point meeting the strong Wolfe conditions (often: converged to the
    /// precision f can be computed to, or f is not smooth there); the result is the best point found.</summary>
    /// <example><code>StopReason.LineSearchFailed</code></example>
    | LineSearchFailed = 3

/// <summary>The result of <c>Optim.lbfgs</c> or <c>Optim.newtonCg</c>: scipy.optimize's OptimizeResult in a
/// record.</summary>
/// <example><code>
/// let r = Optim.lbfgs rosenbrock (Tensor.ofList [ -1.2; 1.0 ])
/// r.X, r.F, r.Iterations, r.Reason
/// </code></example>
type MinimizeResult<'P> =
    {
        /// <summary>The minimiser found, in the structure of the starting point.</summary>
        /// <example><code>r.X</code></example>
        X: 'P
        /// <summary>f at X.</summary>
        /// <example><code>r.F</code></example>
        F: float
        /// <summary>The largest absolute element of the gradient at X.</summary>
        /// <example><code>r.GradientNorm</code></example>
        GradientNorm: float
        /// <summary>Iterations (accepted steps) taken.</summary>
        /// <example><code>r.Iterations</code></example>
        Iterations: int
        /// <summary>Evaluations of f and its gradient, the start included.</summary>
        /// <example><code>r.Evaluations</code></example>
        Evaluations: int
        /// <summary>Hessian-vector products computed (Newton-CG; 0 for L-BFGS).</summary>
        /// <example><code>r.HessianProducts</code></example>
        HessianProducts: int
        /// <summary>Why it stopped.</summary>
        /// <example><code>r.Reason = StopReason.GradientTolerance</code></example>
        Reason: StopReason
        /// <summary>Every accepted iterate, the start first, when the options ask for <c>Trace</c>; otherwise
        /// empty.</summary>
        /// <example><code>r.Path |> List.length</code></example>
        Path: 'P list
    }

/// <summary>The options of <c>Optim.lbfgsWith</c>.</summary>
/// <example><code>{ LbfgsOptions.defaults with History = 20; GradientTolerance = 1e-10 }</code></example>
type LbfgsOptions =
    {
        /// <summary>m, the number of correction pairs kept (default 10).</summary>
        /// <example><code>{ LbfgsOptions.defaults with History = 5 }</code></example>
        History: int
        /// <summary>The iteration limit (default 1000).</summary>
        /// <example><code>{ LbfgsOptions.defaults with MaxIterations = 100 }</code></example>
        MaxIterations: int
        /// <summary>Stop when the largest absolute gradient element is at most this (default 1e-7, PyTorch's
        /// tolerance_grad).</summary>
        /// <example><code>{ LbfgsOptions.defaults with GradientTolerance = 1e-10 }</code></example>
        GradientTolerance: float
        /// <summary>Stop when a step changes f, or every element of x, by at most this (default 1e-9, PyTorch's
        /// tolerance_change); 0 turns it off.</summary>
        /// <example><code>{ LbfgsOptions.defaults with ChangeTolerance = 0.0 }</code></example>
        ChangeTolerance: float
        /// <summary>c₁ of the sufficient-decrease condition (default 1e-4).</summary>
        /// <example><code>{ LbfgsOptions.defaults with C1 = 1e-3 }</code></example>
        C1: float
        /// <summary>c₂ of the strong curvature condition (default 0.9).</summary>
        /// <example><code>{ LbfgsOptions.defaults with C2 = 0.5 }</code></example>
        C2: float
        /// <summary>Evaluations allowed to one line search (default 25).</summary>
        /// <example><code>{ LbfgsOptions.defaults with MaxLineSearch = 40 }</code></example>
        MaxLineSearch: int
        /// <summary>Keep every iterate in the result's <c>Path</c> (default false).</summary>
        /// <example><code>{ LbfgsOptions.defaults with Trace = true }</code></example>
        Trace: bool
    }

    /// <summary>m = 10, 1000 iterations, gradient tolerance 1e-7, change tolerance 1e-9, c₁ = 1e-4, c₂ = 0.9,
    /// 25 evaluations per line search, no trace.</summary>
    /// <example><code>{ LbfgsOptions.defaults with History = 20 }</code></example>
    static member defaults =
        {
            History = 10
            MaxIterations = 1000
            GradientTolerance = 1e-7
            ChangeTolerance = 1e-9
            C1 = 1e-4
            C2 = 0.9
            MaxLineSearch = 25
            Trace = false
        }

/// <summary>The options of <c>Optim.newtonCgWith</c>.</summary>
/// <example><code>{ NewtonCgOptions.defaults with GradientTolerance = 1e-12 }</code></example>
type NewtonCgOptions =
    {
        /// <summary>The iteration limit (default 200).</summary>
        /// <example><code>{ NewtonCgOptions.defaults with MaxIterations = 50 }</code></example>
        MaxIterations: int
        /// <summary>Conjugate-gradient iterations per Newton step; 0 means the number of unknowns (default
        /// 0).</summary>
        /// <example><code>{ NewtonCgOptions.defaults with MaxCgIterations = 20 }</code></example>
        MaxCgIterations: int
        /// <summary>Stop when the largest absolute gradient element is at most this (default 1e-7).</summary>
        /// <example><code>{ NewtonCgOptions.defaults with GradientTolerance = 1e-10 }</code></example>
        GradientTolerance: float
        /// <summary>Stop when a step changes f, or every element of x, by at most this (default 1e-12); 0 turns it
        /// off.</summary>
        /// <example><code>{ NewtonCgOptions.defaults with ChangeTolerance = 0.0 }</code></example>
        ChangeTolerance: float
        /// <summary>c₁ of the sufficient-decrease condition (default 1e-4).</summary>
        /// <example><code>{ NewtonCgOptions.defaults with C1 = 1e-3 }</code></example>
        C1: float
        /// <summary>c₂ of the strong curvature condition (default 0.9).</summary>
        /// <example><code>{ NewtonCgOptions.defaults with C2 = 0.5 }</code></example>
        C2: float
        /// <summary>Evaluations allowed to one line search (default 25).</summary>
        /// <example><code>{ NewtonCgOptions.defaults with MaxLineSearch = 40 }</code></example>
        MaxLineSearch: int
        /// <summary>Keep every iterate in the result's <c>Path</c> (default false).</summary>
        /// <example><code>{ NewtonCgOptions.defaults with Trace = true }</code></example>
        Trace: bool
    }

    /// <summary>200 iterations, CG up to the number of unknowns, gradient tolerance 1e-7, change tolerance 1e-12,
    /// c₁ = 1e-4, c₂ = 0.9, 25 evaluations per line search, no trace.</summary>
    /// <example><code>{ NewtonCgOptions.defaults with MaxIterations = 50 }</code></example>
    static member defaults =
        {
            MaxIterations = 200
            MaxCgIterations = 0
            GradientTolerance = 1e-7
            ChangeTolerance = 1e-12
            C1 = 1e-4
            C2 = 0.9
            MaxLineSearch = 25
            Trace = false
        }

/// The full-batch minimisers on flat float64 vectors held on the host: a strong-Wolfe line search (Nocedal and
/// Wright, Numerical Optimization, 2nd ed., algorithms 3.5 and 3.6, with the cubic interpolation of their eq. 3.59),
/// L-BFGS's two-loop recursion (their algorithm 7.4) and truncated Newton-CG (their algorithm 7.1). The line search
/// branches on values, so these run eagerly; f and its derivatives are FuncGrad functions.
module internal Minimizer =
    let dot (a: float[]) (b: float[]) =
        let mutable s = 0.0

        for i in 0 .. a.Length - 1 do
            s <- s + a[i] * b[i]

        s

    let maxAbs (a: float[]) =
        Array.fold (fun m (v: float) -> max m (abs v)) 0.0 a

    let axpy (alpha: float) (x: float[]) (y: float[]) =
        Array.map2 (fun xi yi -> yi + alpha * xi) x y

    /// A point of a line search: the step α, f and the gradient there, and the directional derivative g·d.
    type Point =
        {
            Alpha: float
            F: float
            G: float[]
            D: float
        }

    /// The minimiser of the cubic through (a, fa, da) and (b, fb, db), or the midpoint when it has none.
    let cubic (a: Point) (b: Point) =
        let d1 = a.D + b.D - 3.0 * (a.F - b.F) / (a.Alpha - b.Alpha)
        let disc = d1 * d1 - a.D * b.D

        if disc < 0.0 || Double.IsNaN disc then
            0.5 * (a.Alpha + b.Alpha)
        else
            let d2 = float (sign (b.Alpha - a.Alpha)) * sqrt disc
            let t = b.Alpha - (b.Alpha - a.Alpha) * (b.D + d2 - d1) / (b.D - a.D + 2.0 * d2)
            if Double.IsFinite t then t else 0.5 * (a.Alpha + b.Alpha)

    /// A step along d from x meeting the strong Wolfe conditions f(x + αd) ≤ f(x) + c₁·α·g·d and
    /// |g(x + αd)·d| ≤ c₂·|g·d|, starting from α₀; Error with the evaluations spent when none was found.
    let strongWolfe
        (fg: float[] -> float * float[])
        (x: float[])
        (d: float[])
        (start: Point)
        (alpha0: float)
        (c1: float)
        (c2: float)
        (maxEvals: int)
        =
        let mutable evals = 0

        let at alpha =
            evals <- evals + 1
            let f, g = fg (axpy alpha d x)

            {
                Alpha = alpha
                F = f
                G = g
                D = dot g d
            }

        // Near a minimum f's rounding (a few ulps of f) hides a decrease c₁·α·g·d smaller than it; there, Hager and
        // Zhang's approximate condition g(x + αd)·d ≤ (2c₁ − 1)·g·d, with f no higher than its rounding allows,
        // stands in for it (Hager and Zhang 2005, "A new conjugate gradient method with guaranteed descent").
        let roundoff = 1e-14 * abs start.F

        let sufficient (p: Point) =
            Double.IsFinite p.F
            && (p.F <= start.F + c1 * p.Alpha * start.D
                || (p.F <= start.F + roundoff && p.D <= (2.0 * c1 - 1.0) * start.D))

        let curvature (p: Point) = abs p.D <= -c2 * start.D

        // Algorithm 3.6: lo satisfies sufficient decrease and has the lowest f so far; the minimiser lies between.
        let zoom (lo0: Point) (hi0: Point) =
            let mutable lo = lo0
            let mutable hi = hi0
            let mutable result = None

            while result.IsNone
                  && evals < maxEvals
                  && abs (hi.Alpha - lo.Alpha) > 1e-16 * abs lo.Alpha do
                let width = hi.Alpha - lo.Alpha
                let left, right = min lo.Alpha hi.Alpha, max lo.Alpha hi.Alpha
                let guard = 0.1 * abs width
                let t = cubic lo hi

                let t =
                    if t < left + guard || t > right - guard then
                        0.5 * (lo.Alpha + hi.Alpha)
                    else
                        t

                let p = at t

                if not (sufficient p) || p.F > lo.F + roundoff then
                    hi <- p
                elif curvature p then
                    result <- Some p
                else
                    if p.D * (hi.Alpha - lo.Alpha) >= 0.0 then
                        hi <- lo

                    lo <- p

            result

        // Algorithm 3.5: grow α until the minimiser is bracketed, then zoom.
        let mutable prev = start
        let mutable alpha = alpha0
        let mutable result = None
        let mutable fin = false
        let mutable i = 0

        while not fin && evals < maxEvals do
            let p = at alpha

            if not (sufficient p) || (i > 0 && p.F > prev.F + roundoff) then
                result <- zoom prev p
                fin <- true
            elif curvature p then
                result <- Some p
                fin <- true
            elif p.D >= 0.0 then
                result <- zoom p prev
                fin <- true
            else
                // extrapolate by the cubic through the last two points, kept within [1.1α, 10α]
                let next = cubic prev p
                prev <- p
                alpha <- min (10.0 * p.Alpha) (max (1.1 * p.Alpha) next)
                i <- i + 1

        match result with
        | Some p -> Ok(p, evals)
        | None -> Error evals

    /// The mutable bookkeeping of one run.
    type Run(x0: float[], f0: float, g0: float[], trace: bool) =
        member val X = x0 with get, set
        member val F = f0 with get, set
        member val G = g0 with get, set
        member val Evaluations = 1 with get, set
        member val HessianProducts = 0 with get, set
        member val Iterations = 0 with get, set
        member val Path = (if trace then [ x0 ] else []) with get, set

        member r.Accept(p: Point, x: float[]) =
            r.X <- x
            r.F <- p.F
            r.G <- p.G
            r.Iterations <- r.Iterations + 1

            if trace then
                r.Path <- x :: r.Path

    /// Whether an accepted step from (f, x) met a change tolerance.
    let small (tol: float) (fOld: float) (fNew: float) (step: float[]) =
        tol > 0.0 && (abs (fNew - fOld) <= tol || maxAbs step <= tol)

    /// L-BFGS with the strong-Wolfe line search; the run's final state and why it stopped.
    let lbfgs (fg: float[] -> float * float[]) (x0: float[]) (o: LbfgsOptions) =
        let f0, g0 = fg x0
        let run = Run(x0, f0, g0, o.Trace)
        let ss = Collections.Generic.List<float[]>()
        let ys = Collections.Generic.List<float[]>()
        let rhos = Collections.Generic.List<float>()
        let mutable reason = None

        if maxAbs g0 <= o.GradientTolerance then
            reason <- Some StopReason.GradientTolerance

        while reason.IsNone do
            if run.Iterations >= o.MaxIterations then
                reason <- Some StopReason.MaxIterations
            else
                let g = run.G
                // the two-loop recursion: r = H·g with H₀ = γ·I, γ = sᵀy / yᵀy of the newest pair
                let q = Array.copy g
                let a = Array.zeroCreate ss.Count

                for i in ss.Count - 1 .. -1 .. 0 do
                    a[i] <- rhos[i] * dot ss[i] q

                    for j in 0 .. q.Length - 1 do
                        q[j] <- q[j] - a[i] * ys[i][j]

                if ss.Count > 0 then
                    let k = ss.Count - 1
                    let gamma = dot ss[k] ys[k] / dot ys[k] ys[k]

                    for j in 0 .. q.Length - 1 do
                        q[j] <- gamma * q[j]

                for i in 0 .. ss.Count - 1 do
                    let b = rhos[i] * dot ys[i] q

                    for j in 0 .. q.Length - 1 do
                        q[j] <- q[j] + ss[i][j] * (a[i] - b)

                let d0 = Array.map (fun v -> -v) q
                let slope0 = dot g d0
                // not a descent direction (rounding, or a bad pair): forget the history and go down the gradient
                let d, slope =
                    if slope0 < 0.0 && Double.IsFinite slope0 then
                        d0, slope0
                    else
                        ss.Clear()
                        ys.Clear()
                        rhos.Clear()
                        let d = Array.map (fun v -> -v) g
                        d, dot g d
                // with no curvature pairs yet, a first step of length at most 1 (PyTorch's min(1, 1/‖g‖₁))
                let alpha0 =
                    if ss.Count = 0 then
                        min 1.0 (1.0 / Array.sumBy abs g)
                    else
                        1.0

                let start =
                    {
                        Alpha = 0.0
                        F = run.F
                        G = g
                        D = slope
                    }

                match strongWolfe fg run.X d start alpha0 o.C1 o.C2 o.MaxLineSearch with
                | Error evals ->
                    run.Evaluations <- run.Evaluations + evals
                    reason <- Some StopReason.LineSearchFailed
                | Ok(p, evals) ->
                    run.Evaluations <- run.Evaluations + evals
                    let s = Array.map (fun v -> p.Alpha * v) d
                    let y = Array.map2 (-) p.G g
                    let sy = dot s y
                    let fOld = run.F
                    run.Accept(p, axpy p.Alpha d run.X)

                    if sy > 1e-10 then
                        if ss.Count = o.History then
                            ss.RemoveAt 0
                            ys.RemoveAt 0
                            rhos.RemoveAt 0

                        ss.Add s
                        ys.Add y
                        rhos.Add(1.0 / sy)

                    if maxAbs p.G <= o.GradientTolerance then
                        reason <- Some StopReason.GradientTolerance
                    elif small o.ChangeTolerance fOld p.F s then
                        reason <- Some StopReason.ChangeTolerance

        run, reason.Value

    /// Truncated Newton-CG: CG on H·d = −g with Hessian-vector products, stopped at the forcing tolerance
    /// min(0.5, √‖g‖)·‖g‖ or at negative curvature, then the strong-Wolfe line search from α = 1.
    let newtonCg
        (fg: float[] -> float * float[])
        (hv: float[] -> float[] -> float[])
        (x0: float[])
        (o: NewtonCgOptions)
        =
        let f0, g0 = fg x0
        let run = Run(x0, f0, g0, o.Trace)

        let maxCg =
            if o.MaxCgIterations > 0 then
                o.MaxCgIterations
            else
                max 1 x0.Length

        let mutable reason = None

        if maxAbs g0 <= o.GradientTolerance then
            reason <- Some StopReason.GradientTolerance

        while reason.IsNone do
            if run.Iterations >= o.MaxIterations then
                reason <- Some StopReason.MaxIterations
            else
                let g = run.G
                let gNorm = sqrt (dot g g)
                let tol = min 0.5 (sqrt gNorm) * gNorm
                let z = Array.zeroCreate g.Length
                let mutable r = Array.copy g
                let mutable p = Array.map (fun v -> -v) g
                let mutable rr = dot r r
                let mutable direction = None
                let mutable j = 0

                while direction.IsNone do
                    if j >= maxCg then
                        direction <- Some(if j = 0 then Array.map (fun v -> -v) g else Array.copy z)
                    else
                        let hp = hv run.X p
                        run.HessianProducts <- run.HessianProducts + 1
                        let curv = dot p hp

                        if curv <= 0.0 then
                            // negative or zero curvature along p: the CG iterate so far, or steepest descent
                            direction <- Some(if j = 0 then Array.map (fun v -> -v) g else Array.copy z)
                        else
                            let alpha = rr / curv

                            for i in 0 .. z.Length - 1 do
                                z[i] <- z[i] + alpha * p[i]

                            r <- axpy alpha hp r
                            let rr' = dot r r

                            if sqrt rr' <= tol then
                                direction <- Some(Array.copy z)
                            else
                                let beta = rr' / rr
                                p <- Array.map2 (fun ri pi -> -ri + beta * pi) r p
                                rr <- rr'
                                j <- j + 1

                let d = direction.Value

                let start =
                    {
                        Alpha = 0.0
                        F = run.F
                        G = g
                        D = dot g d
                    }

                match strongWolfe fg run.X d start 1.0 o.C1 o.C2 o.MaxLineSearch with
                | Error evals ->
                    run.Evaluations <- run.Evaluations + evals
                    reason <- Some StopReason.LineSearchFailed
                | Ok(pt, evals) ->
                    run.Evaluations <- run.Evaluations + evals
                    let fOld = run.F
                    let s = Array.map (fun v -> pt.Alpha * v) d
                    run.Accept(pt, axpy pt.Alpha d run.X)

                    if maxAbs pt.G <= o.GradientTolerance then
                        reason <- Some StopReason.GradientTolerance
                    elif small o.ChangeTolerance fOld pt.F s then
                        reason <- Some StopReason.ChangeTolerance

        run, reason.Value
