/// compile's scalar code (ScalarCode.cs): runs of one-element steps compiled to double/float locals must give the
/// eager results bit for bit, for every elementwise row of the op spec table in both dtypes and at special values
/// (zeros of both signs, infinities, NaN, subnormals), under vjp as well; long chains are split into bounded
/// methods; steps without a scalar form fall back to Compute. Expected values always come from calling f eagerly.
module Autodiff.ScalarCodeTests

open System
open System.Collections.Generic
open System.Text.RegularExpressions
open Expecto
open FuncGrad
open Support.Check
open Ops.OpSpec

/// A compiled f and, per signature, the numbers Explain reports: steps as scalar code, runs and methods.
let private compileList (f: Tensor list -> Tensor list) =
    let c = Autodiff.Compile(listFn f)
    (fun (xs: Tensor list) -> c.Invoke(Array.ofList xs) |> List.ofSeq), c

let private scalarSteps c (xs: Tensor list) =
    let listing = Autodiff.Explain(c, Array.ofList xs)
    let m = Regex.Match(listing, @"(\d+) as compiled scalar code, in (\d+) run")
    Expect.isTrue m.Success $"the listing counts scalar steps:\n{listing}"
    int m.Groups[1].Value, int m.Groups[2].Value, listing

/// Special values in float64; float32 gets them converted, plus its own subnormals.
let private specials =
    [|
        0.0
        -0.0
        infinity
        -infinity
        nan
        5e-324
        -5e-324
        1e-310
        1e-40
        -1e-45
        1.0
        -1.0
        0.5
        -2.5
        3.0
        1e300
        -1e-300
        710.0
        -745.5
        Math.PI / 2.0
    |]

let private dtypes = [ DType.Float64; DType.Float32 ]

let private one (v: float) (shape: int[]) (dtype: DType) =
    Tensor.FromArray([| v |], shape).ToDType dtype

/// The elementwise rows: one argument or two broadcasting ones (reductions of one element are kept: they fall
/// back, and must still agree).
let private elementwise =
    specs
    |> List.filter (fun s -> s.Arity <= 2 && (s.Family = BroadcastPair || s.Shapes.Head.Head.Length = 0))

/// Rows whose op has no scalar form (Pow with a number is a closure over its exponent, ToDType changes dtype,
/// reductions are not elementwise, masks are bool, not floats, logit with eps clamps through masks and Where, clamp
/// with numbers is a closure over its bounds), and of one argument, whose x·1 alone is too short a run: every other
/// row must run as scalar code.
let private fallback =
    set
        [
            "pow-number"
            "pow-number-integer"
            "pow-number-zero"
            "toDType"
            "sum"
            "mean"
            "max"
            "min"
            "logsumexp"
            "logicalNot"
            "countNonzero"
            "any"
            "all"
            "isNan-isInf-isFinite"
            "logit-eps"
            "clamp"
            // activations with a parameter (Ops/Activations.cs): their op is made per call, and compile runs its
            // Compute
            "elu"
            "celu"
            "leaky-relu"
            "hardtanh"
            "softplus-beta"
        ]

/// The argument lists: every special value (pairs of them for two arguments), as shapes [] and [1].
let private argLists (s: Spec) dtype =
    if s.Arity = 1 then
        [
            for shape in [ [||]; [| 1 |] ] -> [ for v in specials -> [ one v shape dtype ] ]
        ]
    else
        [
            for sa, sb in [ [||], [||]; [| 1 |], [||]; [| 1 |], [| 1 |] ] ->
                [
                    for a in specials do
                        for b in specials -> [ one a sa dtype; one b sb dtype ]
                ]
        ]

/// ⟨f(xs), w⟩'s value and gradients, w a one-element weight (so the backward pass is one-element steps too).
let private vjpAll (f: Tensor list -> Tensor) (xs: Tensor list) =
    let struct (y, back) =
        Autodiff.Vjp(Func<IReadOnlyList<Tensor>, Tensor>(fun v -> f (List.ofSeq v) * 0.75), Array.ofList xs)

    y :: List.ofArray (back.Invoke(Tensor.OnesLike y))

let private check (name: string) (mode: (Tensor list -> Tensor) -> Tensor list -> Tensor list) =
    testList
        name
        [
            for s in elementwise do
                test s.Name {
                    // x·1 keeps every value (−0 and NaN included) and makes the run at least two steps long
                    let f (xs: Tensor list) = s.F(xs |> List.map (fun x -> x * 1.0))

                    for dtype in dtypes do
                        for cases in argLists s dtype do
                            let compiled, c = compileList (mode f)

                            for xs in cases do
                                let what = $"{s.Name} {dtype} %A{xs |> List.map (fun x -> x.ToArray())}"
                                let expected, actual = mode f xs, compiled xs
                                Expect.equal actual.Length expected.Length $"{what}: results"
                                List.iteri2 (fun i e a -> bitwise $"{what}, result {i}" e a) expected actual

                            let steps, _, listing = scalarSteps c cases.Head

                            if not (fallback.Contains s.Name) then
                                Expect.isGreaterThan steps 0 $"{s.Name} {dtype} runs as scalar code:\n{listing}"
                }
        ]

let private sChain (y: Tensor) =
    let mutable y = y

    for _ in 1..1000 do
        y <- y.Sin() * 1.0001 + 0.1

    y

