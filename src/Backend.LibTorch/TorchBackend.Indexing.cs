using FuncGrad.Kernels;
using TorchSharp;
using static TorchSharp.torch;
using TT = TorchSharp.torch.Tensor;

namespace FuncGrad.LibTorch;

// Indexing with tensors on LibTorch: gather, scatter and their reductions, the row ops behind index_select, index_add,
// index_put and embeddings, and the integer helpers of their batching rules. Each checks its indices on the device
// (their minimum and maximum read back) and returns null for one out of range, so the managed kernel names it. Where
// torch leaves duplicates unspecified (scatter, index_put), the last write is picked explicitly, as the managed
// kernels pick it: each target's largest position, by an amax reduction.
internal sealed partial class TorchBackend
{
    /// <summary>An index as int64 on its device (int32 widened: a new tensor).</summary>
    private static TT Int64Of(TT t) => t.dtype == ScalarType.Int64 ? t.alias() : t.to_type(ScalarType.Int64);

    /// <summary>Whether every element of an int64 tensor lies in [lo, hi] (true for none).</summary>
    private static bool Within(TT t, long lo, long hi)
    {
        if (t.numel() == 0) return true;
        using var low = t.min();
        using var high = t.max();
        return low.item<long>() >= lo && high.item<long>() <= hi;
    }

    private static TT Scalar1(TT like, long v) => torch.tensor(v, ScalarType.Int64, like.device);

    /// <summary>The flat positions in data of <paramref name="dataShape"/> that an index along <paramref name="dim"/>
    /// names (the index's shape).</summary>
    private static TT FlatTargets(TT index, int dim, int[] dataShape)
    {
        var strides = Shapes.Strides(dataShape);
        var ishape = index.shape;
        var lin = Held.Times(index, strides[dim]);
        for (int a = 0; a < ishape.Length; a++)
        {
            if (a == dim) continue;
            var view = new long[ishape.Length];
            Array.Fill(view, 1L);
            view[a] = ishape[a];
            using var ar = Held.Arange(ishape[a], index.device);
            using var scaled = Held.Times(ar, strides[a]);
            using var shaped = scaled.view(view);
            var next = Held.Plus(lin, shaped);
            lin.Dispose();
            lin = next;
        }
        return lin;
    }

    /// <summary>
    /// Flat targets grouped by a stable sort: the sorted targets, the positions they came from (in order within a
    /// group), each entry's rank in its group, and the largest group's size. Torch has no scatter_reduce in this
    /// TorchSharp, and leaves duplicate writes unspecified; groups give both in the managed kernels' order.
    /// </summary>
    private sealed class Groups : IDisposable
    {
        internal readonly TT Sorted, From, Rank;
        internal readonly long Largest;

        internal Groups(TT targets)
        {
            using var flat = targets.flatten();
            (Sorted, From) = flat.sort(0, false, true);
            using var first = torch.searchsorted(Sorted, Sorted);
            using var at = Held.Arange(Sorted.numel(), Sorted.device);
            Rank = at.sub(first);
            if (Rank.numel() == 0) Largest = 0;
            else
            {
                using var most = Rank.max();
                Largest = most.item<long>() + 1;
            }
        }

        /// <summary>The entries of rank r: their targets and the positions they came from.</summary>
        internal (TT Targets, TT From) OfRank(long r)
        {
            using var mine = Held.Eq(Rank, r);
            using var nz = mine.nonzero();
            using var at = nz.flatten();
            return (Sorted.index_select(0, at), From.index_select(0, at));
        }

        /// <summary>Each group's last entry (its largest position): the write that a scatter keeps.</summary>
        internal (TT Targets, TT From) Last()
        {
            long n = Sorted.numel();
            using var next = n == 0 ? Sorted.alias() : Sorted.narrow(0, 1, n - 1);
            using var here = n == 0 ? Sorted.alias() : Sorted.narrow(0, 0, n - 1);
            using var differs = next.ne(here);
            using var yes = torch.ones(Math.Min(n, 1), ScalarType.Bool, Sorted.device);
            using var ends = torch.cat([differs, yes], 0);
            using var nz = ends.nonzero();
            using var at = nz.flatten();
            return (Sorted.index_select(0, at), From.index_select(0, at));
        }

