using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace FuncGrad;

// Anomaly mode: the first NaN or infinity that an op makes throws an AnomalyException that names it.
public static partial class Autodiff
{
    /// <summary>
    /// A scope of anomaly mode, like <c>torch.autograd.detect_anomaly()</c>: inside it, the first NaN or infinity that
    /// an op makes throws an <see cref="AnomalyException"/> that names the op, where your code made it, and the cause.
    /// </summary>
    /// <remarks>
    /// The NaN or infinity may be in an op's value, in a tangent (forward mode) or in a cotangent (reverse mode); the
    /// exception also gives the shapes and dtypes and the part, and the cause when it is a known one (0·∞ through a
    /// masked where, sqrt, log or pow at 0, division by zero, overflow of exp). Scoped per async flow, like
    /// <see cref="NoGrad"/>; dispose it to end it.
    /// An op is blamed only for what it made: a NaN where none of its inputs held a NaN, or an infinity where all of
    /// them were finite (for a rule: its arguments, its value and the incoming tangent or cotangent). Infinities that
    /// come in from outside, such as −inf in an attention mask, pass through. An op that FuncGrad composes of other
    /// ops (logsumexp, cross-entropy) is checked as one; a custom function's ops, which are your code, one by one, and
    /// its rules as a whole. With <paramref name="origins"/> (the default), every reverse-mode node records the line
    /// that made it, so that a cotangent can be traced back to it: that stack walk is most of the cost, microseconds an
    /// op; without, a cotangent's error names the op but not its line (a value's or a tangent's still has it), and the
    /// mode is cheap enough to leave on while training. Compiled functions run f itself inside the
    /// scope, since a program passes by the checks. On a device other than the managed one, each check is a device
    /// reduction and a one-element copy to the host. Off (no scope alive anywhere), the checks cost one read of a
    /// static field per op. See docs/anomaly.md.
    /// </remarks>
    /// <example><code>
    /// var zero = Tensor.Scalar(0.0);
    /// using (Autodiff.DetectAnomaly())
    ///     Autodiff.Grad(x => Tensor.Where(x.Gt(zero), x.Sqrt(), zero), zero);
    /// // throws AnomalyException: Sqrt made NaN in the cotangent of its argument 0 ... 0·∞ through a masked where
    /// </code></example>
    [Peers("torch.autograd.detect_anomaly", "jax.config.update(\"jax_debug_nans\", True)", "",
        FSharp = "detectAnomaly, detectAnomalyScope", Notes = "names the op, where it was made, and the cause")]
    public static IDisposable DetectAnomaly(bool origins = true) => AnomalyScope.Enter(origins);

    /// <summary>
    /// <paramref name="f"/>() in anomaly mode (<see cref="DetectAnomaly(bool)"/>, with or without
    /// <paramref name="origins"/>): run the whole computation inside, the backward pass included, e.g.
    /// <c>Autodiff.DetectAnomaly(() =&gt; Autodiff.Grad(f, x))</c>.
    /// </summary>
    /// <example><code>
    /// var g = Autodiff.DetectAnomaly(() => Autodiff.Grad(x => (x * x).Sum(), Tensor.Ones([3]))); // as without it
    /// </code></example>
    public static T DetectAnomaly<T>(Func<T> f, bool origins = true)
    {
        Guard.NotNull(f);
        using (AnomalyScope.Enter(origins)) return f();
    }
}

/// <summary>
/// The switch that keeps anomaly mode free when it is off: the number of anomaly scopes alive in any flow, from
/// atomic increments and decrements. The hot paths (<see cref="Op.Apply"/>, the reverse walk) read it once and go on
/// when it is 0; only while a scope is alive somewhere do they look up the flow's own scope. The class's only static
/// field, with no initialiser: no static constructor, so the read is one load with no initialisation to check.
/// </summary>
internal static class Anomaly
{
    internal static int live;

    /// <summary>Whether this flow is in an anomaly scope and not inside a rule: compiled functions then run f
    /// itself.</summary>
    internal static bool Checking => live != 0 && AnomalyScope.Current is { Suspended: false };

