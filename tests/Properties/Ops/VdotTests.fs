/// Tensor.Vdot (Ops/LinearAlgebra.cs) and F#'s Tensor.vdot: values against a plain loop over the row-major arrays for
/// ranks 0 to 4 and both dtypes, closed forms, its derivatives in closed form, and its errors. Finite differences of
/// its rules, vmap, compile and the LibTorch device run through its row "vdot" of OpSpec.fs.
module Ops.VdotTests

open System
open Expecto
open FuncGrad
open Support.Check

/// Σ aᵢ·bᵢ by a loop in float64, and Σ |aᵢ·bᵢ|, which bounds the rounding error of any order of summation.
let private loop (a: Tensor) (b: Tensor) =
    Array.fold2 (fun (s, m) x y -> s + x * y, m + abs (x * y)) (0.0, 0.0) (a.ToArray()) (b.ToArray())

/// Two sums of the same n products in different orders differ by at most 2·γₙ·Σ|aᵢbᵢ|, γₙ = n·u / (1 − n·u) with u
/// the unit roundoff of the dtype the sum runs in (Higham, Accuracy and Stability of Numerical Algorithms, §3.1);
/// float32 values are summed in float32 by vdot and exactly enough in float64 by the loop.
let private bound (dtype: DType) (n: int) (magnitude: float) =
    let u = Math.ScaleB(1.0, (if dtype = DType.Float64 then -53 else -24))
    let nu = float (max n 1) * u
    2.0 * nu / (1.0 - nu) * magnitude

let private shapes =
    [
        [||]
        [| 1 |]
        [| 7 |]
        [| 3; 4 |]
        [| 2; 3; 5 |]
        [| 2; 1; 3; 4 |]
        [| 1000 |]
        [| 0 |]
        [| 2; 0 |]
    ]

