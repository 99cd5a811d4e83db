namespace FuncGrad;

/// <summary>
/// The first NaN or infinity that an op made while <see cref="Autodiff.DetectAnomaly(bool)"/> was on: which op, where
/// your code made it, in which part, and why.
/// </summary>
/// <remarks>
/// The part is its value, a tangent, or a cotangent and of which argument; the cause is given where it is one of the
/// known ones. The message says all of it, with the fix for the known causes.
/// An op is blamed only for what it made: a NaN where none of its inputs (arguments, incoming tangent or cotangent,
/// and for a rule its own value) held a NaN, or an infinity where all of them were finite. A NaN or an infinity
/// that came in from outside passes through without an error.
/// </remarks>
/// <example><code>
/// using (Autodiff.DetectAnomaly()) Tensor.Scalar(0.0).Log(); // throws AnomalyException: Log, LogOfZero
/// </code></example>
public sealed class AnomalyException : ArithmeticException
{
    internal AnomalyException(string message, string op, AnomalyPart part, int? argument, AnomalyCause cause,
        string? origin) : base(message)
    {
        Op = op; Part = part; Argument = argument; Cause = cause; Origin = origin;
    }

    /// <summary>The op's name, as graphs and <see cref="Tensor.GradFn"/> show it (<c>"Sqrt"</c>), or a custom
    /// rule's own name.</summary>
    /// <example><code>catch (AnomalyException e) { Console.WriteLine(e.Op); } // Sqrt</code></example>
    public string Op { get; }

    /// <summary>Whether the non-finite number is in the op's value, in a tangent (forward mode) or in a cotangent
    /// (reverse mode).</summary>
    /// <example><code>catch (AnomalyException e) when (e.Part == AnomalyPart.Cotangent) { }</code></example>
    public AnomalyPart Part { get; }

    /// <summary>For a cotangent: the argument of the op it is for (0 for the first); null for a value or a
    /// tangent.</summary>
    /// <example><code>catch (AnomalyException e) { Console.WriteLine(e.Argument); } // 0</code></example>
    public int? Argument { get; }

    /// <summary>The cause, where it is one of the known ones; <see cref="AnomalyCause.Unknown"/> otherwise.</summary>
    /// <example><code>catch (AnomalyException e) when (e.Cause == AnomalyCause.MaskedWhere) { }</code></example>
    public AnomalyCause Cause { get; }

    /// <summary>
    /// Where your code made the op, as <c>Method in file:line N</c> when symbols are there and the method alone
    /// otherwise; null where it is not known.
    /// </summary>
    /// <remarks>
    /// The place is the first stack frame outside FuncGrad's assemblies (and outside .NET's and FSharp.Core's where
    /// there is one). It is null where no such frame was found, and for a cotangent's op recorded outside this anomaly
    /// scope or with origins off.
    /// </remarks>
    /// <example><code>
    /// catch (AnomalyException e) { Console.WriteLine(e.Origin); } // Program.Main in Program.cs:line 12
    /// </code></example>
    public string? Origin { get; }
}

/// <summary>Which of an op's results held the NaN or infinity that <see cref="AnomalyException"/> reports.</summary>
/// <example><code>AnomalyPart.Cotangent // from a VJP rule, in reverse mode</code></example>
public enum AnomalyPart
{
    /// <summary>The op's value (the forward computation).</summary>
    /// <example><code>using (Autodiff.DetectAnomaly()) Tensor.Scalar(0.0).Log(); // Part = Value</code></example>
    Value,
    /// <summary>The tangent that the op's JVP rule made (forward mode: jvp, jacfwd, hvp).</summary>
    /// <example><code>
    /// Autodiff.DetectAnomaly(() => Autodiff.Jvp(x => x.Sqrt(), Tensor.Scalar(0.0), Tensor.Scalar(1.0))) // Tangent
    /// </code></example>
    Tangent,
    /// <summary>A cotangent that the op's VJP rule made for one of its arguments (reverse mode: grad, vjp, jacrev,
    /// Backward), or the sum of the cotangents a tensor received from its uses.</summary>
    /// <example><code>
    /// Autodiff.DetectAnomaly(() => Autodiff.Grad(x => x.Sqrt(), Tensor.Scalar(0.0))) // Cotangent, argument 0
    /// </code></example>
    Cotangent,
}

