namespace FuncGrad;

// cond and switch: the branch taken, run as it is, wherever the index can be read; under vmap with an index that
// differs between examples, every branch on the whole batch and each example's own results selected; under compile,
// one BranchOp over the traced branches.
internal static partial class Loops
{
    internal static Tensor[] Branch(Tensor index, Func<Tensor[], Tensor[]>[] branches, Tensor[] operands,
        string name)
    {
        Parts(operands, name, "operands");
        string what = name == "cond" ? "predicate" : "index";
        if (index.Count != 1 || index.DType.IsFloat())
            throw new DTypeMismatchException(
                $"{name}: the {what} is {Shapes.Show(index)}; pass a one-element " +
                $"{(name == "cond" ? "bool" : "integer")} tensor" +
                (index.DType.IsFloat() ? " (a comparison such as x.Gt(zero), or ToDType(DType.Int64))" : ""));
        var (bottom, batched) = Under(index);
        if (bottom.IsTraced) return Traced(index, branches, operands, name);
        if (!batched) return Taken(branches, Clamp(bottom.Item(), branches.Length), operands, name);
        // Both (all) branches on the whole batch; each example takes its own branch's results.
        var results = new Tensor[branches.Length][];
        for (int i = 0; i < branches.Length; i++) results[i] = Taken(branches, i, operands, name);
        Same(results.Select(r => r.Select(t => (t.shape, t.DType)).ToArray()).ToArray(), name);
        var chosen = results[^1];
        for (int i = branches.Length - 2; i >= 0; i--)
        {
            var take = Takes(index, i);
            chosen = [.. chosen.Select((c, j) => Tensor.Where(take, results[i][j], c))];
        }
        return chosen;
    }

    /// <summary>Where branch i is taken, for i below the last (which takes the rest): the index clamped to the
    /// branches, a bool predicate's false being branch 0.</summary>
    internal static Tensor Takes(Tensor index, int i) =>
        index.DType == DType.Bool ? index.LogicalNot()
        : i == 0 ? index.Le(Tensor.Scalar(0, index.DType)) : index.Eq(Tensor.Scalar(i, index.DType));

    private static int Clamp(double k, int n) => (int)Math.Clamp(k, 0, n - 1);

    private static Tensor[] Taken(Func<Tensor[], Tensor[]>[] branches, int i, Tensor[] operands, string name)
    {
        var r = branches[i](operands);
        for (int j = 0; j < r.Length; j++)
            if (r[j] is null)
                throw new ArgumentNullException(nameof(branches), $"{name}: branch {i} returned null as result {j}");
        return r;
    }

    /// <summary>Every branch returns results of the same shapes and dtypes.</summary>
    internal static void Same((int[] Shape, DType DType)[][] types, string name)
    {
        for (int i = 1; i < types.Length; i++)
        {
            if (types[i].Length != types[0].Length)
                throw new ShapeMismatchException(
                    $"{name}: branch {i} returns {types[i].Length} results where branch 0 returns {types[0].Length}; " +
                    "every branch returns the same results");
            for (int j = 0; j < types[i].Length; j++)
                if (types[i][j].DType != types[0][j].DType || !Shapes.Same(types[i][j].Shape, types[0][j].Shape))
                    throw new ShapeMismatchException(
                        $"{name}: branch {i} returns result {j} as {Shapes.Show(types[i][j].Shape)} " +
                        $"{types[i][j].DType.Name()} where branch 0 returns {Shapes.Show(types[0][j].Shape)} " +
                        $"{types[0][j].DType.Name()}; every branch returns results of the same shapes and dtypes");
        }
    }

