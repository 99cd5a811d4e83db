using System.Globalization;
using System.Text;

namespace FuncGrad;

public sealed partial class Tensor
{
    /// <summary>
    /// The graph this tensor was computed by, as Graphviz DOT text (render it with <c>dot -Tsvg</c>).
    /// </summary>
    /// <remarks>
    /// Each op is an ellipse labelled with its name, shape and dtype; variables (leaves that gradients flow to) are
    /// filled rounded boxes; constants (tensors outside the differentiation) are dashed boxes; the tensor itself has a
    /// double border. Edges run from arguments to results, one per argument. The graph is that of the innermost
    /// reverse-mode differentiation the tensor belongs to (the imperative graph of <see cref="RequiresGrad"/>, or a
    /// transform's); a tensor without one is a single constant.
    /// </remarks>
    /// <param name="names">Labels for particular tensors (matched by reference), e.g. the lecture's x⁽⁰⁾ or
    /// w⁽¹⁾.</param>
    /// <param name="savedSizes">Also show the bytes each node keeps alive, and the total the graph holds.</param>
    /// <example><code>
    /// var w = Tensor.FromArray([1.0, 2.0]).RequiresGrad();
    /// var dot = (w * w).Sum().ToDot();   // digraph with 3 nodes: the variable, Mul and Sum
    /// </code></example>
    public string ToDot(IReadOnlyDictionary<Tensor, string>? names = null, bool savedSizes = false) =>
        GraphExport.Dot(GraphExport.Collect(this, names), savedSizes);

    /// <summary>
    /// The same graph as <see cref="ToDot"/>, as Mermaid flowchart text, which code-hosting sites render
    /// inside a <c>```mermaid</c> block with no tool installed. Variables are stadium-shaped, constants
    /// are parallelograms, ops are rectangles, and the tensor itself is drawn with a thick border.
    /// </summary>
    /// <param name="names">Labels for particular tensors (matched by reference).</param>
    /// <param name="savedSizes">Also show the bytes each node keeps alive.</param>
    /// <example><code>
    /// var w = Tensor.FromArray([1.0, 2.0]).RequiresGrad();
    /// var mermaid = (w * w).Sum().ToMermaid();   // "flowchart LR" with 3 nodes and 3 edges
    /// </code></example>
    public string ToMermaid(IReadOnlyDictionary<Tensor, string>? names = null, bool savedSizes = false) =>
        GraphExport.Mermaid(GraphExport.Collect(this, names), savedSizes);

    /// <summary>Collects a tensor's graph once; the writers only format it.</summary>
    private static class GraphExport
    {
        internal enum Kind { Op, Variable, Constant }

        internal sealed record Node(int Id, Tensor Tensor, Kind Kind, string Label);

        internal sealed record Collected(List<Node> Nodes, List<(int From, int To)> Edges, int Output);

        /// <summary>The nodes in topological order (arguments first) and one edge per argument.</summary>
        /// <remarks>An explicit-stack depth-first search, so a graph of a million ops is exported without
        /// recursion.</remarks>
        internal static Collected Collect(Tensor root, IReadOnlyDictionary<Tensor, string>? names)
        {
            var named = new Dictionary<Tensor, string>(ReferenceEqualityComparer.Instance);
            if (names is not null)
                foreach (var (k, v) in names) named[k] = v;

            var start = root;
            while (start.IsDual) start = start.Down; // forward mode records no graph: look at the value it carries
            long t = start.IsNode ? start.tag : 0;

            var idOf = new Dictionary<Tensor, int>(ReferenceEqualityComparer.Instance);
            var nodes = new List<Node>();
            var edges = new List<(int, int)>();
            bool InGraph(Tensor x) => t != 0 && x.tag == t && x.tangent is null;

            // Constants (arguments outside the graph) are drawn as leaves: they are met, not gone into.
            FuncGrad.Backward.PostOrder([start], x => InGraph(x) ? x.args : null, x => idOf.TryAdd(x, -1), x =>
            {
                var kind = !InGraph(x) ? Kind.Constant : x.op is null ? Kind.Variable : Kind.Op;
                int id = nodes.Count;
                idOf[x] = id;
                nodes.Add(new Node(id, x, kind, Label(x, kind, named)));
                if (InGraph(x) && x.args is not null)
                    foreach (var a in x.args) edges.Add((idOf[a], id));
            });
            return new Collected(nodes, edges, idOf[start]);
        }

