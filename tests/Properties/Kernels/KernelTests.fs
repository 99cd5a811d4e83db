/// The kernels against plain scalar reference loops: elementwise maps and zips (through the public
/// Tensor API), Gemm, reductions and the strided gather/scatter. Every length from 1 to 70 is tried,
/// which covers the vector body and every tail length of Vector128/256/512 for float32 and float64.
module Kernels.KernelTests

#nowarn "51" // native pointers: the transposing packer takes raw buffers, as the GEMM hands them

open System
open Expecto
open FuncGrad
open FuncGrad.Kernels

let private lengths = [ 1..70 ]

let private uniform (rng: Random) (lo: float) (hi: float) n =
    Array.init n (fun _ -> lo + (hi - lo) * rng.NextDouble())

let private count (shape: int[]) = Array.fold (*) 1 shape
let private showShape (shape: int[]) = "[" + String.Join("x", shape) + "]"

let private specials = [| nan; infinity; -infinity; 0.0; -0.0 |]

/// A copy of v with special values in a few lanes; the lanes move with n and salt so that across
/// lengths they land in the vector body as well as in the scalar tail.
let private sprinkle (salt: int) (v: float[]) =
    let n = v.Length

    Array.init n (fun i ->
        if (i * 7 + n + salt) % 11 = 0 then
            specials[(i + salt) % specials.Length]
        else
            v[i])

/// Unit roundoff of each dtype: half the distance from 1 to the next number.
let private u64 = Math.Pow(2.0, -53.0)
let private u32 = Math.Pow(2.0, -24.0)

/// The distance from |x| to the next float32 up.
let private ulp32 (x: float32) =
    let a = abs x in float (MathF.BitIncrement a) - float a

/// a agrees with e: NaN with NaN, an infinity exactly, a finite value within atol + rtol·|e|.
let private agree64 rtol atol (a: float) (e: float) =
    if Double.IsNaN e then Double.IsNaN a
    elif Double.IsInfinity e then a = e
    else Double.IsFinite a && abs (a - e) <= atol + rtol * abs e

/// As agree64, with the relative part in units in the last place of the expected float32.
let private agree32 ulps atol (a: float32) (e: float32) =
    if Single.IsNaN e then
        Single.IsNaN a
    elif Single.IsInfinity e then
        a = e
    else
        Single.IsFinite a && abs (float a - float e) <= ulps * ulp32 e + atol

/// log(1 + x) by its Taylor series where |x| < 0.01 (twelve terms: truncation below 1e-24 relative)
/// and literally elsewhere (where forming 1 + x costs at most 2.2e-14 relative).
let private log1pRef (x: float) =
    if abs x < 0.01 then
        Seq.sum (seq { for k in 12..-1..1 -> (if k % 2 = 1 then 1.0 else -1.0) * x ** float k / float k })
    else
        Math.Log(1.0 + x)

/// eˣ − 1 by its Taylor series where |x| < 0.01 (ten terms) and literally elsewhere.
let private expm1Ref (x: float) =
    if abs x < 0.01 then
        Seq.sum (seq { for k in 10..-1..1 -> x ** float k / Seq.fold (*) 1.0 (seq { 1.0 .. float k }) })
    else
        Math.Exp x - 1.0

// ---------------------------------------------------------------------------------------------
// Elementwise functions of one argument
// ---------------------------------------------------------------------------------------------

type private Approx =
    {
        Name: string
        F: Tensor -> Tensor
        Ref: float -> float
        /// Draws one input.
        Draw: Random -> float
        Rtol64: float
        Atol64: float
        Ulps32: float
        Atol32: float
    }

let private between (lo: float) (hi: float) (rng: Random) = lo + (hi - lo) * rng.NextDouble()

/// ±10^e with e uniform in [lo, hi]: tiny and moderate magnitudes alike.
let private logUniform (lo: float) (hi: float) (rng: Random) =
    (if rng.Next 2 = 0 then -1.0 else 1.0) * 10.0 ** between lo hi rng

// float64 tolerances: 1e-12 relative, thousands of ulps, which any vectorised polynomial passes
// (they are within a few ulps) while a wrong coefficient, a lane mix-up or a bad tail is caught
// (those are off by 1e-8 or far more). float32 tolerances: 4 ulps of the result, against
// System.Math evaluated in float64 and rounded, which is within half an ulp of the true value.
let private approx =
    [
        {
            Name = "Exp"
            F = (fun t -> t.Exp())
            Ref = (fun x -> Math.Exp x)
            Draw = between -20.0 20.0
            Rtol64 = 1e-12
            Atol64 = 0.0
            Ulps32 = 4.0
            Atol32 = 0.0
        }
        // log crosses zero at 1, where only an absolute error makes sense: a few ulps of 1.
        {
            Name = "Log"
            F = (fun t -> t.Log())
            Ref = (fun x -> Math.Log x)
            Draw = between 1e-3 1e3
            Rtol64 = 1e-12
            Atol64 = 4.0 * u64
            Ulps32 = 4.0
            Atol32 = 4.0 * u32
        }
        // Documented accurate for small x: relative tolerance only, magnitudes down to 1e-12.
        {
            Name = "Log1p"
            F = (fun t -> t.Log1p())
            Ref = log1pRef
            Draw = logUniform -12.0 -0.1
            Rtol64 = 1e-12
            Atol64 = 0.0
            Ulps32 = 4.0
            Atol32 = 0.0
        }
        {
            Name = "Expm1"
            F = (fun t -> t.Expm1())
            Ref = expm1Ref
            Draw = logUniform -12.0 1.3
            Rtol64 = 1e-12
            Atol64 = 0.0
            Ulps32 = 4.0
            Atol32 = 0.0
        }
        // Argument reduction subtracts multiples of π/2 from x, which leaves an absolute error of
        // about ulp(|x|) ≤ ulp(10) = 2⁻⁴⁹ (2⁻²⁰ in float32) near the zeros of sin.
        {
            Name = "Sin"
            F = (fun t -> t.Sin())
            Ref = (fun x -> Math.Sin x)
            Draw = between -10.0 10.0
            Rtol64 = 1e-12
            Atol64 = Math.Pow(2.0, -49.0)
            Ulps32 = 4.0
            Atol32 = Math.Pow(2.0, -20.0)
        }
        // TensorPrimitives' vectorised tanh has an absolute error near ulp(1), so near 0 its relative error
        // grows without bound (5·10⁴ float32 ulps at x = 1e-5); FuncGrad recomputes |x| < 0.5 as
        // expm1(2x)/(expm1(2x) + 2), so the tolerance is relative only, on magnitudes down to 1e-12.
        {
            Name = "Tanh"
            F = (fun t -> t.Tanh())
            Ref = (fun x -> Math.Tanh x)
            Draw = between -5.0 5.0
            Rtol64 = 1e-12
            Atol64 = 0.0
            Ulps32 = 4.0
            Atol32 = 0.0
        }
        {
            Name = "Tanh near 0"
            F = (fun t -> t.Tanh())
            Ref = (fun x -> Math.Tanh x)
            Draw = logUniform -12.0 -0.3
            Rtol64 = 1e-15
            Atol64 = 0.0
            Ulps32 = 4.0
            Atol32 = 0.0
        }
        {
            Name = "Sigmoid"
            F = (fun t -> t.Sigmoid())
            Ref = (fun x -> 1.0 / (1.0 + Math.Exp(-x)))
            Draw = between -20.0 20.0
            Rtol64 = 1e-12
            Atol64 = 0.0
            Ulps32 = 4.0
            Atol32 = 0.0
        }
        // softplus(x) = max(x, 0) + log1p(e^−|x|) (docs/conventions.md): with an accurate log1p the
        // result is accurate relative to itself, down to e^−20 ≈ 2e-9 for x = −20.
        {
            Name = "Softplus"
            F = (fun t -> t.Softplus())
            Ref =
                (fun x ->
                    if x > 0.0 then
                        x + log1pRef (Math.Exp -x)
                    else
                        log1pRef (Math.Exp x))
            Draw = between -20.0 20.0
            Rtol64 = 1e-12
            Atol64 = 0.0
            Ulps32 = 4.0
            Atol32 = 0.0
        }
    ]

let private checkApprox (op: Approx) =
    for n in lengths do
        let rng = Random(1000 + n)
        let x = Array.init n (fun _ -> op.Draw rng)

        for (salt, x) in [ 0, x; 1, sprinkle 3 x ] do
            let y = (op.F(Tensor.FromArray x)).ToArray()

            for i in 0 .. n - 1 do
                if not (agree64 op.Rtol64 op.Atol64 y[i] (op.Ref x[i])) then
                    failtestf
                        "%s float64, length %d (set %d), element %d: f(%.17g) = %.17g, reference %.17g"
                        op.Name
                        n
                        salt
                        i
                        x[i]
                        y[i]
                        (op.Ref x[i])

            let x32 = Array.map float32 x
            let t32 = op.F(Tensor.FromArray x32)
            Expect.equal t32.DType DType.Float32 $"{op.Name}: float32 in, float32 out"
            let y32 = t32.ToFloatArray()

            for i in 0 .. n - 1 do
                let e = float32 (op.Ref(float x32[i]))

                if not (agree32 op.Ulps32 op.Atol32 y32[i] e) then
                    failtestf
                        "%s float32, length %d (set %d), element %d: f(%.9g) = %.9g, reference %.9g (%.1f ulps)"
                        op.Name
                        n
                        salt
                        i
                        x32[i]
                        y32[i]
                        e
                        (abs (float y32[i] - float e) / ulp32 e)

