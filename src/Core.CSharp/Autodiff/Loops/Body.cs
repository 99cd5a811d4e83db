namespace FuncGrad;

/// <summary>
/// A loop's body or a branch, traced once into the ops it applies: its inputs, the values of outer levels it
/// captured (parameters being differentiated, batches, a compile's tracers), its constants, and its outputs. Run
/// replays those ops through <see cref="Op.Apply"/> on any arguments, so the body's values are the eager ones, bit for
/// bit, and every transformation of a replay is the transformation of the body: a loop's rules are loops of replays
/// under the transformation, traced in turn.
/// </summary>
internal sealed class Body
{
    private readonly (Op Op, int[] Args, int Result)[] steps;
    private readonly (int Slot, Tensor Value)[] constants;
    private readonly int[] capturedSlots;
    private readonly int[] outputs;
    private readonly int slots;
    private readonly (int[] Shape, DType DType)[] types;
    private Program? program;

    /// <summary>The number of inputs.</summary>
    internal int Inputs { get; }

    /// <summary>The outer values the body captured, in the order Run takes their replacements.</summary>
    internal Tensor[] Captured { get; }

    /// <summary>Each output's shape and dtype.</summary>
    internal (int[] Shape, DType DType)[] OutputTypes { get; }

    private Body(int inputs, (int[], DType)[] types, (Op, int[], int)[] steps, (int, Tensor)[] constants,
        Tensor[] captured, int[] capturedSlots, int[] outputs)
    {
        Inputs = inputs;
        this.types = types;
        slots = types.Length;
        Captured = captured;
        this.capturedSlots = capturedSlots;
        this.outputs = outputs;
        OutputTypes = [.. outputs.Select(o => types[o])];
        // Only the steps an output depends on are replayed.
        var live = new bool[slots];
        foreach (var o in outputs) live[o] = true;
        var kept = new List<(Op, int[], int)>();
        for (int i = steps.Length - 1; i >= 0; i--)
        {
            var (op, args, result) = steps[i];
            if (!live[result]) continue;
            kept.Add((op, args, result));
            foreach (var a in args) live[a] = true;
        }
        kept.Reverse();
        this.steps = [.. kept];
        this.constants = [.. constants.Where(c => live[c.Item1])];
    }

    private Body(Trace trace, int[] outputs) : this(trace.Inputs, [.. trace.Types], [.. trace.Steps],
        [.. trace.Constants.Select(c => (c.Key, c.Value))], [.. trace.Captured.Select(c => c.Value)],
        [.. trace.Captured.Select(c => c.Slot)], outputs)
    {
    }

    /// <summary>This body with only its first <paramref name="count"/> outputs, and the steps they need.</summary>
    internal Body First(int count) => new(Inputs, types, steps, constants, Captured, capturedSlots, outputs[..count]);

    /// <summary>
    /// <see cref="Run"/> on plain managed values by the body as a compiled program (Program.cs: the same kernel calls,
    /// so the same bits), built on the first call: for a loop that is a step of a compiled program in turn.
    /// </summary>
    internal Tensor[] RunCompiled(ReadOnlySpan<Tensor> inputs, ReadOnlySpan<Tensor> captured)
    {
        var p = Volatile.Read(ref program);
        if (p is null)
        {
            p = ToProgram();
            p = Interlocked.CompareExchange(ref program, p, null) ?? p;
        }
        return p.Run([.. inputs, .. captured]);
    }

    /// <summary>The body as a program whose inputs are its inputs and then its captured values.</summary>
    private Program ToProgram()
    {
        var order = new List<int>(slots);
        for (int i = 0; i < Inputs; i++) order.Add(i);
        order.AddRange(capturedSlots);
        var taken = new HashSet<int>(order);
        for (int i = 0; i < slots; i++)
            if (!taken.Contains(i)) order.Add(i);
        var map = new int[slots];
        for (int i = 0; i < order.Count; i++) map[order[i]] = i;
        var trace = new Trace(0, Inputs + capturedSlots.Length, "compile");
        foreach (var o in order) trace.Types.Add(types[o]);
        foreach (var (slot, value) in constants) trace.Constants.Add(map[slot], value);
        foreach (var (op, args, result) in steps) trace.Steps.Add((op, [.. args.Select(a => map[a])], map[result]));
        return new Program(trace, [.. outputs.Select(o => map[o])]);
    }

    /// <summary>
    /// Traces <paramref name="f"/> on tracers standing for <paramref name="shadows"/> (plain values of the inputs'
    /// shapes and dtypes, on which each op also runs once to find its result's shape). An exception from f leaves
    /// nothing behind.
    /// </summary>
    internal static Body Trace(Func<Tensor[], Tensor[]> f, Tensor[] shadows, string name)
    {
        var trace = new Trace(Tags.Next(), shadows.Length, name, capturing: true);
        try
        {
            var tracers = new Tensor[shadows.Length];
            for (int i = 0; i < shadows.Length; i++) tracers[i] = trace.Input(shadows[i]);
            var ys = f(tracers);
            var outs = new int[ys.Length];
            for (int j = 0; j < ys.Length; j++) outs[j] = trace.SlotOf(Tracing.AtLevel(ys[j], trace.Tag, name));
            return new Body(trace, outs);
        }
        finally
        {
            trace.Close();
        }
    }

    /// <summary>The body's outputs on <paramref name="inputs"/>, with <paramref name="captured"/> in place of the
    /// captured values (the same values at some level: the primals that an op's rules see).</summary>
    internal Tensor[] Run(ReadOnlySpan<Tensor> inputs, ReadOnlySpan<Tensor> captured)
    {
        var v = new Tensor?[slots];
        for (int i = 0; i < Inputs; i++) v[i] = inputs[i];
        for (int i = 0; i < capturedSlots.Length; i++) v[capturedSlots[i]] = captured[i];
        foreach (var (slot, value) in constants) v[slot] = value;
        foreach (var (op, args, result) in steps)
        {
            // A detach strips the levels the body runs under now, as it did when the body was traced.
            if (op is StopGradientOp) { v[result] = v[args[0]]!.Detach(); continue; }
            var a = new Tensor[args.Length];
            for (int i = 0; i < a.Length; i++) a[i] = v[args[i]]!;
            v[result] = Op.Apply(op, a);
        }
        var r = new Tensor[outputs.Length];
        for (int j = 0; j < r.Length; j++) r[j] = v[outputs[j]]!;
        return r;
    }
}

/// <summary>Plain values standing for tensors of any level, for tracing a body on tracers of their shapes.</summary>
internal static class Shadows
{
    /// <summary>
    /// A plain value of <paramref name="a"/>'s shape and dtype: its value under every level where it has one (one
    /// example of a batch; a compile trace's shadow), zeros where none can be found (a tracer whose trace has ended).
    /// </summary>
    internal static Tensor Of(Tensor a)
    {
        if (a.tag == 0) return a.OnDevice ? a.To(Device.Managed) : a;
        if (a.IsTraced) return a.Slot.Trace.ShadowOf(a.Slot.Index) ?? Tensor.Zeros(a.shape, a.DType);
        if (a.IsBatched) return Batching.Moved(Of(a.primal!), a.BatchDim, 0)[0];
        return Of(a.Down);
    }

    /// <summary>The shadow of one step's slice of <paramref name="xs"/> (its leading axis being the steps).</summary>
    internal static Tensor Step(Tensor xs) =>
        xs.shape[0] > 0 ? Of(xs)[0] : Tensor.Zeros(xs.shape[1..], xs.DType);
}
