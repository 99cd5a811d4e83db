using System.Collections.Immutable;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FuncGrad;

/// <summary>
/// An immutable n-dimensional array of float64 or float32 values, stored contiguously in row-major
/// order. Ops never change a tensor: they return new ones.
/// </summary>
/// <remarks>
/// A tensor that takes part in a differentiation also carries its place in the graph (the op that made it, or a
/// tangent). A tensor is one of five kinds. A plain value owns its storage. A <em>dual</em> (forward mode)
/// pairs a primal with a tangent under a differentiation tag. A <em>node</em> (reverse mode) pairs a
/// primal with the op and arguments that produced it, under a tag. A <em>batched</em> value (inside
/// <see cref="Autodiff.Vmap(Func{Tensor, Tensor}, Tensor, int, int)"/>) holds a whole batch under a
/// tag and shows the shape of one example. A <em>traced</em> value (while <see cref="Autodiff.Compile(Func{Tensor,
/// Tensor})"/> traces a function) has a shape and a dtype but no values, under a tag. Primals may
/// themselves be duals, nodes, batches or tracers of an outer level; that nesting is how derivatives
/// of any order, in any mix of modes and batching, are told apart.
/// </remarks>
/// <example><code>
/// var x = Tensor.FromArray([1.0, 2.0, 3.0]);
/// var y = (x * x).Sum();   // tensor(14., dtype=float64)
/// </code></example>
public sealed partial class Tensor : IEquatable<Tensor>
{
    // Shared, never mutated: ops reuse their inputs' shape arrays.
    internal readonly int[] shape;
    // The storage, double[] or float[]: of a plain value, or of a node's plain value one level down, held
    // here so that a first-order node is one object rather than two (a graph is kept alive, so that halves
    // what the collector copies as it promotes the graph, and the memory it holds). A one-element value
    // keeps its element inline instead (a float32 in the field's first four bytes), with no array at all.
    // A large array from the pool is held through its lease, which every tensor over it shares (Storage.cs).
    // A tensor of another device (Device.cs) holds its backend's DeviceStorage here instead.
    private readonly object? store;     // double[], float[], a Lease over one, or DeviceStorage
    internal Array? data => store is Lease lease ? lease.Array : store as Array;
    private readonly double inline;
    internal readonly Tensor? primal;    // duals, and nodes whose value one level down is itself a dual or node
    internal readonly long tag;          // 0 for plain values
    internal readonly Tensor? tangent;   // duals only
    internal readonly Op? op;            // nodes made by an op; null for a variable (leaf)
    // Nodes: the op's argument as given (a tensor), or its arguments (an array). Batched values: their
    // BatchAxis; the whole batch is then the primal, and shape is the shape of one example.
    private readonly object? inputs;
    // Duals and nodes: creation order, from an atomic counter. A node's arguments exist before it, so
    // they have smaller ids: the reverse walk runs nodes in decreasing id, which is a topological order.
    internal readonly long id;
    private static long nextId;

    /// <summary>The element type.</summary>
    /// <example><code>Tensor.Scalar(1.0).DType // evaluates to DType.Float64</code></example>
    public DType DType { get; }

    private Tensor(int[] shape, DType dtype, Array data, Lease? lease = null)
    {
        this.shape = shape; DType = dtype;
        if (data.Length != 1) store = (object?)lease ?? data;
        else
            switch (data) // the element's bits at the start of the field, whatever its type
            {
                case double[] d: inline = d[0]; break;
                case float[] f: Unsafe.As<double, float>(ref inline) = f[0]; break;
                case long[] l: Unsafe.As<double, long>(ref inline) = l[0]; break;
                case int[] i: Unsafe.As<double, int>(ref inline) = i[0]; break;
                default: Unsafe.As<double, bool>(ref inline) = ((bool[])data)[0]; break;
            }
    }

    /// <summary>A value that shares the storage of the value-holding tensor <paramref name="from"/> (plain, or a node
    /// holding its value).</summary>
    private Tensor(int[] shape, Tensor from)
    {
        this.shape = shape; DType = from.DType; store = from.store; inline = from.inline;
    }

