// Shipped in the FuncGrad package as content/FuncGrad.fsx: F# Interactive loads it after `#r "nuget: FuncGrad"`,
// so a tensor prints as `val it: Tensor = tensor([1., 2.], dtype=float64)` instead of fsi's property listing.
// fsi starts a value of several lines on a line of its own, indented by two: the rows after the first follow it.
fsi.AddPrinter(fun (t: FuncGrad.Tensor) -> t.ToString().Replace("\n", "\n  "))