/// <summary>The known ways a NaN or an infinity comes about, as <see cref="AnomalyException.Cause"/> names
/// them.</summary>
/// <example><code>AnomalyCause.MaskedWhere // 0·∞ in the VJP of an op whose output a where dropped</code></example>
public enum AnomalyCause
{
    /// <summary>None of the causes below was recognised; the message still names the op, the part and the
    /// element.</summary>
    /// <example><code>AnomalyCause.Unknown</code></example>
    Unknown,
    /// <summary>
    /// 0·∞ in a VJP: a where sent a zero cotangent to the branch it did not pick, whose op has an infinite derivative
    /// there (sqrt, log or pow at 0).
    /// </summary>
    /// <remarks>
    /// The where may reach the op directly or through ops after it. The fix is the "double where": mask the unsafe
    /// op's input too, <c>where(x &gt; 0, sqrt(where(x &gt; 0, x, 1)), 0)</c>.
    /// </remarks>
    /// <example><code>
    /// Autodiff.Grad(x => Tensor.Where(x.Gt(Tensor.Scalar(0.0)), x.Sqrt(), Tensor.Scalar(0.0)), Tensor.Scalar(0.0))
    /// // in anomaly mode: Sqrt, Cotangent, MaskedWhere
    /// </code></example>
    MaskedWhere,
    /// <summary>0·∞ in a rule: a zero tangent or cotangent met an infinite derivative (a relu or max that dropped
    /// the branch, a zero direction of jacfwd), giving NaN.</summary>
    /// <example><code>
    /// Autodiff.Jvp(x => x.Sqrt(), Tensor.Scalar(0.0), Tensor.Scalar(0.0)) // NaN tangent
    /// </code></example>
    ZeroTimesInfinity,
    /// <summary>The op's derivative is infinite at its argument: sqrt, log or pow (exponent below 1) at 0, log1p at
    /// −1, 1/x at 0.</summary>
    /// <example><code>Autodiff.Grad(x => x.Sqrt(), Tensor.Scalar(0.0)) // +inf</code></example>
    InfiniteDerivative,
    /// <summary>Division by zero: a / 0, 1 / 0, or 0 raised to a negative power.</summary>
    /// <example><code>Tensor.Scalar(1.0) / Tensor.Scalar(0.0) // inf</code></example>
    DivisionByZero,
    /// <summary>log of 0 (−inf), or log1p of −1.</summary>
    /// <example><code>Tensor.Scalar(0.0).Log() // -inf</code></example>
    LogOfZero,
    /// <summary>An argument outside the function's domain: sqrt or log of a negative number, a negative number to a
    /// non-integer power (NaN).</summary>
    /// <example><code>Tensor.Scalar(-1.0).Sqrt() // nan</code></example>
    OutsideDomain,
    /// <summary>exp (or expm1) of a number above log(max): about 709.78 in float64, 88.72 in float32.</summary>
    /// <example><code>Tensor.Scalar(710.0).Exp() // inf</code></example>
    ExpOverflow,
    /// <summary>A result beyond the largest finite number of its dtype (about 1.8e308 in float64, 3.4e38 in float32)
    /// from finite inputs: a product, a sum, a power.</summary>
    /// <example><code>Tensor.Scalar(1e200) * Tensor.Scalar(1e200) // inf</code></example>
    Overflow,
    /// <summary>A NaN made from infinities that were already there: ∞ − ∞, 0·∞, ∞/∞.</summary>
    /// <example><code>
    /// Tensor.Scalar(double.PositiveInfinity) - Tensor.Scalar(double.PositiveInfinity) // nan
    /// </code></example>
    InfinityArithmetic,
}
