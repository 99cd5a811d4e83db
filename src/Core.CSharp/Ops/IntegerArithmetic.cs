using FuncGrad.Kernels;
using System.Numerics;

namespace FuncGrad;

// Integer arithmetic for index computations: +, −, ×, negation, floor division and remainder on int64 and int32
// tensors of one dtype (broadcasting), with numbers that are integers, and sums, maxima and minima over axes. The
// results are integers, never differentiated. Overflow wraps around in two's complement, as in .NET and PyTorch;
// dividing by zero is an error.
public sealed partial class Tensor
{
    /// <summary>An elementwise op of two integer tensors (one for Neg), broadcasting.</summary>
    private sealed class IntOp(string name) : MaskOp
    {
        public override string Name => name;
        internal override object Identity => ("Int", name);

        internal override Tensor? ComputeOn(Backend b, Tensor[] x) => name switch
        {
            "Neg" => b.Unary(name, x[0]),
            // a zero divisor is checked on managed copies, which name it
            "FloorDivide" or "Remainder" => null,
            _ => b.Binary(name, x[0], x[1]),
        };

        public override Tensor Compute(Tensor[] x)
        {
            if (name == "Neg")
                return x[0].DType == DType.Int64 ? Plain(x[0].shape, Map<long>(x[0].Span<long>())) :
                    Plain(x[0].shape, Map<int>(x[0].Span<int>()));
            Elementwise.SameDType(x[0], x[1], Lower(name));
            var shape = Shapes.Broadcast(x[0].shape, x[1].shape, Lower(name));
            return x[0].DType == DType.Int64 ? Plain(shape, Zip<long>(x[0], x[1], shape))
                : Plain(shape, Zip<int>(x[0], x[1], shape));
        }

        private static T[] Map<T>(ReadOnlySpan<T> x) where T : unmanaged, IBinaryInteger<T>
        {
            var r = new T[x.Length];
            for (int i = 0; i < r.Length; i++) r[i] = -x[i];
            return r;
        }

        private T[] Zip<T>(Tensor a, Tensor b, int[] shape) where T : unmanaged, IBinaryInteger<T>
        {
            var x = Elementwise.Expand<T>(a, shape);
            var y = Elementwise.Expand<T>(b, shape);
            for (int i = 0; i < x.Length; i++)
                x[i] = name switch
                {
                    "Add" => x[i] + y[i],
                    "Sub" => x[i] - y[i],
                    "Mul" => x[i] * y[i],
                    "FloorDivide" => FloorDiv(x[i], NonZero(y[i], i)),
                    _ => x[i] - NonZero(y[i], i) * FloorDiv(x[i], y[i]),
                };
            return x;
        }

        private T NonZero<T>(T d, int i) where T : IBinaryInteger<T> => T.IsZero(d)
            ? throw new DivideByZeroException(
                $"{Lower(name)}: element {i} of the divisor is 0; integer division by zero has no value. Mask the " +
                "divisor first (Where), or divide floats")
            : d;

        /// <summary>a ÷ b rounded toward −∞ (Python's a // b), where .NET's division rounds toward 0.</summary>
        private static T FloorDiv<T>(T a, T b) where T : IBinaryInteger<T>
        {
            var q = a / b;
            return T.IsNegative(a) != T.IsNegative(b) && q * b != a ? q - T.One : q;
        }
    }

    private static string Lower(string name) => char.ToLowerInvariant(name[0]) + name[1..];

    /// <summary>Sum (as int64), maximum or minimum of an integer or bool tensor over axes.</summary>
    private sealed class IntReduceOp(string name, int[] axes, bool keepDims) : MaskOp
    {
        public override string Name => name;
        internal override object Identity => ("IntReduce", name, string.Join(",", axes), keepDims);
        internal override Tensor? ComputeOn(Backend b, Tensor[] x)
        {
            // a sum of int32 or bool is int64, as here; torch agrees except for a tensor it need not reduce
            var wide = name == "Sum" && x[0].DType != DType.Int64 ? b.Convert(x[0], DType.Int64) : x[0];
            return wide is null ? null : b.Reduce(name, wide, axes, keepDims);
        }

        public override (Tensor, int?) Batch(Tensor[] x, int?[] at, int size) =>
            Batching.Reduce(x[0], at[0]!.Value, axes, keepDims, (v, a, k) => Op.Apply(new IntReduceOp(name, a, k), v));

