using System.Numerics;
using System.Runtime.InteropServices;

namespace FuncGrad;

/// <summary>What a tensor's values hold, worst last: all finite, an infinity (and no NaN), a NaN.</summary>
internal enum Finite : byte { All, Infinity, NaN }

/// <summary>
/// Anomaly mode's scans: whether a tensor holds a NaN or an infinity, at every level it carries (its value, the
/// tangents of its dual levels, whole batches), and the rule that decides whether an op made one.
/// </summary>
internal static class Finiteness
{
    /// <summary>
    /// An op made a non-finite number when it made a NaN that none of its inputs held, or an infinity where all of
    /// its inputs were finite. A NaN that comes in is the one that was already reported, or came from outside.
    /// </summary>
    internal static bool Blames(Finite made, Finite came) =>
        made == Finite.NaN ? came != Finite.NaN : made == Finite.Infinity && came == Finite.All;

    internal static Finite Combine(params Finite[] fs)
    {
        var r = Finite.All;
        foreach (var f in fs) if (f > r) r = f;
        return r;
    }

    internal static Finite Of(Tensor[] ts)
    {
        var r = Finite.All;
        foreach (var t in ts) { var f = Of(t); if (f > r) r = f; }
        return r;
    }

    internal static Finite Of(Tensor t)
    {
        if (t.tag == 0) return Scan(t);
        var r = Finite.All;
        foreach (var (p, _, _) in Parts(t)) { var f = Scan(p); if (f > r) r = f; }
        return r;
    }

    /// <summary>
    /// The plain values a tensor carries, each with how many tangent steps down it lies (0: the value; 1: the tangent
    /// of a dual level, a derivative of one order more, and so on) and whether it is a whole vmap batch: a dual gives
    /// its primal and its tangent, a node its value one level down, a batched value its whole batch. A traced value
    /// has none. An explicit stack, no recursion.
    /// </summary>
    internal static List<(Tensor Plain, int Order, bool Batch)> Parts(Tensor t)
    {
        var parts = new List<(Tensor, int, bool)>();
        var stack = new Stack<(Tensor, int, bool)>();
        stack.Push((t, 0, false));
        while (stack.Count > 0)
        {
            var (x, k, b) = stack.Pop();
            if (x.IsTraced) continue;
            if (x.tag == 0) parts.Add((x, k, b));
            else if (x.IsBatched) stack.Push((x.primal!, k, true));
            else if (x.IsDual)
            {
                stack.Push((x.tangent!, k + 1, b));
                stack.Push((x.primal!, k, b));
            }
            else stack.Push((x.Down, k, b));
        }
        return parts;
    }

    /// <summary>A plain value's scan. On a device, a reduction there first (x·0 summed is 0 exactly when every x is
    /// finite), so only a non-finite result is copied to the host to be told apart.</summary>
    internal static Finite Scan(Tensor plain)
    {
        if (!plain.DType.IsFloat()) return Finite.All; // integers and bools have no NaN or infinity
        if (plain.OnDevice)
        {
            if (FiniteOnDevice(plain)) return Finite.All;
            plain = plain.Host();
        }
        var r = plain.DType == DType.Float64 ? Scan(plain.Span<double>()) : Scan(plain.Span<float>());
        GC.KeepAlive(plain); // read through a span: its storage must not go back to the pool meanwhile
        return r;
    }

    private static bool FiniteOnDevice(Tensor plain)
    {
        if (plain.Count <= 1) return false; // one element: copying it is the check
        var backend = Backends.For(plain.StorageDevice);
        var zeros = backend.Times(plain, 0.0);
        var sum = zeros is null ? null : backend.Reduce("Sum", zeros, Enumerable.Range(0, plain.Rank).ToArray(), false);
        return sum is not null && double.IsFinite(sum.Host().Element(0));
    }

    /// <summary>x − x is 0 for a finite x and NaN otherwise, so the vector sum of x − x is 0 exactly when every x is
    /// finite; only then is an element-by-element pass needed.</summary>
    private static Finite Scan<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var vectors = MemoryMarshal.Cast<T, Vector<T>>(x);
        var acc = Vector<T>.Zero;
        foreach (var v in vectors) acc += v - v;
        var sum = T.Zero;
        for (int i = 0; i < Vector<T>.Count; i++) sum += acc[i];
        for (int i = vectors.Length * Vector<T>.Count; i < x.Length; i++) sum += x[i] - x[i];
        if (sum == T.Zero) return Finite.All;
        foreach (var e in x) if (T.IsNaN(e)) return Finite.NaN;
        return Finite.Infinity;
    }

    /// <summary>The first element of <paramref name="plain"/> that is NaN (or, with <paramref name="nan"/> false, not
    /// finite); -1 for none.</summary>
    internal static int First(Tensor plain, bool nan)
    {
        var v = plain.Host().ToArray();
        for (int i = 0; i < v.Length; i++)
            if (nan ? double.IsNaN(v[i]) : !double.IsFinite(v[i])) return i;
        return -1;
    }
}
