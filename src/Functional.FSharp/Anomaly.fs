namespace FuncGrad

open System

/// <summary>
/// Anomaly mode from F#: the first NaN or infinity that an op makes throws an
/// <see cref="T:FuncGrad.AnomalyException"/> naming the op, the line of your code that made it, and the cause.
/// </summary>
/// <remarks>
/// The NaN or infinity may be in a value, a tangent or a cotangent; the known causes are 0·∞ through a masked
/// where, sqrt, log or pow at 0, division by zero and exp overflow. A thin wrapper over
/// <see cref="M:FuncGrad.Autodiff.DetectAnomaly(System.Boolean)"/>; see docs/anomaly.md.
/// </remarks>
/// <example><code>
/// let f x = Tensor.where (Tensor.gt x (scalar 0.0)) (sqrt x) (scalar 0.0)
/// detectAnomaly (grad f) (scalar 0.0) // throws AnomalyException: Sqrt, the cotangent, 0·∞ through a masked where
/// </code></example>
[<AutoOpen>]
module AnomalyMode =
    /// () and None are null at run time, and legitimate arguments.
    let private nullIsAValue (t: Type) =
        t = typeof<unit>
        || t.IsGenericType && t.GetGenericTypeDefinition() = typedefof<_ option>

    /// <summary>
    /// f x in anomaly mode. Pass the whole computation, the backward pass included: <c>detectAnomaly (grad f) x</c>.
    /// </summary>
    /// <remarks>
    /// Not <c>grad (detectAnomaly f) x</c>, whose backward pass would run after the mode ended. x may be any value
    /// (a tensor, a structure of them); for a computation of no argument, use the scope form
    /// (<c>detectAnomalyScope</c>).
    /// </remarks>
    /// <example><code>
    /// detectAnomaly (grad (fun x -> Tensor.sum (x * x))) (Tensor.ofList [ 1.0; 2.0 ]) // as grad alone
    /// </code></example>
    let detectAnomaly (f: 'T -> 'R) (x: 'T) : 'R =
        Args.notNull "detectAnomaly" "f" f

        if not (nullIsAValue typeof<'T>) then
            Args.notNullAs "detectAnomaly" "x" "the argument of f (detectAnomalyScope for no argument)" x

        use _ = Autodiff.DetectAnomaly()
        f x

    /// <summary>
    /// A scope of anomaly mode, for <c>use</c>: on until the scope is disposed, in this async flow only (like
    /// <c>torch.autograd.detect_anomaly()</c>).
    /// </summary>
    /// <example><code>
    /// use _ = detectAnomalyScope ()
    /// let g = grad f x // an AnomalyException if an op of f, or of its derivative, makes a NaN or an infinity
    /// </code></example>
    let detectAnomalyScope () : IDisposable = Autodiff.DetectAnomaly()
