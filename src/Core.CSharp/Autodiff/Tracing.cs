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
internal sealed class Trace(long tag, int inputs, string name = "compile", bool capturing = false)
{
    internal readonly long Tag = tag;
    internal readonly int Inputs = inputs;
    /// <summary>What traces: "compile", or a loop's or branch's name (errors say which).</summary>
    internal readonly string Name = name;
    // A loop's body captures values of outer levels as extra inputs (JAX's closure conversion), where compile's trace
    // abandons: the loop is then an op over them, which every level's rules see.
    internal readonly List<(Tensor Value, int Slot)> Captured = [];
    internal bool Capturing => capturing;
    private readonly Dictionary<Tensor, int> capturedSlots = new(ReferenceEqualityComparer.Instance);
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
    /// A value of an outer level (a variable of a differentiation around the compiled function that f captured), or
    /// a tensor on a device, cannot be baked in: the trace is abandoned and the compiled function runs f itself.
    /// </summary>
    internal int SlotOf(Tensor a)
    {
        lock (gate)
        {
            Open(a);
            if (a.tag == Tag) return a.Slot.Index;
            if (a.tag == 0 && !a.OnDevice) return Constant(a);
            if (capturing) return Capture(a);
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
                else if (a.tag == 0 && !a.OnDevice) { slots[i] = Constant(a); stand[i] = a; }
                else if (capturing) { slots[i] = Capture(a); stand[i] = shadows[slots[i]]!; }
                else throw new TraceAbandoned();
            }
            var y = NewTracer(op.Compute(stand));
            Steps.Add((op, slots, y.Slot.Index));
            return y;
        }
    }

    /// <summary>The slot of a value of an outer level (or on a device) that the traced function captured: an extra
    /// input, shadowed by its plain value.</summary>
    private int Capture(Tensor a)
    {
        if (capturedSlots.TryGetValue(a, out int slot)) return slot;
        slot = NewTracer(Shadows.Of(a)).Slot.Index;
        capturedSlots.Add(a, slot);
        Captured.Add((a, slot));
        return slot;
    }

    /// <summary>The plain value a tracer of this trace stands for in the call being traced (null once the trace has
    /// ended).</summary>
    internal Tensor? ShadowOf(int slot)
    {
        lock (gate) return closed ? null : shadows[slot];
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

    /// <summary>A traced function's result as seen at its trace's level <paramref name="t"/>: an inner
    /// differentiation's perturbation that escaped is looked under; an inner vmap's batch cannot be.</summary>
    internal static Tensor AtLevel(Tensor y, long t, string name)
    {
        while (y.tag > t)
        {
            if (y.IsBatched)
                throw new VmapException(
                    $"{name}: the function returned a value batched by a vmap inside it that has ended; " +
                    "return results of the inner vmap, not values from inside its function");
            y = y.Down;
        }
        return y;
    }

    /// <summary>Whether the trace of a loop's or branch's function lies under every level of <paramref name="t"/>: what
    /// is traced there runs again later under transformations, so a detach must be an op of it.</summary>
    internal static bool InLoopBody(Tensor t)
    {
        var x = t;
        while (x.primal is not null) x = x.primal;
        return x.IsTraced && x.Slot.Trace.Capturing;
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
    internal static CompileException ReadError(Tensor t, string what)
    {
        var x = t;
        while (x.primal is not null) x = x.primal;
        var name = x.IsTraced ? x.Slot.Trace.Name : "compile";
        return name == "compile"
            ? new(
                $"compile: {what} on a traced value: while a compiled function is traced, this {Shapes.Show(t)} " +
                "tensor has a shape and a dtype but no values yet, and the program must not depend on them. Keep " +
                "data-dependent choices as tensor ops (Where with a mask from Lt, Gt, ...), or leave that part " +
                "outside compile")
            : new(
                $"{name}: {what} on a traced value: the function given to {name} is traced once, with tensors that " +
                $"have a shape and a dtype but no values (this one is {Shapes.Show(t)}), and its steps must not " +
                "depend on values through .NET control flow. Keep data-dependent choices as tensor ops (Where with a " +
                "mask from Lt, Gt, ...; Cond or Switch; WhileLoop for a data-dependent number of steps)");
    }

    /// <summary>The error for a traced value used after its trace ended.</summary>
    internal static CompileException Escaped(Tensor t) => new(
        $"compile: a traced {Shapes.Show(t)} value escaped its compiled function (it was stored outside f while f " +
        "was traced) and is used after the trace ended; return every value f computes instead of storing it");
}