    private static Tensor[] Traced(Tensor index, Func<Tensor[], Tensor[]>[] branches, Tensor[] operands, string name)
    {
        var shadows = operands.Select(Shadows.Of).ToArray();
        var bodies = branches.Select((b, i) => Body.Trace(v => Taken(branches, i, v, name), shadows, name)).ToArray();
        Same([.. bodies.Select(b => b.OutputTypes)], name);
        var k = index.DType == DType.Bool ? index.ToDType(DType.Int64) : index;
        var op = new BranchOp(bodies, name);
        return op.Unpack(Op.Apply(op, [k.Reshape([]), .. operands, .. bodies.SelectMany(b => b.Captured)]));
    }
}

/// <summary>
/// A switch as one op, for compile: on the arguments [index, operands, what each branch captured], the taken branch's
/// results packed; the index is read when the op runs, and only that branch runs. Its rules are switches of the
/// branches under the transformation; vmap with an index that differs between examples runs every branch and
/// selects.
/// </summary>
internal sealed class BranchOp(Body[] branches, string name, bool compiled = false) : Op
{
    private readonly int n = branches[0].Inputs;
    private readonly Results results = new(branches[0].OutputTypes, name);

    public override string Name => "Switch";

    internal override bool AnyDType => true;

    internal override Op InProgram => compiled ? this : new BranchOp(branches, name, true);

    internal override Tensor? ComputeOn(Backend backend, Tensor[] x) => Compute(x, false);

    public override Tensor Compute(Tensor[] x) => Compute(x, compiled);

    private Tensor Compute(Tensor[] x, bool compiled)
    {
        int i = (int)Math.Clamp(x[0].Item(), 0, branches.Length - 1);
        var operands = x.AsSpan(1, n);
        var k = x.AsSpan(Captured(i), branches[i].Captured.Length);
        return results.Pack(compiled ? branches[i].RunCompiled(operands, k) : branches[i].Run(operands, k), true);
    }

    /// <summary>Where branch i's captured values start among the arguments.</summary>
    private int Captured(int i) => 1 + n + branches[..i].Sum(b => b.Captured.Length);

    internal Tensor[] Unpack(Tensor p) => results.Unpack(p);

    /// <summary>A switch of each branch transformed by <paramref name="f"/> (branch, where its captured values start
    /// among <paramref name="x"/>, the inputs) over the same index and <paramref name="inputs"/>.</summary>
    private Tensor[] Switch(Tensor[] x, Tensor[] inputs, Func<Body, int, Tensor[], Tensor[]> f)
    {
        var shadows = inputs.Select(Shadows.Of).ToArray();
        var bodies = branches.Select((b, i) => Body.Trace(v => f(b, Captured(i), v), shadows, name)).ToArray();
        var op = new BranchOp(bodies, name);
        return op.Unpack(Op.Apply(op, [x[0], .. inputs, .. bodies.SelectMany(b => b.Captured)]));
    }

