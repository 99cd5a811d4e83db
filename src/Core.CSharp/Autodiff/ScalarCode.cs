using System.Reflection;
using System.Reflection.Emit;

namespace FuncGrad;

/// <summary>
/// An op on one-element values as scalar code: its arguments, then <paramref name="Number"/> (if any) as a constant
/// of the element type, are pushed, and <paramref name="Call"/> (a static method) is called, or else
/// <paramref name="Instruction"/> (such as <c>mul</c>) is emitted.
/// </summary>
internal readonly record struct ScalarForm(MethodInfo? Call, OpCode? Instruction = null, double? Number = null);

/// <summary>
/// A run of consecutive program steps on one-element values of one dtype, emitted as IL into dynamic methods and
/// compiled by .NET's JIT: each value is a local <c>double</c> (or <c>float</c>) and each step calls what the eager
/// path calls for one element (<see cref="Op.Scalar"/>), in the program's order, so the results are the eager ones,
/// bit for bit. Long runs are split into methods of at most <see cref="ChunkSteps"/> steps (the JIT slows down, then
/// stops optimising, on huge methods); values that cross from one method to another go through an array of slots,
/// made per call, so any number of threads may run the code at once. Nothing recurses over the program.
/// </summary>
internal sealed class ScalarCode
{
    /// <summary>The most steps in one generated method.</summary>
    internal const int ChunkSteps = 1000;

    /// <summary>The fewest steps worth a run: a single step runs as fast by its Compute.</summary>
    internal const int MinSteps = 2;

    internal readonly int Start, End; // the steps [Start, End) of the program
    internal readonly DType DType;
    internal int Methods => chunks.Length;

    /// <summary>The slots the run writes: its values that later steps or the outputs read.</summary>
    internal IEnumerable<int> Outs => outs.Select(o => o.Slot);
    private readonly (int Slot, int Index)[] ins;
    private readonly (int Slot, int Index)[] outs;
    private readonly int buffer;
    private readonly Delegate[] chunks; // Action<double[]> or Action<float[]>

    private ScalarCode(int start, int end, DType dtype, (int, int)[] ins, (int, int)[] outs, int buffer,
        Delegate[] chunks)
    {
        (Start, End, DType, this.ins, this.outs, this.buffer, this.chunks) = (start, end, dtype, ins, outs, buffer,
            chunks);
    }

    /// <summary>A step's scalar form, where it can be scalar code: every argument and its result one element of one
    /// dtype, and an op with a scalar form. Forms are looked up (by reflection) once per op and dtype.</summary>
    private static ScalarForm? Form((Op Op, int[] Args, int Result) step, (int[] Shape, DType DType)[] types,
        Dictionary<(Op, DType), ScalarForm?> known)
    {
        var (shape, dtype) = types[step.Result];
        if (!OneElement(shape) || !dtype.IsFloat()) return null;
        foreach (var a in step.Args)
            if (types[a].DType != dtype || !OneElement(types[a].Shape)) return null;
        if (!known.TryGetValue((step.Op, dtype), out var form))
            known.Add((step.Op, dtype), form = step.Op.Scalar(dtype == DType.Float64 ? typeof(double) : typeof(float)));
        return form;
    }

    private static bool OneElement(int[] shape)
    {
        foreach (var d in shape)
            if (d != 1) return false;
        return true;
    }

    /// <summary>
    /// The maximal runs of eligible steps (of one dtype, at least <see cref="MinSteps"/> long) of a program, compiled.
    /// <paramref name="last"/> is, per slot, the last step that reads it (<see cref="int.MaxValue"/> for an output);
    /// <paramref name="constants"/> are baked into the code.
    /// </summary>
    internal static ScalarCode[] Find((Op Op, int[] Args, int Result)[] steps, (int[] Shape, DType DType)[] types,
        int[] last, IReadOnlyDictionary<int, Tensor> constants)
    {
        var runs = new List<ScalarCode>();
        var known = new Dictionary<(Op, DType), ScalarForm?>();
        var forms = new ScalarForm?[steps.Length];
        for (int k = 0; k < steps.Length; k++) forms[k] = Form(steps[k], types, known);
        for (int k = 0; k < steps.Length;)
        {
            if (forms[k] is null) { k++; continue; }
            var dtype = types[steps[k].Result].DType;
            int end = k + 1;
            while (end < steps.Length && forms[end] is not null && types[steps[end].Result].DType == dtype) end++;
            if (end - k >= MinSteps)
                runs.Add(dtype == DType.Float64
                    ? Build<double>(steps, forms, types, last, constants, k, end, DType.Float64)
                    : Build<float>(steps, forms, types, last, constants, k, end, DType.Float32));
            k = end;
        }
        return runs.ToArray();
    }

