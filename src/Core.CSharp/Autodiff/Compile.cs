namespace FuncGrad;

// compile: trace a function once per signature into a program, then run the program.
public static partial class Autodiff
{
    /// <summary>
    /// <paramref name="f"/> compiled: traced once per signature (the input's shape and dtype) into a program of the
    /// ops it reaches, which every call with that signature runs, with results bitwise equal to f's.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The first call with a given signature runs f once on a tracer, a tensor with a shape and a dtype but no
    /// values to read, recording every op it reaches into a program: dead code removed, repeated computations
    /// shared, ops on constants alone folded at trace time (each op also runs once on that first call's values,
    /// hidden from f, to find its result's shape). That call and later ones with the same signature run the program,
    /// which calls the same kernels in the same order as f, so results are bitwise equal to f's.
    /// </para>
    /// <para>
    /// Tensors f captures are baked in as constants, so f must not depend on the values of its input through .NET
    /// control flow: reading a traced value (<c>Item()</c>, <c>ToArray()</c>, <c>Equals</c>, ...) throws a
    /// <see cref="CompileException"/>; keep such choices as <see cref="Tensor.Where"/>.
    /// </para>
    /// <para>
    /// Transformations inside f (Grad, Jvp, Vjp, Hessian, Vmap, checkpoint, custom rules) run on the tracers, so
    /// <c>Compile(x => Grad(f, x))</c> traces the forward and backward passes into one program. Applied to a
    /// tensor of a transformation around it (a variable of Grad, a dual of Jvp, a batch of Vmap, a tracer of an
    /// outer Compile), or where f captures such a tensor, the compiled function is transparent: it calls f itself,
    /// so the outer transformation sees f's ops; so it is on tensors of a device other than the managed one (the
    /// ops then run on that device).
    /// </para>
    /// <para>
    /// Up to 32 signatures are kept, the least recently used dropped first. The compiled function may be called
    /// from many threads at once.
    /// </para>
    /// <para>
    /// Runs of consecutive steps on one-element tensors (elementwise functions, arithmetic, x·c and x + c,
    /// comparisons, Where) become native code: each value a local double or float, each step the function the eager
    /// path calls for one element, compiled by .NET's JIT on the first call of the signature. Other steps make their
    /// op's kernel calls into buffers that are reused once their values are dead and kept from call to call (one set
    /// per concurrent caller); consecutive elementwise steps over as many elements run as one loop over cache-sized
    /// blocks; tanh's and sigmoid's rules run as one pass each, as on plain tensors; outputs are new arrays (one
    /// element: a new value without an array).
    /// </para>
    /// </remarks>
    /// <example><code>
    /// var g = Autodiff.Compile(x => Autodiff.Grad(v => (v * v).Sum(), x));
    /// g(Tensor.FromArray([1.0, 2.0])) // tensor([2., 4.], dtype=float64), traced on this first call
    /// </code></example>
    [Peers("torch.compile", "jax.jit", "", Notes = "traced once per signature of shapes and dtypes")]
    public static Func<Tensor, Tensor> Compile(Func<Tensor, Tensor> f)
    {
        Guard.NotNull(f);
        return new Compiled((xs, _) => ([f(xs[0])], null), "compile").One;
    }

    /// <summary>
    /// <see cref="Compile(Func{Tensor, Tensor})"/> for a function of several tensors to several tensors: the signature
    /// is every input's shape and dtype (and their number).
    /// </summary>
    /// <example><code>
    /// var step = Autodiff.Compile(xs => [xs[0] * xs[1], xs[0] + xs[1]]);
    /// step([Tensor.Scalar(2.0), Tensor.Scalar(5.0)]) // [tensor(10., ...), tensor(7., ...)]
    /// </code></example>
    public static Func<IReadOnlyList<Tensor>, IReadOnlyList<Tensor>> Compile(
        Func<IReadOnlyList<Tensor>, IReadOnlyList<Tensor>> f)
    {
        Guard.NotNull(f);
        return new Compiled((xs, _) => (f(xs).ToArray(), null), "compile").Many;
    }