    /// <summary>
    /// <see cref="Op.Apply"/>'s value while a scope is alive, in place of <see cref="Op.ComputeKeepingArgs"/>: the
    /// value, checked. An op FuncGrad composes of other ops runs with the checks suspended (logsumexp of −infs passes
    /// log(0) on purpose) and is checked as one; a custom function's value is the user's code, checked op by op.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static Tensor Compute(Op op, Tensor[] args)
    {
        var ctx = AnomalyScope.Current;
        if (ctx is null || ctx.Suspended) return Op.ComputeKeepingArgs(op, args);
        Tensor y;
        if (op.ReadsValuesOnly || op is CustomOp) y = Op.ComputeKeepingArgs(op, args);
        else
        {
            var previous = AnomalyScope.Swap(ctx.Within(null));
            try { y = Op.ComputeKeepingArgs(op, args); }
            finally { AnomalyScope.Swap(previous); }
        }
        var made = Finiteness.Of(y);
        if (made != Finite.All && Finiteness.Blames(made, Finiteness.Of(args)))
            throw AnomalyReport.Value(op, args, y, Origin.Here());
        GC.KeepAlive(args);
        return y;
    }

    /// <summary>The JVP rule of <paramref name="op"/> while a scope is alive: run with the checks suspended inside
    /// it, its tangent checked as a whole.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static Tensor Jvp(Op op, Tensor?[] dx, Tensor[] x, Tensor y)
    {
        var ctx = AnomalyScope.Current;
        if (ctx is null || ctx.Suspended) return op.Jvp(dx, x, y);
        var previous = AnomalyScope.Swap(ctx.Within(new RuleSite("JVP", op, null)));
        Tensor dy;
        try { dy = op.Jvp(dx, x, y); }
        finally { AnomalyScope.Swap(previous); }
        var made = Finiteness.Of(dy);
        if (made != Finite.All)
        {
            var given = dx.Where(d => d is not null).Cast<Tensor>().ToArray();
            var came = Finiteness.Combine(Finiteness.Of(x), Finiteness.Of(given), Finiteness.Of(y));
            if (Finiteness.Blames(made, came))
                throw AnomalyReport.Tangent(op, dx, x, y, dy, Origin.Here());
        }
        return dy;
    }

    /// <summary>A node just recorded while a scope is alive: remembers where the user's code made it, for a cotangent
    /// that goes wrong at it later.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static Tensor Made(Tensor node)
    {
        if (AnomalyScope.Current is { Origins: true } ctx) ctx.Made.AddOrUpdate(node, Origin.Capture(ctx));
        return node;
    }
}

/// <summary>A rule running, for the origin of the nodes it records: <c>the VJP of Sqrt</c> (and that Sqrt's
/// node).</summary>
internal sealed record RuleSite(string Kind, Op Op, Tensor? Node);

/// <summary>
/// The anomaly state of one flow: whether nodes record their origins, whether the checks are suspended here, inside a
/// rule or an op composed of ops, whose result is checked as a whole, which rule is running, and where each node
/// recorded in the outermost scope was made.
/// </summary>
internal sealed class AnomalyContext(bool origins, bool suspended, RuleSite? rule,
    ConditionalWeakTable<Tensor, Origin> made)
{
    internal bool Origins => origins;
    internal bool Suspended => suspended;
    internal RuleSite? Rule => rule;

    /// <summary>Where each node recorded in this scope (or a scope around it) was made, for any later walk over it
    /// inside the scope: kept beside the node rather than in it (nodes stay small), and weakly (it dies with the
    /// node). It belongs to the outermost scope, so nothing outlives the scopes but what the nodes keep.</summary>
    internal ConditionalWeakTable<Tensor, Origin> Made => made;

    /// <summary>This state with the checks suspended, inside <paramref name="site"/> (null: inside an op's value or
    /// the walk itself).</summary>
    internal AnomalyContext Within(RuleSite? site) => new(origins, true, site ?? rule, made);
}

/// <summary>Anomaly scopes as an <see cref="AsyncLocal{T}"/> context value: they follow async flows and never leak
/// to other threads.</summary>
internal static class AnomalyScope
{
    private static readonly AsyncLocal<AnomalyContext?> current = new();

