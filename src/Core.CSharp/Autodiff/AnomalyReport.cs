using System.Globalization;

namespace FuncGrad;

/// <summary>
/// The <see cref="AnomalyException"/> for an op that made a NaN or an infinity: what it made and where, the element
/// with the values around it, and the cause when the op and those values show a known one. Runs only on the way to
/// the error, so it may copy values freely.
/// </summary>
internal static class AnomalyReport
{
    internal static AnomalyException Value(Op op, Tensor[] args, Tensor y, Origin origin) =>
        Build(new Case(op, AnomalyPart.Value, null, args, y, null, y, Finiteness.Of(args)), origin.ToString(),
            null);

    internal static AnomalyException Tangent(Op op, Tensor?[] dx, Tensor[] x, Tensor y, Tensor dy, Origin origin)
    {
        var given = dx.Where(d => d is not null).Cast<Tensor>().ToArray();
        var came = Finiteness.Combine(Finiteness.Of(x), Finiteness.Of(given), Finiteness.Of(y));
        // One tangent given (the usual case) lines up with the arguments element by element.
        var incoming = given.Length == 1 ? given[0] : null;
        return Build(new Case(op, AnomalyPart.Tangent, null, x, y, incoming, dy, came), origin.ToString(), null);
    }

    internal static AnomalyException Cotangent(Tensor node, int j, Tensor d, Tensor g, Tensor[] x, Tensor y,
        Dictionary<Tensor, List<Tensor>> consumers)
    {
        var came = Finiteness.Combine(Finiteness.Of(g), Finiteness.Of(x), Finiteness.Of(y));
        var c = new Case(node.op!, AnomalyPart.Cotangent, j, x, y, g, d, came)
        {
            Senders = consumers.TryGetValue(node, out var s) ? s : [],
            MaskingWhere = UpstreamWhere(node, consumers),
        };
        return Build(c, Origin.Of(node)?.ToString(), node);
    }

    internal static AnomalyException Summed(Tensor x, Tensor a, Tensor b, Tensor sum)
    {
        var came = Finiteness.Combine(Finiteness.Of(a), Finiteness.Of(b));
        bool nan = Finiteness.Of(sum) == Finite.NaN && came != Finite.NaN;
        var (cause, why) = nan
            ? (AnomalyCause.InfinityArithmetic, "opposite infinities met in the sum (∞ − ∞)")
            : (AnomalyCause.Overflow, $"the sum is beyond the largest finite {x.DType.Name()}: an overflow");
        string op = x.op?.Name ?? "a variable";
        string? origin = Origin.Of(x)?.ToString();
        return new AnomalyException(
            $"anomaly mode: the cotangents that {op} ({Shapes.Show(x)}) received from its uses summed to "
            + $"{(nan ? "a NaN" : "an infinity")}, where each was {(came == Finite.All ? "finite" : "free of NaN")}."
            + $"\n  made at: {origin ?? (x.op is null ? "a variable (an input of the differentiation)" : Unrecorded)}"
            + $"\n  cause: {why}",
            op, AnomalyPart.Cotangent, null, cause, origin);
    }

    /// <summary>Why a node has no origin: made outside anomaly mode, or in it with origins off.</summary>
    private static string Unrecorded => AnomalyScope.Current is { Origins: false }
        ? "not recorded: anomaly mode is on without origins; turn them on (DetectAnomaly(origins: true)) to see where"
        : "not recorded: the op was made before anomaly mode was on; run the forward pass in the scope to see where";

    /// <summary>What went wrong, as the checks saw it: the op, the part, its inputs (<see cref="Incoming"/> is the
    /// tangent or cotangent that came in), the result that holds the non-finite number, and what came in.</summary>
    private sealed record Case(Op Op, AnomalyPart Part, int? Argument, Tensor[] X, Tensor Y, Tensor? Incoming,
        Tensor Result, Finite Came)
    {
        internal List<Tensor> Senders { get; init; } = [];
        internal Tensor? MaskingWhere { get; init; }
    }

