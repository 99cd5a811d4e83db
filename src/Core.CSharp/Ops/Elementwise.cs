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
internal sealed class BinaryOp<K>(string name,
    Func<Tensor, Tensor, Tensor, Tensor?> da, Func<Tensor, Tensor, Tensor, Tensor?> db) : Op where K : IBinaryKernel
{
    public override string Name => name;
    public override Tensor Compute(Tensor[] x) => Elementwise.Zip<K>(x[0], x[1], name);
    internal override Tensor? ComputeOn(Backend b, Tensor[] x)
    {
        Elementwise.SameDType(x[0], x[1], name);
        return b.Binary(name, x[0], x[1]);
    }
    public override bool ReadsValuesOnly => true;

    public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs) =>
    [
        needs[0] ? Times(g, da(x[0], x[1], y)).SumTo(x[0].shape) : null,
        needs[1] ? Times(g, db(x[0], x[1], y)).SumTo(x[1].shape) : null,
    ];

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

    public override (Tensor, int?) Batch(Tensor[] x, int?[] axes, int size) => Batching.Elementwise(this, x, axes);
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
        if (x.Count == 1) return Tensor.PlainScalar(x.shape, Scalar<K, T>(x.Span<T>()[0]));
        var y = Storage.Uninitialized<T>(x.Count, out var lease);
        K.Run(x.Span<T>(), y);
        return Tensor.Plain(x.shape, y, lease);
    }

    internal static Tensor Zip<K>(Tensor a, Tensor b, string op) where K : IBinaryKernel
    {
        SameDType(a, b, op);
        var shape = Shapes.Broadcast(a.shape, b.shape, op);
        var d = a.DType == DType.Float64 ? Zip<K, double>(a, b, shape) : Zip<K, float>(a, b, shape);
        GC.KeepAlive(a);
        GC.KeepAlive(b);
        return d;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loops: skip tier-0 code
    private static Tensor Zip<K, T>(Tensor a, Tensor b, int[] shape)
        where K : IBinaryKernel where T : unmanaged, IFloatingPointIeee754<T>
    {
        int count = Shapes.Count(shape, "broadcast");
        // one element each (a scalar chain): no array, the result is kept inline
        if (count == 1 && a.Count == 1 && b.Count == 1) return Tensor.PlainScalar(shape, One<K, T>(a.Span<T>()[0],
            b.Span<T>()[0]));
        var d = Storage.Uninitialized<T>(count, out var lease);
        bool aFull = ReferenceEquals(shape, a.shape) || Shapes.Same(shape, a.shape);
        bool bFull = ReferenceEquals(shape, b.shape) || Shapes.Same(shape, b.shape);
        if (aFull && bFull) K.Run(a.Span<T>(), b.Span<T>(), d);
        else if (aFull && b.Count == 1) K.Run(a.Span<T>(), b.Span<T>()[0], d);
        else if (bFull && a.Count == 1) K.Run(a.Span<T>()[0], b.Span<T>(), d);
        else if (aFull && Trailing(b.shape, shape))
            for (int r = 0, n = b.Count; r < d.Length; r += n) // a bias row
                K.Run(a.Span<T>().Slice(r, n), b.Span<T>(), d.AsSpan(r, n));
        else if (bFull && Trailing(a.shape, shape))
            for (int r = 0, n = a.Count; r < d.Length; r += n)
                K.Run(a.Span<T>(), b.Span<T>().Slice(r, n), d.AsSpan(r, n));
        else K.Run<T>(aFull ? a.Span<T>() : Expand<T>(a, shape), bFull ? b.Span<T>() : Expand<T>(b, shape), d);
        return Tensor.Plain(shape, d, lease);
    }

    // The two functions below compute one element, for the eager path and for compiled scalar code (ScalarCode.cs)
    // alike. Never inlined, so both run the same machine code: inlined, the JIT may order a commutative operation's
    // operands differently per caller, and where both are NaN the hardware returns the first one's sign and payload.

    /// <summary>K on one element.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static T Scalar<K, T>(T x) where K : IUnaryKernel where T : unmanaged, IFloatingPointIeee754<T>
        => K.Scalar(x);

    /// <summary>K on one element each.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
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
    internal static T[] Expand<T>(Tensor x, int[] shape) where T : unmanaged
    {
        var d = Uninitialized<T>(Shapes.Count(shape, "broadcastTo"));
        Strided.Gather(x.Span<T>(), 0, shape, Strided.BroadcastStrides(x.shape, shape), d);
        return d;
    }

    internal static void SameDType(Tensor a, Tensor b, string op)
    {
        if (a.DType != b.DType)
            throw new DTypeMismatchException(
                $"{op}: cannot combine {Shapes.Show(a)} with {Shapes.Show(b)}; dtypes are never mixed silently. "
                + $"Convert one with ToDType(DType.{(a.DType == DType.Float64 ? "Float64" : "Float32")})");
    }
}
