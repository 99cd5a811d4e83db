namespace FuncGrad;

/// <summary>
/// A scan as one op: <c>(carry, y) = body(carry, xs[s]; captured)</c> for s = 0 .. length-1, on the arguments
/// [init (nc), xs (nx), captured], its results packed in one tensor (several results of one op, as a factorisation's
/// are; Packed.cs): the final carry, the ys stacked, and, when <see cref="saves"/>, the carries its reverse rule
/// reads, kept before every <see cref="policy"/>-th step. Its rules are scans in turn, of the body replayed under the
/// transformation: forward mode a scan of duals, reverse mode a reverse scan of the body's pullback over the kept
/// carries (recomputing those between them segment by segment), vmap a scan of the vmapped body. Processing order is
/// the index order; Autodiff.Scan flips xs and ys for a reverse scan.
/// </summary>
internal sealed class ScanOp : Op
{
    private readonly Body body;     // inputs: carry (nc) ++ x (nx); captured; outputs: carry (nc) ++ y (ny)
    private readonly int nc, nx, ny, length, policy;
    private readonly bool saves;
    private readonly bool compiled; // a step of a compiled program: the body runs as one too
    private readonly string name;
    private readonly (int[] Shape, DType DType)[] parts;
    private readonly Results results;

    // policy: steps between kept carries (ScanCheckpoint.Stride), k ≥ 1, or 0 to keep none; saves: whether the result
    // holds the kept carries, only where reverse mode can reach the op.
    internal ScanOp(Body body, int nc, int length, int policy, bool saves, string name, bool compiled = false)
    {
        this.compiled = compiled;
        this.body = body;
        this.nc = nc;
        nx = body.Inputs - nc;
        ny = body.OutputTypes.Length - nc;
        this.length = length;
        this.policy = policy;
        this.saves = saves;
        this.name = name;
        var carry = body.OutputTypes[..nc];
        parts = [.. carry, .. body.OutputTypes[nc..].Select(t => ((int[])[length, .. t.Shape], t.DType)),
            .. carry.Select(t => ((int[])[Kept, .. t.Shape], t.DType))];
        results = new Results(parts, name);
    }

    public override string Name => "Scan";

    internal override bool AnyDType => true;

    /// <summary>The number of carries the result keeps.</summary>
    private int Kept => saves && policy > 0 ? (length + policy - 1) / policy : 0;

    internal override Op InProgram => compiled ? this : new ScanOp(body, nc, length, policy, saves, name, true);

    // The body's ops run on the arguments' device.
    internal override Tensor? ComputeOn(Backend backend, Tensor[] x) => Compute(x, false);

    public override Tensor Compute(Tensor[] x) => Compute(x, compiled);

    private Tensor Compute(Tensor[] x, bool compiled)
    {
        var carry = x[..nc];
        var input = new Tensor[nc + nx];
        var ys = new Tensor[ny][];
        for (int j = 0; j < ny; j++) ys[j] = new Tensor[length];
        var kept = new List<Tensor[]>(Kept);
        for (int s = 0; s < length; s++)
        {
            if (Kept > 0 && s % policy == 0) kept.Add(carry);
            carry.CopyTo(input, 0);
            for (int i = 0; i < nx; i++) input[nc + i] = Row(x[nc + i], s);
            var o = compiled ? body.RunCompiled(input, x.AsSpan(nc + nx)) : body.Run(input, x.AsSpan(nc + nx));
            carry = o[..nc];
            for (int j = 0; j < ny; j++) ys[j][s] = o[nc + j];
        }
        var result = new Tensor[parts.Length];
        carry.CopyTo(result, 0);
        for (int j = 0; j < ny; j++) result[nc + j] = Tensor.Stack(ys[j]);
        for (int i = 0; i < nc && Kept > 0; i++) result[nc + ny + i] = Tensor.Stack(kept.Select(c => c[i]).ToArray());
        if (Kept == 0) for (int i = 0; i < nc; i++) result[nc + ny + i] = Tensor.Zeros(parts[nc + ny + i].Shape,
            parts[nc + ny + i].DType);
        return results.Pack(result, check: true);
    }

