namespace FuncGrad;

/// <summary>
/// Detach inside a loop's or branch's function: the function is traced once on values of no differentiation, where a
/// detach strips nothing, and replayed later under grad, jvp or vmap, so the detach is recorded as this op, and the
/// replay (Body.Run) detaches there: it strips the levels of differentiation the values then have, so nothing, not
/// even a zero, flows through it (a zero times an infinite derivative would be NaN). On plain values it is the
/// identity.
/// </summary>
internal sealed class StopGradientOp : Op
{
    internal static readonly StopGradientOp Instance = new();

    public override string Name => "StopGradient";

    internal override bool AnyDType => true;

    internal override bool Aliases => true;

    public override bool VjpReadsValues => false;

    public override Tensor Compute(Tensor[] x) => x[0];

    internal override Tensor? ComputeOn(Backend backend, Tensor[] x) => x[0];

    // Reached only by an application outside a replay; there, as a detach, it passes nothing back.
    public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs) => [null];

    public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y) => Tensor.Zeros(y.shape, y.DType);

    public override (Tensor Value, int? Axis) Batch(Tensor[] x, int?[] axes, int size) =>
        (Op.Apply(this, x[0]), axes[0]);
}
