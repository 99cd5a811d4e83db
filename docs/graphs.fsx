// The lecture's DAG built in FuncGrad and exported as Graphviz DOT and Mermaid (see graphs.md).
// Run after `dotnet build src/Functional.FSharp -c Release`: dotnet fsi docs/graphs.fsx
// With a directory argument it also writes lecture-dag.dot and lecture-dag.mmd there:
//   dotnet fsi docs/graphs.fsx docs/images && dot -Tsvg docs/images/lecture-dag.dot -o docs/images/lecture-dag.svg
#r "../src/Functional.FSharp/bin/Release/net10.0/FuncGrad.Core.dll"
#r "../src/Functional.FSharp/bin/Release/net10.0/FuncGrad.dll"

open System.IO
open FuncGrad

// x⁽¹⁾ = φ¹(x⁽⁰⁾; w⁽¹⁾), x⁽²⁾ = φ²(x⁽⁰⁾, x⁽¹⁾; w⁽²⁾),
// x⁽³⁾ = φ³(x⁽¹⁾, x⁽²⁾; w⁽¹⁾), ℓ = Σ x⁽³⁾
let x0 = Tensor.ofShape [| 3; 1 |] [| 1.0; -0.5; 0.25 |]
let w1 = (Tensor.randn 1 [| 3; 3 |]).RequiresGrad()
let w2 = (Tensor.randn 2 [| 3; 3 |]).RequiresGrad()
let x1 = tanh (Tensor.matmul w1 x0) // φ¹
let x2 = tanh (Tensor.matmul w2 x1 + x0) // φ²
let x3 = Tensor.matmul w1 x2 * x1 // φ³
let loss = Tensor.sum x3

let options =
    { Graph.defaults with
        Names =
            [
                (x0, "x⁽⁰⁾")
                (w1, "w⁽¹⁾")
                (w2, "w⁽²⁾")
                (x1, "x⁽¹⁾")
                (x2, "x⁽²⁾")
                (x3, "x⁽³⁾")
                (loss, "ℓ")
            ]
    }

let dot = Graph.toDotWith options loss
let mermaid = Graph.toMermaidWith options loss
printfn "%s" dot
printfn "%s" mermaid

// The structure the pictures must show: 3 leaves and 8 ops, one edge per argument (13), w⁽¹⁾ used twice.
let count (text: string) (marker: string) =
    text.Split('\n') |> Array.filter (fun l -> l.Contains marker) |> Array.length

let expect what (actual: int) (expected: int) =
    if actual <> expected then
        failwithf "%s: %d, expected %d" what actual expected

    printfn "%-34s %d" what actual

expect "DOT nodes" (count dot " [label=") 11
expect "DOT edges" (count dot " -> ") 13
expect "Mermaid nodes" (count mermaid ":::") 11
expect "Mermaid edges" (count mermaid " --> ") 13

let w1Node =
    dot.Split('\n')
    |> Array.find (fun l -> l.Contains "w⁽¹⁾")
    |> fun l -> l.Trim().Split(' ')[0]

expect "edges out of w⁽¹⁾ (φ¹ and φ³)" (count dot $"  {w1Node} -> ") 2

match fsi.CommandLineArgs |> Array.tail with
| [| dir |] ->
    Directory.CreateDirectory dir |> ignore
    File.WriteAllText(Path.Combine(dir, "lecture-dag.dot"), dot)
    File.WriteAllText(Path.Combine(dir, "lecture-dag.mmd"), mermaid)
    printfn "wrote %s and %s" (Path.Combine(dir, "lecture-dag.dot")) (Path.Combine(dir, "lecture-dag.mmd"))
| _ -> ()

printfn "graphs.fsx: all checks passed"
