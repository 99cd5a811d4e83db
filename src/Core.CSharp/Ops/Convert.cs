namespace FuncGrad;

public sealed partial class Tensor
{
    private sealed class ConvertOp(DType to) : Op
    {
        public override string Name => "ToDType";
        internal override Tensor? ComputeOn(Backend b, Tensor[] x) => b.Convert(x[0], to);
        public override Tensor Compute(Tensor[] x) =>
            to == DType.Float64 ? Plain(x[0].shape, x[0].ToArray()) : Plain(x[0].shape, x[0].ToFloatArray());
        public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs) => [g.ToDType(x[0].DType)];
        public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y) => dx[0]!.ToDType(to);
        public override (Tensor, int?) Batch(Tensor[] x, int?[] axes, int size) => Batching.Elementwise(this, x, axes);
    }

    /// <summary>The values in another dtype (float64 to float32 rounds to nearest). Differentiable; a no-op when the
    /// dtype already matches.</summary>
    /// <example><code>Tensor.Scalar(1.5).ToDType(DType.Float32) // tensor(1.5000, dtype=float32)</code></example>
    [Peers("torch.Tensor.to", "jnp.astype", "dsharp.cast", FSharp = "toDType, toFloat32, toFloat64",
        Notes = "differentiable")]
    public Tensor ToDType(DType dtype) => dtype == DType ? this : Op.Apply(new ConvertOp(dtype), this);
}
