/// The transformations as values, for the checks that run them on every row of the op spec table (VmapTests,
/// CommuteTests): each one makes a new function of a list of tensors from an old one, with a way to draw its
/// arguments, and vmap, compile and the move to another device also make their plain counterpart (a loop over the
/// examples, f itself), which takes the same arguments. So a composition of transformations and the same with one
/// of them plain run on equal arguments.
module Autodiff.Transforms

open System
open Expecto
open FuncGrad
open Support.Check
open Ops.OpSpec

/// A function of a list of tensors, and how to draw its arguments: one call per random source, every choice made
/// from that source, so equal sources draw equal arguments.
type Problem =
    {
        F: Tensor list -> Tensor
        Draw: Random -> Tensor list
        /// What F computes, for failure messages: the row and shapes, and each transformation with its choices.
        What: string
    }

/// What one transformation makes of a problem, for its own random choices (vmap's examples and axes): equal sources
/// make the same choices.
type Make = Random -> Problem -> Problem

type Transform =
    {
        Name: string
        Real: Make
        /// The same function without this transformation's machinery, on the same arguments; None for vjp and jvp.
        Plain: Make option
        /// The plain counterpart's name in test names; "" where it is the function itself.
        PlainName: string
    }

let eps (dtype: DType) =
    if dtype = DType.Float64 then
        2.220446049250313e-16
    else
        1.1920929e-07

/// Every tensor flattened and joined into one vector.
let flat (ts: Tensor list) =
    Tensor.Concat(ts |> List.map (fun t -> t.Flatten()) |> Array.ofList)

let private randnLike (rng: Random) (dtype: DType) (shape: int[]) = (randn rng shape).ToDType dtype

/// A row of the op spec table in a dtype, at one of its listed shapes (chosen by rng), arguments from its domains.
let ofSpec (spec: Spec) (dtype: DType) (rng: Random) =
    let shapes = spec.Shapes[rng.Next spec.Shapes.Length]

    {
        F = spec.F
        Draw = fun r -> List.map2 (fun d (s: int[]) -> (sample r d s).ToDType dtype) spec.Domains shapes
        What =
            let shown = shapes |> List.map (fun s -> "[" + String.Join("x", s) + "]")
            $"{spec.Name} {dtype.Name()} {String.Join('·', shown)}"
    }

/// The cotangents of every argument, flattened into one vector; the output's cotangent is one more argument.
let vjp =
    {
        Name = "vjp"
        Real =
            fun _ p ->
                {
                    F =
                        fun args ->
                            let xs = List.take (args.Length - 1) args
                            flat (reverse p.F xs (List.last args))
                    Draw =
                        fun rng ->
                            let xs = p.Draw rng
                            xs @ [ randnLike rng (List.head xs).DType (shapeOf (p.F xs)) ]
                    What = $"vjp of {p.What}"
                }
        Plain = None
        PlainName = ""
    }

/// The output's tangent; one tangent per argument follows the arguments.
let jvp =
    {
        Name = "jvp"
        Real =
            fun _ p ->
                {
                    F =
                        fun args ->
                            let n = args.Length / 2
                            forward p.F (List.take n args) (List.skip n args)
                    Draw =
                        fun rng ->
                            let xs = p.Draw rng
                            xs @ (xs |> List.map (fun x -> randnLike rng x.DType (shapeOf x)))
                    What = $"jvp of {p.What}"
                }
        Plain = None
        PlainName = ""
    }

