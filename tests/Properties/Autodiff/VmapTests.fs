/// vmap against a loop over the examples: every row of the op spec table in both dtypes with random in- and
/// out-axes, also under vjp and jvp, and vmap's errors (that every op has a batching rule is checked in
/// Ops/CompletenessTests). Expected values always come from running the function on each example alone and stacking
/// (Tensor.Stack of plain results).
module Autodiff.VmapTests

open System
open Expecto
open FuncGrad
open FuncGrad.Testing
open Support.Check
open Ops.OpSpec

let private config =
    { FsCheckConfig.defaultConfig with
        maxTest = 8
    }

let private eps (dtype: DType) =
    if dtype = DType.Float64 then
        2.220446049250313e-16
    else
        1.1920929e-07

/// Derivatives through batching rules are compared within this many epsilons: a shared argument's cotangent is
/// summed over the examples by a reduction, where the loop adds the examples' cotangents one by one.
let private derivativeEps = 256.0

/// One random case for a row: n examples; per argument, its in-axis (None: shared by every example) and its
/// examples (one shared value when unmapped); the batched inputs; an out-axis for the result.
type private Case =
    {
        N: int
        Axes: int option list
        Examples: Tensor list list
        Inputs: Tensor list
    }

    /// The arguments of example i, as the loop passes them.
    member c.Example(i: int) =
        List.map2 (fun (a: int option) (xs: Tensor list) -> if a.IsSome then xs[i] else xs[0]) c.Axes c.Examples

    member c.InAxes = c.Axes |> List.map Option.toNullable |> Array.ofList

/// Arguments from `mapped` on are always mapped; of the others, at least one is, and each of the rest with chance 2/3.
let private drawCaseMapping (mapped: int) (domains: Domain list) (shapes: int[] list) (dtype: DType) (rng: Random) =
    let n = 1 + rng.Next 4
    let forced = rng.Next(min mapped domains.Length)

    let args =
        List.mapi2
            (fun i (d: Domain) (shape: int[]) ->
                let draw () = (sample rng d shape).ToDType dtype

                if i = forced || i >= mapped || rng.Next 3 > 0 then
                    let r = shape.Length
                    let ax = rng.Next(-(r + 1), r + 1)
                    let examples = List.init n (fun _ -> draw ())
                    Some ax, examples, Tensor.Stack(Array.ofList examples, ax)
                else
                    let x = draw ()
                    None, [ x ], x)
            domains
            shapes

    {
        N = n
        Axes = args |> List.map (fun (a, _, _) -> a)
        Examples = args |> List.map (fun (_, e, _) -> e)
        Inputs = args |> List.map (fun (_, _, x) -> x)
    }

let private drawCase (domains: Domain list) = drawCaseMapping domains.Length domains

let private vmapList (f: Tensor list -> Tensor) (inputs: Tensor list) (axes: Nullable<int>[]) (outAxis: int) =
    Autodiff.Vmap(
        (fun (xs: Collections.Generic.IReadOnlyList<Tensor>) -> f (List.ofSeq xs)),
        Array.ofList inputs,
        axes,
        outAxis
    )

/// The loop's answer: f on each example alone, stacked on outAxis.
let private loop (c: Case) (f: Tensor list -> Tensor) (outAxis: int) =
    Tensor.Stack([| for i in 0 .. c.N - 1 -> f (c.Example i) |], outAxis)

let private randomOutAxis (rng: Random) (y: Tensor) = rng.Next(-(y.Rank + 1), y.Rank + 1)

/// vmap f equals stacking f over the examples: bit for bit, or within the row's stated tolerance.
let vmapMatchesLoop (spec: Spec) (dtype: DType) (seed: int) =
    let rng = Random seed
    let c = drawCase spec.Domains spec.Shapes[rng.Next spec.Shapes.Length] dtype rng
    let outAxis = randomOutAxis rng (spec.F(c.Example 0))
    let actual = vmapList spec.F c.Inputs c.InAxes outAxis
    let expected = loop c spec.F outAxis

    let what =
        $"{spec.Name} {dtype.Name()}: vmap (in-axes {c.Axes}, out-axis {outAxis}, {c.N} examples) vs the loop"

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

/// The flattened cotangents of every argument, one tensor.
let private flat (ts: Tensor list) =
    Tensor.Concat(ts |> List.map (fun t -> t.Flatten()) |> Array.ofList)

