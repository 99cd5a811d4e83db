/// The statistics of Ops/Statistics.cs, Ops/Product.cs and Ops/Quantile.cs against loops over .NET arrays written here:
/// every axis list of a 2×3×4 input (axes whose order matters included) with and without keepDims, both float dtypes;
/// prod's gradient and Hessian at zeros against the products of the other elements; the conventions at ties, NaN,
/// constant lines and small counts; the errors. Finite differences, vmap and compile are the rows "prod" …
/// "nanquantile" of OpSpec.fs.
module Elementwise.StatisticsTests

open System
open Expecto
open FuncGrad
open Support.Check

let private shape = [| 2; 3; 4 |]

/// Every axis list of a rank-3 tensor, the empty one included, some written from the end or out of order.
let private axisLists =
    [
        [||]
        [| 0 |]
        [| 1 |]
        [| -1 |]
        [| 0; 1 |]
        [| 2; 0 |]
        [| 1; 2 |]
        [| -1; -2 |]
        [| 0; 1; 2 |]
    ]

/// The reduction over axes by a loop over every index: the values of each output position, in row-major order of the
/// reduced axes, handed to f; the result's shape with the reduced axes dropped or kept as size 1.
let private reduceLoop (shape: int[]) (axes: int[]) (keepDims: bool) (f: float[] -> float) (values: float[]) =
    let rank = shape.Length
    let reduced = axes |> Array.map (fun a -> (a + rank) % rank)
    let isReduced a = Array.contains a reduced

    let outShape =
        [|
            for a in 0 .. rank - 1 do
                if not (isReduced a) then
                    shape[a]
                elif keepDims then
                    1
        |]

    let keptDims =
        [|
            for a in 0 .. rank - 1 do
                if not (isReduced a) then
                    shape[a]
        |]

    let outCount = Array.fold (*) 1 keptDims
    let groups = Array.init outCount (fun _ -> ResizeArray<float>())

    for i in 0 .. values.Length - 1 do
        // index of i along each axis, then the position among the kept axes
        let mutable rest = i
        let idx = Array.zeroCreate rank

        for a in rank - 1 .. -1 .. 0 do
            idx[a] <- rest % shape[a]
            rest <- rest / shape[a]

        let mutable o = 0

        for a in 0 .. rank - 1 do
            if not (isReduced a) then
                o <- o * shape[a] + idx[a]

        groups[o].Add values[i]

    Array.map (fun (g: ResizeArray<float>) -> f (g.ToArray())) groups, outShape

let private sample (seed: int) =
    let rng = Random seed
    Array.init 24 (fun _ -> Math.Round(rng.NextDouble() * 4.0 - 2.0, 2))

let private variance (c: float) (xs: float[]) =
    let m = Array.average xs
    (xs |> Array.sumBy (fun x -> (x - m) * (x - m))) / max 0.0 (float xs.Length - c)

/// The q-quantile of a line as PyTorch defines it: position q·(n − 1) in the sorted line, between its floor and
/// ceiling.
let private quantileOf (interpolation: string) (q: float) (line: float[]) =
    if Array.exists Double.IsNaN line then
        nan
    else
        let s = Array.sort line
        let pos = q * float (s.Length - 1)
        let lo, hi = int (floor pos), int (ceil pos)
        let f = pos - floor pos

        match interpolation with
        | "lower" -> s[lo]
        | "higher" -> s[hi]
        | "midpoint" -> (s[lo] + s[hi]) / 2.0
        | "nearest" -> s[int (Math.Round(pos, MidpointRounding.ToEven))]
        | _ -> s[lo] + (s[hi] - s[lo]) * f

/// op on the 2×3×4 sample against the loop's f, for every axis list, both keepDims, float64 and float32.
let private againstLoop name (op: Tensor -> int[] -> bool -> Tensor) (f: float[] -> float) (values: float[]) rtol =
    test name {
        for axes in axisLists do
            for keep in [ false; true ] do
                let expected, outShape = reduceLoop shape axes keep f values
                let x = Tensor.FromArray(values, shape)
                let what = $"{name} over %A{axes}, keepDims {keep}"
                let y = op x axes keep
                Expect.equal (shapeOf y) outShape $"{what}: shape"
                close $"{what}: float64" rtol 1e-12 y (Tensor.FromArray(expected, outShape))
                let y32 = op (x.ToDType DType.Float32) axes keep
                Expect.equal y32.DType DType.Float32 $"{what}: float32 dtype"
                close $"{what}: float32" 1e-5 1e-5 (y32.ToDType DType.Float64) (Tensor.FromArray(expected, outShape))
    }

