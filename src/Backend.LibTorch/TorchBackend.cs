using TorchSharp;
using static TorchSharp.torch;
using TT = TorchSharp.torch.Tensor;

namespace FuncGrad.LibTorch;

/// <summary>
/// A torch tensor held by FuncGrad tensors. Users never dispose tensors, so the native memory follows the managed
/// lifetime: when the last FuncGrad tensor over this storage is collected, so is TorchSharp's tensor, whose finalizer
/// frees the native memory. A large tensor also counts against a budget (<see cref="Pressured"/>), so that the
/// collector runs as native memory grows, not only as managed memory does.
/// </summary>
internal class TorchStorage : DeviceStorage
{
    internal readonly TT Tensor;
    internal readonly int[] Shape;      // the torch tensor's own shape; a FuncGrad reshape shares it
    private readonly Device device;
    private readonly long bytes;

    protected TorchStorage(TT tensor, int[] shape, Device device, long bytes)
    {
        Tensor = tensor; Shape = shape; this.device = device; this.bytes = bytes;
    }

    // A small tensor's native memory is of the order of its managed wrappers': the collector needs no word of it,
    // and one finalizer (TorchSharp's) is enough. A chain of one-element ops makes thousands of these.
    private const long PressureFrom = 1024;

    internal static TorchStorage Of(TT tensor, int[] shape, Device device, long bytes) =>
        bytes >= PressureFrom
            ? new Pressured(tensor, shape, device, bytes)
            : new TorchStorage(tensor, shape, device, bytes);

    internal override Device Device => device;
    internal override long Bytes => bytes;

    /// <summary>
    /// Storage counted against a budget of native bytes: every 64 MB made, the backend asks for a gen-1 collection,
    /// which finds the tensors of the last steps dead (they die young: activations, cotangents, the parameters a step
    /// replaced), and every eighth time a full one, for those that lived long enough to be promoted.
    /// GC.AddMemoryPressure would do it too, but with a small managed heap it asks for a full collection every few
    /// megabytes, which cost the S2 training step on torch:cpu a third of its time.
    /// </summary>
    private sealed class Pressured : TorchStorage
    {
        private const long Every = 64L << 20;
        private static long since;
        private static int collections;

        internal Pressured(TT tensor, int[] shape, Device device, long bytes) : base(tensor, shape, device, bytes)
        {
            if (Interlocked.Add(ref since, bytes) < Every) return;
            Interlocked.Exchange(ref since, 0);
            int generation = Interlocked.Increment(ref collections) % 8 == 0 ? 2 : 1;
            GC.Collect(generation, GCCollectionMode.Forced, blocking: true);
        }

        ~Pressured() => Tensor.Dispose();
    }
}

internal sealed partial class TorchBackend : Backend
{
    // No tensor made here requires grad, so torch's own autograd records nothing: FuncGrad keeps the graph.

    private static torch.Device TorchDevice(Device d) =>
        d.IsCuda ? new torch.Device(DeviceType.CUDA, d.Index) : torch.CPU;

    private static ScalarType Type(DType t) => t switch
    {
        DType.Float64 => ScalarType.Float64,
        DType.Float32 => ScalarType.Float32,
        DType.Int64 => ScalarType.Int64,
        DType.Int32 => ScalarType.Int32,
        _ => ScalarType.Bool,
    };

    private static DType FromType(ScalarType t) => t switch
    {
        ScalarType.Float64 => DType.Float64,
        ScalarType.Float32 => DType.Float32,
        ScalarType.Int64 => DType.Int64,
        ScalarType.Int32 => DType.Int32,
        ScalarType.Bool => DType.Bool,
        _ => throw new InvalidOperationException(
            $"FuncGrad.LibTorch: torch made a {t} tensor; FuncGrad has no such dtype"),
    };

    private static long[] Long(int[] a)
    {
        var r = new long[a.Length];
        for (int i = 0; i < a.Length; i++) r[i] = a[i];
        return r;
    }


    /// <summary>An argument read by a kernel: the torch tensor, and whether it was made here (disposed
    /// after).</summary>
    private readonly struct Arg(TT t, bool temporary) : IDisposable
    {
        internal readonly TT T = t;
        public void Dispose() { if (temporary) T.Dispose(); }
    }