/// vmap over 1 to 4 examples: each argument mapped on a random axis (at least one argument mapped) or shared by
/// every example, the results stacked on a random axis; or, as the loop, f on each example's slices, stacked.
let private vmapOrLoop (loop: bool) : Make =
    fun rng p ->
        let probe = p.Draw(Random 1)
        let n = 1 + rng.Next 4
        let forced = rng.Next probe.Length

        let axes =
            probe
            |> List.mapi (fun i (x: Tensor) ->
                if i = forced || rng.Next 3 > 0 then
                    Some(rng.Next(-(x.Rank + 1), x.Rank + 1))
                else
                    None)

        let outRank = (p.F probe).Rank
        let outAxis = rng.Next(-(outRank + 1), outRank + 1)

        let example (args: Tensor list) (i: int) =
            List.map2
                (fun (a: int option) (x: Tensor) ->
                    match a with
                    | Some ax ->
                        let ax = if ax < 0 then ax + x.Rank else ax
                        x.Slice(ax, i, i + 1).Squeeze(Nullable ax)
                    | None -> x)
                axes
                args

        let inAxes = axes |> List.map Option.toNullable |> Array.ofList

        {
            F =
                if loop then
                    fun args -> Tensor.Stack([| for i in 0 .. n - 1 -> p.F(example args i) |], outAxis)
                else
                    fun args ->
                        Autodiff.Vmap(
                            (fun (xs: Collections.Generic.IReadOnlyList<Tensor>) -> p.F(List.ofSeq xs)),
                            Array.ofList args,
                            inAxes,
                            outAxis
                        )
            Draw =
                fun rng ->
                    let examples = List.init n (fun _ -> p.Draw rng)

                    axes
                    |> List.mapi (fun j a ->
                        match a with
                        | Some ax -> Tensor.Stack([| for e in examples -> e[j] |], ax)
                        | None -> examples[0][j])
            What =
                let shown =
                    axes
                    |> List.map (Option.map string >> Option.defaultValue "shared")
                    |> String.concat ", "

                let name = if loop then "the loop" else "vmap"
                $"{name} (in-axes {shown}; out-axis {outAxis}; {n} examples) of {p.What}"
        }

let vmap =
    {
        Name = "vmap"
        Real = vmapOrLoop false
        Plain = Some(vmapOrLoop true)
        PlainName = "the loop"
    }

let private unchanged: Make = fun _ p -> p

let compile =
    {
        Name = "compile"
        Real =
            fun _ p ->
                let c = Autodiff.Compile(listFn (fun xs -> [ p.F xs ]))

                { p with
                    F = fun xs -> c.Invoke(Array.ofList xs)[0]
                    What = $"compile of {p.What}"
                }
        Plain = Some unchanged
        PlainName = ""
    }

/// f on the managed backend: its arguments moved there, the tensors it makes made there, its result moved back to
/// the default device (tests/Backend.LibTorch, where that is torch:cpu).
let device =
    {
        Name = "device"
        Real =
            fun _ p ->
                let home = Device.Default

                { p with
                    F =
                        fun xs ->
                            use _ = Device.Use Device.Managed
                            (p.F(xs |> List.map (fun x -> x.To Device.Managed))).To home
                    What = $"managed of {p.What}"
                }
        Plain = Some unchanged
        PlainName = ""
    }

/// The forward-mode Jacobian with respect to every argument at once (their elements joined into one vector).
let jacfwd =
    {
        Name = "jacfwd"
        Real =
            fun _ p ->
                { p with
                    F =
                        fun xs ->
                            let shapes = xs |> List.map shapeOf
                            let counts = xs |> List.map (fun x -> x.Count)
                            let starts = List.scan (+) 0 counts |> List.take xs.Length

                            let unpack (z: Tensor) =
                                List.map3
                                    (fun (s: int) c shape -> z.Slice(0, s, s + c).Reshape shape)
                                    starts
                                    counts
                                    shapes

                            Autodiff.JacFwd((fun z -> p.F(unpack z)), flat xs)
                    What = $"jacfwd of {p.What}"
                }
        Plain = None
        PlainName = ""
    }

/// A check's tests over the spec table: per row, one property for float64 and one for float32, "dtype: title".
let perRow (config: FsCheckConfig) (title: string) (property: Spec -> DType -> int -> unit) =
    [
        for spec in specs do
            testList
                spec.Name
                [
                    for dtype in [ DType.Float64; DType.Float32 ] do
                        testPropertyWithConfig config $"{dtype.Name()}: {title}" (property spec dtype)
                ]
    ]
