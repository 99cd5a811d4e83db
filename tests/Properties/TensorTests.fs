/// Construction and reading out: every factory, the accessors, exact equality and hashing,
/// AllClose, random tensors and the PyTorch-style ToString.
module TensorTests

open System
open System.Collections.Generic
open System.Globalization
open Expecto
open FuncGrad
open Support.Check

let private config =
    { FsCheckConfig.defaultConfig with
        maxTest = 50
    }

/// Element-by-element equality as Double.Equals defines it (NaN equals NaN), with a readable failure.
let private sameFloats (what: string) (actual: float[]) (expected: float[]) =
    if actual.Length <> expected.Length then
        failtestf "%s: %d values, expected %d" what actual.Length expected.Length

    for i in 0 .. actual.Length - 1 do
        if not (actual[i].Equals expected[i]) then
            failtestf "%s: element %d is %.17g, expected %.17g" what i actual[i] expected[i]

let private sameShape (what: string) (t: Tensor) (expected: int[]) =
    Expect.sequenceEqual (shapeOf t) expected what

/// A generator whose NextDouble always returns the largest double below 1, a value Random may return.
type private LargestBelowOne() =
    inherit Random()
    override _.NextDouble() = 1.0 - Math.Pow(2.0, -53.0)

/// A generator whose NextDouble always returns 0.
type private Smallest() =
    inherit Random()
    override _.NextDouble() = 0.0

// ---------------------------------------------------------------------------------------------
// Construction
// ---------------------------------------------------------------------------------------------