/// vmap of a pullback: each example's cotangents for a cotangent of its own, against the loop.
let vmapOfVjpMatchesLoop (spec: Spec) (dtype: DType) (seed: int) =
    let rng = Random seed
    let shapes = spec.Shapes[rng.Next spec.Shapes.Length]

    let yShape =
        shapeOf (spec.F(List.map2 (fun d s -> (sample rng d s).ToDType dtype) spec.Domains shapes))
    // the output cotangent is one more mapped argument (never shared, so the case is never all-shared)
    let c =
        drawCaseMapping spec.Arity (spec.Domains @ [ Domain.real ]) (shapes @ [ yShape ]) dtype rng

    let f (args: Tensor list) =
        flat (reverse spec.F (List.take spec.Arity args) (List.last args))

    let tol = derivativeEps * eps dtype

    close
        $"{spec.Name} {dtype.Name()}: vmap of vjp (in-axes {c.Axes})"
        tol
        tol
        (vmapList f c.Inputs c.InAxes 0)
        (loop c f 0)

/// vmap of forward mode: each example's tangent output for tangents of its own, against the loop.
let vmapOfJvpMatchesLoop (spec: Spec) (dtype: DType) (seed: int) =
    let rng = Random seed
    let shapes = spec.Shapes[rng.Next spec.Shapes.Length]

    let c =
        drawCase (spec.Domains @ List.replicate spec.Arity Domain.real) (shapes @ shapes) dtype rng

    let f (args: Tensor list) =
        forward spec.F (List.take spec.Arity args) (List.skip spec.Arity args)

    let tol = derivativeEps * eps dtype

    close
        $"{spec.Name} {dtype.Name()}: vmap of jvp (in-axes {c.Axes})"
        tol
        tol
        (vmapList f c.Inputs c.InAxes 0)
        (loop c f 0)

/// The pullback of vmap f: the batched op recorded at the outer level, differentiated. A mapped argument's cotangent
/// is its examples' cotangents stacked on its axis; a shared argument's is their sum.
let vjpOfVmapMatchesLoop (spec: Spec) (dtype: DType) (seed: int) =
    let rng = Random seed
    let c = drawCase spec.Domains spec.Shapes[rng.Next spec.Shapes.Length] dtype rng
    let y = vmapList spec.F c.Inputs c.InAxes 0
    let u = (randn rng (shapeOf y)).ToDType dtype
    let actual = reverse (fun xs -> vmapList spec.F xs c.InAxes 0) c.Inputs u

    let perExample =
        [
            for i in 0 .. c.N - 1 -> reverse spec.F (c.Example i) (u.Slice(0, i, i + 1).Squeeze(Nullable 0))
        ]

    let expected =
        c.Axes
        |> List.mapi (fun j a ->
            match a with
            | Some ax -> Tensor.Stack([| for g in perExample -> g[j] |], ax)
            | None -> perExample |> List.map (fun g -> g[j]) |> List.reduce (+))

    let tol = derivativeEps * eps dtype

    List.iteri2
        (fun j a e -> close $"{spec.Name} {dtype.Name()}: vjp of vmap, argument {j} (in-axes {c.Axes})" tol tol a e)
        actual
        expected

[<Tests>]
let tests =
    testList
        "vmap"
        [
            testList
                "ops"
                [
                    for spec in specs do
                        testList
                            spec.Name
                            [
                                for dtype in [ DType.Float64; DType.Float32 ] do
                                    testPropertyWithConfig
                                        config
                                        $"{dtype.Name()}: vmap = loop, random in- and out-axes"
                                        (vmapMatchesLoop spec dtype)

                                    testPropertyWithConfig
                                        config
                                        $"{dtype.Name()}: vmap of vjp = loop"
                                        (vmapOfVjpMatchesLoop spec dtype)

                                    testPropertyWithConfig
                                        config
                                        $"{dtype.Name()}: vmap of jvp = loop"
                                        (vmapOfJvpMatchesLoop spec dtype)

                                    testPropertyWithConfig
                                        config
                                        $"{dtype.Name()}: vjp of vmap = loop"
                                        (vjpOfVmapMatchesLoop spec dtype)
                            ]
                ]
        ]
