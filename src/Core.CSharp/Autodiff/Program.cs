using FuncGrad.Kernels;
using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace FuncGrad;

/// <summary>
/// A step of a compiled program as a kernel over buffers: it reads its arguments' buffers in a <see cref="Frame"/> and
/// writes its result's, making the same kernel calls as its op's <see cref="Op.Compute"/>, so the bits are the same.
/// Made once per program by <see cref="Op.Kernel"/>, bound to its slots, immutable.
/// </summary>
internal abstract class StepKernel
{
    /// <summary>
    /// For an elementwise kernel, the length that every range of the result it runs on must be a multiple of (1: any
    /// range; a row's length where an argument repeats as rows); 0 for a kernel that runs on its whole result only.
    /// </summary>
    internal virtual int Row => 0;

    /// <summary>Writes elements [lo, hi) of the result (all of them where <see cref="Row"/> is 0).</summary>
    internal abstract void Run(Frame f, int lo, int hi);
}

/// <summary>A step's slots with their shapes and dtypes, for an op making its <see cref="StepKernel"/>.</summary>
internal readonly record struct StepTypes(int[] Args, int Result, (int[] Shape, DType DType)[] Types)
{
    internal int[] ArgShape(int i) => Types[Args[i]].Shape;
    internal int ArgCount(int i) => Shapes.Count(Types[Args[i]].Shape, "compile");
    internal int[] Shape => Types[Result].Shape;
    internal int Count => Shapes.Count(Types[Result].Shape, "compile");
    internal DType DType => Types[Result].DType;
    /// <summary>Whether every argument has the result's dtype (the kernels' assumption).</summary>
    internal bool OneDType
    {
        get
        {
            foreach (var a in Args)
                if (Types[a].DType != DType) return false;
            return true;
        }
    }
}

/// <summary>
/// One caller's memory for one run of a program: every slot's buffer (a value is its buffer's first elements), and the
/// tensors behind slots that have one (inputs, constants, results of steps run by their op's Compute). Frames are made
/// once and reused by the program's later calls, one per concurrent caller.
/// </summary>
internal sealed class Frame(int slots)
{
    internal readonly Array?[] Arrays = new Array?[slots];
    internal readonly Tensor?[] Tensors = new Tensor?[slots];

    /// <summary>The leases of this call's new output arrays, handed to the tensors returned over them.</summary>
    internal Lease?[]? Leases;

    internal T[] Array<T>(int slot) => Unsafe.As<T[]>(Arrays[slot]!);
    internal ReadOnlySpan<T> In<T>(int slot, int lo, int hi) => new(Unsafe.As<T[]>(Arrays[slot]!), lo, hi - lo);
    internal Span<T> Out<T>(int slot, int lo, int hi) => new(Unsafe.As<T[]>(Arrays[slot]!), lo, hi - lo);
}

/// <summary>
/// A traced function as a straight-line program: the steps that the outputs depend on (dead code removed), each
/// computation once (common subexpressions shared), in the order the trace recorded them, which is the order f ran
/// them eagerly. Runs of steps on one-element values are compiled scalar code (<see cref="ScalarCode"/>); every other
/// step with a kernel (<see cref="Op.Kernel"/>) writes into a buffer of a memory plan: buffers are reused once the
/// values in them are dead, and allocated once per caller (<see cref="Frame"/>); consecutive elementwise steps over
/// the same number of elements run as one loop over blocks of the elements, so a block is still in the first-level
/// cache when the next step reads it. Each step makes the calls its op's Compute makes, on the same lengths, so the
/// results are the eager ones, bit for bit. Reshapes share their argument's buffer; an op without a kernel runs its
/// Compute on tensors. Immutable, so any number of threads may run it at once.
/// </summary>
internal sealed class Program
{
    /// <summary>The elements of a fused loop's block: a block of each step's result stays in the first-level cache
    /// (8 KB of float64).</summary>
    internal const int BlockElements = 1024;

    /// <summary>What a slot's memory is.</summary>
    private enum Held : byte
    {
        Nothing,  // a value inside a run of scalar code: a local, no memory
        Input,
        Constant,
        Tensor,   // the result of an op run by its Compute
        Alias,    // a reshape: its root's buffer
        Arena,    // a buffer of the memory plan
        Fresh,    // an output's buffer, new every call
    }

