/// vmap against a loop over the examples: every row of the op spec table in both dtypes with random in- and
/// out-axes (Autodiff/Transforms.fs). Expected values always come from running the function on each example's slices
/// alone and stacking. That every op has a batching rule is checked in Ops/CompletenessTests; vmap composed with vjp,
/// jvp, jacfwd, compile and a device, in both orders, in Autodiff/CommuteTests.
module Autodiff.VmapTests

open System
open Expecto
open FuncGrad
open FuncGrad.Testing
open Support.Check
open Ops.OpSpec
open Autodiff.Transforms

let private config =
    { FsCheckConfig.defaultConfig with
        maxTest = 8
    }

/// vmap f equals stacking f over the examples: bit for bit, or within the row's stated tolerance.
let vmapMatchesLoop (spec: Spec) (dtype: DType) (seed: int) =
    let p = ofSpec spec dtype (Random seed)
    let batched = vmap.Real (Random(seed + 1)) p
    let loop = vmap.Plain.Value (Random(seed + 1)) p
    let args = batched.Draw(Random(seed + 2))
    let actual, expected = batched.F args, loop.F args
    let what = $"{batched.What} vs the loop (seed {seed})"

    // LibTorch's kernels (tests/Backend.LibTorch) pick their vector paths and summation order by shape, so there a
    // batch and its examples may round differently: within 64 epsilons rather than bit for bit.
    let batched =
        if spec.Batched = 0.0 && not Device.Default.IsManaged then
            64.0
        else
            spec.Batched

    if batched = 0.0 then
        if not (actual.Equals expected) then
            failtestf "%s differs bit for bit\n  actual:   %O\n  expected: %O" what actual expected
    else
        let tol = batched * eps dtype
        close what tol tol actual expected

/// Reverse mode under vmap runs a one-argument elementwise op's rule once on the whole batches, where its fused chain
/// rule applies (Batching.ElementwiseVjp), with the batch on either axis. The expected values are the hand-batched
/// gradient: the loss summed over the examples, differentiated on the whole batch as one plain tensor, whose elements
/// sit in the vectors they sit in under vmap (the spec table's rows check these ops against a loop over examples, so
/// this one checks the batched walk's arithmetic exactly as it runs). f is applied twice, so the inner application's
/// rule receives a batched cotangent.
let private elementwiseRules =
    let ops: (string * (Tensor -> Tensor)) list =
        [
            "sin", (fun x -> x.Sin())
            "cos", (fun x -> x.Cos())
            "tanh", (fun x -> x.Tanh())
            "sigmoid", (fun x -> x.Sigmoid())
            "exp", (fun x -> x.Exp())
            "tanhshrink", (fun x -> x.Tanhshrink())
        ]

    testList
        "vjp of elementwise ops under vmap"
        [
            for name, f in ops do
                for dtype in [ DType.Float64; DType.Float32 ] do
                    for axis in [ 0; 1 ] do
                        test $"{name} {dtype.Name()} batch on axis {axis}" {
                            let rng = Random 7
                            let values = Array.init 30 (fun _ -> rng.NextDouble() * 4.0 - 2.0)
                            let shape = if axis = 0 then [| 6; 5 |] else [| 5; 6 |]
                            let xs = Tensor.FromArray(values, shape).ToDType dtype

                            let grad (u: Tensor) =
                                Autodiff.Grad((fun v -> (f (f v) * v).Sum()), u)

                            let actual = Autodiff.Vmap(grad, xs, axis, axis)
                            let expected = grad xs

                            if not (actual.Equals expected) then
                                failtestf
                                    "differs from the hand-batched gradient bit for bit\n  actual:   %O\n  expected: %O"
                                    actual
                                    expected
                        }
        ]

[<Tests>]
let tests =
    testList
        "vmap"
        [
            testList "ops" (perRow config "vmap = loop, random in- and out-axes" vmapMatchesLoop)
            elementwiseRules
        ]
