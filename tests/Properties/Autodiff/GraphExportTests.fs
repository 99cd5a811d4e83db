/// Graph export: the DOT and Mermaid text of known graphs, read back node by node and edge by edge.
module Autodiff.GraphExportTests

open System.Text.RegularExpressions
open Expecto
open FuncGrad

/// A node of exported text: its id, label (line breaks as '\n') and the rest of its attributes.
type private Node =
    {
        Id: int
        Label: string
        Attributes: string
    }

/// Reads back the nodes and edges of DOT text as ToDot writes it, one statement per line.
let private parseDot (dot: string) =
    let lines = dot.Split '\n'
    Expect.equal lines[0] "digraph FuncGrad {" "header"

    let nodes =
        [
            for l in lines do
                let m = Regex.Match(l, "^  n(\\d+) \\[label=\"((?:[^\"\\\\]|\\\\.)*)\", (.*)\\];$")

                if m.Success then
                    let label =
                        Regex.Replace(
                            m.Groups[2].Value,
                            "\\\\(.)",
                            fun c -> if c.Groups[1].Value = "n" then "\n" else c.Groups[1].Value
                        )

                    {
                        Id = int m.Groups[1].Value
                        Label = label
                        Attributes = m.Groups[3].Value
                    }
        ]

    let edges =
        [
            for l in lines do
                let m = Regex.Match(l, "^  n(\\d+) -> n(\\d+);$")

                if m.Success then
                    int m.Groups[1].Value, int m.Groups[2].Value
        ]

    nodes, edges

/// Reads back the nodes (with their class) and edges of Mermaid text as ToMermaid writes it.
let private parseMermaid (text: string) =
    let lines = text.Split '\n'
    Expect.equal lines[0] "flowchart LR" "header"

    let nodes =
        [
            for l in lines do
                let m = Regex.Match(l, "^  n(\\d+)[\\[\\(/]+\"([^\"]*)\"[\\]\\)/]+:::(\\w+)$")

                if m.Success then
                    {
                        Id = int m.Groups[1].Value
                        Label = m.Groups[2].Value.Replace("<br/>", "\n")
                        Attributes = m.Groups[3].Value
                    }
        ]

    let edges =
        [
            for l in lines do
                let m = Regex.Match(l, "^  n(\\d+) --> n(\\d+)$")

                if m.Success then
                    int m.Groups[1].Value, int m.Groups[2].Value
        ]

    nodes, edges

let private labelOf (nodes: Node list) (id: int) =
    (nodes |> List.find (fun n -> n.Id = id)).Label

let private withLabel (nodes: Node list) (label: string) =
    nodes |> List.filter (fun n -> n.Label = label)

/// The lecture's DAG: x⁽¹⁾ = φ¹(x⁽⁰⁾; w⁽¹⁾), x⁽²⁾ = φ²(x⁽⁰⁾, x⁽¹⁾; w⁽²⁾),
/// x⁽³⁾ = φ³(x⁽¹⁾, x⁽²⁾; w⁽¹⁾), ℓ = Σ x⁽³⁾.
let private lectureDag () =
    let x0 = Tensor.ofShape [| 3; 1 |] [| 1.0; -0.5; 0.25 |] // a column, as in the lecture
    let w1 = (Tensor.randn 1 [| 3; 3 |]).RequiresGrad()
    let w2 = (Tensor.randn 2 [| 3; 3 |]).RequiresGrad()
    let x1 = tanh (Tensor.matmul w1 x0)
    let x2 = tanh (Tensor.matmul w2 x1 + x0)
    let x3 = Tensor.matmul w1 x2 * x1
    let loss = Tensor.sum x3
    loss, [ (x0, "x0"); (w1, "w1"); (w2, "w2"); (x1, "x1"); (x2, "x2"); (x3, "x3") ]