    /// <summary>A plain argument (or a node holding its value) as a torch tensor of its FuncGrad shape; a managed
    /// one-element value becomes a tensor on <paramref name="on"/>.</summary>
    private static Arg Read(Tensor x, Device on)
    {
        if (x.DeviceStore is TorchStorage s)
            return ReferenceEquals(s.Shape, x.shape) || Shapes.Same(s.Shape, x.shape)
                ? new(s.Tensor, false)
                : new(s.Tensor.reshape(Long(x.shape)), true);
        var t = x.DType switch
        {
            DType.Float64 => torch.tensor(x.Element(0), ScalarType.Float64, TorchDevice(on)),
            DType.Float32 => torch.tensor((float)x.Element(0), ScalarType.Float32, TorchDevice(on)),
            DType.Int64 => torch.tensor(x.ToInt64Array()[0], ScalarType.Int64, TorchDevice(on)),
            DType.Int32 => torch.tensor(x.ToInt32Array()[0], ScalarType.Int32, TorchDevice(on)),
            _ => torch.tensor(x.ToBoolArray()[0], ScalarType.Bool, TorchDevice(on)),
        };
        return new(x.shape.Length == 0 ? t : t.reshape(Long(x.shape)), true);
    }

    private static Device DeviceOf(params Tensor[] xs)
    {
        foreach (var x in xs) if (x.DeviceStore is { } s) return s.Device;
        return Device.TorchCpu;
    }

    /// <summary>A FuncGrad plain tensor over a torch result (which it then owns), asking torch its shape and
    /// dtype.</summary>
    private static Tensor Wrap(TT r, Device d)
    {
        var shape = r.shape;
        var fg = new int[shape.Length];
        for (int i = 0; i < shape.Length; i++) fg[i] = checked((int)shape[i]);
        return Wrap(r, d, fg, FromType(r.dtype));
    }

    /// <summary>A FuncGrad plain tensor over a torch result whose shape and dtype the caller knows: two native calls
    /// fewer, which a chain of small ops feels.</summary>
    private static Tensor Wrap(TT r, Device d, int[] shape, DType dtype)
    {
        long n = 1;
        foreach (var k in shape) n *= k;
        long bytes = n * dtype.Bytes();
        return Tensor.FromStorage(shape, dtype, TorchStorage.Of(r, shape, d, bytes));
    }

    /// <summary>An op whose result has its argument's shape and dtype.</summary>
    private static Tensor Map(Tensor x, Func<TT, TT> f)
    {
        var d = DeviceOf(x);
        using var a = Read(x, d);
        return Wrap(f(a.T), d, x.shape, x.DType);
    }

    /// <summary>An op of two broadcasting arguments of one dtype.</summary>
    private static Tensor Zip(Tensor x, Tensor y, string name, Func<TT, TT, TT> f)
    {
        var d = DeviceOf(x, y);
        var shape = Shapes.Broadcast(x.shape, y.shape, name);
        using var a = Read(x, d);
        using var b = Read(y, d);
        return Wrap(f(a.T, b.T), d, shape, x.DType);
    }

    private static Tensor One(Tensor x, Func<TT, TT> f)
    {
        var d = DeviceOf(x);
        using var a = Read(x, d);
        return Wrap(f(a.T), d);
    }

    private static Tensor Two(Tensor x, Tensor y, Func<TT, TT, TT> f)
    {
        var d = DeviceOf(x, y);
        using var a = Read(x, d);
        using var b = Read(y, d);
        return Wrap(f(a.T, b.T), d);
    }

    internal override Tensor FromManaged(Tensor plain, Device to)
    {
        var shape = Long(plain.shape);
        TT t = plain.DType switch
        {
            DType.Float64 => torch.tensor(plain.ToArray(), shape, ScalarType.Float64),
            DType.Float32 => torch.tensor(plain.ToFloatArray(), shape, ScalarType.Float32),
            DType.Int64 => torch.tensor(plain.ToInt64Array(), shape, ScalarType.Int64),
            DType.Int32 => torch.tensor(plain.ToInt32Array(), shape, ScalarType.Int32),
            _ => torch.tensor(plain.ToBoolArray(), shape, ScalarType.Bool),
        };
        if (to.IsCuda)
        {
            var moved = t.to(TorchDevice(to));
            t.Dispose();
            t = moved;
        }
        return Wrap(t, to, plain.shape, plain.DType);
    }

