/// The activations (Ops/Activations.cs): values against mpmath tables (Reference/activations.py) within the ulp
/// bounds their docs state, the conventions at kinks and infinities (docs/conventions.md, "Activations"), the piecewise
/// kernels at every vector width, and the errors.
module Elementwise.ActivationTests

open System
open Expecto
open FuncGrad
open FuncGrad.Kernels
open Reference
open Support.Check

let private vec (xs: float list) = Tensor.FromArray(Array.ofList xs)
let private nan = Double.NaN

let private grad (f: Tensor -> Tensor) (x: Tensor) =
    Autodiff.Grad((fun (v: Tensor) -> (f v).Sum()), x)

/// The largest ulp distance of f over a table's rows, in float64, and in float32 over the rows whose argument is a
/// float32.
let private measure (table: string) (f: Tensor -> Tensor) =
    let rows = Tables.load table
    let xs = rows |> Array.map (fun r -> r.Args[0])
    let y64 = (f (Tensor.FromArray xs)).ToArray()

    let worst64 =
        Array.map2 (fun (r: Tables.Row) y -> Tables.ulps64 y r.Value, r.Args[0]) rows y64
        |> Array.maxBy fst

    let rows32 =
        rows
        |> Array.filter (fun r -> Double.IsNaN r.Args[0] || float (float32 r.Args[0]) = r.Args[0])

    let x32 =
        Tensor.FromArray(rows32 |> Array.map (fun r -> r.Args[0])).ToDType DType.Float32

    let y32 = (f x32).ToDType(DType.Float64).ToArray()

    let worst32 =
        Array.map2 (fun (r: Tables.Row) (y: float) -> Tables.ulps32 (float32 y) r.Value, r.Args[0]) rows32 y32
        |> Array.maxBy fst

    worst64, worst32

/// (table, function, float64 bound, float32 bound): the bounds the ops' docs and docs/conventions.md state.
let private accuracy: (string * (Tensor -> Tensor) * float * float) list =
    [
        "gelu", (fun x -> x.Gelu()), 4.0, 4.0 // float32: 2 measured with fused multiply-adds, 4 without
        "gelu_tanh", (fun x -> x.Gelu "tanh"), 4.0, 1.0
        "silu", (fun x -> x.Silu()), 3.0, 1.0
        "mish", (fun x -> x.Mish()), 3.0, 1.0
        "logsigmoid", (fun x -> x.LogSigmoid()), 3.0, 1.0
        "softplus_beta2", (fun x -> x.Softplus(2.0, 20.0)), 2.0, 1.0
        "elu", (fun x -> x.Elu()), 3.0, 1.0
        "selu", (fun x -> x.Selu()), 3.0, 1.0
        "celu_half", (fun x -> x.Celu 0.5), 2.0, 1.0
        "softsign", (fun x -> x.Softsign()), 2.0, 1.0
        "hardswish", (fun x -> x.Hardswish()), 2.0, 1.0
        "hardsigmoid", (fun x -> x.Hardsigmoid()), 2.0, 1.0
        "tanhshrink", (fun x -> x.Tanhshrink()), 2.0, 1.0
    ]

let private lambdaAlpha =
    1.0507009873554804934193349852946 * 1.6732632423543772848170429916717

/// The piecewise kernels with their parameters, as the ops call them.
let private piecewise (width: Width) (name: string) (x: float[]) : float[] =
    let y = Array.zeroCreate x.Length

    match name with
    | "leaky" -> Piecewise.Map<float, LeakyReluF>(width, ReadOnlySpan x, 0.2, 0.0, Span y)
    | "hardtanh" -> Piecewise.Map<float, HardtanhF>(width, ReadOnlySpan x, -0.5, 2.0, Span y)
    | "hardsigmoid" -> Piecewise.Map<float, HardsigmoidF>(width, ReadOnlySpan x, 0.0, 0.0, Span y)
    | "hardswish" -> Piecewise.Map<float, HardswishF>(width, ReadOnlySpan x, 0.0, 0.0, Span y)
    | _ -> Piecewise.Map<float, SoftsignF>(width, ReadOnlySpan x, 0.0, 0.0, Span y)

    y