[<Tests>]
let tests =
    testList
        "graph export"
        [
            test "tanh(W x) summed: 5 nodes, 4 edges, labelled with op, shape and dtype; kinds told apart" {
                let w = (Tensor.ones [| 2; 3 |]).RequiresGrad()
                let x = Tensor.ofShape [| 3; 1 |] [| 1.0; 2.0; 3.0 |]
                let loss = Tensor.sum (tanh (Tensor.matmul w x))
                let nodes, edges = parseDot (Graph.toDot loss)

                Expect.equal
                    (nodes |> List.map (fun n -> n.Label))
                    [
                        "variable\n[2x3] float64"
                        "constant\n[3x1] float64"
                        "MatMul\n[2x1] float64"
                        "Tanh\n[2x1] float64"
                        "Sum\n[] float64"
                    ]
                    "labels, in topological order"

                Expect.equal edges [ (0, 2); (1, 2); (2, 3); (3, 4) ] "edges run from arguments to results"
                Expect.stringContains nodes[0].Attributes "filled" "a variable is filled"
                Expect.stringContains nodes[1].Attributes "dashed" "a constant is dashed"
                Expect.stringContains nodes[4].Attributes "peripheries=2" "the output has a double border"
                Expect.isFalse (nodes[2].Attributes.Contains "peripheries") "other nodes do not"
                let mNodes, mEdges = parseMermaid (Graph.toMermaid loss)

                Expect.equal
                    (mNodes |> List.map (fun n -> n.Label))
                    (nodes |> List.map (fun n -> n.Label))
                    "Mermaid: same labels"

                Expect.equal
                    (mNodes |> List.map (fun n -> n.Attributes))
                    [ "variable"; "constant"; "op"; "op"; "output" ]
                    "Mermaid: classes"

                Expect.equal mEdges edges "Mermaid: same edges"
            }
            test "the C# methods are what the F# functions call, names given as a dictionary" {
                let w = (Tensor.ones [| 2 |]).RequiresGrad()
                let loss = Tensor.sum (w * w)
                Expect.equal (loss.ToDot()) (Graph.toDot loss) "DOT"
                Expect.equal (loss.ToMermaid()) (Graph.toMermaid loss) "Mermaid"

                let names =
                    System.Collections.Generic.Dictionary<Tensor, string>(HashIdentity.Reference)

                names[w] <- "w"

                Expect.equal
                    (loss.ToDot(names, savedSizes = true))
                    (Graph.toDotWith
                        {
                            Names = [ (w, "w") ]
                            SavedSizes = true
                        }
                        loss)
                    "with options"
            }
            test "fan-out and a repeated argument: x·x + x has 3 nodes and 4 edges" {
                let x = (scalar 3.0).RequiresGrad()
                let nodes, edges = parseDot (Graph.toDot (x * x + x))
                Expect.equal (nodes |> List.map (fun n -> n.Label.Split('\n')[0])) [ "variable"; "Mul"; "Add" ] "nodes"
                Expect.equal edges [ (0, 1); (0, 1); (1, 2); (0, 2) ] "x enters Mul twice and Add once"
            }
            test (
                "the lecture's DAG: 11 nodes, 13 edges, w⁽¹⁾ feeds φ¹ and φ³, "
                + "x⁽¹⁾ fans out to φ² and φ³"
            ) {
                let loss, names = lectureDag ()

                let nodes, edges =
                    parseDot (Graph.toDotWith { Graph.defaults with Names = names } loss)

                Expect.equal nodes.Length 11 "3 leaves and 8 ops"
                Expect.equal edges.Length 13 "one edge per argument"

                let idOf label =
                    (nodes |> List.find (fun n -> n.Label.Split('\n')[0] = label)).Id

                let targets id =
                    edges
                    |> List.filter (fun (f, _) -> f = id)
                    |> List.map (snd >> labelOf nodes >> fun l -> l.Split('\n')[0])

                Expect.equal (targets (idOf "w1")) [ "MatMul"; "MatMul" ] "w1 is used twice"
                Expect.equal (List.sort (targets (idOf "x1 = Tanh"))) [ "MatMul"; "x3 = Mul" ] "x1 fans out"
                Expect.equal (List.sort (targets (idOf "x0"))) [ "Add"; "MatMul" ] "x0 feeds phi1 and phi2"
                Expect.equal (withLabel nodes "x0\n[3x1] float64").Length 1 "a named constant keeps its shape and dtype"
                Expect.equal (withLabel nodes "w2\n[3x3] float64").Length 1 "a named variable"

                let mNodes, mEdges =
                    parseMermaid (Graph.toMermaidWith { Graph.defaults with Names = names } loss)

                Expect.equal (mNodes.Length, mEdges.Length) (11, 13) "Mermaid counts"
            }
            test "names match by reference, not by value" {
                let a = (Tensor.ofList [ 1.0; 2.0 ]).RequiresGrad()
                let b = (Tensor.ofList [ 1.0; 2.0 ]).RequiresGrad()

                let nodes, _ =
                    parseDot (
                        Graph.toDotWith
                            { Graph.defaults with
                                Names = [ (a, "a") ]
                            }
                            (Tensor.sum (a * b))
                    )

                Expect.equal
                    (nodes |> List.map (fun n -> n.Label.Split('\n')[0]))
                    [ "a"; "variable"; "Mul"; "Sum" ]
                    "only a is named"
            }
            test "saved sizes: bytes per node, and the graph's total counting shared storage once" {
                let w = (Tensor.ones [| 2; 3 |]).RequiresGrad()
                let r = Tensor.reshape [| 3; 2 |] w // shares w's storage
                let c = Tensor.ofShape [| 1; 2 |] [| 2.0; 3.0 |]
                let loss = Tensor.sum (r * c)

                let dot =
                    Graph.toDotWith
                        { Graph.defaults with
                            SavedSizes = true
                        }
                        loss

                let nodes, _ = parseDot dot

                Expect.equal
                    (nodes |> List.map (fun n -> n.Label.Split('\n')[2]))
                    [ "saved 48 B"; "saved 48 B"; "saved 16 B"; "saved 48 B"; "saved 8 B" ]
                    "6 float64 = 48 bytes; 2 = 16; a scalar 8"
                // w and its reshape share 48 bytes; then c's 16, Mul's 48 and Sum's 8
                Expect.stringContains dot "label=\"the graph holds 120 B\";" "total"

                let nodes32, _ =
                    parseDot (
                        Graph.toDotWith
                            { Graph.defaults with
                                SavedSizes = true
                            }
                            (Tensor.sum ((Tensor.toFloat32 (Tensor.ones [| 4 |])).RequiresGrad()))
                    )

                Expect.equal (nodes32[0].Label.Split('\n')[2]) "saved 16 B" "float32 is 4 bytes an element"
            }
            test "a one-element constant shows its value" {
                let x = (scalar 1.0).RequiresGrad()
                let nodes, _ = parseDot (Graph.toDot (x * scalar 2.5))
                Expect.equal nodes[1].Label "constant 2.5\n[] float64" "label"
            }
            test "labels are escaped: quotes, backslashes and Mermaid's markup characters" {
                let x = (scalar 1.0).RequiresGrad()
                let y = x * x
                let names = [ (x, "say \"hi\" \\ <b>&") ]
                let nodes, _ = parseDot (Graph.toDotWith { Graph.defaults with Names = names } y)
                Expect.equal (nodes[0].Label.Split('\n')[0]) "say \"hi\" \\ <b>&" "DOT round trip"
                let mermaid = Graph.toMermaidWith { Graph.defaults with Names = names } y
                Expect.stringContains mermaid "say #quot;hi#quot; \\ #lt;b#gt;#amp;" "Mermaid entities"
            }
            test "a tensor without a graph is one constant node; inside jvp too" {
                let nodes, edges = parseDot (Graph.toDot (Tensor.ofList [ 1.0; 2.0 ]))
                Expect.equal (nodes.Length, edges.Length) (1, 0) "one node"
                Expect.stringContains nodes[0].Attributes "dashed" "a constant"
                let mutable inside = ""

                jvp
                    (fun x ->
                        let y = sin x in
                        inside <- Graph.toDot y
                        y)
                    (scalar 1.0)
                    (scalar 1.0)
                |> ignore

                Expect.equal (parseDot inside |> fst |> List.length) 1 "forward mode records no graph"
            }
            test "inside grad, the transform's own graph is exported with its input as the variable" {
                let mutable inside = ""

                grad
                    (fun x ->
                        let y = Tensor.sum (sin x * x) in
                        inside <- Graph.toDot y
                        y)
                    (Tensor.ofList [ 0.1; 0.2 ])
                |> ignore

                let nodes, edges = parseDot inside

                Expect.equal
                    (nodes |> List.map (fun n -> n.Label.Split('\n')[0]))
                    [ "variable"; "Sin"; "Mul"; "Sum" ]
                    "nodes"

                Expect.equal edges.Length 4 "edges"
            }
            test "a chain of 200,000 ops exports without recursion" {
                let x = (scalar 1.0).RequiresGrad()
                let mutable y = x

                for i in 1..200_000 do
                    y <- if i % 2 = 0 then y * 1.000001 else y + 1e-7

                let dot = Graph.toDot y
                let mutable nodes, edges = 0, 0

                for l in dot.Split '\n' do
                    if l.Contains " [label=" then
                        nodes <- nodes + 1
                    elif l.Contains " -> " then
                        edges <- edges + 1

                Expect.equal nodes (1 + 200_000) "the variable and the ops (x * c and x + c keep c in the op)"
                Expect.equal edges 200_000 "one argument per op"
            }
        ]
