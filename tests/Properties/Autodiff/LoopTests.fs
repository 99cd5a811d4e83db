/// Scan, Map, ForiLoop, WhileLoop, Cond and Switch (Autodiff/Loops.cs) against the plain loops they stand for, written
/// here as F# loops and ifs over the same bodies: values, vjp, jvp, second order, vmap and compile, bit for bit with
/// the plain loop taken through the same transformation, and vmap also against a loop over the examples; nested loops;
/// a loop inside grad inside vmap inside compile; checkpoint policies; a million-step scan; the errors. Expected values
/// always come from the plain loop, a loop over the examples, or (the long scan) a loop over doubles.
module Autodiff.LoopTests

open System
open System.Collections.Generic
open Expecto
open FuncGrad
open Support.Check

type private Ts = IReadOnlyList<Tensor>

let private f64, f32, i64 = DType.Float64, DType.Float32, DType.Int64

let private config =
    withCommandLine
        { FsCheckConfig.defaultConfig with
            maxTest = 12
        }

let private property name (check: int -> unit) =
    testPropertyWithConfig config name check

// ---------------------------------------------------------------------------------------------------------------------
// Comparisons

/// Fails unless the tensors agree in dtype, shape and every bit (integers and bools by value).
let private same (what: string) (expected: Tensor) (actual: Tensor) =
    if expected.DType.IsFloat() then
        bitwise what expected actual
    else
        Expect.equal actual.DType expected.DType $"{what}: dtype"
        Expect.equal (shapeOf actual) (shapeOf expected) $"{what}: shape"
        Expect.sequenceEqual (actual.ToArray()) (expected.ToArray()) $"{what}: values"

let private sameAll (what: string) (expected: Tensor list) (actual: Tensor list) =
    Expect.equal actual.Length expected.Length $"{what}: number of results"
    List.iteri2 (fun i e a -> same $"{what}, result {i}" e a) expected actual

/// Within 256 epsilons (a batch may sum in another order than its examples one by one, as in CommuteTests) of
/// float32 where any float32 tensor takes part (a float64 result computed from float32 ones carries their rounding),
/// else of float64; integers exactly.
let private nearAll (what: string) (inputs: Tensor list) (expected: Tensor list) (actual: Tensor list) =
    Expect.equal actual.Length expected.Length $"{what}: number of results"
    let single = inputs @ expected |> List.exists (fun t -> t.DType = f32)
    let tol = 256.0 * (if single then 1.1920929e-07 else 2.220446049250313e-16)

    List.iteri2
        (fun i (e: Tensor) (a: Tensor) ->
            if e.DType.IsFloat() then
                Expect.equal a.DType e.DType $"{what}, result {i}: dtype"
                Expect.equal (shapeOf a) (shapeOf e) $"{what}, result {i}: shape"
                close $"{what}, result {i}" tol tol a e
            else
                same $"{what}, result {i}" e a)
        expected
        actual

/// Fails unless f throws exactly 'E with a message containing every one of the pieces.
let private raisesWith<'E when 'E :> exn> (what: string) (pieces: string list) (f: unit -> unit) =
    let e = raises<'E> what f

    for p in pieces do
        Expect.stringContains e.Message p $"{what}: the message names \"{p}\""

// ---------------------------------------------------------------------------------------------------------------------
// A loop written twice: with a primitive and as a plain loop

/// A loop written with a primitive and as a plain F# loop, as functions of the same arguments (every float argument
/// is differentiated, integer ones are not), with how to draw them: every draw has the same shapes, so draws stack
/// into a batch.
type private Case =
    {
        What: string
        Loop: Tensor list -> Tensor list
        Plain: Tensor list -> Tensor list
        Draw: Random -> Tensor list
        /// The arguments vmap batches, by name: each entry is one vmap check.
        Batchings: (string * int list) list
    }

let private withPart (rng: Random) (dtype: DType) (shape: int[]) = (randn rng shape).ToDType dtype

/// The float results, widened to float64 and joined: the one output vjp, jvp and the Hessian see.
let private floatsOut (outs: Tensor list) =
    Tensor.Concat
        [|
            for t in outs do
                if t.DType.IsFloat() then
                    t.ToDType(f64).Flatten()
        |]

/// The float arguments, and f of them (the others held at their values) as one float64 vector.
let private along (args: Tensor list) (f: Tensor list -> Tensor list) =
    let idx =
        [
            for i, a in List.indexed args do
                if a.DType.IsFloat() then
                    i
        ]

    let g (ds: Tensor list) =
        let chosen = Map.ofList (List.zip idx ds)

        floatsOut (f (args |> List.mapi (fun i a -> chosen.TryFind i |> Option.defaultValue a)))

    [ for i in idx -> args[i] ], g

let private values (c: Case) (rng: Random) =
    let args = c.Draw rng
    sameAll $"{c.What}: values" (c.Plain args) (c.Loop args)

let private vjpMatches (c: Case) (rng: Random) =
    let args = c.Draw rng
    let xs, loop = along args c.Loop
    let _, plain = along args c.Plain
    let u = randn rng [| (plain xs).Count |]
    // The reverse scan sums a step's pieces of a captured parameter's cotangent before adding them to the running
    // total, where the plain loop's reverse walk adds every piece to it: the same sum, rounded in another order.
    nearAll $"{c.What}: vjp" args (reverse plain xs u) (reverse loop xs u)

let private jvpMatches (c: Case) (rng: Random) =
    let args = c.Draw rng
    let xs, loop = along args c.Loop
    let _, plain = along args c.Plain
    let vs = xs |> List.map (fun x -> withPart rng x.DType (shapeOf x))
    same $"{c.What}: jvp" (forward plain xs vs) (forward loop xs vs)

/// The Hessian of ⟨u, f⟩ with respect to every float argument, joined into one float64 vector.
let private hessianOf (args: Tensor list) (f: Tensor list -> Tensor list) (u: Tensor) =
    let xs, g = along args f
    let z = Tensor.Concat [| for x in xs -> x.ToDType(f64).Flatten() |]

    let unpack (z: Tensor) =
        let starts = List.scan (+) 0 (xs |> List.map (fun x -> x.Count))

        List.mapi (fun i (x: Tensor) -> z.Slice(0, starts[i], starts[i + 1]).Reshape(shapeOf x).ToDType x.DType) xs

    Autodiff.Hessian(Func<_, _>(fun z -> (g (unpack z) * u).Sum()), z)

let private hessianMatches (c: Case) (rng: Random) =
    let args = c.Draw rng
    let xs, plain = along args c.Plain
    let u = randn rng [| (plain xs).Count |]
    nearAll $"{c.What}: Hessian" args [ hessianOf args c.Plain u ] [ hessianOf args c.Loop u ]

/// 1 to 3 examples' arguments, those in `batched` stacked on axis 0, the others example 0's (shared).
let private batchOf (c: Case) (batched: int list) (rng: Random) =
    let examples = List.init (1 + rng.Next 3) (fun _ -> c.Draw rng)
    let first = examples[0]
    let isBatched i = List.contains i batched

    let args =
        first
        |> List.mapi (fun i a ->
            if isBatched i then
                Tensor.Stack [| for e in examples -> e[i] |]
            else
                a)

    let axes =
        [|
            for i in 0 .. first.Length - 1 -> if isBatched i then Nullable 0 else Nullable()
        |]

    let perExample =
        [
            for e in examples -> first |> List.mapi (fun i a -> if isBatched i then e[i] else a)
        ]

    args, axes, perExample

