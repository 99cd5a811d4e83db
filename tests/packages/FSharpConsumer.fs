// Program.fs of a `dotnet new console -lang F#` project that added the FuncGrad and FuncGrad.Testing packages
// (tests/packages/consumers.sh). One GradCheck property must hold, and one with a wrong rule must fail.
open FsCheck
open FuncGrad
open FuncGrad.Testing

let config = Config.QuickThrowOnFailure.WithMaxTest 30

// tanh's derivative rule checked against finite differences on random tensors.
Check.One(config, GradCheck.property (fun x -> Tensor.sum (tanh x * x)) Domain.real)

// A custom rule that is wrong (d/dx x^2 is 2x, not x): the property must find it.
let wrong = customVjp (fun x -> x * x) (fun x _ g -> g * x)

let caught =
    try
        Check.One(config, GradCheck.property (fun x -> Tensor.sum (wrong x)) Domain.real)
        false
    with _ ->
        true

if caught then
    printfn "FuncGrad and FuncGrad.Testing from the packages: GradCheck property ok, wrong rule caught"
    exit 0
else
    eprintfn "the property with a wrong rule passed"
    exit 1