let private valueAndGrad (f: Tensor -> Tensor) (xs: Tensor list) =
    let struct (v, g) = Autodiff.ValueAndGrad(Func<_, _> f, List.exactlyOne xs)
    [ v; g ]

[<Tests>]
let tests =
    testList
        "Autodiff.Compile.scalar code"
        [
            check "every elementwise row, both dtypes, special values, bit for bit" (fun f xs -> [ f xs ])
            check "the same under vjp" vjpAll

            test "Where on one element, its mask a float made bool: 0 or −0 picks b, any other (NaN included) a" {
                let f (xs: Tensor list) =
                    match xs with
                    | [ m; a; b ] -> [ Tensor.Where((m * 1.0).ToDType DType.Bool, a * 2.0, b * 3.0) ]
                    | _ -> failwith "three arguments"

                for dtype in dtypes do
                    let compiled, c = compileList f

                    for m in [ 0.0; -0.0; 1.0; -1.0; nan; 5e-324; infinity ] do
                        let xs = [ one m [||] dtype; one 1.5 [||] dtype; one (-0.25) [| 1 |] dtype ]
                        bitwise $"where {m} {dtype}" (f xs).Head (compiled xs).Head

                    let steps, runs, _ =
                        scalarSteps c [ one 1.0 [||] dtype; one 1.5 [||] dtype; one 1.0 [| 1 |] dtype ]

                    // the bool mask is not a float: the conversion and Where run by their Compute, and m·1 before the
                    // conversion is a run of one step, left to Compute too
                    Expect.equal (steps, runs) (2, 1) "a·2 and b·3, as one run"
            }

            test "x·c and x + c for numbers that the JIT might fold, and NaN: bit for bit at special values" {
                for c in [ -1.0; 1.0; 2.0; 0.5; 0.0; -0.0; infinity; nan; -nan; 3e-320 ] do
                    let f (xs: Tensor list) =
                        let x = List.exactlyOne xs
                        [ x * c; x + c; (x * c) * c; (x + c) + c; x - c ]

                    for dtype in dtypes do
                        let compiled, c' = compileList f

                        for v in specials do
                            let xs = [ one v [||] dtype ]

                            let what i =
                                $"c = {c}, x = {v}, {dtype}, result {i}"

                            List.iteri2 (fun i e a -> bitwise (what i) e a) (f xs) (compiled xs)

                        let steps, _, _ = scalarSteps c' [ one 1.0 [||] dtype ]
                        Expect.equal steps 5 $"c = {c}: every step is scalar code"
            }

            test "compile (valueAndGrad f) of y = sin(y)·1.0001 + 0.1, 1,000 times: all scalar code, bit for bit" {
                for dtype in dtypes do
                    let compiled, c = compileList (valueAndGrad sChain)

                    for v in [ 0.5; -3.0; 0.0; -0.0; 1e-310; nan; infinity ] do
                        let xs = [ one v [||] dtype ]
                        let expected, actual = valueAndGrad sChain xs, compiled xs
                        List.iteri2 (fun i e a -> bitwise $"S1 {dtype} at {v}, result {i}" e a) expected actual

                    let steps, runs, listing = scalarSteps c [ one 0.5 [||] dtype ]
                    Expect.equal runs 1 "one run"
                    Expect.isTrue (listing.Contains $"{steps} step(s) (") $"every step is scalar code:\n{listing}"
            }

            test "a chain of 10⁵ steps with its gradient is split into methods of at most 1,000 steps" {
                let chain (y: Tensor) =
                    let mutable y = y

                    for i in 1..100_000 do
                        y <- if i % 2 = 0 then y * 1.000001 else y + 1e-7

                    y

                let compiled, c = compileList (valueAndGrad chain)
                let xs = [ Tensor.Scalar 0.5 ]
                List.iteri2 (fun i e a -> bitwise $"result {i}" e a) (valueAndGrad chain xs) (compiled xs)
                let steps, _, listing = scalarSteps c xs
                let methods = Regex.Match(listing, @"locals in (\d+) method").Groups[1].Value |> int
                Expect.isGreaterThanOrEqual methods ((steps + 999) / 1000) "at most 1,000 steps a method"
                Expect.isGreaterThanOrEqual steps 100_000 "the forward steps at least"
            }

            test "steps without a scalar form fall back to Compute and split the runs" {
                // a sum of a vector, scalar steps, a Pow by a number (no scalar form), scalar steps, a broadcast
                let f (xs: Tensor list) =
                    let x = List.exactlyOne xs
                    let s = (x.Sum() * 0.5).Sin() + 1.0
                    let p = (s.Pow 2.5 * 3.0).Exp() - s
                    [ p * x; p ]

                for dtype in dtypes do
                    let compiled, c = compileList f
                    let xs = [ (Tensor.FromArray [| 0.3; -1.2; 2.5 |]).ToDType dtype ]
                    List.iteri2 (fun i e a -> bitwise $"{dtype} result {i}" e a) (f xs) (compiled xs)
                    let steps, runs, listing = scalarSteps c xs
                    Expect.equal (steps, runs) (6, 2) $"Mul, Sin, Add | Mul, Exp, Sub:\n{listing}"
            }
        ]