    internal override Tensor ToManaged(Tensor plain)
    {
        // TorchSharp's reader fails on an empty tensor of two or more dimensions ([2x0]): there is nothing to read
        if (plain.Count == 0)
            return Tensor.Plain(plain.shape, plain.DType, Array.CreateInstance(plain.DType.ClrType(), 0));
        var d = DeviceOf(plain);
        using var a = Read(plain, d);
        using var host = a.T.device_type == DeviceType.CPU ? a.T.contiguous() : a.T.cpu().contiguous();
        return plain.DType switch
        {
            DType.Float64 => Tensor.Plain(plain.shape, host.data<double>().ToArray()),
            DType.Float32 => Tensor.Plain(plain.shape, host.data<float>().ToArray()),
            DType.Int64 => Tensor.Plain(plain.shape, host.data<long>().ToArray()),
            DType.Int32 => Tensor.Plain(plain.shape, host.data<int>().ToArray()),
            _ => Tensor.Plain(plain.shape, host.data<bool>().ToArray()),
        };
    }

    internal override Tensor Move(Tensor plain, Device to)
    {
        var d = DeviceOf(plain);
        if (d == to) return plain;
        using var a = Read(plain, d);
        return Wrap(a.T.to(TorchDevice(to)), to, plain.shape, plain.DType);
    }

    internal override Tensor? Unary(string name, Tensor x) => name switch
    {
        "Neg" => Map(x, t => t.neg()),
        "Exp" => Map(x, t => t.exp()),
        "Log" => Map(x, t => t.log()),
        "Log1p" => Map(x, t => t.log1p()),
        "Expm1" => Map(x, t => t.expm1()),
        "Sqrt" => Map(x, t => t.sqrt()),
        "Square" => Map(x, t => t.square()),
        "Reciprocal" => Map(x, t => t.reciprocal()),
        "Abs" => Map(x, t => t.abs()),
        "Sign" => Map(x, t => t.sign()),
        "Sin" => Map(x, t => t.sin()),
        "Cos" => Map(x, t => t.cos()),
        "Tan" => Map(x, t => t.tan()),
        "Tanh" => Map(x, t => t.tanh()),
        "Sigmoid" => Map(x, t => t.sigmoid()),
        "Softplus" => Map(x, t => torch.nn.functional.softplus(t)),
        "Relu" => Map(x, t => t.relu()),
        "Step" => Map(x, t =>
        {
            using var zero = torch.zeros_like(t);
            using var positive = t.gt(zero);
            return positive.to_type(t.dtype);
        }),
        _ => null,
    };

    // A number passed as a double becomes a temporary torch Scalar that TorchSharp reads only for its handle, so the
    // collector may finalize it, freeing the native scalar, while the native call still reads it (a million-op chain
    // failed one run in three in Scalar::toDouble). Each Scalar is held, and disposed, until the call returns.
    internal override Tensor? Pow(Tensor x, double p) => Map(x, t =>
    {
        using var s = p.ToScalar();
        return t.pow(s);
    });

    internal override Tensor? Times(Tensor x, double c) => Map(x, t =>
    {
        using var s = c.ToScalar();
        return t.mul(s);
    });

    internal override Tensor? Plus(Tensor x, double c) => Map(x, t =>
    {
        using var s = c.ToScalar();
        return Held.Plus(t, s);
    });

    internal override Tensor? Binary(string name, Tensor a, Tensor b) => name switch
    {
        "Add" => Zip(a, b, name, Held.Plus),
        "Sub" => Zip(a, b, name, (x, y) => x.sub(y)),
        "Mul" => Zip(a, b, name, (x, y) => x.mul(y)),
        "Div" => Zip(a, b, name, (x, y) => x.div(y)),
        "Pow" => Zip(a, b, name, (x, y) => x.pow(y)),
        "Maximum" => Zip(a, b, name, (x, y) => torch.maximum(x, y)),
        "Minimum" => Zip(a, b, name, (x, y) => torch.minimum(x, y)),
        // torch's floor division and remainder of floats are Python's, as FuncGrad's
        "FloorDivide" => Zip(a, b, name, (x, y) => x.floor_divide(y)),
        "Remainder" => Zip(a, b, name, (x, y) => x.remainder(y)),
        _ => null,
    };

