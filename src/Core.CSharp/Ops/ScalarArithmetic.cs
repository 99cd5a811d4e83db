using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;

namespace FuncGrad;

// x·c and x + c for a number c: the forms a literal in an expression takes (y * 1.0001 + 0.1).
// They skip the constant tensor and the broadcasting a tensor operand would need; x + c needs no
// backward work at all. The number takes the tensor's dtype.
public sealed partial class Tensor
{
    private sealed class ScaleOp(double c) : Op
    {
        public double C => c;
        public override string Name => "Mul";   // as the user wrote it: x * c
        internal override Tensor? ComputeOn(Backend b, Tensor[] x) => b.Times(x[0], c);
        internal override object Identity => ("Mul", BitConverter.DoubleToInt64Bits(c));
        public override string ToString() => $"Mul[{c.ToString("R", CultureInfo.InvariantCulture)}]";
        public override Tensor Compute(Tensor[] x) =>
            x[0].DType == DType.Float64 ? Compute<double>(x[0]) : Compute<float>(x[0]);
        public override bool ReadsValuesOnly => true;
        public override bool VjpReadsValues => false;
        private Tensor Compute<T>(Tensor x) where T : unmanaged, IFloatingPointIeee754<T>
        {
            if (x.Count == 1) return PlainScalar(x.shape, Times(x.Span<T>()[0], T.CreateTruncating(c)));
            var y = Storage.Uninitialized<T>(x.Count, out var lease);
            TensorPrimitives.Multiply(x.Span<T>(), T.CreateTruncating(c), y);
            return Plain(x.shape, y, lease);
        }
        // One element, here and in compiled scalar code: never inlined, as Elementwise.One is (and for its reason).
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static T Times<T>(T x, T c) where T : unmanaged, IFloatingPointIeee754<T>
            => x * c;
        // With one NaN operand at most, the IL instruction rounds as the method does whichever operand comes first.
        internal override ScalarForm? Scalar(Type t) => double.IsNaN(c)
            ? new(typeof(ScaleOp).GetMethod(nameof(Times), BindingFlags.NonPublic | BindingFlags.Static)!
                .MakeGenericMethod(t), Number: c)
            : new(null, OpCodes.Mul, c);
        public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs) => [g * c];
        public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y) => dx[0]! * c;
        public override (Tensor, int?) Batch(Tensor[] x, int?[] axes, int size) => Batching.Elementwise(this, x, axes);

        internal override StepKernel? Kernel(StepTypes s) => NumberKernel(s, c, times: true);
    }

    private sealed class ShiftOp(double c) : Op
    {
        public double C => c;
        public override string Name => "Add";   // as the user wrote it: x + c
        internal override Tensor? ComputeOn(Backend b, Tensor[] x) => b.Plus(x[0], c);
        internal override object Identity => ("Add", BitConverter.DoubleToInt64Bits(c));
        public override string ToString() => $"Add[{c.ToString("R", CultureInfo.InvariantCulture)}]";
        public override Tensor Compute(Tensor[] x) =>
            x[0].DType == DType.Float64 ? Compute<double>(x[0]) : Compute<float>(x[0]);
        public override bool ReadsValuesOnly => true;
        public override bool VjpReadsValues => false;
        private Tensor Compute<T>(Tensor x) where T : unmanaged, IFloatingPointIeee754<T>
        {
            if (x.Count == 1) return PlainScalar(x.shape, Plus(x.Span<T>()[0], T.CreateTruncating(c)));
            var y = Storage.Uninitialized<T>(x.Count, out var lease);
            TensorPrimitives.Add(x.Span<T>(), T.CreateTruncating(c), y);
            return Plain(x.shape, y, lease);
        }
        // One element, here and in compiled scalar code: never inlined, as Elementwise.One is (and for its reason).
        [MethodImpl(MethodImplOptions.NoInlining)]
        internal static T Plus<T>(T x, T c) where T : unmanaged, IFloatingPointIeee754<T>
            => x + c;
        // With one NaN operand at most, the IL instruction rounds as the method does whichever operand comes first.
        internal override ScalarForm? Scalar(Type t) => double.IsNaN(c)
            ? new(typeof(ShiftOp).GetMethod(nameof(Plus), BindingFlags.NonPublic | BindingFlags.Static)!
                .MakeGenericMethod(t), Number: c)
            : new(null, OpCodes.Add, c);
        public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs) => [g];
        public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y) => dx[0]!;
        public override (Tensor, int?) Batch(Tensor[] x, int?[] axes, int size) => Batching.Elementwise(this, x, axes);

        internal override StepKernel? Kernel(StepTypes s) => NumberKernel(s, c, times: false);
    }

    private static StepKernel? NumberKernel(StepTypes s, double c, bool times) => !s.OneDType ? null
        : s.DType == DType.Float64 ? new NumberStep<double>(s, c, times) : new NumberStep<float>(s, c, times);

    /// <summary>x·c (<paramref name="times"/>) or x + c in a compiled program: the calls ScaleOp's or ShiftOp's
    /// Compute makes, on any range of the elements.</summary>
    private sealed class NumberStep<T>(StepTypes s, double c, bool times) : StepKernel
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly int x = s.Args[0], y = s.Result, count = s.Count;
        private readonly T c = T.CreateTruncating(c);
        internal override int Row => count == 1 ? 0 : 1;

        internal override void Run(Frame f, int lo, int hi)
        {
            if (count == 1)
                f.Array<T>(y)[0] = times ? ScaleOp.Times(f.Array<T>(x)[0], c) : ShiftOp.Plus(f.Array<T>(x)[0], c);
            else if (times) TensorPrimitives.Multiply(f.In<T>(x, lo, hi), c, f.Out<T>(y, lo, hi));
            else TensorPrimitives.Add(f.In<T>(x, lo, hi), c, f.Out<T>(y, lo, hi));
        }
    }

    // An op for a number is immutable, so each thread reuses the one it made last for the same number (a
    // loop's literal): a recorded graph then holds one object fewer per op. Thread-local, so never shared.
    [ThreadStatic] private static ScaleOp? lastScale;
    [ThreadStatic] private static ShiftOp? lastShift;

    private static ScaleOp Scale(double c)
    {
        var op = lastScale;
        if (op is null || BitConverter.DoubleToInt64Bits(op.C) != BitConverter.DoubleToInt64Bits(c))
            lastScale = op = new ScaleOp(c);
        return op;
    }

    private static ShiftOp Shift(double c)
    {
        var op = lastShift;
        if (op is null || BitConverter.DoubleToInt64Bits(op.C) != BitConverter.DoubleToInt64Bits(c))
            lastShift = op = new ShiftOp(c);
        return op;
    }

    /// <summary>Multiplies by a number, in the tensor's dtype.</summary>
    /// <example><code>Tensor.Scalar(3.0) * 2.0 // tensor(6., dtype=float64)</code></example>
    public static Tensor operator *(Tensor a, double b) =>
        Guard.NotNull(a).DType.IsFloat() ? Op.Apply(Scale(b), a) : WithNumber("Mul", a, b);
    /// <summary>Multiplies by a number, in the tensor's dtype.</summary>
    /// <example><code>2.0 * Tensor.Scalar(3.0) // tensor(6., dtype=float64)</code></example>
    public static Tensor operator *(double a, Tensor b) =>
        Guard.NotNull(b).DType.IsFloat() ? Op.Apply(Scale(a), b) : WithNumber("Mul", b, a);
    /// <summary>Adds a number, in the tensor's dtype.</summary>
    /// <example><code>Tensor.Scalar(1.0) + 2.0 // tensor(3., dtype=float64)</code></example>
    public static Tensor operator +(Tensor a, double b) =>
        Guard.NotNull(a).DType.IsFloat() ? Op.Apply(Shift(b), a) : WithNumber("Add", a, b);
    /// <summary>Adds a number, in the tensor's dtype.</summary>
    /// <example><code>2.0 + Tensor.Scalar(1.0) // tensor(3., dtype=float64)</code></example>
    public static Tensor operator +(double a, Tensor b) =>
        Guard.NotNull(b).DType.IsFloat() ? Op.Apply(Shift(a), b) : WithNumber("Add", b, a);
    /// <summary>Subtracts a number, in the tensor's dtype: x + (−c), which is exact.</summary>
    /// <example><code>Tensor.Scalar(3.0) - 1.0 // tensor(2., dtype=float64)</code></example>
    public static Tensor operator -(Tensor a, double b) =>
        Guard.NotNull(a).DType.IsFloat() ? Op.Apply(Shift(-b), a) : WithNumber("Sub", a, b);
}