let private vmapOf (f: Tensor list -> Tensor list) (args: Tensor list) (axes: Nullable<int>[]) =
    Autodiff.VmapMany(listFn f, Array.ofList args, axes) |> List.ofArray

/// Runs f on each example and stacks each result.
let private overExamples (f: Tensor list -> Tensor list) (perExample: Tensor list list) =
    let results = perExample |> List.map f

    List.init results[0].Length (fun j -> Tensor.Stack [| for r in results -> r[j] |])

let private vmapMatches (c: Case) (name: string, batched: int list) (rng: Random) =
    let args, axes, perExample = batchOf c batched rng
    let actual = vmapOf c.Loop args axes
    // The batched body keeps every carry's examples first, which the plain loop under vmap need not: a batched
    // reduction may then sum in another order.
    nearAll $"{c.What}: vmap over {name} vs vmap of the plain loop" args (vmapOf c.Plain args axes) actual
    nearAll $"{c.What}: vmap over {name} vs the loop over the examples" args (overExamples c.Plain perExample) actual

let private compileMatches (c: Case) (rng: Random) =
    let args = c.Draw rng
    let compiled = Autodiff.Compile(listFn c.Loop)
    sameAll $"{c.What}: compile vs eager" (c.Loop args) (compiled.Invoke(Array.ofList args) |> List.ofSeq)

/// compile (vjp of the loop), with the output's cotangent its last argument, against vjp of the loop, bit for bit, and
/// vjp of the plain loop.
let private compiledVjpMatches (c: Case) (rng: Random) =
    let args = c.Draw rng
    let xs, plain = along args c.Plain
    let u = randn rng [| (plain xs).Count |]

    let vjpOf (f: Tensor list -> Tensor list) (a: Tensor list) =
        let ds, g = along (List.take args.Length a) f
        reverse g ds (List.last a)

    let compiled = Autodiff.Compile(listFn (vjpOf c.Loop))

    let actual = compiled.Invoke(Array.ofList (args @ [ u ])) |> List.ofSeq
    sameAll $"{c.What}: compile (vjp) vs vjp" (vjpOf c.Loop (args @ [ u ])) actual
    nearAll $"{c.What}: compile (vjp) vs vjp of the plain loop" args (vjpOf c.Plain (args @ [ u ])) actual

/// Each check of a family of cases as one property: the case from the seed, its arguments from the next seed. The
/// vmap checks are named by the family's batchings; each case finds its own argument numbers by the name.
let private checks (make: Random -> Case) (which: string list) =
    let run check =
        fun seed -> check (make (Random seed)) (Random(seed + 1))

    [
        if List.contains "values" which then
            property "values = the plain loop's, bit for bit" (run values)
        if List.contains "vjp" which then
            property "vjp = the plain loop's, bit for bit" (run vjpMatches)
        if List.contains "jvp" which then
            property "jvp = the plain loop's, bit for bit" (run jvpMatches)
        if List.contains "hessian" which then
            property "Hessian = the plain loop's, bit for bit" (run hessianMatches)
        if List.contains "vmap" which then
            for name, _ in (make (Random 0)).Batchings do
                property
                    $"vmap over {name} = vmap of the plain loop (bit for bit) = the loop over the examples"
                    (run (fun c -> vmapMatches c (name, List.find (fst >> (=) name) c.Batchings |> snd)))
        if List.contains "compile" which then
            property "compile = eager, bit for bit" (run compileMatches)
        if List.contains "compile vjp" which then
            property "compile (vjp) = vjp of the plain loop, bit for bit" (run compiledVjpMatches)
    ]

let private allChecks =
    [ "values"; "vjp"; "jvp"; "hessian"; "vmap"; "compile"; "compile vjp" ]

// ---------------------------------------------------------------------------------------------------------------------
// Plain loops

/// The plain scan: step s runs on xs[t], t = s or, reversed, the last index first; y of step t lands at index t. With
/// no steps, the ys are empty stacks of the shapes the body returns.
let private plainScan
    (body: Tensor list -> Tensor list -> Tensor list * Tensor list)
    (init: Tensor list)
    (xs: Tensor list)
    (steps: int)
    (reversed: bool)
    =
    let mutable carry = init
    let ys = Array.zeroCreate steps

    for s in 0 .. steps - 1 do
        let t = if reversed then steps - 1 - s else s
        let next, y = body carry [ for x in xs -> x[t] ]
        carry <- next
        ys[t] <- y

    let stacked =
        if steps = 0 then
            snd (body init [ for x in xs -> Tensor.Zeros(Array.tail (shapeOf x), x.DType) ])
            |> List.map (fun y -> Tensor.Zeros(Array.append [| 0 |] (shapeOf y), y.DType))
        else
            List.init ys[0].Length (fun j -> Tensor.Stack [| for y in ys -> List.item j y |])

    carry @ stacked

/// The primitive's body from an F# one.
let private scanBodyFn (body: Tensor list -> Tensor list -> Tensor list * Tensor list) =
    Func<Ts, Ts, struct (Tensor[] * Tensor[])>(fun c x ->
        let a, b = body (List.ofSeq c) (List.ofSeq x)
        struct (Array.ofList a, Array.ofList b))

let private viaScan body (init: Tensor list) (xs: Tensor list) (length: int option) reversed checkpoint =
    let struct (carry, ys) =
        Autodiff.Scan(
            scanBodyFn body,
            Array.ofList init,
            Array.ofList xs,
            length = Option.toNullable length,
            reverse = reversed,
            checkpoint = checkpoint
        )

    List.ofArray carry @ List.ofArray ys

let private plainFori (lower: int) (upper: int) (body: Tensor -> Tensor list -> Tensor list) (init: Tensor list) =
    let mutable carry = init

    for i in lower .. upper - 1 do
        carry <- body (Tensor.Scalar(float i, i64)) carry

    carry

let private plainWhile (cond: Tensor list -> Tensor) (body: Tensor list -> Tensor list) (init: Tensor list) =
    let mutable carry = init

    while (cond carry).Item() <> 0.0 do
        carry <- body carry

    carry

