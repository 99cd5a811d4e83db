namespace FuncGrad;

// Scan (and Map and ForiLoop, which are scans): the body traced once, then one ScanOp over init, xs and what the body
// captured.
internal static partial class Loops
{
    internal static (Tensor[] Carry, Tensor[] Ys) Scan(Func<Tensor[], Tensor[], (Tensor[], Tensor[])> f,
        Tensor[] init, Tensor[] xs, int? length, bool reverse, int unroll, ScanCheckpoint checkpoint, string name)
    {
        int steps = Steps(init, xs, length, unroll, name);
        int nc = init.Length;
        if (reverse) xs = xs.Select(a => a.Flip(0)).ToArray();
        var body = Body.Trace(v =>
        {
            var (c, y) = f(v[..nc], v[nc..]);
            CheckCarry(name, 0, reverse ? Math.Max(steps - 1, 0) : 0, init, c);
            for (int j = 0; j < y.Length; j++)
                if (y[j] is null)
                    throw new ArgumentNullException(nameof(f), $"{name}: the body returned null as output {j}");
            return [.. c, .. y];
        }, [.. init.Select(Shadows.Of), .. xs.Select(Shadows.Step)], name);
        var types = body.OutputTypes;
        if (steps == 0)
            return (init, types[nc..].Select(t => Tensor.Zeros([0, .. t.Shape], t.DType)).ToArray());
        var op = new ScanOp(body, nc, steps, checkpoint.Stride, Reaches(init, xs, body.Captured), name);
        var r = ScanOp.Run(op, [.. init, .. xs, .. body.Captured]);
        var ys = r[nc..types.Length];
        if (reverse) ys = ys.Select(a => a.Flip(0)).ToArray();
        return (r[..nc], ys);
    }

    /// <summary>Whether reverse mode can reach a loop over these arguments: whether one of them, at some level, is a
    /// node of a differentiation. Only then does a scan keep carries for its reverse rule.</summary>
    internal static bool Reaches(params Tensor[][] groups)
    {
        foreach (var g in groups)
            foreach (var a in g)
                for (var t = a; t is { tag: not 0 }; t = t.primal)
                    if (t.IsNode) return true;
        return false;
    }
}