let private construction =
    testList
        "construction"
        [
            testCase "FromArray of a double[] is a 1-D float64 tensor holding the values in order"
            <| fun () ->
                let t = Tensor.FromArray [| 1.5; -2.0; 3.25 |]
                sameShape "shape" t [| 3 |]
                Expect.equal t.Rank 1 "rank"
                Expect.equal t.Count 3 "count"
                Expect.equal t.DType DType.Float64 "dtype"
                sameFloats "values" (t.ToArray()) [| 1.5; -2.0; 3.25 |]

            testCase "FromArray of a float[] is float32"
            <| fun () ->
                let t = Tensor.FromArray [| 1.5f; -2.0f |]
                Expect.equal t.DType DType.Float32 "dtype"
                Expect.sequenceEqual (t.ToFloatArray()) [| 1.5f; -2.0f |] "values"

            testCase "FromArray with a shape lays the values out row-major"
            <| fun () ->
                let t = Tensor.FromArray([| 1.0 .. 6.0 |], [| 2; 3 |])
                sameShape "shape" t [| 2; 3 |]
                Expect.equal t.Rank 2 "rank"
                // Row-major: element (i, j) is value i·3 + j, so row 1 is 4, 5, 6 and column 0 is 1, 4.
                sameFloats "row 1" (t.IndexSelect(0, [| 1 |]).ToArray()) [| 4.0; 5.0; 6.0 |]
                sameFloats "column 0" (t.IndexSelect(1, [| 0 |]).ToArray()) [| 1.0; 4.0 |]

            testCase "FromArray with a shape of the wrong count is a ShapeMismatchException"
            <| fun () ->
                let e =
                    raises<ShapeMismatchException> "5 values into [2x3]" (fun () ->
                        Tensor.FromArray([| 1.0 .. 5.0 |], [| 2; 3 |]) |> ignore)

                Expect.stringContains e.Message "[2x3]" "names the shape"

            testCase "FromArray of a double[,] keeps the rectangle's shape and row-major order"
            <| fun () ->
                let t = Tensor.FromArray(array2D [ [ 1.0; 2.0; 3.0 ]; [ 4.0; 5.0; 6.0 ] ])
                sameShape "shape" t [| 2; 3 |]
                Expect.equal t.DType DType.Float64 "dtype"
                sameFloats "values" (t.ToArray()) [| 1.0 .. 6.0 |]

                Expect.equal
                    t
                    (Tensor.FromArray([| 1.0 .. 6.0 |], [| 2; 3 |]))
                    "the same tensor as FromArray with a shape"

            testCase "FromArray of a float[,] is float32"
            <| fun () ->
                let t = Tensor.FromArray(array2D [ [ 1.0f; 2.0f ]; [ 3.0f; 4.0f ]; [ 5.0f; 6.0f ] ])
                sameShape "shape" t [| 3; 2 |]
                Expect.equal t.DType DType.Float32 "dtype"
                Expect.sequenceEqual (t.ToFloatArray()) [| 1.0f .. 6.0f |] "values"

            testCase "FromArray(Array) of a double[,,] is rank 3 with element (i, j, k) at i·12 + j·4 + k"
            <| fun () ->
                let a = Array3D.init 2 3 4 (fun i j k -> float (100 * i + 10 * j + k))
                let t = Tensor.FromArray(a :> Array)
                sameShape "shape" t [| 2; 3; 4 |]
                Expect.equal t.Rank 3 "rank"
                let v = t.ToArray()

                for i in 0..1 do
                    for j in 0..2 do
                        for k in 0..3 do
                            Expect.equal v[i * 12 + j * 4 + k] (float (100 * i + 10 * j + k)) $"element ({i}, {j}, {k})"

            testCase "FromArray(Array) of a float[,,] is float32"
            <| fun () ->
                let t =
                    Tensor.FromArray(Array3D.init 2 2 2 (fun i j k -> float32 (4 * i + 2 * j + k)) :> Array)

                Expect.equal t.DType DType.Float32 "dtype"
                Expect.sequenceEqual (t.ToFloatArray()) [| 0.0f .. 7.0f |] "values"

            testCase "FromArray(Array) of bytes is an ArgumentException naming the element type"
            <| fun () ->
                let e =
                    raises<ArgumentException> "byte[,]" (fun () ->
                        Tensor.FromArray(Array2D.zeroCreate<byte> 2 2 :> Array) |> ignore)

                Expect.stringContains e.Message "Byte" "names the element type"

            testCase "FromArray of a jagged double[][] with equal rows is a matrix"
            <| fun () ->
                let t = Tensor.FromArray [| [| 1.0; 2.0 |]; [| 3.0; 4.0 |]; [| 5.0; 6.0 |] |]
                sameShape "shape" t [| 3; 2 |]
                sameFloats "values" (t.ToArray()) [| 1.0 .. 6.0 |]

            testCase "FromArray of a ragged double[][] is a ShapeMismatchException naming the row"
            <| fun () ->
                let e =
                    raises<ShapeMismatchException> "ragged" (fun () ->
                        Tensor.FromArray [| [| 1.0; 2.0 |]; [| 3.0; 4.0 |]; [| 5.0 |] |] |> ignore)

                Expect.stringContains e.Message "row 2" "names the short row"
                Expect.stringContains e.Message "fromArray" "names the op"

            testCase "FromArray of an empty jagged array is [0x0]"
            <| fun () ->
                let t = Tensor.FromArray(Array.empty<float[]>)
                sameShape "shape" t [| 0; 0 |]
                Expect.equal t.Count 0 "count"

            testCase "FromArray copies its input: changing the source array later does not change the tensor"
            <| fun () ->
                let a = [| 1.0; 2.0; 3.0 |]
                let f = [| 1.0f; 2.0f |]
                let m = array2D [ [ 1.0; 2.0 ]; [ 3.0; 4.0 ] ]
                let j = [| [| 1.0; 2.0 |]; [| 3.0; 4.0 |] |]
                let s = [| 3 |]

                let ta, tf, tm, tj =
                    Tensor.FromArray(a, s), Tensor.FromArray f, Tensor.FromArray(m :> Array), Tensor.FromArray j

                a[0] <- 99.0
                f[0] <- 99.0f
                m[0, 0] <- 99.0
                j[0][0] <- 99.0
                s[0] <- 1
                sameFloats "double[]" (ta.ToArray()) [| 1.0; 2.0; 3.0 |]
                sameShape "shape array" ta [| 3 |]
                Expect.sequenceEqual (tf.ToFloatArray()) [| 1.0f; 2.0f |] "float[]"
                sameFloats "double[,]" (tm.ToArray()) [| 1.0; 2.0; 3.0; 4.0 |]
                sameFloats "double[][]" (tj.ToArray()) [| 1.0; 2.0; 3.0; 4.0 |]

            testCase "Scalar is rank 0 with one element"
            <| fun () ->
                let t = Tensor.Scalar 2.5
                Expect.equal t.Rank 0 "rank"
                Expect.isTrue t.Shape.IsEmpty "shape is empty"
                Expect.equal t.Count 1 "count"
                Expect.equal t.DType DType.Float64 "dtype"
                Expect.equal (t.Item()) 2.5 "value"
                let f = Tensor.Scalar(0.1, DType.Float32)
                Expect.equal f.DType DType.Float32 "float32 dtype"
                Expect.equal (f.Item()) (float 0.1f) "the value rounded to float32"

            testCase "Zeros, Ones and Full fill every element of the shape"
            <| fun () ->
                for dtype in [ DType.Float64; DType.Float32 ] do
                    for shape in [ [||]; [| 4 |]; [| 2; 3 |]; [| 2; 1; 3 |] ] do
                        let n = Array.fold (*) 1 shape

                        for (name, t, v) in
                            [
                                "Zeros", Tensor.Zeros(shape, dtype), 0.0
                                "Ones", Tensor.Ones(shape, dtype), 1.0
                                "Full", Tensor.Full(shape, -7.5, dtype), -7.5
                            ] do
                            let what = $"{name} {dtype} [{String.Join(',', shape)}]"
                            sameShape what t shape
                            Expect.equal t.DType dtype what
                            sameFloats what (t.ToArray()) (Array.create n v)

            testCase "Full in float32 rounds the value to float32"
            <| fun () ->
                Expect.sequenceEqual
                    (Tensor.Full([| 3 |], 0.1, DType.Float32).ToFloatArray())
                    [| 0.1f; 0.1f; 0.1f |]
                    "0.1f"

            testCase "Zeros with a zero dimension has no elements"
            <| fun () ->
                let t = Tensor.Zeros [| 2; 0; 3 |]
                sameShape "shape" t [| 2; 0; 3 |]
                Expect.equal t.Count 0 "count"
                Expect.equal (t.ToArray()) [||] "values"

            testCase "Zeros copies its shape argument"
            <| fun () ->
                let s = [| 2; 3 |]
                let t = Tensor.Zeros s
                s[0] <- 5
                sameShape "shape" t [| 2; 3 |]

            testCase "ZerosLike and OnesLike take shape and dtype, and are plain even for a variable"
            <| fun () ->
                let like = Tensor.FromArray([| 1.0f; 2.0f; 3.0f |], [| 3; 1 |]).RequiresGrad()
                let z, o = Tensor.ZerosLike like, Tensor.OnesLike like

                for (name, t, v) in [ "ZerosLike", z, 0.0; "OnesLike", o, 1.0 ] do
                    sameShape name t [| 3; 1 |]
                    Expect.equal t.DType DType.Float32 name
                    Expect.isFalse t.RequiresGradient $"{name} has no graph"
                    sameFloats name (t.ToArray()) (Array.create 3 v)

            testCase "Arange counts up by the step, stopping before stop"
            <| fun () ->
                sameFloats "0..3" (Tensor.Arange(0.0, 3.0).ToArray()) [| 0.0; 1.0; 2.0 |]
                sameFloats "2..7 by 2" (Tensor.Arange(2.0, 7.0, 2.0).ToArray()) [| 2.0; 4.0; 6.0 |]
                // Quarters are exact in binary, so these values are exact.
                sameFloats "0..1 by 0.25" (Tensor.Arange(0.0, 1.0, 0.25).ToArray()) [| 0.0; 0.25; 0.5; 0.75 |]

            testCase "Arange with a fractional step has ceil((stop − start)/step) values, each start + i·step"
            <| fun () ->
                let t = Tensor.Arange(0.0, 1.0, 0.1)
                sameShape "ten values" t [| 10 |]

                t.ToArray()
                |> Array.iteri (fun i v -> closeNum $"element {i}" 0.0 1e-15 v (float i / 10.0))

                let u = Tensor.Arange(1.0, 2.0, 0.3) // 1, 1.3, 1.6, 1.9
                sameShape "1..2 by 0.3" u [| 4 |]

                u.ToArray()
                |> Array.iteri (fun i v -> closeNum $"element {i}" 0.0 1e-15 v (1.0 + 0.3 * float i))

                Expect.isLessThan (u.ToArray()[3]) 2.0 "below stop"

            testCase "Arange with a negative step counts down"
            <| fun () ->
                // 5, 3.5, 2, 0.5: all exact halves; the next, −1, is past stop 0.
                sameFloats "5 down to 0 by 1.5" (Tensor.Arange(5.0, 0.0, -1.5).ToArray()) [| 5.0; 3.5; 2.0; 0.5 |]

            testCase "Arange is empty when stop is not past start in the step's direction"
            <| fun () ->
                for (a, b, s) in [ 3.0, 0.0, 1.0; 0.0, 0.0, 1.0; 0.0, 3.0, -1.0 ] do
                    let t = Tensor.Arange(a, b, s)
                    sameShape $"arange({a}, {b}, {s})" t [| 0 |]

            testCase "Arange never reaches stop (documented: up to, not including, stop)"
            <| fun () ->
                // (1.3 − 1)/0.1 rounds to 3.0000000000000004, so a ceiling of the quotient counts a fourth
                // value, 1 + 3·0.1, which is the double 1.3 itself: stop would be included.
                for (a, b, s) in [ 1.0, 1.3, 0.1; 0.0, 0.3, 0.1; 1.0, 0.7, -0.1 ] do
                    let v = Tensor.Arange(a, b, s).ToArray()

                    for x in v do
                        if (s > 0.0 && x >= b) || (s < 0.0 && x <= b) then
                            failtestf "arange(%g, %g, %g) = %A contains %.17g, which is not before stop" a b s v x

            testCase "Arange in float32 has float32 dtype"
            <| fun () ->
                let t = Tensor.Arange(0.0, 4.0, dtype = DType.Float32)
                Expect.equal t.DType DType.Float32 "dtype"
                Expect.sequenceEqual (t.ToFloatArray()) [| 0.0f; 1.0f; 2.0f; 3.0f |] "values"

            testCase "Linspace has exact endpoints and even steps"
            <| fun () ->
                for (a, b, n) in [ 0.1, 0.7, 7; -1.0 / 3.0, 2.0 / 3.0, 11; 1e-3, 1e3, 50; 0.3, -0.9, 13 ] do
                    let v = Tensor.Linspace(a, b, n).ToArray()
                    Expect.equal v.Length n "count"
                    Expect.equal v[0] a "first is start, exactly"
                    Expect.equal v[n - 1] b "last is stop, exactly"
                    let step = (b - a) / float (n - 1)

                    v
                    |> Array.iteri (fun i x ->
                        closeNum $"linspace({a}, {b}, {n})[{i}]" 1e-14 1e-15 x (a + float i * step))

                sameFloats "quarters" (Tensor.Linspace(0.0, 1.0, 5).ToArray()) [| 0.0; 0.25; 0.5; 0.75; 1.0 |]
                sameFloats "downwards" (Tensor.Linspace(1.0, -1.0, 5).ToArray()) [| 1.0; 0.5; 0.0; -0.5; -1.0 |]

            testCase "Linspace with count 0 is empty and with count 1 is [start]"
            <| fun () ->
                sameShape "count 0" (Tensor.Linspace(0.0, 1.0, 0)) [| 0 |]
                sameFloats "count 1" (Tensor.Linspace(2.0, 5.0, 1).ToArray()) [| 2.0 |]
                sameFloats "count 2" (Tensor.Linspace(2.0, 5.0, 2).ToArray()) [| 2.0; 5.0 |]
                Expect.equal (Tensor.Linspace(0.0, 1.0, 3, DType.Float32)).DType DType.Float32 "float32"

                raises<ArgumentException> "negative count" (fun () -> Tensor.Linspace(0.0, 1.0, -1) |> ignore)
                |> ignore

            testCase "Eye is the identity matrix"
            <| fun () ->
                for n in 0..5 do
                    let t = Tensor.Eye n
                    sameShape $"eye {n}" t [| n; n |]

                    Expect.equal
                        t
                        (Tensor.FromArray(Array2D.init n n (fun i j -> if i = j then 1.0 else 0.0) :> Array))
                        $"eye {n}"

                let f = Tensor.Eye(3, DType.Float32)
                Expect.equal f.DType DType.Float32 "float32"
                Expect.equal (f.Sum().Item()) 3.0 "three ones"
        ]

