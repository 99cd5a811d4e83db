/// The functions of two arguments (Ops/BinaryMath.cs, Ops/Clamp.cs) and the whole powers of Ops/Power.cs: values
/// against mpmath tables (tests/Properties/Reference/binary.py) within the ulps each op's doc states, the conventions
/// of docs/conventions.md ("Binary math") one test each, and the errors.
module Elementwise.BinaryMathTests

open System
open Expecto
open FuncGrad
open Reference
open Support.Check

let private vec (xs: float list) = Tensor.FromArray(Array.ofList xs)

/// Whether x is a float32 value (NaN counts): the rows the float32 tests use.
let private exactIn32 (x: float) = Double.IsNaN x || float (float32 x) = x

/// The largest ulp distance of f from the table, in float64 over every row and in float32 over the rows whose
/// arguments are float32 values, each with its worst row.
let measureBy (ulps64: Tables.Row -> float -> float) keep (name: string) (f: Tensor list -> Tensor) =
    let rows = Tables.load name |> Array.filter (keep DType.Float64)
    let arity = rows[0].Args.Length

    let worst (rows: Tables.Row[]) (ys: float[]) (ulps: Tables.Row -> float -> float) =
        Array.map2 (fun (r: Tables.Row) y -> ulps r y, r, y) rows ys
        |> Array.maxBy (fun (u, _, _) -> u)

    let y64 =
        (f
            [
                for i in 0 .. arity - 1 -> Tensor.FromArray(rows |> Array.map (fun r -> r.Args[i]))
            ])
            .ToArray()

    let rows32 =
        rows
        |> Array.filter (fun r -> Array.forall exactIn32 r.Args && keep DType.Float32 r)

    let y32 =
        (f
            [
                for i in 0 .. arity - 1 -> Tensor.FromArray(rows32 |> Array.map (fun r -> float32 r.Args[i]))
            ])
            .ToFloatArray()
        |> Array.map float

    worst rows y64 ulps64, worst rows32 y32 (fun r y -> Tables.ulps32 (float32 y) r.Value)

let measureWhere keep =
    measureBy (fun r y -> Tables.ulps64 y r.Value) keep

let measure = measureWhere (fun _ _ -> true)

/// Ulps of the result, or, where fewer, ulps of the larger argument (at least 1): log(eᵃ + eᵇ) near its zeros is
/// max(a, b) + log(1 + e^−|a−b|) cancelling, and there an argument's last bit moves the result by that much.
let private ulpsOfArguments (r: Tables.Row) (y: float) =
    let scale = max 1.0 (Array.max (Array.map abs r.Args))

    if Double.IsFinite scale then
        min (Tables.ulps64 y r.Value) (abs (y - r.Value) / (Math.BitIncrement scale - scale))
    else
        Tables.ulps64 y r.Value

/// f within `u64` ulps of the table in float64 and `u32` in float32, on the rows `keep` keeps.
let private withinWhere keep (name: string) (u64: float) (u32: float) (f: Tensor list -> Tensor) =
    test $"{name} is within {u64} ulps (float64) and {u32} (float32) of mpmath" {
        let (w64, r64, y64), (w32, r32, y32) = measureWhere keep name f

        Expect.isLessThanOrEqual w64 u64 $"float64: {w64} ulps at %A{r64.Args} (got {y64:R}, reference {r64.Value:R})"

        Expect.isLessThanOrEqual w32 u32 $"float32: {w32} ulps at %A{r32.Args} (got {y32:R}, reference {r32.Value:R})"
    }

let private within = withinWhere (fun _ _ -> true)

