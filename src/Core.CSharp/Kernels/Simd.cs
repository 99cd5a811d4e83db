using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace FuncGrad.Kernels;

/// <summary>The vector widths a kernel is compiled for, in bits; <see cref="Scalar"/> is one element at a
/// time.</summary>
internal enum Width
{
    Scalar = 1,
    V128 = 128,
    V256 = 256,
    V512 = 512,
}

/// <summary>
/// The one place that knows the instruction sets. Kernels are written once against <see cref="IVec{V, T}"/>
/// and instantiated per width; this class chooses the width once, at start-up, from what the runtime reports.
/// </summary>
internal static class Simd
{
    /// <summary>
    /// Whether a multiply-add is fused (one rounding) in hardware: FMA3 on x86, always on ARM64. Without it,
    /// every kernel multiplies and adds in two roundings rather than calling a software fma, which costs
    /// tens of nanoseconds; that is the one place where the instruction set changes a kernel's bits.
    /// </summary>
    internal static bool HasFma
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Fma.IsSupported || AdvSimd.Arm64.IsSupported;
    }

    /// <summary>Whether the machine has 32 vector registers (AVX-512, ARM64) rather than 16 (SSE, AVX2).</summary>
    internal static bool ThirtyTwoRegisters => Avx512F.IsSupported || AdvSimd.Arm64.IsSupported;

    /// <summary>The widest width the runtime accelerates: what elementwise kernels use.</summary>
    internal static readonly Width Widest =
        Vector512.IsHardwareAccelerated ? Width.V512
        : Vector256.IsHardwareAccelerated ? Width.V256
        : Vector128.IsHardwareAccelerated ? Width.V128
        : Width.Scalar;

    /// <summary>
    /// The width of the matrix products. The runtime reports 512-bit vectors as not accelerated on some
    /// AVX-512 processors (where mixed code would lower the clock, or with DOTNET_PreferredVectorBitWidth=256),
    /// but the instructions are there, and a product is one long stream of multiply-adds, the case BLAS
    /// libraries use them for. On a Zen 4 the 512-bit kernels beat the 256-bit ones (docs/performance.md);
    /// on the Intel parts the runtime flags, the clock-for-width trade is not measured yet.
    /// DOTNET_EnableAVX512=0 turns the 512-bit kernels off entirely.
    /// </summary>
    internal static readonly Width ForGemm = Avx512F.IsSupported ? Width.V512 : Widest;

    /// <summary>a·b + c, fused exactly when the vector kernels' multiply-adds are (<see cref="HasFma"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static T MulAdd<T>(T a, T b, T c) where T : unmanaged, IFloatingPointIeee754<T>
        => Fma.IsSupported || AdvSimd.Arm64.IsSupported // HasFma, spelled out so the JIT folds it on import
            ? T.FusedMultiplyAdd(a, b, c)
            : a * b + c;

    /// <summary>Asks for the cache line at p ahead of its use where the platform exposes a prefetch; ARM64's
    /// hardware prefetcher is left to find it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static unsafe void Prefetch(void* p)
    {
        if (Sse.IsSupported) Sse.Prefetch0(p);
    }
}

/// <summary>
/// One vector width seen by a kernel: V is the vector type and T its element. Every member is a single
/// operation, so a kernel written against this interface compiles, per width, to the code one would write
/// by hand for that width. The scalar width (V = T) is the same kernel one element at a time.
/// </summary>
internal unsafe interface IVec<V, T> where V : struct where T : unmanaged, IFloatingPointIeee754<T>
{
    static abstract Width Width { get; }
    static abstract int Count { get; }
    static abstract V Load(T* p);
    static abstract void Store(V v, T* p);
    static abstract V Splat(T x);
    static abstract V Add(V a, V b);
    static abstract V Sub(V a, V b);
    static abstract V Mul(V a, V b);
    static abstract V Div(V a, V b);
    /// <summary>a·b + c, fused where <see cref="Simd.HasFma"/>.</summary>
    static abstract V MulAdd(V a, V b, V c);
    static abstract V Abs(V a);
    /// <summary>All bits set in the lanes where a &lt; b.</summary>
    static abstract V LessThan(V a, V b);
    static abstract bool None(V mask);
    static abstract V Select(V mask, V ifSet, V ifClear);
    /// <summary>The sum of the lanes, in the width's own order.</summary>
    static abstract T Sum(V v);