    private enum Does : byte { Scalar, Kernels, Alias, Compute }

    /// <summary>Steps [First, End) of the program, run one way: a run of scalar code, one kernel or a fused loop of
    /// elementwise kernels over <c>Count</c> elements in blocks of <c>Block</c>, a reshape, or an op's Compute. A loop
    /// whose kernels all run on any range of whole <c>Unit</c>s (0: on the whole result only) is split over the cores
    /// at multiples of it.</summary>
    private sealed record Item(Does Does, int First, int End, ScalarCode? Code = null, StepKernel[]? Kernels = null,
        int Count = 0, int Block = 0, long Unit = 0);

    private readonly int inputs;
    private readonly (int Slot, Tensor Value)[] constants;
    private readonly (Op Op, int[] Args, int Result)[] steps;
    private readonly int[] outputs;
    private readonly (int[] Shape, DType DType)[] types;
    private readonly int slots, recorded, shared, joined;
    private readonly ScalarCode[] scalar;
    private readonly Item[] items;
    private readonly Held[] held;
    private readonly int[] root;             // the slot whose memory a slot uses: itself, or a reshape's source
    private readonly int[] bufferOf;         // per Arena slot, its buffer
    private readonly (DType DType, int Length)[] buffers;
    private readonly int[] fresh;            // the Fresh slots
    private readonly int[] outputFresh;      // per output, its root's place in fresh (-1: not Fresh)
    private readonly bool[] outputInline;    // per output, whether it is one element of a buffer, returned inline
    private readonly int[] perCall;          // the slots whose memory or tensor belongs to one call
    private readonly Array[] constantArrays;
    private readonly ConcurrentBag<Frame> frames = [];
    private Frame? spare;

    internal int Steps => steps.Length;

    /// <summary>How many steps run as compiled scalar code (tests read it).</summary>
    internal int ScalarSteps => scalar.Sum(r => r.End - r.Start);

    /// <summary>How many steps run by a kernel into the memory plan, and how many of those in fused loops of more
    /// than one step (tests read them).</summary>
    internal (int Kernels, int Fused) KernelSteps => (
        items.Where(i => i.Does == Does.Kernels).Sum(i => i.End - i.First),
        items.Where(i => i.Does == Does.Kernels && i.End - i.First > 1).Sum(i => i.End - i.First));

    /// <summary>The bytes of the memory plan's buffers, which each concurrent caller has once.</summary>
    internal long PlanBytes => buffers.Sum(b => (long)b.Length * (b.DType == DType.Float64 ? 8 : 4));

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
        steps = new (Op, int[], int)[live2.Count];
        for (int k = 0; k < live2.Count; k++)
        {
            var (op, args, result) = live2[k];
            steps[k] = (op.InProgram, args.Select(a => map[a]).ToArray(), Next(result));
        }
        outputs = outs.Select(s => map[s]).ToArray();
        types = typeList.ToArray();
        slots = types.Length;
        var constantValues = constants.ToDictionary(c => c.Slot, c => c.Value);
        int before = steps.Length;
        steps = JoinChains(steps, outputs, types, constantValues);
        joined = before - steps.Length;

        // The last step that reads each slot (an output: never dead).
        var last = new int[slots];
        Array.Fill(last, -1);
        for (int k = 0; k < steps.Length; k++)
            foreach (var a in steps[k].Args) last[a] = k;
        foreach (var o in outputs) last[o] = int.MaxValue;
        scalar = ScalarCode.Find(steps, types, last, constantValues);
        constantArrays = constants.Select(c => Buffer(c.Value)).ToArray();