    private static AnomalyException Build(Case c, string? origin, Tensor? node)
    {
        // The part of the result to show: the first that holds what the op is blamed for.
        bool nan = c.Came != Finite.All;
        Tensor part = c.Result;
        int order = 0, element = -1;
        bool batch = false;
        foreach (var (p, k, b) in Finiteness.Parts(c.Result))
        {
            element = Finiteness.First(p, nan);
            if (element >= 0) { part = p; order = k; batch = b; break; }
        }
        if (element < 0) { part = Finiteness.Parts(c.Result)[0].Plain; element = 0; }
        bool isNaN = double.IsNaN(part.Host().ToArray()[element]);

        var view = new View(c, part, element, batch);
        var (cause, why, fix) = c.Part == AnomalyPart.Value ? ValueCause(c, view, isNaN) : RuleCause(c, view, isNaN,
            order);

        string what = c.Part switch
        {
            AnomalyPart.Value => "its value",
            AnomalyPart.Tangent => "the tangent its JVP rule made",
            _ => $"the cotangent its VJP rule made for its argument {c.Argument}",
        };
        if (order > 0)
            what += $", in the tangent it carries {order} level{(order > 1 ? "s" : "")} down (a derivative of "
                + $"order {order + 1}: hessian, jacfwd of jacrev, jvp of grad)";
        string inputs = c.Part switch
        {
            AnomalyPart.Value => "its arguments",
            AnomalyPart.Tangent => "its arguments, its value and the incoming tangent",
            _ => "its arguments, its value and the incoming cotangent",
        };
        string came = isNaN && c.Came == Finite.Infinity
            ? $"{inputs} held infinities but no NaN"
            : $"{inputs} were finite";
        string shapes = string.Join(", ", c.X.Select(Shapes.Show));
        var msg = $"anomaly mode: {c.Op.Name} made {(isNaN ? "a NaN" : "an infinity")} in {what}, where {came}."
            + $"\n  op: {c.Op.Name}({shapes}) -> {Shapes.Show(c.Y)}"
            + $"\n  made at: {origin ?? (node is null ? "no frame outside FuncGrad on the stack" : Unrecorded)}"
            + $"\n  at: {view.Describe(c)}"
            + $"\n  cause: {why}"
            + (fix is null ? "" : $"\n  fix: {fix}");
        return new AnomalyException(msg, c.Op.Name, c.Part, c.Argument, cause, origin);
    }

    /// <summary>The values around the element that went wrong: the arguments', the value's and the incoming
    /// tangent's or cotangent's, each as a flat array (a batch whole). Where an array has as many elements as the
    /// result's part, it lines up with it element by element (elementwise ops, no batching); otherwise only facts
    /// about the whole array are used.</summary>
    private sealed class View
    {
        internal readonly double[]?[] X;
        internal readonly double[]? Incoming;
        internal readonly int Element, Count;
        private readonly int[] shape;
        private readonly bool batched, batch;

        internal View(Case c, Tensor part, int element, bool batch)
        {
            this.batch = batch;
            X = c.X.Select(Values).ToArray();
            Incoming = c.Incoming is null ? null : Values(c.Incoming);
            Element = element;
            Count = part.Count;
            shape = part.shape;
            batched = c.X.Append(c.Result).Append(c.Incoming).Any(t => t is not null && HasBatch(t));
        }

        /// <summary>Whether <paramref name="v"/> lines up with the result's part.</summary>
        internal bool Aligned(double[]? v) => !batched && v is not null && v.Length == Count;

        /// <summary>The element of <paramref name="v"/> where <paramref name="holds"/>: the one that went wrong where
        /// v lines up with it (-1 if it does not hold there), else the first anywhere.</summary>
        internal int Find(double[]? v, Func<double, bool> holds) =>
            v is null ? -1 : Aligned(v) ? (holds(v[Element]) ? Element : -1) : Array.FindIndex(v, x => holds(x));

