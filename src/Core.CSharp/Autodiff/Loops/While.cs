namespace FuncGrad;

// whileLoop: the plain loop wherever the predicate can be read (under vmap, example by example: the loop runs until
// every example is done, and a done example keeps its carry); under compile, one WhileOp over traced functions.
internal static partial class Loops
{
    internal static Tensor[] While(Func<Tensor[], Tensor> cond, Func<Tensor[], Tensor[]> body, Tensor[] init)
    {
        Parts(init, "whileLoop", "init");
        var carry = init;
        for (int s = 0; ; s++)
        {
            NotReversed(carry, s);
            var p = Predicate(cond(carry), "whileLoop", "condition");
            var (bottom, batched) = Under(p);
            // Under compile the rest of the loop is one op (the steps so far had a carry that compile knew).
            if (bottom.IsTraced) return Traced(cond, body, carry);
            if (!batched)
            {
                if (bottom.Item() == 0) return carry;
                var next = body(carry);
                CheckCarry("whileLoop", s, s, init, next);
                carry = next;
                continue;
            }
            if (!bottom.ToArray().Any(v => v != 0)) return carry;
            var step = body(carry);
            CheckCarry("whileLoop", s, s, init, step);
            carry = [.. step.Select((c, j) => Tensor.Where(p, c, carry[j]))];
        }
    }

    /// <summary>The value under every level of <paramref name="p"/>, and whether a vmap level lies above it (then it
    /// holds one predicate per example).</summary>
    private static (Tensor Bottom, bool Batched) Under(Tensor p)
    {
        bool batched = false;
        var t = p;
        while (t.tag != 0 && !t.IsTraced)
        {
            batched |= t.IsBatched;
            t = t.Down;
        }
        return (t, batched);
    }

    /// <summary>A one-element bool tensor, or the error that names what the function returned.</summary>
    internal static Tensor Predicate(Tensor p, string name, string what)
    {
        if (p.Count != 1 || p.DType != DType.Bool)
            throw new DTypeMismatchException(
                $"{name}: the {what} returned {Shapes.Show(p)}; return a one-element bool tensor (a comparison such " +
                "as c.Lt(limit), reduced with All or Any if it has several elements)");
        return p;
    }

    /// <summary>The loop under compile: its condition and body traced, one WhileOp over the carry and what they
    /// captured.</summary>
    private static Tensor[] Traced(Func<Tensor[], Tensor> cond, Func<Tensor[], Tensor[]> body, Tensor[] init)
    {
        var shadows = init.Select(Shadows.Of).ToArray();
        var c = Body.Trace(v => [Predicate(cond(v), "whileLoop", "condition").Reshape([])], shadows, "whileLoop");
        var b = Body.Trace(v =>
        {
            var next = body(v);
            CheckCarry("whileLoop", 0, 0, init, next);
            return next;
        }, shadows, "whileLoop");
        var op = new WhileOp(c, b, "whileLoop");
        return op.Unpack(Op.Apply(op, [.. init, .. c.Captured, .. b.Captured]));
    }
}

/// <summary>
/// A while loop as one op, for compile: on the arguments [init, what the condition captured, what the body captured],
/// the final carry packed. Forward mode is a while loop of duals under the same condition; vmap a while loop that
/// runs until every example's condition is false, a done example keeping its carry; reverse mode is an error.
/// </summary>
internal sealed class WhileOp(Body cond, Body body, string name, bool compiled = false) : Op
{
    private readonly int nc = body.Inputs;
    private readonly Results results = new(body.OutputTypes, name);

    public override string Name => "WhileLoop";

    internal override bool AnyDType => true;

    internal override Op InProgram => compiled ? this : new WhileOp(cond, body, name, true);

    internal override Tensor? ComputeOn(Backend backend, Tensor[] x) => Compute(x, false);

    public override Tensor Compute(Tensor[] x) => Compute(x, compiled);

    private Tensor Compute(Tensor[] x, bool compiled)
    {
        var carry = x[..nc];
        int kc = cond.Captured.Length;
        while (true)
        {
            var k = x.AsSpan(nc, kc);
            var p = compiled ? cond.RunCompiled(carry, k)[0] : cond.Run(carry, k)[0];
            if (p.Item() == 0) return results.Pack(carry, check: true);
            carry = compiled ? body.RunCompiled(carry, x.AsSpan(nc + kc)) : body.Run(carry, x.AsSpan(nc + kc));
        }
    }

