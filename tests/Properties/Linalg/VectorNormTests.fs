/// Linalg.VectorNorm (src/Core.CSharp/Linalg/VectorNorm.cs, Kernels/Linalg/VectorNorms.cs) against sums written here
/// for every kind of ord and several axis sets; at magnitudes whose squares overflow or underflow (exact powers of
/// two, so the norms are known exactly); at NaN, infinity and empty axes; its gradient against the closed forms and,
/// at 0, the documented subgradient 0 at first and second order; its errors. Finite differences, vmap, compile and
/// LibTorch are the rows "vectorNorm" and "vectorNorm-ords" of OpSpec.fs.
module Linalg.VectorNormTests

open System
open Expecto
open FuncGrad
open Support.Check
open Linalg.LinalgCheck

/// The p-norm of a list of numbers by the definition, summed in order.
let private normOf (p: float) (v: float[]) =
    if Double.IsPositiveInfinity p then
        v |> Array.map abs |> Array.max
    elif Double.IsNegativeInfinity p then
        v |> Array.map abs |> Array.min
    elif p = 0.0 then
        v |> Array.filter (fun x -> x <> 0.0) |> Array.length |> float
    else
        (v |> Array.sumBy (fun x -> abs x ** p)) ** (1.0 / p)

/// The norms over the axes: the elements grouped by their index on the other axes, in row-major order of those.
let private normsOver (p: float) (shape: int[]) (axes: int[]) (v: float[]) =
    v
    |> Array.mapi (fun i x ->
        let ix = indexOf shape i

        [
            for a in 0 .. shape.Length - 1 do
                if not (Array.contains a axes) then
                    ix[a]
        ],
        x)
    |> Array.groupBy fst
    |> Array.sortBy fst
    |> Array.map (fun (_, xs) -> normOf p (Array.map snd xs))

let private ords = [ 2.0; 1.0; 3.0; 0.5; -1.0; -2.5; infinity; -infinity; 0.0 ]

