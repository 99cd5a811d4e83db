using System.Globalization;
using System.Text;

namespace FuncGrad;

public sealed partial class Tensor
{
    private const int ElideAbove = 1000; // elements; beyond this each axis shows its first and last 3
    private const int EdgeItems = 3;
    private const int LineWidth = 80;    // rows longer than this continue on the next line
    private const string Prefix = "tensor(";

    /// <summary>
    /// PyTorch's readable form: one row per line, every number right-aligned to one width.
    /// </summary>
    /// <remarks>
    /// <para>
    /// One row per line, every number right-aligned to one width, continuation lines indented under the first
    /// bracket and a blank line between the blocks of rank 3 and up, e.g.
    /// <c>tensor([[-1.,  2.],\n        [ 3.,  4.]], dtype=float64)</c>. Rows wider than 80 columns wrap.
    /// Whole numbers print with a trailing point, others with four decimals, or in scientific notation when
    /// magnitudes span a wide range; the format ignores the current culture. Past 1,000 elements only the first
    /// and last three along each axis are shown, with "..." between.
    /// </para>
    /// <para>
    /// A tensor in a graph names the op that made it (<c>grad_fn=Mul</c>); a variable says <c>requires_grad=True</c>;
    /// a forward-mode value says <c>dual</c>. A tensor on a device other than managed says which
    /// (<c>device=torch:cpu</c>). A batched value inside vmap shows its examples' shape and the whole batch.
    /// A traced value inside compile shows its shape and dtype: it has no values.
    /// </para>
    /// </remarks>
    /// <example><code>
    /// Tensor.FromArray([1.0, -2.5]).ToString() // evaluates to "tensor([ 1.0000, -2.5000], dtype=float64)"
    /// </code></example>
    public override string ToString()
    {
        if (Batching.Below(this))
        {
            var b = this;
            while (!b.IsBatched) b = b.primal!;
            return $"batched({b.BatchSize} examples of shape {Shapes.Show(shape)} on axis {b.BatchDim} of {b.primal})";
        }
        if (Tracing.Below(this)) return $"traced({Shapes.Show(this)} inside compile, no values yet)";
        var plain = Value; // the plain value: printing computes nothing, so a custom rule may print
        bool elide = Count > ElideAbove;
        var strides = Shapes.Strides(shape);
        var shown = elide ? Shown(strides) : Enumerable.Range(0, Count).ToArray();
        var text = Cells(plain, shown); // like PyTorch, only what is shown sets the format and the width
        var sb = new StringBuilder(Prefix);
        if (Rank == 0) sb.Append(text(0));
        else
        {
            int width = 0;
            foreach (var i in shown) width = Math.Max(width, text(i).Length);
            Layout(sb, strides, elide, i => text(i).PadLeft(width), width);
        }
        var suffixes = new List<string> { "dtype=" + DType.Name() };
        if (Device is { IsManaged: false } device) suffixes.Add("device=" + device);
        if (IsDual) suffixes.Add("dual");
        else if (IsNode) suffixes.Add(op is null ? "requires_grad=True" : "grad_fn=" + op.Name);
        foreach (var suffix in suffixes)
        {
            int lineStart = 0;
            for (int i = sb.Length - 1; i >= 0 && lineStart == 0; i--) if (sb[i] == '\n') lineStart = i + 1;
            // As PyTorch does, a suffix that would pass the line width starts a line of its own.
            if (sb.Length - lineStart + 2 + suffix.Length + 1 > LineWidth) sb.Append(",\n").Append(' ', Prefix.Length);
            else sb.Append(", ");
            sb.Append(suffix);
        }
        return sb.Append(')').ToString();
    }

    /// <summary>
    /// The bracketed values of a tensor of rank 1 or more. Rows of the last axis hold as many numbers as fit the
    /// line width; the rows of axis a are separated by a comma, rank − a − 1 line breaks and an indent that puts
    /// each bracket under the one before. An elided axis shows "..." in place of its middle.
    /// </summary>
    private void Layout(StringBuilder sb, int[] strides, bool elide, Func<int, string> cell, int width)
    {
        var picks = new int[Rank][]; // the indices shown along each axis; -1 for "..."
        for (int a = 0; a < Rank; a++)
        {
            int n = shape[a];
            picks[a] = elide && n > 2 * EdgeItems
                ? [0, 1, 2, -1, n - 3, n - 2, n - 1]
                : Enumerable.Range(0, n).ToArray();
        }
        int last = Rank - 1, indent = Prefix.Length + last; // the column of the innermost rows' bracket
        int perLine = Math.Max(1, (LineWidth - indent) / (width + 2));
        // An explicit stack of (axis, offset, next pick) instead of recursion: the rank is not bounded.
        var stack = new Stack<(int Axis, int Offset, int Next)>();
        stack.Push((0, 0, 0));
        sb.Append('[');
        while (stack.Count > 0)
        {
            var (axis, offset, next) = stack.Pop();
            var pick = picks[axis];
            if (axis == last)
            {
                for (int k = 0; k < pick.Length; k++)
                {
                    if (k > 0) sb.Append(k % perLine == 0 ? ",\n" + new string(' ', indent + 1) : ", ");
                    sb.Append(pick[k] < 0 ? " ..." : cell(offset + pick[k]));
                }
                sb.Append(']');
                continue;
            }
            if (next == pick.Length) { sb.Append(']'); continue; }
            if (next > 0) sb.Append(',').Append('\n', last - axis).Append(' ', Prefix.Length + axis + 1);
            stack.Push((axis, offset, next + 1));
            if (pick[next] < 0) sb.Append("...");
            else { sb.Append('['); stack.Push((axis + 1, offset + pick[next] * strides[axis], 0)); }
        }
    }

    /// <summary>The text of element i (a flat index) of <paramref name="plain"/>, this tensor's plain value: floats
    /// in one format that the <paramref name="shown"/> elements choose, integers in full, bools as True and
    /// False.</summary>
    private Func<int, string> Cells(Tensor plain, int[] shown)
    {
        var inv = CultureInfo.InvariantCulture;
        switch (DType)
        {
            case DType.Int64 or DType.Int32:
                var l = plain.ToInt64Array();
                return i => l[i].ToString(inv);
            case DType.Bool:
                var b = plain.ToBoolArray();
                return i => b[i] ? "True" : "False";
        }
        var v = plain.ToArray();
        var fmt = ChooseFormat(shown.Select(i => v[i]).ToArray());
        return i => fmt(v[i]);
    }

    /// <summary>The flat indices of the elements an elided print shows: the first and last few along every
    /// axis.</summary>
    private int[] Shown(int[] strides)
    {
        var r = new List<int>();
        var idx = new int[Rank];
        for (int i = 0; i < Count; i++)
        {
            int rest = i;
            bool shown = true;
            for (int a = 0; a < Rank && shown; a++)
            {
                idx[a] = rest / strides[a];
                rest %= strides[a];
                shown = shape[a] <= 2 * EdgeItems || idx[a] < EdgeItems || idx[a] >= shape[a] - EdgeItems;
            }
            if (shown) r.Add(i);
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
        bool scientific = maxAbs >= 1e8 || (minAbs < 1e-4 && !integral)
            || (maxAbs / minAbs > 1e3 && minAbs < 1e-2 && !integral);
        if (integral && maxAbs < 1e8)
            return x => double.IsFinite(x) ? x.ToString("0", inv) + "." : Special(x);
        if (scientific)
            return x => double.IsFinite(x) ? x.ToString("0.0000e+00", inv) : Special(x);
        return x => double.IsFinite(x) ? x.ToString("0.0000", inv) : Special(x);
    }
}