    // special: exponent scaling for the vector exp of Kernels/Special
    /// <summary>2ⁿ in each lane, for lanes holding integers n in the normal exponent range (±1022 for float64,
    /// ±126 for float32); other lanes get unspecified values.</summary>
    static abstract V Pow2(V n);
    /// <summary>The unbiased exponent field of each lane, as a number: x = m·2^e, m in [1, 2), for normal x.</summary>
    static abstract V Exponent(V x);
    /// <summary>Each lane with the exponent field of 1 and no sign: m in [1, 2) for normal x.</summary>
    static abstract V Mantissa(V x);

    // inv: the square root of the inverse error functions' tails (correctly rounded at every width)
    static abstract V Sqrt(V x);
}

internal readonly unsafe struct W512<T> : IVec<Vector512<T>, T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static Width Width => Width.V512;
    public static int Count => Vector512<T>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Load(T* p) => Vector512.Load(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<T> v, T* p) => v.Store(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Splat(T x) => Vector512.Create(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Add(Vector512<T> a, Vector512<T> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Sub(Vector512<T> a, Vector512<T> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Mul(Vector512<T> a, Vector512<T> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Div(Vector512<T> a, Vector512<T> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> MulAdd(Vector512<T> a, Vector512<T> b, Vector512<T> c)
    {
        // Simd.HasFma, spelled out so the JIT folds it on import
        if (!(Fma.IsSupported || AdvSimd.Arm64.IsSupported)) return a * b + c;
        if (typeof(T) == typeof(float))
            return Vector512.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        return Vector512.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Abs(Vector512<T> a) => Vector512.Abs(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> LessThan(Vector512<T> a, Vector512<T> b) => Vector512.LessThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool None(Vector512<T> mask) => mask == Vector512<T>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Select(Vector512<T> m, Vector512<T> x, Vector512<T> y)
        => Vector512.ConditionalSelect(m, x, y);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Vector512<T> v) => Vector512.Sum(v);

    // special
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Pow2(Vector512<T> n) => typeof(T) == typeof(float)
        ? Vector512.ShiftLeft((n + Vector512.Create(T.CreateTruncating(Pow2Bias.Single))).As<T, int>(), 23).As<int, T>()
        : Vector512.ShiftLeft((n + Vector512.Create(T.CreateTruncating(Pow2Bias.Double))).As<T, long>(), 52)
            .As<long, T>();
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Exponent(Vector512<T> x) => typeof(T) == typeof(float)
        ? ((Vector512.ShiftRightLogical(x.As<T, int>(), 23) & Vector512.Create(0xFF)) | Vector512.Create(0x4B000000))
            .As<int, T>() - Vector512.Create(T.CreateTruncating(Pow2Bias.ExponentSingle))
        : ((Vector512.ShiftRightLogical(x.As<T, long>(), 52) & Vector512.Create(0x7FFL))
            | Vector512.Create(0x4330000000000000L)).As<long, T>()
            - Vector512.Create(T.CreateTruncating(Pow2Bias.ExponentDouble));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Mantissa(Vector512<T> x) => typeof(T) == typeof(float)
        ? ((x.As<T, int>() & Vector512.Create(0x007FFFFF)) | Vector512.Create(0x3F800000)).As<int, T>()
        : ((x.As<T, long>() & Vector512.Create(0x000FFFFFFFFFFFFFL)) | Vector512.Create(0x3FF0000000000000L))
            .As<long, T>();

    // inv: the square root of the inverse error functions' tails
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Sqrt(Vector512<T> x) => Vector512.Sqrt(x);
}

internal readonly unsafe struct W256<T> : IVec<Vector256<T>, T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static Width Width => Width.V256;
    public static int Count => Vector256<T>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Load(T* p) => Vector256.Load(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<T> v, T* p) => v.Store(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Splat(T x) => Vector256.Create(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Add(Vector256<T> a, Vector256<T> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Sub(Vector256<T> a, Vector256<T> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Mul(Vector256<T> a, Vector256<T> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Div(Vector256<T> a, Vector256<T> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> MulAdd(Vector256<T> a, Vector256<T> b, Vector256<T> c)
    {
        // Simd.HasFma, spelled out so the JIT folds it on import
        if (!(Fma.IsSupported || AdvSimd.Arm64.IsSupported)) return a * b + c;
        if (typeof(T) == typeof(float))
            return Vector256.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        return Vector256.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Abs(Vector256<T> a) => Vector256.Abs(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> LessThan(Vector256<T> a, Vector256<T> b) => Vector256.LessThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool None(Vector256<T> mask) => mask == Vector256<T>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Select(Vector256<T> m, Vector256<T> x, Vector256<T> y)
        => Vector256.ConditionalSelect(m, x, y);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Vector256<T> v) => Vector256.Sum(v);

    // special
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Pow2(Vector256<T> n) => typeof(T) == typeof(float)
        ? Vector256.ShiftLeft((n + Vector256.Create(T.CreateTruncating(Pow2Bias.Single))).As<T, int>(), 23).As<int, T>()
        : Vector256.ShiftLeft((n + Vector256.Create(T.CreateTruncating(Pow2Bias.Double))).As<T, long>(), 52)
            .As<long, T>();
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Exponent(Vector256<T> x) => typeof(T) == typeof(float)
        ? ((Vector256.ShiftRightLogical(x.As<T, int>(), 23) & Vector256.Create(0xFF)) | Vector256.Create(0x4B000000))
            .As<int, T>() - Vector256.Create(T.CreateTruncating(Pow2Bias.ExponentSingle))
        : ((Vector256.ShiftRightLogical(x.As<T, long>(), 52) & Vector256.Create(0x7FFL))
            | Vector256.Create(0x4330000000000000L)).As<long, T>()
            - Vector256.Create(T.CreateTruncating(Pow2Bias.ExponentDouble));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Mantissa(Vector256<T> x) => typeof(T) == typeof(float)
        ? ((x.As<T, int>() & Vector256.Create(0x007FFFFF)) | Vector256.Create(0x3F800000)).As<int, T>()
        : ((x.As<T, long>() & Vector256.Create(0x000FFFFFFFFFFFFFL)) | Vector256.Create(0x3FF0000000000000L))
            .As<long, T>();

    // inv: the square root of the inverse error functions' tails
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Sqrt(Vector256<T> x) => Vector256.Sqrt(x);
}

internal readonly unsafe struct W128<T> : IVec<Vector128<T>, T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static Width Width => Width.V128;
    public static int Count => Vector128<T>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Load(T* p) => Vector128.Load(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<T> v, T* p) => v.Store(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Splat(T x) => Vector128.Create(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Add(Vector128<T> a, Vector128<T> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Sub(Vector128<T> a, Vector128<T> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Mul(Vector128<T> a, Vector128<T> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Div(Vector128<T> a, Vector128<T> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> MulAdd(Vector128<T> a, Vector128<T> b, Vector128<T> c)
    {
        // Simd.HasFma, spelled out so the JIT folds it on import
        if (!(Fma.IsSupported || AdvSimd.Arm64.IsSupported)) return a * b + c;
        if (typeof(T) == typeof(float))
            return Vector128.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        return Vector128.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Abs(Vector128<T> a) => Vector128.Abs(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> LessThan(Vector128<T> a, Vector128<T> b) => Vector128.LessThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool None(Vector128<T> mask) => mask == Vector128<T>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Select(Vector128<T> m, Vector128<T> x, Vector128<T> y)
        => Vector128.ConditionalSelect(m, x, y);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Vector128<T> v) => Vector128.Sum(v);

    // special
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Pow2(Vector128<T> n) => typeof(T) == typeof(float)
        ? Vector128.ShiftLeft((n + Vector128.Create(T.CreateTruncating(Pow2Bias.Single))).As<T, int>(), 23).As<int, T>()
        : Vector128.ShiftLeft((n + Vector128.Create(T.CreateTruncating(Pow2Bias.Double))).As<T, long>(), 52)
            .As<long, T>();
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Exponent(Vector128<T> x) => typeof(T) == typeof(float)
        ? ((Vector128.ShiftRightLogical(x.As<T, int>(), 23) & Vector128.Create(0xFF)) | Vector128.Create(0x4B000000))
            .As<int, T>() - Vector128.Create(T.CreateTruncating(Pow2Bias.ExponentSingle))
        : ((Vector128.ShiftRightLogical(x.As<T, long>(), 52) & Vector128.Create(0x7FFL))
            | Vector128.Create(0x4330000000000000L)).As<long, T>()
            - Vector128.Create(T.CreateTruncating(Pow2Bias.ExponentDouble));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Mantissa(Vector128<T> x) => typeof(T) == typeof(float)
        ? ((x.As<T, int>() & Vector128.Create(0x007FFFFF)) | Vector128.Create(0x3F800000)).As<int, T>()
        : ((x.As<T, long>() & Vector128.Create(0x000FFFFFFFFFFFFFL)) | Vector128.Create(0x3FF0000000000000L))
            .As<long, T>();

    // inv: the square root of the inverse error functions' tails
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Sqrt(Vector128<T> x) => Vector128.Sqrt(x);
}

/// <summary>The scalar width: a "vector" of one element, so the same kernels run where no SIMD is
/// accelerated.</summary>
internal readonly unsafe struct W1<T> : IVec<T, T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static Width Width => Width.Scalar;
    public static int Count => 1;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Load(T* p) => *p;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(T v, T* p) => *p = v;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Splat(T x) => x;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Add(T a, T b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Sub(T a, T b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Mul(T a, T b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Div(T a, T b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T MulAdd(T a, T b, T c) => Simd.MulAdd(a, b, c);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Abs(T a) => T.Abs(a);
    // A mask is one or zero: only None and Select read it.
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T LessThan(T a, T b) => a < b ? T.One : T.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool None(T mask) => T.IsZero(mask);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Select(T m, T x, T y) => T.IsZero(m) ? y : x;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Sum(T v) => v;

    // special
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Pow2(T n) => typeof(T) == typeof(float)
        ? T.CreateTruncating(BitConverter.Int32BitsToSingle(
            BitConverter.SingleToInt32Bits(float.CreateTruncating(n) + Pow2Bias.Single) << 23))
        : T.CreateTruncating(BitConverter.Int64BitsToDouble(
            BitConverter.DoubleToInt64Bits(double.CreateTruncating(n) + Pow2Bias.Double) << 52));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Exponent(T x) => typeof(T) == typeof(float)
        ? T.CreateTruncating(((BitConverter.SingleToInt32Bits(float.CreateTruncating(x)) >>> 23) & 0xFF) - 127)
        : T.CreateTruncating(((BitConverter.DoubleToInt64Bits(double.CreateTruncating(x)) >>> 52) & 0x7FF) - 1023);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Mantissa(T x) => typeof(T) == typeof(float)
        ? T.CreateTruncating(BitConverter.Int32BitsToSingle(
            (BitConverter.SingleToInt32Bits(float.CreateTruncating(x)) & 0x007FFFFF) | 0x3F800000))
        : T.CreateTruncating(BitConverter.Int64BitsToDouble(
            (BitConverter.DoubleToInt64Bits(double.CreateTruncating(x)) & 0x000FFFFFFFFFFFFFL) | 0x3FF0000000000000L));

    // inv: the square root of the inverse error functions' tails
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sqrt(T x) => T.Sqrt(x);
}

/// <summary>
/// 1.5·2^(mantissa bits) plus the exponent bias: added to an integer n, it leaves n + bias in the low bits of the
/// mantissa, so shifting the bits left by the mantissa's width leaves exactly the exponent field of 2ⁿ.
/// </summary>
internal static class Pow2Bias
{
    internal const double Double = 6755399441055744.0 + 1023.0;
    internal const float Single = 12582912.0f + 127.0f;
    /// <summary>2^(mantissa bits) plus the bias: a number whose low mantissa bits hold an exponent field e reads as
    /// this plus e − bias.</summary>
    internal const double ExponentDouble = 4503599627370496.0 + 1023.0;
    internal const double ExponentSingle = 8388608.0 + 127.0;
}
