using System.Globalization;
using System.Reflection;

namespace FuncGrad;

/// <summary>
/// Where a tensor's values live and which kernels compute on them: <see cref="Managed"/> (FuncGrad's own kernels over
/// .NET arrays, the default), or LibTorch on the CPU or on a CUDA GPU through the FuncGrad.LibTorch package.
/// </summary>
/// <remarks>
/// Ops, transformations and rules are the same on every device: an op's value runs where its arguments live, and its
/// derivative rules, written in FuncGrad's own ops, follow. One op never mixes devices, except that a managed
/// one-element value (a number such as <c>Tensor.Scalar(2.0)</c>) combines with a tensor of any device, as PyTorch's
/// zero-dimensional CPU tensors do. New tensors are made on <see cref="Default"/>; the environment variable
/// <c>FUNCGRAD_DEVICE</c> sets it for the whole process at start-up, and <see cref="Use"/> within a scope.
/// </remarks>
/// <example><code>
/// var x = Tensor.FromArray([1.0, 2.0]).To(Device.TorchCpu);
/// x.Device // evaluates to torch:cpu
/// </code></example>
public readonly struct Device : IEquatable<Device>
{
    private enum Kind { Managed, TorchCpu, TorchCuda }

    private readonly Kind kind;
    private readonly int index;

    private Device(Kind kind, int index) { this.kind = kind; this.index = index; }

    /// <summary>FuncGrad's own kernels over .NET arrays: the default, and the value of
    /// <c>default(Device)</c>.</summary>
    /// <example><code>Tensor.Ones([2]).Device == Device.Managed // evaluates to true</code></example>
    public static Device Managed => default;

    /// <summary>LibTorch's CPU kernels (needs the FuncGrad.LibTorch package and a libtorch package).</summary>
    /// <example><code>Tensor.Ones([2]).To(Device.TorchCpu).Device // evaluates to torch:cpu</code></example>
    public static Device TorchCpu => new(Kind.TorchCpu, 0);

    /// <summary>The CUDA GPU numbered <paramref name="index"/> through LibTorch (needs FuncGrad.LibTorch and a
    /// CUDA build of libtorch).</summary>
    /// <example><code>Device.TorchCuda(1).ToString() // evaluates to "torch:cuda:1"</code></example>
    public static Device TorchCuda(int index = 0) => index >= 0 ? new(Kind.TorchCuda, index)
        : throw new ArgumentOutOfRangeException(nameof(index), index, "TorchCuda: a GPU index is 0 or more");

    /// <summary>Whether this is <see cref="Managed"/>.</summary>
    /// <example><code>Device.TorchCpu.IsManaged // evaluates to false</code></example>
    public bool IsManaged => kind == Kind.Managed;

    /// <summary>Whether this is a CUDA device.</summary>
    /// <example><code>Device.TorchCuda().IsCuda // evaluates to true</code></example>
    public bool IsCuda => kind == Kind.TorchCuda;

    /// <summary>The GPU number of a CUDA device; 0 for the others.</summary>
    /// <example><code>Device.TorchCuda(2).Index // evaluates to 2</code></example>
    public int Index => index;

    /// <summary>
    /// The device a name stands for: <c>managed</c>, <c>torch:cpu</c>, <c>torch:cuda</c> or <c>torch:cuda:N</c>
    /// (case-insensitive), as <see cref="ToString"/> writes them.
    /// </summary>
    /// <example><code>Device.Parse("torch:cuda:0") == Device.TorchCuda(0) // evaluates to true</code></example>
    public static Device Parse(string name)
    {
        Guard.NotNull(name);
        var s = name.Trim().ToLowerInvariant();
        if (s == "managed") return Managed;
        if (s == "torch:cpu") return TorchCpu;
        if (s == "torch:cuda") return TorchCuda();
        if (s.StartsWith("torch:cuda:", StringComparison.Ordinal)
            && int.TryParse(s.AsSpan(11), NumberStyles.None, CultureInfo.InvariantCulture, out var i))
            return TorchCuda(i);
        throw new FormatException(
            $"Device.Parse: '{name}' names no device; "
            + "use managed, torch:cpu, torch:cuda or torch:cuda:N (N = 0, 1, …)");
    }

    /// <summary>The device's name, as <see cref="Parse"/> reads it.</summary>
    /// <example><code>Device.TorchCpu.ToString() // evaluates to "torch:cpu"</code></example>
    public override string ToString() => kind switch
    {
        Kind.Managed => "managed",
        Kind.TorchCpu => "torch:cpu",
        _ => "torch:cuda:" + index.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>Whether both name the same device.</summary>
    /// <example><code>Device.TorchCuda(0).Equals(Device.TorchCuda()) // evaluates to true</code></example>
    public bool Equals(Device other) => kind == other.kind && index == other.index;

    /// <summary>Whether <paramref name="obj"/> is a <see cref="Device"/> naming the same device.</summary>
    /// <example><code>Device.TorchCpu.Equals((object)Device.TorchCpu) // evaluates to true</code></example>
    public override bool Equals(object? obj) => obj is Device d && Equals(d);

    /// <summary>A hash consistent with <see cref="Equals(Device)"/>.</summary>
    /// <example><code>
    /// Device.TorchCpu.GetHashCode() == Device.TorchCpu.GetHashCode() // evaluates to true
    /// </code></example>
    public override int GetHashCode() => HashCode.Combine(kind, index);

    /// <summary>Whether both name the same device.</summary>
    /// <example><code>Device.Managed == Device.TorchCpu // evaluates to false</code></example>
    public static bool operator ==(Device a, Device b) => a.Equals(b);

    /// <summary>Whether the two name different devices.</summary>
    /// <example><code>Device.Managed != Device.TorchCpu // evaluates to true</code></example>
    public static bool operator !=(Device a, Device b) => !a.Equals(b);

    // FUNCGRAD_DEVICE, read once when the type is first used. A bad value is reported on every use of the default,
    // rather than as a type-initialisation failure that would hide the message.
    private static readonly (Device Device, string? Error) fromEnvironment = ReadEnvironment();
    private static readonly AsyncLocal<Device?> scoped = new();

    private static (Device, string?) ReadEnvironment()
    {
        var v = Environment.GetEnvironmentVariable("FUNCGRAD_DEVICE");
        if (string.IsNullOrWhiteSpace(v)) return (Managed, null);
        try { return (Parse(v), null); }
        catch (FormatException e) { return (Managed, "FUNCGRAD_DEVICE: " + e.Message); }
    }

    /// <summary>
    /// The device new tensors are made on: the innermost <see cref="Use"/> scope's, else the process's, which
    /// the environment variable <c>FUNCGRAD_DEVICE</c> sets at start-up (<see cref="Managed"/> when it is unset).
    /// </summary>
    /// <example><code>
    /// using (Device.Use(Device.TorchCpu)) { Device.Default.ToString(); } // evaluates to "torch:cpu"
    /// </code></example>
    public static Device Default => scoped.Value ?? (fromEnvironment.Error is { } e
        ? throw new InvalidOperationException(e + ". Unset it or give one of those names")
        : fromEnvironment.Device);

    /// <summary>
    /// Makes <paramref name="device"/> the default for new tensors until the returned scope is disposed. The scope
    /// follows async flows and never leaks to other threads, like <see cref="Autodiff.NoGrad"/>.
    /// </summary>
    /// <example><code>
    /// using (Device.Use(Device.TorchCpu)) { var x = Tensor.Ones([3]); /* x is on torch:cpu */ }
    /// </code></example>
    public static IDisposable Use(Device device)
    {
        var previous = scoped.Value;
        scoped.Value = device;
        return new Scope(previous);
    }

    private sealed class Scope(Device? previous) : IDisposable
    {
        private bool done;
        public void Dispose()
        {
            if (done) return;
            done = true;
            scoped.Value = previous;
        }
    }
}

/// <summary>
/// The values of a tensor that live outside managed memory: a backend's own tensor (LibTorch's). Every FuncGrad
/// tensor over them references this object; the backend frees the native memory when it is collected.
/// </summary>
internal abstract class DeviceStorage
{
    internal abstract Device Device { get; }
    /// <summary>The native bytes held (for graph statistics).</summary>
    internal abstract long Bytes { get; }
}

/// <summary>
/// The seam between the ops and a device's kernels: what the ops' <c>Compute</c> need, on plain tensors of one
/// device (a managed one-element value may stand beside them). A method returns null where the backend has no kernel:
/// the op then runs on managed copies of its arguments and its result moves back (see <see cref="Backends"/>).
/// </summary>
internal abstract partial class Backend
{
    /// <summary>A plain managed tensor's values copied to <paramref name="to"/>.</summary>
    internal abstract Tensor FromManaged(Tensor plain, Device to);
    /// <summary>A plain tensor of this backend copied to managed memory.</summary>
    internal abstract Tensor ToManaged(Tensor plain);
    /// <summary>A plain tensor of this backend copied to another device of it.</summary>
    internal abstract Tensor Move(Tensor plain, Device to);

    /// <summary>An elementwise op of one argument, by the op's name (Exp, Relu, …).</summary>
    internal abstract Tensor? Unary(string name, Tensor x);
    /// <summary>x^p for a number p.</summary>
    internal abstract Tensor? Pow(Tensor x, double p);
    /// <summary>x·c for a number c, in x's dtype.</summary>
    internal abstract Tensor? Times(Tensor x, double c);
    /// <summary>x + c for a number c, in x's dtype.</summary>
    internal abstract Tensor? Plus(Tensor x, double c);
    /// <summary>An elementwise op of two broadcasting arguments, by the op's name (Add, Maximum, …).</summary>
    internal abstract Tensor? Binary(string name, Tensor a, Tensor b);
    /// <summary>A bool mask, true where the relation holds, broadcast.</summary>
    internal abstract Tensor? Compare(string relation, Tensor a, Tensor b);
    /// <summary>LogicalAnd, LogicalOr or LogicalXor of two bool tensors, broadcast, or LogicalNot of the first (the
    /// second is the same tensor); null where the backend has none.</summary>
    internal virtual Tensor? Logical(string name, Tensor a, Tensor b) => null;
    /// <summary>a where the bool mask is true, else b, broadcast.</summary>
    internal abstract Tensor? Where(Tensor mask, Tensor a, Tensor b);
    /// <summary>A batched matrix product op(a)·op(b), broadcasting batch dimensions.</summary>
    internal abstract Tensor? MatMul(Tensor a, Tensor b, bool transposeA, bool transposeB);
    /// <summary>A reduction (Sum, Max, Min, LogSumExp) over <paramref name="axes"/>.</summary>
    internal abstract Tensor? Reduce(string name, Tensor x, int[] axes, bool keepDims);
    internal abstract Tensor? Permute(Tensor x, int[] perm);
    internal abstract Tensor? BroadcastTo(Tensor x, int[] shape);
    internal abstract Tensor? Slice(Tensor x, int[] starts, int[] shape);
    /// <summary>Zeros of shape <paramref name="full"/> with x written at <paramref name="starts"/>.</summary>
    internal abstract Tensor? Pad(Tensor x, int[] starts, int[] full);
    internal abstract Tensor? IndexSelect(Tensor x, int axis, int[] indices);
    /// <summary>Zeros of size <paramref name="size"/> along axis, with the slices of x added at the indices.</summary>
    internal abstract Tensor? IndexAdd(Tensor x, int axis, int[] indices, int size);
    internal abstract Tensor? Concat(Tensor[] xs, int axis);
    internal abstract Tensor? Convert(Tensor x, DType to);

    // Scans (Ops/Scans.cs).
    /// <summary>A scan along <paramref name="axis"/> by the op's name (Cumsum, Cumprod, Logcumsumexp, Cummax, Cummin;
    /// CummaxIndices and CumminIndices give int64 positions), last to first where <paramref name="reverse"/>.</summary>
    internal virtual Tensor? Scan(string name, Tensor x, int axis, bool reverse) => null;
    /// <summary>h_k = a_k·h_prev + b_k along <paramref name="axis"/> from h_first = b_first (a_first unread).</summary>
    internal virtual Tensor? LinearScan(Tensor a, Tensor b, int axis, bool reverse) => null;
    /// <summary>v moved along <paramref name="axis"/> from (gather) or to (scatter, adding) the positions that x's
    /// running maximum (name Cummax) or minimum (Cummin) reports.</summary>
    internal virtual Tensor? RouteExtreme(string name, Tensor v, Tensor x, int axis, bool scatter) => null;

    // Sorting and selection (Ops/Sorting.cs). Order: NaN above every number, equal elements by position.
    /// <summary>int64 positions along <paramref name="axis"/>, the axis kept: Argmax, Argmin (one per line), Argsort
    /// (all; <paramref name="flag"/> descending), Topk (k; flag largest), Kthvalue (the one of 0-based rank k),
    /// Median.</summary>
    internal virtual Tensor? Pick(string kind, Tensor x, int axis, int k, bool flag) => null;
    /// <summary>x's elements at the int64 indices along the axis (torch.gather).</summary>
    internal virtual Tensor? TakeAt(Tensor x, int axis, Tensor indices) => null;
    /// <summary>Zeros with <paramref name="size"/> along the axis, g added at the int64 indices.</summary>
    internal virtual Tensor? AddAt(Tensor g, int axis, Tensor indices, int size) => null;
    /// <summary>int64 insertion points of the values in the sorted sequence's last axis.</summary>
    internal virtual Tensor? Searchsorted(Tensor sorted, Tensor values, bool right) => null;
    /// <summary>Of a one-dimensional tensor: each distinct value's first position, in ascending order of the values;
    /// each element's value number; each value's count (all int64).</summary>
    internal virtual (Tensor First, Tensor Inverse, Tensor Counts)? Unique(Tensor x) => null;

    // Indexing with tensors (Ops/GatherScatter.cs, IndexTensors.cs, Embedding.cs). A backend also returns null where an
    // index is out of range: the managed kernel then names it, as it would on managed values.
    /// <summary>x gathered at the index along dim (torch.gather).</summary>
    internal virtual Tensor? Gather(Tensor x, int dim, Tensor index) => null;
    /// <summary>self with src written at the index along dim, the last of duplicate writes (row-major)
    /// winning.</summary>
    internal virtual Tensor? Scatter(Tensor self, int dim, Tensor index, Tensor src) => null;
    /// <summary>self (or zeros of <paramref name="zeros"/>, where self is null) plus src added at the index.</summary>
    internal virtual Tensor? ScatterAdd(Tensor? self, int[]? zeros, int dim, Tensor index, Tensor src) => null;
    /// <summary>torch.scatter_reduce: sum, prod, mean, amax or amin.</summary>
    internal virtual Tensor? ScatterReduce(Tensor self, int dim, Tensor index, Tensor src, string reduce,
        bool includeSelf) => null;
    /// <summary>The slices of x at a vector index along axis, read by the rule (zeros where it skips).</summary>
    internal virtual Tensor? SelectRows(Tensor x, int axis, Tensor index, Kernels.IndexRule rule) => null;
    /// <summary>self (or zeros with <paramref name="size"/> slices, where self is null) plus the slices of src added at
    /// the index.</summary>
    internal virtual Tensor? AddRows(Tensor? self, int size, int axis, Tensor index, Tensor src,
        Kernels.IndexRule rule) => null;
    /// <summary>self with the slices of src put at the index, the last of duplicates winning.</summary>
    internal virtual Tensor? PutRows(Tensor self, int axis, Tensor index, Tensor src, Kernels.IndexRule rule) => null;
    /// <summary>A mapped index [.., size, ..] resolved by the rule and offset by example·n along axis lead.</summary>
    internal virtual Tensor? IndexOffset(Tensor index, int lead, int n, Kernels.IndexRule rule) => null;
    /// <summary>Index tensors of the leading axes of sizes <paramref name="sizes"/> as one row-major
    /// position.</summary>
    internal virtual Tensor? LinearIndex(Tensor[] indices, int[] sizes) => null;
    /// <summary>The positions of the non-zero elements, int64 [count, rank].</summary>
    internal virtual Tensor? Nonzero(Tensor x) => null;
    /// <summary>int64 one-hot codes [.., classes].</summary>
    internal virtual Tensor? OneHot(Tensor x, int classes) => null;
    /// <summary>Each entry's bag from the bags' start offsets (−1: in no bag).</summary>
    internal virtual Tensor? BagIds(Tensor offsets, int count, bool includeLast) => null;
}

/// <summary>Finds the backend of a device, and runs an op on the device its arguments live on.</summary>
internal static class Backends
{
    private const string TorchAssembly = "FuncGrad.LibTorch", TorchType = "FuncGrad.LibTorch.TorchBackend";
    private static Backend? torch;
    private static readonly object gate = new();

    /// <summary>The backend of a device other than <see cref="Device.Managed"/>, loaded on first use by name, so the
    /// core never references it.</summary>
    internal static Backend For(Device d)
    {
        if (torch is { } b) return b;
        lock (gate)
        {
            if (torch is not null) return torch;
            Type? type;
            try { type = Assembly.Load(TorchAssembly).GetType(TorchType, throwOnError: true); }
            catch (Exception e) when (e is FileNotFoundException or FileLoadException or TypeLoadException)
            {
                throw new InvalidOperationException(
                    $"the device {d} needs the {TorchAssembly} package, which was not found ({e.Message}). Add a "
                    + $"reference to {TorchAssembly} and to the libtorch package for your platform "
                    + "(libtorch-cpu-linux-x64, say), or use Device.Managed", e);
            }
            return torch = (Backend)Activator.CreateInstance(type!, nonPublic: true)!;
        }
    }

    /// <summary>The device of plain arguments that hold storage: managed unless one holds device storage; a managed
    /// one-element value goes with any device. Mixing two devices is the error named here.</summary>
    internal static Device Of(Tensor[] args, string op)
    {
        Device? found = null;
        Tensor? first = null;
        foreach (var a in args)
        {
            var d = a.StorageDevice;
            if (d.IsManaged && a.IsInlineScalar) continue;
            if (found is null) { found = d; first = a; }
            else if (found.Value != d) throw Mixed(op, first!, found.Value, a, d);
        }
        return found ?? Device.Managed;
    }

    /// <summary>
    /// A seed cotangent for <paramref name="output"/>: a managed one-element seed (<c>Tensor.Scalar(1.0)</c>) moves to
    /// the output's device, as it would combine with it; the rules would otherwise broadcast it to a managed array.
    /// </summary>
    internal static Tensor Beside(Tensor seed, Tensor output)
    {
        if (seed.Count != 1) return seed;
        var d = output.Device;
        return d.IsManaged || !seed.Device.IsManaged ? seed : seed.To(d);
    }

    internal static DeviceMismatchException Mixed(string op, Tensor a, Device da, Tensor b, Device db) => new(
        $"{op}: cannot combine {Shapes.Show(a)} on {da} with {Shapes.Show(b)} on {db}; devices are never mixed "
        + $"silently. Move one with To(Device.Parse(\"{da}\")) or To(Device.Parse(\"{db}\"))");

    /// <summary>
    /// The op's value on arguments at least one of which holds device storage: the op's own kernel call on that
    /// device's backend, or else the op on managed copies, moved back (correct everywhere, and slow: the ops that
    /// matter for speed have kernels).
    /// </summary>
    internal static Tensor Compute(Op op, Tensor[] args)
    {
        var device = Of(args, op.Name);
        if (device.IsManaged) return op.Compute(args); // only managed one-element values beside each other
        var backend = For(device);
        if (op.ComputeOn(backend, args) is { } y) return y;
        var managed = new Tensor[args.Length];
        for (int i = 0; i < args.Length; i++)
            managed[i] = args[i].StorageDevice.IsManaged ? args[i] : backend.ToManaged(args[i].Value);
        var r = op.Compute(managed);
        GC.KeepAlive(managed);
        return backend.FromManaged(r, device);
    }
}
