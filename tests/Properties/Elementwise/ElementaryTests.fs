/// Issue 23's elementary functions (Ops/Elementary.cs) and rounding (Ops/Rounding.cs): values against the mpmath
/// tables of Reference/elementary.py within the ulp bounds their docs state, the conventions of docs/conventions.md
/// ("Elementary functions and rounding") pinned, and their errors. Derivatives, vmap and compile run through their
/// rows of Ops/OpSpec.fs.
module Elementwise.ElementaryTests

open System
open Expecto
open FuncGrad
open Reference
open Support.Check
open FuncGrad.Kernels
open FuncGrad.Kernels.Elementary
open FuncGrad.Kernels.Special

/// The bound each op's doc states, in ulps: (float64, float32). Measured on x64 with glibc: 0 or 1 in float64 (2 for
/// log10, sinc and logit), 1 in float32 (0 for exp2 and sinc, 2 for logit); logit's bound is 3 from random arguments.
/// The last ten are FuncGrad's own vector math (Kernels/Elementary/Transcendental.cs): measured 1 in float64 (2 for
/// tanh and tan), 1 in float32 (2 for sigmoid; 0 for sin, cos and tan, computed in float64 and rounded once: their
/// bound is 1).
let private bounds =
    [
        "asin", (fun (x: Tensor) -> x.Asin()), (1.0, 1.0)
        "acos", (fun x -> x.Acos()), (1.0, 1.0)
        "atan", (fun x -> x.Atan()), (1.0, 1.0)
        "sinh", (fun x -> x.Sinh()), (1.0, 1.0)
        "cosh", (fun x -> x.Cosh()), (1.0, 1.0)
        "asinh", (fun x -> x.Asinh()), (1.0, 1.0)
        "acosh", (fun x -> x.Acosh()), (1.0, 1.0)
        "atanh", (fun x -> x.Atanh()), (1.0, 1.0)
        "log2", (fun x -> x.Log2()), (1.0, 1.0)
        "log10", (fun x -> x.Log10()), (2.0, 1.0)
        "exp2", (fun x -> x.Exp2()), (1.0, 1.0)
        "rsqrt", (fun x -> x.Rsqrt()), (1.0, 1.0)
        "sinc", (fun x -> x.Sinc()), (2.0, 1.0)
        "logit", (fun x -> x.Logit()), (3.0, 3.0)
        "entr", (fun x -> x.Entr()), (1.0, 1.0)
        "exp", (fun x -> x.Exp()), (1.0, 1.0)
        "log", (fun x -> x.Log()), (1.0, 1.0)
        "log1p", (fun x -> x.Log1p()), (1.0, 1.0)
        "expm1", (fun x -> x.Expm1()), (1.0, 1.0)
        "tanh", (fun x -> x.Tanh()), (2.0, 1.0)
        "sigmoid", (fun x -> x.Sigmoid()), (1.0, 2.0)
        "softplus", (fun x -> x.Softplus()), (1.0, 1.0)
        "sin", (fun x -> x.Sin()), (1.0, 1.0)
        "cos", (fun x -> x.Cos()), (1.0, 1.0)
        "tan", (fun x -> x.Tan()), (2.0, 1.0)
    ]

/// The worst distance in ulps over a table and where, for the whole table in one tensor (the vector kernels) and for
/// each element alone (a one-element value takes the scalar routine).
let private worst (f: Tensor -> Tensor) (dtype: DType) (rows: Tables.Row[]) =
    let xs = rows |> Array.map (fun r -> r.Args[0])

    let distance (got: float) (want: float) =
        if dtype = DType.Float64 then
            Tables.ulps64 got want
        else
            Tables.ulps32 (float32 got) want

    let whole = (f (Tensor.FromArray(xs).ToDType dtype)).ToArray()
    let alone = xs |> Array.map (fun x -> (f (Tensor.Scalar(x, dtype))).Item())

    rows
    |> Array.mapi (fun i r -> max (distance whole[i] r.Value) (distance alone[i] r.Value), r.Args[0])
    |> Array.maxBy fst