/// Rows where x² and the power are normal numbers of the dtype (or the power is exact: 0, inf, NaN): a power written
/// as products overflows or underflows where the products do, as its doc says.
let private productsInRange (dtype: DType) (r: Tables.Row) =
    let x = abs r.Args[0]

    let lo, hi =
        if dtype = DType.Float64 then
            2.2250738585072014e-308, Double.MaxValue
        else
            1.1754943508222875e-38, 3.4028234663852886e38

    let normal (v: float) = let v = abs v in v >= lo && v <= hi

    Double.IsNaN x
    || Double.IsInfinity x
    || x = 0.0
    || (normal (x * x) && normal r.Value)

let private two (f: Tensor -> Tensor -> Tensor) =
    function
    | [ a; b ] -> f a b
    | _ -> failwith "two arguments"

/// Each element the same float (NaN equal to NaN, and the sign of a zero counted).
let private same (what: string) (actual: Tensor) (expected: float list) =
    let key (x: float) =
        if Double.IsNaN x then
            Int64.MinValue
        else
            BitConverter.DoubleToInt64Bits x

    Expect.sequenceEqual (actual.ToArray() |> Array.map key) (expected |> List.map key) what

let private grads (f: Tensor -> Tensor -> Tensor) (a: Tensor) (b: Tensor) =
    match reverse (fun xs -> (two f xs).Sum()) [ a; b ] (Tensor.Scalar 1.0) with
    | [ da; db ] -> da, db
    | _ -> failwith "two gradients"

/// (g·∂y/∂a, g·∂y/∂b) from (g, a, b, y).
type private Partials = Tensor -> Tensor -> Tensor -> Tensor -> Tensor * Tensor

/// Each op's one-pass backward (its chain kernel, on plain tensors of one shape) against its rules written out as
/// the composite computes them: the same bits (zeros' signs included; any NaN equal to any NaN, as where both operands
/// of a product are NaN the JIT may pick either's sign) at every length, so in the vector body and the scalar tail,
/// with special values sprinkled over both arguments and the cotangent.
let private onePassBackward =
    let bitwise what (expected: Tensor) (actual: Tensor) =
        let key (t: Tensor) =
            t.ToDType(DType.Float64).ToArray()
            |> Array.map (fun x ->
                if Double.IsNaN x then
                    Int64.MinValue
                else
                    BitConverter.DoubleToInt64Bits x)

        Expect.equal actual.DType expected.DType $"{what}: dtype"
        Expect.sequenceEqual (key actual) (key expected) $"{what}: bits"

    let zero (t: Tensor) = Tensor.Scalar(0.0, t.DType)
    let ones (t: Tensor) (m: Tensor) = m.ToDType t.DType

    let rules: (string * (Tensor -> Tensor -> Tensor) * Partials) list =
        [
            "atan2",
            (fun a b -> a.Atan2 b),
            (fun g a b _ -> g * (b / (a.Square() + b.Square())), g * (-a / (a.Square() + b.Square())))
            "hypot", (fun a b -> a.Hypot b), (fun g a b y -> g * (a / y), g * (b / y))
            "copysign", (fun a b -> a.Copysign b), (fun g a _ y -> g * (a.Sign() * y.Sign()), g * zero y)
            "xlogy", (fun a b -> a.Xlogy b), (fun g a b _ -> g * (ones a (a.Ne(zero a))).Xlogy(b), g * (a / b))
            "xlog1py",
            (fun a b -> a.Xlog1py b),
            (fun g a b _ -> g * (ones a (a.Ne(zero a))).Xlog1py(b), g * (a / (b + 1.0)))
            "clampMin", (fun a b -> a.ClampMin b), (fun g a b _ -> g * ones a (a.Ge b), g * ones a (a.Lt b))
            "clampMax", (fun a b -> a.ClampMax b), (fun g a b _ -> g * ones a (a.Le b), g * ones a (a.Gt b))
        ]

    let specials = [| nan; infinity; -infinity; 0.0; -0.0; 1.0 |]

    let make (rng: Random) salt n dtype =
        Tensor
            .FromArray(
                Array.init n (fun i ->
                    if (i * 7 + n + salt) % 5 = 0 then
                        specials[(i + salt) % specials.Length]
                    else
                        (rng.NextDouble() - 0.5) * 6.0)
            )
            .ToDType
            dtype

    let lengths = [ 2..40 ] @ [ 63; 64; 65; 129 ]

    testList
        "one-pass backward"
        [
            for name, f, composite in rules do
                test $"{name}: both partials times g have the composite rules' bits, both dtypes" {
                    let rng = Random 11

                    for dtype in [ DType.Float64; DType.Float32 ] do
                        for n in lengths do
                            let a, b, g = make rng 1 n dtype, make rng 2 n dtype, make rng 3 n dtype

                            let struct (y, back) =
                                Autodiff.Vjp(
                                    (fun (ts: Collections.Generic.IReadOnlyList<Tensor>) -> f ts[0] ts[1]),
                                    [| a; b |]
                                )

                            let grads = back.Invoke g
                            let ea, eb = composite g a b y
                            bitwise $"{name} ∂/∂a, {dtype}, n = {n}" ea grads[0]
                            bitwise $"{name} ∂/∂b, {dtype}, n = {n}" eb grads[1]
                }
            test "clamp by numbers: g where min ≤ x ≤ max in one pass, the composite's bits, both dtypes" {
                let rng = Random 12

                for lo, hi in
                    [
                        Nullable -0.5, Nullable 0.5
                        Nullable(), Nullable 0.1
                        Nullable 0.1, Nullable()
                        Nullable 1.0, Nullable -1.0
                    ] do
                    let loV, hiV =
                        (if lo.HasValue then lo.Value else -infinity), (if hi.HasValue then hi.Value else infinity)

                    for dtype in [ DType.Float64; DType.Float32 ] do
                        for n in lengths do
                            let x, g = make rng 1 n dtype, make rng 3 n dtype
                            let struct (_, back) = Autodiff.Vjp((fun (t: Tensor) -> t.Clamp(lo, hi)), x)

                            let mask =
                                x.Ge(Tensor.Scalar(loV, dtype)).LogicalAnd(x.Le(Tensor.Scalar(hiV, dtype)))

                            bitwise $"clamp({lo}, {hi}) {dtype}, n = {n}" (g * ones x mask) (back.Invoke g)
            }
        ]

