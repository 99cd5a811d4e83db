using FuncGrad.Kernels;
using System.Numerics;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace FuncGrad;

/// <summary>
/// An elementwise op of one argument, defined by its kernel and its derivative dy/dx stated once;
/// the VJP (g·dy/dx) and the JVP (dx·dy/dx) both follow from it.
/// </summary>
/// <param name="name">Shown in graphs.</param>
/// <param name="compute">The value on a plain tensor, usually <see cref="Elementwise.Map{K}"/>.</param>
/// <param name="derivative">dy/dx from the argument x and the output y, with differentiable ops (may broadcast, e.g. a
/// scalar).</param>
/// <param name="chain">Optional: g·dy/dx (from g, x, y) in one pass, for plain tensors of one shape. It
/// saves the derivative's intermediates, and must round exactly as <c>g * derivative(x, y)</c> does.</param>
/// <param name="onDevice">Optional: the value on another device's backend, where it is not the backend's elementwise
/// op of this name (a parameter such as Pow's exponent).</param>
internal sealed class UnaryOp(string name, Func<Tensor, Tensor> compute, Func<Tensor, Tensor, Tensor> derivative,
    Func<Tensor, Tensor, Tensor, Tensor>? chain = null, Func<Backend, Tensor, Tensor?>? onDevice = null) : Op
{
    public override string Name => name;
    public override Tensor Compute(Tensor[] x) => compute(x[0]);
    internal override Tensor? ComputeOn(Backend b, Tensor[] x) =>
        onDevice is null ? b.Unary(name, x[0]) : onDevice(b, x[0]);
    public override bool ReadsValuesOnly => true;
    public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs) => [Chain(g, x[0], y)];
    public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y) => Chain(dx[0]!, x[0], y);
    public override (Tensor, int?) Batch(Tensor[] x, int?[] axes, int size) => Batching.Elementwise(this, x, axes);

    // Where compute is Elementwise.Map<K>, one element is Elementwise.Scalar<K, T>: the same call in scalar code.
    private readonly Type? kernel = compute.Method is { IsGenericMethod: true } m
        && m.GetGenericMethodDefinition() == Elementwise.MapMethod ? m.GetGenericArguments()[0] : null;

    internal override ScalarForm? Scalar(Type t) =>
        kernel is null ? null : new ScalarForm(Elementwise.ScalarMethod.MakeGenericMethod(kernel, t));

    internal override StepKernel? Kernel(StepTypes s) => kernel is null || !s.OneDType ? null
        : (StepKernel)Activator.CreateInstance(typeof(MapKernel<,>).MakeGenericType(kernel,
            s.DType == DType.Float64 ? typeof(double) : typeof(float)), s.Args[0], s.Result, s.Count)!;

    // With tags (a higher order in progress) the composite runs, so the rule stays differentiable.
    private Tensor Chain(Tensor g, Tensor x, Tensor y) =>
        chain is not null && g.IsPlain && x.IsPlain && y.IsPlain && Shapes.Same(g.shape, y.shape)
            && !g.OnDevice && !x.OnDevice && !y.OnDevice
            ? chain(g, x, y)
            : g * derivative(x, y);
}

