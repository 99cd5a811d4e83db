namespace FuncGrad;

/// <summary>The reverse-mode walk over one differentiation's graph.</summary>
internal static class Backward
{
    /// <summary>
    /// Cotangents of <paramref name="inputs"/> given seed cotangents for <paramref name="outputs"/>, all of
    /// differentiation <paramref name="t"/>. Entries are null for inputs the outputs do not depend on.
    /// <paramref name="inputsAreTheLeaves"/> says the inputs are every variable of differentiation t (a
    /// functional transform's own leaves), so every node leads to one and no pass is needed to find which do.
    /// </summary>
    internal static Tensor?[] Run(Tensor[] outputs, Tensor[] seeds, Tensor[] inputs, long t, bool createGraph,
        bool inputsAreTheLeaves = false)
    {
        var index = new Dictionary<Tensor, int>(inputs.Length, ById.Instance);
        for (int i = inputs.Length - 1; i >= 0; i--) index[inputs[i]] = i;
        var relevant = inputsAreTheLeaves ? null : Relevant(outputs, index, t);
        var r = new Tensor?[inputs.Length];
        // A transform's inputs are leaves: only a leaf needs the lookup.
        Func<Tensor, bool> requested = inputsAreTheLeaves
            ? x => x.op is null && index.ContainsKey(x)
            : index.ContainsKey;
        Walk(outputs, seeds, t, createGraph, relevant, requested, (x, g) => r[index[x]] = g);
        for (int i = 0; i < inputs.Length; i++)
            r[i] = r[index[inputs[i]]]; // an input given twice gets its cotangent twice
        return r;
    }

    /// <summary>Cotangents of every leaf variable that the outputs depend on, latest variable first.</summary>
    internal static List<(Tensor Leaf, Tensor Cotangent)> RunToLeaves(Tensor[] outputs, Tensor[] seeds, long t)
    {
        var r = new List<(Tensor, Tensor)>();
        Walk(outputs, seeds, t, createGraph: false, relevant: null, x => x.op is null, (x, g) => r.Add((x, g)));
        return r;
    }

    /// <summary>The nodes of differentiation t from which some input can be reached: the only ones whose VJP
    /// matters.</summary>
    private static HashSet<Tensor> Relevant(Tensor[] outputs, Dictionary<Tensor, int> inputs, long t)
    {
        var seen = new HashSet<Tensor>(ById.Instance);
        var relevant = new HashSet<Tensor>(ById.Instance);
        PostOrder(outputs, x => x.args, x => x.tag == t && seen.Add(x), node =>
        {
            bool leads = inputs.ContainsKey(node);
            if (node.args is not null)
                foreach (var a in node.args) leads |= relevant.Contains(a);
            if (leads) relevant.Add(node);
        });
        return relevant;
    }

    /// <summary>
    /// Runs each node's VJP once, in decreasing creation order: every consumer of a node was made after
    /// it, so a node's cotangent is complete when its turn comes. Only the nodes still waiting for their
    /// turn hold a cotangent, so a chain of any length needs constant memory here, and no recursion.
    /// Nothing in the graph is written; it can be walked again, and by several threads at once.
    /// <paramref name="relevant"/> holds the nodes that lead to an input (null: every node does);
    /// <paramref name="record"/> receives the cotangent of each node that <paramref name="requested"/> accepts.
    /// </summary>
    private static void Walk(Tensor[] outputs, Tensor[] seeds, long t, bool createGraph, HashSet<Tensor>? relevant,
        Func<Tensor, bool> requested, Action<Tensor, Tensor> record)
    {
        var anomaly = Anomaly.live == 0 ? null : AnomalyWalk.Start(outputs, t); // null unless this flow is in one
        if (anomaly is null) Walk(outputs, seeds, t, createGraph, relevant, requested, record, null);
        else using (anomaly) Walk(outputs, seeds, t, createGraph, relevant, requested, record, anomaly);
    }

    private static void Walk(Tensor[] outputs, Tensor[] seeds, long t, bool createGraph, HashSet<Tensor>? relevant,
        Func<Tensor, bool> requested, Action<Tensor, Tensor> record, AnomalyWalk? anomaly)
    {
        var pending = new Dictionary<Tensor, Tensor>(ById.Instance);
        var turn = new PriorityQueue<Tensor, long>();
        // While only one node is pending (all along a chain), it waits here, outside the queue.
        Tensor? sole = null, soleCotangent = null;
        void Accumulate(Tensor x, Tensor d)
        {
            if (sole is not null)
            {
                if (ReferenceEquals(sole, x))
                {
                    soleCotangent = anomaly is null ? soleCotangent! + d : anomaly.Sum(x, soleCotangent!, d);
                    return;
                }
                pending.Add(sole, soleCotangent!);
                turn.Enqueue(sole, -sole.id);
                sole = soleCotangent = null;
            }
            else if (turn.Count == 0) { sole = x; soleCotangent = d; return; }
            if (pending.TryGetValue(x, out var sum)) pending[x] = anomaly is null ? sum + d : anomaly.Sum(x, sum, d);
            else { pending.Add(x, d); turn.Enqueue(x, -x.id); }
        }
        bool Needed(Tensor x) => x.tag == t && (relevant is null || relevant.Contains(x));

        for (int o = 0; o < outputs.Length; o++) Accumulate(outputs[o], Backends.Beside(seeds[o], outputs[o]));
        while (true)
        {
            Tensor node, g;
            if (sole is not null) { node = sole; g = soleCotangent!; sole = soleCotangent = null; }
            else if (turn.TryDequeue(out node!, out _)) pending.Remove(node, out g!);
            else break;
            if (requested(node)) record(node, g);
            if (node.op is null) continue;

            int n = node.ArgCount;
            ulong bits = 0;
            bool any = false;
            for (int j = 0; j < n; j++)
                if (Needed(node.Arg(j))) { any = true; if (j < 64) bits |= 1UL << j; }
            if (!any) continue;

            Tensor[] x;
            Tensor y;
            if (createGraph || !node.op.VjpReadsValues) { x = node.args!; y = node; }
            else
            {
                x = new Tensor[n];
                for (int j = 0; j < n; j++) x[j] = node.Arg(j).PrimalAt(t);
                y = node.Down;
            }
            var needs = new Needs(bits);
            var dx = anomaly is not null ? anomaly.Vjp(node, g, x, y, needs)
                : Batching.ElementwiseVjp(node.op, g, x, y, needs) ?? node.op.Vjp(g, x, y, needs);
            if (dx.Length != n)
                throw new InvalidOperationException(
                    $"{node.op.Name}: its VJP rule returned {dx.Length} cotangents for {n} arguments; " +
                    "the rule is wrong");
            for (int j = 0; j < n; j++)
                if (dx[j] is not null && Needed(node.Arg(j)))
                {
                    var d = Op.Checked(dx[j]!, node.Arg(j), node.op, "VJP");
                    anomaly?.Check(node, j, d, g, x, y);
                    Accumulate(node.Arg(j), d);
                }
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
        public int GetHashCode(Tensor x) => x.id.GetHashCode();
    }
}