let private withNaN =
    sample 3 |> Array.mapi (fun i v -> if i % 5 = 1 then nan else v)

let private valueTests =
    testList
        "values against loops"
        [
            againstLoop "prod" (fun x a k -> x.Prod(a, k)) (Array.fold (*) 1.0) (sample 1) 1e-13
            for c in [ 0.0; 1.0; 2.0 ] do
                againstLoop $"var, correction {c}" (fun x a k -> x.Var(a, c, k)) (variance c) (sample 2) 1e-12
                againstLoop $"std, correction {c}" (fun x a k -> x.Std(a, c, k)) (variance c >> sqrt) (sample 2) 1e-12
            againstLoop
                "varMean"
                (fun x a k ->
                    let struct (v, m) = x.VarMean(a, 1.0, k)
                    v + 1000.0 * m)
                (fun l -> variance 1.0 l + 1000.0 * Array.average l)
                (sample 4)
                1e-12
            againstLoop
                "stdMean"
                (fun x a k ->
                    let struct (s, m) = x.StdMean(a, 0.0, k)
                    s - 1000.0 * m)
                (fun l -> sqrt (variance 0.0 l) - 1000.0 * Array.average l)
                (sample 4)
                1e-12
            againstLoop "amax" (fun x a k -> x.Amax(a, k)) Array.max (sample 5) 0.0
            againstLoop "amin" (fun x a k -> x.Amin(a, k)) Array.min (sample 5) 0.0
            againstLoop
                "nansum"
                (fun x a k -> x.Nansum(a, k))
                (Array.filter (Double.IsNaN >> not) >> Array.sum)
                withNaN
                1e-13
            againstLoop
                "nanmean"
                (fun x a k -> x.Nanmean(a, k))
                (fun l ->
                    let v = l |> Array.filter (Double.IsNaN >> not)
                    if v.Length = 0 then nan else Array.average v)
                withNaN
                1e-13
            againstLoop
                "norm 3"
                (fun x a k -> x.Norm(3.0, a, k))
                (fun l -> (l |> Array.sumBy (fun v -> abs v ** 3.0)) ** (1.0 / 3.0))
                (sample 6)
                1e-12
            test "var of a large tensor (the parallel kernel) against the loop, every line" {
                let rng = Random 7
                let values = Array.init (300 * 257) (fun _ -> rng.NextDouble() * 10.0 + 1e3)
                let expected, _ = reduceLoop [| 300; 257 |] [| 1 |] false (variance 1.0) values
                let x = Tensor.FromArray(values, [| 300; 257 |])
                close "var over the rows" 1e-10 0.0 (x.Var([| 1 |])) (Tensor.FromArray expected)
                let expected0, _ = reduceLoop [| 300; 257 |] [| 0 |] false (variance 1.0) values
                close "var over the columns" 1e-10 0.0 (x.Var([| 0 |])) (Tensor.FromArray expected0)
            }
            test "var: the same bits for a line wherever it sits and whatever the batch" {
                let x = Tensor.FromArray(sample 8, [| 6; 4 |])
                let whole = x.Var([| 1 |]).ToArray()

                for r in 0..5 do
                    let alone = x.Slice(0, r, r + 1).Var([| 1 |]).ToArray()
                    Expect.equal alone[0] whole[r] $"row {r}"
            }
            test "quantile and nanquantile, every interpolation, against the loop" {
                let values = sample 9
                let x = Tensor.FromArray(values, [| 4; 6 |])

                for mode in [ "linear"; "lower"; "higher"; "midpoint"; "nearest" ] do
                    for q in [ 0.0; 0.1; 0.2; 0.5; 0.7; 1.0 ] do
                        let what = $"quantile {q} {mode}"
                        let rows, _ = reduceLoop [| 4; 6 |] [| 1 |] false (quantileOf mode q) values
                        let cols, _ = reduceLoop [| 4; 6 |] [| 0 |] true (quantileOf mode q) values
                        close $"{what} along 1" 1e-14 1e-14 (x.Quantile(q, 1, false, mode)) (Tensor.FromArray rows)

                        close
                            $"{what} along 0, keepDim"
                            1e-14
                            1e-14
                            (x.Quantile(q, 0, true, mode))
                            (Tensor.FromArray(cols, [| 1; 6 |]))

                        let all = quantileOf mode q values
                        closeNum $"{what} of all" 1e-14 1e-14 (x.Quantile(q, interpolation = mode).Item()) all

                        let nanRows, _ =
                            reduceLoop
                                [| 4; 6 |]
                                [| 1 |]
                                false
                                (Array.filter (Double.IsNaN >> not) >> quantileOf mode q)
                                withNaN[..23]

                        close
                            $"nan{what} along 1"
                            1e-14
                            1e-14
                            (Tensor.FromArray(withNaN[..23], [| 4; 6 |]).Nanquantile(q, 1, false, mode))
                            (Tensor.FromArray nanRows)
            }
            test "quantile at a 1-D q stacks the quantiles on a new first axis, as PyTorch's" {
                let x = Tensor.FromArray(sample 10, [| 4; 6 |])
                let q = Tensor.FromArray [| 0.25; 0.5; 0.9 |]
                let y = x.Quantile(q, 1, true)
                Expect.equal (shapeOf y) [| 3; 4; 1 |] "shape"

                for i, qi in Array.indexed [| 0.25; 0.5; 0.9 |] do
                    bitwise $"q = {qi}" (x.Quantile(qi, 1, true)) (y.[i])

                let z = x.Nanquantile(Tensor.Scalar 0.5, 0)
                bitwise "a 0-D q adds no axis" (x.Nanquantile(0.5, 0)) z
            }
            test "norm: fro over two axes is the matrix norm, nuc the sum of singular values" {
                let d = Tensor.FromArray(array2D [ [ 3.0; 0.0 ]; [ 0.0; -4.0 ] ])
                closeNum "nuc of diag(3, -4)" 1e-14 0.0 (d.Norm("nuc").Item()) 7.0
                closeNum "fro of diag(3, -4)" 1e-15 0.0 (d.Norm("fro").Item()) 5.0
                let x = Tensor.FromArray(sample 11, shape)

                let expected, _ =
                    reduceLoop shape [| 0; 2 |] true (Array.sumBy (fun v -> v * v) >> sqrt) (sample 11)

                close
                    "fro over [0, 2]"
                    1e-13
                    0.0
                    (x.Norm("fro", [| 0; 2 |], true))
                    (Tensor.FromArray(expected, [| 1; 3; 1 |]))
            }
            test "prod and amax of integers, in int64 and the dtype" {
                let i = Tensor.FromArray([| 2L; -3L; 4L; 5L; 0L; 7L |], [| 2; 3 |])
                Expect.sequenceEqual ((i.Prod([| 1 |])).ToArray()) [| -24.0; 0.0 |] "prod over rows"
                Expect.equal (i.Prod().DType) DType.Int64 "int64"
                Expect.sequenceEqual ((i.Amax([| 0 |])).ToArray()) [| 5.0; 0.0; 7.0 |] "amax over columns"
                Expect.equal (i.Amin().ToArray()) [| -3.0 |] "amin"
                let e = Tensor.FromArray((Array.empty<int64>), [| 0; 2 |])
                Expect.sequenceEqual ((e.Prod([| 0 |])).ToArray()) [| 1.0; 1.0 |] "the product of nothing is 1"
            }
        ]