/// <summary>
/// An elementwise op of two broadcasting arguments, defined by its kernel and its two partial
/// derivatives stated once (null meaning the constant 1). The VJP sums each partial back to its
/// argument's shape; the JVP adds the tangents' contributions.
/// </summary>
/// <remarks><paramref name="onDevice"/>, where given, is the value on another device's backend, for an op that is not
/// the backend's elementwise op of this name. <paramref name="chain"/>, where given, is (g·∂y/∂a, g·∂y/∂b) from (g, a,
/// b, y) in one pass, for plain tensors all of one shape: it saves the partials' intermediates, and must round exactly
/// as <c>g * da(a, b, y)</c> and <c>g * db(a, b, y)</c> do (the rules stay what higher orders differentiate).</remarks>
internal sealed class BinaryOp<K>(string name,
    Func<Tensor, Tensor, Tensor, Tensor?> da, Func<Tensor, Tensor, Tensor, Tensor?> db,
    Func<Backend, Tensor, Tensor, Tensor?>? onDevice = null,
    Func<Tensor, Tensor, Tensor, Tensor, (Tensor Da, Tensor Db)>? chain = null) : Op where K : IBinaryKernel
{
    public override string Name => name;
    public override Tensor Compute(Tensor[] x) => Elementwise.Zip<K>(x[0], x[1], name);
    internal override Tensor? ComputeOn(Backend b, Tensor[] x)
    {
        Elementwise.SameDType(x[0], x[1], name);
        return onDevice is null ? b.Binary(name, x[0], x[1]) : onDevice(b, x[0], x[1]);
    }
    public override bool ReadsValuesOnly => true;

    public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs)
    {
        // With tags (a higher order in progress) the composite runs, so the rules stay differentiable.
        if (chain is not null && g.IsPlain && x[0].IsPlain && x[1].IsPlain && y.IsPlain
            && !g.OnDevice && !x[0].OnDevice && !x[1].OnDevice && !y.OnDevice && y.Count > 1
            && Shapes.Same(g.shape, y.shape) && Shapes.Same(x[0].shape, y.shape) && Shapes.Same(x[1].shape, y.shape))
        {
            var (ga, gb) = chain(g, x[0], x[1], y);
            return [needs[0] ? ga : null, needs[1] ? gb : null];
        }
        return
        [
            needs[0] ? Times(g, da(x[0], x[1], y)).SumTo(x[0].shape) : null,
            needs[1] ? Times(g, db(x[0], x[1], y)).SumTo(x[1].shape) : null,
        ];
    }

    public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y)
    {
        Tensor? a = dx[0] is null ? null : Times(dx[0]!, da(x[0], x[1], y));
        Tensor? b = dx[1] is null ? null : Times(dx[1]!, db(x[0], x[1], y));
        var sum = a is null ? b! : b is null ? a : a + b;
        return sum.BroadcastTo(y.shape);
    }

    private static Tensor Times(Tensor t, Tensor? factor) => factor is null ? t : t * factor;

    internal override ScalarForm? Scalar(Type t) =>
        new ScalarForm(Elementwise.OneMethod.MakeGenericMethod(typeof(K), t));

    internal override StepKernel? Kernel(StepTypes s) => !s.OneDType ? null
        : s.DType == DType.Float64 ? new ZipKernel<K, double>(s) : new ZipKernel<K, float>(s);

    public override (Tensor, int?) Batch(Tensor[] x, int?[] axes, int size) => Batching.Elementwise(this, x, axes);
}

/// <summary>How a broadcasting elementwise op reads its arguments (<see cref="Elementwise.PathOf"/>).</summary>
internal enum ZipPath : byte { One, Both, ScalarB, ScalarA, RowsB, RowsA, Expand }

/// <summary>A compiled program's step of a <see cref="UnaryOp"/> over <see cref="Elementwise.Map{K}"/>: the calls
/// Map makes, on any range of the elements.</summary>
internal sealed class MapKernel<K, T>(int x, int y, int count) : StepKernel
    where K : IUnaryKernel where T : unmanaged, IFloatingPointIeee754<T>
{
    internal override int Row => count == 1 ? 0 : 1;

    internal override void Run(Frame f, int lo, int hi)
    {
        if (count == 1) f.Array<T>(y)[0] = Elementwise.Scalar<K, T>(f.Array<T>(x)[0]);
        else K.Run(f.In<T>(x, lo, hi), f.Out<T>(y, lo, hi));
    }
}

/// <summary>A compiled program's step of a <see cref="BinaryOp{K}"/>: the calls Zip makes, on any range of the
/// elements (whole rows where an argument repeats as rows).</summary>
internal sealed class ZipKernel<K, T>(StepTypes s) : StepKernel
    where K : IBinaryKernel where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int a = s.Args[0], b = s.Args[1], y = s.Result, count = s.Count;
    private readonly int ac = s.ArgCount(0), bc = s.ArgCount(1);
    private readonly int[] aShape = s.ArgShape(0), bShape = s.ArgShape(1), shape = s.Shape;
    private readonly ZipPath path = Elementwise.PathOf(s.ArgShape(0), s.ArgShape(1), s.Shape);

    internal override int Row => path switch
    {
        ZipPath.One or ZipPath.Expand => 0,
        ZipPath.RowsB => bc,
        ZipPath.RowsA => ac,
        _ => 1,
    };

    internal override void Run(Frame f, int lo, int hi)
    {
        if (path == ZipPath.One) f.Array<T>(y)[0] = Elementwise.One<K, T>(f.Array<T>(a)[0], f.Array<T>(b)[0]);
        else Elementwise.ZipRange<K, T>(path, f.In<T>(a, 0, ac), aShape, f.In<T>(b, 0, bc), bShape, shape,
            f.Out<T>(y, 0, count), lo, hi);
    }
}

