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
                                "Erfinv", (fun () -> i.Erfinv() |> ignore)
                                "Ndtri", (fun () -> i.Ndtri() |> ignore)
                            ] do
                            let e = raises<DTypeMismatchException> name f
                            Expect.stringContains e.Message name name
                            Expect.stringContains e.Message "int64" name
                    }
                ]
        ]