/// The product of the elements of xs other than those at the positions given: what each partial derivative of the
/// product is, multiplied out (no division).
let private others (xs: float[]) (skip: int list) =
    xs
    |> Array.indexed
    |> Array.fold (fun p (i, v) -> if List.contains i skip then p else p * v) 1.0

let private conventionTests =
    testList
        "conventions"
        [
            for name, values in
                [
                    "no zero", [| 2.0; -1.5; 3.0; 0.5 |]
                    "one zero", [| 2.0; 0.0; 3.0; -4.0 |]
                    "two zeros", [| 0.0; 2.0; 0.0; 3.0 |]
                    "all zero", [| 0.0; 0.0; 0.0; 0.0 |]
                ] do
                test $"prod: gradient and Hessian at {name} are the products of the others" {
                    let n = values.Length
                    let x = Tensor.FromArray values
                    let g = grad (fun t -> t.Prod()) x
                    equalValues "gradient" g (Array.init n (fun i -> others values [ i ]))
                    let h = hessian (fun t -> t.Prod()) x

                    let expected =
                        Array.init (n * n) (fun k ->
                            let i, j = k / n, k % n
                            if i = j then 0.0 else others values [ i; j ])

                    equalValues "Hessian" (h.Reshape [| -1 |]) expected
                    let d = Tensor.FromArray [| 1.0; -2.0; 0.5; 3.0 |]
                    let jvp = forward (fun ts -> ts.Head.Prod()) [ x ] [ d ]

                    let expectedJvp =
                        Array.init n (fun i -> others values [ i ] * d.ToArray()[i]) |> Array.sum

                    closeNum "forward mode" 1e-15 0.0 (jvp.Item()) expectedJvp
                }
            test "prod over axes [1, 2] with zeros: the gradient of each line against the products of the others" {
                let values =
                    sample 12
                    |> Array.mapi (fun i v -> if i % 7 = 3 || i = 13 || i = 14 then 0.0 else v)

                let x = Tensor.FromArray(values, shape)

                let g =
                    grad
                        (fun t -> (t.Prod([| 2; 1 |], true) * Tensor.FromArray([| 1.0; -2.0 |], [| 2; 1; 1 |])).Sum())
                        x

                let expected =
                    Array.init 24 (fun i ->
                        let line = i / 12
                        let vs = values[line * 12 .. line * 12 + 11]
                        (if line = 0 then 1.0 else -2.0) * others vs [ i % 12 ])

                equalValues "gradient" g expected
            }
            test "amax and amin: ties share the gradient evenly, as PyTorch's" {
                let x = Tensor.FromArray [| 1.0; 3.0; 3.0; -2.0; -2.0; -2.0 |]
                equalValues "amax" (grad (fun t -> t.Amax()) x) [| 0.0; 0.5; 0.5; 0.0; 0.0; 0.0 |]
                equalValues "amin" (grad (fun t -> t.Amin()) x) [| 0.0; 0.0; 0.0; 1.0 / 3.0; 1.0 / 3.0; 1.0 / 3.0 |]
            }
            test "var and std: a constant line has variance 0 and std gradient NaN; n ≤ correction gives inf or NaN" {
                let c = Tensor.FromArray [| 2.0; 2.0; 2.0 |]
                equalValues "var" (c.Var()) [| 0.0 |]
                equalValues "var gradient" (grad (fun t -> t.Var()) c) [| 0.0; 0.0; 0.0 |]
                Expect.isTrue (grad (fun t -> t.Std()) c |> fun g -> g.ToArray() |> Array.forall Double.IsNaN) "std"
                Expect.isTrue (Double.IsNaN(Tensor.FromArray([| 5.0 |]).Var().Item())) "one element, correction 1"
                Expect.equal (Tensor.FromArray([| 1.0; 3.0 |]).Var(correction = 2.0).Item()) infinity "n = correction"
                equalValues "correction 0 of one element" (Tensor.FromArray([| 5.0 |]).Var(correction = 0.0)) [| 0.0 |]
            }
            test "nansum and nanmean: NaN counts as absent, its gradient 0; an all-NaN mean is NaN" {
                let x = Tensor.FromArray [| 1.0; nan; 3.0; infinity |]
                equalValues "nansum gradient" (grad (fun t -> t.Slice(0, 0, 3).Nansum()) x) [| 1.0; 0.0; 1.0; 0.0 |]
                equalValues "nanmean gradient" (grad (fun t -> t.Slice(0, 0, 3).Nanmean()) x) [| 0.5; 0.0; 0.5; 0.0 |]
                equalValues "inf counts" (x.Nansum()) [| infinity |]
                Expect.isTrue (Double.IsNaN(Tensor.FromArray([| nan; nan |]).Nanmean().Item())) "all NaN"
                equalValues "all NaN sums to 0" (Tensor.FromArray([| nan; nan |]).Nansum()) [| 0.0 |]
            }
            test "quantile: NaN in a line gives NaN; nanquantile ignores it and is NaN only where all are" {
                let x =
                    Tensor.FromArray(array2D [ [ 1.0; nan; 3.0 ]; [ nan; nan; nan ]; [ 4.0; 2.0; 6.0 ] ])

                let q = x.Quantile(0.5, 1).ToArray()
                Expect.isTrue (Double.IsNaN q[0] && Double.IsNaN q[1] && q[2] = 4.0) $"quantile %A{q}"
                let nq = x.Nanquantile(0.5, 1).ToArray()
                Expect.isTrue (nq[0] = 2.0 && Double.IsNaN nq[1] && nq[2] = 4.0) $"nanquantile %A{nq}"
            }
            test "quantile: the gradient goes to the two elements interpolated, with weights 1 − f and f" {
                let x = Tensor.FromArray [| 4.0; 1.0; 3.0; 2.0; 5.0 |]
                // q = 0.3: position 1.2 between sorted elements 2 (x[3]) and 3 (x[2])
                let g = grad (fun t -> t.Quantile(0.3)) x
                close "linear" 1e-15 1e-15 g (Tensor.FromArray [| 0.0; 0.0; 0.2; 0.8; 0.0 |])
                let m = grad (fun t -> t.Quantile(0.3, interpolation = "midpoint")) x
                close "midpoint" 1e-15 0.0 m (Tensor.FromArray [| 0.0; 0.0; 0.5; 0.5; 0.0 |])
                // q = 0.375 on 5 elements: position 1.5, half to even goes to rank 2 (x[2] = 3)
                closeNum "nearest rounds half to even" 0.0 0.0 (x.Quantile(0.375, interpolation = "nearest").Item()) 3.0

                closeNum
                    "nearest at 0.625: position 2.5 goes to 2"
                    0.0
                    0.0
                    (x.Quantile(0.625, interpolation = "nearest").Item())
                    3.0
            }
        ]