/// <summary>Runs elementwise kernels over plain tensors, broadcasting as NumPy does.</summary>
internal static class Elementwise
{
    // Both entry points keep their arguments alive until the kernel is done, as Op.Apply does: rules call
    // them directly, and an argument collected meanwhile would send its array back to the pool.
    internal static Tensor Map<K>(Tensor x) where K : IUnaryKernel
    {
        var y = x.DType == DType.Float64 ? Map<K, double>(x) : Map<K, float>(x);
        GC.KeepAlive(x);
        return y;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loops: skip tier-0 code
    private static Tensor Map<K, T>(Tensor x) where K : IUnaryKernel where T : unmanaged, IFloatingPointIeee754<T>
    {
        int count = x.Count;
        if (count == 1) return Tensor.PlainScalar(x.shape, Scalar<K, T>(x.Span<T>()[0]));
        var y = Storage.Uninitialized<T>(count, out var lease);
        int n = PartsOf(count, PartUnit);
        if (n <= 1) K.Run(x.Span<T>(), y);
        else MapParts<K, T>(x.Buffer<T>(), y, count, n);
        return Tensor.Plain(x.shape, y, lease);
    }

    // Apart, so that the closure is made only where the work is split.
    private static void MapParts<K, T>(T[] x, T[] y, int count, int parts)
        where K : IUnaryKernel where T : unmanaged, IFloatingPointIeee754<T> =>
        Workers.For(parts, p =>
        {
            var (lo, hi) = PartOf(count, PartUnit, parts, p);
            K.Run<T>(x.AsSpan(lo, hi - lo), y.AsSpan(lo, hi - lo));
        });

    internal static Tensor Zip<K>(Tensor a, Tensor b, string op) where K : IBinaryKernel
    {
        SameDType(a, b, op);
        var shape = Shapes.Broadcast(a.shape, b.shape, op);
        var d = a.DType == DType.Float64 ? Zip<K, double>(a, b, shape) : Zip<K, float>(a, b, shape);
        GC.KeepAlive(a);
        GC.KeepAlive(b);
        return d;
    }

    private static Tensor Zip<K, T>(Tensor a, Tensor b, int[] shape)
        where K : IBinaryKernel where T : unmanaged, IFloatingPointIeee754<T>
    {
        var path = PathOf(a.shape, b.shape, shape);
        // one element each (a scalar chain): no array, the result is kept inline
        if (path == ZipPath.One) return Tensor.PlainScalar(shape, One<K, T>(a.Span<T>()[0], b.Span<T>()[0]));
        int count = Shapes.Count(shape, "broadcast");
        var d = Storage.Uninitialized<T>(count, out var lease);
        T[] av = a.Buffer<T>(), bv = b.Buffer<T>();
        int[] aShape = a.shape, bShape = b.shape;
        if (path == ZipPath.Expand)
        {
            // Expanded first (the broadcast argument as a full tensor), the kernel then runs as on two full ones.
            if (!Shapes.Same(shape, aShape)) (av, aShape) = (Expand<T>(av, aShape, shape), shape);
            if (!Shapes.Same(shape, bShape)) (bv, bShape) = (Expand<T>(bv, bShape, shape), shape);
            path = ZipPath.Both;
        }
        // A repeated row is one kernel call: parts hold whole rows.
        int unit = path == ZipPath.RowsB ? bv.Length : path == ZipPath.RowsA ? av.Length : PartUnit;
        int n = PartsOf(count, unit);
        if (n <= 1) ZipRange<K, T>(path, av, aShape, bv, bShape, shape, d, 0, count);
        else ZipParts<K, T>(path, av, aShape, bv, bShape, shape, d, count, unit, n);
        return Tensor.Plain(shape, d, lease);
    }

    private static void ZipParts<K, T>(ZipPath path, T[] a, int[] aShape, T[] b, int[] bShape, int[] shape, T[] d,
        int count, int unit, int parts) where K : IBinaryKernel where T : unmanaged, IFloatingPointIeee754<T> =>
        Workers.For(parts, p =>
        {
            var (lo, hi) = PartOf(count, unit, parts, p);
            ZipRange<K, T>(path, a, aShape, b, bShape, shape, d, lo, hi);
        });

    /// <summary>Elements per part below which elementwise work stays on one thread: where a part is shorter, waking
    /// a second core costs about what it saves (LibTorch's grain is the same).</summary>
    internal const int Grain = 32768;

    /// <summary>
    /// Where the parts of an elementwise result start: multiples of 128 elements (and of a repeated row's length), as
    /// a compiled program's blocks do. A part's kernel call then leaves the same elements to each vector loop, scalar
    /// tail and group of Kernels/Lanes.cs as one call over the whole result: the bits do not depend on the number of
    /// parts, so not on the number of cores.
    /// </summary>
    internal const int PartUnit = 128;

    /// <summary>How many parts <paramref name="count"/> elements are split into, at multiples of
    /// <paramref name="unit"/> (0: not at all): one per core, each at least <see cref="Grain"/> elements, or as many
    /// as <see cref="Workers.Forced"/> says (tests); 1 stays on this thread.</summary>
    internal static int PartsOf(long count, long unit)
    {
        if (unit <= 0 || count <= 0) return 1;
        long units = (count + unit - 1) / unit;
        if (Workers.Forced is int forced) return (int)Math.Min(forced, units);
        if (count < 2 * Grain) return 1;
        return (int)Math.Max(1, Math.Min(Math.Min(Environment.ProcessorCount, count / Grain), units));
    }

    /// <summary>Part <paramref name="p"/> of <paramref name="parts"/> of <paramref name="count"/> elements: whole
    /// units, the last part taking the remainder.</summary>
    internal static (int Lo, int Hi) PartOf(int count, long unit, int parts, int p)
    {
        long units = (count + unit - 1) / unit;
        int lo = (int)Math.Min(count, units * p / parts * unit);
        int hi = p == parts - 1 ? count : (int)Math.Min(count, units * (p + 1) / parts * unit);
        return (lo, hi);
    }

    /// <summary>How a broadcasting elementwise op reads its arguments: chosen from the shapes alone, by eager
    /// evaluation and compiled programs alike.</summary>
    internal static ZipPath PathOf(int[] a, int[] b, int[] shape)
    {
        int count = Shapes.Count(shape, "broadcast"), ac = Shapes.Count(a, "broadcast");
        int bc = Shapes.Count(b, "broadcast");
        if (count == 1 && ac == 1 && bc == 1) return ZipPath.One;
        bool aFull = ReferenceEquals(shape, a) || Shapes.Same(shape, a);
        bool bFull = ReferenceEquals(shape, b) || Shapes.Same(shape, b);
        if (aFull && bFull) return ZipPath.Both;
        if (aFull && bc == 1) return ZipPath.ScalarB;
        if (bFull && ac == 1) return ZipPath.ScalarA;
        if (aFull && Trailing(b, shape)) return ZipPath.RowsB; // a bias row
        if (bFull && Trailing(a, shape)) return ZipPath.RowsA;
        return ZipPath.Expand;
    }

    /// <summary>
    /// Elements [lo, hi) of d = K(a, b) along <paramref name="path"/> (not <see cref="ZipPath.One"/>): the kernel
    /// runs on those elements of the full arguments, on a scalar argument, or row by row where an argument repeats
    /// as rows (lo and hi then multiples of its length); an argument broadcast otherwise is expanded, and the whole
    /// of d is written.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loops: skip tier-0 code
    internal static void ZipRange<K, T>(ZipPath path, ReadOnlySpan<T> a, int[] aShape, ReadOnlySpan<T> b,
        int[] bShape, int[] shape, Span<T> d, int lo, int hi)
        where K : IBinaryKernel where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (path)
        {
            case ZipPath.Both:
                K.Run(a[lo..hi], b[lo..hi], d[lo..hi]);
                break;
            case ZipPath.ScalarB:
                K.Run(a[lo..hi], b[0], d[lo..hi]);
                break;
            case ZipPath.ScalarA:
                K.Run(a[0], b[lo..hi], d[lo..hi]);
                break;
            case ZipPath.RowsB:
                for (int r = lo, n = b.Length; r < hi; r += n) K.Run(a.Slice(r, n), b, d.Slice(r, n));
                break;
            case ZipPath.RowsA:
                for (int r = lo, n = a.Length; r < hi; r += n) K.Run(a, b.Slice(r, n), d.Slice(r, n));
                break;
            default:
                bool aFull = Shapes.Same(shape, aShape), bFull = Shapes.Same(shape, bShape);
                K.Run<T>(aFull ? a : Expand(a, aShape, shape), bFull ? b : Expand(b, bShape, shape), d);
                break;
        }
    }