type private Exact1 =
    {
        Name: string
        F: Tensor -> Tensor
        R64: float -> float
        R32: float32 -> float32
    }

let private exactUnary =
    [
        {
            Name = "Abs"
            F = (fun t -> t.Abs())
            R64 = abs
            R32 = abs
        }
        {
            Name = "Neg"
            F = (fun t -> -t)
            R64 = (fun x -> -x)
            R32 = (fun x -> -x)
        }
        {
            Name = "Sign"
            F = (fun t -> t.Sign())
            R64 =
                (fun x ->
                    if x > 0.0 then 1.0
                    elif x < 0.0 then -1.0
                    else x)
            R32 =
                (fun x ->
                    if x > 0.0f then 1.0f
                    elif x < 0.0f then -1.0f
                    else x)
        }
        // max(x, 0) with IEEE 754-2019 semantics, as Math.Max has: NaN stays NaN.
        {
            Name = "Relu"
            F = (fun t -> t.Relu())
            R64 = (fun x -> Math.Max(x, 0.0))
            R32 = (fun x -> MathF.Max(x, 0.0f))
        }
    ]

/// These ops are exact in IEEE arithmetic, so the results must be identical (NaN matching NaN).
let private checkExactUnary (op: Exact1) =
    for n in lengths do
        let x = sprinkle 0 (uniform (Random(2000 + n)) -3.0 3.0 n)
        let y = (op.F(Tensor.FromArray x)).ToArray()

        for i in 0 .. n - 1 do
            if not (y[i].Equals(op.R64 x[i])) then
                failtestf
                    "%s float64, length %d, element %d: f(%g) = %g, reference %g"
                    op.Name
                    n
                    i
                    x[i]
                    y[i]
                    (op.R64 x[i])

        let x32 = Array.map float32 x
        let y32 = (op.F(Tensor.FromArray x32)).ToFloatArray()

        for i in 0 .. n - 1 do
            if not (y32[i].Equals(op.R32 x32[i])) then
                failtestf
                    "%s float32, length %d, element %d: f(%g) = %g, reference %g"
                    op.Name
                    n
                    i
                    x32[i]
                    y32[i]
                    (op.R32 x32[i])

// ---------------------------------------------------------------------------------------------
// Elementwise functions of two arguments, with broadcasting
// ---------------------------------------------------------------------------------------------