    internal Tensor[] Unpack(Tensor p) => results.Unpack(p);

    public override Tensor?[] Vjp(Tensor g, Tensor[] x, Tensor y, Needs needs) =>
        throw new GradientException(
            $"{name}: reverse mode (grad, vjp, jacrev) reached a while loop; its number of steps is not known in " +
            "advance, so reverse mode cannot run it backwards. Use Scan with a fixed length, or ForiLoop with fixed " +
            "bounds (JAX's rule too); forward mode (jvp, jacfwd) does pass through whileLoop");

    public override Tensor Jvp(Tensor?[] dx, Tensor[] x, Tensor y)
    {
        var fc = Enumerable.Range(0, nc).Where(i => x[i].DType.IsFloat()).ToArray();
        var dInit = fc.Select(i => dx[i] ?? Tensor.Zeros(x[i].shape, x[i].DType)).ToArray();
        int kc = cond.Captured.Length;
        var kb = x[(nc + kc)..];
        var tb = Enumerable.Range(0, kb.Length).Where(j => dx[nc + kc + j] is not null).ToArray();
        var kcs = x[nc..(nc + kc)];
        Tensor[] Step(Tensor[] v)
        {
            long t = Tags.Next();
            var c = v[..nc];
            for (int a = 0; a < fc.Length; a++) c[fc[a]] = Tensor.Dual(c[fc[a]], v[nc + a], t);
            var k = (Tensor[])kb.Clone();
            foreach (var j in tb) k[j] = Tensor.Dual(k[j], dx[nc + kc + j]!, t);
            var o = body.Run(c, k);
            return [.. o.Select(r => Autodiff.Below(r, t)),
                .. fc.Select(i => Autodiff.AtLevel(o[i], t)?.tangent ?? Tensor.Zeros(o[i].shape, o[i].DType))];
        }
        var shadows = x[..nc].Select(Shadows.Of).Concat(dInit.Select(Shadows.Of)).ToArray();
        var jc = Body.Trace(v => cond.Run(v.AsSpan(0, nc), kcs), shadows, name);
        var jb = Body.Trace(Step, shadows, name);
        var op = new WhileOp(jc, jb, name);
        var r = op.Unpack(Op.Apply(op, [.. x[..nc], .. dInit, .. jc.Captured, .. jb.Captured]));
        var tangent = results.Zeros();
        for (int a = 0; a < fc.Length; a++) tangent[fc[a]] = r[nc + a];
        return results.Pack(tangent);
    }

    public override (Tensor Value, int? Axis) Batch(Tensor[] x, int?[] axes, int size)
    {
        var front = new Tensor[x.Length];
        var mapped = new int?[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            front[i] = i < nc && axes[i] is null ? Batching.Repeated(x[i], size) : Batching.Front(x[i], axes[i]);
            mapped[i] = i < nc || axes[i] is not null ? 0 : null;
        }
        int kc = cond.Captured.Length;
        var kcs = front[nc..(nc + kc)];
        var kbs = front[(nc + kc)..];
        int?[] cm = [.. mapped[..(nc + kc)]], bm = [.. mapped[..nc], .. mapped[(nc + kc)..]];
        Tensor Going(Tensor[] c) =>
            Autodiff.VmapCore(u => cond.Run(u.AsSpan(0, nc), u.AsSpan(nc)), [.. c, .. kcs], cm, 0, name)[0];
        var shadows = front[..nc].Select(Shadows.Of).ToArray();
        var jc = Body.Trace(c => [Going(c).Any()], shadows, name);
        var jb = Body.Trace(c =>
        {
            var going = Going(c);
            var next = Autodiff.VmapCore(u => body.Run(u.AsSpan(0, nc), u.AsSpan(nc)), [.. c, .. kbs], bm, 0, name);
            return [.. next.Select((n, i) => Tensor.Where(going.Reshape([size, .. Enumerable.Repeat(1, n.Rank - 1)]),
                n, c[i]))];
        }, shadows, name);
        var op = new WhileOp(jc, jb, name);
        var r = op.Unpack(Op.Apply(op, [.. front[..nc], .. jc.Captured, .. jb.Captured]));
        return (results.Rows(r, new int[r.Length], size), 0);
    }
}