[<Tests>]
let tests =
    testList
        "linalg vector norm"
        [
            test "every kind of ord over several axis sets, float64 and float32, as the definition" {
                let shape = [| 2; 3; 4 |]
                let x = Tensor.RandomNormal(shape, Random 21)
                let v = x.ToArray()

                for ord in ords do
                    for axes in [ [| 0; 1; 2 |]; [| 2 |]; [| 0 |]; [| 0; 2 |]; [| 1; 2 |] ] do
                        let what = $"ord {ord} axes {axes}"
                        let want = normsOver ord shape axes v
                        let y = Linalg.VectorNorm(x, ord, axes)
                        close what 1e-14 0.0 (y.Flatten()) (Tensor.FromArray want)
                        let kept = Linalg.VectorNorm(x, ord, axes, true)

                        let keptShape =
                            shape |> Array.mapi (fun a n -> if Array.contains a axes then 1 else n)

                        Expect.sequenceEqual (shapeOf kept) keptShape $"{what}: kept shape"
                        bitwise $"{what}: kept" (y.Reshape keptShape) kept
                        let y32 = Linalg.VectorNorm(x.ToDType DType.Float32, ord, axes)
                        Expect.equal y32.DType DType.Float32 $"{what}: float32 stays float32"

                        close
                            $"{what}: float32"
                            1e-5
                            0.0
                            ((y32.ToDType DType.Float64).Flatten())
                            (Tensor.FromArray want)

                    // negative axes name the same axes, and no axes given is every element
                    bitwise
                        $"ord {ord}: axes from the end"
                        (Linalg.VectorNorm(x, ord, [| 0; 2 |]))
                        (Linalg.VectorNorm(x, ord, [| -1; -3 |]))

                    bitwise $"ord {ord}: all" (Linalg.VectorNorm(x, ord, [| 0; 1; 2 |])) (Linalg.VectorNorm(x, ord))
            }

            test "rows split over threads give each row's norm alone, bit for bit, at every kind of ord" {
                // 512 rows of 512: enough work that the kernel splits the rows over the worker team
                let x = Tensor.RandomNormal([| 512; 512 |], Random 30)

                for ord in ords do
                    let all = Linalg.VectorNorm(x, ord, [| 1 |])

                    for r in [ 0; 1; 255; 256; 511 ] do
                        bitwise $"ord {ord}, row {r}" (Linalg.VectorNorm(x.[r], ord)) all.[r]
            }

            test "huge and tiny values keep their norms: exact powers of two, past overflow and into subnormals" {
                let two k = Math.ScaleB(1.0, k)

                let norm ord (v: float list) =
                    Linalg.VectorNorm(Tensor.FromArray(Array.ofList v), ord).Item()
                // (3, 4, 5) scaled: the squares of the first two overflow, or underflow (2^-1070 is subnormal)
                for k in [ 1000; 1020; -1000; -1070; 0 ] do
                    Expect.equal (norm 2.0 [ 3.0 * two k; -4.0 * two k ]) (5.0 * two k) $"2-norm at 2^{k}"
                // 2-norms beside a much larger element: 1e-300 below the largest adds nothing
                Expect.equal (norm 2.0 [ two 600; two 300 ]) (two 600) "2^600 and 2^300"
                // p = 3 of (2^k, 2^k) is 2^k·2^(1/3); p = −1 of (2^k, 2^k) is 2^(k−1)
                for k in [ 1000; -1060 ] do
                    closeNum $"3-norm at 2^{k}" 1e-15 0.0 (norm 3.0 [ two k; two k ]) (two k * Math.Cbrt 2.0)
                    Expect.equal (norm -1.0 [ two k; -(two k) ]) (two (k - 1)) $"(-1)-norm at 2^{k}"
                // float32: 2^100 squared overflows float32, 2^-140 is subnormal
                for k in [ 100; -140 ] do
                    let y =
                        Linalg.VectorNorm(Tensor.FromArray([| 3.0f * float32 (two k); 4.0f * float32 (two k) |]))

                    Expect.equal (y.ToFloatArray()) [| 5.0f * float32 (two k) |] $"float32 2-norm at 2^{k}"
            }

            test "NaN gives NaN, an infinity gives inf (0 for negative ord), ord 0 counts NaN, empty axes give 0" {
                let norm ord (v: float list) =
                    Linalg.VectorNorm(Tensor.FromArray(Array.ofList v), ord).Item()

                for ord in ords do
                    Expect.isTrue (Double.IsNaN(norm ord [ 1.0; nan ]) || ord = 0.0) $"NaN, ord {ord}"

                for ord in [ 2.0; 1.0; 3.0; 0.5; infinity ] do
                    Expect.equal (norm ord [ 1.0; -infinity ]) infinity $"an infinity, ord {ord}"

                Expect.equal (norm -2.0 [ 2.0; infinity; 2.0 ]) (Math.Sqrt 2.0) "ord -2 ignores an infinity"
                Expect.equal (norm -2.0 [ 2.0; 0.0 ]) 0.0 "ord -2 of a zero element"
                Expect.equal (norm 0.0 [ 1.0; nan; 0.0; -0.0 ]) 2.0 "ord 0 counts NaN"
                let empty = Tensor.Zeros [| 2; 0 |]

                for ord in [ 2.0; 1.0; 3.0; 0.0 ] do
                    Expect.equal (Linalg.VectorNorm(empty, ord, [| 1 |]).ToArray()) [| 0.0; 0.0 |] $"empty, ord {ord}"

                Expect.equal
                    (Linalg.VectorNorm(empty, -1.0, [| 1 |]).ToArray())
                    [| infinity; infinity |]
                    "empty, ord -1"
                // an empty axis list reduces nothing: |x|, or x ≠ 0 for ord 0
                let x = Tensor.FromArray [| -2.0; 0.0; 3.0 |]
                Expect.equal (Linalg.VectorNorm(x, 3.0, [||]).ToArray()) [| 2.0; 0.0; 3.0 |] "no axes, ord 3"
                Expect.equal (Linalg.VectorNorm(x, 0.0, [||]).ToArray()) [| 1.0; 0.0; 1.0 |] "no axes, ord 0"
            }

            test "the gradient is each ord's closed form; ±inf send it to the extreme magnitude, split at ties" {
                let x = Tensor.FromArray [| 3.0; -1.0; 2.0; -0.5 |]
                let v = x.ToArray()

                let grad ord (t: Tensor) =
                    Autodiff.Grad((fun x -> Linalg.VectorNorm(x, ord)), t)

                for p in [ 2.0; 1.0; 3.0; 0.5; -1.0; -2.5 ] do
                    let n = normOf p v
                    let want = v |> Array.map (fun e -> float (sign e) * (abs e / n) ** (p - 1.0))
                    close $"ord {p}" 1e-14 1e-15 (grad p x) (Tensor.FromArray want)

                Expect.equal ((grad infinity x).ToArray()) [| 1.0; 0.0; 0.0; 0.0 |] "inf"
                Expect.equal ((grad -infinity x).ToArray()) [| 0.0; 0.0; 0.0; -1.0 |] "-inf"
                let ties = Tensor.FromArray [| -3.0; 1.0; 3.0 |]
                Expect.equal ((grad infinity ties).ToArray()) [| -0.5; 0.0; 0.5 |] "inf at a tie"
                Expect.equal ((grad 0.0 x).ToArray()) [| 0.0; 0.0; 0.0; 0.0 |] "ord 0"
                // huge values: the gradient x/‖x‖ without overflow
                let huge = Tensor.FromArray [| 3e300; 4e300 |]
                close "huge" 1e-15 0.0 (grad 2.0 huge) (Tensor.FromArray [| 0.6; 0.8 |])
            }

            test "at 0 the gradient and the second derivative are 0 for every ord, never NaN" {
                let zero = Tensor.Zeros [| 3 |]
                let partial = Tensor.FromArray [| 0.0; 2.0; 0.0 |]

                for ord in ords do
                    let g = Autodiff.Grad((fun x -> Linalg.VectorNorm(x, ord)), zero)
                    Expect.equal (g.ToArray()) [| 0.0; 0.0; 0.0 |] $"gradient at 0, ord {ord}"
                    let h = Autodiff.Hessian((fun x -> Linalg.VectorNorm(x, ord)), zero)
                    Expect.equal (h.ToArray()) (Array.zeroCreate 9) $"Hessian at 0, ord {ord}"
                    // a zero element beside a nonzero one: finite (0 there for ord < 1, where the slope is infinite)
                    let g = Autodiff.Grad((fun x -> Linalg.VectorNorm(x, ord)), partial)
                    Expect.isTrue (g.ToArray() |> Array.forall Double.IsFinite) $"finite beside 0, ord {ord}"
                    Expect.equal (g.ToArray()[0]) 0.0 $"0 at the zero element, ord {ord}"
            }

            test "errors name the op, the input and what to do" {
                let e =
                    raises<ArgumentException> "NaN ord" (fun () ->
                        Linalg.VectorNorm(Tensor.Ones [| 2 |], nan) |> ignore)

                Expect.stringContains e.Message "vectorNorm: ord is NaN" "the op"

                let e =
                    raises<DTypeMismatchException> "int64" (fun () ->
                        Linalg.VectorNorm(Tensor.FromArray([| 1L; 2L |], [| 2 |])) |> ignore)

                Expect.stringContains e.Message "ToDType" "what to do"

                let e =
                    raises<EmptyTensorException> "inf of nothing" (fun () ->
                        Linalg.VectorNorm(Tensor.Zeros [| 2; 0 |], infinity, [| 1 |]) |> ignore)

                Expect.stringContains e.Message "vectorNorm: the inf norm of nothing" "the op"
            }
        ]