    internal override Tensor? Compare(string relation, Tensor a, Tensor b)
    {
        Func<TT, TT, TT>? f = relation switch
        {
            "eq" => (x, y) => x.eq(y),
            "ne" => (x, y) => x.ne(y),
            "lt" => (x, y) => x.lt(y),
            "le" => (x, y) => x.le(y),
            "gt" => (x, y) => x.gt(y),
            "ge" => (x, y) => x.ge(y),
            _ => null,
        };
        return f is null ? null : Masked(a, b, relation, f);
    }

    /// <summary>A bool result of two broadcasting arguments.</summary>
    private static Tensor Masked(Tensor a, Tensor b, string name, Func<TT, TT, TT> f)
    {
        var d = DeviceOf(a, b);
        var shape = Shapes.Broadcast(a.shape, b.shape, name);
        using var x = Read(a, d);
        using var y = Read(b, d);
        return Wrap(f(x.T, y.T), d, shape, DType.Bool);
    }

    internal override Tensor? Logical(string name, Tensor a, Tensor b) => name switch
    {
        "LogicalAnd" => Masked(a, b, name, (x, y) => x.logical_and(y)),
        "LogicalOr" => Masked(a, b, name, (x, y) => x.logical_or(y)),
        "LogicalXor" => Masked(a, b, name, (x, y) => x.logical_xor(y)),
        "LogicalNot" => Masked(a, a, name, (x, _) => x.logical_not()),
        _ => null,
    };

    internal override Tensor? Where(Tensor mask, Tensor a, Tensor b)
    {
        var d = DeviceOf(mask, a, b);
        using var m = Read(mask, d);
        using var x = Read(a, d);
        using var y = Read(b, d);
        return Wrap(torch.where(m.T, x.T, y.T), d);
    }

    internal override Tensor? MatMul(Tensor a, Tensor b, bool transposeA, bool transposeB) => Two(a, b, (x, y) =>
    {
        if (!transposeA && !transposeB) return torch.matmul(x, y);
        using var xt = transposeA ? x.transpose(-2, -1) : x.alias();
        using var yt = transposeB ? y.transpose(-2, -1) : y.alias();
        return torch.matmul(xt, yt);
    });

    internal override Tensor? Reduce(string name, Tensor x, int[] axes, bool keepDims)
    {
        if (axes.Length == 0) return One(x, t => t.clone()); // no axis: the value itself
        var dims = Long(axes);
        return name switch
        {
            "Sum" => One(x, t => t.sum(dims, keepDims)),
            "Max" => One(x, t => t.amax(dims, keepDims)),
            "Min" => One(x, t => t.amin(dims, keepDims)),
            "LogSumExp" when axes.Length == 1 => One(x, t => t.logsumexp(dims[0], keepDims)),
            _ => null,
        };
    }

    internal override Tensor? Permute(Tensor x, int[] perm) => One(x, t => t.permute(Long(perm)));

    internal override Tensor? BroadcastTo(Tensor x, int[] shape) => One(x, t => t.expand(Long(shape)));

    internal override Tensor? Slice(Tensor x, int[] starts, int[] shape) => One(x, t =>
    {
        var r = t.alias();
        for (int i = 0; i < shape.Length; i++)
        {
            if (starts[i] == 0 && shape[i] == x.shape[i]) continue;
            var next = r.narrow(i, starts[i], shape[i]);
            r.Dispose();
            r = next;
        }
        return r;
    });

    internal override Tensor? Pad(Tensor x, int[] starts, int[] full) => One(x, t =>
    {
        var pad = new long[2 * full.Length];
        for (int i = 0; i < full.Length; i++)
        {
            int axis = full.Length - 1 - i; // torch lists the last axis first
            pad[2 * i] = starts[axis];
            pad[2 * i + 1] = full[axis] - starts[axis] - x.shape[axis];
        }
        return torch.nn.functional.pad(t, pad);
    });

    internal override Tensor? IndexSelect(Tensor x, int axis, int[] indices) => One(x, t =>
    {
        using var i = torch.tensor(Array.ConvertAll(indices, v => (long)v), device: t.device);
        return t.index_select(axis, i);
    });

    internal override Tensor? IndexAdd(Tensor x, int axis, int[] indices, int size) => One(x, t =>
    {
        var shape = t.shape;
        shape[axis] = size;
        using var i = torch.tensor(Array.ConvertAll(indices, v => (long)v), device: t.device);
        var r = torch.zeros(shape, t.dtype, t.device);
        r.index_add_(axis, i, t, 1);
        return r;
    });