        internal string Describe(Case c)
        {
            var s = batch
                ? $"element {Index(Element, shape)} of the result's whole batch, {Shapes.Show(shape)} (vmap, jacobians)"
                : $"element {Index(Element, shape)} of the {Shapes.Show(shape)} result";
            var shown = new List<string>();
            string[] names = c.X.Length == 2 ? ["a", "b"] : ["x"];
            for (int i = 0; i < X.Length && i < names.Length; i++)
                if (Aligned(X[i])) shown.Add($"{names[i]} = {Show(X[i]![Element])}");
            if (Aligned(Incoming))
                shown.Add($"incoming {(c.Part == AnomalyPart.Tangent ? "tangent" : "cotangent")} = "
                    + Show(Incoming![Element]));
            return shown.Count > 0 ? $"{s}, where {string.Join(", ", shown)}" : s;
        }

        private static bool HasBatch(Tensor t)
        {
            var stack = new Stack<Tensor>();
            stack.Push(t);
            while (stack.Count > 0)
            {
                var x = stack.Pop();
                if (x.IsBatched) return true;
                if (x.tag == 0 || x.IsTraced) continue;
                if (x.IsDual) stack.Push(x.tangent!);
                stack.Push(x.primal ?? x.Down);
            }
            return false;
        }
    }

    /// <summary>A tensor's values under every level, a batch whole; null for a traced value.</summary>
    private static double[]? Values(Tensor t)
    {
        while (t.tag != 0)
        {
            if (t.IsTraced) return null;
            t = t.primal ?? t.Down;
        }
        return t.Host().ToArray();
    }

    private static (AnomalyCause, string, string?) ValueCause(Case c, View v, bool nan)
    {
        double[]? a = v.X.Length > 0 ? v.X[0] : null, b = v.X.Length > 1 ? v.X[1] : null;
        var dtype = c.Y.DType;
        string an = v.X.Length == 2 ? "a" : "x";
        int i;
        switch (c.Op.Name)
        {
            case "Div" when (i = v.Find(b, x => x == 0)) >= 0:
                return (AnomalyCause.DivisionByZero, $"division by zero: the divisor is 0{At(v, b, i, "b")}",
                    "keep the divisor away from 0 (b + eps), or divide only where it is not: "
                    + "where(b <> 0, a / where(b <> 0, b, 1), 0)");
            case "Reciprocal" when (i = v.Find(a, x => x == 0)) >= 0:
                return (AnomalyCause.DivisionByZero, $"division by zero: 1/x with x = 0{At(v, a, i, "x")}", null);
            case "Log" when (i = v.Find(a, x => x == 0)) >= 0:
                return (AnomalyCause.LogOfZero, $"log at 0 is −inf{At(v, a, i, "x")}", Masked(LogFix));
            case "Log" when (i = v.Find(a, x => x < 0)) >= 0:
                return (AnomalyCause.OutsideDomain, $"log of a negative number is NaN{At(v, a, i, "x")}",
                    Masked(LogFix));
            case "Log1p" when (i = v.Find(a, x => x == -1)) >= 0:
                return (AnomalyCause.LogOfZero, $"log1p at −1 is log 0 = −inf{At(v, a, i, "x")}", null);
            case "Log1p" when (i = v.Find(a, x => x < -1)) >= 0:
                return (AnomalyCause.OutsideDomain, $"log1p below −1 is NaN{At(v, a, i, "x")}", null);
            case "Sqrt" when (i = v.Find(a, x => x < 0)) >= 0:
                return (AnomalyCause.OutsideDomain, $"sqrt of a negative number is NaN{At(v, a, i, "x")}",
                    Masked(SqrtFix));
            case "Pow" when !nan && (i = v.Find(a, x => x == 0)) >= 0:
                return (AnomalyCause.DivisionByZero, $"0 raised to a negative power is 1/0 = inf{At(v, a, i, an)}",
                    null);
            case "Pow" when nan && (i = v.Find(a, x => x < 0)) >= 0:
                return (AnomalyCause.OutsideDomain,
                    $"a negative number raised to a non-integer power is NaN{At(v, a, i, an)}", null);
            case "Exp" or "Expm1" when (i = v.Find(a, x => x > ExpLimit(dtype))) >= 0:
                return (AnomalyCause.ExpOverflow,
                    $"exp overflows above log(max) ≈ {ExpLimit(dtype):F2} in {dtype.Name()}{At(v, a, i, "x")}",
                    "stay in log space (logsumexp, logSoftmax, softplus, log1p), or subtract the maximum before exp");
        }
        return Generic(c, nan);
    }