    private Tensor(int[] shape, DType dtype, DeviceStorage storage)
    {
        this.shape = shape; DType = dtype; store = storage;
    }

    private Tensor(int[] shape, double value) { this.shape = shape; DType = DType.Float64; inline = value; }
    private Tensor(int[] shape, float value)
    {
        this.shape = shape;
        DType = DType.Float32;
        Unsafe.As<double, float>(ref inline) = value;
    }

    private Tensor(Tensor primal, long tag, Tensor? tangent, Op? op, Tensor[]? args)
    {
        shape = primal.shape; DType = primal.DType;
        if (primal.tag == 0 && tangent is null) { store = primal.store; inline = primal.inline; }
        else this.primal = primal;
        this.tag = tag; this.tangent = tangent; this.op = op;
        inputs = args is { Length: 1 } ? args[0] : args; // most ops take one argument: no array kept for it
        id = Interlocked.Increment(ref nextId);
    }

    internal static Tensor Plain(int[] shape, double[] data) => new(shape, DType.Float64, data);
    /// <summary>A plain value of <paramref name="dtype"/> over <paramref name="data"/>, an array of its element
    /// type.</summary>
    internal static Tensor Plain(int[] shape, DType dtype, Array data) => new(shape, dtype, data);
    internal static Tensor Plain(int[] shape, float[] data) => new(shape, DType.Float32, data);
    internal static Tensor Plain<T>(int[] shape, T[] data) where T : unmanaged =>
        new(shape, DTypeExtensions.Of<T>(), data);
    /// <summary>A plain value over an array from <see cref="Storage.Uninitialized{T}"/>, with its lease (if
    /// pooled).</summary>
    internal static Tensor Plain<T>(int[] shape, T[] data, Lease? lease) where T : unmanaged =>
        new(shape, DTypeExtensions.Of<T>(), data, lease);
    /// <summary>A one-element plain value, stored inline.</summary>
    internal static Tensor PlainScalar<T>(int[] shape, T value) where T : unmanaged =>
        typeof(T) == typeof(double) ? new(shape, Unsafe.As<T, double>(ref value))
        : typeof(T) == typeof(float) ? new(shape, Unsafe.As<T, float>(ref value))
        : new(shape, DTypeExtensions.Of<T>(), new[] { value });
    /// <summary>A plain value of <paramref name="shape"/> over a backend's storage.</summary>
    internal static Tensor FromStorage(int[] shape, DType dtype, DeviceStorage storage) => new(shape, dtype, storage);
    internal static Tensor Dual(Tensor primal, Tensor tangent, long tag) => new(primal, tag, tangent, null, null);
    internal static Tensor Node(Tensor primal, long tag, Op op, Tensor[] args) => new(primal, tag, null, op, args);
    internal static Tensor Leaf(Tensor value, long tag) => new(value, tag, null, null, null);

    /// <summary>A batched value of vmap level <paramref name="tag"/>: <paramref name="batch"/> holds every example
    /// along <paramref name="axis"/>.</summary>
    internal static Tensor Batched(Tensor batch, long tag, int axis)
    {
        var one = batch.shape.Length == 1 ? Shapes.Scalar : new int[batch.shape.Length - 1];
        for (int i = 0, j = 0; i < batch.shape.Length; i++) if (i != axis) one[j++] = batch.shape[i];
        return new(one, batch, tag, BatchAxis.Of(axis));
    }

    private Tensor(int[] shape, Tensor batch, long tag, BatchAxis axis)
    {
        this.shape = shape; DType = batch.DType; primal = batch; this.tag = tag; inputs = axis;
    }

    /// <summary>A tracer of the compile trace with tag <paramref name="tag"/>: a shape and a dtype, no values;
    /// <paramref name="slot"/> says which value of the trace it stands for.</summary>
    internal static Tensor Traced(int[] shape, DType dtype, long tag, TraceSlot slot) => new(shape, dtype, tag, slot);