// ---------------------------------------------------------------------------------------------
// Random tensors
// ---------------------------------------------------------------------------------------------

let private mean (v: float[]) = Array.average v

let private variance (v: float[]) =
    let m = mean v in (v |> Array.sumBy (fun x -> (x - m) * (x - m))) / float (v.Length - 1)

let private random =
    testList
        "random"
        [
            testCase "the same seed gives Equals-identical tensors; different seeds differ"
            <| fun () ->
                for dtype in [ DType.Float64; DType.Float32 ] do
                    Expect.equal
                        (Tensor.RandomNormal([| 4; 5 |], 7, dtype))
                        (Tensor.RandomNormal([| 4; 5 |], 7, dtype))
                        "normal, same seed"

                    Expect.equal
                        (Tensor.RandomNormal([| 4; 5 |], Random 7, dtype))
                        (Tensor.RandomNormal([| 4; 5 |], 7, dtype))
                        "normal, a Random with that seed"

                    Expect.notEqual
                        (Tensor.RandomNormal([| 4; 5 |], 7, dtype))
                        (Tensor.RandomNormal([| 4; 5 |], 8, dtype))
                        "normal, different seeds"

                    Expect.equal
                        (Tensor.RandomUniform([| 9 |], 3, -1.0, 2.0, dtype))
                        (Tensor.RandomUniform([| 9 |], 3, -1.0, 2.0, dtype))
                        "uniform, same seed"

                    Expect.equal
                        (Tensor.RandomUniform([| 9 |], Random 3, -1.0, 2.0, dtype))
                        (Tensor.RandomUniform([| 9 |], 3, -1.0, 2.0, dtype))
                        "uniform, a Random with that seed"

                    Expect.notEqual
                        (Tensor.RandomUniform([| 9 |], 3, -1.0, 2.0, dtype))
                        (Tensor.RandomUniform([| 9 |], 4, -1.0, 2.0, dtype))
                        "uniform, different seeds"

            testCase "successive draws from one generator differ"
            <| fun () ->
                let rng = Random 11
                Expect.notEqual (Tensor.RandomNormal([| 6 |], rng)) (Tensor.RandomNormal([| 6 |], rng)) "normal"
                Expect.notEqual (Tensor.RandomUniform([| 6 |], rng)) (Tensor.RandomUniform([| 6 |], rng)) "uniform"

            testCase "random tensors have the requested shape and dtype, odd counts included"
            <| fun () ->
                for shape in [ [||]; [| 1 |]; [| 7 |]; [| 3; 3 |]; [| 2; 0 |] ] do
                    for dtype in [ DType.Float64; DType.Float32 ] do
                        let n, u =
                            Tensor.RandomNormal(shape, 5, dtype), Tensor.RandomUniform(shape, 5, dtype = dtype)

                        for t in [ n; u ] do
                            sameShape "shape" t shape
                            Expect.equal t.DType dtype "dtype"
                            Expect.all (t.ToArray()) Double.IsFinite "finite"

            testCase "uniform samples lie in [low, high) and have the right mean and variance"
            <| fun () ->
                // U(low, high) has mean (low + high)/2 and variance (high − low)²/12. The sample mean of
                // n = 10000 draws has standard deviation sqrt(var/n); the sample variance has standard
                // deviation about (high − low)²·sqrt(1/180/n) (its fourth central moment is (high − low)⁴/80).
                // Six standard deviations make a false failure less likely than one in 10⁸.
                let low, high, n = -2.0, 3.0, 10000

                for seed in [ 1; 2; 3 ] do
                    for dtype in [ DType.Float64; DType.Float32 ] do
                        let v = Tensor.RandomUniform([| n |], seed, low, high, dtype).ToArray()
                        Expect.all v (fun x -> low <= x && x < high) "in [low, high)"
                        let var = (high - low) ** 2.0 / 12.0

                        closeNum
                            $"mean (seed {seed}, {dtype})"
                            0.0
                            (6.0 * sqrt (var / float n))
                            (mean v)
                            ((low + high) / 2.0)

                        closeNum
                            $"variance (seed {seed}, {dtype})"
                            0.0
                            (6.0 * (high - low) ** 2.0 * sqrt (1.0 / 180.0 / float n))
                            (variance v)
                            var

            testCase "uniform samples never equal high, even when the generator returns its largest value below 1"
            <| fun () ->
                // Random.NextDouble may return 1 − 2⁻⁵³. Then low + (high − low)·u can round up to high:
                // in float64 for [1, 2) (1 + (1 − 2⁻⁵³) is halfway to 2 and rounds to even, 2), and in float32
                // for the default [0, 1) (0.99999999999999989 rounds to 1f). The documented range is [low, high).
                for (low, high, dtype) in
                    [
                        0.0, 1.0, DType.Float32
                        1.0, 2.0, DType.Float64
                        -1.0, 1.0, DType.Float32
                        0.0, 0.1, DType.Float32
                    ] do
                    let v = Tensor.RandomUniform([| 1 |], LargestBelowOne(), low, high, dtype).Item()

                    if not (v < high) then
                        failtestf
                            "RandomUniform(low=%g, high=%g, %O) returned %.17g, which is not below high"
                            low
                            high
                            dtype
                            v
                    // The smallest draw, 0, gives low itself.
                    Expect.equal
                        (Tensor.RandomUniform([| 1 |], Smallest(), low, high, dtype).Item())
                        low
                        $"low of [{low}, {high}) {dtype}"

            testCase "float32 uniform samples never fall below a low that float32 cannot represent"
            <| fun () ->
                // 0.7 rounds down to 0.69999999f; the smallest draw must give the first float32 at or above 0.7.
                let v = Tensor.RandomUniform([| 1 |], Smallest(), 0.7, 0.9, DType.Float32).Item()
                Expect.isTrue (v >= 0.7) $"returned %.17g{v}, below low"
                Expect.equal (float32 v) (MathF.BitIncrement 0.7f) "the least float32 in [0.7, 0.9)"

            testCase "normal samples have mean 0, variance 1 and 68.3% within one standard deviation"
            <| fun () ->
                // For n = 10000 standard normal draws: the sample mean has standard deviation 1/sqrt(n) = 0.01;
                // the sample variance has standard deviation sqrt(2/(n − 1)) ≈ 0.0141; the fraction inside
                // [−1, 1] (p = 0.6827) has standard deviation sqrt(p(1 − p)/n) ≈ 0.0047. Bounds are six
                // standard deviations, so a correct generator fails with probability below 10⁻⁸.
                let n = 10000

                for seed in [ 1; 2; 3 ] do
                    for dtype in [ DType.Float64; DType.Float32 ] do
                        let v = Tensor.RandomNormal([| n |], seed, dtype).ToArray()
                        closeNum $"mean (seed {seed}, {dtype})" 0.0 (6.0 / sqrt (float n)) (mean v) 0.0

                        closeNum
                            $"variance (seed {seed}, {dtype})"
                            0.0
                            (6.0 * sqrt (2.0 / float (n - 1)))
                            (variance v)
                            1.0

                        let inside =
                            float (v |> Array.filter (fun x -> abs x <= 1.0) |> Array.length) / float n

                        let p = 0.6826894921370859 // erf(1/sqrt 2)

                        closeNum
                            $"fraction within one sd (seed {seed}, {dtype})"
                            0.0
                            (6.0 * sqrt (p * (1.0 - p) / float n))
                            inside
                            p
        ]