    private static (AnomalyCause, string, string?) RuleCause(Case c, View v, bool nan, int order)
    {
        double[]? a = v.X.Length > 0 ? v.X[0] : null, b = v.X.Length > 1 ? v.X[1] : null;
        int n = c.X.Length;
        (double[]? arg, Func<double, bool> holds, string derivative, string? fix) singular = c.Op.Name switch
        {
            "Sqrt" => (a, x => x == 0, "Sqrt's derivative 1/(2√x) is infinite at x = 0", SqrtFix),
            "Log" => (a, x => x == 0, "Log's derivative 1/x is infinite at x = 0", LogFix),
            "Log1p" => (a, x => x == -1, "Log1p's derivative 1/(1 + x) is infinite at x = −1", null),
            "Reciprocal" => (a, x => x == 0, "Reciprocal's derivative −1/x² is infinite at x = 0", null),
            "Pow" when n == 1 => (a, x => x == 0,
                "Pow's derivative p·x^(p−1) is infinite at x = 0 for an exponent p below 1",
                "where(x > 0, where(x > 0, x, 1) ** p, 0)"),
            "Pow" => (a, x => x == 0,
                "a^b's derivatives b·a^(b−1) (for b < 1) and a^b·log a (for b ≤ 0) are infinite at a = 0",
                "where(a > 0, where(a > 0, a, 1) ** b, 0)"),
            "Div" => (b, x => x == 0, "Div's derivatives 1/b and −a/b² are infinite at b = 0",
                "where(b <> 0, a / where(b <> 0, b, 1), 0)"),
            _ => (null, _ => false, "", null),
        };
        int i = singular.arg is null ? -1 : v.Find(singular.arg, singular.holds);
        if (i >= 0)
        {
            string at = At(v, singular.arg, i, ReferenceEquals(singular.arg, b) ? "b" : n == 2 ? "a" : "x");
            const string away = "keep the input away from the point where the derivative is infinite (x + eps)";
            string doubleWhere = singular.fix is null ? away
                : $"mask the unsafe op's input as well as its output (the \"double where\"): {singular.fix}, so "
                  + "that the branch not picked never reaches the infinite derivative";
            string fix = singular.fix is null ? away : $"{doubleWhere}; or {away}";
            if (nan && order == 0 && ZeroIncoming(v))
            {
                if (c.Part == AnomalyPart.Tangent)
                    return (AnomalyCause.ZeroTimesInfinity,
                        "0·∞ = NaN: the incoming tangent is 0 there (a zero direction, as jacfwd's and hessian's "
                        + $"basis vectors are away from their own element) and {singular.derivative}{at}", fix);
                if (c.MaskingWhere is { } w)
                    return (AnomalyCause.MaskedWhere,
                        $"0·∞ = NaN through a masked where: Where (made at {OriginOf(c, w)}) sent a zero cotangent to "
                        + $"the branch it did not pick{Via(c, w)}, and {singular.derivative}{at}", doubleWhere);
                return (AnomalyCause.ZeroTimesInfinity,
                    $"0·∞ = NaN: the incoming cotangent is 0 there{Senders(c)}, and {singular.derivative}{at}", fix);
            }
            return (AnomalyCause.InfiniteDerivative, $"{singular.derivative}{at}"
                + (order > 0 ? $" (here in a derivative of order {order + 1})" : ""),
                singular.fix is null ? away
                : $"the derivative is infinite at this very point: {away}; if a where drops this branch, mask the "
                  + $"input too (the \"double where\"): {singular.fix}");
        }
        return Generic(c, nan);
    }