        (items, held, root) = Schedule();
        (bufferOf, buffers, fresh) = PlanMemory(last);
        outputFresh = outputs.Select(o => Array.IndexOf(fresh, root[o])).ToArray();
        outputInline = outputs.Select(o => held[root[o]] == Held.Arena).ToArray();
        perCall = Enumerable.Range(0, slots)
            .Where(s => held[s] is Held.Input or Held.Tensor or Held.Alias or Held.Fresh).ToArray();
    }

    /// <summary>tanh's chain rule g·(1 − y²) and sigmoid's g·(y·(1 − y)) as one step each: the formula eager
    /// evaluation runs on plain tensors (UnaryOp's chain), rounded step by step as the composite rule is.</summary>
    private static readonly Op TanhChain = new BinaryOp<FormulaKernel<Tensor.TanhChainF>>("TanhChain",
        static (g, y, r) => 1.0 - y.Square(), static (g, y, r) => g * y * -2.0);

    private static readonly Op SigmoidChain = new BinaryOp<FormulaKernel<Tensor.SigmoidChainF>>("SigmoidChain",
        static (g, y, r) => y * (1.0 - y), static (g, y, r) => g * (1.0 - y * 2.0));

    /// <summary>
    /// Joins the composite rules of tanh and sigmoid, as a trace records them, into the one step of their chain rule:
    /// <c>Mul(g, Sub(1, Square(y)))</c> becomes <c>TanhChain(g, y)</c> and <c>Mul(g, Mul(y, Sub(1, y)))</c>
    /// <c>SigmoidChain(g, y)</c>, where every value is of one shape and dtype, of more than one element, and the
    /// intermediate values serve nothing else. The formula makes the composite's operations in its order, so the bits
    /// are the same; one pass replaces three, as in eager evaluation on plain tensors.
    /// </summary>
    private static (Op, int[], int)[] JoinChains((Op Op, int[] Args, int Result)[] steps, int[] outputs,
        (int[] Shape, DType DType)[] types, Dictionary<int, Tensor> constants)
    {
        var readers = new int[types.Length];
        var producer = new int[types.Length];
        Array.Fill(producer, -1);
        for (int k = 0; k < steps.Length; k++)
        {
            foreach (var a in steps[k].Args) readers[a]++;
            producer[steps[k].Result] = k;
        }
        foreach (var o in outputs) readers[o] += 2; // an output is never an intermediate value
        var gone = new bool[steps.Length];
        var joined = steps.ToArray();

        // The step that makes a slot read only by one step, if it is elementwise of the given name and arity.
        int Sole(int slot, string name, int arity) =>
            readers[slot] == 1 && producer[slot] is int k and >= 0 && !gone[k] && steps[k].Args.Length == arity
            && steps[k].Op.Name == name && (arity == 1 ? steps[k].Op is UnaryOp : IsBinaryOp(steps[k].Op)) ? k : -1;
        bool One(int slot, DType dtype) =>
            constants.TryGetValue(slot, out var c) && c.Count == 1 && c.DType == dtype && c.Element(0) == 1.0;

        for (int k = 0; k < steps.Length; k++)
        {
            var (op, args, result) = steps[k];
            var (shape, dtype) = types[result];
            if (op.Name != "Mul" || args.Length != 2 || !IsBinaryOp(op) || !dtype.IsFloat()
                || Shapes.Count(shape, "compile") < 2) continue;
            bool Like(int s) => types[s].DType == dtype && Shapes.Same(types[s].Shape, shape);
            int g = args[0], d = args[1];
            if (!Like(g) || !Like(d)) continue;
            // tanh: d = 1 − y², made by Sub(1, Square(y))
            int sub = Sole(d, "Sub", 2);
            if (sub >= 0 && One(steps[sub].Args[0], dtype) && Like(steps[sub].Args[1])
                && Sole(steps[sub].Args[1], "Square", 1) is int square and >= 0 && Like(steps[square].Args[0]))
            {
                joined[k] = (TanhChain, [g, steps[square].Args[0]], result);
                gone[sub] = gone[square] = true;
                continue;
            }
            // sigmoid: d = y·(1 − y), made by Mul(y, Sub(1, y))
            int mul = Sole(d, "Mul", 2);
            if (mul >= 0 && steps[mul].Args[0] is var y && Like(y) && Like(steps[mul].Args[1])
                && Sole(steps[mul].Args[1], "Sub", 2) is int sub2 and >= 0
                && One(steps[sub2].Args[0], dtype) && steps[sub2].Args[1] == y)
            {
                joined[k] = (SigmoidChain, [g, y], result);
                gone[mul] = gone[sub2] = true;
            }
        }
        return joined.Where((_, k) => !gone[k]).ToArray();
    }

    private static bool IsBinaryOp(Op op) =>
        op.GetType() is { IsGenericType: true } t && t.GetGenericTypeDefinition() == typeof(BinaryOp<>);

    /// <summary>How each step runs, and what each slot's memory is.</summary>
    private (Item[], Held[], int[]) Schedule()
    {
        var held = new Held[slots];
        var root = Enumerable.Range(0, slots).ToArray();
        for (int i = 0; i < inputs; i++) held[i] = Held.Input;
        foreach (var (slot, _) in constants) held[slot] = Held.Constant;
        var kernels = new StepKernel?[steps.Length];
        var aliases = new bool[steps.Length];
        for (int k = 0; k < steps.Length; k++)
        {
            var (op, args, result) = steps[k];
            aliases[k] = op.Aliases;
            if (!aliases[k]) kernels[k] = op.Kernel(new StepTypes(args, result, types));
        }
        var list = new List<Item>();
        int run = 0; // the next run of scalar code
        for (int k = 0; k < steps.Length;)
        {
            if (run < scalar.Length && scalar[run].Start == k)
            {
                var code = scalar[run++];
                list.Add(new Item(Does.Scalar, k, code.End, Code: code));
                foreach (var s in code.Outs) held[s] = Held.Arena;
                k = code.End;
                continue;
            }
            var (_, args, result) = steps[k];
            if (aliases[k])
            {
                list.Add(new Item(Does.Alias, k, k + 1));
                root[result] = root[args[0]];
                held[result] = Held.Alias;
                k++;
                continue;
            }
            if (kernels[k] is not { } kernel)
            {
                list.Add(new Item(Does.Compute, k, k + 1));
                held[result] = Held.Tensor;
                k++;
                continue;
            }
            // Consecutive elementwise kernels over as many elements: one loop.
            int count = Shapes.Count(types[result].Shape, "compile"), end = k + 1;
            if (kernel.Row > 0)
                while (end < steps.Length && kernels[end] is { Row: > 0 }
                    && Shapes.Count(types[steps[end].Result].Shape, "compile") == count
                    && (run >= scalar.Length || scalar[run].Start != end)) end++;
            for (int j = k; j < end; j++) held[steps[j].Result] = Held.Arena;
            list.Add(new Item(Does.Kernels, k, end, Kernels: kernels[k..end]!, Count: count,
                Block: BlockOf(kernels[k..end]!, count), Unit: UnitOf(kernels[k..end]!)));
            k = end;
        }
        // The memory of an output is its own: a new buffer every call, unless it is an input's, a constant's or a
        // tensor's (then that tensor is returned, reshaped if need be), or one floating-point element (a loss), which
        // stays in the plan and is returned inline, as eager evaluation keeps one element (no array at all).
        foreach (var o in outputs)
            if (held[root[o]] == Held.Arena
                && (Shapes.Count(types[o].Shape, "compile") != 1 || !types[o].DType.IsFloat()))
                held[root[o]] = Held.Fresh;
        return (list.ToArray(), held, root);
    }

    /// <summary>
    /// A fused loop's block: a multiple of 128 elements and of every row length, so that each block's calls see
    /// lengths that leave the same elements to each kernel's vector loop and scalar tail as the whole result's call
    /// does (wider than any vector), and the same groups of Kernels/Lanes.cs; the last block takes the remainder. A
    /// loop of one step, or over fewer than two blocks' elements, is one call over everything.
    /// </summary>
    private static int BlockOf(StepKernel[] kernels, int count)
    {
        if (kernels.Length < 2 || count < 2 * BlockElements) return count;
        long unit = UnitOf(kernels);
        long block = unit * Math.Max(1, BlockElements / unit);
        return block * 2 > count ? count : (int)block;
    }

    /// <summary>What every range a loop's kernels run on must be a multiple of: 128 elements and every row length (0
    /// where a kernel runs on its whole result only).</summary>
    private static long UnitOf(StepKernel[] kernels)
    {
        long unit = Elementwise.PartUnit;
        foreach (var k in kernels)
        {
            if (k.Row <= 0) return 0;
            unit = unit / Gcd(unit, k.Row) * k.Row;
        }
        return unit;
    }

    private static long Gcd(long a, long b) => b == 0 ? a : Gcd(b, a % b);

    /// <summary>
    /// The memory plan: each Arena slot gets a buffer that no live value holds when the slot is written, the smallest
    /// free one that fits (growing the largest free one where none fits), freed after the last step that reads the
    /// slot or a reshape of it. Within a fused loop nothing is freed until the loop ends, since its blocks interleave
    /// the steps.
    /// </summary>
    private (int[], (DType, int)[], int[]) PlanMemory(int[] last)
    {
        var lastUse = new int[slots];
        Array.Fill(lastUse, -1);
        for (int s = 0; s < slots; s++)
            if (last[s] >= 0) lastUse[root[s]] = Math.Max(lastUse[root[s]], last[s]);
        var bufferOf = new int[slots];
        Array.Fill(bufferOf, -1);
        var sizes = new List<(DType DType, int Length)>();
        var holder = new List<int>(); // the slot last given each buffer
        var free = new List<int>();
        var written = new List<int>();
        foreach (var item in items)
        {
            written.Clear();
            if (item.Code is { } code) written.AddRange(code.Outs);
            else if (item.Does == Does.Kernels)
                for (int k = item.First; k < item.End; k++) written.Add(steps[k].Result);
            foreach (var s in written)
            {
                if (held[s] != Held.Arena) continue;
                var (_, dtype) = types[s];
                int need = Shapes.Count(types[s].Shape, "compile");
                int best = -1;
                foreach (var b in free)
                    if (sizes[b].DType == dtype && (best < 0 || Better(sizes[b].Length, sizes[best].Length, need)))
                        best = b;
                if (best < 0) { best = sizes.Count; sizes.Add((dtype, need)); holder.Add(s); }
                else
                {
                    free.Remove(best);
                    if (sizes[best].Length < need) sizes[best] = (dtype, need);
                    holder[best] = s;
                }
                bufferOf[s] = best;
            }
            // Values whose last reader is in this item are dead after it.
            for (int k = item.First; k < item.End; k++)
                foreach (var a in steps[k].Args.Append(steps[k].Result))
                    if (held[root[a]] == Held.Arena && lastUse[root[a]] < item.End && bufferOf[root[a]] >= 0
                        && holder[bufferOf[root[a]]] == root[a] && !free.Contains(bufferOf[root[a]]))
                        free.Add(bufferOf[root[a]]);
        }
        var fresh = Enumerable.Range(0, slots).Where(s => held[s] == Held.Fresh).ToArray();
        return (bufferOf, sizes.ToArray(), fresh);
    }

    // A free buffer is better for a value of `need` elements if it fits with less to spare, or, where neither fits,
    // is larger (so less grows).
    private static bool Better(int length, int than, int need) =>
        length >= need ? than < need || length < than : than < need && length > than;

    private Frame NewFrame()
    {
        var f = new Frame(slots);
        var arrays = buffers.Select(b => b.DType == DType.Float64 ? (Array)new double[b.Length] : new float[b.Length])
            .ToArray();
        for (int s = 0; s < slots; s++)
            if (bufferOf[s] >= 0) f.Arrays[s] = arrays[bufferOf[s]];
        for (int c = 0; c < constants.Length; c++)
        {
            f.Arrays[constants[c].Slot] = constantArrays[c];
            f.Tensors[constants[c].Slot] = constants[c].Value;
        }
        return f;
    }

    /// <summary>Runs the program on plain inputs of its signature.</summary>
    internal Tensor[] Run(Tensor[] xs)
    {
        // One spare frame in a field serves a single caller without the bag's bookkeeping.
        var f = Interlocked.Exchange(ref spare, null) ?? (frames.TryTake(out var free) ? free : NewFrame());
        try
        {
            for (int i = 0; i < inputs; i++)
            {
                f.Tensors[i] = xs[i];
                f.Arrays[i] = Buffer(xs[i]);
            }
            var leases = f.Leases ??= new Lease?[fresh.Length];
            for (int j = 0; j < fresh.Length; j++)
            {
                int s = fresh[j], count = Shapes.Count(types[s].Shape, "compile");
                f.Arrays[s] = types[s].DType == DType.Float64
                    ? Storage.Uninitialized<double>(count, out leases[j])
                    : Storage.Uninitialized<float>(count, out leases[j]);
            }
            foreach (var item in items) Execute(item, f);
            var r = new Tensor[outputs.Length];
            for (int j = 0; j < r.Length; j++)
            {
                int o = outputs[j], ro = root[o];
                r[j] = outputInline[j] ? Inline(types[o].Shape, f.Arrays[ro]!)
                    : held[ro] == Held.Fresh ? Wrap(types[o].Shape, f.Arrays[ro]!, leases[outputFresh[j]])
                    : ro == o ? f.Tensors[ro]! : f.Tensors[ro]!.Reshaped(types[o].Shape);
            }
            return r;
        }
        finally
        {
            // The frame keeps its plan's buffers, and nothing of this call: inputs, outputs and tensors go.
            foreach (var s in perCall)
            {
                f.Arrays[s] = null;
                f.Tensors[s] = null;
            }
            if (f.Leases is { } ls) Array.Clear(ls);
            GC.KeepAlive(xs); // kernels read their arrays: keep their leases until done (Storage.cs)
            if (Interlocked.CompareExchange(ref spare, f, null) is not null
                && frames.Count < Environment.ProcessorCount) frames.Add(f);
        }
    }

    private void Execute(Item item, Frame f)
    {
        switch (item.Does)
        {
            case Does.Scalar:
                item.Code!.Run(f);
                break;
            case Does.Alias:
                int result = steps[item.First].Result;
                f.Arrays[result] = f.Arrays[root[result]];
                break;
            case Does.Compute:
                Compute(steps[item.First], f);
                break;
            default:
                int parts = Elementwise.PartsOf(item.Count, item.Unit);
                if (parts <= 1) Blocks(item, f, 0, item.Count);
                else RunParts(item, f, parts);
                if (item.Count == 0)
                    foreach (var k in item.Kernels!) k.Run(f, 0, 0);
                break;
        }
    }

    /// <summary>
    /// A loop's elements [lo, hi) in its blocks, the last one taking the remainder. The parts that threads run at
    /// once read the frame's buffers and write disjoint ranges of their own: a loop's results have buffers of their
    /// own until it ends (<see cref="PlanMemory"/>), and its kernels hold nothing between calls.
    /// </summary>
    private static void Blocks(Item item, Frame f, int lo, int hi)
    {
        var kernels = item.Kernels!;
        while (lo < hi)
        {
            int end = hi - lo < 2 * item.Block ? hi : lo + item.Block;
            foreach (var k in kernels) k.Run(f, lo, end);
            lo = end;
        }
    }

    // Apart, so that the closure is made only where the loop is split; parts start at multiples of the unit, which
    // the block is a multiple of, so every call sees the ranges it would see on one thread, up to where it is cut.
    private static void RunParts(Item item, Frame f, int parts) => FuncGrad.Kernels.Workers.For(parts, p =>
    {
        var (lo, hi) = Elementwise.PartOf(item.Count, item.Unit, parts, p);
        Blocks(item, f, lo, hi);
    });

    /// <summary>A step without a kernel: its op's Compute on tensors (a value in a buffer is copied into
    /// one).</summary>
    private void Compute((Op Op, int[] Args, int Result) step, Frame f)
    {
        var a = new Tensor[step.Args.Length];
        for (int i = 0; i < a.Length; i++)
        {
            int s = step.Args[i], rs = root[s];
            a[i] = f.Tensors[rs] is { } t
                ? (rs == s ? t : t.Reshaped(types[s].Shape))
                : Copy(types[s].Shape, types[s].DType, f.Arrays[s]!);
        }
        var y = step.Op.Compute(a);
        GC.KeepAlive(a); // the kernel read their storage: keep their leases until it is done (Storage.cs)
        f.Tensors[step.Result] = y;
        f.Arrays[step.Result] = Buffer(y);
    }

    private static Array Buffer(Tensor t) => t.DType switch
    {
        DType.Float64 => t.Buffer<double>(),
        DType.Float32 => t.Buffer<float>(),
        DType.Int64 => t.Buffer<long>(),
        DType.Int32 => t.Buffer<int>(),
        _ => t.Buffer<bool>(),
    };

    private static Tensor Inline(int[] shape, Array a) => a is double[] d
        ? Tensor.PlainScalar(shape, d[0])
        : Tensor.PlainScalar(shape, ((float[])a)[0]);

    private static Tensor Wrap(int[] shape, Array a, Lease? lease) => a is double[] d
        ? Tensor.Plain(shape, d, lease)
        : Tensor.Plain(shape, (float[])a, lease);

    private static Tensor Copy(int[] shape, DType dtype, Array a)
    {
        int n = Shapes.Count(shape, "compile");
        return dtype switch
        {
            DType.Float64 => Tensor.Plain(shape, ((double[])a).AsSpan(0, n).ToArray()),
            DType.Float32 => Tensor.Plain(shape, ((float[])a).AsSpan(0, n).ToArray()),
            DType.Int64 => Tensor.Plain(shape, ((long[])a).AsSpan(0, n).ToArray()),
            DType.Int32 => Tensor.Plain(shape, ((int[])a).AsSpan(0, n).ToArray()),
            _ => Tensor.Plain(shape, ((bool[])a).AsSpan(0, n).ToArray()),
        };
    }

    /// <summary>A listing: inputs, constants, one line per step with its result's type, and the outputs.</summary>
    public override string ToString()
    {
        var inv = CultureInfo.InvariantCulture;
        string T(int s) => Shapes.Show(types[s].Shape) + " " + types[s].DType.Name();
        var sb = new StringBuilder();
        sb.Append(inv, $"program: {inputs} input(s), {constants.Length} constant(s), {steps.Length} step(s) ");
        sb.Append(inv, $"({recorded} recorded, {shared} shared as common subexpressions, ");
        sb.Append(inv, $"{recorded - shared - joined - steps.Length} removed as dead code, {joined} joined into ");
        sb.Append(inv, $"one-pass chain rules; {ScalarSteps} as compiled scalar ");
        sb.Append(inv, $"code, in {scalar.Length} run(s))\n");
        var (kernelSteps, fused) = KernelSteps;
        int computed = items.Count(i => i.Does == Does.Compute);
        sb.Append(inv, $"memory plan: {buffers.Length} buffer(s) of {PlanBytes} bytes per concurrent caller, reused ");
        sb.Append(inv, $"by liveness; {fresh.Length} output buffer(s) new each call; ");
        sb.Append(inv, $"{kernelSteps} step(s) by kernels ");
        sb.Append(inv, $"into buffers, {fused} of them in fused loops; {computed} by their op's Compute\n");
        for (int i = 0; i < inputs; i++) sb.Append(inv, $"  %{i} = input {i} : {T(i)}\n");
        foreach (var (slot, value) in constants)
        {
            var shown = value.Count == 1 ? value.Element(0).ToString("G6", inv) : $"{value.Count} elements";
            sb.Append(inv, $"  %{slot} = constant {shown} : {T(slot)}\n");
        }
        foreach (var item in items)
        {
            if (item.Code is { } run)
            {
                sb.Append(inv, $"  scalar code, {run.End - run.Start} step(s) on {run.DType.Name()} locals in ");
                sb.Append(inv, $"{run.Methods} method(s), from here to %{steps[run.End - 1].Result}:\n");
            }
            else if (item.Does == Does.Kernels && item.End - item.First > 1)
            {
                sb.Append(inv, $"  fused loop, {item.End - item.First} step(s) over {item.Count} elements");
                sb.Append(item.Block < item.Count ? $" in blocks of {item.Block}" : " in one block");
                sb.Append(inv, $", from here to %{steps[item.End - 1].Result}:\n");
            }
            for (int k = item.First; k < item.End; k++)
            {
                var (op, args, result) = steps[k];
                sb.Append(inv, $"  %{result} = {op}({string.Join(", ", args.Select(a => "%" + a))}) : {T(result)}");
                if (item.Does == Does.Compute) sb.Append(" (by its op's Compute)");
                if (item.Does == Does.Alias) sb.Append(inv, $" (shares %{root[result]}'s buffer)");
                sb.Append('\n');
            }
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