/// The vector kernels at every width (whatever this machine accelerates) against the scalar width, element by
/// element: an element's bits must not depend on the width nor on where it sits (vector body or tail).
let private everyWidth =
    let specials =
        [| nan; infinity; -infinity; 0.0; -0.0; 1e-310; 1e300; -1e-300; 2.0 |]

    let rng = Random 13
    let n = 203

    let values salt =
        Array.init n (fun i ->
            if (i * 5 + salt) % 7 = 0 then
                specials[(i + salt) % specials.Length]
            else
                (rng.NextDouble() - 0.5) * 40.0)

    let key (x: float) =
        if Double.IsNaN x then
            Int64.MinValue
        else
            BitConverter.DoubleToInt64Bits x

    testList
        "every width"
        [
            test "hypot, logaddexp, logaddexp2 and atan2: the scalar width's bits at every width" {
                let a, b = values 1, values 2

                for name, map in
                    [
                        "hypot",
                        (fun w (d: float[]) ->
                            FuncGrad.Kernels.Fused.Map<float, FuncGrad.Kernels.HypotV>(
                                w,
                                ReadOnlySpan a,
                                ReadOnlySpan b,
                                Span d
                            ))
                        "logaddexp",
                        (fun w d ->
                            FuncGrad.Kernels.Fused.Map<float, FuncGrad.Kernels.LogaddexpV>(
                                w,
                                ReadOnlySpan a,
                                ReadOnlySpan b,
                                Span d
                            ))
                        "logaddexp2",
                        (fun w d ->
                            FuncGrad.Kernels.Fused.Map<float, FuncGrad.Kernels.Logaddexp2V>(
                                w,
                                ReadOnlySpan a,
                                ReadOnlySpan b,
                                Span d
                            ))
                        "atan2 (float32's formula)",
                        (fun w d ->
                            FuncGrad.Kernels.Fused.Map<float, FuncGrad.Kernels.Atan2V>(
                                w,
                                ReadOnlySpan a,
                                ReadOnlySpan b,
                                Span d
                            ))
                    ] do
                    let scalar = Array.zeroCreate n
                    map FuncGrad.Kernels.Width.Scalar scalar

                    for w in
                        [
                            FuncGrad.Kernels.Width.V512
                            FuncGrad.Kernels.Width.V256
                            FuncGrad.Kernels.Width.V128
                        ] do
                        let d = Array.zeroCreate n
                        map w d
                        Expect.sequenceEqual (Array.map key d) (Array.map key scalar) $"{name} at {w}"
            }
            test "the one-pass backward of atan2: the scalar width's bits at every width" {
                let g, a, b, y = values 3, values 4, values 5, values 6

                let run w =
                    let da, db = Array.zeroCreate n, Array.zeroCreate n

                    FuncGrad.Kernels.Chain2.Map<Tensor.Atan2ChainF, float>(
                        w,
                        ReadOnlySpan g,
                        ReadOnlySpan a,
                        ReadOnlySpan b,
                        ReadOnlySpan y,
                        Span da,
                        Span db
                    )

                    Array.append da db |> Array.map key

                let scalar = run FuncGrad.Kernels.Width.Scalar

                for w in
                    [
                        FuncGrad.Kernels.Width.V512
                        FuncGrad.Kernels.Width.V256
                        FuncGrad.Kernels.Width.V128
                    ] do
                    Expect.sequenceEqual (run w) scalar $"atan2 at {w}"
            }
        ]