// ---------------------------------------------------------------------------------------------
// Reading out
// ---------------------------------------------------------------------------------------------

let private reading =
    testList
        "reading"
        [
            testCase "ToArray returns a copy: changing it does not change the tensor"
            <| fun () ->
                for dtype in [ DType.Float64; DType.Float32 ] do
                    let t = Tensor.FromArray([| 1.0; 2.0; 3.0; 4.0 |], [| 2; 2 |]).ToDType dtype
                    let before = Tensor.FromArray(t.ToArray(), [| 2; 2 |]).ToDType dtype
                    let a = t.ToArray()
                    a[0] <- 100.0
                    let f = t.ToFloatArray()
                    f[1] <- 100.0f
                    Expect.equal t before $"{dtype}: unchanged"
                    sameFloats "a fresh copy" (t.ToArray()) [| 1.0; 2.0; 3.0; 4.0 |]
                    Expect.isFalse (obj.ReferenceEquals(t.ToArray(), t.ToArray())) "a new array each time"

            testCase "ToArray and ToFloatArray of a reshaped tensor do not expose the shared storage"
            <| fun () ->
                let t = Tensor.Arange(0.0, 6.0)
                let r = t.Reshape [| 2; 3 |]
                (r.ToArray())[0] <- 42.0
                (r.ToFloatArray())[0] <- 42.0f
                sameFloats "original" (t.ToArray()) [| 0.0 .. 5.0 |]

            testCase "ToArray widens float32 exactly; ToFloatArray rounds float64 to nearest"
            <| fun () ->
                let f = Tensor.FromArray [| 0.1f; -3.5f |]
                sameFloats "widened" (f.ToArray()) [| float 0.1f; -3.5 |]
                let d = Tensor.FromArray [| 0.1; 1.0 + 1e-12 |]
                Expect.sequenceEqual (d.ToFloatArray()) [| 0.1f; 1.0f |] "rounded"

            testCase "AsSpan reads the float64 values without copying"
            <| fun () ->
                let t = Tensor.FromArray([| 1.0; 2.0; 3.0; 4.0; 5.0; 6.0 |], [| 3; 2 |])
                let s = t.AsSpan()
                Expect.equal s.Length 6 "length is Count"
                Expect.equal s[1] 2.0 "element 1"
                sameFloats "all" (s.ToArray()) (t.ToArray())
                let v = t.RequiresGrad()
                let sv = v.AsSpan()
                Expect.equal sv[5] 6.0 "a variable's span reads its value"

            testCase "AsSpan of float32 is a DTypeMismatchException; AsFloatSpan reads it"
            <| fun () ->
                let t = Tensor.FromArray [| 1.5f; 2.5f |]

                let e =
                    raises<DTypeMismatchException> "AsSpan of float32" (fun () -> let _ = t.AsSpan() in ())

                Expect.stringContains e.Message "AsFloatSpan" "says what to use instead"
                let s = t.AsFloatSpan()
                Expect.equal s[1] 2.5f "AsFloatSpan"

                raises<DTypeMismatchException> "AsFloatSpan of float64" (fun () ->
                    let _ = (Tensor.Scalar 1.0).AsFloatSpan() in ())
                |> ignore

            testCase "Item reads the single element of a one-element tensor of any rank"
            <| fun () ->
                Expect.equal ((Tensor.Scalar(-4.25)).Item()) -4.25 "rank 0"
                Expect.equal ((Tensor.FromArray [| 7.0 |]).Item()) 7.0 "rank 1"
                Expect.equal ((Tensor.Full([| 1; 1; 1 |], 3.0)).Item()) 3.0 "rank 3"
                Expect.equal ((Tensor.Scalar(0.1, DType.Float32)).Item()) (float 0.1f) "float32, widened"

            testCase "Item of a tensor without exactly one element is a ShapeMismatchException"
            <| fun () ->
                for shape in [ [| 2 |]; [| 0 |]; [| 2; 3 |] ] do
                    let e =
                        raises<ShapeMismatchException> "Item" (fun () -> Tensor.Zeros(shape).Item() |> ignore)

                    Expect.stringContains e.Message "item" "names the op"
                    Expect.stringContains e.Message ("[" + String.Join("x", shape) + "]") "names the shape"

            testCase "Shape, Rank and Count agree with the dimensions"
            <| fun () ->
                for shape in [ [||]; [| 5 |]; [| 2; 3 |]; [| 2; 3; 4 |]; [| 0; 4 |]; [| 1; 1; 1; 1 |] ] do
                    let t = Tensor.Zeros shape
                    sameShape "Shape" t shape
                    Expect.equal t.Rank shape.Length "Rank is the number of dimensions"
                    Expect.equal t.Count (Array.fold (*) 1 shape) "Count is the product of the dimensions"

            // A one-element value keeps its element inline, with no array: every way of reading, reshaping,
            // multiplying and differentiating must see the same number as for an array-backed tensor.
            testCase "one-element tensors read, reshape, multiply and differentiate like any other"
            <| fun () ->
                for dtype in [ DType.Float64; DType.Float32 ] do
                    let v = 1.0 / 3.0
                    let expected = if dtype = DType.Float32 then float (float32 v) else v

                    for shape in [ [||]; [| 1 |]; [| 1; 1 |]; [| 1; 1; 1 |] ] do
                        let t = Tensor.FromArray([| v |], shape).ToDType dtype
                        Expect.equal (t.ToArray()) [| expected |] $"ToArray {dtype} {shape.Length}"
                        Expect.equal (t.ToFloatArray()) [| float32 v |] $"ToFloatArray {dtype}"
                        Expect.equal (t.Item()) expected $"Item {dtype}"

                        let span =
                            if dtype = DType.Float64 then
                                t.AsSpan()[0]
                            else
                                float (t.AsFloatSpan()[0])

                        Expect.equal span expected $"AsSpan {dtype}"
                        Expect.equal ((t.Reshape [| 1 |]).Item()) expected $"Reshape {dtype}"

                        Expect.isTrue
                            (t.Equals(Tensor.FromArray([| expected |], shape).ToDType dtype))
                            $"Equals {dtype}"

                        Expect.equal
                            ((t * 3.0).Item())
                            (if dtype = DType.Float32 then
                                 float (float32 v * 3.0f)
                             else
                                 v * 3.0)
                            $"x·3 {dtype}"

                        Expect.equal
                            ((t + 1.0).Item())
                            (if dtype = DType.Float32 then
                                 float (float32 v + 1.0f)
                             else
                                 v + 1.0)
                            $"x + 1 {dtype}"
                    // [1x1]·[1x1] and [1x1]·[1x3] through the GEMM
                    let a = Tensor.FromArray([| 2.0 |], [| 1; 1 |]).ToDType dtype
                    Expect.equal ((a.MatMul a).ToArray()) [| 4.0 |] $"[1x1]·[1x1] {dtype}"

                    Expect.equal
                        ((a.MatMul(Tensor.FromArray([| 1.0; 2.0; 3.0 |], [| 1; 3 |]).ToDType dtype)).ToArray())
                        [| 2.0; 4.0; 6.0 |]
                        $"[1x1]·[1x3] {dtype}"
                    // d/dx (x·x·3 + 1) = 6x at x = 2, through nodes that hold inline values
                    Expect.equal
                        ((Autodiff.Grad((fun (x: Tensor) -> x * x * 3.0 + 1.0), a)).ToArray())
                        [| 12.0 |]
                        $"gradient {dtype}"
        ]

