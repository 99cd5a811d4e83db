/// GradCheck itself: it passes correct derivatives, and on wrong ones it names the check, the element, the
/// values (expected ones from calculus), and the op to blame; the properties of FuncGrad.Testing shrink.
module Functional.GradCheckTests

open System
open Expecto
open FsCheck
open FuncGrad
open FuncGrad.Testing

let private opts = GradCheckOptions.Default
let private vec (xs: float list) = Tensor.ofList xs

/// sin with a VJP that uses sin instead of cos: wrong everywhere except where sin = cos.
let private wrongSin (x: Tensor) =
    Autodiff.Custom("wrongSin", (fun xs -> xs[0].Sin()), [| x |], vjp = (fun g xs _ -> [| g * xs[0].Sin() |]))

/// tanh with a JVP that forgets the 1 − y² factor.
let private wrongTanh (x: Tensor) =
    Autodiff.Custom("wrongTanh", (fun xs -> xs[0].Tanh()), [| x |], jvp = (fun dx _ _ -> dx[0]))

let private failure (kind: GradCheckKind) (r: GradCheckResult) =
    match r.Failures |> List.tryFind (fun f -> f.Check = kind) with
    | Some f -> f
    | None -> failtestf "expected a %A failure:\n%s" kind r.Report

/// Runs an FsCheck property expecting it to fail; returns FsCheck's message and the last failing case.
let private falsify (maxTest: int) (property: Property) =
    let config =
        Config.QuickThrowOnFailure.WithMaxTest(maxTest).WithQuietOnSuccess(true)

    try
        Check.One(config, property)
        failtest "the property passed, but it should fail"
    with e when not (e :? Expecto.AssertException) ->
        e.Message

