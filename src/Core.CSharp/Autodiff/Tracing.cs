using System.Globalization;
using System.Text;

namespace FuncGrad;

/// <summary>A tracer's place in its trace: which value of the program it stands for.</summary>
internal sealed class TraceSlot(Trace trace, int index)
{
    internal readonly Trace Trace = trace;
    internal readonly int Index = index;
}

/// <summary>
/// One compile trace in progress: the ops that reached its tracers, in the order they ran. Values are numbered
/// slots: the inputs first, then constants and op results in the order they appeared, so every step's arguments
/// have smaller numbers than its result.
/// </summary>
internal sealed class Trace(long tag, int inputs)
{
    internal readonly long Tag = tag;
    internal readonly int Inputs = inputs;
    internal readonly List<(Op Op, int[] Args, int Result)> Steps = [];
    internal readonly Dictionary<int, Tensor> Constants = [];
    // The type of every slot: a tracer's shape and dtype, or a constant's.
    internal readonly List<(int[] Shape, DType DType)> Types = [];
    private readonly Dictionary<Tensor, int> constantSlots = new(ReferenceEqualityComparer.Instance);
    // Each tracer's value at the inputs of the call that started the trace, never shown to f: an op runs once on
    // them to infer its result's shape and dtype. Real values, because some ops check theirs (a cross-entropy's
    // one-hot labels), and any stand-in might fail a check that the values f will be called with pass.
    private readonly List<Tensor?> shadows = [];
    private readonly object gate = new();
    private bool closed;

    /// <summary>The tracer of an input, at the call's plain value <paramref name="x"/>.</summary>
    internal Tensor Input(Tensor x)
    {
        lock (gate) return NewTracer(x);
    }

    private Tensor NewTracer(Tensor shadow)
    {
        Types.Add((shadow.shape, shadow.DType));
        shadows.Add(shadow);
        return Tensor.Traced(shadow.shape, shadow.DType, Tag, new TraceSlot(this, Types.Count - 1));
    }

    /// <summary>The slot of a plain tensor that f captured or made: a constant of the program.</summary>
    private int Constant(Tensor c)
    {
        if (constantSlots.TryGetValue(c, out int slot)) return slot;
        Types.Add((c.shape, c.DType));
        shadows.Add(null);
        slot = Types.Count - 1;
        constantSlots.Add(c, slot);
        Constants.Add(slot, c);
        return slot;
    }

    /// <summary>
    /// The slot of an argument or result at this trace's level: its own tracers, and plain tensors as constants.
    /// A value of an outer level (a variable of a differentiation around the compiled function that f captured)
    /// cannot be baked in: the trace is abandoned and the compiled function runs f itself.
    /// </summary>
    internal int SlotOf(Tensor a)
    {
        lock (gate)
        {
            Open(a);
            if (a.tag == Tag) return a.Slot.Index;
            if (a.tag == 0) return Constant(a);
            throw new TraceAbandoned();
        }
    }

    /// <summary>Records <paramref name="op"/> on <paramref name="args"/>, and returns the tracer of its
    /// result.</summary>
    internal Tensor Record(Op op, Tensor[] args)
    {
        lock (gate)
        {
            Open(args[0]);
            var slots = new int[args.Length];
            var stand = new Tensor[args.Length];
            for (int i = 0; i < args.Length; i++)
            {
                var a = args[i];
                if (a.tag == Tag) { slots[i] = a.Slot.Index; stand[i] = shadows[a.Slot.Index]!; }
                else if (a.tag == 0) { slots[i] = Constant(a); stand[i] = a; }
                else throw new TraceAbandoned();
            }
            var y = NewTracer(op.Compute(stand));
            Steps.Add((op, slots, y.Slot.Index));
            return y;
        }
    }

    private void Open(Tensor a)
    {
        if (closed) throw Tracing.Escaped(a);
    }

    /// <summary>Ends the trace: its tracers can no longer record anything, and the shadow values go.</summary>
    internal void Close()
    {
        lock (gate)
        {
            closed = true;
            shadows.Clear();
        }
    }
}

/// <summary>Thrown inside a trace that met a value of an outer transformation; caught by the compiled function, which
/// then runs f itself.</summary>
internal sealed class TraceAbandoned : Exception;