        public void Dispose()
        {
            Sorted.Dispose();
            From.Dispose();
            Rank.Dispose();
        }
    }

    /// <summary>Groups at most this large are reduced round by round on the device; larger ones on managed
    /// copies.</summary>
    private const long MostRounds = 64;

    internal override Tensor? Gather(Tensor x, int dim, Tensor index)
    {
        var d = DeviceOf(x, index);
        using var a = Read(x, d);
        using var i = Read(index, d);
        using var l = Int64Of(i.T);
        if (!Within(l, 0, x.shape[dim] - 1)) return null;
        return Wrap(a.T.gather(dim, l), d, index.shape, x.DType);
    }

    internal override Tensor? Scatter(Tensor self, int dim, Tensor index, Tensor src)
    {
        var d = DeviceOf(self, index, src);
        using var s = Read(self, d);
        using var i = Read(index, d);
        using var v = Read(src, d);
        using var l = Int64Of(i.T);
        if (!Within(l, 0, self.shape[dim] - 1)) return null;
        using var targets = FlatTargets(l, dim, self.shape);
        using var groups = new Groups(targets);
        var (to, from) = groups.Last();
        using (to)
        using (from)
        using (var flatSrc = v.T.flatten())
        using (var kept = flatSrc.index_select(0, from))
        using (var flatSelf = s.T.flatten())
        using (var r = flatSelf.index_copy(0, to, kept))
            return Wrap(r.reshape(Long(self.shape)), d, self.shape, self.DType);
    }

    internal override Tensor? ScatterAdd(Tensor? self, int[]? zeros, int dim, Tensor index, Tensor src)
    {
        var shape = self?.shape ?? zeros!;
        var d = self is null ? DeviceOf(index, src) : DeviceOf(self, index, src);
        using var i = Read(index, d);
        using var v = Read(src, d);
        using var l = Int64Of(i.T);
        if (!Within(l, 0, shape[dim] - 1)) return null;
        using var start = self is null ? default(Arg?) : Read(self, d);
        using var zero = self is null ? torch.zeros(Long(shape), Type(src.DType), v.T.device) : null;
        var on = start?.T ?? zero!;
        return Wrap(on.scatter_add(dim, l, v.T), d, shape, src.DType);
    }

    internal override Tensor? ScatterReduce(Tensor self, int dim, Tensor index, Tensor src, string reduce,
        bool includeSelf)
    {
        var d = DeviceOf(self, index, src);
        using var s = Read(self, d);
        using var i = Read(index, d);
        using var v = Read(src, d);
        using var l = Int64Of(i.T);
        if (!Within(l, 0, self.shape[dim] - 1)) return null;
        using var targets = FlatTargets(l, dim, self.shape);
        using var flatTargets = targets.flatten();
        using var flatSelf = s.T.flatten();
        using var flatSrc = v.T.flatten();
        using var one = 1.ToScalar();
        using var zero = 0.ToScalar();
        using var ones = torch.ones_like(flatSrc);
        using var none = torch.zeros_like(flatSelf);
        using var count = none.index_add(0, flatTargets, ones, one);
        using var touched = Held.Gt(count, 0);
        using var start = includeSelf ? flatSelf.alias() : flatSelf.masked_fill(touched, zero);
        TT r;
        if (reduce is "sum" or "mean")
        {
            r = start.index_add(0, flatTargets, flatSrc, one);
            if (reduce == "mean")
            {
                using var sum = r;
                using var terms = includeSelf ? Held.Plus(count, one) : count.alias();
                using var safe = terms.masked_fill(Held.Eq(terms, 0), one);
                r = sum.div(safe);
            }
        }
        else
        {
            // Each round combines every target's next term: the managed kernel's order, so the same bits.
            using var groups = new Groups(flatTargets);
            if (groups.Largest > MostRounds) return null;
            r = start.clone();
            for (long round = 0; round < groups.Largest; round++)
            {
                var (to, from) = groups.OfRank(round);
                using (to)
                using (from)
                using (var terms = flatSrc.index_select(0, from))
                using (var now = r.index_select(0, to))
                {
                    using var combined = round == 0 && !includeSelf ? terms.alias()
                        : reduce == "prod" ? now.mul(terms)
                        : reduce == "amax" ? torch.maximum(now, terms)
                        : torch.minimum(now, terms);
                    var next = r.index_copy(0, to, combined);
                    r.Dispose();
                    r = next;
                }
            }
        }
        using (r) return Wrap(r.reshape(Long(self.shape)), d, self.shape, self.DType);
    }

