using System.Runtime.CompilerServices;

namespace FuncGrad.Kernels;

/// <summary>
/// Element conversions between dtypes, as <see cref="Tensor.ToDType"/> and the typed readers make them: floats to
/// integers truncate toward zero, and a NaN, an infinity or a value out of the integer's range is an error rather
/// than whatever the processor makes of it; anything to bool is "not zero" (a NaN is true, as in PyTorch); bool is
/// 0 or 1; integers to floats round to nearest; int64 to int32 checks the range.
/// </summary>
internal static class Cast
{
    /// <summary>The elements of <paramref name="x"/> (a plain managed tensor) as a new array of
    /// <paramref name="to"/>'s element type; <paramref name="op"/> names the caller in errors.</summary>
    internal static Array Convert(Tensor x, DType to, string op) => x.DType switch
    {
        DType.Float64 => From(x.Span<double>(), to, op),
        DType.Float32 => From(x.Span<float>(), to, op),
        DType.Int64 => From(x.Span<long>(), to, op),
        DType.Int32 => From(x.Span<int>(), to, op),
        _ => From(x.Span<bool>(), to, op),
    };

    /// <summary>The elements of <paramref name="x"/> as <typeparamref name="T"/>.</summary>
    internal static T[] To<T>(Tensor x, string op) where T : unmanaged =>
        (T[])Convert(x, DTypeExtensions.Of<T>(), op);

    private static Array From<TS>(ReadOnlySpan<TS> s, DType to, string op) where TS : unmanaged => to switch
    {
        DType.Float64 => Map<TS, double>(s, op),
        DType.Float32 => Map<TS, float>(s, op),
        DType.Int64 => Map<TS, long>(s, op),
        DType.Int32 => Map<TS, int>(s, op),
        _ => Map<TS, bool>(s, op),
    };

    private static TT[] Map<TS, TT>(ReadOnlySpan<TS> s, string op) where TS : unmanaged where TT : unmanaged
    {
        var d = new TT[s.Length];
        for (int i = 0; i < s.Length; i++) d[i] = One<TS, TT>(s[i], i, op);
        return d;
    }

    // typeof tests on value types fold away in each instantiation: one conversion per pair remains.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TT One<TS, TT>(TS v, int i, string op) where TS : unmanaged where TT : unmanaged
    {
        if (typeof(TS) == typeof(TT)) return Unsafe.As<TS, TT>(ref v);
        if (typeof(TT) == typeof(bool))
        {
            bool b = typeof(TS) == typeof(double) ? Unsafe.As<TS, double>(ref v) != 0
                : typeof(TS) == typeof(float) ? Unsafe.As<TS, float>(ref v) != 0
                : typeof(TS) == typeof(long) ? Unsafe.As<TS, long>(ref v) != 0
                : Unsafe.As<TS, int>(ref v) != 0;
            return Unsafe.As<bool, TT>(ref b);
        }
        if (typeof(TS) == typeof(bool)) return FromLong<TT>(Unsafe.As<TS, bool>(ref v) ? 1 : 0);
        if (typeof(TS) == typeof(long)) return FromLong<TT>(Unsafe.As<TS, long>(ref v), i, op);
        if (typeof(TS) == typeof(int)) return FromLong<TT>(Unsafe.As<TS, int>(ref v));
        // a float source
        if (typeof(TT) == typeof(double))
        {
            double d = Unsafe.As<TS, float>(ref v);
            return Unsafe.As<double, TT>(ref d);
        }
        if (typeof(TT) == typeof(float))
        {
            float f = (float)Unsafe.As<TS, double>(ref v);
            return Unsafe.As<float, TT>(ref f);
        }
        double x = typeof(TS) == typeof(double) ? Unsafe.As<TS, double>(ref v) : Unsafe.As<TS, float>(ref v);
        double t = Math.Truncate(x);
        if (typeof(TT) == typeof(long))
        {
            // 2^63 is exact in a double; every double below it in magnitude truncates into range
            if (!(t >= -9223372036854775808.0 && t < 9223372036854775808.0)) throw OutOfRange(x, i, DType.Int64, op);
            long l = (long)t;
            return Unsafe.As<long, TT>(ref l);
        }
        if (!(t >= int.MinValue && t <= int.MaxValue)) throw OutOfRange(x, i, DType.Int32, op);
        int n = (int)t;
        return Unsafe.As<int, TT>(ref n);
    }

    /// <summary>An integer (or bool as 0/1) as <typeparamref name="TT"/>, which is not bool.</summary>
    private static TT FromLong<TT>(long l, int i = 0, string op = "") where TT : unmanaged
    {
        if (typeof(TT) == typeof(double)) { double d = l; return Unsafe.As<double, TT>(ref d); }
        if (typeof(TT) == typeof(float)) { float f = l; return Unsafe.As<float, TT>(ref f); }
        if (typeof(TT) == typeof(long)) return Unsafe.As<long, TT>(ref l);
        if (l < int.MinValue || l > int.MaxValue) throw OutOfRange(l, i, DType.Int32, op);
        int n = (int)l;
        return Unsafe.As<int, TT>(ref n);
    }

    private static OverflowException OutOfRange(double v, int i, DType to, string op) => new(
        $"{op}: element {i} is {v}, which {to.Name()} cannot hold (" +
        (double.IsNaN(v) ? "NaN has no integer value" : double.IsInfinity(v) ? "an infinity" : "out of its range") +
        "); clamp or mask the values first, or keep a float dtype");
}