[<Tests>]
let tests =
    testList
        "vdot"
        [
            test "equals Σ aᵢ·bᵢ by a loop, ranks 0 to 4, both dtypes, within the summation bound" {
                let rng = Random 11

                for shape in shapes do
                    for dtype in [ DType.Float64; DType.Float32 ] do
                        let a = (randn rng shape).ToDType dtype
                        let b = (randn rng shape).ToDType dtype
                        let v = a.Vdot b
                        let what = $"""{String.Join("x", shape)} {dtype.Name()}"""
                        Expect.equal (shapeOf v) [||] $"{what}: a rank-0 result"
                        Expect.equal v.DType dtype $"{what}: dtype"
                        let sum, magnitude = loop a b
                        closeNum what 0.0 (bound dtype a.Count magnitude) (v.Item()) sum
                        bitwise $"{what}: F# Tensor.vdot" v (Tensor.vdot a b)
            }

            test "closed forms: ⟨ones, 0..n−1⟩ = n(n−1)/2, ⟨x, x⟩ = Σ xᵢ², ⟨e_k, x⟩ = x_k, empty = 0" {
                // whole numbers below 2^53 (2^24 in float32): every partial sum is exact, so the value is exact
                for dtype in [ DType.Float64; DType.Float32 ] do
                    let n = 1000
                    let ramp = Tensor.Arange(0.0, float n, dtype = dtype).Reshape [| 10; 10; 10 |]
                    let v = Tensor.Ones([| 10; 10; 10 |], dtype).Vdot ramp
                    Expect.equal (v.Item()) (float (n * (n - 1) / 2)) $"{dtype.Name()}: ⟨ones, ramp⟩"

                let x = Tensor.FromArray([| 1.0; -2.0; 3.0; 0.5; 4.0; -1.0 |], [| 2; 3 |])
                Expect.equal ((x.Vdot x).Item()) 31.25 "⟨x, x⟩ = Σ xᵢ²"
                let e = Tensor.FromArray([| 0.0; 0.0; 0.0; 0.0; 1.0; 0.0 |], [| 2; 3 |])
                Expect.equal ((e.Vdot x).Item()) 4.0 "⟨e_4, x⟩ = x_4"
                Expect.equal ((Tensor.Zeros [| 2; 0 |]).Vdot(Tensor.Zeros [| 2; 0 |]).Item()) 0.0 "no elements"
                Expect.equal ((Tensor.Scalar 3.0).Vdot(Tensor.Scalar -2.0).Item()) -6.0 "rank 0: a·b"
            }

            test "one pass of TensorPrimitives.Dot: its bits, on copies wherever the runtime puts them" {
                let rng = Random 3

                for n in [ 1; 5; 64; 1001; 100_000 ] do
                    let a, b = randn rng [| n |], randn rng [| n |]
                    let av, bv = a.ToArray(), b.ToArray()

                    let expected =
                        Numerics.Tensors.TensorPrimitives.Dot(ReadOnlySpan av, ReadOnlySpan bv)

                    // fresh copies, a few bytes of garbage between them so their addresses differ
                    for copy in 1..8 do
                        GC.KeepAlive(Array.zeroCreate<byte>(8 * copy))
                        let a', b' = Tensor.FromArray(Array.copy av), Tensor.FromArray(Array.copy bv)
                        Expect.equal ((a'.Vdot b').Item()) expected $"n = {n}, copy {copy}"
            }

            test "vmap gives the loop's bits, each argument mapped or shared, on any axis" {
                let rng = Random 8
                let xs, ys = randn rng [| 3; 4; 5 |], randn rng [| 3; 4; 5 |]
                let shared = randn rng [| 4; 5 |]
                let loop f = Tensor.Stack(Array.init 3 f)

                bitwise
                    "both mapped"
                    (loop (fun i -> xs[i].Vdot ys[i]))
                    (vmapOf (fun (x, y) -> Tensor.vdot x y) (xs, ys))

                bitwise "one mapped, one shared" (loop (fun i -> xs[i].Vdot shared)) (vmap (Tensor.vdot shared) xs)
                let columns = xs.Permute [| 1; 0; 2 |] // the examples along axis 1

                bitwise
                    "mapped along axis 1"
                    (loop (fun i -> shared.Vdot xs[i]))
                    (vmapAxes 1 0 (Tensor.vdot shared) columns)
            }

            test "derivatives in closed form: ∂/∂a = b, ∂/∂b = a, the JVP ⟨da, b⟩ + ⟨a, db⟩, Hessian of ⟨a, a⟩ = 2I" {
                let rng = Random 5
                let a, b = randn rng [| 3; 4 |], randn rng [| 3; 4 |]
                bitwise "∂/∂a" b (grad (fun a -> Tensor.vdot a b) a)
                bitwise "∂/∂b" a (grad (fun b -> Tensor.vdot a b) b)
                let da, db = randn rng [| 3; 4 |], randn rng [| 3; 4 |]
                let tangent = forward (fun xs -> xs[0].Vdot xs[1]) [ a; b ] [ da; db ]
                let expected = inner da b + inner a db
                closeNum "JVP" 1e-12 1e-12 (tangent.Item()) expected
                // f(a) = ⟨a, a⟩ has gradient 2a and Hessian 2I: second order through the rules
                let h = hessian (fun a -> Tensor.vdot a a) (Tensor.ofList [ 1.0; 2.0; 3.0 ])
                bitwise "Hessian of ⟨a, a⟩" (Tensor.Eye 3 * 2.0) h
            }

            test "shapes that differ are an error naming vdot, both shapes and the fix, even with one count" {
                let e =
                    raises<ShapeMismatchException> "[2x3] against [3x2]" (fun () ->
                        (Tensor.Zeros [| 2; 3 |]).Vdot(Tensor.Zeros [| 3; 2 |]) |> ignore)

                Expect.stringContains e.Message "vdot" "names the op"
                Expect.stringContains e.Message "[2x3] float64" "names the first shape"
                Expect.stringContains e.Message "[3x2] float64" "names the second shape"
                Expect.stringContains e.Message "reshape" "says what to do"

                raises<ShapeMismatchException> "[6] against [2x3]" (fun () ->
                    Tensor.vdot (Tensor.zeros [| 6 |]) (Tensor.zeros [| 2; 3 |]) |> ignore)
                |> ignore
            }

            test "dtypes that differ are an error naming vdot" {
                let e =
                    raises<DTypeMismatchException> "float64 against float32" (fun () ->
                        (Tensor.Zeros [| 2 |]).Vdot(Tensor.Zeros([| 2 |], DType.Float32)) |> ignore)

                Expect.stringStarts e.Message "vdot:" "names the op"
            }
        ]