    /// <summary>A vector index resolved by its rule against an axis of size n: the indices to read (0 where skipped)
    /// and the skipped entries (null: none can be); null where one is out of range.</summary>
    private static (TT Safe, TT? Skip)? Resolve(TT raw, int n, IndexRule rule)
    {
        using var l = Int64Of(raw);
        var skip = rule.Resolved ? Held.Lt(l, 0) : rule.Skip is long k ? Held.Eq(l, k) : null;
        using var negative = rule.Wrap ? Held.Lt(l, 0) : null;
        using var shifted = rule.Wrap ? Held.Plus(l, n) : null;
        using var wrapped = rule.Wrap ? torch.where(negative!, shifted!, l) : l.alias();
        using var zero = 0.ToScalar();
        var safe = skip is null ? wrapped.alias() : wrapped.masked_fill(skip, zero);
        if (Within(safe, 0, n - 1) || (n == 0 && safe.numel() == 0)) return (safe, skip);
        safe.Dispose();
        skip?.Dispose();
        return null;
    }

    /// <summary>A vector's mask viewed along <paramref name="axis"/> of a tensor of rank
    /// <paramref name="rank"/>.</summary>
    private static TT Along(TT mask, int axis, int rank)
    {
        var view = new long[rank];
        Array.Fill(view, 1L);
        view[axis] = mask.numel();
        return mask.view(view);
    }

    internal override Tensor? SelectRows(Tensor x, int axis, Tensor index, IndexRule rule)
    {
        var d = DeviceOf(x, index);
        using var a = Read(x, d);
        using var i = Read(index, d);
        if (Resolve(i.T, x.shape[axis], rule) is not var (safe, skip)) return null;
        using (safe)
        using (skip)
        {
            var shape = (int[])x.shape.Clone();
            shape[axis] = index.shape[0];
            var r = a.T.index_select(axis, safe);
            if (skip is null) return Wrap(r, d, shape, x.DType);
            using (r)
            using (var along = Along(skip, axis, shape.Length))
            using (var zero = 0.ToScalar())
                return Wrap(r.masked_fill(along, zero), d, shape, x.DType);
        }
    }

    internal override Tensor? AddRows(Tensor? self, int size, int axis, Tensor index, Tensor src, IndexRule rule)
    {
        var shape = (int[])src.shape.Clone();
        shape[axis] = self?.shape[axis] ?? size;
        var d = self is null ? DeviceOf(index, src) : DeviceOf(self, index, src);
        using var i = Read(index, d);
        using var v = Read(src, d);
        if (Resolve(i.T, shape[axis], rule) is not var (safe, skip)) return null;
        using (safe)
        using (skip)
        {
            using var along = skip is null ? null : Along(skip, axis, shape.Length);
            using var zero = 0.ToScalar();
            using var adds = along is null ? v.T.alias() : v.T.masked_fill(along, zero);
            using var start = self is null ? default(Arg?) : Read(self, d);
            using var zeros = self is null ? torch.zeros(Long(shape), Type(src.DType), v.T.device) : null;
            using var one = 1.ToScalar();
            return Wrap((start?.T ?? zeros!).index_add(axis, safe, adds, one), d, shape, src.DType);
        }
    }

    internal override Tensor? PutRows(Tensor self, int axis, Tensor index, Tensor src, IndexRule rule)
    {
        var d = DeviceOf(self, index, src);
        using var s = Read(self, d);
        using var i = Read(index, d);
        using var v = Read(src, d);
        if (Resolve(i.T, self.shape[axis], rule) is not var (safe, skip)) return null;
        using (safe)
        using (skip)
        {
            using var n = Scalar1(safe, self.shape[axis]);
            using var keys = skip is null ? safe.alias() : torch.where(skip, n, safe);
            using var groups = new Groups(keys);
            var (all, allFrom) = groups.Last();
            using (all)
            using (allFrom)
            using (var real = Held.Lt(all, self.shape[axis]))
            using (var nz = real.nonzero())
            using (var at = nz.flatten())
            using (var rows = all.index_select(0, at))
            using (var from = allFrom.index_select(0, at))
            using (var slices = v.T.index_select(axis, from))
                return Wrap(s.T.index_copy(axis, rows, slices), d, self.shape, self.DType);
        }
    }

