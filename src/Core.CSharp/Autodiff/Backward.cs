namespace FuncGrad;

/// <summary>The reverse-mode walk over one differentiation's graph.</summary>
internal static class Backward
{
    /// <summary>
    /// Cotangents of <paramref name="inputs"/> (or of every leaf reached, when null) given seed cotangents
    /// for <paramref name="outputs"/>, all of differentiation <paramref name="t"/>. Entries are null for
    /// inputs that the outputs do not depend on.
    /// </summary>
    /// <remarks>
    /// Iterative, never recursive: the graph is ordered by an explicit-stack depth-first search, so a
    /// chain of millions of ops cannot overflow the stack. Cotangents live in an array local to the
    /// walk; the graph is never changed, so the walk can run any number of times. With
    /// <paramref name="createGraph"/> the rules run on the graph's own tensors, so the cotangents are
    /// recorded in the same differentiation and can be differentiated again.
    /// </remarks>
    internal static Tensor?[] Run(Tensor[] outputs, Tensor[] seeds, Tensor[] inputs, long t, bool createGraph)
    {
        var (_, cot, index) = Walk(outputs, seeds, inputs, t, createGraph);
        var r = new Tensor?[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
            if (index.TryGetValue(inputs[i], out var k)) r[i] = cot[k];
        return r;
    }

    /// <summary>Cotangents of every leaf variable that the outputs depend on, in graph order.</summary>
    internal static List<(Tensor Leaf, Tensor Cotangent)> RunToLeaves(Tensor[] outputs, Tensor[] seeds, long t)
    {
        var (order, cot, _) = Walk(outputs, seeds, null, t, createGraph: false);
        var r = new List<(Tensor, Tensor)>();
        for (int i = 0; i < order.Count; i++)
            if (order[i].op is null && cot[i] is not null) r.Add((order[i], cot[i]!));
        return r;
    }

    private static (List<Tensor> Order, Tensor?[] Cotangents, Dictionary<Tensor, int> Index) Walk(
        Tensor[] outputs, Tensor[] seeds, Tensor[]? inputs, long t, bool createGraph)
    {
        var index = new Dictionary<Tensor, int>(ReferenceEqualityComparer.Instance);
        var order = TopologicalOrder(outputs, t, index);
        int n = order.Count;

        // Only nodes on a path to a requested input are worth a rule call.
        var relevant = new bool[n];
        var keep = new bool[n]; // requested inputs keep their cotangents to the end
        if (inputs is null)
            for (int i = 0; i < n; i++) relevant[i] = keep[i] = order[i].op is null;
        else
            foreach (var x in inputs)
                if (index.TryGetValue(x, out var k)) relevant[k] = keep[k] = true;
        for (int i = 0; i < n; i++)
        {
            if (relevant[i]) continue;
            var a = order[i].args;
            if (a is null) continue;
            foreach (var p in a)
                if (p.tag == t && relevant[index[p]]) { relevant[i] = true; break; }
        }

        var cot = new Tensor?[n];
        for (int o = 0; o < outputs.Length; o++)
        {
            int k = index[outputs[o]];
            cot[k] = cot[k] is null ? seeds[o] : cot[k]! + seeds[o];
        }

        for (int i = n - 1; i >= 0; i--)
        {
            var node = order[i];
            var g = cot[i];
            if (g is null || !relevant[i] || node.op is null) continue;
            if (!keep[i]) cot[i] = null; // free it early

            var args = node.args!;
            uint bits = 0;
            for (int j = 0; j < args.Length; j++)
                if (args[j].tag == t && relevant[index[args[j]]]) bits |= 1u << j;
            if (bits == 0) continue;

            Tensor[] xs;
            Tensor y;
            if (createGraph) { xs = args; y = node; }
            else
            {
                xs = new Tensor[args.Length];
                for (int j = 0; j < args.Length; j++) xs[j] = args[j].PrimalAt(t);
                y = node.primal!;
            }
            var dx = node.op.Vjp(g, xs, y, new Needs(bits));
            if (dx.Length != args.Length)
                throw new InvalidOperationException($"{node.op.Name}: its VJP rule returned {dx.Length} cotangents for {args.Length} arguments; the rule is wrong");
            for (int j = 0; j < args.Length; j++)
            {
                if ((bits & (1u << j)) == 0 || dx[j] is null) continue;
                var d = Op.Checked(dx[j]!, args[j], node.op, "VJP");
                int k = index[args[j]];
                cot[k] = cot[k] is null ? d : cot[k]! + d;
            }
        }
        return (order, cot, index);
    }

    /// <summary>Post-order over the nodes of differentiation <paramref name="t"/>: every node after its arguments.</summary>
    private static List<Tensor> TopologicalOrder(Tensor[] outputs, long t, Dictionary<Tensor, int> index)
    {
        var order = new List<Tensor>();
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<(Tensor Node, int Next)>();
        foreach (var root in outputs)
        {
            if (!seen.Add(root)) continue;
            stack.Push((root, 0));
            while (stack.Count > 0)
            {
                var (node, next) = stack.Pop();
                var a = node.args;
                bool descended = false;
                while (a is not null && next < a.Length)
                {
                    var p = a[next++];
                    if (p.tag == t && seen.Add(p))
                    {
                        stack.Push((node, next));
                        stack.Push((p, 0));
                        descended = true;
                        break;
                    }
                }
                if (!descended) { index[node] = order.Count; order.Add(node); }
            }
        }
        return order;
    }
}
