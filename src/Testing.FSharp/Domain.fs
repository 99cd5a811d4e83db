namespace FuncGrad.Testing

open System
open System.Globalization

/// <summary>
/// Where generated values lie: an interval, minus a margin around points to avoid (kinks such as 0 for
/// abs and relu, poles such as ±π/2 for tan or 0 for a divisor).
/// </summary>
/// <remarks>
/// Values are drawn uniformly from it and shrink to simpler values (0, ±1, integers, fewer decimals) inside it only,
/// so shrinking never walks onto a kink or a pole.
/// </remarks>
/// <example><code>Domain.real |> Domain.awayFrom [ 0.0 ] 0.1 // [-3, 3] without (-0.1, 0.1)</code></example>
/// <namespacedoc><summary>
/// Property testing of derivatives with FsCheck: generators of shapes and of tensors in a <c>Domain</c> that
/// shrink to the smallest failing case, and <c>GradCheck.property</c> (in FuncGrad.Testing, which brings FsCheck).
/// </summary></namespacedoc>
type Domain =
    {
        /// <summary>The smallest value.</summary>
        /// <example><code>{ Domain.real with Low = -1.0 } // [-1, 3]</code></example>
        Low: float
        /// <summary>The largest value.</summary>
        /// <example><code>{ Domain.real with High = 1.0 } // [-3, 1]</code></example>
        High: float
        /// <summary>Points to keep away from.</summary>
        /// <example><code>(Domain.real |> Domain.awayFrom [ 0.0 ] 0.1).Avoid // [ 0.0 ]</code></example>
        Avoid: float list
        /// <summary>The distance kept from each avoided point.</summary>
        /// <example><code>(Domain.real |> Domain.awayFrom [ 0.0 ] 0.1).Margin // 0.1</code></example>
        Margin: float
        /// <summary>
        /// Whether shrinking may simplify values (false: shapes only, e.g. where equal values form a kink).
        /// </summary>
        /// <example><code>{ Domain.real with ShrinkValues = false } // shrink shapes only</code></example>
        ShrinkValues: bool
        /// <summary>The name shown in reports.</summary>
        /// <example><code>{ Domain.bounded -1.4 1.4 with Name = "tan-safe" }</code></example>
        Name: string
    }

    /// <summary>True for values the domain can produce.</summary>
    /// <example><code>Domain.positive.Contains 0.0 // false</code></example>
    member d.Contains(x: float) =
        x >= d.Low
        && x <= d.High
        && d.Avoid |> List.forall (fun a -> abs (x - a) >= d.Margin)

    /// <summary>The name and interval.</summary>
    /// <example><code>string Domain.real // "real [-3, 3]"</code></example>
    override d.ToString() =
        let s (x: float) =
            x.ToString("G4", CultureInfo.InvariantCulture)

        let points = d.Avoid |> List.map s |> String.concat ", "

        let avoid =
            if d.Avoid.IsEmpty then
                ""
            else
                $" away from {points} by {s d.Margin}"

        $"{d.Name} [{s d.Low}, {s d.High}]{avoid}"