    /// <summary>
    /// The program that <paramref name="compiled"/> (made by <see cref="Compile(Func{Tensor, Tensor})"/>) runs for
    /// <paramref name="x"/>'s signature, as a listing of its inputs, constants, steps and outputs.
    /// </summary>
    /// <remarks>
    /// The listing gives its inputs, constants and steps, one line each with the op and the result's shape and dtype
    /// (<c>%3 = Mul(%0, %2) : [3] float64</c>), then the outputs, and how many recorded steps were shared or removed
    /// as dead. A line <c>scalar code, N step(s) ...</c> stands before each run of steps compiled to native code on
    /// one-element values, and says where the run ends. Traces f first if this signature has not been seen, with x's
    /// values (which only serve to find each step's shape); x must be a plain tensor.
    /// </remarks>
    /// <example><code>
    /// var g = Autodiff.Compile(x => (x * x).Sum());
    /// Console.WriteLine(Autodiff.Explain(g, Tensor.Zeros([3]))); // %1 = Mul(%0, %0) : [3] float64 ...
    /// </code></example>
    [Peers("", "jax.make_jaxpr", "", Notes = "the program compile made, step by step")]
    public static string Explain(Func<Tensor, Tensor> compiled, Tensor x)
    {
        Guard.NotNull(compiled); Guard.NotNull(x);
        return Compiled.Of(compiled.Target).Explain([x], null);
    }

    /// <summary><see cref="Explain(Func{Tensor, Tensor}, Tensor)"/> for a compiled function of several
    /// tensors.</summary>
    /// <example><code>
    /// var h = Autodiff.Compile(xs => [xs[0] * xs[1]]);
    /// Console.WriteLine(Autodiff.Explain(h, [Tensor.Zeros([2]), Tensor.Zeros([2])]));
    /// </code></example>
    public static string Explain(Func<IReadOnlyList<Tensor>, IReadOnlyList<Tensor>> compiled,
        IReadOnlyList<Tensor> xs)
    {
        Guard.NotNull(compiled); Guard.NotNull(xs);
        return Compiled.Of(compiled.Target).Explain(xs.ToArray(), null);
    }
}