    internal override Tensor? IndexOffset(Tensor index, int lead, int n, IndexRule rule)
    {
        var d = DeviceOf(index);
        using var i = Read(index, d);
        using var flat = i.T.flatten();
        if (Resolve(flat, n, rule) is not var (safe, skip)) return null;
        using (safe)
        using (skip)
        {
            var view = new long[index.Rank];
            Array.Fill(view, 1L);
            view[lead] = index.shape[lead];
            using var shaped = safe.reshape(Long(index.shape));
            using var ar = Held.Arange(index.shape[lead], shaped.device);
            using var step = Held.Times(ar, n);
            using var offsets = step.view(view);
            var r = Held.Plus(shaped, offsets);
            if (skip is null) return Wrap(r, d, index.shape, DType.Int64);
            using (r)
            using (var skipped = skip.reshape(Long(index.shape)))
            using (var minus = (-1).ToScalar())
                return Wrap(r.masked_fill(skipped, minus), d, index.shape, DType.Int64);
        }
    }

    internal override Tensor? LinearIndex(Tensor[] indices, int[] sizes)
    {
        var d = DeviceOf(indices);
        TT? lin = null;
        long stride = 1;
        try
        {
            for (int a = sizes.Length - 1; a >= 0; a--)
            {
                using var i = Read(indices[a], d);
                using var l = Int64Of(i.T);
                using var negative = Held.Lt(l, 0);
                using var shifted = Held.Plus(l, sizes[a]);
                using var w = torch.where(negative, shifted, l);
                if (!Within(w, 0, sizes[a] - 1)) return null;
                using var scaled = Held.Times(w, stride);
                var next = lin is null ? scaled.alias() : Held.Plus(lin, scaled);
                lin?.Dispose();
                lin = next;
                stride *= sizes[a];
            }
            var r = lin!;
            lin = null;
            return Wrap(r, d);
        }
        finally
        {
            lin?.Dispose();
        }
    }

    internal override Tensor? Nonzero(Tensor x) => One(x, t => t.nonzero());

    internal override Tensor? OneHot(Tensor x, int classes)
    {
        var d = DeviceOf(x);
        using var a = Read(x, d);
        using var l = Int64Of(a.T);
        if (!Within(l, 0, classes - 1)) return null;
        return Wrap(torch.nn.functional.one_hot(l, classes), d, [.. x.shape, classes], DType.Int64);
    }

    internal override Tensor? BagIds(Tensor offsets, int count, bool includeLast)
    {
        var d = DeviceOf(offsets);
        using var a = Read(offsets, d);
        using var o = Int64Of(a.T);
        int k = offsets.shape[^1];
        using var first = o.select(-1, 0);
        using var starts0 = Held.Eq(first, 0);
        using var allZero = starts0.all();
        if (!allZero.item<bool>() || !Within(o, 0, count)) return null;
        if (k > 1)
        {
            using var later = o.narrow(-1, 1, k - 1);
            using var earlier = o.narrow(-1, 0, k - 1);
            using var steps = later.sub(earlier);
            if (!Within(steps, 0, long.MaxValue)) return null;
        }
        using var starts = includeLast ? o.narrow(-1, 0, k - 1).contiguous() : o.alias();
        long[] shape = [.. Long(offsets.shape[..^1]), count];
        using var ar = Held.Arange(count, o.device);
        using var positions = ar.expand(shape).contiguous();
        using var found = torch.searchsorted(starts, positions, right: true);
        var ids = Held.Plus(found, -1);
        if (!includeLast) return Wrap(ids, d, [.. offsets.shape[..^1], count], DType.Int64);
        using (ids)
        using (var end = o.narrow(-1, k - 1, 1))
        using (var past = positions.ge(end))
        using (var minus = (-1).ToScalar())
            return Wrap(ids.masked_fill(past, minus), d, [.. offsets.shape[..^1], count], DType.Int64);
    }
}