let private shapes = [| [||]; [| 2 |]; [| 1; 3 |] |]
let private pick (rng: Random) (a: 'a[]) = a[rng.Next a.Length]
let private coin (rng: Random) = rng.Next 2 = 0

// ---------------------------------------------------------------------------------------------------------------------
// Scan

/// A scan's structure: the carry is a float64 part, a float32 part (Half) and an int64 counter (Counter); xs a float64
/// part and a float32 one (TwoXs); the body also returns ys (Ys) and closes over a float64 parameter w.
type private ScanShape =
    {
        Steps: int
        Reverse: bool
        Half: bool
        Counter: bool
        TwoXs: bool
        Ys: bool
        /// Pass length as well as xs.
        Length: bool
        Shape: int[]
        Shape32: int[]
    }

let private drawScan (maxSteps: int) (rng: Random) =
    {
        Steps = rng.Next(maxSteps + 1)
        Reverse = coin rng
        Half = coin rng
        Counter = coin rng
        TwoXs = coin rng
        Ys = coin rng
        Length = coin rng
        Shape = pick rng shapes
        Shape32 = pick rng shapes
    }

let private describe (s: ScanShape) =
    let show (a: int[]) = "[" + String.Join("x", a) + "]"

    $"scan of {s.Steps} steps (reverse {s.Reverse}; float64 {show s.Shape}, float32 {show s.Shape32} {s.Half}, "
    + $"counter {s.Counter}, two xs {s.TwoXs}, ys {s.Ys}, length given {s.Length})"

/// Carry [c0; c1 if Half; k if Counter], x [x0; x1 if TwoXs]: every part feeds the next carry, the counter as a float.
let private scanBody (s: ScanShape) (w: Tensor) (carry: Tensor list) (x: Tensor list) =
    let c0 = carry[0]
    let c1 = if s.Half then Some carry[1] else None
    let k = if s.Counter then Some(List.last carry) else None
    let x0 = x[0]
    let x1 = if s.TwoXs then Some x[1] else None

    let n0 =
        [
            c1 |> Option.map (fun c1 -> c1.Mean().ToDType f64 * 0.25)
            x1 |> Option.map (fun x1 -> x1.Sum().ToDType f64)
            k |> Option.map (fun k -> k.ToDType f64 * 0.125)
        ]
        |> List.choose id
        |> List.fold (+) ((c0 * w).Tanh() + x0 * 0.5)

    let n1 =
        c1
        |> Option.map (fun c1 ->
            let drive = (c0.Sum() * w.Sum()).Sin().ToDType f32

            let pushed =
                match x1 with
                | Some x1 -> c1 * 0.75 + x1 * 0.5
                | None -> c1 * 0.75

            (pushed + drive).Tanh())

    let nk = k |> Option.map (fun k -> k + 1.0)

    let ys =
        if s.Ys then
            [ n0 * c0 ]
            @ (n1 |> Option.map (fun n1 -> n1.Sum()) |> Option.toList)
            @ Option.toList k
        else
            []

    [ n0 ] @ Option.toList n1 @ Option.toList nk, ys

let private carryParts (s: ScanShape) =
    1 + (if s.Half then 1 else 0) + (if s.Counter then 1 else 0)

let private xsParts (s: ScanShape) = if s.TwoXs then 2 else 1

let private scanArgs (s: ScanShape) (rng: Random) =
    [
        withPart rng f64 s.Shape
        if s.Half then
            withPart rng f32 s.Shape32
        if s.Counter then
            Tensor.Scalar(float (rng.Next 5), i64)
        withPart rng f64 (Array.append [| s.Steps |] s.Shape)
        if s.TwoXs then
            withPart rng f32 (Array.append [| s.Steps |] s.Shape32)
        withPart rng f64 s.Shape
    ]

let private scanSplit (s: ScanShape) (args: Tensor list) =
    let p, q = carryParts s, xsParts s
    List.take p args, args |> List.skip p |> List.take q, args[p + q]

let private scanCaseWith (checkpoint: ScanCheckpoint) (s: ScanShape) =
    let p, q = carryParts s, xsParts s

    {
        What = $"{describe s}, checkpoint {checkpoint}"
        Loop =
            fun args ->
                let init, xs, w = scanSplit s args
                viaScan (scanBody s w) init xs (if s.Length then Some s.Steps else None) s.Reverse checkpoint
        Plain =
            fun args ->
                let init, xs, w = scanSplit s args
                plainScan (scanBody s w) init xs s.Steps s.Reverse
        Draw = scanArgs s
        Batchings =
            [
                "init (xs shared)", [ 0 .. p - 1 ]
                "xs (init shared)", [ p .. p + q - 1 ]
                "init and xs", [ 0 .. p + q - 1 ]
                "the captured parameter", [ p + q ]
            ]
    }

let private scanCase (rng: Random) =
    scanCaseWith ScanCheckpoint.EveryStep (drawScan 4 rng)

/// The one-tensor overload: carry c, xs, parameter w.
let private scanOneCase (rng: Random) =
    let steps, reversed, shape = rng.Next 5, coin rng, pick rng shapes

    let body (w: Tensor) (c: Tensor) (x: Tensor) = (c * w).Tanh() + x, c * x - w

    {
        What = $"one-tensor scan of {steps} steps (reverse {reversed})"
        Loop =
            fun args ->
                let struct (c, ys) =
                    Autodiff.Scan(
                        Func<Tensor, Tensor, struct (Tensor * Tensor)>(fun c x ->
                            let a, b = body args[2] c x
                            struct (a, b)),
                        args[0],
                        args[1],
                        reverse = reversed
                    )

                [ c; ys ]
        Plain =
            fun args ->
                plainScan
                    (fun c x ->
                        let a, b = body args[2] c[0] x[0]
                        [ a ], [ b ])
                    [ args[0] ]
                    [ args[1] ]
                    steps
                    reversed
        Draw =
            fun rng ->
                [
                    withPart rng f64 shape
                    withPart rng f64 (Array.append [| steps |] shape)
                    withPart rng f64 shape
                ]
        Batchings = [ "init", [ 0 ]; "xs", [ 1 ]; "the captured parameter", [ 2 ] ]
    }

// ---------------------------------------------------------------------------------------------------------------------
// Map

let private mapCase (rng: Random) =
    let steps, two, twoOut = rng.Next 5, coin rng, coin rng
    let shape, shape32 = pick rng shapes, pick rng shapes

    let body (w: Tensor) (x: Tensor list) =
        let extra = if two then x[1].Sum().ToDType f64 else Tensor.Scalar 0.0

        [
            (x[0] * w).Sin() + extra
            if twoOut then
                (if two then x[1] else Tensor.Ones(shape32, f32)) * x[0].Sum().ToDType f32
        ]

    let q = if two then 2 else 1

    {
        What = $"map of {steps} steps (two xs {two}, two results {twoOut})"
        Loop =
            fun args ->
                let w = List.last args

                Autodiff.Map(Func<Ts, Tensor[]>(fun x -> Array.ofList (body w (List.ofSeq x))), List.take q args)
                |> List.ofArray
        Plain =
            fun args ->
                let w = List.last args
                plainScan (fun _ x -> [], body w x) [] (List.take q args) steps false
        Draw =
            fun rng ->
                [
                    withPart rng f64 (Array.append [| steps |] shape)
                    if two then
                        withPart rng f32 (Array.append [| steps |] shape32)
                    withPart rng f64 shape
                ]
        Batchings =
            [
                "xs", [ 0 .. q - 1 ]
                "the captured parameter", [ q ]
                "xs and the parameter", [ 0..q ]
            ]
    }

let private mapOneCase (rng: Random) =
    let steps, shape = rng.Next 5, pick rng shapes
    let body (w: Tensor) (x: Tensor) = (x * w).Tanh().Sum()

    {
        What = $"one-tensor map of {steps} steps"
        Loop = fun args -> [ Autodiff.Map(Func<Tensor, Tensor>(body args[1]), args[0]) ]
        Plain = fun args -> plainScan (fun _ x -> [], [ body args[1] x[0] ]) [] [ args[0] ] steps false
        Draw = fun rng -> [ withPart rng f64 (Array.append [| steps |] shape); withPart rng f64 shape ]
        Batchings = [ "xs", [ 0 ]; "the captured parameter", [ 1 ] ]
    }

// ---------------------------------------------------------------------------------------------------------------------
// ForiLoop

/// The index must reach the body as an int64 scalar; the body uses it as a float.
let private index (i: Tensor) =
    if i.DType <> i64 || i.Rank <> 0 then
        failtestf "foriLoop's index is %O %A; expected an int64 scalar" i.DType (shapeOf i)

    i.ToDType f64

let private foriBody (half: bool) (w: Tensor) (i: Tensor) (carry: Tensor list) =
    let fi = index i
    let c0 = carry[0]

    [
        (c0 * w).Tanh() + fi * 0.25
        if half then
            (carry[1] * 0.5 + (fi * c0.Mean()).ToDType f32).Sin()
    ]

let private foriCaseWith (checkpoint: ScanCheckpoint) (rng: Random) =
    let lower, count, half = rng.Next(-2, 3), rng.Next 5, coin rng
    let upper = lower + count
    let shape, shape32 = pick rng shapes, pick rng shapes
    let p = if half then 2 else 1

    {
        What = $"foriLoop {lower} .. {upper} (float32 part {half}), checkpoint {checkpoint}"
        Loop =
            fun args ->
                let w = List.last args

                Autodiff.ForiLoop(
                    lower,
                    upper,
                    Func<Tensor, Ts, Tensor[]>(fun i c -> Array.ofList (foriBody half w i (List.ofSeq c))),
                    Array.ofList (List.take p args),
                    checkpoint
                )
                |> List.ofArray
        Plain = fun args -> plainFori lower upper (foriBody half (List.last args)) (List.take p args)
        Draw =
            fun rng ->
                [
                    withPart rng f64 shape
                    if half then
                        withPart rng f32 shape32
                    withPart rng f64 shape
                ]
        Batchings =
            [
                "init", [ 0 .. p - 1 ]
                "the captured parameter", [ p ]
                "init and the parameter", [ 0..p ]
            ]
    }

let private foriCase = foriCaseWith ScanCheckpoint.EveryStep

let private foriOneCase (rng: Random) =
    let lower, count, shape = rng.Next(-2, 3), rng.Next 5, pick rng shapes
    let body (w: Tensor) (i: Tensor) (c: Tensor) = (c * w).Sin() + index i

    {
        What = $"one-tensor foriLoop {lower} .. {lower + count}"
        Loop =
            fun args ->
                [
                    Autodiff.ForiLoop(lower, lower + count, Func<_, _, _>(body args[1]), args[0])
                ]
        Plain = fun args -> plainFori lower (lower + count) (fun i c -> [ body args[1] i c[0] ]) [ args[0] ]
        Draw = fun rng -> [ withPart rng f64 shape; withPart rng f64 shape ]
        Batchings = [ "init", [ 0 ]; "the captured parameter", [ 1 ] ]
    }

// ---------------------------------------------------------------------------------------------------------------------
// WhileLoop

/// Each step adds at least 0.15 to every element's magnitude, so a loop until the magnitudes sum to `limit` ends.
let private growBody (w: Tensor) (carry: Tensor list) =
    let c = carry[0]
    [ c.Abs() * 1.5 + 0.25 + (c * w).Tanh() * 0.1; carry[1] + 1.0 ]

let private below (limit: float) (carry: Tensor list) =
    carry[0].Abs().Sum().Lt(Tensor.Scalar limit)

let private counted (steps: int) (carry: Tensor list) =
    carry[1].Lt(Tensor.Scalar(float steps, i64))

let private viaWhile (cond: Tensor list -> Tensor) (body: Tensor list -> Tensor list) (init: Tensor list) =
    Autodiff.WhileLoop(
        Func<Ts, Tensor>(List.ofSeq >> cond),
        Func<Ts, Tensor[]>(List.ofSeq >> body >> Array.ofList),
        Array.ofList init
    )
    |> List.ofArray

/// Carry [c; k] and parameter w; the predicate reads c (until a threshold: examples stop at different steps) or only
/// the counter k (shared by every example under vmap over c and w).
let private whileCase (byValue: bool) (rng: Random) =
    let shape = pick rng shapes
    let limit, steps = rng.NextDouble() * 6.0, rng.Next 5

    let cond = if byValue then below limit else counted steps

    {
        What =
            if byValue then
                $"whileLoop until the magnitudes reach {limit}"
            else
                $"whileLoop of {steps} counted steps"
        Loop = fun args -> viaWhile cond (growBody args[2]) [ args[0]; args[1] ]
        Plain = fun args -> plainWhile cond (growBody args[2]) [ args[0]; args[1] ]
        Draw = fun rng -> [ withPart rng f64 shape; Tensor.Scalar(0.0, i64); withPart rng f64 shape ]
        Batchings = [ "init", [ 0 ]; "the captured parameter", [ 2 ] ]
    }

let private whileOneTensor =
    test "the one-tensor whileLoop = the plain loop" {
        let cond (c: Tensor) = c.Lt(Tensor.Scalar 100.0)
        let body (c: Tensor) = c * c
        let x = Tensor.Scalar 1.5
        let expected = plainWhile (fun c -> cond c[0]) (fun c -> [ body c[0] ]) [ x ]
        same "whileLoop" expected[0] (Autodiff.WhileLoop(Func<_, _> cond, Func<_, _> body, x))
    }

let private whileUnderGrad =
    property "reverse mode through whileLoop: a GradientException saying to use Scan or ForiLoop" (fun seed ->
        let c = whileCase (seed % 2 = 0) (Random seed)
        let args = c.Draw(Random(seed + 1))
        let xs, g = along args c.Loop

        raisesWith<GradientException> $"{c.What} under vjp" [ "whileLoop"; "Scan"; "ForiLoop" ] (fun () ->
            reverse g xs (Tensor.Ones [| (g xs).Count |]) |> ignore))

// ---------------------------------------------------------------------------------------------------------------------
// Cond and Switch

/// Operands x (float64), y (float32) and parameter w; the predicate is x's sum > 0, so random draws take both branches.
let private condCase (rng: Random) =
    let shape, shape32 = pick rng shapes, pick rng shapes

    let onTrue (w: Tensor) (o: Tensor list) = [ (o[0] * w).Tanh(); o[1] * 2.0 ]

    let onFalse (w: Tensor) (o: Tensor list) =
        [ o[0].Sin() * w; o[1] * o[1] - (o[0].Sum() * w.Sum()).ToDType f32 ]

    let pred (args: Tensor list) = args[0].Sum().Gt(Tensor.Scalar 0.0)

    {
        What = "cond on x's sign"
        Loop =
            fun args ->
                let w = args[2]

                Autodiff.Cond(
                    pred args,
                    Func<Ts, Tensor[]>(List.ofSeq >> onTrue w >> Array.ofList),
                    Func<Ts, Tensor[]>(List.ofSeq >> onFalse w >> Array.ofList),
                    [| args[0]; args[1] |]
                )
                |> List.ofArray
        Plain =
            fun args ->
                let w = args[2]

                if (pred args).Item() <> 0.0 then
                    onTrue w [ args[0]; args[1] ]
                else
                    onFalse w [ args[0]; args[1] ]
        Draw = fun rng -> [ withPart rng f64 shape; withPart rng f32 shape32; withPart rng f64 shape ]
        Batchings =
            [
                "y (the predicate shared)", [ 1 ]
                "the parameter (the predicate shared)", [ 2 ]
            ]
    }

/// Three branches, an int64 index from −2 to 4 (clamped to 0 .. 2), operand x and parameter w.
let private switchCase (rng: Random) =
    let shape = pick rng shapes

    let branches (w: Tensor) : (Tensor list -> Tensor list) list =
        [
            fun o -> [ o[0] * w ]
            fun o -> [ (o[0] * w).Sin() ]
            fun o -> [ o[0].Tanh() + w ]
        ]

    {
        What = "switch of three branches"
        Loop =
            fun args ->
                let fs =
                    branches args[2]
                    |> List.map (fun b -> Func<Ts, Tensor[]>(List.ofSeq >> b >> Array.ofList))

                Autodiff.Switch(args[0], fs, [| args[1] |]) |> List.ofArray
        Plain =
            fun args ->
                let k = Math.Clamp(int (args[0].Item()), 0, 2)
                (branches args[2])[k] [ args[1] ]
        Draw =
            fun rng ->
                [
                    Tensor.Scalar(float (rng.Next(-2, 5)), i64)
                    withPart rng f64 shape
                    withPart rng f64 shape
                ]
        Batchings = [ "x (the index shared)", [ 1 ]; "the parameter (the index shared)", [ 2 ] ]
    }

let private branchTests =
    testList
        "branches"
        [
            // Which functions run is not checked: a traced cond may call both to learn their results' shapes.
            test "cond returns the result of the branch the predicate names" {
                let x = Tensor.FromArray [| 1.0; -2.0 |]

                for p in [ true; false ] do
                    let r =
                        Autodiff.Cond(
                            Tensor.Scalar((if p then 1.0 else 0.0), DType.Bool),
                            Func<Tensor, Tensor>(fun v -> v * 2.0),
                            Func<Tensor, Tensor>(fun v -> v - 1.0),
                            x
                        )

                    equalValues $"cond {p}" r (if p then [| 2.0; -4.0 |] else [| 0.0; -3.0 |])
            }
            test "grad through cond: the taken branch's derivative, zero for what only the other branch reads" {
                let w = Tensor.FromArray [| 0.5; -1.5 |]

                for p in [ true; false ] do
                    let f (args: Ts) =
                        Autodiff.Cond(
                            Tensor.Scalar((if p then 1.0 else 0.0), DType.Bool),
                            Func<Ts, Tensor[]>(fun o -> [| (o[0] * o[0]).Sum() |]),
                            Func<Ts, Tensor[]>(fun o -> [| (o[1] * 3.0).Sum() |]),
                            args
                        )[0]

                    let struct (_, back) = Autodiff.Vjp(Func<Ts, Tensor> f, [| w; w * 2.0 |])
                    let g = back.Invoke(Tensor.Scalar 1.0)
                    let zeros = Tensor.ZerosLike w
                    same $"d/dx, predicate {p}" (if p then w * 2.0 else zeros) g[0]
                    same $"d/dy, predicate {p}" (if p then zeros else Tensor.Full([| 2 |], 3.0)) g[1]
            }
            test "switch clamps its index to the branches, as JAX's does" {
                let x = Tensor.Scalar 2.0

                let branches =
                    [ (fun (v: Tensor) -> v + 1.0); (fun v -> v * 10.0); (fun v -> v - 5.0) ]
                    |> List.map (fun f -> Func<Tensor, Tensor> f)

                for k in -3L .. 5L do
                    let expected = [| 3.0; 20.0; -3.0 |][Math.Clamp(int k, 0, 2)]
                    let r = Autodiff.Switch(Tensor.Scalar(float k, i64), branches, x)
                    equalValues $"switch {k}" r [| expected |]
            }
            test "switch with an int32 index and one branch" {
                let r =
                    Autodiff.Switch(
                        Tensor.Scalar(7.0, DType.Int32),
                        [ Func<Tensor, Tensor>(fun v -> v * 3.0) ],
                        Tensor.Scalar 2.0
                    )

                equalValues "one branch" r [| 6.0 |]
            }
        ]

// ---------------------------------------------------------------------------------------------------------------------
// Nested loops

/// A scan whose body runs another loop, and the same with plain loops: carry c (float64), xs [n; m; shape] (an inner
/// scan runs over each step's m rows) or [n; shape], parameter w.
let private nestedCase (inner: string) (rng: Random) =
    let n, m, shape = rng.Next 4, rng.Next 4, pick rng shapes

    let innerScan (w: Tensor) (useScan: bool) (c: Tensor) (x: Tensor) =
        let body (ci: Tensor list) (xi: Tensor list) =
            [ (ci[0] * w).Tanh() + xi[0] ], [ ci[0] * xi[0] ]

        let r =
            if useScan then
                viaScan body [ c ] [ x ] None false ScanCheckpoint.EveryStep
            else
                plainScan body [ c ] [ x ] m false

        r[0], r[1].Sum()

    let innerFori (w: Tensor) (useFori: bool) (c: Tensor) (x: Tensor) =
        let body (i: Tensor) (ci: Tensor list) = [ (ci[0] * w).Sin() + x * index i ]

        let r =
            if useFori then
                Autodiff.ForiLoop(
                    0,
                    3,
                    Func<Tensor, Ts, Tensor[]>(fun i c -> Array.ofList (body i (List.ofSeq c))),
                    [| c |]
                )
                |> List.ofArray
            else
                plainFori 0 3 body [ c ]

        r[0], r[0].Sum()

    let innerCond (w: Tensor) (useCond: bool) (c: Tensor) (x: Tensor) =
        let pred = x.Sum().Gt(Tensor.Scalar 0.0)
        let onTrue (v: Tensor) = (v * w).Tanh()
        let onFalse (v: Tensor) = v + x.Sin()

        let r =
            if useCond then
                Autodiff.Cond(pred, Func<_, _> onTrue, Func<_, _> onFalse, c)
            else
                // the plain choice, written so that vmap can take it per example (an if reads one value)
                Tensor.Where(pred, onTrue c, onFalse c)

        r, r.Sum()

    let step =
        match inner with
        | "scan" -> innerScan
        | "foriLoop" -> innerFori
        | _ -> innerCond

    let xsShape =
        if inner = "scan" then
            Array.append [| n; m |] shape
        else
            Array.append [| n |] shape

    let outer (useLoops: bool) (args: Tensor list) =
        let w = args[2]

        let body (c: Tensor list) (x: Tensor list) =
            let c', y = step w useLoops c[0] x[0]
            [ c' ], [ y ]

        if useLoops then
            viaScan body [ args[0] ] [ args[1] ] None false ScanCheckpoint.EveryStep
        else
            plainScan body [ args[0] ] [ args[1] ] n false

    {
        What = $"{inner} inside a scan ({n} outer steps)"
        Loop = outer true
        Plain = outer false
        Draw = fun rng -> [ withPart rng f64 shape; withPart rng f64 xsShape; withPart rng f64 shape ]
        Batchings = [ "init", [ 0 ]; "the captured parameter", [ 2 ]; "init and xs", [ 0; 1 ] ]
    }

/// A switch inside a foriLoop whose index, from −1 to 4, picks the branch (clamped).
let private switchInFori (rng: Random) =
    let shape = pick rng shapes

    let branches (w: Tensor) =
        [
            (fun (v: Tensor) -> v * w)
            (fun v -> (v * w).Sin())
            (fun v -> v.Tanh() + w)
        ]

    let body (useSwitch: bool) (w: Tensor) (i: Tensor) (c: Tensor list) =
        if useSwitch then
            [
                Autodiff.Switch(i, branches w |> List.map (fun f -> Func<Tensor, Tensor> f), c[0])
            ]
        else
            [ (branches w)[Math.Clamp(int (i.Item()), 0, 2)] c[0] ]

    {
        What = "switch on the index inside a foriLoop"
        Loop =
            fun args ->
                Autodiff.ForiLoop(
                    -1,
                    5,
                    Func<Tensor, Ts, Tensor[]>(fun i c -> Array.ofList (body true args[1] i (List.ofSeq c))),
                    [| args[0] |]
                )
                |> List.ofArray
        Plain = fun args -> plainFori -1 5 (body false args[1]) [ args[0] ]
        Draw = fun rng -> [ withPart rng f64 shape; withPart rng f64 shape ]
        Batchings = [ "init", [ 0 ]; "the captured parameter", [ 1 ] ]
    }

/// compile (vmap over init and xs (grad with respect to w (a loss of a scan)))) against vmap (grad (the plain loop))
/// bit for bit, and against grad of the plain loop on each example.
let private gradInVmapInCompile (seed: int) =
    let s = drawScan 4 (Random seed)
    let c = scanCaseWith ScanCheckpoint.EveryStep s
    let w = carryParts s + xsParts s

    let gradW (f: Tensor list -> Tensor list) (args: Tensor list) =
        let rest = List.take w args

        [
            Autodiff.Grad(Func<_, _>(fun w -> (floatsOut (f (rest @ [ w ]))).Sum()), args[w])
        ]

    let args, axes, perExample = batchOf c [ 0 .. w - 1 ] (Random(seed + 1))
    let compiled = Autodiff.Compile(listFn (fun a -> vmapOf (gradW c.Loop) a axes))
    let actual = compiled.Invoke(Array.ofList args) |> List.ofSeq
    let what = $"{c.What}: compile (vmap (grad (scan)))"
    sameAll $"{what} vs vmap (grad (scan))" (vmapOf (gradW c.Loop) args axes) actual
    nearAll $"{what} vs vmap (grad (the plain loop))" args (vmapOf (gradW c.Plain) args axes) actual
    nearAll $"{what} vs grad of the plain loop on each example" args (overExamples (gradW c.Plain) perExample) actual

let private nestedTests =
    testList
        "nested"
        [
            testList "scan inside scan" (checks (nestedCase "scan") allChecks)
            testList "foriLoop inside scan" (checks (nestedCase "foriLoop") allChecks)
            testList "cond inside scan" (checks (nestedCase "cond") allChecks)
            testList "switch inside foriLoop" (checks switchInFori allChecks)
            property "a scan inside grad inside vmap inside compile" gradInVmapInCompile
        ]

// ---------------------------------------------------------------------------------------------------------------------
// Checkpoint policies

/// Every policy, for a scan of `steps` steps: one that divides no small length, and one longer than the scan.
let private policies (steps: int) =
    [
        ScanCheckpoint.EveryStep
        ScanCheckpoint.Every 1
        ScanCheckpoint.Every 3
        ScanCheckpoint.Every 7
        ScanCheckpoint.Every(steps + 5)
        ScanCheckpoint.Recompute
    ]

let private policiesAgree (seed: int) =
    // long enough for several segments of 3 and a ragged one of 7; small shapes, so the Hessians stay cheap
    let s =
        { drawScan 16 (Random seed) with
            Shape = pick (Random(seed + 7)) [| [||]; [| 2 |] |]
            Shape32 = [||]
            TwoXs = false
        }

    let rng = Random(seed + 1)
    let args = scanArgs s rng
    let xs, first = along args (scanCaseWith ScanCheckpoint.EveryStep s).Loop
    let u = randn rng [| (first xs).Count |]
    let reference = reverse first xs u
    let referenceH = hessianOf args (scanCaseWith ScanCheckpoint.EveryStep s).Loop u

    for policy in policies s.Steps do
        let c = scanCaseWith policy s
        let _, g = along args c.Loop
        sameAll $"{c.What}: vjp vs EveryStep's" reference (reverse g xs u)
        // At second order a kept carry's cotangent joins the reverse scan where the carry was kept, which differs
        // between policies: the same sums in another order.
        nearAll $"{c.What}: Hessian vs EveryStep's" args [ referenceH ] [ hessianOf args c.Loop u ]

/// The same under vmap over init and xs: the reverse pass of a batched scan, recomputing batched carries.
let private policiesAgreeUnderVmap (seed: int) =
    let s = drawScan 12 (Random seed)
    let batched = [ 0 .. carryParts s + xsParts s - 1 ]

    let args, axes, _ =
        batchOf (scanCaseWith ScanCheckpoint.EveryStep s) batched (Random(seed + 1))

    let grads (c: Case) (a: Tensor list) =
        let ds, g = along a c.Loop
        reverse g ds (Tensor.Ones [| (g ds).Count |])

    let reference = vmapOf (grads (scanCaseWith ScanCheckpoint.EveryStep s)) args axes

    for policy in policies s.Steps do
        let c = scanCaseWith policy s
        sameAll $"{c.What}: vmap of vjp vs EveryStep's" reference (vmapOf (grads c) args axes)

let private foriPoliciesAgree (seed: int) =
    let make policy = foriCaseWith policy (Random seed)
    let base' = make ScanCheckpoint.EveryStep
    let rng = Random(seed + 1)
    let args = base'.Draw rng
    let xs, first = along args base'.Loop
    let u = randn rng [| (first xs).Count |]
    let reference = reverse first xs u

    for policy in policies 4 do
        let c = make policy
        let _, g = along args c.Loop
        sameAll $"{c.What}: vjp vs EveryStep's" reference (reverse g xs u)

// ---------------------------------------------------------------------------------------------------------------------
// Long scans

/// c ← c·a + x_t over n steps: the final carry and its derivatives with respect to a and c₀, the derivatives carried
/// along step by step as forward mode would (an independent loop over doubles, no tensors).
let private affineByHand (a: float) (c0: float) (xs: float[]) =
    let mutable c, dca, dcc0 = c0, 0.0, 1.0

    for x in xs do
        dca <- dca * a + c
        dcc0 <- dcc0 * a
        c <- c * a + x

    c, dca, dcc0

let private affineScan (checkpoint: ScanCheckpoint) (xs: Tensor) (args: Ts) =
    let a = args[0]

    let struct (carry, _) =
        Autodiff.Scan(
            Func<Ts, Ts, struct (Tensor[] * Tensor[])>(fun c x -> struct ([| c[0] * a + x[0] |], [||])),
            [| args[1] |],
            [| xs |],
            checkpoint = checkpoint
        )

    carry[0]

let private longTests =
    testList
        "long"
        [
            test "a 10⁶-step scan differentiates for a captured parameter and init without a stack overflow" {
                let n = 1_000_000
                // a close to 1: every step's x reaches the end (a^n ≈ e^-1), and the carry stays bounded
                let a, c0 = 0.999999, 0.75
                let xsArray = Array.init n (fun t -> 0.001 * sin (float t))
                let xs = Tensor.FromArray xsArray

                let struct (value, back) =
                    Autodiff.Vjp(
                        Func<Ts, Tensor>(affineScan (ScanCheckpoint.Every 1000) xs),
                        [| Tensor.Scalar a; Tensor.Scalar c0 |]
                    )

                let g = back.Invoke(Tensor.Scalar 1.0)
                let c, dca, dcc0 = affineByHand a c0 xsArray
                closeNum "final carry" 1e-12 1e-15 (value.Item()) c
                closeNum "d carry / d a" 1e-9 1e-12 (g[0].Item()) dca
                closeNum "d carry / d init" 1e-9 1e-15 (g[1].Item()) dcc0
            }
            // Alone, after the tests that run in parallel: the heap's live bytes are the whole process's.
            testSequenced
            <| testCase
                "reverse mode keeps the carries the checkpoint policy says: Every(1000) far fewer bytes than EveryStep"
                (fun () ->
                    let n = 100_000
                    let xs = Tensor.FromArray(Array.init n (fun t -> 0.001 * cos (float t)))
                    // a^n ≈ e^-1: both gradients are far from zero
                    let args = [| Tensor.Scalar 0.99999; Tensor.Scalar 1.0 |]

                    let retained (policy: ScanCheckpoint) =
                        let before = GC.GetTotalMemory true

                        let struct (_, back) = Autodiff.Vjp(Func<Ts, Tensor>(affineScan policy xs), args)

                        let after = GC.GetTotalMemory true
                        let g = back.Invoke(Tensor.Scalar 1.0)
                        after - before, g

                    let every, gEvery = retained ScanCheckpoint.EveryStep
                    let sparse, gSparse = retained (ScanCheckpoint.Every 1000)
                    sameAll "the gradients under both policies" (List.ofArray gEvery) (List.ofArray gSparse)
                    // EveryStep keeps n carries of 8 bytes at the least; Every(1000) n/1000, plus one segment's while
                    // the backward pass runs (not measured here). The live heap's difference is approximate (what
                    // other threads free meanwhile counts against it), so 90 % of the carries' bytes is the bar.
                    if every < int64 n * 8L * 9L / 10L then
                        failtestf "EveryStep retained %d bytes, less than its %d carries' values" every n

                    if sparse * 20L > every then
                        failtestf
                            "Every(1000) retained %d bytes, EveryStep %d: expected a ratio near 1000 (at least 20)"
                            sparse
                            every)
        ]

// ---------------------------------------------------------------------------------------------------------------------
// Batched predicates (vmap where examples take different branches or stop at different steps)

let private batchedPredicateTests =
    testList
        "batched predicate"
        [
            property "cond with a predicate that differs per example = the loop over the examples" (fun seed ->
                let c = condCase (Random seed)
                let args, axes, perExample = batchOf c [ 0; 1 ] (Random(seed + 1))
                nearAll $"{c.What}: vmap over x" args (overExamples c.Plain perExample) (vmapOf c.Loop args axes))
            property "vjp of cond under vmap, the predicate per example = the loop over the examples" (fun seed ->
                let c = condCase (Random seed)
                let args, axes, perExample = batchOf c [ 0; 1; 2 ] (Random(seed + 1))

                let grads (f: Tensor list -> Tensor list) (a: Tensor list) =
                    let xs, g = along a f
                    reverse g xs (Tensor.Ones [| (g xs).Count |])

                nearAll
                    $"{c.What}: vmap of vjp"
                    args
                    (overExamples (grads c.Plain) perExample)
                    (vmapOf (grads c.Loop) args axes))
            property "switch with an index per example = the loop over the examples" (fun seed ->
                let c = switchCase (Random seed)
                let args, axes, perExample = batchOf c [ 0; 1 ] (Random(seed + 1))

                nearAll
                    $"{c.What}: vmap over the index"
                    args
                    (overExamples c.Plain perExample)
                    (vmapOf c.Loop args axes))
            property
                "whileLoop with per-example stopping = the loop over the examples (finished examples keep their carry)"
                (fun seed ->
                    let c = whileCase true (Random seed)
                    let args, axes, perExample = batchOf c [ 0 ] (Random(seed + 1))

                    nearAll
                        $"{c.What}: vmap over init"
                        args
                        (overExamples c.Plain perExample)
                        (vmapOf c.Loop args axes))
            property "jvp of whileLoop under vmap, stopping per example = the loop over the examples" (fun seed ->
                let c = whileCase true (Random seed)
                let args, axes, perExample = batchOf c [ 0; 2 ] (Random(seed + 1))

                let tangent (f: Tensor list -> Tensor list) (a: Tensor list) =
                    let xs, g = along a f
                    [ forward g xs (xs |> List.map Tensor.OnesLike) ]

                nearAll
                    $"{c.What}: vmap of jvp"
                    args
                    (overExamples (tangent c.Plain) perExample)
                    (vmapOf (tangent c.Loop) args axes))
        ]

// ---------------------------------------------------------------------------------------------------------------------
// Errors

// ---------------------------------------------------------------------------------------------------------------------
// Detach inside a body

/// A body that detaches sqrt(c − c) (zero, where sqrt's derivative is infinite) and scales by 0 · that: the plain loop
/// passes nothing back through the detach, so its gradient is finite; a scan must too, in both modes, compiled or not.
let private detachTests =
    let body (w: Tensor) (c: Tensor) (x: Tensor) =
        let stopped = (c - c).Sqrt().Detach()
        (c * w + x).Tanh() + stopped * 0.0

    let viaScan (w: Tensor) =
        let struct (c, _) =
            Autodiff.Scan(
                Func<_, _, _>(fun c x -> struct (body w c x, c)),
                Tensor.Scalar 0.3,
                Tensor.FromArray [| 0.5; -1.0; 2.0 |]
            )

        c

    let viaLoop (w: Tensor) =
        let mutable c = Tensor.Scalar 0.3

        for x in [ 0.5; -1.0; 2.0 ] do
            c <- body w c (Tensor.Scalar x)

        c

    testList
        "detach"
        [
            test "a detach inside the body passes nothing back: the scan's grad and jvp are the plain loop's" {
                let w = Tensor.Scalar 0.8
                let expected = Autodiff.Grad(Func<_, _> viaLoop, w)
                Expect.isFalse (Double.IsNaN(expected.Item())) "the plain loop's gradient is a number"
                close "grad" 1e-14 1e-14 (Autodiff.Grad(Func<_, _> viaScan, w)) expected

                let compiled =
                    Autodiff.Compile(Func<_, _>(fun w -> Autodiff.Grad(Func<_, _> viaScan, w)))

                close "compile (grad)" 1e-14 1e-14 (compiled.Invoke w) expected
                let struct (_, t) = Autodiff.Jvp(Func<_, _> viaScan, w, Tensor.Scalar 1.0)
                let struct (_, tPlain) = Autodiff.Jvp(Func<_, _> viaLoop, w, Tensor.Scalar 1.0)
                bitwise "jvp" tPlain t
            }
        ]

let private scalarScan body init xs =
    Autodiff.Scan(scanBodyFn body, Array.ofList init, Array.ofList xs) |> ignore

let private errorTests =
    let x = Tensor.FromArray [| 1.0; 2.0; 3.0 |]
    let c = Tensor.Scalar 0.0

    testList
        "errors"
        [
            test "a body that changes a carry part's shape: ShapeMismatchException naming the step and the part" {
                for reversed in [ false; true ] do
                    raisesWith<ShapeMismatchException>
                        $"scan (reverse {reversed})"
                        [ "scan"; "step 0"; "carry part 1" ]
                        (fun () ->
                            Autodiff.Scan(
                                scanBodyFn (fun c x -> [ c[0] + x[0]; Tensor.Stack [| c[1]; c[1] |] ], []),
                                [| c; c |],
                                [| x |],
                                reverse = reversed
                            )
                            |> ignore)
            }
            test "a body that changes a carry part's dtype: ShapeMismatchException naming the step and the part" {
                raisesWith<ShapeMismatchException> "scan" [ "step 0"; "carry part 1"; "float32" ] (fun () ->
                    scalarScan (fun c x -> [ c[0] + x[0]; c[1].ToDType f32 ], []) [ c; c ] [ x ])

                raisesWith<ShapeMismatchException> "foriLoop" [ "foriLoop"; "step 0"; "carry part 0" ] (fun () ->
                    Autodiff.ForiLoop(0, 3, Func<Tensor, Tensor, Tensor>(fun i c -> i), c) |> ignore)

                raisesWith<ShapeMismatchException> "whileLoop" [ "whileLoop"; "step 0"; "carry part 0" ] (fun () ->
                    Autodiff.WhileLoop(
                        Func<Tensor, Tensor>(fun c -> c.Lt(Tensor.Scalar 1.0)),
                        Func<Tensor, Tensor>(fun c -> c.ToDType f32),
                        c
                    )
                    |> ignore)
            }
            test "the shape error under vjp and vmap still names the step and the part" {
                let body (w: Tensor) =
                    fun (c: Tensor list) (x: Tensor list) -> [ c[0] * w; (c[1] * w).Sum([| 0 |]) ], []

                let init = Tensor.FromArray [| 1.0; 2.0 |]

                raisesWith<ShapeMismatchException> "under vjp" [ "step 0"; "carry part 1" ] (fun () ->
                    Autodiff.Vjp(
                        Func<Tensor, Tensor>(fun w -> (viaScan (body w) [ init; init ] [ x ] None false null)[0]),
                        init
                    )
                    |> ignore)

                raisesWith<ShapeMismatchException> "under vmap" [ "step 0"; "carry part 1" ] (fun () ->
                    Autodiff.Vmap(
                        Func<Tensor, Tensor>(fun w -> (viaScan (body w) [ init; init ] [ x ] None false null)[0]),
                        Tensor.Stack [| init; init |]
                    )
                    |> ignore)
            }
            test "xs parts of different lengths, and a length that is not xs's: ShapeMismatchException" {
                raisesWith<ShapeMismatchException> "two xs" [ "xs part 1"; "3"; "2" ] (fun () ->
                    scalarScan (fun c _ -> c, []) [ c ] [ x; Tensor.Zeros [| 2 |] ])

                raisesWith<ShapeMismatchException> "length" [ "length"; "4" ] (fun () ->
                    Autodiff.Scan(scanBodyFn (fun c _ -> c, []), [| c |], [| x |], length = Nullable 4)
                    |> ignore)
            }
            test "no xs and no length: ArgumentException; a length alone runs that many steps" {
                raisesWith<ArgumentException> "no xs" [ "no xs"; "length" ] (fun () ->
                    scalarScan (fun c _ -> c, []) [ c ] [])

                let struct (r, ys) =
                    Autodiff.Scan(scanBodyFn (fun c _ -> [ c[0] + 1.0 ], [ c[0] ]), [| c |], [||], length = Nullable 3)

                equalValues "three steps" r[0] [| 3.0 |]
                equalValues "their ys" ys[0] [| 0.0; 1.0; 2.0 |]
            }
            test "unroll 0 and ScanCheckpoint.Every(0): ArgumentOutOfRangeException" {
                raisesWith<ArgumentOutOfRangeException> "unroll" [ "unroll" ] (fun () ->
                    Autodiff.Scan(scanBodyFn (fun c _ -> c, []), [| c |], [| x |], unroll = 0)
                    |> ignore)

                raisesWith<ArgumentOutOfRangeException> "Every(0)" [ "Every"; "Recompute" ] (fun () ->
                    ScanCheckpoint.Every 0 |> ignore)
            }
            test "foriLoop with upper below lower: ArgumentOutOfRangeException; equal bounds run no step" {
                raisesWith<ArgumentOutOfRangeException> "foriLoop" [ "foriLoop"; "3"; "2" ] (fun () ->
                    Autodiff.ForiLoop(3, 2, Func<Tensor, Tensor, Tensor>(fun _ c -> c + 1.0), c)
                    |> ignore)

                same "equal bounds" c (Autodiff.ForiLoop(2, 2, Func<Tensor, Tensor, Tensor>(fun _ c -> c + 1.0), c))
            }
            test "cond with a float predicate, switch with a float index: DTypeMismatchException" {
                raisesWith<DTypeMismatchException> "cond" [ "cond"; "predicate"; "bool" ] (fun () ->
                    Autodiff.Cond(Tensor.Scalar 1.0, Func<_, _>(fun v -> v), Func<_, _>(fun v -> -v), x)
                    |> ignore)

                raisesWith<DTypeMismatchException> "switch" [ "switch"; "index" ] (fun () ->
                    Autodiff.Switch(Tensor.Scalar 1.0, [ Func<Tensor, Tensor>(fun v -> v) ], x)
                    |> ignore)

                raisesWith<DTypeMismatchException> "whileLoop" [ "whileLoop"; "bool" ] (fun () ->
                    Autodiff.WhileLoop(Func<Tensor, Tensor>(fun c -> c), Func<Tensor, Tensor>(fun c -> c), c)
                    |> ignore)
            }
            test "cond with a predicate of two elements: an error asking for one" {
                let e =
                    Expect.throwsC
                        (fun () ->
                            Autodiff.Cond(
                                Tensor.FromArray [| true; false |],
                                Func<_, _>(fun v -> v),
                                Func<_, _>(fun v -> -v),
                                x
                            )
                            |> ignore)
                        id

                Expect.isTrue (e :? ArgumentException) $"an ArgumentException, not {e.GetType().Name}"
                Expect.stringContains e.Message "one-element" "says what to pass"
            }
            // Eagerly only the branch taken runs; where every branch is traced (compile, a loop's body) or run (vmap
            // with a predicate per example), their results must agree.
            test "cond whose branches return different shapes or dtypes: ShapeMismatchException naming the branches" {
                for other in [ (fun (v: Tensor) -> v.Sum()); (fun v -> v.ToDType f32) ] do
                    for p in [ true; false ] do
                        let pred = Tensor.Scalar((if p then 1.0 else 0.0), DType.Bool)

                        let cond (pred: Tensor) (v: Tensor) =
                            Autodiff.Cond(pred, Func<_, _>(fun v -> v), Func<_, _> other, v)

                        raisesWith<ShapeMismatchException> $"cond {p} compiled" [ "cond"; "branch" ] (fun () ->
                            let f = Autodiff.Compile(listFn (fun a -> [ cond a[0] a[1] ]))
                            f.Invoke [| pred; x |] |> ignore)

                        raisesWith<ShapeMismatchException> $"cond {p} under vmap" [ "cond"; "branch" ] (fun () ->
                            Autodiff.Vmap(Func<_, _>(fun (p: Tensor) -> cond p x), Tensor.Stack [| pred; pred |])
                            |> ignore)
            }
            test "switch whose branches return different shapes: ShapeMismatchException naming the branches" {
                for k in 0L .. 1L do
                    let switch (k: Tensor) (v: Tensor) =
                        Autodiff.Switch(
                            k,
                            [ Func<Tensor, Tensor>(fun v -> v); Func<Tensor, Tensor>(fun v -> v.Sum()) ],
                            v
                        )

                    raisesWith<ShapeMismatchException> $"switch {k}" [ "switch"; "branch" ] (fun () ->
                        let f = Autodiff.Compile(listFn (fun a -> [ switch a[0] a[1] ]))
                        f.Invoke [| Tensor.Scalar(float k, i64); x |] |> ignore)
            }
        ]

// ---------------------------------------------------------------------------------------------------------------------

[<Tests>]
let tests =
    testList
        "Autodiff loops"
        [
            testList "scan" (checks scanCase allChecks)
            testList "scan, one tensor" (checks scanOneCase allChecks)
            testList "map" (checks mapCase allChecks)
            testList "map, one tensor" (checks mapOneCase allChecks)
            testList "foriLoop" (checks foriCase allChecks)
            testList "foriLoop, one tensor" (checks foriOneCase allChecks)
            testList
                "whileLoop"
                [
                    testList "until a threshold" (checks (whileCase true) [ "values"; "jvp"; "compile" ])
                    testList "counted" (checks (whileCase false) [ "values"; "jvp"; "vmap"; "compile" ])
                    whileOneTensor
                    whileUnderGrad
                ]
            testList "cond" (checks condCase allChecks)
            testList "switch" (checks switchCase allChecks)
            branchTests
            nestedTests
            testList
                "checkpoint policies"
                [
                    property "scan: every policy, the same vjp and Hessian bit for bit" policiesAgree
                    property "scan under vmap: every policy, the same vjp bit for bit" policiesAgreeUnderVmap
                    property "foriLoop: every policy, the same vjp bit for bit" foriPoliciesAgree
                ]
            longTests
            detachTests
            batchedPredicateTests
            errorTests
        ]