// ---------------------------------------------------------------------------------------------
// Equality, hashing and AllClose
// ---------------------------------------------------------------------------------------------

let private nanWithPayload = BitConverter.Int64BitsToDouble 0x7FF8000000000123L

let private equality =
    testList
        "equality"
        [
            testCase "equal values, shape and dtype are Equals, both ways and through object"
            <| fun () ->
                let a = Tensor.FromArray([| 1.0; 2.0; 3.0; 4.0 |], [| 2; 2 |])
                let b = Tensor.FromArray(array2D [ [ 1.0; 2.0 ]; [ 3.0; 4.0 ] ] :> Array)
                Expect.isTrue (a.Equals b) "a equals b"
                Expect.isTrue (b.Equals a) "b equals a"
                Expect.isTrue (a.Equals(b :> obj)) "through object"
                Expect.isTrue (a.Equals a) "reflexive"
                Expect.isFalse (a.Equals(Unchecked.defaultof<Tensor>)) "not null"
                Expect.isFalse (a.Equals(box "tensor")) "not another type"

            testCase "NaN equals NaN, whatever its payload"
            <| fun () ->
                let a = Tensor.FromArray [| 1.0; nan |]
                Expect.isTrue (a.Equals(Tensor.FromArray [| 1.0; nan |])) "NaN"
                Expect.isTrue (a.Equals(Tensor.FromArray [| 1.0; nanWithPayload |])) "NaN with another payload"

                Expect.isTrue
                    ((Tensor.FromArray [| nan |]).ToDType(DType.Float32).Equals(Tensor.FromArray [| Single.NaN |]))
                    "float32 NaN"

            testCase "0.0 equals -0.0"
            <| fun () ->
                Expect.isTrue ((Tensor.FromArray [| 0.0; 1.0 |]).Equals(Tensor.FromArray [| -0.0; 1.0 |])) "float64"
                Expect.isTrue ((Tensor.FromArray [| 0.0f |]).Equals(Tensor.FromArray [| -0.0f |])) "float32"

            testCase "a different value anywhere, a different dtype or a different shape is not equal"
            <| fun () ->
                let v = Array.init 40 float
                let a = Tensor.FromArray v

                for i in [ 0; 17; 39 ] do
                    let w = Array.copy v
                    w[i] <- w[i] + 0.5
                    Expect.isFalse (a.Equals(Tensor.FromArray w)) $"element {i} differs"

                Expect.isFalse (a.Equals(a.ToDType DType.Float32)) "float64 vs float32 with the same values"
                Expect.isFalse ((a.ToDType DType.Float32).Equals a) "float32 vs float64"
                let six = Tensor.Arange(0.0, 6.0)
                Expect.isFalse (six.Equals(six.Reshape [| 2; 3 |])) "[6] vs [2x3]"
                Expect.isFalse ((six.Reshape [| 2; 3 |]).Equals(six.Reshape [| 3; 2 |])) "[2x3] vs [3x2]"
                Expect.isFalse ((Tensor.Scalar 1.0).Equals(Tensor.FromArray [| 1.0 |])) "[] vs [1]"
                Expect.isFalse ((Tensor.Zeros [| 0 |]).Equals(Tensor.Zeros [| 0; 0 |])) "[0] vs [0x0]"

            testCase "Equals ignores the graph: a variable equals its plain value"
            <| fun () ->
                let x = Tensor.FromArray [| 1.5; -2.0 |]
                let v = x.RequiresGrad()
                Expect.isTrue (v.Equals x) "variable equals plain"
                Expect.isTrue (x.Equals v) "plain equals variable"
                Expect.isTrue ((v * 2.0).Equals(x * 2.0)) "computed equals plain result"
                Expect.isTrue (v.Detach().Equals x) "detached"
                let seen = ref false

                Autodiff.Jvp(
                    (fun (t: Tensor) ->
                        seen.Value <- t.Equals x
                        t),
                    x,
                    Tensor.OnesLike x
                )
                |> ignore

                Expect.isTrue seen.Value "a forward-mode dual equals its primal"

            testCase "GetHashCode agrees for tensors that are Equals"
            <| fun () ->
                let pairs =
                    [
                        Tensor.FromArray [| 1.0; 2.0 |], Tensor.FromArray [| 1.0; 2.0 |]
                        Tensor.FromArray [| 0.0; 1.0 |], Tensor.FromArray [| -0.0; 1.0 |]
                        Tensor.FromArray [| nan |], Tensor.FromArray [| nanWithPayload |]
                        Tensor.FromArray [| 3.0 |], (Tensor.FromArray [| 3.0 |]).RequiresGrad()
                        Tensor.Arange(0.0, 40.0), Tensor.Arange(0.0, 40.0)
                        Tensor.Ones([| 2; 2 |], DType.Float32), Tensor.Ones([| 2; 2 |], DType.Float32)
                    ]

                for (a, b) in pairs do
                    Expect.isTrue (a.Equals b) $"{a} equals {b}"
                    Expect.equal (a.GetHashCode()) (b.GetHashCode()) $"hash of {a} and {b}"

            testCase "tensors work as keys of a HashSet and a Dictionary"
            <| fun () ->
                let x = Tensor.FromArray [| 1.0; 2.0 |]

                let set =
                    HashSet<Tensor>(
                        [
                            x
                            Tensor.FromArray [| 1.0; 2.0 |]
                            x.RequiresGrad()
                            Tensor.FromArray [| -0.0 + 1.0; 2.0 |]
                        ]
                    )

                Expect.equal set.Count 1 "four equal tensors are one key"
                set.Add((Tensor.FromArray [| 1.0; 2.0 |]).ToDType DType.Float32) |> ignore
                set.Add(Tensor.FromArray([| 1.0; 2.0 |], [| 2; 1 |])) |> ignore
                Expect.equal set.Count 3 "a different dtype and a different shape are new keys"
                let d = Dictionary<Tensor, string>()
                d[Tensor.Scalar 0.0] <- "zero"
                Expect.equal d[Tensor.Scalar(-0.0)] "zero" "found by an equal key"

            testPropertyWithConfig config "Equals and GetHashCode agree on copies, with -0.0 for 0.0"
            <| fun (xs: float[]) (specials: bool) ->
                let xs =
                    if specials then
                        Array.append xs [| nan; infinity; -infinity; 0.0 |]
                    else
                        xs

                let a = Tensor.FromArray xs
                let b = Tensor.FromArray(xs |> Array.map (fun x -> if x = 0.0 then -0.0 else x))

                a.Equals b
                && b.Equals a
                && a.GetHashCode() = b.GetHashCode()
                && (a.ToDType DType.Float32).Equals(b.ToDType DType.Float32)
                && (a.ToDType DType.Float32).GetHashCode() = (b.ToDType DType.Float32).GetHashCode()

            testCase "AllClose uses |a − b| <= atol + rtol·|b|, inclusive and measured against the argument"
            <| fun () ->
                let s (x: float) = Tensor.Scalar x
                // All values are exact in binary so the boundaries are exact.
                let onTheBoundary = (s 3.0).AllClose(s 2.0, rtol = 0.5, atol = 0.0)
                Expect.isTrue onTheBoundary "|3 − 2| = 1 <= 0.5·2: on the boundary"
                Expect.isFalse ((s 3.5).AllClose(s 2.0, rtol = 0.5, atol = 0.0)) "|3.5 − 2| = 1.5 > 0.5·2"
                let asymmetric = (s 2.0).AllClose(s 3.5, rtol = 0.5, atol = 0.0)
                Expect.isTrue asymmetric "|2 − 3.5| = 1.5 <= 0.5·3.5: asymmetric"
                Expect.isTrue ((s 1.0).AllClose(s 1.5, rtol = 0.0, atol = 0.5)) "atol alone, on the boundary"
                Expect.isFalse ((s 1.0).AllClose(s 1.625, rtol = 0.0, atol = 0.5)) "atol alone, past it"
                Expect.isTrue ((s 1.0).AllClose(s 2.0, rtol = 0.25, atol = 0.5)) "the two add: 1 <= 0.5 + 0.25·2"
                Expect.isFalse ((s 1.0).AllClose(s 2.125, rtol = 0.25, atol = 0.5)) "1.125 > 0.5 + 0.25·2.125"
                Expect.isTrue ((s 1.0).AllClose(s (1.0 + 1e-12))) "default tolerances accept 1e-12"
                Expect.isFalse ((s 1.0).AllClose(s 1.001)) "default tolerances reject 1e-3"
                Expect.isTrue ((s 0.0).AllClose(s 5e-9)) "default atol 1e-8 near zero"
                Expect.isFalse ((s 0.0).AllClose(s 5e-8)) "past default atol near zero"

            testCase "AllClose needs equal shapes, allows different dtypes, and treats infinities exactly"
            <| fun () ->
                let a = Tensor.FromArray [| 1.0; 2.0 |]
                Expect.isFalse (a.AllClose(a.Reshape [| 2; 1 |])) "shapes differ"
                Expect.isTrue (a.AllClose(a.ToDType DType.Float32)) "dtypes may differ"

                Expect.isTrue
                    ((Tensor.FromArray [| infinity; -infinity |]).AllClose(Tensor.FromArray [| infinity; -infinity |]))
                    "equal infinities"

                Expect.isFalse
                    ((Tensor.FromArray [| infinity |]).AllClose(Tensor.FromArray [| -infinity |]))
                    "opposite infinities"

                Expect.isFalse
                    ((Tensor.FromArray [| 1e308 |]).AllClose(Tensor.FromArray [| infinity |], rtol = 1.0))
                    "finite vs infinite"

            testCase "AllClose treats NaN as equal to NaN only with equalNaN"
            <| fun () ->
                let a = Tensor.FromArray [| 1.0; nan |]
                Expect.isFalse (a.AllClose(Tensor.FromArray [| 1.0; nan |])) "NaN differs by default"
                Expect.isTrue (a.AllClose(Tensor.FromArray [| 1.0; nan |], equalNaN = true)) "equalNaN"

                Expect.isFalse
                    (a.AllClose(Tensor.FromArray [| 1.0; 1.0 |], equalNaN = true))
                    "NaN vs a number, even with equalNaN"

                Expect.isFalse
                    ((Tensor.FromArray [| 1.0; 1.0 |]).AllClose(a, rtol = 1e10, atol = 1e10, equalNaN = true))
                    "a number vs NaN"
        ]

