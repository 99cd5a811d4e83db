/// Anomaly mode (Autodiff.DetectAnomaly, detectAnomaly): each known cause is caught and named (op, part, argument,
/// cause, the line of this file that made the op), the check blames only what an op made, functions with infinities
/// in their inputs pass, every op of the spec table gives the same bits with the mode on as off, and the mode is scoped
/// to its flow. Each cause is first shown to give a NaN or an infinity with the mode off, so a test cannot pass by
/// catching nothing.
module Autodiff.AnomalyTests

open System
open System.Collections.Generic
open System.Runtime.CompilerServices
open System.Threading
open Expecto
open FuncGrad
open Support.Check
open Ops.OpSpec

/// The AnomalyException that f throws in anomaly mode.
let private caught (f: unit -> 'a) =
    raises<AnomalyException> "anomaly mode" (fun () -> detectAnomaly f () |> ignore)

let private expectCause (e: AnomalyException) op part (argument: int option) cause =
    Expect.equal e.Op op $"the op, in: {e.Message}"
    Expect.equal e.Part part $"the part, in: {e.Message}"
    Expect.equal (Option.ofNullable e.Argument) argument $"the argument, in: {e.Message}"
    Expect.equal e.Cause cause $"the cause, in: {e.Message}"

let private contains (e: AnomalyException) (text: string) =
    Expect.stringContains e.Message text "the message"

let private hasNonFinite (t: Tensor) =
    t.ToArray() |> Array.exists (Double.IsFinite >> not)

let private gt0 (x: Tensor) = Tensor.gt x (Tensor.ZerosLike x)

/// sqrt where x > 0, else 0: its gradient at 0 is NaN (0·∞), as in JAX and PyTorch.
let private maskedSqrt (x: Tensor) =
    let r = Tensor.where (gt0 x) (sqrt x) (Tensor.ZerosLike x)
    Tensor.sum r

/// The "double where": the input of sqrt is masked too, so no branch meets the infinite derivative.
let private doubleWhere (x: Tensor) =
    let safe = Tensor.where (gt0 x) x (Tensor.OnesLike x)
    let r = Tensor.where (gt0 x) (sqrt safe) (Tensor.ZerosLike x)
    Tensor.sum r

let private causeTests =
    testList
        "known causes"
        [
            test "sqrt at 0 through a masked where, in reverse mode: MaskedWhere, with the double-where fix" {
                let x = Tensor.ofList [ 1.0; 0.0; 4.0 ]
                Expect.isTrue (hasNonFinite (grad maskedSqrt x)) "off: the gradient holds a NaN"

                Expect.isFalse
                    (hasNonFinite (maskedSqrt x))
                    "off: the value is finite (the NaN is first in a cotangent)"

                let e = caught (fun () -> grad maskedSqrt x)
                expectCause e "Sqrt" AnomalyPart.Cotangent (Some 0) AnomalyCause.MaskedWhere
                contains e "element [1]"
                contains e "where(x > 0, sqrt(where(x > 0, x, 1)), 0)"
                contains e "Where (made at"
                // the fix, checked: silent, and the gradient 1/(2√x) where x > 0, 0 elsewhere
                let fixedGrad = detectAnomaly (grad doubleWhere) x
                equalValues "the double where's gradient" fixedGrad [| 0.5; 0.0; 0.25 |]
            }

            test "a masked where reached through other ops is still found" {
                let f (x: Tensor) =
                    let r = Tensor.where (gt0 x) (sqrt x * 3.0 + 1.0) (Tensor.ZerosLike x)
                    Tensor.sum r

                let x = Tensor.ofList [ 0.0; 2.0 ]
                Expect.isTrue (hasNonFinite (grad f x)) "off: NaN"
                let e = caught (fun () -> grad f x)
                expectCause e "Sqrt" AnomalyPart.Cotangent (Some 0) AnomalyCause.MaskedWhere
                contains e "through"
            }

            test "log at 0 in a value: LogOfZero; log of a negative number: OutsideDomain" {
                let x = Tensor.ofList [ 1.0; 0.0 ]
                Expect.equal ((log x).ToArray()[1]) -infinity "off: log 0 = -inf"
                let e = caught (fun () -> log x)
                expectCause e "Log" AnomalyPart.Value None AnomalyCause.LogOfZero
                contains e "element [1]"
                let neg = caught (fun () -> log (Tensor.ofList [ -2.0 ]))
                expectCause neg "Log" AnomalyPart.Value None AnomalyCause.OutsideDomain
                contains neg "double where"
            }

            test "pow at 0: an infinite derivative in reverse mode, 0 to a negative power in a value" {
                let f (x: Tensor) = Tensor.sum (x ** 0.5)
                let x = Tensor.ofList [ 1.0; 0.0 ]
                Expect.equal ((grad f x).ToArray()[1]) infinity "off: d/dx √x at 0 = +inf"
                let e = caught (fun () -> grad f x)
                expectCause e "Pow" AnomalyPart.Cotangent (Some 0) AnomalyCause.InfiniteDerivative
                contains e "p·x^(p−1)"
                let v = caught (fun () -> x ** -1.0)
                expectCause v "Pow" AnomalyPart.Value None AnomalyCause.DivisionByZero
            }

            test "1/0 and a/0: DivisionByZero, on the divisor" {
                let x = Tensor.ofList [ 2.0; 0.0 ]
                Expect.equal ((1.0 / x).ToArray()[1]) infinity "off: 1/0 = inf"
                let e = caught (fun () -> 1.0 / x)
                expectCause e "Div" AnomalyPart.Value None AnomalyCause.DivisionByZero
                contains e "b = 0"
                let r = caught (fun () -> Tensor.reciprocal x)
                expectCause r "Reciprocal" AnomalyPart.Value None AnomalyCause.DivisionByZero
                // 0/0 is NaN: the same cause
                let z = caught (fun () -> Tensor.ofList [ 0.0 ] / Tensor.ofList [ 0.0 ])
                expectCause z "Div" AnomalyPart.Value None AnomalyCause.DivisionByZero
            }

            test "exp overflow: above ln(max) ≈ 709.78 in float64 and 88.72 in float32, not below" {
                let limit64, limit32 = log Double.MaxValue, log (float Single.MaxValue)
                // just below the limit exp is finite, just above it is not, with the mode off
                Expect.isTrue (Double.IsFinite(exp (limit64 - 0.01))) "float64 below"
                Expect.isFalse (Double.IsFinite(exp (limit64 + 0.01))) "float64 above"
                let x64 = Tensor.ofList [ 1.0; limit64 - 0.01 ]
                Expect.isFalse (hasNonFinite (detectAnomaly exp x64)) "float64 just below: silent"
                let e = caught (fun () -> exp (Tensor.ofList [ 1.0; limit64 + 0.01 ]))
                expectCause e "Exp" AnomalyPart.Value None AnomalyCause.ExpOverflow
                contains e "709.78"
                let x32 = (Tensor.ofList [ limit32 - 0.01 ]).ToDType DType.Float32
                Expect.isFalse (hasNonFinite (detectAnomaly exp x32)) "float32 just below: silent"

                let e32 =
                    caught (fun () -> exp ((Tensor.ofList [ limit32 + 0.01 ]).ToDType DType.Float32))

                expectCause e32 "Exp" AnomalyPart.Value None AnomalyCause.ExpOverflow
                contains e32 "88.72"
            }

            test "0·∞ without a where: a relu's zero cotangent meets sqrt's infinite derivative" {
                let f (x: Tensor) = Tensor.sum (Tensor.relu (sqrt x))
                let x = Tensor.ofList [ 1.0; 0.0 ]
                Expect.isTrue (Double.IsNaN((grad f x).ToArray()[1])) "off: NaN"
                let e = caught (fun () -> grad f x)
                expectCause e "Sqrt" AnomalyPart.Cotangent (Some 0) AnomalyCause.ZeroTimesInfinity
                contains e "sent by Relu"
            }

            test "a NaN in a tangent under jvp: a zero direction meets an infinite derivative" {
                let _, t = jvp sqrt (scalar 0.0) (scalar 0.0)
                Expect.isTrue (Double.IsNaN(t.Item())) "off: 0·∞ = NaN"
                let e = caught (fun () -> jvp sqrt (scalar 0.0) (scalar 0.0))
                expectCause e "Sqrt" AnomalyPart.Tangent None AnomalyCause.ZeroTimesInfinity
                let one = caught (fun () -> jvp sqrt (scalar 0.0) (scalar 1.0))
                expectCause one "Sqrt" AnomalyPart.Tangent None AnomalyCause.InfiniteDerivative
            }

            test "jacfwd's basis vectors give the 0·∞ of forward mode at 0" {
                let x = Tensor.ofList [ 0.0; 1.0 ]
                Expect.isTrue (hasNonFinite (jacfwd sqrt x)) "off: the Jacobian holds a NaN"
                let e = caught (fun () -> jacfwd sqrt x)
                Expect.equal e.Op "Sqrt" "the op"
                Expect.equal e.Part AnomalyPart.Tangent "the part"
            }

            test "∞ − ∞ in a value: InfinityArithmetic; overflow of a product: Overflow" {
                let x = Tensor.ofList [ infinity; 1.0 ]
                let e = caught (fun () -> x - x)
                expectCause e "Sub" AnomalyPart.Value None AnomalyCause.InfinityArithmetic
                let big = Tensor.ofList [ 1e200 ]
                Expect.isTrue (hasNonFinite (big * big)) "off: 1e400 overflows"
                let o = caught (fun () -> big * big)
                expectCause o "Mul" AnomalyPart.Value None AnomalyCause.Overflow
            }

            test "the sum of a tensor's cotangents overflows" {
                // each use sends 1e308 to x; the value itself is 2e8
                let f (x: Tensor) = Tensor.sum (x * 1e308 + x * 1e308)
                let x = Tensor.ofList [ 1e-300 ]
                Expect.isFalse (hasNonFinite (f x)) "off: the value is finite"
                Expect.isTrue (hasNonFinite (grad f x)) "off: the gradient is not"
                let e = caught (fun () -> grad f x)
                Expect.equal e.Part AnomalyPart.Cotangent "the part"
                Expect.equal e.Cause AnomalyCause.Overflow "the cause"
                contains e "summed"
            }

            test "a custom rule's cotangent is checked as a whole, under the rule's name" {
                let f (x: Tensor) =
                    Autodiff.Custom(
                        "halfOverX",
                        (fun xs -> xs[0] * 2.0),
                        [| x |],
                        vjp = (fun g xs _ -> [| g / xs[0] |])
                    )

                let x = Tensor.ofList [ 0.0 ]
                Expect.isTrue (hasNonFinite (grad (f >> Tensor.sum) x)) "off: 1/0"
                let e = caught (fun () -> grad (f >> Tensor.sum) x)
                Expect.equal e.Op "halfOverX" "the rule's name"
                Expect.equal e.Part AnomalyPart.Cotangent "the part"
            }
        ]

let private blameTests =
    testList
        "what an op is blamed for"
        [
            test "a NaN or an infinity that came in is not blamed on the op" {
                let x = Tensor.ofList [ nan; infinity; 1.0 ]
                // NaN in, NaN out; inf in, inf out: no op made them
                let y = detectAnomaly (fun x -> exp x * 2.0 + 1.0) x
                Expect.isTrue (Double.IsNaN(y.ToArray()[0])) "the NaN passes through"
                Expect.equal (y.ToArray()[1]) infinity "the infinity passes through"
            }

            test "but a NaN made from infinities that came in is" {
                let x = Tensor.ofList [ infinity ]
                let e = caught (fun () -> x * 0.0)
                Expect.equal e.Cause AnomalyCause.InfinityArithmetic "0·∞"
            }

            test "a masked attention row with −inf passes, value and gradient, with the same bits as off" {
                let scores =
                    Tensor.ofArray2D (array2D [ [ 0.5; -infinity; 1.0 ]; [ -infinity; 2.0; -infinity ] ])

                let f (s: Tensor) =
                    Tensor.sum (Tensor.softmax s * Tensor.ofList [ 1.0; 2.0; 3.0 ])

                let off = grad f scores
                let on = detectAnomaly (grad f) scores
                bitwise "gradient" off on
                bitwise "value" (f scores) (detectAnomaly f scores)
            }

            test "logsumexp of all −inf is −inf with gradient 0, silently: a composed op is checked as one" {
                let x = Tensor.ofList [ -infinity; -infinity ]
                let v = detectAnomaly Tensor.logsumexp x
                Expect.equal (v.Item()) -infinity "value"
                equalValues "gradient" (detectAnomaly (grad Tensor.logsumexp) x) [| 0.0; 0.0 |]
            }

            test "a where that drops a NaN value does not stop the check: its gradient would be NaN" {
                let f (x: Tensor) =
                    Tensor.sum (Tensor.where (gt0 x) (sqrt x) (Tensor.ZerosLike x))

                let x = Tensor.ofList [ -1.0; 4.0 ]
                Expect.isFalse (hasNonFinite (f x)) "off: the value is finite"
                Expect.isTrue (hasNonFinite (grad f x)) "off: the gradient is not"
                let e = caught (fun () -> f x)
                expectCause e "Sqrt" AnomalyPart.Value None AnomalyCause.OutsideDomain
            }
        ]

/// Every argument's cotangent of ⟨f(xs), w⟩ for a fixed weight w, with the value first.
let private vjpAll (f: Tensor list -> Tensor) (xs: Tensor list) =
    let w (y: Tensor) =
        Tensor.FromArray(Array.init y.Count (fun i -> 0.5 + float i / float (y.Count + 1)), shapeOf y).ToDType y.DType

    let struct (y, back) =
        Autodiff.Vjp(Func<IReadOnlyList<Tensor>, Tensor>(fun v -> f (List.ofSeq v)), Array.ofList xs)

    y :: List.ofArray (back.Invoke(w y))

let private jvpAll (f: Tensor list -> Tensor) (xs: Tensor list) =
    let vs = xs |> List.map (fun x -> Tensor.OnesLike x * 0.75)

    let struct (y, dy) =
        Autodiff.Jvp(Func<IReadOnlyList<Tensor>, Tensor>(fun v -> f (List.ofSeq v)), Array.ofList xs, Array.ofList vs)

    [ y; dy ]

/// The same bits on the managed backend. On a LibTorch device a matrix product's last bit can change from one call
/// to the next (MKL's kernels depend on where the buffers happen to be aligned: tensordot's VJP once came out 1 ulp
/// apart with the mode on and off), so there the two must agree to within rounding of the largest element instead.
let private sameResult (what: string) (off: Tensor) (on: Tensor) =
    if off.Device.IsManaged then
        bitwise what off on
    else
        let tol = if off.DType = DType.Float64 then 1e-12 else 1e-5

        let scale =
            if off.Count = 0 then
                0.0
            else
                off.ToArray()
                |> Array.map abs
                |> Array.filter Double.IsFinite
                |> Array.fold max 0.0

        Expect.equal (shapeOf on) (shapeOf off) $"{what}: shape"
        Expect.isTrue (on.AllClose(off, tol, tol * scale, equalNaN = true)) $"{what}: within rounding on {off.Device}"

let private sameBitsTests =
    testList
        "the same bits with the mode on as off"
        [
            test "every op of the spec table, both dtypes, value, VJP and JVP, silently" {
                for s in specs do
                    for dtype in [ DType.Float64; DType.Float32 ] do
                        let rng = Random(s.Name.Length * 7919 + int dtype)

                        for shapes in s.Shapes do
                            let xs =
                                List.map2 (fun d (shape: int[]) -> (sample rng d shape).ToDType dtype) s.Domains shapes

                            let what = $"{s.Name} {dtype} {xs |> List.map shapeOf}"

                            for name, run in [ "vjp", vjpAll s.F; "jvp", jvpAll s.F ] do
                                let off = run xs

                                let on =
                                    try
                                        detectAnomaly run xs
                                    with :? AnomalyException as e ->
                                        failtestf "%s %s: anomaly mode threw on a clean case: %s" what name e.Message

                                List.iteri2 (fun i a b -> sameResult $"{what} {name} result {i}" a b) off on
            }

            test "hessian of a clean function, and a training step over the imperative graph" {
                let f (x: Tensor) = Tensor.sum (sin x * x + exp (x * 0.5))
                let x = Tensor.ofList [ 0.3; -1.2; 2.5 ]
                bitwise "hessian" (hessian f x) (detectAnomaly (hessian f) x)
                let rng = Random 5
                let w0 = Tensor.RandomNormal([| 4; 3 |], rng)
                let data = Tensor.RandomNormal([| 8; 4 |], rng)

                let step (w: Tensor) =
                    let v = w.RequiresGrad()
                    let loss = Tensor.sum (tanh (Tensor.matmul data v) ** 2.0)
                    w - loss.Backward().[v] * 0.1

                bitwise "a step" (step w0) (detectAnomaly step w0)
            }

            test "vmap: the whole batch is checked, and a clean batch gives the same bits" {
                let xs = Tensor.ofArray2D (array2D [ [ 1.0; 2.0 ]; [ 0.5; 3.0 ] ])
                let f (x: Tensor) = Tensor.sum (log x * x)
                bitwise "vmap (grad f)" (vmap (grad f) xs) (detectAnomaly (vmap (grad f)) xs)
                let bad = Tensor.ofArray2D (array2D [ [ 1.0; 2.0 ]; [ 0.0; 3.0 ] ])
                let e = caught (fun () -> vmap f bad)
                expectCause e "Log" AnomalyPart.Value None AnomalyCause.LogOfZero
            }

            test "compile: transparent in anomaly mode, so a program's NaN is caught, and clean results are equal" {
                let f = compile (fun x -> Tensor.sum (log x))
                let x = Tensor.ofList [ 1.0; 2.0 ]
                let compiled = f x
                bitwise "clean" compiled (detectAnomaly f x)
                let zero = Tensor.ofList [ 1.0; 0.0 ]
                Expect.equal ((f zero).Item()) -infinity "off: the program gives -inf, unchecked"
                let e = caught (fun () -> f zero)
                expectCause e "Log" AnomalyPart.Value None AnomalyCause.LogOfZero
            }

            test "checkpoint: a NaN in the recomputed block's backward is named by the op inside it" {
                let block (x: Tensor) =
                    Tensor.where (gt0 x) (sqrt x) (Tensor.ZerosLike x)

                let f (x: Tensor) = Tensor.sum (checkpoint block x)
                let x = Tensor.ofList [ 0.0; 1.0 ]
                Expect.isTrue (hasNonFinite (grad f x)) "off: NaN"
                let e = caught (fun () -> grad f x)
                expectCause e "Sqrt" AnomalyPart.Cotangent (Some 0) AnomalyCause.MaskedWhere
            }
        ]

let private higherOrderTests =
    testList
        "higher order"
        [
            test "hessian of x^1.5 at 0: the first derivative is finite, the second is not, and is caught" {
                let f (x: Tensor) = Tensor.sum (x ** 1.5)
                let x = Tensor.ofList [ 0.0; 1.0 ]
                equalValues "off: the gradient 1.5·√x" (grad f x) [| 0.0; 1.5 |]
                Expect.isFalse (hasNonFinite (detectAnomaly (grad f) x)) "the gradient is silent"
                Expect.isTrue (hasNonFinite (hessian f x)) "off: the hessian is not finite"
                let e = caught (fun () -> hessian f x)
                expectCause e "Pow" AnomalyPart.Cotangent (Some 0) AnomalyCause.InfiniteDerivative
                contains e "order 2"
            }

            test "grad of grad over the imperative graph with createGraph" {
                let x = (Tensor.ofList [ 0.0 ]).RequiresGrad()
                // y = x^1.5: dy/dx = 1.5·x^0.5 = 0 at 0 is finite; its derivative 0.75·x^-0.5 is not
                let e =
                    caught (fun () ->
                        let dx = Autodiff.Grad([| Tensor.sum (x ** 1.5) |], [| x |], createGraph = true)
                        Autodiff.Grad([| dx[0] |], [| x |]))

                Expect.equal e.Op "Pow" "the op: a node the first VJP recorded"
                Expect.stringContains e.Origin "in the VJP of Pow" "made by Pow's VJP"
                // recorded in an earlier scope, the node has no origin in this one, and the message says so
                let dx =
                    detectAnomaly (fun () -> Autodiff.Grad([| Tensor.sum (x ** 1.5) |], [| x |], createGraph = true)) ()

                let later = caught (fun () -> Autodiff.Grad([| dx[0] |], [| x |]))
                Expect.equal later.Op "Pow" "the op"
                Expect.isNull later.Origin "no origin from another scope"
            }
        ]

// Ops made on a line of their own. Not inlined: the JIT inlines small methods into their callers in Release builds,
// and a stack trace then shows the caller (docs/anomaly.md says so).
[<MethodImpl(MethodImplOptions.NoInlining)>]
let private logOfZero () = log (Tensor.ofList [ 0.0 ]) * 2.0

[<MethodImpl(MethodImplOptions.NoInlining)>]
let private reluOfSqrt (x: Tensor) = Tensor.sum (Tensor.relu (sqrt x) * 1.0)

/// The line of this file that starts with `start`, read from the file itself.
let private lineOf (start: string) =
    IO.File.ReadAllLines(IO.Path.Combine(__SOURCE_DIRECTORY__, __SOURCE_FILE__))
    |> Array.findIndex (fun l -> l.StartsWith start)
    |> (+) 1

let private logLine = lineOf "let private logOfZero"
let private sqrtLine = lineOf "let private reluOfSqrt"

let private originTests =
    testList
        "the user's stack frame"
        [
            test "a value: the line of this file" {
                let e = caught logOfZero
                Expect.stringContains e.Origin $"AnomalyTests.fs:line {logLine}" "origin"
                contains e $"AnomalyTests.fs:line {logLine}"
            }

            test "a cotangent: the line that made the op in the forward pass, not the grad call" {
                let e = caught (fun () -> grad reluOfSqrt (Tensor.ofList [ 0.0 ]))
                Expect.stringContains e.Origin $"AnomalyTests.fs:line {sqrtLine}" "origin"
            }

            test "with origins off: a cotangent's op is named without its line, a value's still has it" {
                let e =
                    raises<AnomalyException> "origins off" (fun () ->
                        Autodiff.DetectAnomaly((fun () -> grad reluOfSqrt (Tensor.ofList [ 0.0 ])), origins = false)
                        |> ignore)

                expectCause e "Sqrt" AnomalyPart.Cotangent (Some 0) AnomalyCause.ZeroTimesInfinity
                Expect.isNull e.Origin "no origin"
                contains e "without origins"

                let v =
                    raises<AnomalyException> "a value" (fun () ->
                        Autodiff.DetectAnomaly(Func<Tensor>(logOfZero), origins = false) |> ignore)

                Expect.stringContains v.Origin $"AnomalyTests.fs:line {logLine}" "a value's origin is where it threw"
            }

            test "an op recorded before the mode was on has no origin, and the message says why" {
                let x = (Tensor.ofList [ 0.0 ]).RequiresGrad()
                let y = Tensor.sum (Tensor.relu (sqrt x))
                let e = caught (fun () -> y.Backward())
                Expect.isNull e.Origin "no origin"
                contains e "before anomaly mode was on"
            }
        ]

let private scopeTests =
    testList
        "scope"
        [
            test "off by default, and off again once the scope is disposed" {
                Expect.equal ((log (scalar 0.0)).Item()) -infinity "off"

                do
                    use _ = Autodiff.DetectAnomaly()

                    raises<AnomalyException> "inside" (fun () -> log (scalar 0.0) |> ignore)
                    |> ignore

                Expect.equal ((log (scalar 0.0)).Item()) -infinity "off again"
            }

            test "nested scopes: the inner one's end leaves the outer one on" {
                use _outer = detectAnomalyScope ()

                do
                    use _inner = detectAnomalyScope ()
                    ()

                raises<AnomalyException> "still on" (fun () -> log (scalar 0.0) |> ignore)
                |> ignore
            }

            test "another thread is not in this thread's scope" {
                use entered = new ManualResetEventSlim()
                use finished = new ManualResetEventSlim()
                let mutable other = nan

                // started before the scope, so it does not inherit it
                let t =
                    Thread(fun () ->
                        entered.Wait()
                        other <- (log (scalar 0.0)).Item()
                        finished.Set())

                t.Start()

                do
                    use _ = Autodiff.DetectAnomaly()
                    entered.Set()
                    finished.Wait()

                t.Join()
                Expect.equal other -infinity "the other thread computed log 0 unchecked"
            }

            test "the C# function form" {
                let e =
                    raises<AnomalyException> "function form" (fun () ->
                        Autodiff.DetectAnomaly(Func<Tensor>(fun () -> log (scalar 0.0))) |> ignore)

                Expect.equal e.Op "Log" "the op"
                let ok = Autodiff.DetectAnomaly(Func<Tensor>(fun () -> log (scalar 1.0)))
                Expect.equal (ok.Item()) 0.0 "a clean computation returns its result"
            }
        ]

[<Tests>]
let tests =
    testList
        "anomaly mode"
        [
            causeTests
            blameTests
            sameBitsTests
            higherOrderTests
            originTests
            scopeTests
        ]