[<Tests>]
let tests =
    testList
        "binary math"
        [
            testList
                "accuracy"
                [
                    within "atan2" 1.0 1.0 (two (fun a b -> a.Atan2 b))
                    within "hypot" 1.0 1.0 (two (fun a b -> a.Hypot b))
                    within "fmod" 0.0 0.0 (two (fun a b -> a.Fmod b))
                    within "remainder" 0.0 0.0 (two (fun a b -> a.Remainder b))
                    test "logaddexp and logaddexp2 are within 2 ulps (near zeros, of the larger argument)" {
                        for name, f in
                            [
                                "logaddexp", two (fun a b -> a.Logaddexp b)
                                "logaddexp2", two (fun a b -> a.Logaddexp2 b)
                            ] do
                            let (w64, r64, y64), (w32, r32, y32) =
                                measureBy ulpsOfArguments (fun _ _ -> true) name f

                            Expect.isLessThanOrEqual
                                w64
                                2.0
                                $"{name} float64: {w64} at %A{r64.Args} (got {y64:R}, reference {r64.Value:R})"

                            Expect.isLessThanOrEqual
                                w32
                                1.0
                                $"{name} float32: {w32} at %A{r32.Args} (got {y32:R}, reference {r32.Value:R})"
                    }
                    within "xlogy" 1.0 1.0 (two (fun a b -> a.Xlogy b))
                    within "xlog1py" 2.0 1.0 (two (fun a b -> a.Xlog1py b))
                    withinWhere productsInRange "pow3" 2.0 2.0 (fun xs -> xs.Head.Pow 3.0)
                    withinWhere productsInRange "pow4" 2.0 2.0 (fun xs -> xs.Head.Pow 4.0)
                    withinWhere productsInRange "pow-2" 2.0 2.0 (fun xs -> xs.Head.Pow -2.0)
                ]
            testList
                "conventions"
                [
                    test "atan2 keeps the signs of zeros: atan2(±0, +0) = ±0, atan2(±0, −0) = ±π" {
                        same
                            "atan2"
                            ((vec [ 0.0; -0.0; 0.0; -0.0 ]).Atan2(vec [ 0.0; 0.0; -0.0; -0.0 ]))
                            [ 0.0; -0.0; Math.PI; -Math.PI ]
                    }
                    test "atan2's and hypot's derivatives are NaN at (0, 0), finite elsewhere" {
                        for name, f in
                            [
                                "atan2", (fun (a: Tensor) b -> a.Atan2 b)
                                "hypot", (fun (a: Tensor) b -> a.Hypot b)
                            ] do
                            let da, db = grads f (vec [ 0.0; 3.0 ]) (vec [ 0.0; 4.0 ])
                            Expect.isTrue (Double.IsNaN(da.ToArray()[0]) && Double.IsNaN(db.ToArray()[0])) name
                            Expect.isTrue (Double.IsFinite(da.ToArray()[1]) && Double.IsFinite(db.ToArray()[1])) name
                    }
                    test "hypot(±inf, NaN) = +inf" {
                        same
                            "hypot"
                            ((vec [ infinity; nan; -infinity ]).Hypot(vec [ nan; -infinity; 1.0 ]))
                            [ infinity; infinity; infinity ]
                    }
                    test "fmod has the dividend's sign, remainder the divisor's" {
                        let a, b = vec [ -7.0; 7.0; -6.0; 6.0 ], vec [ 3.0; -3.0; 3.0; -3.0 ]
                        same "fmod" (a.Fmod b) [ -1.0; 1.0; -0.0; 0.0 ]
                        same "remainder" (a.Remainder b) [ 2.0; -2.0; 0.0; -0.0 ]
                        same "fmod by 0 and by inf" ((vec [ 5.0; 5.0 ]).Fmod(vec [ 0.0; infinity ])) [ nan; 5.0 ]
                    }
                    test "copysign reads the sign bit (−0 is negative); its gradient is ±1 for a, 0 at a = 0, 0 for b" {
                        same "copysign" ((vec [ 2.0; -2.0; 0.0 ]).Copysign(vec [ -0.0; 0.0; -1.0 ])) [ -2.0; 2.0; -0.0 ]

                        let da, db =
                            grads (fun a b -> a.Copysign b) (vec [ 2.0; -2.0; 0.0 ]) (vec [ -1.0; -1.0; 1.0 ])

                        same "∂/∂a" da [ -1.0; 1.0; 0.0 ]
                        same "∂/∂b" db [ 0.0; 0.0; 0.0 ]
                    }
                    test "logaddexp of equal infinities is that infinity; of equal values, the value + log 2" {
                        let a = vec [ -infinity; infinity; 3.0 ]
                        same "logaddexp" (a.Logaddexp a) [ -infinity; infinity; 3.0 + Math.Log 2.0 ]
                        same "logaddexp2" (a.Logaddexp2 a) [ -infinity; infinity; 4.0 ]
                        same "logaddexp(−inf, x)" ((vec [ -infinity ]).Logaddexp(vec [ -2.5 ])) [ -2.5 ]
                    }
                    test "xlogy and xlog1py are 0 where x = 0 unless y is NaN" {
                        let x, y = vec [ 0.0; 0.0; 0.0; 0.0; -0.0 ], vec [ 0.0; infinity; -1.0; nan; 2.0 ]
                        same "xlogy" (x.Xlogy y) [ 0.0; 0.0; 0.0; nan; 0.0 ]
                        same "xlog1py" (x.Xlog1py y) [ 0.0; 0.0; 0.0; nan; 0.0 ]
                        same "number forms" (Tensor.Xlogy(0.0, vec [ 0.0 ])) [ 0.0 ]
                    }
                    test "xlogy's gradient at x = 0: 0 for x; x/y for y (0 for y > 0, NaN at y = 0)" {
                        let dx, dy =
                            grads (fun a b -> a.Xlogy b) (vec [ 0.0; 0.0; 2.0 ]) (vec [ 2.0; 0.0; 4.0 ])

                        same "∂/∂x" dx [ 0.0; 0.0; Math.Log 4.0 ]
                        same "∂/∂y" dy [ 0.0; nan; 0.5 ]
                        let dx1, dy1 = grads (fun a b -> a.Xlog1py b) (vec [ 0.0; 2.0 ]) (vec [ -1.0; 1.0 ])
                        same "xlog1py ∂/∂x" dx1 [ 0.0; Math.Log 2.0 ]
                        same "xlog1py ∂/∂y" dy1 [ nan; 1.0 ]
                    }
                    test "clamp's gradient goes to x where min ≤ x ≤ max, ends included; NaN stays NaN" {
                        let x = vec [ -1.0; 0.0; 0.5; 1.0; 2.0; nan ]
                        same "clamp" (x.Clamp(Nullable 0.0, Nullable 1.0)) [ 0.0; 0.0; 0.5; 1.0; 1.0; nan ]

                        same
                            "clamp'"
                            (Autodiff.Grad((fun (x: Tensor) -> x.Clamp(Nullable 0.0, Nullable 1.0).Sum()), x))
                            [ 0.0; 1.0; 1.0; 1.0; 0.0; 0.0 ]
                    }
                    test "clamp with min > max gives max everywhere and no gradient to x" {
                        let x = vec [ -1.0; 0.5; 2.0 ]
                        same "clamp" (x.Clamp(Nullable 1.0, Nullable 0.0)) [ 0.0; 0.0; 0.0 ]

                        same
                            "clamp'"
                            (Autodiff.Grad((fun (x: Tensor) -> x.Clamp(Nullable 1.0, Nullable 0.0).Sum()), x))
                            [ 0.0; 0.0; 0.0 ]
                    }
                    test "clamp between tensors: each element's gradient goes to exactly one of x, min and max" {
                        let x, lo, hi =
                            vec [ -1.0; 0.0; 0.5; 1.0; 2.0; 0.5 ],
                            vec [ 0.0; 0.0; 0.0; 0.0; 0.0; 1.0 ],
                            vec [ 1.0; 1.0; 1.0; 1.0; 1.0; 0.0 ]

                        same "clamp" (x.Clamp(lo, hi)) [ 0.0; 0.0; 0.5; 1.0; 1.0; 0.0 ]

                        match
                            reverse
                                (fun xs ->
                                    (match xs with
                                     | [ a; b; c ] -> a.Clamp(b, c)
                                     | _ -> failwith "three")
                                        .Sum())
                                [ x; lo; hi ]
                                (Tensor.Scalar 1.0)
                        with
                        | [ dx; dlo; dhi ] ->
                            same "to x" dx [ 0.0; 1.0; 1.0; 1.0; 0.0; 0.0 ]
                            same "to min" dlo [ 1.0; 0.0; 0.0; 0.0; 0.0; 0.0 ]
                            same "to max" dhi [ 0.0; 0.0; 0.0; 0.0; 1.0; 1.0 ]
                        | _ -> failtest "three gradients"
                    }
                    test "lerp is exact at weights 0 and 1, and its derivatives are 1 − w, w and end − start" {
                        let rng = Random 5

                        let s, e =
                            Tensor.RandomNormal([| 37 |], rng), Tensor.RandomNormal([| 37 |], rng) * 1e3

                        bitwise "w = 0" s (s.Lerp(e, 0.0))
                        bitwise "w = 1" e (s.Lerp(e, 1.0))
                        bitwise "w = 1 as a tensor" e (s.Lerp(e, Tensor.Ones([| 37 |])))
                        let w = vec [ 0.25; 0.75 ]

                        match
                            reverse
                                (fun xs ->
                                    (match xs with
                                     | [ a; b; c ] -> a.Lerp(b, c)
                                     | _ -> failwith "three")
                                        .Sum())
                                [ vec [ 1.0; 1.0 ]; vec [ 3.0; 5.0 ]; w ]
                                (Tensor.Scalar 1.0)
                        with
                        | [ ds; de; dw ] ->
                            same "∂/∂start" ds [ 0.75; 0.25 ]
                            same "∂/∂end" de [ 0.25; 0.75 ]
                            same "∂/∂weight" dw [ 2.0; 4.0 ]
                        | _ -> failtest "three gradients"
                    }
                    test "whole powers have the bits of the products written out, at every length and in both dtypes" {
                        let rng = Random 3

                        for n in [ 1; 3; 8; 17; 64; 101 ] do
                            for dtype in [ DType.Float64; DType.Float32 ] do
                                let x = (Tensor.RandomNormal([| n |], rng) * 3.0).ToDType dtype
                                bitwise $"x^2, {n}" (x * x) (x.Pow 2.0)
                                bitwise $"x^3, {n}" (x * x * x) (x.Pow 3.0)
                                bitwise $"x^4, {n}" ((x * x) * (x * x)) (x.Pow 4.0)
                                bitwise $"x^-1, {n}" (x.Reciprocal()) (x.Pow -1.0)
                                bitwise $"x^-2, {n}" ((x * x).Reciprocal()) (x.Pow -2.0)
                                bitwise $"x^1, {n}" x (x.Pow 1.0)
                                bitwise $"x^0, {n}" (Tensor.Ones([| n |]).ToDType dtype) (x.Pow 0.0)
                    }
                    test "x^0 is 1 also at NaN and infinities, as IEEE's pow" {
                        same "x^0" ((vec [ nan; infinity; 0.0 ]).Pow 0.0) [ 1.0; 1.0; 1.0 ]
                    }
                ]
            onePassBackward
            everyWidth
            testList
                "errors"
                [
                    test "an integer argument is refused by name" {
                        let e =
                            raises<DTypeMismatchException> "atan2 of int64" (fun () ->
                                Tensor.FromArray([| 1L; 2L |]).Atan2(Tensor.FromArray([| 1L; 2L |])) |> ignore)

                        Expect.stringContains e.Message "Atan2" "names the op"
                        Expect.stringContains e.Message "ToDType" "says what to do"
                    }
                    test "mixed dtypes are refused by name" {
                        let e =
                            raises<DTypeMismatchException> "hypot of float32 and float64" (fun () ->
                                (vec [ 1.0 ]).ToDType(DType.Float32).Hypot(vec [ 1.0 ]) |> ignore)

                        Expect.stringContains e.Message "Hypot" "names the op"

                        let e =
                            raises<DTypeMismatchException> "lerp of float32 and float64" (fun () ->
                                (vec [ 1.0 ]).ToDType(DType.Float32).Lerp(vec [ 1.0 ], 0.5) |> ignore)

                        Expect.stringContains e.Message "lerp" "names the op"
                    }
                    test "lerp's three shapes must broadcast" {
                        let e =
                            raises<ShapeMismatchException> "lerp [3] [4]" (fun () ->
                                (vec [ 1.0; 2.0; 3.0 ]).Lerp(vec [ 1.0; 2.0; 3.0; 4.0 ], 0.5) |> ignore)

                        Expect.stringContains e.Message "lerp" "names the op"
                    }
                    test "clamp needs a bound" {
                        let e =
                            raises<ArgumentException> "clamp of numbers" (fun () ->
                                (vec [ 1.0 ]).Clamp(Nullable(), Nullable()) |> ignore)

                        Expect.stringContains e.Message "clamp" "names the op"

                        let e =
                            raises<ArgumentException> "clamp of tensors" (fun () ->
                                (vec [ 1.0 ]).Clamp((null: Tensor), (null: Tensor)) |> ignore)

                        Expect.stringContains e.Message "at least one bound" "says what to do"
                    }
                ]
        ]
