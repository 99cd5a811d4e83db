using System.Runtime.CompilerServices;

namespace FuncGrad;

/// <summary>
/// A differentiable operation: its value on plain tensors, its reverse rule (VJP) and its forward
/// rule (JVP). Both rules are written with FuncGrad's own ops, so they are differentiable in turn
/// and nesting gives every higher order.
/// </summary>
internal abstract class Op
{
    /// <summary>The name shown in graphs and in <c>grad_fn=</c>.</summary>
    public abstract string Name { get; }

    /// <summary>The value, on plain tensors only (no tags).</summary>
    public abstract Tensor Compute(Tensor[] x);

    /// <summary>
    /// Cotangents of the arguments given the output cotangent <paramref name="g"/>, arguments
    /// <paramref name="x"/> and output <paramref name="y"/>. Entries not in <paramref name="needs"/> may be null.
    /// </summary>
    public abstract Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs);

    /// <summary>The output tangent given argument tangents <paramref name="dx"/> (null means zero; at least one is
    /// not).</summary>
    public abstract Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y);

    /// <summary>
    /// True when <see cref="Compute"/> reads only its arguments' shapes, dtypes and storage (a kernel), so a
    /// first-order node can be passed for its value, without a plain tensor made to stand for it.
    /// </summary>
    public virtual bool ReadsValuesOnly => false;

    /// <summary>
    /// False when <see cref="Vjp"/> uses only the cotangent (and the arguments' shapes and dtypes), never
    /// their values or the output's: the reverse walk then passes the nodes as they are, without plain views.
    /// </summary>
    public virtual bool VjpReadsValues => true;

    /// <summary>
    /// The batching rule (vmap): the op run once on whole batches. <paramref name="x"/> are the arguments' values,
    /// argument i holding every example along axis <c>axes[i]</c>, or, where that is null, one value shared by every
    /// example (captured, not mapped); <paramref name="size"/> is the number of examples. Returns the output with its
    /// batch axis (null: the same for every example). Written with FuncGrad's ops, so it nests with every transform.
    /// Every op has one; the completeness test in tests/Properties/Ops/CompletenessTests.fs fails for an op without.
    /// </summary>
    public virtual (Tensor Value, int? Axis) Batch(Tensor[] x, int?[] axes, int size) =>
        throw new VmapException(
            $"vmap: the op {Name} has no batching rule; it cannot run inside vmap. " +
            "Add a Batch rule beside its VJP and JVP");

    /// <summary>
    /// The value and the JVP at once, for an op that computes both cheaper together than apart (a dual
    /// matrix-vector product reads its matrix once); null where it does not apply. Called on plain and
    /// dual primals alike, so an override checks that its arguments are plain, and gives the same
    /// values as <see cref="Compute"/> and <see cref="Jvp"/> would, bit for bit.
    /// </summary>
    public virtual (Tensor Value, Tensor Tangent)? ValueAndJvp(Tensor[] x, Tensor?[] dx) => null;

    /// <summary>
    /// What makes two applications of ops the same computation for a compiled program's common subexpressions: by
    /// default the op object itself; an op made afresh for a parameter (a number, a relation) returns a value that
    /// equals another's exactly when their <see cref="Compute"/> functions are the same.
    /// </summary>
    internal virtual object Identity => this;

    /// <summary>
    /// This op on one-element values of type <paramref name="t"/> (double or float, the arguments' and the
    /// result's), for a compiled program's scalar code (ScalarCode.cs). It must compute exactly what
    /// <see cref="Compute"/> does for one element, bit for bit, so it is the very function Compute calls for one
    /// element, or an IL instruction that provably rounds the same. Null (the default) where the op has none, and the
    /// program calls Compute for it.
    /// </summary>
    internal virtual ScalarForm? Scalar(Type t) => null;

    /// <summary>
    /// This op as a step of a compiled program (Program.cs), for arguments and a result of the slots and types in
    /// <paramref name="s"/>: a kernel that writes the result into a buffer of the program's memory plan, making the
    /// calls <see cref="Compute"/> makes, on the same lengths, so the bits are the same. Null (the default) where the
    /// op has none, and the program calls Compute for it.
    /// </summary>
    internal virtual StepKernel? Kernel(StepTypes s) => null;

    /// <summary>This op as a step of a compiled program: itself, or a twin that runs the functions it holds (a loop's
    /// body) as compiled programs in turn.</summary>
    internal virtual Op InProgram => this;

    /// <summary>True for an op whose result is its argument's storage as it is (a reshape): in a compiled program it
    /// shares its argument's buffer.</summary>
    internal virtual bool Aliases => false;

    /// <summary>
    /// True for an op that takes tensors of every dtype (layout, indexing, conversion, moves): it moves elements
    /// without computing with them. Every other op computes with floats, and <see cref="Apply"/> refuses an integer
    /// or bool argument before any kernel sees it.
    /// </summary>
    internal virtual bool AnyDType => false;

    private static DTypeMismatchException FloatsOnly(Op op, Tensor[] args)
    {
        int i = Array.FindIndex(args, a => a.DType > DType.Float32);
        var a = args[i];
        return new DTypeMismatchException(
            $"{op.Name}: computes with floating-point tensors, but " +
            $"{(args.Length == 1 ? "its argument" : $"argument {i}")} is {Shapes.Show(a)}; convert it with " +
            "ToDType(DType.Float64) or ToDType(DType.Float32) first");
    }

    public override string ToString() => Name;

    /// <summary>
    /// Runs <paramref name="op"/> on arguments that may belong to differentiations or vmaps. The innermost
    /// level (largest tag) is peeled off: the op runs on the primals one level down, then the result is
    /// wrapped as a dual (forward) or a node (reverse) of that differentiation; at a vmap level the op's
    /// batching rule runs on the whole batches instead; at a compile trace's level it is recorded.
    /// </summary>
    internal static Tensor Apply(Op op, params Tensor[] args)
    {
        long t = 0;
        Tensor? lead = null;
        foreach (var a in args)
        {
            if (a.tag > t) { t = a.tag; lead = a; }
            if (a.DType > DType.Float32 && !op.AnyDType) throw FloatsOnly(op, args);
        }
        if (t == 0) return Anomaly.live == 0 ? ComputeKeepingArgs(op, args) : Anomaly.Compute(op, args);
        if (lead!.IsTraced) return Tracing.Record(op, args, t); // a compile trace: recorded, not run
        if (lead!.IsBatched) return Batching.Apply(op, args, t); // a vmap level: the op runs once on the whole batch
        if (op.ReadsValuesOnly && !lead!.IsDual && HoldValues(args, t))
        {
            var value = Anomaly.live == 0 ? ComputeKeepingArgs(op, args) : Anomaly.Compute(op, args);
            return NoGradScope.Suppresses(t) ? value : Node(value, t, op, args);
        }

        var primals = new Tensor[args.Length];
        for (int i = 0; i < args.Length; i++) primals[i] = args[i].PrimalAt(t);

        if (lead!.IsDual)
        {
            var dx = new Tensor?[args.Length];
            for (int i = 0; i < args.Length; i++) dx[i] = args[i].tag == t ? args[i].tangent : null;
            // In anomaly mode the value and the tangent are checked apart (the fused form gives the same bits).
            if (Anomaly.live == 0 && op.ValueAndJvp(primals, dx) is var (value, tangent))
            {
                GC.KeepAlive(primals);
                GC.KeepAlive(dx);
                return Tensor.Dual(value, Checked(tangent, value, op, "JVP"), t);
            }
            var y = Apply(op, primals);
            var dy = Anomaly.live == 0 ? op.Jvp(dx, primals, y) : Anomaly.Jvp(op, dx, primals, y);
            return Tensor.Dual(y, Checked(dy, y, op, "JVP"), t);
        }
        var r = Apply(op, primals);
        return NoGradScope.Suppresses(t) ? r : Node(r, t, op, args);
    }

    /// <summary>A node of differentiation t; in anomaly mode, with where the user's code made it
    /// remembered.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Tensor Node(Tensor value, long t, Op op, Tensor[] args)
    {
        var node = Tensor.Node(value, t, op, args);
        return Anomaly.live == 0 ? node : Anomaly.Made(node);
    }

    /// <summary>
    /// The op's value. The arguments stay alive until the kernel is done: it reads their arrays, and an
    /// argument collected meanwhile would send its array back to the pool (Storage.cs).
    /// </summary>
    internal static Tensor ComputeKeepingArgs(Op op, Tensor[] args)
    {
        var y = OnDevice(args) ? Backends.Compute(op, args) : op.Compute(args);
        GC.KeepAlive(args);
        return y;
    }

    /// <summary>Whether an argument holds a device's storage: the op then runs on that device (Device.cs).</summary>
    private static bool OnDevice(Tensor[] args)
    {
        foreach (var a in args)
            if (a.OnDevice) return true;
        return false;
    }

    /// <summary>
    /// The value on arguments of a device other than managed, through <paramref name="backend"/>'s kernels; null
    /// where the backend has none, and the op then runs on managed copies (Backends.Compute).
    /// </summary>
    internal virtual Tensor? ComputeOn(Backend backend, Tensor[] x) => null;

    /// <summary>Whether every argument is plain or a node of differentiation t that holds its plain value.</summary>
    private static bool HoldValues(Tensor[] args, long t)
    {
        foreach (var a in args)
            if (a.tag != 0 && (a.tag != t || a.primal is not null)) return false;
        return true;
    }

    /// <summary>A rule that returns the wrong shape or dtype is a bug in the rule: say so at once.</summary>
    internal static Tensor Checked(Tensor d, Tensor like, Op op, string rule)
    {
        if (d.DType != like.DType || !Shapes.Same(d.shape, like.shape))
            throw new InvalidOperationException(
                $"{op.Name}: its {rule} rule returned {Shapes.Show(d)} where {Shapes.Show(like)} was expected; " +
                "the rule is wrong");
        return d;
    }
}

/// <summary>Which arguments of an op need a cotangent in this backward walk (bit i for argument i; every argument from
/// 64 on counts as needed).</summary>
internal readonly record struct Needs(ulong Bits)
{
    public bool this[int i] => i >= 64 || (Bits & (1UL << i)) != 0;
    public static readonly Needs All = new(ulong.MaxValue);
}
