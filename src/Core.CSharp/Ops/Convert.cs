namespace FuncGrad;

public sealed partial class Tensor
{
    private sealed class ConvertOp(DType to) : Op
    {
        public override string Name => "ToDType";
        internal override object Identity => ("ToDType", to);
        internal override bool AnyDType => true;
        internal override Tensor? ComputeOn(Backend b, Tensor[] x) => b.Convert(x[0], to);
        public override Tensor Compute(Tensor[] x) => Plain(x[0].shape, to, Kernels.Cast.Convert(x[0], to, "toDType"));
        public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs) => [g.ToDType(x[0].DType)];
        public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y) => dx[0]!.ToDType(to);
        public override (Tensor, int?) Batch(Tensor[] x, int?[] axes, int size) => Batching.Elementwise(this, x, axes);
    }

    /// <summary>The values in another dtype (float64 to float32 rounds to nearest); differentiable between float
    /// dtypes, and a no-op when the dtype already matches.</summary>
    /// <remarks>
    /// To an integer dtype, floats truncate toward zero, and a NaN, an infinity or a value out of range is an
    /// <see cref="OverflowException"/>; int64 to int32 checks the range too. To bool, anything not zero is true (a NaN
    /// too). Bool to a number is 0 or 1. An integer or bool result is never differentiated: converting a tensor being
    /// differentiated to one gives its value without the derivative, as <see cref="Detach"/> does.
    /// </remarks>
    /// <example><code>Tensor.Scalar(1.5).ToDType(DType.Float32) // tensor(1.5000, dtype=float32)</code></example>
    [Peers("torch.Tensor.to", "jnp.astype", "dsharp.cast", FSharp = "toDType, toFloat32, toFloat64",
        Notes = "differentiable")]
    public Tensor ToDType(DType dtype) =>
        dtype == DType ? this : Op.Apply(new ConvertOp(dtype), dtype.IsFloat() ? this : Detach());
}