    // The two functions below compute one element, for the eager path and for compiled scalar code (ScalarCode.cs)
    // alike. Never inlined, so both run the same machine code: inlined, the JIT may order a commutative operation's
    // operands differently per caller, and where both are NaN the hardware returns the first one's sign and payload.

    /// <summary>K on one element. Compiled fully optimised at its first call: a formula's scalar form is dozens of
    /// small calls until inlined, and tier-0 code would run them one by one for the first hundreds of calls.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    internal static T Scalar<K, T>(T x) where K : IUnaryKernel where T : unmanaged, IFloatingPointIeee754<T>
        => K.Scalar(x);

    /// <summary>K on one element each (compiled fully optimised, as <see cref="Scalar{K, T}"/>).</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    internal static T One<K, T>(T a, T b) where K : IBinaryKernel where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> one = stackalloc T[1];
        K.Run(new ReadOnlySpan<T>(in a), new ReadOnlySpan<T>(in b), one);
        return one[0];
    }

    internal static readonly MethodInfo ScalarMethod = typeof(Elementwise).GetMethod(nameof(Scalar),
        BindingFlags.NonPublic | BindingFlags.Static)!;

    internal static readonly MethodInfo OneMethod = typeof(Elementwise).GetMethod(nameof(One),
        BindingFlags.NonPublic | BindingFlags.Static)!;

    internal static readonly MethodInfo MapMethod = typeof(Elementwise)
        .GetMethods(BindingFlags.NonPublic | BindingFlags.Static)
        .Single(m => m.Name == nameof(Map) && m.GetGenericArguments().Length == 1);

    /// <summary>Whether <paramref name="small"/>, less leading 1s, is the trailing part of <paramref name="shape"/>: a
    /// row repeated.</summary>
    private static bool Trailing(int[] small, int[] shape)
    {
        int lead = 0;
        while (lead < small.Length && small[lead] == 1) lead++;
        int k = small.Length - lead;
        if (k == 0 || k > shape.Length) return false;
        for (int i = 0; i < k; i++)
            if (small[lead + i] != shape[shape.Length - k + i]) return false;
        return true;
    }

    /// <summary>An array for a kernel that writes every element: large ones skip the runtime's zeroing.</summary>
    internal static T[] Uninitialized<T>(int n) where T : unmanaged => GC.AllocateUninitializedArray<T>(n);

    /// <summary>The values of plain <paramref name="x"/> repeated to <paramref name="shape"/>.</summary>
    internal static T[] Expand<T>(Tensor x, int[] shape) where T : unmanaged => Expand(x.Span<T>(), x.shape, shape);

    /// <summary>The values <paramref name="x"/> of shape <paramref name="from"/> repeated to
    /// <paramref name="shape"/>.</summary>
    internal static T[] Expand<T>(ReadOnlySpan<T> x, int[] from, int[] shape) where T : unmanaged
    {
        var d = Uninitialized<T>(Shapes.Count(shape, "broadcastTo"));
        Strided.Gather(x, 0, shape, Strided.BroadcastStrides(from, shape), d);
        return d;
    }

    internal static void SameDType(Tensor a, Tensor b, string op)
    {
        if (a.DType != b.DType)
            throw new DTypeMismatchException(
                $"{op}: cannot combine {Shapes.Show(a)} with {Shapes.Show(b)}; dtypes are never mixed silently. "
                + $"Convert one with ToDType(DType.{a.DType})");
    }
}