let private piecewise32 (width: Width) (name: string) (x: float32[]) : float32[] =
    let y = Array.zeroCreate x.Length

    match name with
    | "leaky" -> Piecewise.Map<float32, LeakyReluF>(width, ReadOnlySpan x, 0.2f, 0.0f, Span y)
    | "hardtanh" -> Piecewise.Map<float32, HardtanhF>(width, ReadOnlySpan x, -0.5f, 2.0f, Span y)
    | "hardsigmoid" -> Piecewise.Map<float32, HardsigmoidF>(width, ReadOnlySpan x, 0.0f, 0.0f, Span y)
    | "hardswish" -> Piecewise.Map<float32, HardswishF>(width, ReadOnlySpan x, 0.0f, 0.0f, Span y)
    | _ -> Piecewise.Map<float32, SoftsignF>(width, ReadOnlySpan x, 0.0f, 0.0f, Span y)

    y

/// Every activation with each parameter setting whose backward is a one-pass chain (Ops/Activations.cs).
let private chained: (string * (Tensor -> Tensor)) list =
    [
        "gelu", (fun x -> x.Gelu())
        "gelu tanh", (fun x -> x.Gelu "tanh")
        "silu", (fun x -> x.Silu())
        "mish", (fun x -> x.Mish())
        "elu", (fun x -> x.Elu())
        "selu", (fun x -> x.Selu())
        "celu(0.5)", (fun x -> x.Celu 0.5)
        "leaky_relu(0.2)", (fun x -> x.LeakyRelu 0.2)
        "relu6", (fun x -> x.Relu6())
        "hardtanh(-0.5, 2)", (fun x -> x.Hardtanh(-0.5, 2.0))
        "hardsigmoid", (fun x -> x.Hardsigmoid())
        "hardswish", (fun x -> x.Hardswish())
        "softsign", (fun x -> x.Softsign())
        "tanhshrink", (fun x -> x.Tanhshrink())
        "logsigmoid", (fun x -> x.LogSigmoid())
        "softplus(2, 3)", (fun x -> x.Softplus(2.0, 3.0))
    ]

/// Arguments over every branch: the kinks, both tails out to where exp underflows, infinities, NaN, ±0.
let private spread (n: int) =
    let rng = Random 29

    Array.init n (fun i ->
        match i % 13 with
        | 0 -> [| -3.0; 3.0; 0.0; -0.0; 6.0; -0.5; 2.0; 1.5 |][i / 13 % 8]
        | 1 ->
            [|
                Double.NegativeInfinity
                Double.PositiveInfinity
                nan
                -800.0
                -720.0
                750.0
            |][i / 13 % 6]
        | 2 -> -rng.NextDouble() * 1000.0
        | 3 -> rng.NextDouble() * 1e-6 - 5e-7
        | _ -> rng.NextDouble() * 80.0 - 40.0)

/// Vector formulas of the smooth activations and their derivatives, for the width test.
let private smooth64 (width: Width) (name: string) (x: float[]) : float[] =
    let y = Array.zeroCreate x.Length

    match name with
    | "silu" -> Piecewise.Map<float, SiluF>(width, ReadOnlySpan x, 0.0, 0.0, Span y)
    | "silu'" -> Piecewise.Map<float, SiluDF>(width, ReadOnlySpan x, 0.0, 0.0, Span y)
    | "mish" -> Piecewise.Map<float, MishF>(width, ReadOnlySpan x, 0.0, 0.0, Span y)
    | "mish'" -> Piecewise.Map<float, MishDF>(width, ReadOnlySpan x, 0.0, 0.0, Span y)
    | "logsigmoid" -> Piecewise.Map<float, LogSigmoidF>(width, ReadOnlySpan x, 0.0, 0.0, Span y)
    | "softplus" -> Piecewise.Map<float, SoftplusBetaF>(width, ReadOnlySpan x, 2.0, 3.0, Span y)
    | "softplus'" -> Piecewise.Map<float, SoftplusBetaDF>(width, ReadOnlySpan x, 2.0, 3.0, Span y)
    | "elu" -> Piecewise.Map<float, EluF>(width, ReadOnlySpan x, 0.5, 2.0, Span y)
    | "elu'" -> Piecewise.Map<float, EluDF>(width, ReadOnlySpan x, 1.0, 2.0, Span y)
    | "selu" -> Piecewise.Map<float, SeluF>(width, ReadOnlySpan x, 0.0, 0.0, Span y)
    | "gelu tanh" -> Piecewise.Map<float, GeluTanhF>(width, ReadOnlySpan x, 0.0, 0.0, Span y)
    | "gelu tanh'" -> Piecewise.Map<float, GeluTanhDF>(width, ReadOnlySpan x, 0.0, 0.0, Span y)
    | _ -> Piecewise.Map<float, GeluDF>(width, ReadOnlySpan x, 0.0, 0.0, Span y)

    y