let private accuracy =
    testList
        "against mpmath"
        [
            for name, f, (b64, b32) in bounds do
                test $"{name} within {b64} ulp(s) in float64 and {b32} in float32" {
                    let rows = Tables.load name
                    let u64, at64 = worst f DType.Float64 rows
                    Expect.isLessThanOrEqual u64 b64 $"{name} float64: {u64} ulps at x = {at64:R}"
                    // float32: the rows whose argument is a float32 value (all but the table's last few)
                    let rows32 = rows |> Array.filter (fun r -> float (float32 r.Args[0]) = r.Args[0])
                    let u32, at32 = worst f DType.Float32 rows32
                    Expect.isLessThanOrEqual u32 b32 $"{name} float32: {u32} ulps at x = {at32:R}"
                }
        ]

/// One vector kernel of Kernels/Elementary: every width gives the scalar formula's bits, at every position (vector
/// body and tail), on a table's arguments and the special values.
let private widthsOf<'F when 'F :> IFormula1 and 'F: struct and 'F: (new: unit -> 'F) and 'F :> ValueType>
    (name: string)
    (table: string)
    =
    test $"{name}: every width gives the scalar formula's bits" {
        let specials =
            [| 0.0; -0.0; infinity; -infinity; nan; 1.0; -1.0; 5e-324; 1e-310; 1e300 |]

        let xs =
            Array.append specials (Tables.load table |> Array.map (fun r -> r.Args[0]) |> Array.truncate 57)

        let x32 = Array.map float32 xs

        let y64 w =
            let y = Array.zeroCreate xs.Length
            VectorMath.Map<float, 'F>(w, ReadOnlySpan xs, Span y)
            y |> Array.map BitConverter.DoubleToInt64Bits

        let y32 w =
            let y = Array.zeroCreate x32.Length
            VectorMath.Map<float32, 'F>(w, ReadOnlySpan x32, Span y)
            y |> Array.map BitConverter.SingleToInt32Bits

        for w in [ Width.V512; Width.V256; Width.V128 ] do
            Expect.sequenceEqual (y64 w) (y64 Width.Scalar) $"{name} float64 at {w}"
            Expect.sequenceEqual (y32 w) (y32 Width.Scalar) $"{name} float32 at {w}"
    }

let private widths =
    testList
        "vector kernels"
        [
            widthsOf<Log2F> "log2" "log2"
            widthsOf<Log10F> "log10" "log10"
            widthsOf<Exp2F> "exp2" "exp2"
            widthsOf<LogitF> "logit" "logit"
            widthsOf<FracF> "frac" "exp2"
            widthsOf<ExpF> "exp" "exp"
            widthsOf<LogF> "log" "log"
            widthsOf<Log1pF> "log1p" "log1p"
            widthsOf<Expm1F> "expm1" "expm1"
            widthsOf<TanhF> "tanh" "tanh"
            widthsOf<SigmoidF> "sigmoid" "sigmoid"
            widthsOf<SoftplusF> "softplus" "softplus"
        ]

let private values (t: Tensor) = t.ToArray()

let private same (what: string) (got: float[]) (want: float[]) =
    Expect.equal got.Length want.Length $"{what}: length"

    for i in 0 .. got.Length - 1 do
        let ok =
            (Double.IsNaN got[i] && Double.IsNaN want[i])
            || BitConverter.DoubleToInt64Bits got[i] = BitConverter.DoubleToInt64Bits want[i]

        Expect.isTrue ok $"{what}: element {i} is {got[i]:R}, expected {want[i]:R} (bit for bit, sign of 0 included)"

let private both (f: Tensor -> Tensor) (xs: float[]) (want: float[]) (what: string) =
    for dtype in [ DType.Float64; DType.Float32 ] do
        // float32 results against the expected values rounded to float32
        let want =
            if dtype = DType.Float64 then
                want
            else
                want |> Array.map (fun w -> float (float32 w))

        same $"{what} {dtype.Name()}" (values (f (Tensor.FromArray(xs).ToDType dtype))) want
        // each element alone: the scalar routine keeps the same conventions
        same
            $"{what} {dtype.Name()}, one element at a time"
            (xs |> Array.map (fun x -> (f (Tensor.Scalar(x, dtype))).Item()))
            want

let private gradOf (f: Tensor -> Tensor) (xs: float[]) =
    (Autodiff.Grad((fun (t: Tensor) -> (f t).Sum()), Tensor.FromArray xs)).ToArray()

let private inf = Double.PositiveInfinity
let private nan = Double.NaN

let private conventions =
    testList
        "conventions"
        [
            test "inverse trigonometric and hyperbolic functions at the ends of their domains" {
                both (fun x -> x.Asin()) [| 2.0; -0.0; 1.0 |] [| nan; -0.0; Math.PI / 2.0 |] "asin"
                both (fun x -> x.Acos()) [| -1.5; 1.0 |] [| nan; 0.0 |] "acos"
                both (fun x -> x.Atan()) [| inf; -inf; -0.0 |] [| Math.PI / 2.0; -Math.PI / 2.0; -0.0 |] "atan"
                both (fun x -> x.Atanh()) [| 1.0; -1.0; 1.5 |] [| inf; -inf; nan |] "atanh"
                both (fun x -> x.Acosh()) [| 1.0; 0.5; inf |] [| 0.0; nan; inf |] "acosh"
                both (fun x -> x.Sinh()) [| -inf; 1000.0; -0.0 |] [| -inf; inf; -0.0 |] "sinh"
                both (fun x -> x.Cosh()) [| -inf; -1000.0 |] [| inf; inf |] "cosh"
            }

            test "logarithms, 2ˣ and 1/√x at 0, below 0 and at infinity" {
                both (fun x -> x.Log2()) [| 0.0; -0.0; -1.0; inf; 8.0 |] [| -inf; -inf; nan; inf; 3.0 |] "log2"
                both (fun x -> x.Log10()) [| 0.0; -1.0; 1000.0 |] [| -inf; nan; 3.0 |] "log10"
                both (fun x -> x.Exp2()) [| -inf; inf; -3.0 |] [| 0.0; inf; 0.125 |] "exp2"
                both (fun x -> x.Rsqrt()) [| 0.0; -0.0; -1.0; inf; 0.25 |] [| inf; -inf; nan; 0.0; 2.0 |] "rsqrt"
            }

            test "sinc is 1 at 0 with derivative 0 there, +0 at the other integers, NaN at infinity" {
                both (fun x -> x.Sinc()) [| 0.0; -0.0; 1.0; -2.0; inf; nan |] [| 1.0; 1.0; 0.0; 0.0; nan; nan |] "sinc"
                let g = gradOf (fun x -> x.Sinc()) [| 0.0; 1.0 |]
                Expect.equal g[0] 0.0 "sinc'(0) = 0"
                // sinc'(1) = (cos π − sinc 1)/1 = −1
                Expect.floatClose Accuracy.high g[1] -1.0 "sinc'(1) = −1"
            }

            test "logit is −inf at 0, +inf at 1; with eps the gradient is 0 outside [eps, 1 − eps], reaching its ends" {
                both (fun x -> x.Logit()) [| 0.0; 1.0; -0.5; 1.5; 0.5 |] [| -inf; inf; nan; nan; 0.0 |] "logit"
                let eps = 0.25

                for dtype in [ DType.Float64; DType.Float32 ] do
                    let xs = Tensor.FromArray([| 0.0; 0.1; 0.25; 0.9; 1.0; nan |]).ToDType dtype

                    let clamped =
                        Tensor.FromArray([| 0.25; 0.25; 0.25; 0.75; 0.75; nan |]).ToDType dtype

                    same $"logit(eps) {dtype.Name()}" (values (xs.Logit eps)) (values (clamped.Logit()))

                let g = gradOf (fun x -> x.Logit eps) [| 0.1; 0.25; 0.5; 0.75; 0.9 |]
                let inside = 1.0 / (0.25 * 0.75)
                Expect.equal g [| 0.0; inside; 4.0; inside; 0.0 |] "gradient 0 outside, 1/(x(1−x)) on [eps, 1 − eps]"
            }

            test "entr is 0 at 0, −inf below 0 and at +inf" {
                both (fun x -> x.Entr()) [| 0.0; -1.0; inf; nan; 1.0 |] [| 0.0; -inf; -inf; nan; -0.0 |] "entr"
                let g = gradOf (fun x -> x.Entr()) [| 0.0; 1.0 |]
                Expect.equal g [| inf; -1.0 |] "entr' = −(ln x + 1): +inf at 0, −1 at 1"
            }

            test "round halves to even, keeps the sign of 0; floor, ceil, trunc and frac at halves, ±0 and ±inf" {
                let xs =
                    [| 0.5; 1.5; 2.5; -0.5; -1.5; -2.5; -0.0; inf; -inf; nan; 0.49999999999999994 |]

                both (fun x -> x.Round()) xs [| 0.0; 2.0; 2.0; -0.0; -2.0; -2.0; -0.0; inf; -inf; nan; 0.0 |] "round"
                both (fun x -> x.Floor()) xs [| 0.0; 1.0; 2.0; -1.0; -2.0; -3.0; -0.0; inf; -inf; nan; 0.0 |] "floor"
                both (fun x -> x.Ceil()) xs [| 1.0; 2.0; 3.0; -0.0; -1.0; -2.0; -0.0; inf; -inf; nan; 1.0 |] "ceil"
                both (fun x -> x.Trunc()) xs [| 0.0; 1.0; 2.0; -0.0; -1.0; -2.0; -0.0; inf; -inf; nan; 0.0 |] "trunc"
                both (fun x -> x.Frac()) [| -1.25; 2.5; inf; -0.0; 3.0 |] [| -0.25; 0.5; nan; 0.0; 0.0 |] "frac"
            }

            test "round to decimals scales, rounds half to even and scales back, as PyTorch's" {
                // 0.125 · 100 = 12.5 exactly: half to even gives 12; 1250 / 100 = 12.5: 12 hundreds
                both (fun x -> x.Round 2) [| 0.125; 0.135; -1.0 |] [| 0.12; 0.14; -1.0 |] "round 2"
                both (fun x -> x.Round -2) [| 1250.0; 1350.0; -49.0 |] [| 1200.0; 1400.0; -0.0 |] "round -2"
                same "round 0 is round" (values (Tensor.FromArray([| 2.5 |]).Round 0)) [| 2.0 |]
            }

            test "floor, ceil, round and trunc are the identity on integer tensors; their gradients are 0, frac's 1" {
                let l = Tensor.FromArray [| -3L; 4L |]
                let i = Tensor.FromArray [| -3; 4 |]

                for t in [ l; i ] do
                    for r in [ t.Floor(); t.Ceil(); t.Round(); t.Trunc() ] do
                        Expect.equal r.DType t.DType "dtype kept"
                        Expect.equal (r.ToArray()) (t.ToArray()) "values kept"

                let xs = [| -1.5; 0.5; 2.0; 2.7 |]

                for name, f in
                    [
                        "floor", (fun (x: Tensor) -> x.Floor())
                        "ceil", (fun x -> x.Ceil())
                        "round", (fun x -> x.Round())
                        "trunc", (fun x -> x.Trunc())
                        "round 1", (fun x -> x.Round 1)
                    ] do
                    Expect.equal (gradOf f xs) [| 0.0; 0.0; 0.0; 0.0 |] $"{name}: gradient 0, at the jumps too"

                Expect.equal (gradOf (fun x -> x.Frac()) xs) [| 1.0; 1.0; 1.0; 1.0 |] "frac: gradient 1"
            }
        ]

let private errors =
    testList
        "errors"
        [
            test "float-only ops name the op and the integer dtype" {
                let ints = Tensor.FromArray [| 1L; 2L |]

                for name, f in
                    [
                        "Asin", (fun (x: Tensor) -> x.Asin())
                        "Log2", (fun x -> x.Log2())
                        "Entr", (fun x -> x.Entr())
                        "Frac", (fun x -> x.Frac())
                    ] do
                    let e = raises<DTypeMismatchException> name (fun () -> f ints |> ignore)
                    Expect.stringContains e.Message name "names the op"
                    Expect.stringContains e.Message "int64" "names the dtype"
                    Expect.stringContains e.Message "ToDType" "says what to do"
            }

            test "round to decimals on integers says to convert or pass 0" {
                let ints = Tensor.FromArray [| 15L |]

                let e =
                    raises<DTypeMismatchException> "round -1" (fun () -> ints.Round(-1) |> ignore)

                Expect.stringContains e.Message "round: decimals = -1" "names the op and the option"
                Expect.stringContains e.Message "int64" "names the dtype"
                Expect.stringContains e.Message "ToDType" "says what to do"
            }

            test "logit's eps outside [0, 0.5] names the bound and the range" {
                for eps in [ -0.1; 0.6; nan ] do
                    let e =
                        raises<ArgumentOutOfRangeException> $"eps {eps}" (fun () ->
                            Tensor.FromArray([| 0.5 |]).Logit(eps) |> ignore)

                    Expect.stringContains e.Message "logit: eps" "names the op and the option"
                    Expect.stringContains e.Message "[0, 0.5]" "says the range"
            }
        ]

[<Tests>]
let tests = testList "elementary" [ accuracy; widths; conventions; errors ]