        public override Tensor Compute(Tensor[] x)
        {
            var v = x[0].DType == DType.Int64 ? x[0].Span<long>().ToArray() : Kernels.Cast.To<long>(x[0], name);
            var shape = Shapes.Reduced(x[0].shape, axes, keepDims);
            var r = Reduce(v, x[0].shape, axes, name);
            // a sum is int64 whatever the integers were, as in PyTorch; a maximum or minimum keeps the dtype
            return name == "Sum" || x[0].DType == DType.Int64 ? Plain(shape, r)
                : Plain(shape, x[0].DType, Kernels.Cast.Convert(Plain(shape, r), x[0].DType, name));
        }

        /// <summary>The reduction over <paramref name="axes"/>: the kept axes first and the reduced ones last, in a
        /// copy, so each result is one contiguous run.</summary>
        private static long[] Reduce(long[] v, int[] shape, int[] axes, string name)
        {
            var kept = Enumerable.Range(0, shape.Length).Where(a => Array.IndexOf(axes, a) < 0).ToArray();
            int[] order = [.. kept, .. axes];
            var own = Shapes.Strides(shape);
            var moved = new long[v.Length];
            Kernels.Strided.Gather<long>(v, 0, order.Select(a => shape[a]).ToArray(),
                order.Select(a => own[a]).ToArray(), moved);
            int run = 1;
            foreach (var a in axes) run *= shape[a];
            var r = new long[run == 0 ? kept.Aggregate(1, (p, a) => p * shape[a]) : v.Length / run];
            for (int i = 0; i < r.Length; i++)
            {
                var s = moved.AsSpan(i * run, run);
                long acc = name == "Sum" ? 0 : s[0];
                foreach (var e in s)
                    acc = name switch { "Sum" => acc + e, "Max" => Math.Max(acc, e), _ => Math.Min(acc, e) };
                r[i] = acc;
            }
            return r;
        }
    }

    /// <summary>The integer op <paramref name="name"/> on <paramref name="a"/> and <paramref name="b"/>, after checking
    /// that both are integers.</summary>
    private static Tensor Integers(string name, Tensor a, Tensor b)
    {
        if (a.DType is DType.Bool || b.DType is DType.Bool || a.DType.IsFloat() != b.DType.IsFloat())
            throw new DTypeMismatchException(
                $"{Lower(name)}: cannot combine {Shapes.Show(a)} with {Shapes.Show(b)}: arithmetic takes two float " +
                "tensors or two integer tensors of one dtype (bools: LogicalAnd, LogicalOr; or convert with ToDType)");
        return new IntOp(name).On(a, b);
    }

    /// <summary>A number as a one-element tensor of integer tensor <paramref name="x"/>'s dtype: an error unless it is
    /// an integer in the dtype's range.</summary>
    private static Tensor IntegerNumber(Tensor x, double c, string op)
    {
        double limit = x.DType == DType.Int64 ? 9223372036854775808.0 : 2147483648.0;
        if (c != Math.Truncate(c) || !(c >= -limit && c < limit))
            throw new DTypeMismatchException(
                $"{op}: {Shapes.Show(x)} with the number {c}, which {x.DType.Name()} cannot hold; an integer tensor " +
                "takes integers. Convert the tensor with ToDType(DType.Float64) to compute with fractions");
        return Scalar(c, x.DType);
    }

    /// <summary>x·c, x + c for an integer tensor: integer arithmetic with the integer c.</summary>
    private static Tensor WithNumber(string name, Tensor x, double c) => x.DType == DType.Bool
        ? throw new DTypeMismatchException(
            $"{Lower(name)}: {Shapes.Show(x)} with a number; bools have no arithmetic: convert with ToDType first")
        : new IntOp(name).On(x, IntegerNumber(x, c, Lower(name)));

    /// <summary>
    /// a ÷ b rounded toward −∞, elementwise with broadcasting (Python's <c>a // b</c>): for integers, the integer
    /// quotient (dividing by zero is an error); for floats, as Python computes it, exactly.
    /// </summary>
    /// <remarks>For floats the quotient comes from fmod, as Python's and PyTorch's do, so 1 // 0.1 is 9 (0.1 is a
    /// little above a tenth) where ⌊1 / 0.1⌋ would be 10; it is piecewise constant, so its derivative is 0.</remarks>
    /// <example><code>
    /// Tensor.FromArray(new long[] { 7, -7 }).FloorDivide(Tensor.FromArray(new long[] { 2 })) // tensor([ 3, -4], ...)
    /// </code></example>
    [Peers("torch.floor_divide", "jnp.floor_divide", "", Notes = "rounds toward −∞, as Python's //")]
    public Tensor FloorDivide(Tensor other)
    {
        Guard.NotNull(other);
        return DType.IsFloat() && other.DType.IsFloat()
            ? Op.Apply(FloorDivideOp, this, other)
            : Integers("FloorDivide", this, other);
    }