/// <summary>The compile level in <see cref="Op.Apply"/>, and the errors for reading traced values.</summary>
internal static class Tracing
{
    /// <summary>Records the op into the trace of level <paramref name="t"/> instead of running it.</summary>
    internal static Tensor Record(Op op, Tensor[] args, long t)
    {
        foreach (var a in args)
            if (a.tag == t) return a.Slot.Trace.Record(op, args);
        throw new InvalidOperationException("Tracing.Record: no tracer among the arguments");
    }

    /// <summary>Whether a compile trace lies under every level of <paramref name="t"/>: then it has no
    /// values.</summary>
    internal static bool Below(Tensor t)
    {
        var x = t;
        while (x.primal is not null) x = x.primal;
        return x.IsTraced;
    }

    /// <summary>The error for reading values while tracing: it names the call and says what to do instead.</summary>
    internal static CompileException ReadError(Tensor t, string what) => new(
        $"compile: {what} on a traced value: while a compiled function is traced, this {Shapes.Show(t)} tensor has " +
        "a shape and a dtype but no values yet, and the program must not depend on them. Keep data-dependent " +
        "choices as tensor ops (Where with a mask from Lt, Gt, ...), or leave that part outside compile");

    /// <summary>The error for a traced value used after its trace ended.</summary>
    internal static CompileException Escaped(Tensor t) => new(
        $"compile: a traced {Shapes.Show(t)} value escaped its compiled function (it was stored outside f while f " +
        "was traced) and is used after the trace ended; return every value f computes instead of storing it");
}

/// <summary>
/// A traced function as a straight-line program: the steps that the outputs depend on (dead code removed), each
/// computation once (common subexpressions shared), run by calling each step's <see cref="Op.Compute"/> on plain
/// tensors in the order the trace recorded them, which is the order f ran them eagerly: the results are the same,
/// bit for bit. Immutable, so any number of threads may run it at once.
/// </summary>
internal sealed class Program
{
    private readonly int inputs;
    private readonly (int Slot, Tensor Value)[] constants;
    private readonly (Op Op, int[] Args, int Result, int[] Free)[] steps;
    private readonly int[] outputs;
    private readonly (int[] Shape, DType DType)[] types;
    private readonly int slots, recorded, shared;

    internal int Steps => steps.Length;

    internal Program(Trace trace, int[] outputSlots)
    {
        int n = trace.Types.Count;
        // Common subexpressions: a step whose op and (already shared) arguments repeat an earlier one's is that one.
        var same = new int[n];
        for (int i = 0; i < n; i++) same[i] = i;
        var seen = new Dictionary<StepKey, int>();
        var kept = new List<(Op Op, int[] Args, int Result)>(trace.Steps.Count);
        foreach (var (op, args, result) in trace.Steps)
        {
            var a = new int[args.Length];
            for (int i = 0; i < a.Length; i++) a[i] = same[args[i]];
            var key = new StepKey(op.Identity, a);
            if (seen.TryGetValue(key, out int earlier)) { same[result] = earlier; shared++; continue; }
            seen.Add(key, result);
            kept.Add((op, a, result));
        }
        recorded = trace.Steps.Count;

        // Dead code: only steps that an output depends on, found by one backward sweep (no recursion).
        var live = new bool[n];
        var outs = outputSlots.Select(s => same[s]).ToArray();
        foreach (var s in outs) live[s] = true;
        for (int k = kept.Count - 1; k >= 0; k--)
            if (live[kept[k].Result])
                foreach (var a in kept[k].Args) live[a] = true;

        // Renumber the live slots densely: inputs, constants, then step results in order.
        var map = new int[n];
        Array.Fill(map, -1);
        var typeList = new List<(int[], DType)>();
        int Next(int old)
        {
            map[old] = typeList.Count;
            typeList.Add(trace.Types[old]);
            return map[old];
        }
        inputs = trace.Inputs;
        for (int i = 0; i < inputs; i++) Next(i);
        var cs = new List<(int, Tensor)>();
        foreach (var (slot, value) in trace.Constants.OrderBy(c => c.Key))
            if (live[slot]) cs.Add((Next(slot), value));
        constants = cs.ToArray();
        var live2 = kept.Where(s => live[s.Result]).ToList();
        var renumbered = new (Op, int[], int)[live2.Count];
        for (int k = 0; k < live2.Count; k++)
        {
            var (op, args, result) = live2[k];
            renumbered[k] = (op, args.Select(a => map[a]).ToArray(), Next(result));
        }
        outputs = outs.Select(s => map[s]).ToArray();
        types = typeList.ToArray();
        slots = types.Length;

        // Each step's arguments that no later step (nor an output) reads are dropped after it, so intermediates are
        // collected as the program runs and pooled buffers go back for reuse.
        var last = new int[slots];
        Array.Fill(last, -1);
        for (int k = 0; k < renumbered.Length; k++)
            foreach (var a in renumbered[k].Item2) last[a] = k;
        foreach (var o in outputs) last[o] = int.MaxValue;
        steps = new (Op, int[], int, int[])[renumbered.Length];
        for (int k = 0; k < renumbered.Length; k++)
        {
            var (op, args, result) = renumbered[k];
            var free = args.Distinct().Where(a => a >= inputs + constants.Length && last[a] == k).ToArray();
            steps[k] = (op, args, result, free);
        }
        scalar = ScalarCode.Find(renumbered, types, last, constants.ToDictionary(c => c.Slot, c => c.Value));
    }