    internal override Tensor? Concat(Tensor[] xs, int axis)
    {
        var d = DeviceOf(xs);
        var args = new Arg[xs.Length];
        try
        {
            for (int i = 0; i < xs.Length; i++) args[i] = Read(xs[i], d);
            return Wrap(torch.cat(Array.ConvertAll(args, a => a.T), axis), d);
        }
        finally
        {
            foreach (var a in args) if (a.T is not null) a.Dispose();
        }
    }

    // Floats to integers, and int64 to int32, convert here only when every value fits (checked on the device, one
    // value read back); otherwise on managed copies (null here), which name the element that does not, as the
    // managed path does: torch would wrap, or convert to whatever the processor makes of it. Torch truncates toward
    // zero, as the managed path does.
    internal override Tensor? Convert(Tensor x, DType to) =>
        to is DType.Int64 or DType.Int32 && x.DType is not (DType.Int32 or DType.Bool) && !Fits(x, to)
            ? null
            : One(x, t => t.to_type(Type(to)));

    /// <summary>Whether every value of <paramref name="x"/> truncates into <paramref name="to"/>'s range.</summary>
    private static bool Fits(Tensor x, DType to)
    {
        if (x.Count == 0) return true;
        var d = DeviceOf(x);
        using var a = Read(x, d);
        using var wide = a.T.to_type(ScalarType.Float64); // int64 and float32 values compare exactly as float64
        using var low = wide.min();
        using var high = wide.max();
        using var lowHere = low.cpu();
        using var highHere = high.cpu();
        // NaN makes min and max NaN, which fails both tests; an infinity fails one
        double lo = lowHere.item<double>(), hi = highHere.item<double>();
        return to == DType.Int64
            ? lo >= -9223372036854775808.0 && hi < 9223372036854775808.0
            : lo > -2147483649.0 && hi < 2147483648.0;
    }

    // Scans (Ops/Scans.cs). Integer sums and products run on managed copies (null here), which refuse an overflow
    // where torch would wrap around.
    internal override Tensor? Scan(string name, Tensor x, int axis, bool reverse)
    {
        if (!x.DType.IsFloat() && name is "Cumsum" or "Cumprod") return null;
        return name switch
        {
            "Cumsum" => One(x, t => Reversed(t, axis, reverse, u => u.cumsum(axis))),
            "Cumprod" => One(x, t => Reversed(t, axis, reverse, u => u.cumprod(axis))),
            "Logcumsumexp" => One(x, t => Reversed(t, axis, reverse, u => u.logcumsumexp(axis))),
            "Cummax" or "CummaxIndices" => One(x, t => Extreme(t.cummax(axis), name == "Cummax")),
            "Cummin" or "CumminIndices" => One(x, t => Extreme(t.cummin(axis), name == "Cummin")),
            _ => null,
        };
    }

    /// <summary>f along axis, or, reversed, f of the flipped tensor flipped back.</summary>
    private static TT Reversed(TT t, int axis, bool reverse, Func<TT, TT> f)
    {
        if (!reverse) return f(t);
        using var flipped = t.flip(axis);
        using var r = f(flipped);
        return r.flip(axis);
    }

    private static TT Extreme((TT Values, TT Indexes) r, bool values)
    {
        (values ? r.Indexes : r.Values).Dispose();
        return values ? r.Values : r.Indexes;
    }

    // Torch has no linear recurrence: the doubling scan (Hillis and Steele) composes the affine steps h ↦ a·h + b in
    // log2(n) rounds of whole-tensor ops, exact with zeros (nothing divides). a_first multiplies only the zero before
    // the first element, so it never reaches h.
    internal override Tensor? LinearScan(Tensor a, Tensor b, int axis, bool reverse) => Two(a, b, (ta, tb) =>
    {
        using var scope = torch.NewDisposeScope();
        var c = reverse ? ta.flip(axis) : ta.alias();
        var h = reverse ? tb.flip(axis) : tb.alias();
        long n = c.shape[axis];
        for (long d = 1; d < n; d *= 2)
        {
            var cLate = c.narrow(axis, d, n - d);
            var hLate = Held.Plus(h.narrow(axis, d, n - d), cLate * h.narrow(axis, 0, n - d));
            h = torch.cat([h.narrow(axis, 0, d), hLate], axis);
            if (2 * d < n) c = torch.cat([c.narrow(axis, 0, d), cLate * c.narrow(axis, 0, n - d)], axis);
        }
        return (reverse ? h.flip(axis) : h.clone()).MoveToOuterDisposeScope();
    });