/// <summary>Domains for generated values; each one is a plain record, so its fields can be changed with
/// <c>with</c>.</summary>
/// <example><code>Domain.bounded -1.4 1.4 // where tan is smooth</code></example>
[<RequireQualifiedAccess; CompilationRepresentation(CompilationRepresentationFlags.ModuleSuffix)>]
module Domain =
    /// <summary>Uniform values in [lo, hi].</summary>
    /// <example><code>Domain.bounded 0.0 1.0</code></example>
    [<CompiledName("Bounded")>]
    let bounded (lo: float) (hi: float) =
        if not (lo <= hi) then
            invalidArg "hi" $"Domain.bounded: [{lo}, {hi}] is empty; give lo ≤ hi"

        {
            Low = lo
            High = hi
            Avoid = []
            Margin = 0.0
            ShrinkValues = true
            Name = "bounded"
        }

    /// <summary>[-3, 3]: real values of moderate size, where exp, tanh and friends are well conditioned.</summary>
    /// <example><code>Domain.real.Contains 2.5 // true</code></example>
    [<CompiledName("Real")>]
    let real = { bounded -3.0 3.0 with Name = "real" }

    /// <summary>[0.25, 3]: positive values kept clear of 0, where log, sqrt and 1/x have poles or infinite
    /// slopes.</summary>
    /// <example><code>Domain.positive.Contains 0.1 // false</code></example>
    [<CompiledName("Positive")>]
    let positive =
        { bounded 0.25 3.0 with
            Name = "positive"
        }

    /// <summary>The domain without a margin around each of <paramref name="points"/>.</summary>
    /// <example><code>Domain.real |> Domain.awayFrom [ -1.0; 1.0 ] 0.2</code></example>
    [<CompiledName("AwayFrom")>]
    let awayFrom (points: float list) (margin: float) (d: Domain) =
        FuncGrad.Args.notNull "Domain.awayFrom" "points" points
        FuncGrad.Args.notNullAs "Domain.awayFrom" "d" FuncGrad.Args.domain d

        if not (margin >= 0.0) then
            invalidArg "margin" $"Domain.awayFrom: margin {margin} is negative; give 0 or more"

        { d with
            Avoid = d.Avoid @ points |> List.distinct
            Margin = max d.Margin margin
        }

    /// <summary>Real values at least 0.1 from each kink (where a function is continuous but its derivative jumps: 0 for
    /// abs and relu).</summary>
    /// <example><code>Domain.awayFromKinks [ 0.0 ] // for abs, relu</code></example>
    [<CompiledName("AwayFromKinks")>]
    let awayFromKinks (kinks: float list) =
        FuncGrad.Args.notNull "Domain.awayFromKinks" "kinks" kinks

        { (real |> awayFrom kinks 0.1) with
            Name = "away from kinks"
        }

    /// <summary>Real values at least 0.25 from each pole (where a function or its derivative is infinite: 0 for 1/x,
    /// ±π/2 for tan).</summary>
    /// <example><code>Domain.awayFromPoles [ 0.0 ] // for a divisor</code></example>
    [<CompiledName("AwayFromPoles")>]
    let awayFromPoles (poles: float list) =
        FuncGrad.Args.notNull "Domain.awayFromPoles" "poles" poles

        { (real |> awayFrom poles 0.25) with
            Name = "away from poles"
        }

    /// <summary>The same domain, shrinking shapes but never values: for functions with kinks where values meet (max,
    /// maximum), which simplified values (all zeros) would tie.</summary>
    /// <example><code>Domain.real |> Domain.keepValues // for max over an axis</code></example>
    [<CompiledName("KeepValues")>]
    let keepValues (d: Domain) =
        FuncGrad.Args.notNullAs "Domain.keepValues" "d" FuncGrad.Args.domain d
        { d with ShrinkValues = false }

    /// <summary>A value drawn uniformly from the domain (redrawn until it is clear of the avoided points).</summary>
    /// <example><code>Domain.draw (Random 1) Domain.positive // a value in [0.25, 3]</code></example>
    [<CompiledName("Draw")>]
    let draw (rng: Random) (d: Domain) =
        FuncGrad.Args.notNull "Domain.draw" "rng" rng
        FuncGrad.Args.notNullAs "Domain.draw" "d" FuncGrad.Args.domain d

        let once () =
            d.Low + (d.High - d.Low) * rng.NextDouble()

        let rec go n =
            let x = once ()

            if d.Contains x then
                x
            elif n = 0 then
                invalidArg "d" $"Domain.draw: {d} has (almost) no room left; widen it or avoid fewer points"
            else
                go (n - 1)

        go 1000

    /// The candidates of `simpler`, simplest first.
    let private candidates (x: float) =
        [
            0.0
            (if x < 0.0 then -1.0 else 1.0)
            Math.Round x
            Math.Round(x * 10.0) / 10.0
            Math.Round(x * 100.0) / 100.0
        ]

    /// Equality as the dtype stores values: a float32 tensor cannot hold 2.3 exactly, only its nearest float32.
    let private sameIn (dtype: FuncGrad.DType) (a: float) (b: float) =
        if dtype = FuncGrad.DType.Float32 then
            float32 a = float32 b
        else
            a = b || abs (a - b) <= 1e-12 * max 1.0 (abs a)

    let private complexityIn (dtype: FuncGrad.DType) (x: float) =
        match candidates x |> List.tryFindIndex (sameIn dtype x) with
        | Some i -> i
        | None -> 5

    /// <summary>How simple a value is: 0 for zero, 1 for ±1, 2 for other integers, 3 and 4 for one and two decimals, 5
    /// otherwise.</summary>
    /// <example><code>Domain.complexity 2.5 // 3</code></example>
    [<CompiledName("Complexity")>]
    let complexity (x: float) = complexityIn FuncGrad.DType.Float64 x

    /// <summary>
    /// Values simpler than x (as a tensor of <paramref name="dtype"/> stores them) inside the domain, simplest
    /// first: 0, ±1, x rounded to an integer, to one and to two decimals. Each is strictly simpler, so shrinking ends.
    /// </summary>
    /// <example><code>Domain.simplerIn DType.Float64 Domain.real 2.347 // [0.0; 1.0; 2.0; 2.3; 2.35]</code></example>
    [<CompiledName("SimplerIn")>]
    let simplerIn (dtype: FuncGrad.DType) (d: Domain) (x: float) =
        FuncGrad.Args.notNullAs "Domain.simplerIn" "d" FuncGrad.Args.domain d
        let c = complexityIn dtype x

        candidates x
        |> List.distinct
        |> List.filter (fun y -> complexityIn dtype y < c && d.Contains y)

    /// <summary>Values simpler than x inside the domain, simplest first (for float64 tensors).</summary>
    /// <example><code>Domain.simpler Domain.positive 2.347 // [1.0; 2.0; 2.3; 2.35]</code></example>
    [<CompiledName("Simpler")>]
    let simpler (d: Domain) (x: float) =
        FuncGrad.Args.notNullAs "Domain.simpler" "d" FuncGrad.Args.domain d
        simplerIn FuncGrad.DType.Float64 d x
