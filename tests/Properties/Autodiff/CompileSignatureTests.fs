/// compile without surprises (issue 19): an optimiser state compiles once, a changing signature warns once naming
/// what changed, Static parts are part of the signature by value, and explain works on every compiled function.
module Autodiff.CompileSignatureTests

open Expecto
open FuncGrad
open Support.Check

let private loss (p: Tensor list) =
    let w, b = p.[0], p.[1]
    Tensor.sum ((Tensor.matmul w (Tensor.ofList [ 1.0; -1.0 ]) + b) ** 2.0)

let private p0 = [ Tensor.randn 1 [| 3; 2 |]; Tensor.randn 2 [| 3 |] ]

[<Tests>]
let tests =
    testList
        "compile: signatures"
        [
            test "an Adam step compiled with compileOf traces once over 20 steps and equals eager bit for bit" {
                let opt = Optim.adam 0.05
                let eager (p, s) = opt.Update (gradOf loss p) s p
                let traces = ref 0

                let compiled =
                    compileOf (fun (p, s) ->
                        traces.Value <- traces.Value + 1
                        eager (p, s))

                let mutable e = p0, opt.Init p0
                let mutable c = e

                for _ in 1..20 do
                    e <- eager e
                    c <- compiled c

                Expect.equal traces.Value 1 "traced once: the step count is a one-element tensor"
                List.iter2 (bitwise "parameters") (fst e) (fst c)
                bitwise "step" (snd e).Step (snd c).Step
                equalValues "the step count" (snd c).Step [| 20.0 |]
            }
            test "a number in the structure is part of the signature, and the tenth trace warns once, naming it" {
                let traces = ref 0

                let f =
                    compileOf (fun (x: Tensor, n: int) ->
                        traces.Value <- traces.Value + 1
                        x * float n)

                let x = Tensor.ofList [ 1.0; 2.0 ]

                let warnings =
                    CompileWarnings.Capture(fun () ->
                        for n in 1..25 do
                            bitwise $"n = {n}" (x * float n) (f (x, n)))

                Expect.equal traces.Value 25 "every new number traces"
                Expect.equal warnings.Count 1 "one warning"
                let w = warnings.[0]

                for part in
                    [
                        "compileOf"
                        "traced 10 times"
                        "(item 1) (9 before, 10 now)"
                        "one-element tensor"
                    ] do
                    Expect.stringContains w part "the warning"
            }
            test "compile warns naming the input whose shape changed; a steady signature never warns" {
                let f = compile (fun x -> x * 2.0)

                let warnings =
                    CompileWarnings.Capture(fun () ->
                        for n in 1..12 do
                            f (Tensor.zeros [| n |]) |> ignore

                        for _ in 1..100 do
                            f (Tensor.zeros [| 3 |]) |> ignore)

                Expect.equal warnings.Count 1 "one warning"
                Expect.stringContains warnings.[0] "the input ([9] float64 before, [10] float64 now)" "names the change"
                let steady = compile (fun x -> x * 2.0)

                let none =
                    CompileWarnings.Capture(fun () ->
                        for _ in 1..100 do
                            steady (Tensor.zeros [| 3 |]) |> ignore)

                Expect.isEmpty none "no warning"
            }
            test "a Static tensor is part of the signature by value: baked in, retraced only when its values change" {
                let traces = ref 0

                let f =
                    compileOf (fun (x: Tensor, Static(table: Tensor)) ->
                        traces.Value <- traces.Value + 1
                        x * table)

                let x = Tensor.ofList [ 1.0; 2.0 ]
                bitwise "first" (Tensor.ofList [ 3.0; 8.0 ]) (f (x, Static(Tensor.ofList [ 3.0; 4.0 ])))
                bitwise "same values" (Tensor.ofList [ 3.0; 8.0 ]) (f (x, Static(Tensor.ofList [ 3.0; 4.0 ])))
                Expect.equal traces.Value 1 "equal values: no new trace"
                bitwise "new values" (Tensor.ofList [ 5.0; 8.0 ]) (f (x, Static(Tensor.ofList [ 5.0; 4.0 ])))
                Expect.equal traces.Value 2 "new values: traced again"

                Expect.stringContains
                    (explainOf f (x, Static(Tensor.ofList [ 5.0; 4.0 ])))
                    "const"
                    "the table is a constant"

                Expect.equal (Tree.leaves (x, Static x)).Length 1 "a Static part is not a leaf"
            }
            test "explainOf lists compileOf's program; explain takes compileOf's tensor functions too" {
                let f = compileOf (fun (a: Tensor, b: Tensor) -> a * b, a + b)
                let listing = explainOf f (Tensor.zeros [| 3 |], Tensor.zeros [| 3 |])
                Expect.stringContains listing "Mul" "the product"
                Expect.stringContains listing "Add" "the sum"
                let g = compileOf (fun (x: Tensor) -> x * x)
                Expect.stringContains (explain g (Tensor.zeros [| 2 |])) "Mul" "explain of compileOf"

                Expect.stringContains
                    (explainOf (compile (fun x -> x + x)) (Tensor.zeros [| 2 |]))
                    "Add"
                    "explainOf of compile"

                raises<System.ArgumentException> "a plain function" (fun () ->
                    explainOf (fun (x: Tensor) -> x) (Tensor.zeros [| 2 |]) |> ignore)
                |> ignore
            }
        ]
