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

[<Tests>]
let tests =
    testList
        "vmap"
        [
            testList "ops" (perRow config "vmap = loop, random in- and out-axes" vmapMatchesLoop)
        ]
