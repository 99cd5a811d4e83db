namespace FuncGrad;

// Moving a tensor between devices (Device.cs): an op like any other, so a move inside a differentiated function
// carries gradients back to where the argument lives.
public sealed partial class Tensor
{
    private sealed class MoveOp(Device to) : Op
    {
        public override string Name => "To";
        internal override object Identity => ("To", to);
        public override string ToString() => $"To[{to}]";
        public override bool ReadsValuesOnly => true;
        public override bool VjpReadsValues => false;
        internal override bool AnyDType => true;

        // A managed argument (an array, or a one-element value).
        public override Tensor Compute(Tensor[] x) => to.IsManaged ? x[0] : Backends.For(to).FromManaged(x[0], to);

        internal override Tensor? ComputeOn(Backend backend, Tensor[] x) =>
            to.IsManaged ? backend.ToManaged(x[0]) : backend.Move(x[0], to);

        public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs) => [g.To(x[0].Device)];
        public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y) => dx[0]!.To(to);
        public override (Tensor, int?) Batch(Tensor[] x, int?[] axes, int size) => (x[0].To(to), axes[0]);
    }

    /// <summary>
    /// This tensor's values on <paramref name="device"/>: itself when it is there already, else a copy. Inside a
    /// differentiation the move is an op like any other: gradients flow back to the original device.
    /// </summary>
    /// <example><code>
    /// var x = Tensor.FromArray([1.0, 2.0]).To(Device.TorchCpu);
    /// x.To(Device.Managed).ToArray() // evaluates to [1, 2]
    /// </code></example>
    [Peers("torch.Tensor.to", "jax.device_put", "dsharp.move", FSharp = "toDevice",
        Notes = "differentiable: gradients flow back to the original device")]
    public Tensor To(Device device) => Device == device ? this : Op.Apply(new MoveOp(device), this);

    /// <summary>A value made on the managed device, moved to the default device
    /// (<see cref="Device.Default"/>).</summary>
    private static Tensor OnDefault(Tensor t)
    {
        var d = Device.Default;
        return d.IsManaged ? t : t.To(d);
    }
}