// ---------------------------------------------------------------------------------------------
// ToString
// ---------------------------------------------------------------------------------------------

let private formatIs (what: string) (t: Tensor) (expected: string) =
    Expect.equal (t.ToString()) expected what

let private format =
    testList
        "ToString"
        [
            testCase "whole numbers print with a trailing point"
            <| fun () ->
                formatIs
                    "matrix"
                    (Tensor.FromArray(array2D [ [ 1.0; 2.0 ]; [ 3.0; 4.0 ] ] :> Array))
                    "tensor([[1., 2.],\n        [3., 4.]], dtype=float64)"

                formatIs "vector" (Tensor.FromArray [| -1.0; 0.0; 10.0 |]) "tensor([-1.,  0., 10.], dtype=float64)"
                formatIs "scalar" (Tensor.Scalar 2.0) "tensor(2., dtype=float64)"
                formatIs "a 1x1 matrix" (Tensor.Ones [| 1; 1 |]) "tensor([[1.]], dtype=float64)"

            testCase "rows of a rank-3 tensor line up, with a blank line between its blocks"
            <| fun () ->
                formatIs
                    "rank 3"
                    (Tensor.Arange(0.0, 8.0).Reshape [| 2; 2; 2 |])
                    ("tensor([[[0., 1.],\n"
                     + "         [2., 3.]],\n"
                     + "\n"
                     + "        [[4., 5.],\n"
                     + "         [6., 7.]]], dtype=float64)")

            testCase "every number takes the width of the widest, negative ones included"
            <| fun () ->
                formatIs
                    "decimals"
                    (Tensor.FromArray(array2D [ [ -1.5; 2.0 ]; [ 3.0; -40.25 ] ] :> Array))
                    ("tensor([[ -1.5000,   2.0000],\n"
                     + "        [  3.0000, -40.2500]], dtype=float64)")

                formatIs
                    "float32"
                    (Tensor.FromArray([| 0.5f; 1.0f; -2.0f; 3.25f |], [| 2; 2 |]))
                    ("tensor([[ 0.5000,  1.0000],\n" + "        [-2.0000,  3.2500]], dtype=float32)")

            testCase "other numbers print with four decimals, rounded"
            <| fun () ->
                formatIs
                    "documented example"
                    (Tensor.FromArray [| 1.0; 2.5 |])
                    "tensor([1.0000, 2.5000], dtype=float64)"

                formatIs
                    "thirds"
                    (Tensor.FromArray [| 1.0 / 3.0; -2.0 / 3.0 |])
                    "tensor([ 0.3333, -0.6667], dtype=float64)"

                formatIs "scalar" (Tensor.Scalar 0.5) "tensor(0.5000, dtype=float64)"

                formatIs
                    "zero among fractions"
                    (Tensor.FromArray [| 0.0; 0.25 |])
                    "tensor([0.0000, 0.2500], dtype=float64)"

            testCase "magnitudes spanning a wide range print in scientific notation"
            <| fun () ->
                formatIs
                    "tiny and one"
                    (Tensor.FromArray [| 1e-5; 1.0 |])
                    "tensor([1.0000e-05, 1.0000e+00], dtype=float64)"

                formatIs
                    "a thousandth and 12.5"
                    (Tensor.FromArray [| 0.001; 12.5 |])
                    "tensor([1.0000e-03, 1.2500e+01], dtype=float64)"

                formatIs "huge" (Tensor.FromArray [| 1.5; -2.5e9 |]) "tensor([ 1.5000e+00, -2.5000e+09], dtype=float64)"

                formatIs
                    "huge whole numbers"
                    (Tensor.FromArray [| 1e8; 1.0 |])
                    "tensor([1.0000e+08, 1.0000e+00], dtype=float64)"

            testCase "nan and infinities print as nan, inf and -inf"
            <| fun () ->
                formatIs
                    "with whole numbers"
                    (Tensor.FromArray [| nan; infinity; -infinity; 1.0 |])
                    "tensor([ nan,  inf, -inf,   1.], dtype=float64)"

                formatIs "with fractions" (Tensor.FromArray [| nan; 0.5 |]) "tensor([   nan, 0.5000], dtype=float64)"
                formatIs "scalar nan" (Tensor.Scalar nan) "tensor(nan, dtype=float64)"

            testCase "float32 says dtype=float32"
            <| fun () ->
                formatIs "fractions" (Tensor.FromArray [| 1.0f; 2.5f |]) "tensor([1.0000, 2.5000], dtype=float32)"
                formatIs "whole" (Tensor.Ones([| 2 |], DType.Float32)) "tensor([1., 1.], dtype=float32)"

            testCase "an empty tensor prints as []"
            <| fun () ->
                formatIs "[0]" (Tensor.Zeros [| 0 |]) "tensor([], dtype=float64)"
                formatIs "[2x0]" (Tensor.Zeros [| 2; 0 |]) "tensor([[],\n        []], dtype=float64)"

            testCase "the format does not depend on the current culture"
            <| fun () ->
                let saved = CultureInfo.CurrentCulture

                try
                    CultureInfo.CurrentCulture <- CultureInfo "de-DE"

                    formatIs
                        "decimal point, not comma"
                        (Tensor.FromArray [| 1.0; 2.5 |])
                        "tensor([1.0000, 2.5000], dtype=float64)"

                    formatIs
                        "a matrix"
                        (Tensor.FromArray(array2D [ [ -1.5; 2.0 ]; [ 3.0; -40.25 ] ] :> Array))
                        "tensor([[ -1.5000,   2.0000],\n        [  3.0000, -40.2500]], dtype=float64)"

                    formatIs
                        "scientific"
                        (Tensor.FromArray [| 1e-5; 1.0 |])
                        "tensor([1.0000e-05, 1.0000e+00], dtype=float64)"

                    formatIs
                        "thousands get no separator"
                        (Tensor.FromArray [| 1234.0; 5.0 |])
                        "tensor([1234.,    5.], dtype=float64)"
                finally
                    CultureInfo.CurrentCulture <- saved

            testCase "a row wider than 80 columns continues under its first number"
            <| fun () ->
                // width 3 ("19.") + ", " = 5 columns a number; (80 - 7) / 5 = 14 numbers on a line
                formatIs
                    "20 numbers"
                    (Tensor.Arange(0.0, 20.0))
                    ("tensor([ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.,  8.,  9., 10., 11., 12., 13.,\n"
                     + "        14., 15., 16., 17., 18., 19.], dtype=float64)")
                // a row of a matrix sits one column further in: (80 - 8) / 6 = 12 numbers of width 4 ("399.")
                let lines = Tensor.Arange(0.0, 400.0).Reshape([| 20; 20 |]).ToString().Split '\n'
                Expect.equal lines.Length 40 "20 rows of two lines each"

                Expect.equal
                    lines[0]
                    "tensor([[  0.,   1.,   2.,   3.,   4.,   5.,   6.,   7.,   8.,   9.,  10.,  11.,"
                    "row 0"

                Expect.equal lines[1] "          12.,  13.,  14.,  15.,  16.,  17.,  18.,  19.]," "row 0 continued"

                Expect.equal
                    lines[2]
                    "        [ 20.,  21.,  22.,  23.,  24.,  25.,  26.,  27.,  28.,  29.,  30.,  31.,"
                    "row 1"

                Expect.equal
                    lines[39]
                    "         392., 393., 394., 395., 396., 397., 398., 399.]], dtype=float64)"
                    "the last line"

                for line in lines do
                    Expect.isLessThanOrEqual line.Length 80 $"within 80 columns: {line}"

            testCase "a suffix that would pass 80 columns starts a line of its own"
            <| fun () ->
                formatIs
                    "14 numbers fill the line"
                    (Tensor.Arange(0.0, 14.0))
                    ("tensor([ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.,  8.,  9., 10., 11., 12., 13.],\n"
                     + "       dtype=float64)")

            testCase "past 1000 elements, each axis shows its first and last three around ..."
            <| fun () ->
                formatIs
                    "2000 numbers"
                    (Tensor.Arange(0.0, 2000.0))
                    "tensor([   0.,    1.,    2.,  ..., 1997., 1998., 1999.], dtype=float64)"

                formatIs
                    "40x40"
                    (Tensor.Arange(0.0, 1600.0).Reshape [| 40; 40 |])
                    ("tensor([[   0.,    1.,    2.,  ...,   37.,   38.,   39.],\n"
                     + "        [  40.,   41.,   42.,  ...,   77.,   78.,   79.],\n"
                     + "        [  80.,   81.,   82.,  ...,  117.,  118.,  119.],\n"
                     + "        ...,\n"
                     + "        [1480., 1481., 1482.,  ..., 1517., 1518., 1519.],\n"
                     + "        [1520., 1521., 1522.,  ..., 1557., 1558., 1559.],\n"
                     + "        [1560., 1561., 1562.,  ..., 1597., 1598., 1599.]], dtype=float64)")

                formatIs
                    "10x2x100: a short axis is shown whole"
                    (Tensor.Arange(0.0, 2000.0).Reshape [| 10; 2; 100 |])
                    ("tensor([[[   0.,    1.,    2.,  ...,   97.,   98.,   99.],\n"
                     + "         [ 100.,  101.,  102.,  ...,  197.,  198.,  199.]],\n"
                     + "\n"
                     + "        [[ 200.,  201.,  202.,  ...,  297.,  298.,  299.],\n"
                     + "         [ 300.,  301.,  302.,  ...,  397.,  398.,  399.]],\n"
                     + "\n"
                     + "        [[ 400.,  401.,  402.,  ...,  497.,  498.,  499.],\n"
                     + "         [ 500.,  501.,  502.,  ...,  597.,  598.,  599.]],\n"
                     + "\n"
                     + "        ...,\n"
                     + "\n"
                     + "        [[1400., 1401., 1402.,  ..., 1497., 1498., 1499.],\n"
                     + "         [1500., 1501., 1502.,  ..., 1597., 1598., 1599.]],\n"
                     + "\n"
                     + "        [[1600., 1601., 1602.,  ..., 1697., 1698., 1699.],\n"
                     + "         [1700., 1701., 1702.,  ..., 1797., 1798., 1799.]],\n"
                     + "\n"
                     + "        [[1800., 1801., 1802.,  ..., 1897., 1898., 1899.],\n"
                     + "         [1900., 1901., 1902.,  ..., 1997., 1998., 1999.]]], dtype=float64)")
                // only what is shown sets the format: the hidden middle of the fractions is not seen
                let v = Array.init 1001 (fun i -> if i = 500 then 0.5 else float i)

                formatIs
                    "1001 numbers, a fraction hidden"
                    (Tensor.FromArray v)
                    "tensor([   0.,    1.,    2.,  ...,  998.,  999., 1000.], dtype=float64)"

            testCase "tensors of at most 1000 elements are printed whole"
            <| fun () ->
                let s = Tensor.Arange(0.0, 1000.0).ToString()
                Expect.isFalse (s.Contains "...") "not elided"
                Expect.stringContains s ", 500., " "middle element present"
                Expect.stringEnds s "999.], dtype=float64)" "ends with the last"

            testCase "a variable says requires_grad=True and a computed tensor names its op"
            <| fun () ->
                let x = Tensor.FromArray([| 1.0; 2.0 |]).RequiresGrad()
                formatIs "variable" x "tensor([1., 2.], dtype=float64, requires_grad=True)"
                formatIs "x * 3" (x * 3.0) "tensor([3., 6.], dtype=float64, grad_fn=Mul)"
                formatIs "x + x" (x + x) "tensor([2., 4.], dtype=float64, grad_fn=Add)"
                formatIs "detached" ((x * 3.0).Detach()) "tensor([3., 6.], dtype=float64)"

                let m =
                    Tensor.FromArray(array2D [ [ 1.0; -2.0 ]; [ 3.0; 4.0 ] ] :> Array).RequiresGrad()

                formatIs
                    "a matrix ends with its suffixes"
                    (m * 2.0)
                    "tensor([[ 2., -4.],\n        [ 6.,  8.]], dtype=float64, grad_fn=Mul)"

            testCase "a forward-mode value says dual"
            <| fun () ->
                let seen = ref ""

                Autodiff.Jvp(
                    (fun (t: Tensor) ->
                        seen.Value <- t.ToString()
                        t),
                    Tensor.Scalar 3.0,
                    Tensor.Scalar 1.0
                )
                |> ignore

                Expect.equal seen.Value "tensor(3., dtype=float64, dual)" "dual"
        ]

[<Tests>]
let tests = testList "tensor" [ construction; random; reading; equality; format ]