    /// <summary>Step s of <paramref name="xs"/>: its row, copied straight from a plain managed array where it has one
    /// (the copy that indexing makes, without an op's dispatch for every step).</summary>
    private static Tensor Row(Tensor xs, int s)
    {
        if (xs.tag != 0 || xs.OnDevice || xs.data is not { } data || data.Length != xs.Count) return xs[s];
        var shape = xs.shape[1..];
        int n = data.Length / xs.shape[0];
        var row = Array.CreateInstance(data.GetType().GetElementType()!, n);
        Array.Copy(data, (long)s * n, row, 0, n);
        return Tensor.Plain(shape, xs.DType, row);
    }

    /// <summary>The results of this op: the final carry (nc), the ys (ny), the kept carries (nc).</summary>
    internal Tensor[] Unpack(Tensor p) => results.Unpack(p);

    /// <summary>The op on arguments of any level, unpacked.</summary>
    internal static Tensor[] Run(ScanOp op, Tensor[] args) => op.Unpack(Op.Apply(op, args));

    private static bool IsFloat(DType d) => d.IsFloat();
    private int[] FloatCarry => [.. Enumerable.Range(0, nc).Where(i => IsFloat(parts[i].DType))];
    private int[] FloatYs => [.. Enumerable.Range(0, ny).Where(j => IsFloat(parts[nc + j].DType))];

    // ---- forward mode: a scan of duals ----