    /// <summary>This flow's state; null outside every scope. One static read while no scope is alive
    /// anywhere.</summary>
    internal static AnomalyContext? Current => Anomaly.live == 0 ? null : current.Value;

    /// <summary>Sets this flow's state, returning the one it replaces.</summary>
    internal static AnomalyContext? Swap(AnomalyContext? ctx)
    {
        var previous = current.Value;
        current.Value = ctx;
        return previous;
    }

    internal static IDisposable Enter(bool origins)
    {
        var previous = current.Value;
        // checks on, even inside a rule; origins recorded in a scope around this one stay visible
        current.Value = new AnomalyContext(origins, suspended: false, rule: null, previous?.Made ?? new());
        Interlocked.Increment(ref Anomaly.live);
        return new Exit(previous);
    }

    private sealed class Exit(AnomalyContext? previous) : IDisposable
    {
        private int done;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref done, 1) != 0) return;
            current.Value = previous;
            Interlocked.Decrement(ref Anomaly.live);
        }
    }
}

/// <summary>
/// Anomaly mode in one reverse walk (<see cref="Backward"/>): runs each VJP rule with the checks suspended inside it
/// and checks the cotangents it returns, and the sums of the cotangents a node receives.
/// </summary>
internal sealed class AnomalyWalk : IDisposable
{
    private readonly AnomalyContext walk;
    private readonly AnomalyContext? previous;
    private readonly Tensor[] outputs;
    private readonly long t;

    private AnomalyWalk(AnomalyContext ctx, Tensor[] outputs, long t)
    {
        walk = ctx.Within(null);
        previous = AnomalyScope.Swap(walk);
        this.outputs = outputs;
        this.t = t;
    }

    /// <summary>The anomaly state of a walk from <paramref name="outputs"/> over differentiation
    /// <paramref name="t"/>, or null where this flow is in no scope. A walk started inside a rule (a checkpoint's
    /// recomputation) is checked too: its ops are the user's.</summary>
    internal static AnomalyWalk? Start(Tensor[] outputs, long t) =>
        AnomalyScope.Current is { } ctx ? new AnomalyWalk(ctx, outputs, t) : null;

    internal Tensor?[] Vjp(Tensor node, Tensor g, Tensor[] x, Tensor y, Needs needs)
    {
        // The rule's name goes to the origins of the nodes it records (at higher orders); without origins, no need.
        if (!walk.Origins) return node.op!.Vjp(g, x, y, needs);
        AnomalyScope.Swap(walk.Within(new RuleSite("VJP", node.op!, node)));
        try { return node.op!.Vjp(g, x, y, needs); }
        finally { AnomalyScope.Swap(walk); }
    }

    /// <summary>Checks the cotangent <paramref name="d"/> that <paramref name="node"/>'s VJP made for its argument
    /// <paramref name="j"/>, from the incoming <paramref name="g"/>, the arguments and the value.</summary>
    internal void Check(Tensor node, int j, Tensor d, Tensor g, Tensor[] x, Tensor y)
    {
        var made = Finiteness.Of(d);
        if (made == Finite.All) return;
        var came = Finiteness.Combine(Finiteness.Of(g), Finiteness.Of(x), Finiteness.Of(y));
        if (Finiteness.Blames(made, came))
            throw AnomalyReport.Cotangent(node, j, d, g, x, y, Consumers());
    }

    /// <summary>The nodes of this walk's graph that use each node: the ones that sent it its cotangent. Found only on
    /// the way to an error, so that a 0·∞ can be traced back to the where that sent the zero.</summary>
    private Dictionary<Tensor, List<Tensor>> Consumers()
    {
        var consumers = new Dictionary<Tensor, List<Tensor>>(ReferenceEqualityComparer.Instance);
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<Tensor>();
        foreach (var o in outputs)
            if (o.tag == t && seen.Add(o)) stack.Push(o);
        while (stack.TryPop(out var n))
            for (int j = 0; j < n.ArgCount; j++)
            {
                var a = n.Arg(j);
                if (a.tag != t) continue;
                if (!consumers.TryGetValue(a, out var users)) consumers.Add(a, users = []);
                users.Add(n);
                if (seen.Add(a)) stack.Push(a);
            }
        return consumers;
    }