let private errorTests =
    testList
        "errors"
        [
            test "var, std, nanmean and quantile of integers name the op and the dtype" {
                let i = Tensor.FromArray([| 1L; 2L |], [| 2 |])

                for name, f in
                    [
                        "var", (fun () -> i.Var() |> ignore)
                        "std", (fun () -> i.Std() |> ignore)
                        "nanmean", (fun () -> i.Nanmean() |> ignore)
                        "quantile", (fun () -> i.Quantile(0.5) |> ignore)
                    ] do
                    let e = raises<DTypeMismatchException> name f
                    Expect.stringContains e.Message $"{name}: computes with floating-point" name
                    Expect.stringContains e.Message "int64" name
            }
            test "quantile: q outside [0, 1], a bad interpolation, a 2-D q, an empty line" {
                let x = Tensor.FromArray [| 1.0; 2.0 |]

                let e =
                    raises<ArgumentOutOfRangeException> "q" (fun () -> x.Quantile(1.5) |> ignore)

                Expect.stringContains e.Message "q = 1.5 is outside [0, 1]" "q"

                raises<ArgumentOutOfRangeException> "NaN q" (fun () -> x.Nanquantile(nan) |> ignore)
                |> ignore

                let b =
                    raises<ArgumentException> "mode" (fun () -> x.Quantile(0.5, interpolation = "cubic") |> ignore)

                Expect.stringContains b.Message "interpolation \"cubic\" is not one of linear" "mode"

                let s =
                    raises<ShapeMismatchException> "q 2-D" (fun () -> x.Quantile(Tensor.Zeros [| 2; 2 |]) |> ignore)

                Expect.stringContains s.Message "q must be a number or a 0-D or 1-D float tensor" "2-D q"
                let empty = Tensor.Zeros [| 2; 0 |]

                raises<EmptyTensorException> "empty" (fun () -> empty.Quantile(0.5, 1) |> ignore)
                |> ignore
            }
            test "var of an empty axis and norm of an unknown name" {
                let e =
                    raises<EmptyTensorException> "var" (fun () -> (Tensor.Zeros [| 2; 0 |]).Var([| 1 |]) |> ignore)

                Expect.stringContains e.Message "var: axis 1" "var"

                let n =
                    raises<ArgumentException> "norm" (fun () -> (Tensor.Zeros [| 2 |]).Norm("max") |> ignore)

                Expect.stringContains n.Message "norm: p \"max\" is not a norm's name" "norm"
            }
        ]

[<Tests>]
let tests = testList "statistics" [ valueTests; conventionTests; errorTests ]