[<Tests>]
let tests =
    testList
        "activations"
        [
            testList
                "accuracy against mpmath"
                [
                    for table, f, bound64, bound32 in accuracy ->
                        test table {
                            let (u64, at64), (u32, at32) = measure table f
                            Expect.isLessThanOrEqual u64 bound64 $"{table} float64: {u64} ulps at x = {at64}"
                            Expect.isLessThanOrEqual u32 bound32 $"{table} float32: {u32} ulps at x = {at32}"
                        }
                ]

            testList
                "conventions"
                [
                    test "derivatives at the kinks are PyTorch's" {
                        let at (f: Tensor -> Tensor) (points: float list) = grad f (vec points)
                        equalValues "leaky_relu'(0)" (at (fun x -> x.LeakyRelu()) [ 0.0; -0.0 ]) [| 0.01; 0.01 |]
                        equalValues "leaky_relu(0.2)'(0)" (at (fun x -> x.LeakyRelu 0.2) [ 0.0 ]) [| 0.2 |]
                        equalValues "relu6' at 0, 3, 6" (at (fun x -> x.Relu6()) [ 0.0; 3.0; 6.0 ]) [| 0.0; 1.0; 0.0 |]

                        equalValues
                            "hardtanh' at -1, 0, 1"
                            (at (fun x -> x.Hardtanh()) [ -1.0; 0.0; 1.0 ])
                            [| 0.0; 1.0; 0.0 |]

                        equalValues
                            "hardtanh(0, 2)' at 0, 2"
                            (at (fun x -> x.Hardtanh(0.0, 2.0)) [ 0.0; 2.0 ])
                            [| 0.0; 0.0 |]

                        equalValues
                            "hardsigmoid' at -3, 0, 3"
                            (at (fun x -> x.Hardsigmoid()) [ -3.0; 0.0; 3.0 ])
                            [| 0.0; 1.0 / 6.0; 0.0 |]

                        equalValues
                            "hardswish' at -4, -3, 3, 4"
                            (at (fun x -> x.Hardswish()) [ -4.0; -3.0; 3.0; 4.0 ])
                            [| 0.0; -0.5; 1.5; 1.0 |]

                        equalValues "elu'(0)" (at (fun x -> x.Elu()) [ 0.0 ]) [| 1.0 |]
                        equalValues "elu(2)'(0)" (at (fun x -> x.Elu 2.0) [ 0.0 ]) [| 2.0 |]
                        equalValues "celu(2)'(0)" (at (fun x -> x.Celu 2.0) [ 0.0 ]) [| 1.0 |]
                        let selu0 = (at (fun x -> x.Selu()) [ 0.0 ]).Item()
                        Expect.floatClose Accuracy.veryHigh selu0 lambdaAlpha "selu'(0) = λα"
                    }

                    test "softplus(beta, threshold) is x above the threshold, log1p below, with derivative 1 above" {
                        // beta·x = 20 is not above the threshold 20: log(1 + e²⁰) = 20 + 2.06e-9 there
                        let y = (vec [ 20.0; 20.5; 10.0 ]).Softplus(1.0, 20.0).ToArray()
                        Expect.equal y[1] 20.5 "above the threshold: x itself"
                        Expect.floatClose Accuracy.veryHigh y[0] (20.0 + Math.Log(1.0 + Math.Exp(-20.0))) "at it"
                        Expect.isGreaterThan y[0] 20.0 "at the threshold the log1p branch"
                        let g = grad (fun x -> x.Softplus(2.0, 20.0)) (vec [ 10.5; -1e4; 1e4 ])
                        equalValues "gradient above the threshold, and far below" g [| 1.0; 0.0; 1.0 |]
                    }

                    test "values at ±inf are the limits, and NaN stays NaN" {
                        let inf = Double.PositiveInfinity

                        for name, f, lo, hi in
                            [
                                "silu", (fun (x: Tensor) -> x.Silu()), 0.0, inf
                                "mish", (fun x -> x.Mish()), 0.0, inf
                                "gelu tanh", (fun x -> x.Gelu "tanh"), 0.0, inf
                                "gelu", (fun x -> x.Gelu()), 0.0, inf
                                "elu", (fun x -> x.Elu()), -1.0, inf
                                "selu", (fun x -> x.Selu()), -lambdaAlpha, 1.0507009873554804934193349852946 * inf
                                "celu(0.5)", (fun x -> x.Celu 0.5), -0.5, inf
                                "leaky_relu", (fun x -> x.LeakyRelu()), -inf, inf
                                "relu6", (fun x -> x.Relu6()), 0.0, 6.0
                                "hardtanh", (fun x -> x.Hardtanh()), -1.0, 1.0
                                "hardsigmoid", (fun x -> x.Hardsigmoid()), 0.0, 1.0
                                "hardswish", (fun x -> x.Hardswish()), 0.0, inf
                                "softsign", (fun x -> x.Softsign()), -1.0, 1.0
                                "tanhshrink", (fun x -> x.Tanhshrink()), -inf, inf
                                "logsigmoid", (fun x -> x.LogSigmoid()), -inf, 0.0
                                "softplus(2, 20)", (fun x -> x.Softplus(2.0, 20.0)), 0.0, inf
                            ] do
                            for dtype in [ DType.Float64; DType.Float32 ] do
                                let y =
                                    (f ((vec [ -inf; inf; nan ]).ToDType dtype)).ToDType(DType.Float64).ToArray()

                                let lo = if dtype = DType.Float32 then float (float32 lo) else lo
                                Expect.equal y[0] lo $"{name} at -inf, {dtype}"
                                Expect.equal y[1] hi $"{name} at +inf, {dtype}"
                                Expect.isTrue (Double.IsNaN y[2]) $"{name} at NaN, {dtype}"
                    }

                    test "gradients at large |x| are the limits 0 and 1" {
                        for name, f, lo, hi in
                            [
                                "silu", (fun (x: Tensor) -> x.Silu()), 0.0, 1.0
                                "mish", (fun x -> x.Mish()), 0.0, 1.0
                                "gelu tanh", (fun x -> x.Gelu "tanh"), 0.0, 1.0
                                "gelu", (fun x -> x.Gelu()), 0.0, 1.0
                                "elu", (fun x -> x.Elu()), 0.0, 1.0
                                "logsigmoid", (fun x -> x.LogSigmoid()), 1.0, 0.0
                                "tanhshrink", (fun x -> x.Tanhshrink()), 1.0, 1.0
                            ] do
                            equalValues $"{name}' at -1e4, 1e4" (grad f (vec [ -1e4; 1e4 ])) [| lo; hi |]
                    }

                    test "the smooth formulas and derivatives give the same bits at every vector width" {
                        for n in [ 1; 7; 33; 70 ] do
                            let x = spread n

                            for name in
                                [
                                    "silu"
                                    "silu'"
                                    "mish"
                                    "mish'"
                                    "logsigmoid"
                                    "softplus"
                                    "softplus'"
                                    "elu"
                                    "elu'"
                                    "selu"
                                    "gelu tanh"
                                    "gelu tanh'"
                                    "gelu'"
                                ] do
                                let reference =
                                    smooth64 Width.Scalar name x |> Array.map BitConverter.DoubleToInt64Bits

                                for width in [ Width.V512; Width.V256; Width.V128 ] do
                                    let y = smooth64 width name x |> Array.map BitConverter.DoubleToInt64Bits
                                    Expect.sequenceEqual y reference $"{name} at {width}, length {n}"
                    }

                    test "the one-pass backward has the bits of g times the derivative op (compiled), both dtypes" {
                        // 600 elements: whole vectors and a tail, every branch; compile runs the rule's composite
                        let x64 = Tensor.FromArray(spread 600)
                        let c64 = Tensor.FromArray(Array.init 600 (fun i -> 0.5 + float (i % 7)))

                        for name, f in chained do
                            for dtype in [ DType.Float64; DType.Float32 ] do
                                let x, c = x64.ToDType dtype, c64.ToDType dtype
                                let loss (v: Tensor) = (f v * c).Sum()
                                let eager = grad (fun v -> f v * c) x
                                let compiled = (compile (FuncGrad.Transforms.grad loss)) x
                                bitwise $"{name} {dtype}" eager compiled
                    }

                    test "the piecewise kernels give the same bits at every vector width and in the tail" {
                        let rng = Random 23

                        for n in [ 1; 7; 16; 33; 70 ] do
                            let x =
                                Array.init n (fun i ->
                                    match i % 9 with
                                    | 0 -> -3.0
                                    | 1 -> 3.0
                                    | 2 -> Double.NegativeInfinity
                                    | 3 -> Double.NaN
                                    | 4 -> -0.0
                                    | _ -> rng.NextDouble() * 12.0 - 6.0)

                            let x32 = Array.map float32 x

                            for name in [ "leaky"; "hardtanh"; "hardsigmoid"; "hardswish"; "softsign" ] do
                                let reference =
                                    piecewise Width.Scalar name x |> Array.map BitConverter.DoubleToInt64Bits

                                let reference32 =
                                    piecewise32 Width.Scalar name x32 |> Array.map BitConverter.SingleToInt32Bits

                                for width in [ Width.V512; Width.V256; Width.V128 ] do
                                    let y = piecewise width name x |> Array.map BitConverter.DoubleToInt64Bits
                                    let y32 = piecewise32 width name x32 |> Array.map BitConverter.SingleToInt32Bits
                                    Expect.sequenceEqual y reference $"{name} float64 at {width}, length {n}"
                                    Expect.sequenceEqual y32 reference32 $"{name} float32 at {width}, length {n}"
                    }
                ]

            testList
                "errors"
                [
                    let names (e: exn) (what: string) (words: string list) =
                        for w in words do
                            Expect.stringContains e.Message w what

                    let throwsNaming (what: string) (words: string list) (f: unit -> Tensor) =
                        names (raises<ArgumentException> what (f >> ignore)) what words

                    test "integer tensors are refused, naming the op and the dtype" {
                        let ints = Tensor.FromArray [| 1L; 2L |]

                        for name, f in [ "Silu", (fun () -> ints.Silu()); "Hardtanh", (fun () -> ints.Hardtanh()) ] do
                            let e = raises<DTypeMismatchException> name (f >> ignore)
                            names e name [ name; "int64"; "ToDType" ]
                    }

                    test "bad parameters are refused, naming the op and the parameter" {
                        let x = vec [ 1.0 ]
                        throwsNaming "celu alpha 0" [ "Celu"; "alpha" ] (fun () -> x.Celu 0.0)
                        throwsNaming "gelu approximate" [ "Gelu"; "\"tanh\"" ] (fun () -> x.Gelu "exact")
                        throwsNaming "hardtanh min > max" [ "Hardtanh"; "minVal" ] (fun () -> x.Hardtanh(2.0, 1.0))
                        throwsNaming "softplus beta 0" [ "Softplus"; "beta" ] (fun () -> x.Softplus 0.0)
                    }
                ]
        ]