    private Tensor(int[] shape, DType dtype, long tag, TraceSlot slot)
    {
        this.shape = shape; DType = dtype; this.tag = tag; inputs = slot;
    }

    /// <summary>A tracer's place in its trace.</summary>
    internal TraceSlot Slot => (TraceSlot)inputs!;

    /// <summary>A batched value's batch axis in its primal (the whole batch).</summary>
    internal int BatchDim => ((BatchAxis)inputs!).Axis;

    /// <summary>A batched value's number of examples.</summary>
    internal int BatchSize => primal!.shape[BatchDim];

    /// <summary>A node's arguments as given (a new array for a one-argument node); null for plain values, duals and
    /// variables.</summary>
    internal Tensor[]? args => inputs switch { Tensor one => [one], Tensor[] many => many, _ => null };

    /// <summary>How many arguments a node has (0 for anything else).</summary>
    internal int ArgCount => inputs switch { Tensor => 1, Tensor[] many => many.Length, _ => 0 };

    /// <summary>A node's argument <paramref name="i"/>.</summary>
    internal Tensor Arg(int i) => inputs as Tensor ?? ((Tensor[])inputs!)[i];

    internal bool IsPlain => tag == 0;
    internal bool IsDual => tangent is not null;
    internal bool IsNode => tag != 0 && tangent is null && inputs is not (BatchAxis or TraceSlot);
    internal bool IsBatched => inputs is BatchAxis;
    internal bool IsTraced => inputs is TraceSlot;

    /// <summary>
    /// The value under every level of differentiation: plain, or batched where a vmap level lies below (a batch
    /// is not a differentiation: detaching inside vmap keeps it, with the value under it detached).
    /// </summary>
    internal Tensor Value
    {
        get
        {
            var t = this;
            while (t.primal is not null && !t.IsBatched) t = t.primal;
            if (t.IsBatched) return t.primal!.tag == 0 ? t : Batched(t.primal.Value, t.tag, t.BatchDim);
            return t.tag == 0 || t.IsTraced ? t : new(shape, t);
        }
    }

    /// <summary>
    /// The tensor that holds the storage under every level of differentiation: a plain value, or a node that holds
    /// its value. A batched level has no storage of one example's shape: reading it is the mistake named here.
    /// </summary>
    private Tensor Holder
    {
        get
        {
            var t = this;
            while (t.primal is not null)
            {
                if (t.IsBatched) throw Batching.ReadError(this, "reading its values");
                t = t.primal;
            }
            return t.IsTraced ? throw Tracing.ReadError(this, "reading its values") : t;
        }
    }

    /// <summary>What identifies the storage: the array, a device's storage, or for a one-element value, the tensor
    /// holding it.</summary>
    internal object StorageKey { get { var t = Holder; return (object?)t.data ?? t.store ?? t; } }

    /// <summary>A plain value's (or a node's held value's) backend storage; null for managed values.</summary>
    internal DeviceStorage? DeviceStore => store as DeviceStorage;

    /// <summary>Whether this plain value (or node holding its value) lives on a device other than managed.</summary>
    internal bool OnDevice => store is DeviceStorage;

    /// <summary>Whether this plain value (or node holding its value) is a managed one-element value kept inline,
    /// which combines with tensors of any device.</summary>
    internal bool IsInlineScalar => store is null;

    /// <summary>The device of a plain value's (or a node's held value's) storage.</summary>
    internal Device StorageDevice => store is DeviceStorage s ? s.Device : Device.Managed;

    /// <summary>Where this tensor's values live: see <see cref="FuncGrad.Device"/>. A differentiated or batched
    /// tensor lives where its value does.</summary>
    /// <example><code>Tensor.Ones([2]).To(Device.TorchCpu).Device // evaluates to torch:cpu</code></example>
    public Device Device
    {
        get
        {
            var t = this;
            while (t.primal is not null) t = t.primal;
            return t.StorageDevice;
        }
    }