    /// <summary>a + b, the cotangents that <paramref name="x"/> received from two of its uses, checked: an overflow
    /// of the sum is blamed on it.</summary>
    internal Tensor Sum(Tensor x, Tensor a, Tensor b)
    {
        var s = a + b;
        var made = Finiteness.Of(s);
        if (made != Finite.All && Finiteness.Blames(made, Finiteness.Combine(Finiteness.Of(a), Finiteness.Of(b))))
            throw AnomalyReport.Summed(x, a, b, s);
        return s;
    }

    public void Dispose() => AnomalyScope.Swap(previous);
}

/// <summary>Where the user's code made an op: the first stack frame outside FuncGrad, and the rule it was made in, if
/// a rule made it.</summary>
internal sealed class Origin(StackFrame? frame, RuleSite? rule, Origin? ruleOrigin)
{
    /// <summary>Where <paramref name="node"/> was made; null for a node made outside this flow's anomaly
    /// scope.</summary>
    internal static Origin? Of(Tensor node) =>
        AnomalyScope.Current is { } ctx && ctx.Made.TryGetValue(node, out var o) ? o : null;

    private readonly RuleSite? rule = rule;
    private readonly Origin? ruleOrigin = ruleOrigin;

    /// <summary>The origin of the code running now.</summary>
    internal static Origin Here() => new(UserFrame(), null, null);

    /// <summary>The origin of a node being recorded in <paramref name="ctx"/>.</summary>
    internal static Origin Capture(AnomalyContext ctx)
    {
        var rule = ctx.Rule;
        Origin? of = null;
        if (rule?.Node is { } n && ctx.Made.TryGetValue(n, out var o)) of = o;
        return new(UserFrame(), rule, of);
    }

    /// <summary>The first frame of the stack outside FuncGrad's assemblies and, where there is one, outside the .NET
    /// libraries and FSharp.Core too (a List.map that called the user's lambda is not where the user wrote the
    /// op).</summary>
    private static StackFrame? UserFrame()
    {
        StackFrame? outside = null;
        foreach (var f in new StackTrace(1, fNeedFileInfo: true).GetFrames())
        {
            var name = f.GetMethod()?.Module.Assembly.FullName;
            if (name is null || Ours(name)) continue;
            outside ??= f;
            if (!Platform(name)) return f;
        }
        return outside;
    }

    private static bool Ours(string assembly) =>
        assembly.StartsWith("FuncGrad,", StringComparison.Ordinal)
        || assembly.StartsWith("FuncGrad.Core,", StringComparison.Ordinal)
        || assembly.StartsWith("FuncGrad.LibTorch,", StringComparison.Ordinal)
        || assembly.StartsWith("FuncGrad.Testing,", StringComparison.Ordinal);

    private static bool Platform(string assembly) =>
        assembly.StartsWith("System", StringComparison.Ordinal)
        || assembly.StartsWith("FSharp.Core,", StringComparison.Ordinal)
        || assembly.StartsWith("mscorlib,", StringComparison.Ordinal)
        || assembly.StartsWith("netstandard,", StringComparison.Ordinal);

    /// <summary>The frame alone: <c>Type.Method in file:line N</c>, or the method where there are no
    /// symbols.</summary>
    internal string? Place
    {
        get
        {
            if (frame?.GetMethod() is not { } m) return null;
            var who = $"{m.DeclaringType?.FullName ?? "?"}.{m.Name}";
            return frame.GetFileName() is { } file ? $"{who} in {file}:line {frame.GetFileLineNumber()}" : who;
        }
    }

    /// <summary>The frame, then each rule it was made in, outwards.</summary>
    public override string ToString()
    {
        var s = Place ?? "no frame outside FuncGrad";
        for (var o = this; o.rule is not null; o = o.ruleOrigin!)
        {
            s += $", in the {o.rule.Kind} of {o.rule.Op.Name}";
            if (o.ruleOrigin is null) break;
            s += $" made at {o.ruleOrigin.Place ?? "no frame outside FuncGrad"}";
        }
        return s;
    }
}
