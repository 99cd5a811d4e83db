namespace FuncGrad

open System.Collections.Generic

/// <summary>How <c>Graph.toDotWith</c> and <c>Graph.toMermaidWith</c> label a graph.</summary>
/// <example><code>{ Graph.defaults with Names = [ w, "w⁽¹⁾" ]; SavedSizes = true }</code></example>
type GraphOptions =
    {
        /// <summary>Labels for particular tensors, matched by reference (not by value).</summary>
        /// <example><code>[ x0, "x⁽⁰⁾"; w1, "w⁽¹⁾" ]</code></example>
        Names: (Tensor * string) list
        /// <summary>Also show the bytes each node keeps alive (and, in DOT, the total the graph holds).</summary>
        /// <example><code>{ Graph.defaults with SavedSizes = true }</code></example>
        SavedSizes: bool
    }

/// <summary>
/// The persistent graph behind a tensor, as text to draw: Graphviz DOT (<c>dot -Tsvg graph.dot</c>) or Mermaid,
/// which code-hosting sites render with no tool installed.
/// </summary>
/// <remarks>
/// Ops are labelled with their name, shape and dtype; variables, constants and the tensor itself are drawn
/// differently. The graph is that of the innermost reverse-mode differentiation the tensor belongs to, so this works
/// on the imperative graph of <c>RequiresGrad()</c> and inside <c>grad</c> alike.
/// </remarks>
/// <example><code>
/// let w = (Tensor.ofList [ 1.0; 2.0 ]).RequiresGrad()
/// Graph.toDot (Tensor.sum (w * w)) // "digraph FuncGrad { ... }" with the variable, Mul and Sum
/// </code></example>
[<RequireQualifiedAccess>]
module Graph =
    /// <summary>No names, no sizes.</summary>
    /// <example><code>Graph.toDotWith Graph.defaults t = Graph.toDot t // true</code></example>
    let defaults = { Names = []; SavedSizes = false }

    let private names (options: GraphOptions) =
        let d = Dictionary<Tensor, string>(HashIdentity.Reference)

        for t, name in options.Names do
            d[t] <- name

        d :> IReadOnlyDictionary<Tensor, string>

    /// <summary>The graph as Graphviz DOT text, with the given names and sizes.</summary>
    /// <example><code>Graph.toDotWith { Graph.defaults with Names = [ w, "w" ] } loss</code></example>
    let toDotWith (options: GraphOptions) (t: Tensor) : string =
        Args.notNullAs "Graph.toDotWith" "options" Args.graphOptions options
        Args.notNull "Graph.toDotWith" "t" t
        t.ToDot(names options, options.SavedSizes)

    /// <summary>The graph as Graphviz DOT text.</summary>
    /// <example><code>Graph.toDot loss |> fun dot -> System.IO.File.WriteAllText("loss.dot", dot)</code></example>
    let toDot (t: Tensor) : string =
        Args.notNull "Graph.toDot" "t" t
        toDotWith defaults t

    /// <summary>The graph as Mermaid flowchart text, with the given names and sizes.</summary>
    /// <example><code>Graph.toMermaidWith { Graph.defaults with SavedSizes = true } loss</code></example>
    let toMermaidWith (options: GraphOptions) (t: Tensor) : string =
        Args.notNullAs "Graph.toMermaidWith" "options" Args.graphOptions options
        Args.notNull "Graph.toMermaidWith" "t" t
        t.ToMermaid(names options, options.SavedSizes)

    /// <summary>The graph as Mermaid flowchart text (paste it into a <c>```mermaid</c> block).</summary>
    /// <example><code>Graph.toMermaid loss // "flowchart LR\n  n0([\"variable ...\"]) ..."</code></example>
    let toMermaid (t: Tensor) : string =
        Args.notNull "Graph.toMermaid" "t" t
        toMermaidWith defaults t