    internal override Tensor? RouteExtreme(string name, Tensor v, Tensor x, int axis, bool scatter) => Two(v, x,
        (tv, tx) =>
        {
            var (values, indexes) = name == "Cummax" ? tx.cummax(axis) : tx.cummin(axis);
            using (values)
            using (indexes)
            {
                if (!scatter) return tv.gather(axis, indexes);
                using var zeros = torch.zeros_like(tv);
                return zeros.scatter_add(axis, indexes, tv);
            }
        });

    // Sorting and selection (Ops/Sorting.cs). The managed kernels' order is a stable sort's with NaN last: torch's
    // stable sort gives the same positions, and argmax and argmin pick the first of equal elements and the first NaN,
    // as the managed ones do. Top-k and kthvalue sort too, since torch's own pick any of equal elements: every device
    // gives the same indices.
    internal override Tensor? Pick(string kind, Tensor x, int axis, int k, bool flag) => kind switch
    {
        "Argmax" => One(x, t => t.argmax(axis, true)),
        "Argmin" => One(x, t => t.argmin(axis, true)),
        "Argsort" => One(x, t => Positions(t, axis, flag)),
        "Topk" => One(x, t =>
        {
            using var order = Positions(t, axis, flag);
            return order.narrow(axis, 0, k).contiguous();
        }),
        "Kthvalue" => One(x, t =>
        {
            using var order = Positions(t, axis, false);
            return order.narrow(axis, k, 1).contiguous();
        }),
        "Median" => One(x, t =>
        {
            using var order = Positions(t, axis, false);
            using var middle = order.narrow(axis, (t.shape[axis] - 1) / 2, 1);
            using var nan = t.isnan();
            using var any = nan.any(axis, true);
            using var asLong = nan.to_type(ScalarType.Int64);
            using var firstNan = asLong.argmax(axis, true);
            return torch.where(any, firstNan, middle);
        }),
        _ => null,
    };

    /// <summary>The positions of a stable sort along the axis.</summary>
    private static TT Positions(TT t, int axis, bool descending)
    {
        var (values, indices) = t.sort(axis, descending, true);
        values.Dispose();
        return indices;
    }

    internal override Tensor? TakeAt(Tensor x, int axis, Tensor indices) =>
        Two(x, indices, (t, i) => t.gather(axis, i));

    internal override Tensor? AddAt(Tensor g, int axis, Tensor indices, int size) => Two(g, indices, (t, i) =>
    {
        var shape = t.shape;
        shape[axis] = size;
        var r = torch.zeros(shape, t.dtype, t.device);
        r.scatter_add_(axis, i, t);
        return r;
    });

    // Torch's binary search visits a NaN of the sequence as a number below the value, where the managed order puts
    // NaN above every number: sequences with NaN go to the managed kernel (null), so both give one answer.
    internal override Tensor? Searchsorted(Tensor sorted, Tensor values, bool right)
    {
        var d = DeviceOf(sorted, values);
        using var s = Read(sorted, d);
        if (s.T.is_floating_point())
        {
            using var nan = s.T.isnan();
            using var any = nan.any();
            using var here = any.cpu();
            if (here.item<bool>()) return null;
        }
        using var v = Read(values, d);
        return Wrap(torch.searchsorted(s.T, v.T, false, right, null), d, values.shape, DType.Int64);
    }

    // The first position of each value: the positions in stable order of their value numbers, at each run's start.
    internal override (Tensor First, Tensor Inverse, Tensor Counts)? Unique(Tensor x)
    {
        var d = DeviceOf(x);
        using var a = Read(x, d);
        var (values, maybeInverse, maybeCounts) = torch.unique(a.T, true, true, true, null);
        values.Dispose();
        var inverse = maybeInverse!;
        var counts = maybeCounts!;
        using var order = Positions(inverse, 0, false);
        using var ends = counts.cumsum(0);
        using var starts = ends.sub(counts);
        var first = order.index_select(0, starts);
        return (Wrap(first, d), Wrap(inverse, d), Wrap(counts, d));
    }
}