    public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y)
    {
        int nk = x.Length - nc - nx;
        var fc = FloatCarry;
        var fy = FloatYs;
        // Tangents that are given, and every float carry's (zero where not given: the captured ones feed it).
        var tx = Enumerable.Range(0, nx).Where(i => dx[nc + i] is not null).ToArray();
        var tk = Enumerable.Range(0, nk).Where(j => dx[nc + nx + j] is not null).ToArray();
        var dInit = fc.Select(i => dx[i] ?? Tensor.Zeros(x[i].shape, x[i].DType)).ToArray();
        var k = x[(nc + nx)..];
        var dk = tk.Select(j => dx[nc + nx + j]!).ToArray();
        Tensor[] Step(Tensor[] v)
        {
            long t = Tags.Next();
            var c = v[..nc];
            for (int a = 0; a < fc.Length; a++) c[fc[a]] = Tensor.Dual(c[fc[a]], v[nc + a], t);
            var xt = v[(nc + fc.Length)..(nc + fc.Length + nx)];
            for (int a = 0; a < tx.Length; a++) xt[tx[a]] = Tensor.Dual(xt[tx[a]], v[nc + fc.Length + nx + a], t);
            var kt = (Tensor[])k.Clone();
            for (int a = 0; a < tk.Length; a++) kt[tk[a]] = Tensor.Dual(kt[tk[a]], dk[a], t);
            var o = body.Run([.. c, .. xt], kt);
            Tensor Tangent(Tensor r) => Autodiff.AtLevel(r, t)?.tangent ?? Tensor.Zeros(r.shape, r.DType);
            var below = o.Select(r => Autodiff.Below(r, t)).ToArray();
            return [.. below[..nc], .. fc.Select(i => Tangent(o[i])), .. below[nc..],
                .. fy.Select(j => Tangent(o[nc + j]))];
        }
        var xs = x[nc..(nc + nx)];
        var txs = tx.Select(i => dx[nc + i]!).ToArray();
        var jb = Body.Trace(Step, [.. x[..nc].Select(Shadows.Of), .. dInit.Select(Shadows.Of),
            .. xs.Select(Shadows.Step), .. txs.Select(Shadows.Step)], name);
        var jop = new ScanOp(jb, nc + fc.Length, length, policy, saves, name);
        var r = Run(jop, [.. x[..nc], .. dInit, .. xs, .. txs, .. jb.Captured]);
        // r: carry (nc), its tangents (fc), ys (ny), their tangents (fy), kept carries (nc), their tangents (fc)
        var tangent = results.Zeros();
        for (int a = 0; a < fc.Length; a++)
        {
            tangent[fc[a]] = r[nc + a];
            if (Kept > 0) tangent[nc + ny + fc[a]] = r[nc + fc.Length + ny + fy.Length + nc + a];
        }
        for (int a = 0; a < fy.Length; a++) tangent[nc + fy[a]] = r[nc + fc.Length + ny + a];
        return results.Pack(tangent);
    }

    // ---- reverse mode: a reverse scan of the body's pullback ----

    public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs)
    {
        int nk = x.Length - nc - nx;
        var fc = FloatCarry;
        var fy = FloatYs;
        var fx = Enumerable.Range(0, nx).Where(i => IsFloat(x[nc + i].DType)).ToArray();
        var fk = Enumerable.Range(0, nk).Where(j => IsFloat(x[nc + nx + j].DType)).ToArray();
        var xs = x[nc..(nc + nx)];
        var k = x[(nc + nx)..];
        var gp = Unpack(g);

        // The kept carries, or a forward sweep that keeps every ⌈√length⌉-th.
        int stride = Kept > 0 ? policy : policy > 0 ? policy : Math.Max(1, (int)Math.Ceiling(Math.Sqrt(length)));
        Tensor[] kept;
        if (Kept > 0) kept = Unpack(y)[(nc + ny)..];
        else
        {
            var sweep = new ScanOp(body.First(nc), nc, length, stride, saves: true, name);
            kept = Run(sweep, x)[nc..];
        }
        // A cotangent of a kept carry (from a higher order) joins that carry's; zeros elsewhere, and under every
        // policy, so that every policy adds the same numbers.
        var extra = fc.Select(i => Kept == 0 ? Tensor.Zeros([length, .. parts[i].Shape], parts[i].DType)
            : Spread(gp[nc + ny + i], policy)).ToArray();

        var ct = fc.Select(i => gp[i]).ToArray();
        var gk = fk.Select(j => Tensor.Zeros(k[j].shape, k[j].DType)).ToArray();
        Tensor[] Step(Tensor[] v)
        {
            // v: ct (fc), gk (fk), c (nc), x (nx), gy (fy), extra (fc)
            int at = fc.Length + fk.Length;
            long t = Tags.Next();
            var c = v[at..(at + nc)];
            var xt = v[(at + nc)..(at + nc + nx)];
            var kt = (Tensor[])k.Clone();
            var leaves = new List<Tensor>();
            foreach (var i in fc) leaves.Add(c[i] = Tensor.Leaf(c[i], t));
            foreach (var i in fx) leaves.Add(xt[i] = Tensor.Leaf(xt[i], t));
            foreach (var j in fk) leaves.Add(kt[j] = Tensor.Leaf(kt[j], t));
            var o = body.Run([.. c, .. xt], kt);
            var outs = new List<Tensor>();
            var seeds = new List<Tensor>();
            for (int a = 0; a < fc.Length; a++)
                if (Autodiff.AtLevel(o[fc[a]], t) is { } r) { outs.Add(r); seeds.Add(v[a]); }
            int gy = at + nc + nx;
            for (int a = 0; a < fy.Length; a++)
                if (Autodiff.AtLevel(o[nc + fy[a]], t) is { } r) { outs.Add(r); seeds.Add(v[gy + a]); }
            var d = outs.Count == 0
                ? new Tensor?[leaves.Count]
                : Backward.Run([.. outs], [.. seeds], [.. leaves], t, createGraph: false, inputsAreTheLeaves: true);
            Tensor D(int i) => d[i] ?? Tensor.Zeros(leaves[i].shape, leaves[i].DType);
            var result = new Tensor[fc.Length + fk.Length + fx.Length];
            for (int a = 0; a < fc.Length; a++) result[a] = D(a) + v[gy + fy.Length + a];
            for (int a = 0; a < fk.Length; a++) result[fc.Length + a] = v[fc.Length + a] + D(fc.Length + fx.Length + a);
            for (int a = 0; a < fx.Length; a++) result[fc.Length + fk.Length + a] = D(fc.Length + a);
            return result;
        }

        // Every carry kept: one reverse scan; else one per segment between kept carries, last first.
        int seg = stride == 1 ? length : stride;
        int segments = (length + seg - 1) / seg;
        var gxs = new List<Tensor[]>(segments);
        Body? back = null;
        for (int s = segments - 1; s >= 0; s--)
        {
            int lo = s * seg, hi = Math.Min(lo + seg, length), len = hi - lo;
            Tensor Seg(Tensor a) => len == length ? a : a.Slice(0, lo, hi);
            var segXs = xs.Select(Seg).ToArray();
            Tensor[] carries;
            if (stride == 1) carries = kept;
            else
            {
                var fwd = new ScanOp(body.First(nc), nc, len, 1, saves: true, name);
                carries = Run(fwd, [.. kept.Select(a => a[s]), .. segXs, .. k])[nc..];
            }
            Tensor[] steps = [.. carries, .. segXs, .. fy.Select(j => Seg(gp[nc + j])), .. extra.Select(Seg)];
            for (int i = 0; i < steps.Length; i++) steps[i] = steps[i].Flip(0);
            Tensor[] start = [.. ct, .. gk];
            back ??= Body.Trace(Step, [.. start.Select(Shadows.Of), .. steps.Select(Shadows.Step)], name);
            var bop = new ScanOp(back, start.Length, len, policy, Loops.Reaches(start, steps, back.Captured), name);
            var r = Run(bop, [.. start, .. steps, .. back.Captured]);
            ct = r[..fc.Length];
            gk = r[fc.Length..(fc.Length + fk.Length)];
            gxs.Add(r[(fc.Length + fk.Length)..(fc.Length + fk.Length + fx.Length)].Select(a => a.Flip(0)).ToArray());
        }
        gxs.Reverse();
        var cot = new Tensor?[x.Length];
        for (int a = 0; a < fc.Length; a++) cot[fc[a]] = ct[a];
        for (int a = 0; a < fx.Length; a++)
            cot[nc + fx[a]] = gxs.Count == 1 ? gxs[0][a] : Tensor.Concat(gxs.Select(g => g[a]).ToArray());
        for (int a = 0; a < fk.Length; a++) cot[nc + nx + fk[a]] = gk[a];
        return cot;
    }

    /// <summary>The kept carries' cotangents [kept, ...] at their steps of [length, ...], zeros between.</summary>
    private Tensor Spread(Tensor g, int stride)
    {
        if (stride == 1) return g;
        var rest = Tensor.Zeros([g.shape[0], stride - 1, .. g.shape[1..]], g.DType);
        var spread = Tensor.Concat([g.Unsqueeze(1), rest], 1).Reshape([g.shape[0] * stride, .. g.shape[1..]]);
        return spread.Slice(0, 0, length);
    }

    // ---- vmap: a scan of the vmapped body ----

    public override (Tensor Value, int? Axis) Batch(Tensor[] x, int?[] axes, int size)
    {
        var front = new Tensor[x.Length];
        var mapped = new int?[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            bool step = i >= nc && i < nc + nx; // xs keep their steps first, the examples second
            if (i < nc) front[i] = axes[i] is null ? Batching.Repeated(x[i], size) : Batching.Front(x[i], axes[i]);
            else if (axes[i] is int a) front[i] = Batching.Moved(x[i], a, step ? 1 : 0);
            else front[i] = x[i];
            mapped[i] = i < nc || axes[i] is not null ? 0 : null;
        }
        var k = front[(nc + nx)..];
        Tensor[] Step(Tensor[] v) => Autodiff.VmapCore(u => body.Run(u.AsSpan(0, nc + nx), u.AsSpan(nc + nx)),
            [.. v, .. k], mapped, 0, name);
        var bb = Body.Trace(Step, [.. front[..nc].Select(Shadows.Of), .. front[nc..(nc + nx)].Select(Shadows.Step)],
            name);
        var bop = new ScanOp(bb, nc, length, policy, saves, name);
        var r = Run(bop, [.. front[..(nc + nx)], .. bb.Captured]);
        // Back to one packed row per example: the examples are second in the ys and the kept carries.
        return (results.Rows(r, [.. r.Select((_, i) => i < nc ? 0 : 1)], size), 0);
    }
}
