using System.Globalization;
using System.Text;

namespace FuncGrad;

public sealed partial class Tensor
{
    private const int ElideAbove = 1000; // elements; beyond this each axis shows its first and last 3
    private const int EdgeItems = 3;

    /// <summary>
    /// PyTorch's readable form, e.g. <c>tensor([[1., 2.], [3., 4.]], dtype=float64)</c>. Whole numbers print
    /// with a trailing point, others with four decimals, or in scientific notation when magnitudes span
    /// a wide range. Tensors over 1,000 elements are elided with "...". A tensor in a graph names the op
    /// that made it (<c>grad_fn=Mul</c>); a variable says <c>requires_grad=True</c>; a forward-mode value says <c>dual</c>.
    /// A batched value inside vmap shows its examples' shape and the whole batch.
    /// </summary>
    /// <example><code>Tensor.FromArray([1.0, 2.5]).ToString() // evaluates to "tensor([1.0000, 2.5000], dtype=float64)"</code></example>
    public override string ToString()
    {
        if (Batching.Below(this))
        {
            var b = this;
            while (!b.IsBatched) b = b.primal!;
            return $"batched({b.BatchSize} examples of shape {Shapes.Show(shape)} on axis {b.BatchDim} of {b.primal})";
        }
        var v = ToArray();
        bool elide = v.Length > ElideAbove;
        var strides = Shapes.Strides(shape);
        var fmt = ChooseFormat(elide ? Shown(v, strides) : v); // like PyTorch, only what is shown sets the format
        var sb = new StringBuilder("tensor(");
        // An explicit stack of (axis, offset, next index) instead of recursion.
        if (Rank == 0) sb.Append(fmt(v[0]));
        else
        {
            var stack = new Stack<(int Axis, int Offset, int Next)>();
            stack.Push((0, 0, 0));
            sb.Append('[');
            while (stack.Count > 0)
            {
                var (axis, offset, next) = stack.Pop();
                int n = shape[axis];
                if (next >= n) { sb.Append(']'); continue; }
                if (next > 0) sb.Append(", ");
                int i = next;
                if (elide && n > 2 * EdgeItems && i == EdgeItems) { sb.Append("..., "); i = n - EdgeItems; }
                stack.Push((axis, offset, i + 1));
                if (axis == Rank - 1) sb.Append(fmt(v[offset + i * strides[axis]]));
                else { sb.Append('['); stack.Push((axis + 1, offset + i * strides[axis], 0)); }
            }
        }
        sb.Append(", dtype=").Append(DType.Name());
        if (IsDual) sb.Append(", dual");
        else if (IsNode) sb.Append(op is null ? ", requires_grad=True" : ", grad_fn=" + op.Name);
        return sb.Append(')').ToString();
    }

    /// <summary>The elements an elided print shows: the first and last few along every axis.</summary>
    private double[] Shown(double[] v, int[] strides)
    {
        var r = new List<double>();
        var idx = new int[Rank];
        for (int i = 0; i < v.Length; i++)
        {
            int rest = i;
            bool shown = true;
            for (int a = 0; a < Rank && shown; a++)
            {
                idx[a] = rest / strides[a];
                rest %= strides[a];
                shown = shape[a] <= 2 * EdgeItems || idx[a] < EdgeItems || idx[a] >= shape[a] - EdgeItems;
            }
            if (shown) r.Add(v[i]);
        }
        return r.ToArray();
    }

    private static Func<double, string> ChooseFormat(double[] v)
    {
        var inv = CultureInfo.InvariantCulture;
        bool integral = true;
        double maxAbs = 0, minAbs = double.PositiveInfinity;
        foreach (var x in v)
        {
            if (!double.IsFinite(x)) continue;
            if (x != Math.Floor(x)) integral = false;
            double a = Math.Abs(x);
            maxAbs = Math.Max(maxAbs, a);
            if (a > 0) minAbs = Math.Min(minAbs, a);
        }
        static string Special(double x) => double.IsNaN(x) ? "nan" : x > 0 ? "inf" : "-inf";
        bool scientific = maxAbs >= 1e8 || (minAbs < 1e-4 && !integral) || (maxAbs / minAbs > 1e3 && minAbs < 1e-2 && !integral);
        if (integral && maxAbs < 1e8)
            return x => double.IsFinite(x) ? x.ToString("0", inv) + "." : Special(x);
        if (scientific)
            return x => double.IsFinite(x) ? x.ToString("0.0000e+00", inv) : Special(x);
        return x => double.IsFinite(x) ? x.ToString("0.0000", inv) : Special(x);
    }
}