    /// <summary>The values as a managed plain tensor: this value's holder itself when managed, else a copy.</summary>
    internal Tensor Host()
    {
        var t = Holder;
        return t.store is DeviceStorage s ? Backends.For(s.Device).ToManaged(t) : t;
    }

    /// <summary>A dual's or node's value one level down (for a node that holds its plain value, a plain tensor over the
    /// same storage).</summary>
    internal Tensor Down => primal ?? (IsTraced ? throw Tracing.Escaped(this) : new(shape, this));

    /// <summary>A plain value of shape <paramref name="to"/> (same element count) over this value's storage, which is
    /// immutable, so it is shared.</summary>
    internal Tensor Reshaped(int[] to) => new(to, Holder);

    /// <summary>This tensor as seen from differentiation <paramref name="t"/>: its primal if it belongs to it, itself
    /// otherwise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal Tensor PrimalAt(long t) => tag == t ? Down : this;

    internal ReadOnlySpan<T> Span<T>()
    {
        var t = Holder;
        return t.data is { } d
            ? Unsafe.As<T[]>(d)
            : t.store is null
            ? MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<double, T>(ref Unsafe.AsRef(in t.inline)), 1)
            : throw NotManaged(t);
    }

    // Out of line, so that Span stays small enough to inline into the kernels.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private InvalidOperationException NotManaged(Tensor holder) => new(
        $"a managed kernel was given {Shapes.Show(this)} on {holder.StorageDevice}: this is a bug in FuncGrad");

    /// <summary>The storage as an array: the array itself, or a new one-element copy of an inline value.</summary>
    internal T[] Buffer<T>() where T : unmanaged => Holder.data is { } d ? Unsafe.As<T[]>(d) : Span<T>().ToArray();

    /// <summary>The dimensions, outermost first. Empty for a scalar.</summary>
    /// <example><code>Tensor.Zeros([2, 3]).Shape // evaluates to [2, 3]</code></example>
    public ImmutableArray<int> Shape => ImmutableCollectionsMarshal.AsImmutableArray(shape);

    /// <summary>The number of dimensions; 0 for a scalar.</summary>
    /// <example><code>Tensor.Zeros([2, 3]).Rank // evaluates to 2</code></example>
    public int Rank => shape.Length;

    /// <summary>The number of elements: the product of the dimensions.</summary>
    /// <example><code>Tensor.Zeros([2, 3]).Count // evaluates to 6</code></example>
    public int Count
    {
        get { int n = 1; foreach (var d in shape) n *= d; return n; }
    }

    /// <summary>A flattened row-major copy of the values, as float64 whatever the dtype.</summary>
    /// <example><code>
    /// Tensor.FromArray(new double[,] { { 1, 2 }, { 3, 4 } }).ToArray() // evaluates to [1, 2, 3, 4]
    /// </code></example>
    public double[] ToArray() => Read<double>("ToArray()");

    /// <summary>A flattened row-major copy of the values, as float32 (float64 values are rounded).</summary>
    /// <example><code>Tensor.FromArray(new float[] { 1f, 2f }).ToFloatArray() // evaluates to [1f, 2f]</code></example>
    public float[] ToFloatArray() => Read<float>("ToFloatArray()");

    /// <summary>A flattened row-major copy of the values as int64: floats truncated toward zero (a NaN, an infinity or
    /// a value out of range is an error), bools as 0 and 1.</summary>
    /// <example><code>Tensor.FromArray(new long[] { 3, 1 }).ToInt64Array() // evaluates to [3L, 1L]</code></example>
    public long[] ToInt64Array() => Read<long>("ToInt64Array()");

    /// <summary>A flattened row-major copy of the values as int32, converted as <see cref="ToInt64Array"/> converts
    /// (an int64 out of int32's range is an error).</summary>
    /// <example><code>Tensor.FromArray(new[] { 3, 1 }).ToInt32Array() // evaluates to [3, 1]</code></example>
    public int[] ToInt32Array() => Read<int>("ToInt32Array()");

    /// <summary>A flattened row-major copy of the values as booleans: true where not zero (a NaN is true).</summary>
    /// <example><code>
    /// Tensor.FromArray(new[] { true, false }).ToBoolArray() // evaluates to [true, false]
    /// </code></example>
    public bool[] ToBoolArray() => Read<bool>("ToBoolArray()");

    private T[] Read<T>(string what) where T : unmanaged
    {
        Readable(what);
        if (Holder.OnDevice) return Host().Read<T>(what);
        var r = DType == DTypeExtensions.Of<T>() ? Span<T>().ToArray() : Kernels.Cast.To<T>(Holder, what);
        GC.KeepAlive(this); // the storage is read through a span: keep its lease alive until done (Storage.cs)
        return r;
    }

    /// <summary>Throws where this tensor has no values to read (batched inside vmap, or traced inside compile), or
    /// where a custom rule reading them would drop a derivative (RuleReads.cs).</summary>
    private void Readable(string what)
    {
        if (tag == 0) return;
        if (Batching.Below(this)) throw Batching.ReadError(this, what);
        if (Tracing.Below(this)) throw Tracing.ReadError(this, what);
        RuleReads.Check(this, what);
    }

    /// <summary>The values as a read-only span, without copying. The span stays valid after the tensor is gone: its
    /// storage is then never reused.</summary>
    /// <example><code>Tensor.FromArray([1.0, 2.0]).AsSpan()[1] // evaluates to 2.0</code></example>
    public ReadOnlySpan<double> AsSpan() => DType == DType.Float64
        ? Escaped<double>()
        : throw new DTypeMismatchException(
            $"AsSpan: the tensor is {DType.Name()}; use AsFloatSpan(), or ToDType(DType.Float64) first");

    /// <summary>The float32 values as a read-only span, without copying.</summary>
    /// <example><code>Tensor.FromArray(new float[] { 1f }).AsFloatSpan()[0] // evaluates to 1f</code></example>
    public ReadOnlySpan<float> AsFloatSpan() => DType == DType.Float32
        ? Escaped<float>()
        : throw new DTypeMismatchException(
            $"AsFloatSpan: the tensor is {DType.Name()}; use AsSpan(), or ToDType(DType.Float32) first");

    // The caller may hold the span longer than the tensor: its array must never go back to the pool.
    private ReadOnlySpan<T> Escaped<T>()
    {
        Readable(typeof(T) == typeof(double) ? "AsSpan()" : "AsFloatSpan()");
        if (Holder.OnDevice) return Host().Span<T>(); // a copy, owned by the caller's span alone
        (Holder.store as Lease)?.Escape();
        return Span<T>();
    }

    /// <summary>The single value of a one-element tensor (any rank), as float64.</summary>
    /// <remarks>
    /// This method keeps the name <c>Item</c>, as in PyTorch's <c>x.item()</c>, so the indexer (<c>x[1, 2]</c> in C#,
    /// <c>x.[1, 2]</c> in F#) is compiled under the name <c>At</c>: C# cannot have a method and an indexer both named
    /// Item, and F# finds the indexer through the type's default member, whatever its name.
    /// </remarks>
    /// <example><code>Tensor.Scalar(2.5).Item() // evaluates to 2.5</code></example>
    public double Item()
    {
        Readable("Item()");
        if (Count != 1)
            throw new ShapeMismatchException(
                $"item: the tensor has shape {Shapes.Show(shape)} with {Count} elements; Item() needs exactly one. " +
                "Use ToArray() or Sum() first");
        return Element(0);
    }

    internal double Element(int i)
    {
        if (Holder.OnDevice) return Host().Element(i);
        double v = DType switch
        {
            DType.Float64 => Span<double>()[i],
            DType.Float32 => Span<float>()[i],
            DType.Int64 => Span<long>()[i],
            DType.Int32 => Span<int>()[i],
            _ => Span<bool>()[i] ? 1 : 0,
        };
        GC.KeepAlive(this);
        return v;
    }

    /// <summary>Element i of an int64 tensor, exactly (a double holds integers exactly only up to 2^53).</summary>
    private long Int64Element(int i)
    {
        long v = Holder.OnDevice ? Host().Int64Element(i) : Span<long>()[i];
        GC.KeepAlive(this);
        return v;
    }

    /// <summary>
    /// Exact value equality: same dtype, same shape and every element equal as <see cref="double.Equals(double)"/>
    /// defines it (NaN equals NaN; 0.0 equals -0.0).
    /// </summary>
    /// <remarks>
    /// The graph is ignored: a variable equals its plain value. The operator <c>==</c> is not overloaded and stays
    /// reference equality; use <see cref="AllClose"/> for tolerances.
    /// </remarks>
    /// <example><code>
    /// Tensor.FromArray([1.0, 2.0]).Equals(Tensor.FromArray([1.0, 2.0])) // evaluates to true
    /// </code></example>
    public bool Equals(Tensor? other)
    {
        if (other is null) return false;
        if (ReferenceEquals(this, other)) return true;
        Readable("Equals"); other.Readable("Equals");
        if (DType != other.DType || !Shapes.Same(shape, other.shape)) return false;
        if (Holder.OnDevice || other.Holder.OnDevice) return Host().Equals(other.Host());
        for (int i = 0; i < Count; i++)
            if (DType == DType.Int64 ? Int64Element(i) != other.Int64Element(i) : !Element(i).Equals(other.Element(i)))
                return false;
        return true;
    }

    /// <summary>Exact equality with another tensor, as <see cref="Equals(Tensor)"/>; false for anything else.</summary>
    /// <example><code>Tensor.Scalar(1.0).Equals((object)"1") // evaluates to false</code></example>
    public override bool Equals(object? obj) => obj is Tensor t && Equals(t);

    /// <summary>A hash consistent with <see cref="Equals(Tensor)"/>.</summary>
    /// <example><code>
    /// Tensor.Scalar(1.0).GetHashCode() == Tensor.Scalar(1.0).GetHashCode() // evaluates to true
    /// </code></example>
    public override int GetHashCode()
    {
        Readable("GetHashCode()");
        if (Holder.OnDevice) return Host().GetHashCode();
        var h = new HashCode();
        h.Add(DType);
        foreach (var d in shape) h.Add(d);
        for (int i = 0; i < Math.Min(Count, 16); i++) { var v = Element(i); h.Add(v == 0 ? 0.0 : v); }
        return h.ToHashCode();
    }

    /// <summary>
    /// True when the shapes are equal and every pair of elements satisfies |a − b| ≤ atol + rtol·|b|
    /// (NumPy's rule; NaNs are equal only when <paramref name="equalNaN"/>). Dtypes may differ.
    /// </summary>
    /// <example><code>Tensor.Scalar(1.0).AllClose(Tensor.Scalar(1.0 + 1e-12)) // evaluates to true</code></example>
    public bool AllClose(Tensor other, double rtol = 1e-5, double atol = 1e-8, bool equalNaN = false)
    {
        Guard.NotNull(other);
        Readable("AllClose"); other.Readable("AllClose");
        if (!Shapes.Same(shape, other.shape)) return false;
        if (Holder.OnDevice || other.Holder.OnDevice) return Host().AllClose(other.Host(), rtol, atol, equalNaN);
        for (int i = 0; i < Count; i++)
        {
            double a = Element(i), b = other.Element(i);
            if (double.IsNaN(a) || double.IsNaN(b))
            {
                if (equalNaN && double.IsNaN(a) && double.IsNaN(b)) continue;
                return false;
            }
            if (a == b) continue;
            if (double.IsInfinity(a) || double.IsInfinity(b)) return false; // an infinity is close only to itself
            if (!(Math.Abs(a - b) <= atol + rtol * Math.Abs(b))) return false;
        }
        return true;
    }
}
