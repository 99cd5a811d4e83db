// A runnable tour of GradCheck (in the F# layer) and FuncGrad.Testing (FsCheck generators with shrinking).
// CI runs it with `dotnet fsi docs/gradcheck.fsx` after building src/Functional.FSharp and src/Testing.FSharp
// in Release; every `checkThat` fails the script if a result is not what the comment says.
#load "Checks.fsx"
#r "../src/Testing.FSharp/bin/Release/net10.0/FsCheck.dll"
#r "../src/Testing.FSharp/bin/Release/net10.0/FuncGrad.Testing.dll"

open FsCheck
open FuncGrad
open FuncGrad.Testing
open Checks

// 1. Check a function at a point: reverse and forward mode against central differences, and against
//    each other, here to second order.
let layer (x: Tensor) = Tensor.sum (tanh (x * 2.0 - 1.0) * x)

let passed =
    GradCheck.check
        { GradCheckOptions.Default with
            Order = 2
        }
        layer
        (Tensor.ofList [ 0.3; -1.2; 2.0 ])

printfn "%O" passed
checkThat "a correct function passes, to second order" passed.Passed

// 2. A function of its own with a custom VJP: log cosh x, written so that it never overflows.
//    The rule is deliberately wrong: the derivative of log cosh x is tanh x, not 1 − tanh² x.
let logcosh (x: Tensor) =
    Autodiff.Custom(
        "logcosh",
        (fun xs -> let a = abs xs[0] in a + Tensor.log1p (exp (a * -2.0)) - log 2.0),
        [| x |],
        vjp = (fun g xs _ -> [| g * (1.0 - tanh xs[0] * tanh xs[0]) |])
    )

let loss (w: Tensor) = Tensor.mean (logcosh (w * 3.0 - 1.0))

let failed =
    GradCheck.check GradCheckOptions.Default loss (Tensor.ofList [ 0.5; 1.5 ])

printfn "%O" failed
checkThat "the wrong rule is reported" (not failed.Passed)
let worst = failed.Failures.Head
checkThat "by reverse mode against finite differences" (worst.Check = GradCheckKind.Reverse)

checkThat
    "and blamed on logcosh's VJP"
    (worst.Blame
     |> Option.exists (fun b -> b.Op = "logcosh" && b.Rule = GradCheckKind.Reverse))
// At w = 1.5 the true derivative is 3·tanh(3.5)/2; the rule gives 3·(1 − tanh²(3.5))/2.
checkThat "numeric = the true derivative" (abs (worst.Numeric - 1.5 * tanh 3.5) < 1e-8)
checkThat "analytic = what the rule says" (abs (worst.Analytic - 1.5 * (1.0 - tanh 3.5 ** 2.0)) < 1e-12)

// 3. The same as a property: random shapes and values, shrunk to the smallest failing case.
//    In a test project: testProperty "loss" (GradCheck.property loss Domain.real)
let message =
    try
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(50), GradCheck.property loss Domain.real)
        ""
    with e ->
        e.Message

printfn "%s" message
let shrunk = message.Substring(message.IndexOf "Shrunk:" + "Shrunk:".Length).Trim()
checkThat "the property fails and shrinks to the scalar 0" (shrunk.StartsWith "tensor(0., dtype=float64)")

// 4. With the right rule the property holds, and so does the second-order check.
let logcoshRight (x: Tensor) =
    Autodiff.Custom(
        "logcosh",
        (fun xs -> let a = abs xs[0] in a + Tensor.log1p (exp (a * -2.0)) - log 2.0),
        [| x |],
        vjp = (fun g xs _ -> [| g * tanh xs[0] |])
    )

Check.One(
    Config.QuickThrowOnFailure.WithMaxTest(50),
    GradCheck.property (fun w -> Tensor.mean (logcoshRight (w * 3.0 - 1.0))) Domain.real
)

checkThat
    "the fixed rule passes to second order"
    (GradCheck.check
        { GradCheckOptions.Default with
            Order = 2
        }
        logcoshRight
        (Tensor.ofList [ -2.0; 0.1; 4.0 ]))
        .Passed

// 5. Structures: parameters in a Map; a failure names the key.
let parameters =
    Map
        [
            "w", Tensor.ofShape [| 2; 2 |] [| 0.5; -0.3; 0.8; 0.1 |]
            "b", Tensor.ofList [ 0.1; -0.2 ]
        ]

let model (p: Map<string, Tensor>) =
    Tensor.sum (logcosh (Tensor.matmul (p["w"]) (Tensor.ofList [ 1.0; 2.0 ]) + p["b"]))

let r =
    GradCheck.checkOf
        { GradCheckOptions.Default with
            Fast = true
        }
        model
        parameters

checkThat "fast mode (random projections) finds it in a Map of parameters" (not r.Passed)
printfn "%s" (r.Report.Split('\n') |> Array.take 8 |> String.concat "\n")
