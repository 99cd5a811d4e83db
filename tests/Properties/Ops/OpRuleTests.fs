/// The generic derivative properties, run for every row of the op spec table.
module Ops.OpRuleTests

open System
open Expecto
open FuncGrad
open Support.Check
open Ops.OpSpec

let private config = { FsCheckConfig.defaultConfig with maxTest = 6 }

let private flat (ts: Tensor list) = Tensor.Concat(ts |> List.map (fun t -> t.Flatten()) |> Array.ofList)

let private showShapes (shapes: int[] list) =
    shapes |> List.map (fun s -> "[" + String.Join("x", s) + "]") |> String.concat "·"

/// Inputs for one case, a cotangent for the output and tangents for the inputs, from one seed.
let private draw (spec: Spec) (shapes: int[] list) (seed: int) =
    let rng = Random seed
    let xs = List.map2 (sample rng) spec.Domains shapes
    let y = spec.F xs
    let u = randn rng (shapeOf y)
    let vs = shapes |> List.map (randn rng)
    xs, u, vs

let vjpMatchesFiniteDifferences (spec: Spec) shapes seed =
    let xs, u, _ = draw spec shapes seed
    let analytic = reverse spec.F xs u
    let numeric = fdGradient (fun ys -> inner u (spec.F ys)) xs 1e-6
    List.iteri2 (fun i a n -> close $"{spec.Name}: VJP of argument {i} vs finite differences" 1e-5 1e-6 a n) analytic numeric

let jvpMatchesFiniteDifferences (spec: Spec) shapes seed =
    let xs, _, vs = draw spec shapes seed
    close $"{spec.Name}: JVP vs finite differences" 1e-5 1e-6 (forward spec.F xs vs) (fdDirectional spec.F xs vs 1e-6)

let vjpAndJvpAreAdjoint (spec: Spec) shapes seed =
    let xs, u, vs = draw spec shapes seed
    let lhs = inner u (forward spec.F xs vs)
    let rhs = List.fold2 (fun s g v -> s + inner g v) 0.0 (reverse spec.F xs u) vs
    closeNum $"{spec.Name}: <u, J v> vs <J^T u, v>" 1e-10 1e-12 lhs rhs

/// The Hessian of s = <u, f> along v three ways: forward-over-reverse, reverse-over-reverse, and
/// finite differences of the gradient.
let secondOrderAgrees (spec: Spec) shapes seed =
    let xs, u, vs = draw spec shapes seed
    let g ys = flat (reverse spec.F ys u)
    let v = flat vs
    let fwdRev = forward g xs vs
    let revRev = flat (reverse (fun ys -> (g ys * v).Sum()) xs (Tensor.Scalar 1.0))
    let numeric = fdDirectional g xs vs 1e-5
    close $"{spec.Name}: forward-over-reverse Hessian-vector product vs finite differences" 1e-4 1e-6 fwdRev numeric
    close $"{spec.Name}: reverse-over-reverse vs forward-over-reverse" 1e-9 1e-10 revRev fwdRev

let float32AgreesWithFloat64 (spec: Spec) shapes seed =
    let xs, u, _ = draw spec shapes seed
    let xs32 = xs |> List.map (fun x -> x.ToDType DType.Float32)
    let y32 = spec.F xs32
    Expect.equal y32.DType DType.Float32 $"{spec.Name}: float32 in, float32 out"
    close $"{spec.Name}: float32 value vs float64" 1e-4 1e-5 y32 (spec.F xs)
    let g64 = reverse spec.F xs u
    let g32 = reverse spec.F xs32 (u.ToDType DType.Float32)
    List.iter2 (fun (a: Tensor) b ->
        Expect.equal a.DType DType.Float32 $"{spec.Name}: float32 gradient"
        close $"{spec.Name}: float32 gradient vs float64" 1e-3 1e-4 a b) g32 g64

let private checks =
    [ "VJP vs finite differences", vjpMatchesFiniteDifferences, (fun _ -> true)
      "JVP vs finite differences", jvpMatchesFiniteDifferences, (fun _ -> true)
      "VJP and JVP adjoint", vjpAndJvpAreAdjoint, (fun _ -> true)
      "second order", secondOrderAgrees, (fun (s: Spec) -> s.SecondOrder)
      "float32 agrees with float64", float32AgreesWithFloat64, (fun _ -> true) ]

[<Tests>]
let tests =
    testList "ops" [
        for spec in specs ->
            testList spec.Name [
                for shapes in spec.Shapes do
                    for (name, check, applies) in checks do
                        if applies spec then
                            testPropertyWithConfig config $"{showShapes shapes} {name}" (fun (seed: int) -> check spec shapes seed)
            ]
    ]