[<Tests>]
let tests =
    testList
        "gradcheck"
        [
            testList
                "passes correct derivatives"
                [
                    testProperty
                        "elementwise, any shape (FuncGrad.Testing)"
                        (GradCheck.property (fun x -> sin x * exp (x * 0.3)) Domain.real)
                    testProperty
                        "two broadcasting arguments"
                        (GradCheck.property2 (fun a b -> a * b / (b * b + 1.0)) Domain.real Domain.real)
                    testPropertyWithConfig
                        { FsCheckConfig.defaultConfig with
                            maxTest = 10
                        }
                        "second order, random projections"
                        (GradCheck.propertyWith
                            { opts with Order = 2; Fast = true }
                            (TensorArb.tensor Domain.positive)
                            (fun x -> Tensor.sum (log x * sqrt x)))

                    test "structures: a Map of parameters and a tuple output" {
                        let p =
                            Map
                                [
                                    "w", Tensor.ofShape [| 2; 3 |] [| 0.1; -0.4; 0.7; 1.2; -0.3; 0.5 |]
                                    "b", vec [ 0.2; -0.1 ]
                                ]

                        let x = vec [ 1.0; -2.0; 0.5 ]

                        let r =
                            GradCheck.checkOf
                                { opts with Order = 2 }
                                (fun (m: Map<string, Tensor>) ->
                                    let h = tanh (Tensor.matmul (m["w"]) x + m["b"]) in h, Tensor.sum (h * h))
                                p

                        Expect.isTrue r.Passed r.Report
                        Expect.equal r.Checked.Length 6 "three checks at each of two orders"
                    }

                    test "custom rules that are right pass, to second order" {
                        let softplus =
                            customRules (fun x -> log (1.0 + exp x)) (fun x _ g -> g * Tensor.sigmoid x) (fun x _ dx ->
                                dx * Tensor.sigmoid x)

                        GradCheck.checkOrThrow { opts with Order = 2 } softplus (vec [ -1.5; 0.0; 2.0 ])
                    }

                    test (
                        "the rounding of large values is part of the tolerance: x + 1e8 passes, "
                        + "and a wrong rule there still fails"
                    ) {
                        // A step of 1e-6 on 1e8 carries a rounding error of about 1e-2 in the difference quotient.
                        let r = GradCheck.check opts (fun x -> x + 1e8) (vec [ 0.5; 1.5 ])
                        Expect.isTrue r.Passed r.Report
                        let doubled = customVjp (fun x -> x + 1e8) (fun _ _ g -> g * 2.0)

                        Expect.isFalse
                            (GradCheck.check opts doubled (vec [ 0.5; 1.5 ])).Passed
                            "a gradient of 2 where it is 1"
                    }

                    test "from C#: the GradCheck class" {
                        Expect.isTrue
                            (GradCheck.Check(Func<Tensor, Tensor>(fun x -> x.Tanh()), scalar 0.3)).Passed
                            "tanh"

                        let r =
                            GradCheck.Check(
                                Func<Collections.Generic.IReadOnlyList<Tensor>, Tensor>(fun xs -> xs[0] * xs[1]),
                                [| scalar 2.0; scalar 3.0 |],
                                opts.WithOrder 2
                            )

                        Expect.isTrue r.Passed r.Report
                    }
                ]

            testList
                "reports wrong derivatives"
                [
                    test "a wrong custom VJP: the check, the element, sin vs cos, the errors, and the op" {
                        let x = vec [ 0.5; 1.0; 2.0 ]
                        let r = GradCheck.check opts (fun x -> wrongSin x * 3.0) x
                        Expect.isFalse r.Passed "a wrong VJP passed"
                        let f = failure GradCheckKind.Reverse r
                        // d(3 sin x_i)/dx_i = 3 cos x_i; the rule says 3 sin x_i. The worst entry has the largest
                        // |sin − cos|.
                        let worst =
                            [ 0; 1; 2 ]
                            |> List.maxBy (fun i -> abs (sin ([ 0.5; 1.0; 2.0 ][i]) - cos ([ 0.5; 1.0; 2.0 ][i])))

                        let xi = [ 0.5; 1.0; 2.0 ][worst]
                        Expect.equal f.Input "x" "input"
                        Expect.equal f.Index [| worst |] "input element"
                        Expect.equal f.Output [| worst |] "output element"
                        Expect.floatClose Accuracy.high f.Analytic (3.0 * sin xi) "analytic = 3 sin x"

                        Expect.floatClose
                            { absolute = 1e-8; relative = 1e-8 }
                            f.Numeric
                            (3.0 * cos xi)
                            "numeric = 3 cos x"

                        Expect.floatClose Accuracy.high f.AbsError (abs (3.0 * sin xi - 3.0 * cos xi)) "abs error"

                        Expect.floatClose
                            { absolute = 1e-8; relative = 1e-6 }
                            f.RelError
                            (abs (sin xi - cos xi) / abs (cos xi))
                            "rel error"

                        Expect.equal f.Disagreeing 3 "all three diagonal entries are wrong"
                        Expect.equal f.Compared 9 "a 3x3 Jacobian"
                        let b = Expect.wantSome f.Blame "blame"

                        Expect.equal
                            (b.Op, b.Rule, b.Position, b.OpCount)
                            ("wrongSin", GradCheckKind.Reverse, 1, 2)
                            "the custom op, before the Mul"

                        Expect.stringContains
                            r.Report
                            "blame: op 1 of 2 in topological order, wrongSin([3] float64)"
                            "report names the op"

                        Expect.stringContains
                            r.Report
                            "reverse mode (VJP) vs finite differences"
                            "report names the check"
                    }

                    test "a wrong custom JVP: forward mode fails and is blamed on the op's JVP" {
                        let r = GradCheck.check opts (fun x -> wrongTanh (x * 2.0)) (vec [ 0.3; -0.8 ])
                        let f = failure GradCheckKind.Forward r
                        // d tanh(2x)/dx = 2(1 − tanh² 2x); the rule gives 2.
                        let xi = [ 0.3; -0.8 ][f.Index.[0]]
                        Expect.floatClose Accuracy.high f.Analytic 2.0 "analytic"

                        Expect.floatClose
                            { absolute = 1e-8; relative = 1e-8 }
                            f.Numeric
                            (2.0 * (1.0 - tanh (2.0 * xi) ** 2.0))
                            "numeric"

                        let b = Expect.wantSome f.Blame "blame"
                        Expect.equal (b.Op, b.Rule, b.Position) ("wrongTanh", GradCheckKind.Forward, 2) "after the Mul"
                    }

                    test "a right VJP with a wrong JVP: forward and adjointness fail, reverse passes" {
                        let f = customRules sin (fun x _ g -> g * cos x) (fun x _ dx -> dx * sin x)
                        let r = GradCheck.check opts f (vec [ 0.4; 1.1 ])
                        let kinds = r.Failures |> List.map (fun f -> f.Check) |> set
                        Expect.equal kinds (set [ GradCheckKind.Forward; GradCheckKind.Adjoint ]) r.Report
                        let adj = failure GradCheckKind.Adjoint r

                        Expect.equal
                            (adj.Blame |> Option.map (fun b -> b.Rule))
                            (Some GradCheckKind.Forward)
                            "adjointness blames the JVP"
                    }

                    test "the first wrong op in topological order is blamed" {
                        let wrongExp (x: Tensor) =
                            Autodiff.Custom(
                                "wrongExp",
                                (fun xs -> xs[0].Exp()),
                                [| x |],
                                vjp = (fun g xs _ -> [| g * xs[0] |])
                            )

                        let r =
                            GradCheck.check opts (fun x -> wrongExp (wrongSin (x + 1.0))) (vec [ 0.2; 0.9 ])

                        let b = Expect.wantSome (failure GradCheckKind.Reverse r).Blame "blame"
                        Expect.equal (b.Op, b.Position) ("wrongSin", 2) "wrongSin comes first (after the Add)"
                        let r2 = GradCheck.check opts (fun x -> wrongExp (sin (x + 1.0))) (vec [ 0.2; 0.9 ])
                        let b2 = Expect.wantSome (failure GradCheckKind.Reverse r2).Blame "blame"
                        Expect.equal (b2.Op, b2.Position) ("wrongExp", 3) "with sin right, wrongExp is the one"
                    }

                    test (
                        "order 2 catches a rule that detaches its derivative; "
                        + "order 1 does not, and nothing is blamed"
                    ) {
                        let f = customVjp sin (fun x _ g -> g * stopGradient (cos x))
                        let x = vec [ 0.3; 1.3 ]
                        Expect.isTrue (GradCheck.check opts f x).Passed "first derivatives are right"
                        let r = GradCheck.check { opts with Order = 2 } f x
                        let fl = failure GradCheckKind.Reverse r
                        Expect.equal fl.Order 2 "second order"
                        // u ↦ cos(x)·u has derivative −sin(x)·u; the detached rule gives 0.
                        Expect.equal fl.Analytic 0.0 "analytic"
                        Expect.isNone fl.Blame "no op's own rule is wrong"
                        Expect.stringContains r.Report "no single op's own rule disagrees" "the report says so"
                    }

                    test "structured inputs: a failure names the Map key" {
                        let p = Map [ "a", vec [ 1.0; 2.0 ]; "b", vec [ 0.3; 0.4 ] ]

                        let r =
                            GradCheck.checkOf opts (fun (m: Map<string, Tensor>) -> m["a"] * wrongSin (m["b"])) p

                        Expect.equal (failure GradCheckKind.Reverse r).Input "\"b\"" "the key of the wrong leaf"

                        let r2 =
                            GradCheck.checkOf
                                opts
                                (fun (a: Tensor, b: Tensor) -> wrongSin a + b)
                                (vec [ 0.5 ], vec [ 1.0 ])

                        Expect.equal (failure GradCheckKind.Reverse r2).Input "item1" "a tuple's element"
                    }

                    test "fast mode finds the wrong rule through random projections" {
                        let r =
                            GradCheck.check
                                { opts with Fast = true }
                                (fun x -> Tensor.sum (wrongSin x))
                                (Tensor.randn 3 [| 4; 5 |])

                        let f = failure GradCheckKind.Reverse r
                        Expect.isEmpty f.Index "no single element in fast mode"
                        Expect.equal f.Compared opts.Directions "one scalar per direction"
                        Expect.equal (f.Blame |> Option.map (fun b -> b.Op)) (Some "wrongSin") "blame"
                    }

                    test "checkOrThrow throws GradCheckException carrying the result" {
                        let e =
                            Expect.throwsC (fun () -> GradCheck.checkOrThrow opts wrongSin (scalar 0.7)) id

                        match e with
                        | :? GradCheckException as g ->
                            Expect.isFalse g.Result.Passed "result"
                            Expect.equal g.Message g.Result.Report "message is the report"
                        | other -> failtestf "expected GradCheckException, got %O" other
                    }
                ]

            testList
                "dtypes and options"
                [
                    test "float32 inputs are refused with a message recommending float64" {
                        let e =
                            Expect.throwsC (fun () -> GradCheck.check opts sin (scalar32 1.0f) |> ignore) id

                        Expect.stringContains e.Message "float32" "names the dtype"
                        Expect.stringContains e.Message "Tensor.toFloat64" "says how to convert"
                        Expect.stringContains e.Message "GradCheckOptions.Float32" "says how to check float32 anyway"
                    }

                    test "float32 with its own defaults passes right rules and still catches a wrong one" {
                        let x = Tensor.ofArray32 [| 0.5f; 1.5f |]

                        Expect.isTrue
                            (GradCheck.check GradCheckOptions.Float32 (fun x -> sin x * x) x).Passed
                            "sin x · x"

                        Expect.isFalse (GradCheck.check GradCheckOptions.Float32 wrongSin x).Passed "wrong sin"
                    }

                    test "invalid options are errors" {
                        Expect.throwsT<ArgumentException>
                            (fun () -> GradCheck.check { opts with Order = 0 } sin (scalar 1.0) |> ignore)
                            "order 0"

                        Expect.throwsT<ArgumentException>
                            (fun () -> GradCheck.check { opts with Eps = 0.0 } sin (scalar 1.0) |> ignore)
                            "eps 0"
                    }

                    test "only the requested checks run" {
                        let r =
                            GradCheck.check
                                { opts with
                                    Forward = false
                                    Adjoint = false
                                }
                                wrongTanh
                                (vec [ 0.5 ])

                        Expect.equal r.Checked.Length 1 "one check"
                        Expect.isFalse r.Passed "reverse through a wrong JVP (transposed) is wrong too"
                    }
                ]

            testList
                "properties shrink"
                [
                    test "a wrong custom VJP shrinks to the scalar 0, and the label carries GradCheck's report" {
                        let message =
                            falsify 30 (GradCheck.property (fun x -> Tensor.sum (wrongSin x)) Domain.real)

                        let shrunk = message.Substring(message.IndexOf "Shrunk:" + "Shrunk:".Length).Trim()
                        Expect.stringStarts shrunk "tensor(0., dtype=float64)" $"shrunk to the scalar 0:\n{message}"

                        Expect.stringContains
                            message
                            "blame: op 1 of 2 in topological order, wrongSin([] float64)"
                            "the report is the label"
                    }

                    test "a wrong rule of two arguments shrinks as a pair" {
                        let wrongMul (a: Tensor) (b: Tensor) =
                            Autodiff.Custom(
                                "wrongMul",
                                (fun xs -> xs[0] * xs[1]),
                                [| a; b |],
                                vjp =
                                    (fun g xs _ ->
                                        [|
                                            (g * xs[1]).SumTo(Tensor.shape (xs[0]))
                                            (g * xs[1]).SumTo(Tensor.shape (xs[1]))
                                        |])
                            )

                        let message = falsify 30 (GradCheck.property2 wrongMul Domain.real Domain.real)
                        let shrunk = message.Substring(message.IndexOf "Shrunk:" + "Shrunk:".Length).Trim()
                        // ∂(ab)/∂b = a, the rule says b: the smallest failing pair is two scalars that differ,
                        // 0 and ±1.
                        Expect.isTrue
                            (shrunk.StartsWith "(tensor(0., dtype=float64), tensor(1., dtype=float64))"
                             || shrunk.StartsWith "(tensor(1., dtype=float64), tensor(0., dtype=float64))"
                             || shrunk.StartsWith "(tensor(0., dtype=float64), tensor(-1., dtype=float64))"
                             || shrunk.StartsWith "(tensor(-1., dtype=float64), tensor(0., dtype=float64))")
                            $"shrunk to scalars 0 and ±1:\n{message}"
                    }
                ]
        ]
