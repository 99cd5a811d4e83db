namespace FuncGrad;

/// <summary>The reverse-mode walk over one differentiation's graph.</summary>
internal static class Backward
{
    /// <summary>
    /// Cotangents of <paramref name="inputs"/> given seed cotangents for <paramref name="outputs"/>, all of
    /// differentiation <paramref name="t"/>. Entries are null for inputs the outputs do not depend on.
    /// </summary>
    internal static Tensor?[] Run(Tensor[] outputs, Tensor[] seeds, Tensor[] inputs, long t, bool createGraph)
    {
        var graph = new Graph(outputs, t);
        var cot = graph.Walk(outputs, seeds, inputs, createGraph);
        var r = new Tensor?[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
            if (graph.TrySlot(inputs[i], out var k)) r[i] = cot[k];
        return r;
    }

    /// <summary>Cotangents of every leaf variable that the outputs depend on, in graph order.</summary>
    internal static List<(Tensor Leaf, Tensor Cotangent)> RunToLeaves(Tensor[] outputs, Tensor[] seeds, long t)
    {
        var graph = new Graph(outputs, t);
        var cot = graph.Walk(outputs, seeds, null, createGraph: false);
        var r = new List<(Tensor, Tensor)>();
        for (int i = 0; i < graph.Count; i++)
            if (graph.Nodes[i].op is null && cot[i] is not null) r.Add((graph.Nodes[i], cot[i]!));
        return r;
    }

    /// <summary>
    /// The nodes of differentiation t that the outputs depend on, each after its arguments, with each
    /// node's arguments resolved to slots once, so the walk itself does no hashing.
    /// </summary>
    /// <remarks>
    /// Ordered by an explicit-stack depth-first search: a chain of millions of ops cannot overflow the
    /// stack. Nothing in the graph is written; the graph can be walked again, and by several threads.
    /// </remarks>
    private sealed class Graph
    {
        private readonly Dictionary<Tensor, int> slotOf = new(ById.Instance);
        internal readonly List<Tensor> Nodes = new();
        private readonly List<int> argStart = new();  // per slot: where its argument slots begin in argSlots
        private readonly List<int> argSlots = new();  // slot of each argument, or −1 if it is not of this differentiation
        private readonly long t;

        internal int Count => Nodes.Count;
        internal bool TrySlot(Tensor x, out int slot) => slotOf.TryGetValue(x, out slot) && slot >= 0;

        internal Graph(Tensor[] outputs, long t)
        {
            this.t = t;
            PostOrder(outputs, x => x.args, x => x.tag == t && slotOf.TryAdd(x, -1), node =>
            {
                slotOf[node] = Nodes.Count;
                Nodes.Add(node);
                argStart.Add(argSlots.Count);
                if (node.args is not null)
                    foreach (var p in node.args) argSlots.Add(p.tag == t ? slotOf[p] : -1);
            });
            argStart.Add(argSlots.Count);
        }

        /// <summary>
        /// Calls each needed node's VJP once, last node first, accumulating cotangents in an array local
        /// to the walk. Only nodes on a path to a requested input (every leaf, when inputs is null) count.
        /// </summary>
        internal Tensor?[] Walk(Tensor[] outputs, Tensor[] seeds, Tensor[]? inputs, bool createGraph)
        {
            int n = Nodes.Count;
            var relevant = new bool[n];
            var keep = new bool[n]; // requested inputs keep their cotangents to the end
            if (inputs is null)
                for (int i = 0; i < n; i++) relevant[i] = keep[i] = Nodes[i].op is null;
            else
                foreach (var x in inputs)
                    if (TrySlot(x, out var k)) relevant[k] = keep[k] = true;
            for (int i = 0; i < n; i++)
                for (int e = argStart[i]; !relevant[i] && e < argStart[i + 1]; e++)
                    relevant[i] = argSlots[e] >= 0 && relevant[argSlots[e]];

            var cot = new Tensor?[n];
            for (int o = 0; o < outputs.Length; o++)
            {
                int k = slotOf[outputs[o]];
                cot[k] = cot[k] is null ? seeds[o] : cot[k]! + seeds[o];
            }

            for (int i = n - 1; i >= 0; i--)
            {
                var node = Nodes[i];
                var g = cot[i];
                if (g is null || !relevant[i] || node.op is null) continue;
                if (!keep[i]) cot[i] = null; // free it early

                var args = node.args!;
                int first = argStart[i];
                ulong bits = 0;
                bool any = false;
                for (int j = 0; j < args.Length; j++)
                    if (argSlots[first + j] >= 0 && relevant[argSlots[first + j]]) { any = true; if (j < 64) bits |= 1UL << j; }
                if (!any) continue;
                var needs = new Needs(bits);

                var dx = createGraph
                    ? node.op.Vjp(g, args, node, needs)
                    : node.op.Vjp(g, node.primals!, node.primal!, needs);
                if (dx.Length != args.Length)
                    throw new InvalidOperationException($"{node.op.Name}: its VJP rule returned {dx.Length} cotangents for {args.Length} arguments; the rule is wrong");
                for (int j = 0; j < args.Length; j++)
                {
                    if (dx[j] is null || argSlots[first + j] < 0 || !relevant[argSlots[first + j]]) continue;
                    var d = Op.Checked(dx[j]!, args[j], node.op, "VJP");
                    int k = argSlots[first + j];
                    cot[k] = cot[k] is null ? d : cot[k]! + d;
                }
            }
            return cot;
        }
    }

    /// <summary>
    /// Calls <paramref name="finished"/> on every tensor reachable from <paramref name="roots"/> through
    /// <paramref name="argumentsOf"/>, each after the tensors it was made from. <paramref name="firstSeen"/>
    /// marks a tensor as met and says whether to go into it (false: already met, or not part of this walk).
    /// An explicit stack replaces recursion, so a chain of millions of ops cannot overflow the call stack.
    /// </summary>
    internal static void PostOrder(IEnumerable<Tensor> roots, Func<Tensor, Tensor[]?> argumentsOf,
        Func<Tensor, bool> firstSeen, Action<Tensor> finished)
    {
        var stack = new Stack<(Tensor Node, int Next)>();
        foreach (var root in roots)
        {
            if (!firstSeen(root)) continue;
            stack.Push((root, 0));
            while (stack.Count > 0)
            {
                var (node, next) = stack.Pop();
                var a = argumentsOf(node);
                bool descended = false;
                while (a is not null && next < a.Length)
                {
                    var p = a[next++];
                    if (firstSeen(p))
                    {
                        stack.Push((node, next));
                        stack.Push((p, 0));
                        descended = true;
                        break;
                    }
                }
                if (!descended) finished(node);
            }
        }
    }

    /// <summary>Reference identity, hashed by the id every tagged tensor gets at creation.</summary>
    private sealed class ById : IEqualityComparer<Tensor>
    {
        internal static readonly ById Instance = new();
        public bool Equals(Tensor? a, Tensor? b) => ReferenceEquals(a, b);
        public int GetHashCode(Tensor x) => x.id;
    }
}
