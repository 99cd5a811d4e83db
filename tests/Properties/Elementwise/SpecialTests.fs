/// The special functions (Ops/Special.cs): accuracy in ulps against the mpmath tables of Reference/special.py and
/// inv.py in float64 and float32, the bits of every vector width against the scalar formula, the conventions of
/// docs/conventions.md ("Special functions") and the errors. Derivatives, vmap and compile are the rows "erf",
/// "erfc", "ndtr"... of OpSpec.fs.
module Elementwise.SpecialTests

open System
open Expecto
open FuncGrad
open FuncGrad.Kernels
open FuncGrad.Kernels.Special
open Reference
open Support.Check

/// One op: its table, the method, and the ulp bounds its XML doc states (float64, float32).
type private Case =
    {
        Table: string
        F: Tensor -> Tensor
        Ulps64: float
        Ulps32: float
        /// Every width's kernel, float64 then float32, for the determinism check.
        Widths: (Width -> float[] -> float[]) * (Width -> float32[] -> float32[])
    }

let private widths<'F when 'F :> IFormula1 and 'F: struct and 'F: (new: unit -> 'F) and 'F :> ValueType> =
    (fun (w: Width) (x: float[]) ->
        let y = Array.zeroCreate x.Length
        VectorMath.Map<float, 'F>(w, ReadOnlySpan x, Span y)
        y),
    (fun (w: Width) (x: float32[]) ->
        let y = Array.zeroCreate x.Length
        VectorMath.Map<float32, 'F>(w, ReadOnlySpan x, Span y)
        y)

let private cases =
    [
        {
            Table = "erf"
            F = fun x -> x.Erf()
            Ulps64 = 2.0
            Ulps32 = 3.0
            Widths = widths<ErfF>
        }
        {
            Table = "erfc"
            F = fun x -> x.Erfc()
            Ulps64 = 4.0
            Ulps32 = 4.0
            Widths = widths<ErfcF>
        }
        {
            Table = "ndtr"
            F = fun x -> x.Ndtr()
            // 3 measured with fused multiply-adds, 5 without (the ISA matrix's no-avx2 and scalar settings)
            Ulps64 = 5.0
            Ulps32 = 5.0
            Widths = widths<NdtrF>
        }
        {
            Table = "log_ndtr"
            F = fun x -> x.LogNdtr()
            Ulps64 = 5.0
            Ulps32 = 6.0
            Widths = widths<LogNdtrF>
        }
        // bessel (tables of Reference/bessel.py): float64 maxima measured without fused multiply-adds (with them: 2, 3,
        // 2, 2), float32 measured 2 at every setting, with a margin of one
        {
            Table = "i0"
            F = fun x -> x.I0()
            Ulps64 = 3.0
            Ulps32 = 3.0
            Widths = widths<I0F>
        }
        {
            Table = "i0e"
            F = fun x -> x.I0e()
            // 3 measured with fused multiply-adds, 4 without (the ISA matrix's no-avx2 and scalar settings)
            Ulps64 = 4.0
            Ulps32 = 3.0
            Widths = widths<I0eF>
        }
        {
            Table = "i1"
            F = fun x -> x.I1()
            Ulps64 = 3.0
            Ulps32 = 3.0
            Widths = widths<I1F>
        }
        {
            Table = "i1e"
            F = fun x -> x.I1e()
            Ulps64 = 3.0
            Ulps32 = 3.0
            Widths = widths<I1eF>
        }
        {
            Table = "erfinv"
            F = fun x -> x.Erfinv()
            // measured 1 and 2 with fused multiply-adds, 1 and 1 without; 2 and 2 over 5,000 points
            Ulps64 = 3.0
            Ulps32 = 3.0
            Widths = widths<ErfinvF>
        }
        {
            Table = "ndtri"
            F = fun x -> x.Ndtri()
            // measured 2 and 3 with fused multiply-adds, 2 and 2 without; 3 and 3 over 3,850 points
            Ulps64 = 4.0
            Ulps32 = 4.0
            Widths = widths<NdtriF>
        }
    ]

/// The largest ulp distance over a table and the argument where it is reached, in float64 and in float32 (rows whose
/// argument is a float32 only).
let private measure (c: Case) =
    let rows = Tables.load c.Table
    let xs = rows |> Array.map (fun r -> r.Args[0])
    let y64 = (c.F(Tensor.FromArray xs)).ToArray()

    let worst64 =
        Array.map2 (fun (r: Tables.Row) y -> Tables.ulps64 y r.Value, r.Args[0]) rows y64
        |> Array.maxBy fst

    let rows32 =
        rows
        |> Array.filter (fun r -> Double.IsNaN r.Args[0] || float (float32 r.Args[0]) = r.Args[0])

    let x32 = rows32 |> Array.map (fun r -> r.Args[0])
    let y32 = (c.F((Tensor.FromArray x32).ToDType DType.Float32)).ToArray()

    let worst32 =
        Array.map2 (fun (r: Tables.Row) y -> Tables.ulps32 (float32 y) r.Value, r.Args[0]) rows32 y32
        |> Array.maxBy fst

    worst64, worst32, rows32.Length

let private scalar (f: Tensor -> Tensor) (x: float) = (f (Tensor.Scalar x)).Item()

let private isNegativeZero (v: float) =
    v = 0.0 && BitConverter.DoubleToInt64Bits v <> 0L

let private derivative (f: Tensor -> Tensor) (x: float) =
    let g = Autodiff.Grad((fun (t: Tensor) -> f t), Tensor.Scalar x)
    g.Item()

[<Tests>]
let tests =
    testList
        "special functions"
        [
            testList
                "accuracy against mpmath"
                [
                    for c in cases ->
                        test $"{c.Table} within {c.Ulps64} ulps (float64) and {c.Ulps32} ulps (float32)" {
                            let (u64, at64), (u32, at32), n32 = measure c
                            Expect.isGreaterThan n32 200 "enough float32 rows"
                            Expect.isLessThanOrEqual u64 c.Ulps64 $"{c.Table} float64: {u64} ulps at x = {at64:R}"
                            Expect.isLessThanOrEqual u32 c.Ulps32 $"{c.Table} float32: {u32} ulps at x = {at32:R}"
                        }
                ]

            testList
                "every width gives the scalar formula's bits"
                [
                    for c in cases ->
                        test c.Table {
                            // the first 67 rows, and 67 more from the end (the inverse functions' tails and seams)
                            let all = Tables.load c.Table |> Array.map (fun r -> r.Args[0])

                            let xs =
                                Array.append (Array.truncate 67 all) (Array.skip (max 67 (all.Length - 67)) all)

                            let w64, w32 = c.Widths
                            let x32 = Array.map float32 xs
                            let s64 = w64 Width.Scalar xs
                            let s32 = w32 Width.Scalar x32

                            for w in [ Width.V512; Width.V256; Width.V128 ] do
                                Expect.sequenceEqual
                                    (w64 w xs |> Array.map BitConverter.DoubleToInt64Bits)
                                    (s64 |> Array.map BitConverter.DoubleToInt64Bits)
                                    $"{c.Table} float64 at {w}"

                                Expect.sequenceEqual
                                    (w32 w x32 |> Array.map BitConverter.SingleToInt32Bits)
                                    (s32 |> Array.map BitConverter.SingleToInt32Bits)
                                    $"{c.Table} float32 at {w}"
                        }
                ]

            testList
                "conventions"
                [
                    test "erf keeps the sign of zero, is ±1 at ±inf and NaN at NaN; its derivative is 0 at ±inf" {
                        Expect.isTrue (isNegativeZero (scalar (fun x -> x.Erf()) -0.0)) "erf(−0) = −0"
                        Expect.equal (scalar (fun x -> x.Erf()) infinity) 1.0 "erf(inf)"
                        Expect.equal (scalar (fun x -> x.Erf()) -infinity) -1.0 "erf(−inf)"
                        Expect.isTrue (Double.IsNaN(scalar (fun x -> x.Erf()) nan)) "erf(NaN)"
                        Expect.equal (derivative (fun x -> x.Erf()) infinity) 0.0 "erf'(inf)"
                        Expect.equal (derivative (fun x -> x.Erf()) 0.0) (2.0 / sqrt Math.PI) "erf'(0) = 2/√π"
                    }
                    test "erfc is 0 at +inf and 2 at −inf, and underflows to 0 past 27.3 (float64), 10.1 (float32)" {
                        Expect.equal (scalar (fun x -> x.Erfc()) infinity) 0.0 "erfc(inf)"
                        Expect.equal (scalar (fun x -> x.Erfc()) -infinity) 2.0 "erfc(−inf)"
                        Expect.isGreaterThan (scalar (fun x -> x.Erfc()) 27.2) 0.0 "erfc(27.2) > 0"
                        Expect.equal (scalar (fun x -> x.Erfc()) 27.5) 0.0 "erfc(27.5)"

                        let e32 (x: float) =
                            Tensor.Scalar(x, DType.Float32).Erfc().Item()

                        Expect.isGreaterThan (e32 10.0) 0.0 "float32 erfc(10) > 0"
                        Expect.equal (e32 10.2) 0.0 "float32 erfc(10.2)"
                        Expect.equal (derivative (fun x -> x.Erfc()) -infinity) 0.0 "erfc'(−inf)"
                    }
                    test "log_ndtr: −inf at −inf, 0 at inf, −log 2 at 0, −inf past overflow, finite tail slope" {
                        let f (x: Tensor) = x.LogNdtr()
                        Expect.equal (scalar f -infinity) -infinity "log_ndtr(−inf)"
                        Expect.equal (scalar f infinity) 0.0 "log_ndtr(inf)"
                        Expect.equal (scalar f 0.0) -0.6931471805599453 "log_ndtr(0) = −log 2, rounded"
                        Expect.equal (scalar f -1e200) -infinity "log_ndtr(−1e200) = −5e399 rounds to −inf"
                        Expect.isTrue (Double.IsNaN(scalar f nan)) "log_ndtr(NaN)"
                        // φ(−30)/Φ(−30) from mpmath at 50 digits
                        Expect.floatClose Accuracy.veryHigh (derivative f -30.0) 30.033259667433676 "log_ndtr'(−30)"
                    }
                    test "ndtr is 0 at −inf, 1 at +inf, ½ at 0, NaN at NaN; its derivative is the normal density" {
                        Expect.equal (scalar (fun x -> x.Ndtr()) -infinity) 0.0 "ndtr(−inf)"
                        Expect.equal (scalar (fun x -> x.Ndtr()) infinity) 1.0 "ndtr(inf)"
                        Expect.equal (scalar (fun x -> x.Ndtr()) 0.0) 0.5 "ndtr(0)"
                        Expect.isTrue (Double.IsNaN(scalar (fun x -> x.Ndtr()) nan)) "ndtr(NaN)"
                        Expect.equal (derivative (fun x -> x.Ndtr()) 0.0) (1.0 / sqrt (2.0 * Math.PI)) "ndtr'(0)"
                        Expect.equal (derivative (fun x -> x.Ndtr()) -infinity) 0.0 "ndtr'(−inf)"
                    }
                    test "i0 and i1: 1 and ±0 at ±0, +inf and ±inf at ±inf, overflow past 713.99 (float64), 91.9" {
                        let i0 = scalar (fun x -> x.I0())
                        let i1 = scalar (fun x -> x.I1())
                        Expect.equal (i0 0.0) 1.0 "i0(0)"
                        Expect.equal (i0 -0.0) 1.0 "i0(−0)"
                        Expect.isTrue (isNegativeZero (i1 -0.0)) "i1(−0) = −0"
                        Expect.equal (i1 0.0) 0.0 "i1(0)"
                        Expect.equal (i0 infinity) infinity "i0(inf)"
                        Expect.equal (i0 -infinity) infinity "i0(−inf)"
                        Expect.equal (i1 infinity) infinity "i1(inf)"
                        Expect.equal (i1 -infinity) -infinity "i1(−inf)"
                        Expect.isTrue (Double.IsNaN(i0 nan) && Double.IsNaN(i1 nan)) "NaN"
                        // from mpmath: I0 passes the largest float64 at 713.9869, I1 at 713.9876;
                        // float32: 91.9008, 91.9063
                        Expect.isLessThan (i0 713.98) infinity "i0(713.98) finite"
                        Expect.equal (i0 714.0) infinity "i0(714)"
                        Expect.equal (i1 -714.0) -infinity "i1(−714)"

                        let f32 (f: Tensor -> Tensor) (x: float) =
                            (f (Tensor.Scalar(x, DType.Float32))).Item()

                        Expect.isLessThan (f32 (fun x -> x.I0()) 91.8) infinity "float32 i0(91.8) finite"
                        Expect.equal (f32 (fun x -> x.I0()) 92.0) infinity "float32 i0(92)"
                    }
                    test "i0e and i1e: finite everywhere, 1 and ±0 at ±0, +0 and ±0 at ±inf" {
                        let i0e = scalar (fun x -> x.I0e())
                        let i1e = scalar (fun x -> x.I1e())
                        Expect.equal (i0e 0.0) 1.0 "i0e(0)"
                        Expect.isTrue (isNegativeZero (i1e -0.0)) "i1e(−0) = −0"
                        Expect.equal (i0e infinity) 0.0 "i0e(inf)"
                        Expect.equal (i0e -infinity) 0.0 "i0e(−inf)"
                        Expect.equal (i1e infinity) 0.0 "i1e(inf)"
                        Expect.isTrue (isNegativeZero (i1e -infinity)) "i1e(−inf) = −0"
                        Expect.isTrue (Double.IsNaN(i0e nan) && Double.IsNaN(i1e nan)) "NaN"
                        // 1/√(2π·10³⁰⁰)·(1 + 1/(8·10³⁰⁰)), rounded
                        let expected = 1.0 / sqrt (2.0 * Math.PI * 1e300)
                        Expect.floatClose Accuracy.veryHigh (i0e 1e300) expected "i0e(1e300)"
                    }
                    test "bessel derivatives: i1'(0) = i1e'(0) = ½, i0e'(0) = 0, i1' = inf past overflow" {
                        let d (f: Tensor -> Tensor) x = derivative f x
                        Expect.equal (d (fun x -> x.I0()) 0.0) 0.0 "i0'(0) = i1(0)"
                        Expect.equal (d (fun x -> x.I1()) 0.0) 0.5 "i1'(0)"
                        Expect.equal (d (fun x -> x.I1()) -0.0) 0.5 "i1'(−0)"
                        Expect.equal (d (fun x -> x.I1e()) 0.0) 0.5 "i1e'(0)"
                        Expect.equal (d (fun x -> x.I0e()) 0.0) 0.0 "i0e'(0), PyTorch's"
                        Expect.equal (d (fun x -> x.I1()) 714.0) infinity "i1'(714)"
                        Expect.equal (d (fun x -> x.I1()) -infinity) infinity "i1'(−inf)"
                        Expect.equal (d (fun x -> x.I1e()) infinity) 0.0 "i1e'(inf)"
                        Expect.equal (d (fun x -> x.I0e()) infinity) 0.0 "i0e'(inf)"
                        // near 0, on both sides of the series' switch at 1/64: I0 − I1/x, I1'' = I1 − (I1/x)',
                        // from mpmath at 50 digits
                        Expect.floatClose Accuracy.veryHigh (d (fun x -> x.I1()) 0.01) 0.5000187501302087 "i1'(0.01)"
                        Expect.floatClose Accuracy.veryHigh (d (fun x -> x.I1()) 0.02) 0.5000750020833576 "i1'(0.02)"

                        let second (f: Tensor -> Tensor) (x: float) =
                            Autodiff.Grad((fun (t: Tensor) -> Autodiff.Grad(f, t)), Tensor.Scalar x).Item()

                        Expect.floatClose Accuracy.veryHigh (second (fun x -> x.I1()) 0.0) 0.0 "i1''(0)"
                        Expect.floatClose Accuracy.high (second (fun x -> x.I1()) 0.01) 0.0037500520835612 "i1''(0.01)"
                        Expect.floatClose Accuracy.high (second (fun x -> x.I1()) 0.02) 0.0075004166739584 "i1''(0.02)"
                    }
                ]

            testList
                "inverse functions"
                [
                    test "erfinv is ±inf at ±1, keeps −0, is NaN outside [−1, 1]; its derivative is inf at ±1" {
                        let f (x: Tensor) = x.Erfinv()
                        Expect.equal (scalar f 1.0) infinity "erfinv(1)"
                        Expect.equal (scalar f -1.0) -infinity "erfinv(−1)"
                        Expect.isTrue (isNegativeZero (scalar f -0.0)) "erfinv(−0) = −0"
                        Expect.equal (scalar f 0.0) 0.0 "erfinv(0)"

                        for x in [ 1.0000000000000002; -1.5; infinity; -infinity; nan ] do
                            Expect.isTrue (Double.IsNaN(scalar f x)) $"erfinv({x}) is NaN"

                        Expect.equal (derivative f 1.0) infinity "erfinv'(1)"
                        Expect.equal (derivative f -1.0) infinity "erfinv'(−1)"
                        Expect.floatClose Accuracy.veryHigh (derivative f 0.0) (sqrt Math.PI / 2.0) "erfinv'(0) = √π/2"

                        let e32 (x: float) =
                            Tensor.Scalar(x, DType.Float32).Erfinv().Item()

                        Expect.equal (e32 1.0) infinity "float32 erfinv(1)"
                        Expect.isTrue (Double.IsNaN(e32 1.5)) "float32 erfinv(1.5)"
                    }
                    test "ndtri is −inf at 0, +inf at 1, 0 at ½, NaN outside [0, 1]; its derivative is inf at 0 and 1" {
                        let f (x: Tensor) = x.Ndtri()
                        Expect.equal (scalar f 0.0) -infinity "ndtri(0)"
                        Expect.equal (scalar f -0.0) -infinity "ndtri(−0)"
                        Expect.equal (scalar f 1.0) infinity "ndtri(1)"
                        Expect.equal (scalar f 0.5) 0.0 "ndtri(½)"

                        for x in [ -5e-324; 1.0000000000000002; infinity; -infinity; nan ] do
                            Expect.isTrue (Double.IsNaN(scalar f x)) $"ndtri({x}) is NaN"

                        Expect.equal (derivative f 0.0) infinity "ndtri'(0)"
                        Expect.equal (derivative f 1.0) infinity "ndtri'(1)"
                        Expect.floatClose Accuracy.veryHigh (derivative f 0.5) (sqrt (2.0 * Math.PI)) "ndtri'(½)"
                    }
                    test "they invert erf and ndtr, and their derivatives are one over erf's and ndtr's" {
                        let xs = Tensor.FromArray [| -0.999; -0.6; -1e-3; 0.2; 0.7; 0.9999 |]
                        let ps = Tensor.FromArray [| 1e-250; 1e-20; 0.01; 0.3; 0.5; 0.8; 0.99999 |]

                        for r, x in Array.zip (xs.Erfinv().Erf().ToArray()) (xs.ToArray()) do
                            Expect.floatClose Accuracy.veryHigh r x $"erf(erfinv({x}))"

                        let roundTrip = ps.Ndtri().Ndtr().ToArray()

                        for r, p in Array.zip roundTrip (ps.ToArray()) do
                            Expect.floatClose Accuracy.veryHigh (r / p) 1.0 $"ndtr(ndtri({p})) / {p}"

                        for x in [ -0.6; 0.2; 0.9999 ] do
                            let y = scalar (fun t -> t.Erfinv()) x
                            let slope = derivative (fun t -> t.Erf()) y
                            let d = derivative (fun t -> t.Erfinv()) x
                            Expect.floatClose Accuracy.veryHigh (d * slope) 1.0 $"at {x}"

                        for p in [ 1e-20; 0.3; 0.99999 ] do
                            let y = scalar (fun t -> t.Ndtri()) p
                            let slope = derivative (fun t -> t.Ndtr()) y
                            let d = derivative (fun t -> t.Ndtri()) p
                            Expect.floatClose Accuracy.veryHigh (d * slope) 1.0 $"at {p}"
                    }
                ]

            testList
                "errors"
                [
                    test "integer tensors are refused, naming the op and the dtype" {
                        let i = Tensor.FromArray [| 1L; 2L |]

                        for name, f in
                            [
                                "Erf", (fun () -> i.Erf() |> ignore)
                                "Erfc", (fun () -> i.Erfc() |> ignore)
                                "Ndtr", (fun () -> i.Ndtr() |> ignore)
                                "LogNdtr", (fun () -> i.LogNdtr() |> ignore)
                                "I0", (fun () -> i.I0() |> ignore)
                                "I0e", (fun () -> i.I0e() |> ignore)
                                "I1", (fun () -> i.I1() |> ignore)
                                "I1e", (fun () -> i.I1e() |> ignore)
                                "Erfinv", (fun () -> i.Erfinv() |> ignore)
                                "Ndtri", (fun () -> i.Ndtri() |> ignore)
                            ] do
                            let e = raises<DTypeMismatchException> name f
                            Expect.stringContains e.Message name name
                            Expect.stringContains e.Message "int64" name
                    }
                ]
        ]

// ---- the gamma family: Lgamma, Digamma, Polygamma(n) (Kernels/Special/Gamma.cs; tables of Reference/gamma.py) ----

/// One function of the gamma family: its table, the method, the bounds its XML doc states for x ≥ 0 (float64,
/// float32), and for x < 0, where the reflection formulas take a difference, the bound in ulps of max(|f(x)|, 1)
/// (lgamma, digamma: absolute near their negative zeros) or of f(x) itself (polygamma).
type private GammaCase =
    {
        Table: string
        F: Tensor -> Tensor
        Pos: float * float
        Neg: float * float
        /// For x < 0, measure against max(|f(x)|, 1) rather than f(x).
        AtLeastOne: bool
        Widths: (Width -> float[] -> float[]) * (Width -> float32[] -> float32[])
    }

let private polygammaWidths (n: int) =
    let k = PolygammaKernel.For n

    (fun (w: Width) (x: float[]) ->
        let y = Array.zeroCreate x.Length
        k.Run<float>(w, ReadOnlySpan x, Span y)
        y),
    (fun (w: Width) (x: float32[]) ->
        let y = Array.zeroCreate x.Length
        k.Run<float32>(w, ReadOnlySpan x, Span y)
        y)

let private gammaCases =
    [
        yield
            {
                Table = "lgamma"
                F = fun x -> x.Lgamma()
                // measured 3, 1 and 2, 2 at every ISA setting (fused multiply-adds or not)
                Pos = 4.0, 2.0
                Neg = 3.0, 3.0
                AtLeastOne = true
                Widths = widths<LgammaF>
            }
        yield
            {
                Table = "digamma"
                F = fun x -> x.Digamma()
                // measured 2, 2 and 4, 2
                Pos = 3.0, 3.0
                Neg = 5.0, 3.0
                AtLeastOne = true
                Widths = widths<DigammaF>
            }
        // for x ≥ 0 measured 3 at most (n = 6); for x < 0, 3, 4 (n = 1), 5, 6 (n = 2, 3), 8, 7 (n = 6)
        for n, neg64, neg32 in [ 1, 4.0, 5.0; 2, 6.0, 7.0; 3, 6.0, 7.0; 6, 9.0, 8.0 ] ->
            {
                Table = $"polygamma{n}"
                F = fun x -> x.Polygamma n
                Pos = 4.0, 4.0
                Neg = neg64, neg32
                AtLeastOne = false
                Widths = polygammaWidths n
            }
    ]

/// The error of y against the reference r in ulps of r, or of max(|r|, 1) where asked (x < 0).
let private gammaError (atLeastOne: bool) (x: float) (y: float) (r: float) (single: bool) =
    if atLeastOne && x < 0.0 && Double.IsFinite r && Double.IsFinite y && abs r < 1.0 then
        let ulp =
            if single then
                float (MathF.BitIncrement 1.0f - 1.0f)
            else
                Math.BitIncrement 1.0 - 1.0

        abs (y - r) / ulp
    elif single then
        Tables.ulps32 (float32 y) r
    else
        Tables.ulps64 y r

/// The worst errors for x ≥ 0 and x < 0, float64 then float32, each with its argument.
let private measureGamma (c: GammaCase) =
    let rows = Tables.load c.Table

    let worst (single: bool) (rows: Tables.Row[]) (ys: float[]) (negative: bool) =
        Array.map2 (fun (r: Tables.Row) y -> r, y) rows ys
        |> Array.filter (fun (r, _) -> (r.Args[0] < 0.0) = negative)
        |> Array.map (fun (r, y) -> gammaError c.AtLeastOne r.Args[0] y r.Value single, r.Args[0])
        |> Array.maxBy fst

    let y64 = (c.F(Tensor.FromArray(rows |> Array.map (fun r -> r.Args[0])))).ToArray()

    let rows32 =
        rows
        |> Array.filter (fun r -> Double.IsNaN r.Args[0] || float (float32 r.Args[0]) = r.Args[0])

    let y32 =
        (c.F((Tensor.FromArray(rows32 |> Array.map (fun r -> r.Args[0]))).ToDType DType.Float32)).ToArray()

    (worst false rows y64 false, worst true rows32 y32 false), (worst false rows y64 true, worst true rows32 y32 true)

[<Tests>]
let gammaTests =
    testList
        "special functions.gamma family"
        [
            testList
                "accuracy against mpmath"
                [
                    for c in gammaCases ->
                        test $"{c.Table} for x ≥ 0 within {c.Pos}, for x < 0 within {c.Neg} ulps (float64, float32)" {
                            let ((p64, at64), (p32, at32)), ((n64, nat64), (n32, nat32)) = measureGamma c
                            let b64, b32 = c.Pos
                            let nb64, nb32 = c.Neg
                            Expect.isLessThanOrEqual p64 b64 $"{c.Table} float64: {p64} ulps at x = {at64:R}"
                            Expect.isLessThanOrEqual p32 b32 $"{c.Table} float32: {p32} ulps at x = {at32:R}"
                            Expect.isLessThanOrEqual n64 nb64 $"{c.Table} float64: {n64} ulps at x = {nat64:R}"
                            Expect.isLessThanOrEqual n32 nb32 $"{c.Table} float32: {n32} ulps at x = {nat32:R}"
                        }
                ]

            testList
                "every width gives the scalar formula's bits"
                [
                    for c in gammaCases ->
                        test c.Table {
                            // every row that is a float32, so both dtypes see the same edges
                            let xs =
                                Tables.load c.Table
                                |> Array.map (fun r -> r.Args[0])
                                |> Array.filter (fun x -> Double.IsNaN x || float (float32 x) = x)
                                |> Array.truncate 131

                            let w64, w32 = c.Widths
                            let x32 = Array.map float32 xs
                            let s64 = w64 Width.Scalar xs
                            let s32 = w32 Width.Scalar x32

                            for w in [ Width.V512; Width.V256; Width.V128 ] do
                                Expect.sequenceEqual
                                    (w64 w xs |> Array.map BitConverter.DoubleToInt64Bits)
                                    (s64 |> Array.map BitConverter.DoubleToInt64Bits)
                                    $"{c.Table} float64 at {w}"

                                Expect.sequenceEqual
                                    (w32 w x32 |> Array.map BitConverter.SingleToInt32Bits)
                                    (s32 |> Array.map BitConverter.SingleToInt32Bits)
                                    $"{c.Table} float32 at {w}"
                        }
                ]

            testList
                "conventions"
                [
                    test "lgamma: +inf at the non-positive integers and ±inf, 0 at 1 and 2; its derivative is ψ" {
                        let f (x: Tensor) = x.Lgamma()

                        for x in [ 0.0; -0.0; -1.0; -2.0; -1e20; infinity; -infinity ] do
                            Expect.equal (scalar f x) infinity $"lgamma({x})"

                        Expect.isTrue (Double.IsNaN(scalar f nan)) "lgamma(NaN)"
                        Expect.equal (scalar f 1.0) 0.0 "lgamma(1)"
                        Expect.equal (scalar f 2.0) 0.0 "lgamma(2)"
                        // log √π and −γ, correctly rounded (mpmath)
                        Expect.equal (scalar f 0.5) 0.5723649429247001 "lgamma(½) = log √π"
                        Expect.equal (derivative f 1.0) -0.5772156649015329 "lgamma'(1) = ψ(1) = −γ"
                    }
                    test "digamma: −inf at +0, +inf at −0, NaN at the negative integers and −inf (PyTorch's values)" {
                        let f (x: Tensor) = x.Digamma()
                        Expect.equal (scalar f 0.0) -infinity "ψ(+0)"
                        Expect.equal (scalar f -0.0) infinity "ψ(−0)"

                        for x in [ -1.0; -2.0; -1e20; -infinity; nan ] do
                            Expect.isTrue (Double.IsNaN(scalar f x)) $"ψ({x})"

                        Expect.equal (scalar f infinity) infinity "ψ(inf)"
                        Expect.equal (scalar f 1.0) -0.5772156649015329 "ψ(1) = −γ"
                        // π²/6 rounded: ψ'(1) = ζ(2)
                        Expect.floatClose Accuracy.veryHigh (derivative f 1.0) 1.6449340668482264 "ψ'(1) = π²/6"
                    }
                    test "polygamma: n = 0 is digamma, the static form the instance one, ψ⁽ⁿ⁾(1) = (−1)ⁿ⁺¹n!ζ(n + 1)" {
                        let xs = Tensor.FromArray [| -2.5; -0.0; 0.0; 0.3; 1.0; 7.5; 1e5; infinity; nan |]
                        bitwise "polygamma(0) = digamma" (xs.Polygamma 0) (xs.Digamma())
                        bitwise "static form" (Tensor.Polygamma(2, xs)) (xs.Polygamma 2)
                        // π²/6, −2ζ(3), π⁴/15, correctly rounded (mpmath)
                        Expect.floatClose
                            Accuracy.veryHigh
                            (scalar (fun x -> x.Polygamma 1) 1.0)
                            1.6449340668482264
                            "ψ'(1)"

                        Expect.floatClose
                            Accuracy.veryHigh
                            (scalar (fun x -> x.Polygamma 2) 1.0)
                            -2.4041138063191885
                            "ψ''(1)"

                        Expect.floatClose
                            Accuracy.veryHigh
                            (scalar (fun x -> x.Polygamma 3) 1.0)
                            6.493939402266829
                            "ψ'''(1)"
                    }
                    test "polygamma: (−1)ⁿ⁺¹·inf at the non-positive integers (±0 too), NaN at −inf, ±0 at +inf" {
                        for n in [ 1; 2; 3; 4 ] do
                            let f (x: Tensor) = x.Polygamma n
                            let pole = if n % 2 = 1 then infinity else -infinity

                            for x in [ 0.0; -0.0; -1.0; -3.0; -1e20 ] do
                                Expect.equal (scalar f x) pole $"ψ^({n})({x})"

                            Expect.isTrue (Double.IsNaN(scalar f -infinity)) $"ψ^({n})(−inf)"
                            Expect.isTrue (Double.IsNaN(scalar f nan)) $"ψ^({n})(NaN)"
                            Expect.equal (scalar f infinity) 0.0 $"ψ^({n})(inf)"

                        // past n = 170, n! overflows: ψ⁽ⁿ⁾(1) = (−1)ⁿ⁺¹n!ζ(n + 1, 1) is ±inf (made at once, not in
                        // n² steps)
                        Expect.equal (scalar (fun x -> x.Polygamma 200) 1.0) -infinity "ψ^(200)(1)"
                        Expect.equal (scalar (fun x -> x.Polygamma 100001) 1.0) infinity "ψ^(100001)(1)"
                    }
                    test "the derivatives go through the family: lgamma → ψ → ψ' → ψ'' → ψ'''" {
                        let x = Tensor.FromArray [| -2.5; 0.25; 1.0; 3.5; 40.0 |]

                        let grad (f: Tensor -> Tensor) =
                            Autodiff.Grad((fun (t: Tensor) -> (f t).Sum()), x)

                        bitwise "lgamma'" (grad (fun t -> t.Lgamma())) (x.Digamma())
                        bitwise "digamma'" (grad (fun t -> t.Digamma())) (x.Polygamma 1)
                        bitwise "polygamma(1)'" (grad (fun t -> t.Polygamma 1)) (x.Polygamma 2)
                        bitwise "polygamma(2)'" (grad (fun t -> t.Polygamma 2)) (x.Polygamma 3)
                    }
                ]

            testList
                "errors"
                [
                    test "integer tensors are refused, naming the op and the dtype" {
                        let i = Tensor.FromArray [| 1L; 2L |]

                        for name, f in
                            [
                                "Lgamma", (fun () -> i.Lgamma() |> ignore)
                                "Digamma", (fun () -> i.Digamma() |> ignore)
                                "Polygamma", (fun () -> i.Polygamma 2 |> ignore)
                            ] do
                            let e = raises<DTypeMismatchException> name f
                            Expect.stringContains e.Message name name
                            Expect.stringContains e.Message "int64" name
                    }
                    test "a negative order is refused, naming the op and n" {
                        let e =
                            raises<ArgumentOutOfRangeException> "n = −1" (fun () ->
                                Tensor.FromArray([| 1.0 |]).Polygamma(-1) |> ignore)

                        Expect.stringContains e.Message "Polygamma" "the op"
                        Expect.stringContains e.Message "n = -1" "the order"
                    }
                ]
        ]