        private static string Label(Tensor x, Kind kind, Dictionary<Tensor, string> named)
        {
            string head = kind switch
            {
                Kind.Op => named.TryGetValue(x, out var n) ? $"{n} = {x.op!.Name}" : x.op!.Name,
                Kind.Variable => named.TryGetValue(x, out var n) ? n : "variable",
                _ => named.TryGetValue(x, out var n) ? n
                    : x.Count == 1 ? "constant " + x.Element(0).ToString("G6", CultureInfo.InvariantCulture)
                    : "constant",
            };
            return $"{head}\n{Shapes.Show(x)}";
        }

        private static long Bytes(Tensor x) => (long)x.Count * (x.DType == DType.Float64 ? 8 : 4);

        private static string ShowBytes(long b) =>
            b < 1024 ? $"{b} B"
            : b < 1024 * 1024 ? (b / 1024.0).ToString("0.#", CultureInfo.InvariantCulture) + " KiB"
            : (b / (1024.0 * 1024.0)).ToString("0.#", CultureInfo.InvariantCulture) + " MiB";

        /// <summary>Bytes of distinct storage (a reshape shares its input's) that the graph keeps alive.</summary>
        private static long TotalBytes(Collected g)
        {
            var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
            long total = 0;
            foreach (var n in g.Nodes)
                if (seen.Add(n.Tensor.StorageKey)) total += Bytes(n.Tensor);
            return total;
        }

        private static string FullLabel(Node n, bool savedSizes) =>
            savedSizes ? $"{n.Label}\nsaved {ShowBytes(Bytes(n.Tensor))}" : n.Label;

        internal static string Dot(Collected g, bool savedSizes)
        {
            static string Quote(string s) =>
                "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n") + "\"";
            var sb = new StringBuilder();
            sb.Append("digraph FuncGrad {\n");
            sb.Append("  rankdir=LR;\n");
            sb.Append("  node [fontname=\"Helvetica\", fontsize=11];\n");
            sb.Append("  edge [color=\"#555555\"];\n");
            if (savedSizes)
                sb.Append("  label=").Append(Quote($"the graph holds {ShowBytes(TotalBytes(g))}")).Append(";\n");
            foreach (var n in g.Nodes)
            {
                string style = n.Kind switch
                {
                    Kind.Variable => "shape=box, style=\"rounded,filled\", fillcolor=\"#dbeafe\", color=\"#1d4ed8\"",
                    Kind.Constant => "shape=box, style=dashed, color=\"#6b7280\", fontcolor=\"#374151\"",
                    _ => "shape=ellipse",
                };
                if (n.Id == g.Output) style += ", peripheries=2";
                sb.Append($"  n{n.Id} [label=").Append(Quote(FullLabel(n, savedSizes)))
                    .Append(", ").Append(style).Append("];\n");
            }
            foreach (var (from, to) in g.Edges) sb.Append($"  n{from} -> n{to};\n");
            return sb.Append("}\n").ToString();
        }

        internal static string Mermaid(Collected g, bool savedSizes)
        {
            static string Quote(string s) =>
                "\"" + s.Replace("&", "#amp;").Replace("\"", "#quot;").Replace("<", "#lt;").Replace(">", "#gt;")
                    .Replace("\n", "<br/>") + "\"";
            var sb = new StringBuilder();
            sb.Append("flowchart LR\n");
            foreach (var n in g.Nodes)
            {
                var label = Quote(FullLabel(n, savedSizes));
                string shape = n.Kind switch
                {
                    Kind.Variable => $"([{label}])",
                    Kind.Constant => $"[/{label}/]",
                    _ => $"[{label}]",
                };
                string cls = n.Kind switch { Kind.Variable => "variable", Kind.Constant => "constant", _ => "op" };
                if (n.Id == g.Output && n.Kind == Kind.Op) cls = "output";
                sb.Append($"  n{n.Id}{shape}:::{cls}\n");
            }
            foreach (var (from, to) in g.Edges) sb.Append($"  n{from} --> n{to}\n");
            sb.Append("  classDef variable fill:#dbeafe,stroke:#1d4ed8\n");
            sb.Append("  classDef constant fill:#f9fafb,stroke:#6b7280,stroke-dasharray:4 3\n");
            sb.Append("  classDef op fill:#ffffff,stroke:#374151\n");
            sb.Append("  classDef output fill:#ffffff,stroke:#111827,stroke-width:3px\n");
            return sb.ToString();
        }
    }
}