/// <summary>
/// A compiled function: f of a list of tensors (and an optional key, such as a structure's shape for compileOf in F#,
/// which is part of the signature and passed back to f), its programs per signature in a bounded cache, least
/// recently used out, and the rule for tensors of outer transformations (f runs itself). f also returns an
/// auxiliary object, made when it is traced and returned with every result of that signature's program.
/// </summary>
internal sealed class Compiled(Func<Tensor[], object?, (Tensor[] Outputs, object? Aux)> f, string name,
    Func<Tensor[], object?, IReadOnlyList<(string Part, string Value)>>? parts = null)
{
    internal const int Capacity = 32;

    /// <summary>After this many traces a compiled function warns, once, that its signature keeps changing.</summary>
    internal const int RetraceWarning = 10;

    /// <summary>The parts of the signature last traced, to name what changed when the warning is given.</summary>
    private IReadOnlyList<(string Part, string Value)>? lastTraced;
    private readonly Dictionary<Signature, LinkedListNode<(Signature Key, Program Program, object? Aux)>> cache = [];
    private readonly LinkedList<(Signature Key, Program Program, object? Aux)> order = [];
    private readonly object gate = new();
    private long traces;

    /// <summary>The program of the latest signature looked up, read without the lock (it stays in the LRU order
    /// where that lookup left it).</summary>
    private Last? last;

    private sealed record Last(Signature Key, Program Program, object? Aux);

    /// <summary>How many times f has been traced (tests read it: a repeated signature must not retrace).</summary>
    internal long Traces => Interlocked.Read(ref traces);

    /// <summary>The compiled function behind a delegate made by <see cref="Autodiff.Compile(Func{Tensor,
    /// Tensor})"/>.</summary>
    internal static Compiled Of(object? target) => target as Compiled ?? throw new ArgumentException(
        "explain: the function was not made by compile (Autodiff.Compile); pass the compiled function itself");

    internal Tensor One(Tensor x)
    {
        Guard.NotNull(x, member: name);
        return Run([x], null).Outputs[0];
    }

    internal IReadOnlyList<Tensor> Many(IReadOnlyList<Tensor> xs)
    {
        Guard.NotNull(xs, member: name);
        return Run(xs.ToArray(), null).Outputs;
    }

    /// <summary>The results of f at <paramref name="xs"/>: by the program of their signature, traced first if it is
    /// new; by f itself where an input belongs to an outer transformation, or f captured one.</summary>
    internal (Tensor[] Outputs, object? Aux) Run(Tensor[] xs, object? key)
    {
        for (int i = 0; i < xs.Length; i++)
        {
            if (xs[i] is null) throw new ArgumentNullException(nameof(xs), $"{name}: input {i} is null; pass a tensor");
            if (xs[i].tag != 0 || xs[i].OnDevice) return f(xs, key);
        }
        if (Anomaly.Checking) return f(xs, key); // anomaly mode checks each op, which a program runs past
        var entry = Find(xs, key);
        return entry is var (program, aux) ? (program.Run(xs), aux) : f(xs, key);
    }

    internal string Explain(Tensor[] xs, object? key)
    {
        for (int i = 0; i < xs.Length; i++)
        {
            if (Guard.NotNull(xs[i], member: "explain").tag != 0)
                throw new ArgumentException(
                    $"explain: input {i} ({Shapes.Show(xs[i])}) belongs to a transformation (grad, jvp, vmap, " +
                    "compile); the compiled function is transparent there. Pass plain tensors of the signature");
            if (xs[i].OnDevice)
                throw new ArgumentException(
                    $"explain: an input is on {xs[i].Device}; compiled programs run on the managed device, and on "
                    + "another device the compiled function runs f itself. Pass managed tensors (To(Device.Managed))");
        }
        return Find(xs, key) is var (program, _)
            ? program.ToString()
            : "no program: f captures a tensor of a transformation around the compiled function, so it runs f itself";
    }

    /// <summary>The program for the signature of <paramref name="xs"/>, traced and cached if new; null where f
    /// captures a tensor of an outer transformation.</summary>
    private (Program, object?)? Find(Tensor[] xs, object? key)
    {
        // The signature of the last call, checked without allocating: a loop calls with one signature.
        if (Volatile.Read(ref last) is { } l && l.Key.Matches(xs, key)) return (l.Program, l.Aux);
        var sig = new Signature(xs, key);
        lock (gate)
            if (cache.TryGetValue(sig, out var node))
            {
                order.Remove(node);
                order.AddFirst(node);
                Volatile.Write(ref last, new Last(sig, node.Value.Program, node.Value.Aux));
                return (node.Value.Program, node.Value.Aux);
            }
        // Traced outside the lock: other signatures go on meanwhile. Two threads tracing one signature at once make
        // two equal programs; the first stored is kept.
        var traced = Trace(xs, key);
        if (traced is not var (p, a)) return null;
        lock (gate)
        {
            if (cache.TryGetValue(sig, out var node)) return (node.Value.Program, node.Value.Aux);
            cache.Add(sig, order.AddFirst((sig, p, a)));
            Volatile.Write(ref last, new Last(sig, p, a));
            if (cache.Count > Capacity)
            {
                cache.Remove(order.Last!.Value.Key);
                order.RemoveLast();
            }
        }
        return (p, a);
    }

    /// <summary>Runs f on tracers and builds its program. An exception from f leaves nothing behind: the trace is
    /// closed and nothing is cached.</summary>
    private (Program, object?)? Trace(Tensor[] xs, object? key)
    {
        Retraced(xs, key, Interlocked.Increment(ref traces));
        var trace = new Trace(Tags.Next(), xs.Length);
        try
        {
            var tracers = new Tensor[xs.Length];
            for (int i = 0; i < xs.Length; i++) tracers[i] = trace.Input(xs[i]);
            var (ys, aux) = f(tracers, key);
            var outs = new int[ys.Length];
            for (int j = 0; j < ys.Length; j++) outs[j] = trace.SlotOf(Result(ys[j], trace.Tag, j));
            return (new Program(trace, outs), aux);
        }
        catch (TraceAbandoned)
        {
            return null;
        }
        finally
        {
            trace.Close();
        }
    }

    /// <summary>The signature's parts, named: the inputs' shapes and dtypes, or what the caller's
    /// <c>parts</c> says (compileOf names the parts of a structure).</summary>
    private IReadOnlyList<(string Part, string Value)> Parts(Tensor[] xs, object? key) =>
        parts?.Invoke(xs, key) ?? [.. xs.Select((x, i) => (xs.Length == 1 ? "the input" : $"input {i}",
            Shapes.Show(x)))];

    /// <summary>Keeps the traced signature's parts and, at the <see cref="RetraceWarning"/>-th trace, warns once,
    /// naming the parts that differ from the last signature traced (CompileWarnings).</summary>
    private void Retraced(Tensor[] xs, object? key, long count)
    {
        if (count > RetraceWarning) return;
        var now = Parts(xs, key);
        var before = Interlocked.Exchange(ref lastTraced, now);
        if (count < RetraceWarning) return;
        var changed = new List<string>();
        var old = (before ?? []).ToDictionary(p => p.Part, p => p.Value);
        foreach (var (part, value) in now)
            if (!old.TryGetValue(part, out var was)) changed.Add($"{part} (new: {value})");
            else if (was != value) changed.Add($"{part} ({was} before, {value} now)");
        if (before is not null && now.Count < before.Count)
            changed.Add($"the structure ({before.Count} parts before, {now.Count} now)");
        CompileWarnings.Warn(
            $"{name}: f has been traced {RetraceWarning} times: every new signature traces it again, which costs " +
            "more than running it eagerly. What changed last: " +
            (changed.Count == 0 ? "nothing visible (signatures alternate)" : string.Join("; ", changed.Take(3))) +
            ". Keep shapes fixed (pad batches to one size), and in compileOf hold a changing number as a " +
            "one-element tensor, which is traced as a value, rather than as an int or float, which is part of " +
            "the signature. This warning is given once per compiled function");
    }

    /// <summary>Result j as seen at the trace's level.</summary>
    private Tensor Result(Tensor? y, long t, int j) => y is null
        ? throw new InvalidOperationException($"{name}: the function returned null as result {j}; return a tensor")
        : Tracing.AtLevel(y, t, name);

    /// <summary>The shapes and dtypes of the inputs, and the key.</summary>
    private sealed class Signature
    {
        private readonly (int[] Shape, DType DType)[] types;
        private readonly object? key;
        private readonly int hash;

        internal Signature(Tensor[] xs, object? key)
        {
            types = new (int[], DType)[xs.Length];
            var h = new HashCode();
            for (int i = 0; i < xs.Length; i++)
            {
                types[i] = (xs[i].shape, xs[i].DType);
                h.Add(xs[i].DType);
                foreach (var d in xs[i].shape) h.Add(d);
                h.Add(-1);
            }
            h.Add(key);
            this.key = key;
            hash = h.ToHashCode();
        }

        public override int GetHashCode() => hash;

        /// <summary>Whether <paramref name="xs"/> and <paramref name="k"/> have this signature.</summary>
        internal bool Matches(Tensor[] xs, object? k)
        {
            if (xs.Length != types.Length) return false;
            for (int i = 0; i < types.Length; i++)
                if (xs[i].DType != types[i].DType || !Shapes.Same(xs[i].shape, types[i].Shape)) return false;
            return Equals(key, k);
        }

        public override bool Equals(object? obj)
        {
            if (obj is not Signature s || s.hash != hash || s.types.Length != types.Length) return false;
            for (int i = 0; i < types.Length; i++)
                if (s.types[i].DType != types[i].DType || !Shapes.Same(s.types[i].Shape, types[i].Shape)) return false;
            return Equals(key, s.key);
        }
    }
}

/// <summary>
/// Where compile's warnings go: standard error by default (as Python's warnings do), or, within a
/// <see cref="Capture"/> scope (tests), to the scope's list. A context value, so a capture sees its own flow's
/// warnings only.
/// </summary>
internal static class CompileWarnings
{
    private static readonly AsyncLocal<List<string>?> sink = new();

    internal static void Warn(string message)
    {
        if (sink.Value is { } list) lock (list) list.Add(message);
        else Console.Error.WriteLine($"FuncGrad warning: {message}");
    }

    /// <summary>Runs <paramref name="body"/> with the warnings given in its flow collected, and returns them.</summary>
    internal static List<string> Capture(Action body)
    {
        var previous = sink.Value;
        var list = new List<string>();
        sink.Value = list;
        try { body(); }
        finally { sink.Value = previous; }
        return list;
    }
}