/// NumPy broadcasting by index arithmetic: pad both shapes with leading 1s, and read a size-1
/// dimension at index 0.
let private broadcastRef (f: 'T -> 'T -> 'T) (sa: int[]) (a: 'T[]) (sb: int[]) (b: 'T[]) =
    let rank = max sa.Length sb.Length

    let pad (s: int[]) =
        Array.append (Array.create (rank - s.Length) 1) s

    let pa, pb = pad sa, pad sb
    let out = Array.init rank (fun i -> max pa[i] pb[i])

    let at (p: int[]) (idx: int[]) =
        let mutable f = 0

        for i in 0 .. rank - 1 do
            f <- f * p[i] + (if p[i] = 1 then 0 else idx[i])

        f

    let values =
        Array.init (count out) (fun o ->
            let idx = Array.zeroCreate rank
            let mutable r = o

            for i in rank - 1 .. -1 .. 0 do
                idx[i] <- r % out[i]
                r <- r / out[i]

            f a[at pa idx] b[at pb idx])

    out, values

type private Exact2 =
    {
        Name: string
        F: Tensor -> Tensor -> Tensor
        R64: float -> float -> float
        R32: float32 -> float32 -> float32
    }

let private exactBinary =
    [
        {
            Name = "Add"
            F = (fun a b -> a + b)
            R64 = (+)
            R32 = (+)
        }
        {
            Name = "Sub"
            F = (fun a b -> a - b)
            R64 = (-)
            R32 = (-)
        }
        {
            Name = "Mul"
            F = (fun a b -> a * b)
            R64 = (*)
            R32 = (*)
        }
        {
            Name = "Div"
            F = (fun a b -> a / b)
            R64 = (/)
            R32 = (/)
        }
        // IEEE 754-2019 maximum and minimum (NaN propagates), as Math.Max and Math.Min implement.
        {
            Name = "Maximum"
            F = (fun a b -> a.Maximum b)
            R64 = (fun x y -> Math.Max(x, y))
            R32 = (fun x y -> MathF.Max(x, y))
        }
        {
            Name = "Minimum"
            F = (fun a b -> a.Minimum b)
            R64 = (fun x y -> Math.Min(x, y))
            R32 = (fun x y -> MathF.Min(x, y))
        }
    ]

/// Operand shapes for length n: same shape, a scalar on either side (rank 0 and [1]), a row
/// broadcast, a column broadcast and both sides expanded.
let private modes n =
    [
        "same", [| n |], [| n |]
        "scalar right", [| n |], [||]
        "[1] right", [| n |], [| 1 |]
        "scalar left", [||], [| n |]
        "[1] left", [| 1 |], [| n |]
        "row", [| 2; n |], [| n |]
        "column", [| n; 1 |], [| 3 |]
        "both expanded", [| 3; 1 |], [| 1; n |]
    ]

/// + − × ÷ and IEEE max/min are exact (correctly rounded), so results must be identical.
let private checkExactBinary (op: Exact2) =
    for n in lengths do
        let rng = Random(3000 + n)

        for (mode, sa, sb) in modes n do
            let a = sprinkle 1 (uniform rng -3.0 3.0 (count sa))
            let b = sprinkle 2 (uniform rng -3.0 3.0 (count sb))
            let shape, expected = broadcastRef op.R64 sa a sb b
            let t = op.F (Tensor.FromArray(a, sa)) (Tensor.FromArray(b, sb))
            Expect.sequenceEqual (t.Shape |> Seq.toArray) shape $"{op.Name} {mode} n={n}: shape"
            let y = t.ToArray()

            for i in 0 .. y.Length - 1 do
                if not (y[i].Equals expected[i]) then
                    failtestf "%s float64 %s, n = %d, element %d: %g, reference %g" op.Name mode n i y[i] expected[i]

            let a32, b32 = Array.map float32 a, Array.map float32 b
            let _, expected32 = broadcastRef op.R32 sa a32 sb b32

            let y32 =
                (op.F (Tensor.FromArray(a32, sa)) (Tensor.FromArray(b32, sb))).ToFloatArray()

            for i in 0 .. y32.Length - 1 do
                if not (y32[i].Equals expected32[i]) then
                    failtestf
                        "%s float32 %s, n = %d, element %d: %g, reference %g"
                        op.Name
                        mode
                        n
                        i
                        y32[i]
                        expected32[i]

let private elementwise =
    testList
        "elementwise"
        [
            for op in approx do
                testCase $"{op.Name} matches System.Math for lengths 1-70, both dtypes, special values included"
                <| fun () -> checkApprox op
            for op in exactUnary do
                testCase $"{op.Name} is exact for lengths 1-70, both dtypes, special values included"
                <| fun () -> checkExactUnary op
            for op in exactBinary do
                testCase $"{op.Name} is exact for lengths 1-70, both dtypes, every broadcast path"
                <| fun () -> checkExactBinary op

            testCase "Sigmoid and Softplus are finite at ±1e4 and at the largest finite values, and equal their limits"
            <| fun () ->
                // sigmoid(1e4) = 1 − e^−10000 and softplus(1e4) = 1e4 + log(1 + e^−10000) round to 1 and 1e4;
                // sigmoid(−1e4) and softplus(−1e4) are about e^−10000, far below the smallest subnormal: 0.
                for (dtype, big) in [ DType.Float64, Double.MaxValue; DType.Float32, float Single.MaxValue ] do
                    for n in lengths do
                        let x =
                            Array.init n (fun i ->
                                match i % 4 with
                                | 0 -> 1e4
                                | 1 -> -1e4
                                | 2 -> big
                                | _ -> -big)

                        let t = (Tensor.FromArray x).ToDType dtype
                        let s, p = t.Sigmoid().ToArray(), t.Softplus().ToArray()

                        for i in 0 .. n - 1 do
                            let limitS, limitP =
                                (if x[i] > 0.0 then 1.0 else 0.0), (if x[i] > 0.0 then x[i] else 0.0)

                            if s[i] <> limitS then
                                failtestf "sigmoid(%g) in %O at length %d is %.17g, not %g" x[i] dtype n s[i] limitS

                            if p[i] <> limitP then
                                failtestf "softplus(%g) in %O at length %d is %.17g, not %g" x[i] dtype n p[i] limitP
                        // Documented: a finite derivative for any finite x. Here it is y(1 − y) = 0 and sigmoid = 0
                        // or 1.
                        let gs = Autodiff.Grad((fun (v: Tensor) -> v.Sigmoid().Sum()), t).ToArray()
                        let gp = Autodiff.Grad((fun (v: Tensor) -> v.Softplus().Sum()), t).ToArray()
                        Expect.all gs (fun g -> g = 0.0) $"sigmoid gradient, {dtype}, length {n}"

                        gp
                        |> Array.iteri (fun i g ->
                            Expect.equal g (if x[i] > 0.0 then 1.0 else 0.0) $"softplus gradient, {dtype}, length {n}")

            testCase "Log1p is accurate for small x (documented)"
            <| fun () ->
                // log(1 + x) = x − x²/2 + x³/3 − …; for |x| ≤ 1e-5 three terms are within 1e-15 relative.
                for x in [ 1e-20; 1e-12; 1e-8; -1e-8; 1e-5 ] do
                    let expected = x - x * x / 2.0 + x * x * x / 3.0

                    for n in [ 1; 8; 19 ] do
                        let y = (Tensor.Full([| n |], x)).Log1p().ToArray()

                        for v in y do
                            if not (agree64 1e-12 0.0 v expected) then
                                failtestf
                                    "log1p(%g) at length %d is %.17g, expected %.17g (relative error %.2g)"
                                    x
                                    n
                                    v
                                    expected
                                    (abs (v - expected) / abs expected)

            testCase "Expm1 is accurate for small x (documented)"
            <| fun () ->
                // e^x − 1 = x + x²/2 + x³/6 + …; for |x| ≤ 1e-5 three terms are within 1e-15 relative.
                for x in [ 1e-20; 1e-12; 1e-8; -1e-8; 1e-5 ] do
                    let expected = x + x * x / 2.0 + x * x * x / 6.0

                    for n in [ 1; 8; 19 ] do
                        let y = (Tensor.Full([| n |], x)).Expm1().ToArray()

                        for v in y do
                            if not (agree64 1e-12 0.0 v expected) then
                                failtestf
                                    "expm1(%g) at length %d is %.17g, expected %.17g (relative error %.2g)"
                                    x
                                    n
                                    v
                                    expected
                                    (abs (v - expected) / abs expected)
        ]

// ---------------------------------------------------------------------------------------------
// Gemm
// ---------------------------------------------------------------------------------------------

/// The matrix product by the triple loop, in float64, with Σ|a||b| for the error bound.
let private matmulRef (a: float[]) aOff (b: float[]) bOff m k n =
    let c = Array.zeroCreate (m * n)
    let mag = Array.zeroCreate (m * n)

    for i in 0 .. m - 1 do
        for j in 0 .. n - 1 do
            let mutable s, g = 0.0, 0.0

            for p in 0 .. k - 1 do
                let t = a[aOff + i * k + p] * b[bOff + p * n + j]
                s <- s + t
                g <- g + abs t

            c[i * n + j] <- s
            mag[i * n + j] <- g

    c, mag

/// Any order of k products and sums, fused or not, is within 2·k·u·Σ|a||b| of the exact value
/// (the classical dot-product bound, with a factor 2 of slack), u the unit roundoff of the dtype.
/// (The description is built only on failure: formatting one per element would dominate the run time.)
let private withinGemmBound (what: unit -> string) (u: float) k (actual: float) (expected: float) (mag: float) =
    if not (abs (actual - expected) <= 2.0 * float k * u * mag) then
        failtestf "%s: %.17g, reference %.17g, bound %.3g" (what ()) actual expected (2.0 * float k * u * mag)

/// Which product: A·B, Aᵀ·B with A stored k×m, or A·Bᵀ with B stored n×k.
type private Variant =
    | AB
    | AtB
    | ABt

/// The stored operands rearranged into the row-major m×k and k×n that matmulRef reads.
let private asPlain variant (a: float[]) aOff (b: float[]) bOff m k n =
    let a' =
        match variant with
        | AtB -> Array.init (m * k) (fun o -> a[aOff + (o % k) * m + o / k])
        | _ -> a[aOff .. aOff + m * k - 1]

    let b' =
        match variant with
        | ABt -> Array.init (k * n) (fun o -> b[bOff + (o % n) * k + o / n])
        | _ -> b[bOff .. bOff + k * n - 1]

    a', b'

/// Calls the kernel for the variant in the dtype, on float64 buffers holding values representable in it.
let private runGemm variant (dtype: DType) (a: float[]) aOff (b: float[]) bOff (c: float[]) cOff m k n =
    if dtype = DType.Float64 then
        match variant with
        | AB -> Gemm.Multiply(a, aOff, b, bOff, c, cOff, m, k, n)
        | AtB -> Gemm.MultiplyTransposedA(a, aOff, b, bOff, c, cOff, m, k, n)
        | ABt -> Gemm.MultiplyTransposedB(a, aOff, b, bOff, c, cOff, m, k, n)
    else
        let a32, b32, c32 = Array.map float32 a, Array.map float32 b, Array.map float32 c

        match variant with
        | AB -> Gemm.Multiply(a32, aOff, b32, bOff, c32, cOff, m, k, n)
        | AtB -> Gemm.MultiplyTransposedA(a32, aOff, b32, bOff, c32, cOff, m, k, n)
        | ABt -> Gemm.MultiplyTransposedB(a32, aOff, b32, bOff, c32, cOff, m, k, n)

        c32 |> Array.iteri (fun i v -> c[i] <- float v)

let private bitsEqual (what: string) (actual: float[]) (expected: float[]) =
    for i in 0 .. actual.Length - 1 do
        if
            BitConverter.DoubleToInt64Bits actual[i]
            <> BitConverter.DoubleToInt64Bits expected[i]
        then
            failtestf "%s, element %d: %.17g where %.17g was expected" what i actual[i] expected[i]

let private sentinel = 12345.0

/// Runs the kernel on buffers with data at non-zero offsets and a sentinel around the output, and
/// checks the product against the triple loop and that nothing outside the output block was written.
let private checkGemm variant (dtype: DType) m k n (seed: int) =
    let rng = Random seed
    let aOff, bOff, cOff = 3, 5, 2

    let round (v: float[]) =
        if dtype = DType.Float32 then
            Array.map (float32 >> float) v
        else
            v

    let a = round (uniform rng -1.0 1.0 (aOff + m * k + 4))
    let b = round (uniform rng -1.0 1.0 (bOff + k * n + 4))
    let c = Array.create (cOff + m * n + 3) sentinel
    runGemm variant dtype a aOff b bOff c cOff m k n
    let a', b' = asPlain variant a aOff b bOff m k n
    let expected, mag = matmulRef a' 0 b' 0 m k n
    let u = if dtype = DType.Float64 then u64 else u32

    for i in 0 .. m * n - 1 do
        withinGemmBound (fun () -> $"{variant} {dtype} {m}x{k}x{n}, element {i}") u k c[cOff + i] expected[i] mag[i]

    for i in Seq.append (seq { 0 .. cOff - 1 }) (seq { cOff + m * n .. c.Length - 1 }) do
        if c[i] <> sentinel then
            failtestf "%A %O %dx%dx%d: wrote %g at %d, outside the output" variant dtype m k n c[i] i

let private gemmSizes = [ 1; 2; 3; 5; 8; 17; 33; 64 ]

let private gemm =
    testList
        "Gemm"
        [
            for variant in [ AB; AtB; ABt ] do
                for dtype in [ DType.Float64; DType.Float32 ] do
                    testCase $"{variant} {dtype}: every m, k and n in {{1,2,3,5,8,17,33,64}}"
                    <| fun () ->
                        for m in gemmSizes do
                            for k in gemmSizes do
                                for n in gemmSizes do
                                    checkGemm variant dtype m k n (m * 10000 + k * 100 + n)

                    testCase $"{variant} {dtype}: products large enough for threads, and k across panels"
                    <| fun () ->
                        // 160·100·140 and 70·520·60 exceed 2²¹ multiply-adds, above which the blocked product
                        // splits over threads (160 rows also span two 96-row A blocks); k = 300 and 520 span
                        // two and three 256-deep k-panels; 1·400·400 and 400·400·1 are matrix-vector products
                        // over 2¹⁷ elements, which split too.
                        for (m, k, n) in
                            [
                                160, 100, 140
                                70, 520, 60
                                40, 300, 30
                                200, 600, 20
                                1, 400, 400
                                400, 400, 1
                                300, 1, 200
                            ] do
                            checkGemm variant dtype m k n (m + k + n)

                    testCase $"{variant} {dtype}: k = 0 gives zeros, and m or n = 0 writes nothing"
                    <| fun () ->
                        for (m, k, n) in [ 3, 0, 4; 0, 3, 4; 3, 4, 0; 0, 0, 0 ] do
                            checkGemm variant dtype m k n 1

            testCase "every element is bit-for-bit the same whatever the split over threads (documented determinism)"
            <| fun () ->
                // Gemm's remarks: each element is summed in an order that depends only on k, so a row block
                // computed alone equals the same rows of a product split over threads, and runs repeat exactly.
                for dtype in [ DType.Float64; DType.Float32 ] do
                    let m, k, n = 180, 90, 150
                    let rng = Random 5

                    let round (v: float[]) =
                        if dtype = DType.Float32 then
                            Array.map (float32 >> float) v
                        else
                            v

                    let a, b =
                        round (uniform rng -1.0 1.0 (m * k)), round (uniform rng -1.0 1.0 (k * n))

                    let full = Array.zeroCreate (m * n)
                    runGemm AB dtype a 0 b 0 full 0 m k n
                    let again = Array.zeroCreate (m * n)
                    runGemm AB dtype a 0 b 0 again 0 m k n
                    Expect.sequenceEqual again full $"{dtype}: a second run"

                    for (r0, rows) in [ 0, 2; 7, 5; 95, 13; 174, 6 ] do
                        let part = Array.zeroCreate (rows * n)
                        runGemm AB dtype a (r0 * k) b 0 part 0 rows k n

                        Expect.sequenceEqual
                            part
                            full[r0 * n .. (r0 + rows) * n - 1]
                            $"{dtype}: rows {r0}..{r0 + rows - 1} alone"
                    // Above 256 rows A is packed; at most 256 rows the kernel reads it in place. The same rows
                    // must come out the same either way.
                    let m3 = 300
                    let a3 = round (uniform rng -1.0 1.0 (m3 * k))
                    let full3 = Array.zeroCreate (m3 * n)
                    runGemm AB dtype a3 0 b 0 full3 0 m3 k n

                    for (r0, rows) in [ 0, 40; 250, 50 ] do
                        let part = Array.zeroCreate (rows * n)
                        runGemm AB dtype a3 (r0 * k) b 0 part 0 rows k n

                        Expect.sequenceEqual
                            part
                            full3[r0 * n .. (r0 + rows) * n - 1]
                            $"{dtype}: rows {r0}..{r0 + rows - 1}, A read in place"
                    // A few rows with a short k form a product small enough to skip packing (element by element);
                    // its bits must still be those of the same rows inside a packed product.
                    let k2 = 20
                    let a2 = round (uniform rng -1.0 1.0 (m * k2))
                    let b2 = round (uniform rng -1.0 1.0 (k2 * n))
                    let full2 = Array.zeroCreate (m * n)
                    runGemm AB dtype a2 0 b2 0 full2 0 m k2 n

                    for (r0, rows) in [ 0, 2; 31, 1; 101, 2 ] do
                        let part = Array.zeroCreate (rows * n)
                        runGemm AB dtype a2 (r0 * k2) b2 0 part 0 rows k2 n

                        Expect.sequenceEqual
                            part
                            full2[r0 * n .. (r0 + rows) * n - 1]
                            $"{dtype}: rows {r0}..{r0 + rows - 1}, unpacked"

            testCase "a pair of matrix-vector products over one matrix equals each product alone, bit for bit"
            <| fun () ->
                // MultiplyVectorPair serves a dual MatMul (value and tangent in one pass over the matrix); its
                // results must be those of the two single products, whatever the row blocking, tail or split.
                for (m, k) in [ 2, 2; 7, 5; 33, 70; 130, 17; 401, 403; 1, 50 ] do
                    for ta in [ false; true ] do
                        let rng = Random(m * 31 + k)
                        let a = uniform rng -1.0 1.0 (m * k)
                        let x, z = uniform rng -1.0 1.0 k, uniform rng -1.0 1.0 k

                        let single (v: float[]) =
                            let c = Array.zeroCreate m

                            if ta then
                                Gemm.MultiplyTransposedA(a, 0, v, 0, c, 0, m, k, 1)
                            else
                                Gemm.Multiply(a, 0, v, 0, c, 0, m, k, 1)

                            c

                        let y, u = Array.zeroCreate m, Array.zeroCreate m
                        Gemm.MultiplyVectorPair(a, ta, x, z, y, u, m, k)
                        bitsEqual $"{m}x{k} transposed={ta}, first vector" y (single x)
                        bitsEqual $"{m}x{k} transposed={ta}, second vector" u (single z)
                        let a32, x32, z32 = Array.map float32 a, Array.map float32 x, Array.map float32 z

                        let single32 (v: float32[]) =
                            let c = Array.zeroCreate m

                            if ta then
                                Gemm.MultiplyTransposedA(a32, 0, v, 0, c, 0, m, k, 1)
                            else
                                Gemm.Multiply(a32, 0, v, 0, c, 0, m, k, 1)

                            Array.map float c

                        let y32, u32 = Array.zeroCreate m, Array.zeroCreate m
                        Gemm.MultiplyVectorPair(a32, ta, x32, z32, y32, u32, m, k)
                        bitsEqual $"{m}x{k} transposed={ta} float32, first vector" (Array.map float y32) (single32 x32)
                        bitsEqual $"{m}x{k} transposed={ta} float32, second vector" (Array.map float u32) (single32 z32)

            testCase "a dual matrix-vector product (one pass over the matrix) has the bits of the plain products"
            <| fun () ->
                let rng = Random 8

                for (m, k) in [ 9, 13; 300, 500 ] do
                    let w = Tensor.FromArray(uniform rng -1.0 1.0 (m * k), [| m; k |])

                    let x, v =
                        Tensor.FromArray(uniform rng -1.0 1.0 k), Tensor.FromArray(uniform rng -1.0 1.0 k)

                    let struct (y, dy) = Autodiff.Jvp((fun x -> w.MatMul x), x, v)
                    bitsEqual $"{m}x{k} value" (y.ToArray()) (w.MatMul(x).ToArray())
                    bitsEqual $"{m}x{k} tangent" (dy.ToArray()) (w.MatMul(v).ToArray())

            testCase "operand buffers too short for the shapes are an ArgumentException, before anything is written"
            <| fun () ->
                let c = Array.create 6 sentinel

                let e =
                    Expect.throwsC
                        (fun () -> Gemm.Multiply(Array.zeroCreate 5, 0, Array.zeroCreate 6, 0, c, 0, 2, 3, 2))
                        id

                Expect.equal (e.GetType()) typeof<ArgumentException> "type"
                Expect.all c (fun v -> v = sentinel) "c untouched"

            testCase "MatMul broadcasts batch dimensions and promotes vectors"
            <| fun () ->
                let rng = Random 77
                let a = uniform rng -1.0 1.0 (2 * 1 * 3 * 4)
                let b = uniform rng -1.0 1.0 (5 * 4 * 2)

                let c =
                    Tensor.FromArray(a, [| 2; 1; 3; 4 |]).MatMul(Tensor.FromArray(b, [| 5; 4; 2 |]))

                Expect.sequenceEqual
                    (c.Shape |> Seq.toArray)
                    [| 2; 5; 3; 2 |]
                    "batch shape [2x5] broadcast from [2x1] and [5]"

                let v = c.ToArray()

                for i in 0..1 do
                    for j in 0..4 do
                        let e, mag = matmulRef a (i * 12) b (j * 8) 3 4 2

                        for r in 0..5 do
                            withinGemmBound
                                (fun () -> $"batch ({i}, {j}) element {r}")
                                u64
                                4
                                v[(i * 5 + j) * 6 + r]
                                e[r]
                                mag[r]

                let m = uniform rng -1.0 1.0 12
                let x = uniform rng -1.0 1.0 4
                let y = uniform rng -1.0 1.0 3
                let mx = Tensor.FromArray(m, [| 3; 4 |]).MatMul(Tensor.FromArray x)
                let e, mag = matmulRef m 0 x 0 3 4 1
                Expect.sequenceEqual (mx.Shape |> Seq.toArray) [| 3 |] "matrix × vector is a vector"

                mx.ToArray()
                |> Array.iteri (fun i v -> withinGemmBound (fun () -> $"M·x element {i}") u64 4 v e[i] mag[i])

                let ym = Tensor.FromArray(y).MatMul(Tensor.FromArray(m, [| 3; 4 |]))
                let e, mag = matmulRef y 0 m 0 1 3 4
                Expect.sequenceEqual (ym.Shape |> Seq.toArray) [| 4 |] "vector × matrix is a vector"

                ym.ToArray()
                |> Array.iteri (fun i v -> withinGemmBound (fun () -> $"y·M element {i}") u64 3 v e[i] mag[i])
        ]

// ---------------------------------------------------------------------------------------------
// Every vector width on any machine
// ---------------------------------------------------------------------------------------------

/// Every width the kernels are compiled for. A width the hardware lacks runs emulated by .NET (slow but
/// exact), so each one's code is tested here whatever the machine; tests/isa-matrix.sh then reruns these
/// under each instruction set, where the emulation and the real dispatch change.
let private allWidths = [ Width.V512; Width.V256; Width.V128; Width.Scalar ]

/// a·b + c as the kernels compute it: fused where the hardware fuses (Simd.HasFma), else two roundings.
let private madd64 (a: float) b c =
    if Simd.HasFma then
        Math.FusedMultiplyAdd(a, b, c)
    else
        a * b + c

let private madd32 (a: float32) b c =
    if Simd.HasFma then
        MathF.FusedMultiplyAdd(a, b, c)
    else
        a * b + c

/// The product in the order Gemm's remarks document, independently of its code: each element is a chain
/// of multiply-adds from zero over each 256-deep k-panel, the panels added to the element in turn.
let private documentedOrder (madd: 'T -> 'T -> 'T -> 'T) (add: 'T -> 'T -> 'T) (zero: 'T) (a: 'T[]) (b: 'T[]) m k n =
    Array.init (m * n) (fun o ->
        let i, j = o / n, o % n
        let mutable c = zero

        for pc in 0..256 .. k - 1 do
            let mutable acc = zero

            for p in pc .. min (pc + 256) k - 1 do
                acc <- madd a[i * k + p] b[p * n + j] acc

            c <- if pc = 0 then acc else add c acc

        c)

/// A row-major rows×cols matrix as Gemm reads an operand: kept transposed (cols×rows) when asked.
let private stored (x: 'T[]) rows cols transposed =
    if transposed then
        Array.init (rows * cols) (fun o -> x[(o % rows) * cols + o / rows])
    else
        x

let private widthTests =
    let products =
        // Small (≤ 2¹³ multiply-adds), A read in place (≤ 256 rows), A packed (> 256 rows), edge tiles of
        // both tile heights (6 and 12) and widths, two and three k-panels, and a split over threads (≥ 2²¹):
        // over columns (160·100·140) and, with too few columns to share, over rows (200·600·20).
        [
            5, 7, 9
            13, 17, 33
            7, 300, 19
            40, 64, 70
            25, 520, 37
            270, 40, 21
            160, 100, 140
            200, 600, 20
        ]

    testList
        "every width"
        [
            for width in allWidths do
                for variant in [ AB; AtB; ABt ] do
                    test $"Gemm {width} {variant}: the documented summation order, bit for bit, both dtypes" {
                        for (m, k, n) in products do
                            let rng = Random(m * 7 + k * 3 + n)
                            let a = uniform rng -1.0 1.0 (m * k)
                            let b = uniform rng -1.0 1.0 (k * n)
                            let sa, sb = stored a m k (variant = AtB), stored b k n (variant = ABt)
                            let c64 = Array.zeroCreate (m * n)
                            Gemm.Product(width, sa, 0, (variant = AtB), sb, 0, (variant = ABt), c64, 0, m, k, n)

                            bitsEqual
                                $"{width} {variant} float64 {m}x{k}x{n}"
                                c64
                                (documentedOrder madd64 (+) 0.0 a b m k n)

                            let a32, b32 = Array.map float32 a, Array.map float32 b
                            let c32 = Array.zeroCreate (m * n)

                            Gemm.Product(
                                width,
                                stored a32 m k (variant = AtB),
                                0,
                                (variant = AtB),
                                stored b32 k n (variant = ABt),
                                0,
                                (variant = ABt),
                                c32,
                                0,
                                m,
                                k,
                                n
                            )

                            bitsEqual
                                $"{width} {variant} float32 {m}x{k}x{n}"
                                (Array.map float c32)
                                (Array.map float (documentedOrder madd32 (+) 0.0f a32 b32 m k n))
                    }

                for variant in [ AB; AtB; ABt ] do
                    test $"Gemm {width} {variant}: with a bias row, the product's bits, then + bias[j]" {
                        // The bias is added on each tile as the kernel writes it (or after, for thin and small
                        // products); either way each element is the product's value plus bias[j], rounded once.
                        // (The product's own bits are checked against the documented order above; thin shapes
                        // sum across lanes, so here the reference is the product without a bias.)
                        let shapes =
                            products
                            @ [
                                1, 37, 29
                                29, 37, 1
                                33, 1, 45
                                7, 0, 5
                                2, 3, 4
                                300, 520, 50
                                128, 300, 10
                            ]

                        for (m, k, n) in shapes do
                            let rng = Random(m * 5 + k * 7 + n)
                            let a = uniform rng -1.0 1.0 (m * k)
                            let b = uniform rng -1.0 1.0 (k * n)
                            let bias = uniform rng -1.0 1.0 (n + 3)
                            let sa, sb = stored a m k (variant = AtB), stored b k n (variant = ABt)
                            let c64 = Array.create (m * n) nan

                            Gemm.ProductAddRow(
                                width,
                                sa,
                                0,
                                (variant = AtB),
                                sb,
                                0,
                                (variant = ABt),
                                bias,
                                3,
                                c64,
                                0,
                                m,
                                k,
                                n
                            )

                            let plain64 = Array.zeroCreate (m * n)
                            Gemm.Product(width, sa, 0, (variant = AtB), sb, 0, (variant = ABt), plain64, 0, m, k, n)

                            bitsEqual
                                $"{width} {variant} float64 {m}x{k}x{n} + bias"
                                c64
                                (Array.init (m * n) (fun o -> plain64[o] + bias[3 + o % n]))

                            let a32, b32, bias32 =
                                Array.map float32 a, Array.map float32 b, Array.map float32 bias

                            let sa32, sb32 = stored a32 m k (variant = AtB), stored b32 k n (variant = ABt)
                            let c32 = Array.create (m * n) nanf

                            Gemm.ProductAddRow(
                                width,
                                sa32,
                                0,
                                (variant = AtB),
                                sb32,
                                0,
                                (variant = ABt),
                                bias32,
                                3,
                                c32,
                                0,
                                m,
                                k,
                                n
                            )

                            let plain32 = Array.zeroCreate (m * n)
                            Gemm.Product(width, sa32, 0, (variant = AtB), sb32, 0, (variant = ABt), plain32, 0, m, k, n)

                            bitsEqual
                                $"{width} {variant} float32 {m}x{k}x{n} + bias"
                                (Array.map float c32)
                                (Array.init (m * n) (fun o -> float (plain32[o] + bias32[3 + o % n])))
                    }

                test (
                    $"Gemm {width}: matrix-vector shapes and outer products within the dot-product bound, "
                    + "the same bits run after run"
                ) {
                    for (m, k, n) in [ 1, 37, 29; 1, 300, 3; 29, 37, 1; 70, 530, 1; 33, 1, 45; 1, 1, 9 ] do
                        for variant in [ AB; AtB; ABt ] do
                            let rng = Random(m + 5 * k + 11 * n)
                            let a = uniform rng -1.0 1.0 (m * k)
                            let b = uniform rng -1.0 1.0 (k * n)

                            let run () =
                                let c = Array.zeroCreate (m * n)
                                Gemm.Product(width, a, 0, (variant = AtB), b, 0, (variant = ABt), c, 0, m, k, n)
                                c

                            let c = run ()
                            let a', b' = asPlain variant a 0 b 0 m k n
                            let expected, mag = matmulRef a' 0 b' 0 m k n

                            for i in 0 .. m * n - 1 do
                                withinGemmBound
                                    (fun () -> $"{width} {variant} {m}x{k}x{n}, element {i}")
                                    u64
                                    k
                                    c[i]
                                    expected[i]
                                    mag[i]

                            bitsEqual $"{width} {variant} {m}x{k}x{n}, a second run" (run ()) c
                }

                test $"fused chain formulas {width}: every length, the scalar formula's bits in every lane" {
                    let rng = Random 11

                    for n in lengths do
                        let g, y = sprinkle 1 (uniform rng -3.0 3.0 n), sprinkle 2 (uniform rng -1.0 1.0 n)
                        let d = Array.zeroCreate n
                        Fused.Map<float, Tensor.TanhChainF>(width, ReadOnlySpan g, ReadOnlySpan y, Span d)
                        bitsEqual $"tanh chain float64, n = {n}" d (Array.map2 (fun g y -> g * (1.0 - y * y)) g y)
                        Fused.Map<float, Tensor.SigmoidChainF>(width, ReadOnlySpan g, ReadOnlySpan y, Span d)
                        bitsEqual $"sigmoid chain float64, n = {n}" d (Array.map2 (fun g y -> g * (y * (1.0 - y))) g y)
                        let g32, y32 = Array.map float32 g, Array.map float32 y
                        let d32 = Array.zeroCreate n
                        Fused.Map<float32, Tensor.TanhChainF>(width, ReadOnlySpan g32, ReadOnlySpan y32, Span d32)

                        bitsEqual
                            $"tanh chain float32, n = {n}"
                            (Array.map float d32)
                            (Array.map2 (fun (g: float32) y -> float (g * (1.0f - y * y))) g32 y32)
                }

            test (
                "packing by transposition puts src[r·ld + p] at dst[p·lanes + r], "
                + "every block shape and ragged edge, both dtypes"
            ) {
                for lanes in 1..13 do
                    for kc in 1..9 do
                        let ld = kc + 3
                        let src = Array.init (lanes * ld) (fun i -> float i + 0.5)
                        let expected = Array.init (lanes * kc) (fun o -> src[(o % lanes) * ld + o / lanes])
                        let d64 = Array.create (lanes * kc) nan
                        Transpose.Pack(&&src.[0], ld, lanes, kc, &&d64.[0])
                        bitsEqual $"float64, lanes {lanes}, kc {kc}" d64 expected
                        let src32 = Array.map float32 src
                        let d32 = Array.create (lanes * kc) nanf
                        Transpose.Pack(&&src32.[0], ld, lanes, kc, &&d32.[0])
                        bitsEqual $"float32, lanes {lanes}, kc {kc}" (Array.map float d32) expected
            }

            test (
                "the dispatch takes the widest width the runtime accelerates; "
                + "products use AVX-512 wherever it exists"
            ) {
                let widest =
                    if Runtime.Intrinsics.Vector512.IsHardwareAccelerated then
                        Width.V512
                    elif Runtime.Intrinsics.Vector256.IsHardwareAccelerated then
                        Width.V256
                    elif Runtime.Intrinsics.Vector128.IsHardwareAccelerated then
                        Width.V128
                    else
                        Width.Scalar

                Expect.equal Simd.Widest widest "elementwise width"

                Expect.equal
                    Simd.ForGemm
                    (if Runtime.Intrinsics.X86.Avx512F.IsSupported then
                         Width.V512
                     else
                         widest)
                    "product width"
            }
        ]

// ---------------------------------------------------------------------------------------------
// Small products: the vectorised path against the multiply-add chain
// ---------------------------------------------------------------------------------------------

/// The product as Gemm's remarks define it for k ≤ 256, by a triple loop written without the kernels: each
/// element one multiply-add chain in k order from zero (madd64/madd32: fused exactly where the kernels fuse).
/// a is row-major m×k and b k×n.
let private chainOf (madd: 'T -> 'T -> 'T -> 'T) (zero: 'T) (a: 'T[]) (b: 'T[]) m k n =
    Array.init (m * n) (fun o ->
        let i, j = o / n, o % n
        let mutable acc = zero

        for p in 0 .. k - 1 do
            acc <- madd a[i * k + p] b[p * n + j] acc

        acc)

/// Runs Gemm.Product at the width on the stored operands at offsets 3 and 5, into c at offset 2 between
/// sentinels, and returns the m×n result after checking that nothing around it was written.
let private productAt
    (width: Width)
    variant
    (zero: 'T)
    (fill: 'T)
    (sa: 'T[])
    (sb: 'T[])
    m
    k
    n
    : 'T[] when 'T: unmanaged and 'T :> Numerics.IFloatingPointIeee754<'T> =
    let a = Array.append (Array.create 3 zero) sa
    let b = Array.append (Array.create 5 zero) sb
    let c = Array.create (2 + m * n + 3) fill
    Gemm.Product(width, a, 3, (variant = AtB), b, 5, (variant = ABt), c, 2, m, k, n)

    for i in Seq.append [ 0; 1 ] (seq { 2 + m * n .. c.Length - 1 }) do
        if c[i] <> fill then
            failtestf "%O %A %dx%dx%d: wrote %O at %d, outside the output" width variant m k n c[i] i

    c[2 .. 2 + m * n - 1]

let private smallProducts =
    let config =
        { FsCheckConfig.defaultConfig with
            maxTest = 150
        }

    testList
        "small products"
        [
            for width in allWidths do
                // m = 1 or n = 1 is excluded: a matrix-vector product that reduces along contiguous memory sums
                // across vector lanes (Gemm's remarks), so it is not one chain. Above 2¹³ multiply-adds the
                // shape takes the packed path, which the contract says gives the same bits.
                testPropertyWithConfig
                    config
                    $"Gemm {width}: m, n in 2..40, k in 1..40: A·B, Aᵀ·B and A·Bᵀ have the chain's bits, both dtypes"
                    (fun (seed: int) ->
                        let rng = Random seed
                        let m, k, n = rng.Next(2, 41), rng.Next(1, 41), rng.Next(2, 41)
                        // Zeros of both signs test that each chain starts from +0 (a −0 product then adds to +0).
                        // Not for k = 1: an outer product is a plain multiply, so a −0 product stays −0 there.
                        let value () =
                            match rng.Next 12 with
                            | 0 when k > 1 -> 0.0
                            | 1 when k > 1 -> -0.0
                            | _ -> rng.NextDouble() * 2.0 - 1.0

                        let a = Array.init (m * k) (fun _ -> value ())
                        let b = Array.init (k * n) (fun _ -> value ())
                        let a32, b32 = Array.map float32 a, Array.map float32 b

                        for variant in [ AB; AtB; ABt ] do
                            let what = $"{width} {variant} {m}x{k}x{n}"

                            let c =
                                productAt
                                    width
                                    variant
                                    0.0
                                    sentinel
                                    (stored a m k (variant = AtB))
                                    (stored b k n (variant = ABt))
                                    m
                                    k
                                    n

                            bitsEqual $"{what} float64" c (chainOf madd64 0.0 a b m k n)

                            let c32 =
                                productAt
                                    width
                                    variant
                                    0.0f
                                    (float32 sentinel)
                                    (stored a32 m k (variant = AtB))
                                    (stored b32 k n (variant = ABt))
                                    m
                                    k
                                    n

                            bitsEqual
                                $"{what} float32"
                                (Array.map float c32)
                                (Array.map float (chainOf madd32 0.0f a32 b32 m k n)))

            // Through the ops: MatMul runs A·B; the gradient of sum(G ⊙ A·B) is G·Bᵀ for A (MatMulTB) and Aᵀ·G
            // for B (MatMulTA), the cotangent G reaching the products unchanged (1·G = G).
            testPropertyWithConfig
                config
                "MatMul and its cotangent products (MatMulTB, MatMulTA) have the chain's bits, both dtypes"
                (fun (seed: int) ->
                    let rng = Random seed
                    let m, k, n = rng.Next(2, 41), rng.Next(2, 41), rng.Next(2, 41)
                    let a = uniform rng -1.0 1.0 (m * k)
                    let b = uniform rng -1.0 1.0 (k * n)
                    let g = uniform rng -1.0 1.0 (m * n)
                    let transpose (x: float[]) rows cols = stored x rows cols true
                    let bt, at = transpose b k n, transpose a m k // n×k and k×m, row-major

                    for dtype in [ DType.Float64; DType.Float32 ] do
                        let tensor (x: float[]) rows cols =
                            Tensor.FromArray(x, [| rows; cols |]).ToDType dtype

                        let ta, tb, tg = tensor a m k, tensor b k n, tensor g m n
                        let what = $"{dtype} {m}x{k}x{n}"

                        let chain (x: float[]) (y: float[]) rows inner cols =
                            if dtype = DType.Float64 then
                                chainOf madd64 0.0 x y rows inner cols
                            else
                                chainOf madd32 0.0f (Array.map float32 x) (Array.map float32 y) rows inner cols
                                |> Array.map float

                        let values (t: Tensor) =
                            if dtype = DType.Float64 then
                                t.ToArray()
                            else
                                t.ToFloatArray() |> Array.map float

                        let round (x: float[]) =
                            if dtype = DType.Float64 then
                                x
                            else
                                Array.map (float32 >> float) x

                        let a, b, g, at, bt = round a, round b, round g, round at, round bt
                        bitsEqual $"{what}: A·B" (values (ta.MatMul tb)) (chain a b m k n)
                        let da = Autodiff.Grad((fun (x: Tensor) -> (x.MatMul tb * tg).Sum()), ta)
                        bitsEqual $"{what}: G·Bᵀ" (values da) (chain g bt m n k)
                        let db = Autodiff.Grad((fun (x: Tensor) -> (ta.MatMul x * tg).Sum()), tb)
                        bitsEqual $"{what}: Aᵀ·G" (values db) (chain at g k m n))
        ]

// ---------------------------------------------------------------------------------------------
// Reductions
// ---------------------------------------------------------------------------------------------

/// Reduction by index arithmetic: each element goes to the output index made of its unreduced coordinates.
let private reduceRef
    (shape: int[])
    (x: float[])
    (axes: int[])
    (keepDims: bool)
    (init: float)
    (combine: float -> float -> float)
    =
    let rank = shape.Length
    let reduced i = Array.contains i axes

    let outShape =
        [|
            for i in 0 .. rank - 1 do
                if not (reduced i) then
                    shape[i]
                elif keepDims then
                    1
        |]

    let out = Array.create (count outShape) init

    for flat in 0 .. x.Length - 1 do
        let idx = Array.zeroCreate rank
        let mutable r = flat

        for i in rank - 1 .. -1 .. 0 do
            idx[i] <- r % shape[i]
            r <- r / shape[i]

        let mutable o = 0

        for i in 0 .. rank - 1 do
            if not (reduced i) then
                o <- o * shape[i] + idx[i]

        out[o] <- combine out[o] x[flat]

    outShape, out

type private Reduction =
    | Sum
    | Max
    | Min

let private apply (r: Reduction) (t: Tensor) (axes: int[] option) (keepDims: bool) =
    match r, axes with
    | Sum, Some a -> t.Sum(a, keepDims)
    | Sum, None -> t.Sum(keepDims = keepDims)
    | Max, Some a -> t.Max(a, keepDims)
    | Max, None -> t.Max(keepDims = keepDims)
    | Min, Some a -> t.Min(a, keepDims)
    | Min, None -> t.Min(keepDims = keepDims)

/// Checks one reduction of x (float64 values, already representable in dtype) against the reference:
/// max and min exactly; sums within (terms)·u·Σ|x|, the bound for any summation order.
let private checkReduction
    (what: string)
    (r: Reduction)
    (dtype: DType)
    (shape: int[])
    (x: float[])
    (axes: int[] option)
    keepDims
    =
    let normal =
        match axes with
        | Some a -> a |> Array.map (fun i -> if i < 0 then i + shape.Length else i)
        | None -> Array.init shape.Length id

    let t = apply r ((Tensor.FromArray(x, shape)).ToDType dtype) axes keepDims

    let init, combine =
        match r with
        | Sum -> 0.0, (+)
        | Max -> -infinity, (fun (a: float) b -> Math.Max(a, b))
        | Min -> infinity, (fun (a: float) b -> Math.Min(a, b))

    let outShape, expected = reduceRef shape x normal keepDims init combine
    Expect.sequenceEqual (t.Shape |> Seq.toArray) outShape $"{what}: shape"
    Expect.equal t.DType dtype $"{what}: dtype"
    let y = t.ToArray()

    match r with
    | Sum ->
        let _, mag = reduceRef shape x normal keepDims 0.0 (fun a b -> a + abs b)
        let terms = normal |> Array.fold (fun p i -> p * shape[i]) 1
        let u = if dtype = DType.Float64 then u64 else u32

        for i in 0 .. y.Length - 1 do
            if not (abs (y[i] - expected[i]) <= float terms * u * mag[i]) then
                failtestf "%s element %d: %.17g, reference %.17g" what i y[i] expected[i]
    | _ ->
        for i in 0 .. y.Length - 1 do
            if not (y[i].Equals expected[i]) then
                failtestf "%s element %d: %g, reference %g" what i y[i] expected[i]

let private axisSubsets =
    [
        Some [||]
        Some [| 0 |]
        Some [| 1 |]
        Some [| 2 |]
        Some [| 0; 1 |]
        Some [| 0; 2 |]
        Some [| 1; 2 |]
        Some [| 0; 1; 2 |]
        None
        Some [| -1 |]
        Some [| 2; -3 |]
        Some [| -2; 0 |]
    ]

let private reductions =
    testList
        "reductions"
        [
            for r in [ Sum; Max; Min ] do
                testCase $"{r} over every axis subset of a [3x4x5] tensor, with and without keepDims, both dtypes"
                <| fun () ->
                    let shape = [| 3; 4; 5 |]

                    for dtype in [ DType.Float64; DType.Float32 ] do
                        let x = Tensor.RandomNormal(shape, 42, dtype).ToArray()

                        for axes in axisSubsets do
                            for keepDims in [ false; true ] do
                                let shown =
                                    match axes with
                                    | Some a -> "[" + String.Join(", ", a) + "]"
                                    | None -> "all"

                                checkReduction
                                    $"{r} {dtype} axes {shown} keepDims={keepDims}"
                                    r
                                    dtype
                                    shape
                                    x
                                    axes
                                    keepDims

                testCase $"{r} over runs of every length 1-70, both dtypes"
                <| fun () ->
                    for dtype in [ DType.Float64; DType.Float32 ] do
                        for n in lengths do
                            let rng = Random(4000 + n)

                            let vals k =
                                (Tensor.FromArray(uniform rng -5.0 5.0 k)).ToDType(dtype).ToArray()

                            checkReduction $"{r} {dtype} [{n}] all" r dtype [| n |] (vals n) None false
                            let x = vals (2 * n)

                            checkReduction
                                $"{r} {dtype} [2x{n}] axis 1 (whole runs)"
                                r
                                dtype
                                [| 2; n |]
                                x
                                (Some [| 1 |])
                                false

                            checkReduction
                                $"{r} {dtype} [2x{n}] axis 0 (runs combined lane by lane)"
                                r
                                dtype
                                [| 2; n |]
                                x
                                (Some [| 0 |])
                                false

                            let y = vals (3 * n)
                            checkReduction $"{r} {dtype} [{n}x3] axis 0" r dtype [| n; 3 |] y (Some [| 0 |]) true

            testCase "Max and Min are NaN wherever a NaN is reduced, and only there (documented)"
            <| fun () ->
                for dtype in [ DType.Float64; DType.Float32 ] do
                    for n in lengths do
                        let p = (n * 37 + 5) % n
                        let x = Array.init (2 * n) (fun i -> if i = n + p then nan else float (i % 7))
                        let t = (Tensor.FromArray(x, [| 2; n |])).ToDType dtype

                        for (name, v, rows) in [ "max", t.Max(), t.Max [| 0 |]; "min", t.Min(), t.Min [| 0 |] ] do
                            Expect.isTrue (Double.IsNaN(v.Item())) $"{name} of all, {dtype}, n={n}"

                            rows.ToArray()
                            |> Array.iteri (fun j r ->
                                Expect.equal (Double.IsNaN r) (j = p) $"{name} over axis 0, column {j}, {dtype}, n={n}")

            testCase "Sum over an empty axis is 0"
            <| fun () ->
                let t = Tensor.Zeros [| 3; 0; 5 |]
                Expect.equal (t.Sum [| 1 |]) (Tensor.Zeros [| 3; 5 |]) "zeros [3x5]"
                Expect.equal (t.Sum()) (Tensor.Scalar 0.0) "the sum of nothing"
        ]

// ---------------------------------------------------------------------------------------------
// Strided gather and scatter
// ---------------------------------------------------------------------------------------------

/// The flat source position of output element o of a view: offset + Σ index_i·stride_i.
let private viewPosition (shape: int[]) (strides: int[]) offset o =
    let mutable r, s = o, offset

    for i in shape.Length - 1 .. -1 .. 0 do
        s <- s + (r % shape[i]) * strides[i]
        r <- r / shape[i]

    s

let private gatherCases =
    [
        "contiguous", 0, [| 2; 3; 4 |], [| 12; 4; 1 |]
        "contiguous at an offset", 7, [| 2; 3; 4 |], [| 12; 4; 1 |]
        "transposed", 0, [| 4; 3; 2 |], [| 1; 4; 12 |]
        "outer axis repeated", 3, [| 2; 3; 4 |], [| 0; 4; 1 |]
        "middle axis repeated", 0, [| 2; 3; 4 |], [| 12; 0; 1 |]
        "inner axis repeated", 1, [| 2; 3; 4 |], [| 12; 4; 0 |]
        "all repeated", 9, [| 2; 3 |], [| 0; 0 |]
        "non-unit inner stride", 2, [| 3; 5 |], [| 20; 3 |]
        "rank 1 with stride 2", 1, [| 7 |], [| 2 |]
        "rank 0", 9, [||], [||]
        "rank 4", 0, [| 2; 2; 3; 2 |], [| 60; 1; 10; 3 |]
        "empty", 0, [| 2; 0; 3 |], [| 0; 3; 1 |]
    ]

let private scatterCases =
    gatherCases
    |> List.filter (fun (_, _, _, strides) -> not (Array.contains 0 strides) || strides = [| 0; 3; 1 |])

let private permutations (xs: int list) =
    let rec go xs =
        match xs with
        | [] -> [ [] ]
        | _ ->
            [
                for x in xs do
                    for rest in go (List.filter ((<>) x) xs) -> x :: rest
            ]

    go xs |> List.map Array.ofList

let private stridesOf (shape: int[]) =
    Array.init shape.Length (fun i -> Array.fold (*) 1 shape[i + 1 ..])

let private strided =
    testList
        "strided"
        [
            testCase "Strided.Gather reads offset + Σ index·stride, repeats included"
            <| fun () ->
                let src = Array.init 200 (fun i -> float i + 0.5)

                for (name, offset, shape, strides) in gatherCases do
                    let dst = Array.create (count shape) -1.0
                    Strided.Gather(ReadOnlySpan<float>(src), offset, shape, strides, Span<float>(dst))

                    let expected =
                        Array.init (count shape) (fun o -> src[viewPosition shape strides offset o])

                    Expect.sequenceEqual dst expected name
                    let dst32 = Array.create (count shape) -1.0f

                    Strided.Gather(
                        ReadOnlySpan<float32>(Array.map float32 src),
                        offset,
                        shape,
                        strides,
                        Span<float32>(dst32)
                    )

                    Expect.sequenceEqual dst32 (Array.map float32 expected) $"{name}, float32"

            testCase "Strided.Scatter writes offset + Σ index·stride and nothing else"
            <| fun () ->
                for (name, offset, shape, strides) in scatterCases do
                    let src = Array.init (count shape) (fun i -> 1000.0 + float i)
                    let dst = Array.create 200 -1.0
                    Strided.Scatter(ReadOnlySpan<float>(src), shape, Span<float>(dst), offset, strides)
                    let expected = Array.create 200 -1.0

                    for o in 0 .. src.Length - 1 do
                        expected[viewPosition shape strides offset o] <- src[o]

                    Expect.sequenceEqual dst expected name

            testCase "Strided.BroadcastStrides is 0 on repeated and leading axes, the own stride elsewhere"
            <| fun () ->
                for (src, dst, expected) in
                    [
                        [| 3; 1 |], [| 2; 3; 4 |], [| 0; 1; 0 |]
                        [| 4 |], [| 3; 4 |], [| 0; 1 |]
                        [||], [| 2; 2 |], [| 0; 0 |]
                        [| 2; 1; 4 |], [| 2; 3; 4 |], [| 4; 0; 1 |]
                        [| 2; 3 |], [| 2; 3 |], [| 3; 1 |]
                    ] do
                    Expect.sequenceEqual
                        (Strided.BroadcastStrides(src, dst))
                        expected
                        $"{showShape src} to {showShape dst}"

            testCase "Elementwise.Expand repeats values by the broadcasting rule"
            <| fun () ->
                for (source, target) in
                    [
                        [| 3; 1 |], [| 2; 3; 4 |]
                        [| 4 |], [| 3; 4 |]
                        [||], [| 2; 2 |]
                        [| 2; 1; 4 |], [| 2; 3; 4 |]
                    ] do
                    let x = Array.init (count source) (fun i -> float i + 1.0)

                    let _, expected =
                        broadcastRef (fun a _ -> a) source x target (Array.zeroCreate (count target))

                    Expect.sequenceEqual
                        (Elementwise.Expand<float>(Tensor.FromArray(x, source), target))
                        expected
                        $"{showShape source} to {showShape target}"

                    Expect.sequenceEqual
                        (Elementwise.Expand<float32>(Tensor.FromArray(Array.map float32 x, source), target))
                        (Array.map float32 expected)
                        "float32"

            testCase "Permute moves every axis as index arithmetic says, for every permutation"
            <| fun () ->
                for shape in [ [| 2; 3; 4 |]; [| 2; 1; 3; 2 |] ] do
                    let x = Array.init (count shape) float
                    let own = stridesOf shape

                    for perm in permutations [ 0 .. shape.Length - 1 ] do
                        let outShape = perm |> Array.map (fun p -> shape[p])

                        let expected =
                            Array.init (count shape) (fun o ->
                                x[viewPosition outShape (perm |> Array.map (fun p -> own[p])) 0 o])

                        for dtype in [ DType.Float64; DType.Float32 ] do
                            let t = Tensor.FromArray(x, shape).ToDType(dtype).Permute perm
                            let what = $"permute {showShape shape} by [{String.Join(',', perm)}] {dtype}"
                            Expect.sequenceEqual (t.Shape |> Seq.toArray) outShape what
                            Expect.sequenceEqual (t.ToArray()) expected what

            testCase "Slice reads the box starts + index"
            <| fun () ->
                let shape = [| 4; 5; 6 |]
                let x = Array.init (count shape) float
                let t = Tensor.FromArray(x, shape)

                let cases =
                    [
                        "1..3, .., 2..^1",
                        t.Slice(Range(Index 1, Index 3), Range.All, Range(Index 2, Index(1, true))),
                        [| 1; 0; 2 |],
                        [| 2; 5; 3 |]
                        "axis 1 from -3 to -1", t.Slice(1, -3, -1), [| 0; 2; 0 |], [| 4; 2; 6 |]
                        "last column", t.Slice(2, 5, 6), [| 0; 0; 5 |], [| 4; 5; 1 |]
                        "first row", t.Slice(Range(Index 0, Index 1)), [| 0; 0; 0 |], [| 1; 5; 6 |]
                        "clamped past the end", t.Slice(0, 2, 99), [| 2; 0; 0 |], [| 2; 5; 6 |]
                        "empty", t.Slice(1, 3, 3), [| 0; 3; 0 |], [| 4; 0; 6 |]
                    ]

                for (name, s, starts, size) in cases do
                    let offset = Array.fold2 (fun acc st sd -> acc + st * sd) 0 starts (stridesOf shape)

                    let expected =
                        Array.init (count size) (fun o -> x[viewPosition size (stridesOf shape) offset o])

                    Expect.sequenceEqual (s.Shape |> Seq.toArray) size $"{name}: shape"
                    Expect.sequenceEqual (s.ToArray()) expected name

            testCase "the gradient of a slice pads the cotangent back into place (Scatter)"
            <| fun () ->
                let shape = [| 3; 4; 5 |]
                let x = Tensor.Zeros shape
                let starts, size = [| 1; 0; 2 |], [| 2; 4; 2 |]
                let w = Array.init (count size) (fun i -> float i + 1.0)

                let g =
                    Autodiff.Grad(
                        (fun (v: Tensor) ->
                            (v.Slice(Range(Index 1, Index 3), Range.All, Range(Index 2, Index 4))
                             * Tensor.FromArray(w, size))
                                .Sum()),
                        x
                    )

                let expected = Array.zeroCreate (count shape)
                let offset = Array.fold2 (fun acc st sd -> acc + st * sd) 0 starts (stridesOf shape)

                for o in 0 .. w.Length - 1 do
                    expected[viewPosition size (stridesOf shape) offset o] <- w[o]

                Expect.sequenceEqual (g.ToArray()) expected "padded"

            testCase "BroadcastTo repeats values by the broadcasting rule, both dtypes"
            <| fun () ->
                for (source, target) in
                    [
                        [| 3; 1 |], [| 2; 3; 4 |]
                        [| 4 |], [| 3; 4 |]
                        [||], [| 2; 2 |]
                        [| 1 |], [| 5 |]
                        [| 2; 1; 1 |], [| 2; 3; 2 |]
                    ] do
                    let x = Array.init (count source) (fun i -> float i - 1.5)

                    let _, expected =
                        broadcastRef (fun a _ -> a) source x target (Array.zeroCreate (count target))

                    for dtype in [ DType.Float64; DType.Float32 ] do
                        let t = Tensor.FromArray(x, source).ToDType(dtype).BroadcastTo target
                        Expect.sequenceEqual (t.Shape |> Seq.toArray) target "shape"
                        Expect.sequenceEqual (t.ToArray()) expected $"{showShape source} to {showShape target} {dtype}"

            testCase "Concat places each part at its running offset along the axis, both dtypes"
            <| fun () ->
                let baseShape = [| 2; 3; 4 |]

                for axis in 0..2 do
                    let sizes = [| 1; 3; 2 |]

                    let parts =
                        sizes
                        |> Array.mapi (fun p s ->
                            let shape = Array.copy baseShape
                            shape[axis] <- s
                            shape, Array.init (count shape) (fun i -> float (100 * p + i)))

                    let outShape = Array.copy baseShape
                    outShape[axis] <- Array.sum sizes

                    let expected =
                        Array.init (count outShape) (fun o ->
                            let idx = Array.zeroCreate 3
                            let mutable r = o

                            for i in 2..-1..0 do
                                idx[i] <- r % outShape[i]
                                r <- r / outShape[i]

                            let mutable p, at = 0, idx[axis]

                            while at >= sizes[p] do
                                at <- at - sizes[p]
                                p <- p + 1

                            idx[axis] <- at
                            let shape, values = parts[p]
                            values[Array.fold2 (fun acc i s -> acc + i * s) 0 idx (stridesOf shape)])

                    for dtype in [ DType.Float64; DType.Float32 ] do
                        let t =
                            Tensor.Concat(
                                [| for (shape, v) in parts -> Tensor.FromArray(v, shape).ToDType dtype |],
                                axis
                            )

                        Expect.sequenceEqual (t.Shape |> Seq.toArray) outShape $"axis {axis}: shape"
                        Expect.sequenceEqual (t.ToArray()) expected $"axis {axis} {dtype}"
        ]

/// A fused chain kernel (g·dy/dx in one pass) replaces the composite rule g * derivative(x, y) on
/// plain tensors; it must give the composite's bits exactly, in both modes and both dtypes, at every
/// length (vector body and tail), specials included.
let private fusedChains =
    // name, op, composite rule g * derivative(x, y), and a domain inside the op's
    let rules: (string * (Tensor -> Tensor) * (Tensor -> Tensor -> Tensor -> Tensor) * float * float) list =
        [
            "tanh", (fun x -> x.Tanh()), (fun g _ y -> g * (1.0 - y.Square())), -3.0, 3.0
            "sigmoid", (fun x -> x.Sigmoid()), (fun g _ y -> g * (y * (1.0 - y))), -3.0, 3.0
            "sin", (fun x -> x.Sin()), (fun g x _ -> g * x.Cos()), -7.0, 7.0
            "cos", (fun x -> x.Cos()), (fun g x _ -> g * -x.Sin()), -7.0, 7.0
            "asin", (fun x -> x.Asin()), (fun g x _ -> g * (1.0 - x.Square()).Rsqrt()), -1.0, 1.0
            "acos", (fun x -> x.Acos()), (fun g x _ -> g * -(1.0 - x.Square()).Rsqrt()), -1.0, 1.0
            "atan", (fun x -> x.Atan()), (fun g x _ -> g * (x.Square() + 1.0).Reciprocal()), -3.0, 3.0
            "asinh", (fun x -> x.Asinh()), (fun g x _ -> g * (x.Square() + 1.0).Rsqrt()), -3.0, 3.0
            "acosh", (fun x -> x.Acosh()), (fun g x _ -> g * ((x - 1.0) * (x + 1.0)).Rsqrt()), 1.0, 4.0
            "atanh", (fun x -> x.Atanh()), (fun g x _ -> g * (1.0 - x.Square()).Reciprocal()), -1.0, 1.0
            "log2", (fun x -> x.Log2()), (fun g x _ -> g * (x * Math.Log 2.0).Reciprocal()), 0.0, 4.0
            "log10", (fun x -> x.Log10()), (fun g x _ -> g * (x * Math.Log 10.0).Reciprocal()), 0.0, 4.0
            "exp2", (fun x -> x.Exp2()), (fun g _ y -> g * (y * Math.Log 2.0)), -3.0, 3.0
            "rsqrt", (fun x -> x.Rsqrt()), (fun g _ y -> g * (y * y.Square() * -0.5)), 0.0, 4.0
            "logit", (fun x -> x.Logit()), (fun g x _ -> g * (x * (1.0 - x)).Reciprocal()), 0.0, 1.0
            "entr", (fun x -> x.Entr()), (fun g x _ -> g * -(x.Log() + 1.0)), 0.0, 3.0
            "erf", (fun x -> x.Erf()), (fun g x _ -> g * (x.Square().Neg().Exp() * 1.1283791670955125739)), -3.0, 3.0
            "erfc", (fun x -> x.Erfc()), (fun g x _ -> g * (x.Square().Neg().Exp() * -1.1283791670955125739)), -3.0, 3.0
            "ndtr",
            (fun x -> x.Ndtr()),
            (fun g x _ -> g * ((x.Square() * -0.5).Exp() * 0.39894228040143267794)),
            -3.0,
            3.0
            "logNdtr",
            (fun x -> x.LogNdtr()),
            (fun g x y -> g * ((x.Square() * -0.5 - y).Exp() * 0.39894228040143267794)),
            -3.0,
            3.0
        ]

    testList
        "fused chain rules"
        [
            for name, f, composite, lo, hi in rules do
                for dtype in [ DType.Float64; DType.Float32 ] do
                    test $"{name} {dtype}: VJP and JVP equal the composite rule bit for bit" {
                        let rng = Random 7

                        for n in lengths do
                            let x = Tensor.FromArray(sprinkle 1 (uniform rng lo hi n)).ToDType dtype
                            let g = Tensor.FromArray(sprinkle 2 (uniform rng -3.0 3.0 n)).ToDType dtype
                            // The composite takes y from the same pass: TensorPrimitives' tanh can differ in the
                            // last bit between its precompiled and its rejitted code, so y is not recomputed.
                            // bits, NaN's sign included (compiled code runs the composite)
                            let bits (t: Tensor) =
                                t.ToArray() |> Array.map BitConverter.DoubleToInt64Bits

                            let struct (y, back) = Autodiff.Vjp(f, x)
                            Expect.sequenceEqual (bits (back.Invoke g)) (bits (composite g x y)) $"{name} VJP, n = {n}"
                            let struct (y, tangent) = Autodiff.Jvp(f, x, g)
                            Expect.sequenceEqual (bits tangent) (bits (composite g x y)) $"{name} JVP, n = {n}"
                    }
        ]

[<Tests>]
let tests =
    testList
        "kernels"
        [
            elementwise
            gemm
            widthTests
            smallProducts
            reductions
            strided
            fusedChains
        ]