    public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y)
    {
        var fo = Enumerable.Range(0, n).Where(i => dx[1 + i] is not null).ToArray();
        var outputs = results.Parts;
        var fy = Enumerable.Range(0, outputs.Length).Where(j => outputs[j].DType.IsFloat()).ToArray();
        var r = Switch(x, [.. x[1..(1 + n)], .. fo.Select(i => dx[1 + i]!)], (b, first, v) =>
        {
            long t = Tags.Next();
            var ops = v[..n];
            for (int a = 0; a < fo.Length; a++) ops[fo[a]] = Tensor.Dual(ops[fo[a]], v[n + a], t);
            var kt = x[first..(first + b.Captured.Length)];
            for (int j = 0; j < kt.Length; j++)
                if (dx[first + j] is { } d) kt[j] = Tensor.Dual(kt[j], d, t);
            var o = b.Run(ops, kt);
            return [.. fy.Select(j => Autodiff.AtLevel(o[j], t)?.tangent ?? Tensor.Zeros(o[j].shape, o[j].DType))];
        });
        var tangent = results.Zeros();
        for (int a = 0; a < fy.Length; a++) tangent[fy[a]] = r[a];
        return results.Pack(tangent);
    }

    public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs)
    {
        var outputs = results.Parts;
        var fy = Enumerable.Range(0, outputs.Length).Where(j => outputs[j].DType.IsFloat()).ToArray();
        var gy = results.Unpack(g);
        // Every branch returns a cotangent for every float argument (zeros for what another branch captured).
        var fa = Enumerable.Range(1, x.Length - 1).Where(i => x[i].DType.IsFloat()).ToArray();
        var r = Switch(x, [.. x[1..(1 + n)], .. fy.Select(j => gy[j])], (b, first, v) =>
        {
            long t = Tags.Next();
            var ops = v[..n];
            var kt = x[first..(first + b.Captured.Length)];
            var leaves = new Tensor?[x.Length];
            for (int i = 0; i < n; i++)
                if (ops[i].DType.IsFloat()) leaves[1 + i] = ops[i] = Tensor.Leaf(ops[i], t);
            for (int j = 0; j < kt.Length; j++)
                if (kt[j].DType.IsFloat()) leaves[first + j] = kt[j] = Tensor.Leaf(kt[j], t);
            var o = b.Run(ops, kt);
            var outs = new List<Tensor>();
            var seeds = new List<Tensor>();
            for (int a = 0; a < fy.Length; a++)
                if (Autodiff.AtLevel(o[fy[a]], t) is { } yt) { outs.Add(yt); seeds.Add(v[n + a]); }
            var given = leaves.Where(l => l is not null).Select(l => l!).ToArray();
            var d = outs.Count == 0
                ? new Tensor?[given.Length]
                : Backward.Run([.. outs], [.. seeds], given, t, createGraph: false, inputsAreTheLeaves: true);
            var byArg = new Tensor?[x.Length];
            for (int i = 0, at = 0; i < x.Length; i++)
                if (leaves[i] is not null) byArg[i] = d[at++];
            return [.. fa.Select(i => byArg[i] ?? Tensor.Zeros(x[i].shape, x[i].DType))];
        });
        var cot = new Tensor?[x.Length];
        for (int a = 0; a < fa.Length; a++) cot[fa[a]] = r[a];
        return cot;
    }

    public override (Tensor Value, int? Axis) Batch(Tensor[] x, int?[] axes, int size)
    {
        var front = new Tensor[x.Length];
        var mapped = new int?[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            front[i] = Batching.Front(x[i], axes[i]);
            mapped[i] = axes[i] is null ? null : 0;
        }
        Tensor[] Mapped(int i, Tensor[] v)
        {
            var k = front[Captured(i)..(Captured(i) + branches[i].Captured.Length)];
            int?[] m = [.. mapped[1..(1 + n)], .. mapped[Captured(i)..(Captured(i) + k.Length)]];
            // A branch that reads nothing mapped gives every example the same results.
            return m.Any(a => a is not null)
                ? Autodiff.VmapCore(u => branches[i].Run(u.AsSpan(0, n), u.AsSpan(n)), [.. v, .. k], m, 0, name)
                : [.. branches[i].Run(v, k).Select(r => Batching.Repeated(r, size))];
        }
        var operands = front[1..(1 + n)];
        Tensor[] r;
        if (axes[0] is null)
        {
            var shadows = operands.Select(Shadows.Of).ToArray();
            var bodies = branches.Select((_, i) => Body.Trace(v => Mapped(i, v), shadows, name)).ToArray();
            var op = new BranchOp(bodies, name);
            r = op.Unpack(Op.Apply(op, [x[0], .. operands, .. bodies.SelectMany(b => b.Captured)]));
        }
        else
        {
            var all = branches.Select((_, i) => Mapped(i, operands)).ToArray();
            r = all[^1];
            for (int i = branches.Length - 2; i >= 0; i--)
            {
                var take = Loops.Takes(front[0], i);
                r = [.. r.Select((c, j) => Tensor.Where(take.Reshape([size, .. Enumerable.Repeat(1, c.Rank - 1)]),
                    all[i][j], c))];
            }
        }
        return (results.Rows(r, new int[r.Length], size), 0);
    }
}