    private static ScalarCode Build<T>((Op Op, int[] Args, int Result)[] steps, ScalarForm?[] forms,
        (int[] Shape, DType DType)[] types, int[] last, IReadOnlyDictionary<int, Tensor> constants, int start, int end,
        DType dtype) where T : unmanaged
    {
        var t = typeof(T);
        // Every value that crosses into or out of a method has a slot of the array.
        var index = new Dictionary<int, int>();
        int Index(int slot)
        {
            if (!index.TryGetValue(slot, out int i)) index.Add(slot, i = index.Count);
            return i;
        }
        var defined = new HashSet<int>();
        for (int k = start; k < end; k++) defined.Add(steps[k].Result);
        var ins = new List<(int, int)>();
        for (int k = start; k < end; k++)
            foreach (var a in steps[k].Args)
                if (!defined.Contains(a) && !constants.ContainsKey(a) && !index.ContainsKey(a)) ins.Add((a, Index(a)));

        var chunks = new List<Delegate>();
        bool wide = t == typeof(double);
        for (int c = start; c < end; c += ChunkSteps)
        {
            int cEnd = Math.Min(end, c + ChunkSteps);
            var method = new DynamicMethod("scalar", typeof(void), [t.MakeArrayType()], typeof(ScalarCode).Module,
                skipVisibility: true);
            var il = method.GetILGenerator();
            // Locals are reused once their value is dead, so a chain needs a handful however long it is.
            var locals = new Dictionary<int, LocalBuilder>();
            var free = new Stack<LocalBuilder>();
            LocalBuilder Local() => free.TryPop(out var v) ? v : il.DeclareLocal(t);
            for (int k = c; k < cEnd; k++)
            {
                var (_, args, result) = steps[k];
                // arguments from an earlier method, or from before the run, are loaded once into a local
                foreach (var a in args)
                    if (!constants.ContainsKey(a) && !locals.ContainsKey(a))
                    {
                        var v = Local();
                        il.Emit(OpCodes.Ldarg_0);
                        il.Emit(OpCodes.Ldc_I4, index[a]);
                        il.Emit(wide ? OpCodes.Ldelem_R8 : OpCodes.Ldelem_R4);
                        il.Emit(OpCodes.Stloc, v);
                        locals.Add(a, v);
                    }
                foreach (var a in args)
                    if (constants.TryGetValue(a, out var value))
                    {
                        if (wide) il.Emit(OpCodes.Ldc_R8, value.Span<double>()[0]);
                        else il.Emit(OpCodes.Ldc_R4, value.Span<float>()[0]);
                    }
                    else il.Emit(OpCodes.Ldloc, locals[a]);
                var form = forms[k]!.Value;
                if (form.Number is { } n)
                {
                    if (wide) il.Emit(OpCodes.Ldc_R8, n);
                    else il.Emit(OpCodes.Ldc_R4, (float)n);
                }
                if (form.Call is { } call) il.Emit(OpCodes.Call, call);
                else il.Emit(form.Instruction!.Value);
                foreach (var a in args.Distinct())
                    if (last[a] == k && locals.Remove(a, out var dead)) free.Push(dead);
                var y = Local();
                il.Emit(OpCodes.Stloc, y);
                locals.Add(result, y);
                if (last[result] >= cEnd)
                {
                    il.Emit(OpCodes.Ldarg_0);
                    il.Emit(OpCodes.Ldc_I4, Index(result));
                    il.Emit(OpCodes.Ldloc, y);
                    il.Emit(wide ? OpCodes.Stelem_R8 : OpCodes.Stelem_R4);
                }
            }
            il.Emit(OpCodes.Ret);
            chunks.Add(method.CreateDelegate(typeof(Action<>).MakeGenericType(t.MakeArrayType())));
        }
        var outs = new List<(int, int)>();
        for (int k = start; k < end; k++)
            if (steps[k].Result is var r && last[r] >= end) outs.Add((r, index[r]));
        return new ScalarCode(start, end, dtype, ins.ToArray(), outs.ToArray(), index.Count, chunks.ToArray());
    }

    /// <summary>Runs the steps in frame <paramref name="f"/>: reads the run's inputs from their buffers, writes the
    /// values that later steps or the outputs read into theirs.</summary>
    internal void Run(Frame f)
    {
        if (DType == DType.Float64) Run<double>(f);
        else Run<float>(f);
    }

    private void Run<T>(Frame f) where T : unmanaged
    {
        var slots = new T[buffer];
        foreach (var (slot, i) in ins) slots[i] = f.Array<T>(slot)[0];
        foreach (var chunk in chunks) ((Action<T[]>)chunk)(slots);
        foreach (var (slot, i) in outs) f.Array<T>(slot)[0] = slots[i];
    }
}