    /// <summary>
    /// The remainder of a ÷ b rounded toward −∞, elementwise with broadcasting: a − b·(a // b), with the sign of b
    /// (Python's <c>a % b</c>).
    /// </summary>
    /// <remarks>For floats, fmod corrected to b's sign, as Python and PyTorch compute it; its derivatives are 1 for a
    /// and −(a // b) for b. For integers, dividing by zero is an error.</remarks>
    /// <example><code>
    /// Tensor.FromArray(new long[] { 7, -7 }).Remainder(Tensor.FromArray(new long[] { 3 })) // tensor([1, 2], ...)
    /// </code></example>
    [Peers("torch.remainder", "jnp.remainder", "", Notes = "the sign of the divisor, as Python's %")]
    public Tensor Remainder(Tensor other)
    {
        Guard.NotNull(other);
        return DType.IsFloat() && other.DType.IsFloat()
            ? Op.Apply(RemainderOp, this, other)
            : Integers("Remainder", this, other);
    }

    /// <summary><see cref="Remainder(Tensor)"/> as an operator: <c>a % b</c>, in C# and F#.</summary>
    /// <example><code>var col = flat % width; // the column of a flat index</code></example>
    public static Tensor operator %(Tensor a, Tensor b) => Guard.NotNull(a).Remainder(Guard.NotNull(b));

    /// <summary>Python's float a // b: from fmod, exact, then rounded to the nearest integer, as CPython's divmod
    /// does.</summary>
    private static T FloorDivFloat<T>(T a, T b) where T : IFloatingPointIeee754<T>
    {
        if (T.IsZero(b)) return a / b; // ±inf or NaN, as PyTorch gives
        var mod = a % b; // fmod: exact, with a's sign
        var div = (a - mod) / b;
        if (!T.IsZero(mod) && (T.IsNegative(b) != T.IsNegative(mod))) div -= T.One;
        if (T.IsZero(div)) return T.CopySign(T.Zero, a / b);
        var floor = T.Floor(div);
        return div - floor > T.CreateTruncating(0.5) ? floor + T.One : floor;
    }

    /// <summary>Python's float a % b: fmod, moved into b's sign.</summary>
    private static T RemainderFloat<T>(T a, T b) where T : IFloatingPointIeee754<T>
    {
        var mod = a % b;
        if (!T.IsZero(mod) && T.IsNegative(b) != T.IsNegative(mod)) mod += b;
        else if (T.IsZero(mod)) mod = T.CopySign(T.Zero, b);
        return mod;
    }

    private readonly struct FloorDivideK : IBinaryKernel
    {
        public static void Run<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d)
            where T : unmanaged, IFloatingPointIeee754<T>
        { for (int i = 0; i < d.Length; i++) d[i] = FloorDivFloat(x[i], y[i]); }
        public static void Run<T>(ReadOnlySpan<T> x, T y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
        { for (int i = 0; i < d.Length; i++) d[i] = FloorDivFloat(x[i], y); }
        public static void Run<T>(T x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
        { for (int i = 0; i < d.Length; i++) d[i] = FloorDivFloat(x, y[i]); }
    }

    private readonly struct RemainderK : IBinaryKernel
    {
        public static void Run<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d)
            where T : unmanaged, IFloatingPointIeee754<T>
        { for (int i = 0; i < d.Length; i++) d[i] = RemainderFloat(x[i], y[i]); }
        public static void Run<T>(ReadOnlySpan<T> x, T y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
        { for (int i = 0; i < d.Length; i++) d[i] = RemainderFloat(x[i], y); }
        public static void Run<T>(T x, ReadOnlySpan<T> y, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
        { for (int i = 0; i < d.Length; i++) d[i] = RemainderFloat(x, y[i]); }
    }

    // Piecewise constant: both derivatives are 0.
    private static readonly Op FloorDivideOp = new BinaryOp<FloorDivideK>("FloorDivide",
        static (a, b, y) => y.Const(0), static (a, b, y) => y.Const(0));

    // a − b·(a // b): ∂/∂a = 1, ∂/∂b = −(a // b), the quotient a constant where it is constant.
    private static readonly Op RemainderOp = new BinaryOp<RemainderK>("Remainder",
        static (a, b, y) => y.Const(1), static (a, b, y) => -a.Detach().FloorDivide(b.Detach()));
}
