// Load FuncGrad into F# Interactive: `#load "src/Functional.FSharp/FuncGrad.fsx"` after
// `dotnet build src/Functional.FSharp -c Release`. Tensors then print as PyTorch does, e.g.
// `val it: Tensor = tensor([1., 2.], dtype=float64)`, without fsi's property listing. fsi starts a value
// of several lines on a line of its own, indented by two: the rows after the first move over with it.
#r "bin/Release/net10.0/FuncGrad.Core.dll"
#r "bin/Release/net10.0/FuncGrad.dll"

fsi.AddPrinter(fun (t: FuncGrad.Tensor) -> t.ToString().Replace("\n", "\n  "))