    private static (AnomalyCause, string, string?) Generic(Case c, bool nan)
    {
        var dtype = c.Y.DType;
        double max = dtype == DType.Float64 ? double.MaxValue : float.MaxValue;
        if (nan && c.Came == Finite.Infinity)
            return (AnomalyCause.InfinityArithmetic,
                "a NaN made from infinities that were already there: ∞ − ∞, 0·∞ or ∞/∞", null);
        if (!nan && c.Came == Finite.All)
            return (AnomalyCause.Overflow,
                $"a result beyond the largest finite {dtype.Name()} (about {max:G3}) from finite inputs: an overflow",
                dtype == DType.Float32 ? "scale the values down, or compute in float64" : "scale the values down");
        return (AnomalyCause.Unknown, "none of the known causes (0·∞ through a masked where, sqrt, log or pow at 0, "
            + "division by zero, exp overflow, overflow) fits the values", null);
    }

    /// <summary>The fix for a value outside an op's domain that a where may be meant to drop.</summary>
    private static string Masked(string example) =>
        "keep the input inside the domain; a where that drops this result afterwards does not help, since its "
        + $"gradient is NaN all the same: mask the input too (the \"double where\"), {example}";

    private const string SqrtFix = "where(x > 0, sqrt(where(x > 0, x, 1)), 0)";
    private const string LogFix = "where(x > 0, log(where(x > 0, x, 1)), 0)";

    /// <summary>ln of the largest finite number of the dtype: exp of anything above overflows.</summary>
    private static double ExpLimit(DType dtype) => Math.Log(dtype == DType.Float64 ? double.MaxValue : float.MaxValue);

    /// <summary>Whether the incoming tangent or cotangent is 0 at the element (or, not lined up, anywhere).</summary>
    private static bool ZeroIncoming(View v) => v.Find(v.Incoming, x => x == 0) >= 0;

    /// <summary>" (x = v at its element i)" where the element is not the one the message already shows.</summary>
    private static string At(View v, double[]? values, int i, string name) =>
        values is null || (v.Aligned(values) && i == v.Element) ? ""
        : $" ({name} = {Show(values[i])} at its element {i})";

    private static string OriginOf(Case c, Tensor node) =>
        Origin.Of(node)?.ToString() ?? "an unrecorded place";

    /// <summary>The ops between the where and the op that went wrong, when the where is not its direct
    /// consumer.</summary>
    private static string Via(Case c, Tensor where) =>
        c.Senders.Any(s => ReferenceEquals(s, where)) ? "" : $", through {Names(c.Senders)}";

    private static string Senders(Case c) => c.Senders.Count == 0 ? "" : $" (sent by {Names(c.Senders)})";

    private static string Names(List<Tensor> nodes) => string.Join(", ", nodes.Select(s => s.op?.Name ?? "?"));

    /// <summary>The nearest Where among the nodes that sent <paramref name="node"/> its cotangent, and the nodes that
    /// sent them theirs, breadth first.</summary>
    private static Tensor? UpstreamWhere(Tensor node, Dictionary<Tensor, List<Tensor>> senders)
    {
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        var queue = new Queue<Tensor>();
        queue.Enqueue(node);
        while (queue.TryDequeue(out var x) && seen.Count < 64)
        {
            if (!senders.TryGetValue(x, out var from)) continue;
            foreach (var s in from)
            {
                if (s.op?.Name == "Where") return s;
                if (seen.Add(s)) queue.Enqueue(s);
            }
        }
        return null;
    }

    private static string Index(int flat, int[] shape)
    {
        if (shape.Length == 0) return "[]";
        var idx = new int[shape.Length];
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            idx[d] = shape[d] == 0 ? 0 : flat % shape[d];
            flat = shape[d] == 0 ? flat : flat / shape[d];
        }
        return "[" + string.Join(", ", idx) + "]";
    }

    private static string Show(double x) => x.ToString("G6", CultureInfo.InvariantCulture);
}