    /// <summary>The runs of steps compiled as scalar code, in order.</summary>
    private readonly ScalarCode[] scalar;

    /// <summary>How many steps run as compiled scalar code (tests read it).</summary>
    internal int ScalarSteps => scalar.Sum(r => r.End - r.Start);

    /// <summary>Runs the program on plain inputs of its signature.</summary>
    internal Tensor[] Run(Tensor[] xs)
    {
        var v = new Tensor?[slots];
        Array.Copy(xs, v, inputs);
        foreach (var (slot, value) in constants) v[slot] = value;
        int next = 0; // the next run of scalar code
        for (int k = 0; k < steps.Length; k++)
        {
            if (next < scalar.Length && scalar[next].Start == k)
            {
                var run = scalar[next++];
                run.Run(v);
                for (; k < run.End; k++)
                    foreach (var s in steps[k].Free) v[s] = null;
                k--;
                continue;
            }
            var (op, args, result, free) = steps[k];
            var a = new Tensor[args.Length];
            for (int i = 0; i < a.Length; i++) a[i] = v[args[i]]!;
            v[result] = op.Compute(a);
            GC.KeepAlive(a); // the kernel read their storage: keep their leases until it is done (Storage.cs)
            foreach (var s in free) v[s] = null;
        }
        var r = new Tensor[outputs.Length];
        for (int i = 0; i < r.Length; i++) r[i] = v[outputs[i]]!;
        return r;
    }

    /// <summary>A listing: inputs, constants, one line per step with its result's type, and the outputs.</summary>
    public override string ToString()
    {
        var inv = CultureInfo.InvariantCulture;
        string T(int s) => Shapes.Show(types[s].Shape) + " " + types[s].DType.Name();
        var sb = new StringBuilder();
        sb.Append(inv, $"program: {inputs} input(s), {constants.Length} constant(s), {steps.Length} step(s) ");
        sb.Append(inv, $"({recorded} recorded, {shared} shared as common subexpressions, ");
        sb.Append(inv, $"{recorded - shared - steps.Length} removed as dead code; {ScalarSteps} as compiled scalar ");
        sb.Append(inv, $"code, in {scalar.Length} run(s))\n");
        for (int i = 0; i < inputs; i++) sb.Append(inv, $"  %{i} = input {i} : {T(i)}\n");
        foreach (var (slot, value) in constants)
        {
            var shown = value.Count == 1 ? value.Element(0).ToString("G6", inv) : $"{value.Count} elements";
            sb.Append(inv, $"  %{slot} = constant {shown} : {T(slot)}\n");
        }
        int next = 0;
        for (int k = 0; k < steps.Length; k++)
        {
            if (next < scalar.Length && scalar[next].Start == k)
            {
                var run = scalar[next++];
                sb.Append(inv, $"  scalar code, {run.End - run.Start} step(s) on {run.DType.Name()} locals in ");
                sb.Append(inv, $"{run.Methods} method(s), from here to %{steps[run.End - 1].Result}:\n");
            }
            var (op, args, result, _) = steps[k];
            sb.Append(inv, $"  %{result} = {op}({string.Join(", ", args.Select(a => "%" + a))}) : {T(result)}\n");
        }
        sb.Append("  return ").Append(string.Join(", ", outputs.Select(o => "%" + o)));
        return sb.ToString();
    }

    private readonly record struct StepKey(object Identity, int[] Args)
    {
        public bool Equals(StepKey other) => Identity.Equals(other.Identity) && Args.AsSpan().SequenceEqual(other.Args);
        public override int GetHashCode()
        {
            var h = new HashCode();
            h.Add(Identity);
            foreach (var a in Args) h.Add(a);
            return h.ToHashCode();
        }
    }
}
