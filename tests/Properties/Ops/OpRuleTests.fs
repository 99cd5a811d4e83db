/// The generic derivative properties, run for every row of the op spec table, and the test that the
/// table is complete.
module Ops.OpRuleTests

open System
open System.Reflection
open Expecto
open FsCheck.FSharp
open FuncGrad
open FuncGrad.Testing
open Support.Check
open Ops.OpSpec

let private config =
    withCommandLine
        { FsCheckConfig.defaultConfig with
            maxTest = 6
        }

let private flat (ts: Tensor list) =
    Tensor.Concat(ts |> List.map (fun t -> t.Flatten()) |> Array.ofList)

let private showShapes (shapes: int[] list) =
    shapes
    |> List.map (fun s -> "[" + String.Join("x", s) + "]")
    |> String.concat "·"

// ---- Independent checks on the listed shapes: finite differences written here, not GradCheck's ----

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
    let numeric = fdGradient (fun ys -> inner u (spec.F ys)) xs spec.F64.Eps

    List.iteri2
        (fun i a n -> close $"{spec.Name}: VJP of argument {i} vs finite differences" spec.F64.Rtol spec.F64.Atol a n)
        analytic
        numeric

let jvpMatchesFiniteDifferences (spec: Spec) shapes seed =
    let xs, _, vs = draw spec shapes seed

    close
        $"{spec.Name}: JVP vs finite differences"
        spec.F64.Rtol
        spec.F64.Atol
        (forward spec.F xs vs)
        (fdDirectional spec.F xs vs spec.F64.Eps)

/// ⟨u, J v⟩ = ⟨Jᵀu, v⟩, to a relative tolerance of the terms' size ‖u‖‖J v‖ + ‖Jᵀu‖‖v‖
/// (the inner products themselves may cancel).
let vjpAndJvpAreAdjoint (spec: Spec) shapes seed =
    let xs, u, vs = draw spec shapes seed
    let jv = forward spec.F xs vs
    let jtu = reverse spec.F xs u
    let lhs = inner u jv
    let rhs = List.fold2 (fun s g v -> s + inner g v) 0.0 jtu vs

    let norm (ts: Tensor list) =
        sqrt (ts |> List.sumBy (fun t -> inner t t))

    let scale = norm [ u ] * norm [ jv ] + norm jtu * norm vs

    if not (abs (lhs - rhs) <= spec.F64.Adjoint * scale + 1e-300) then
        failtestf
            "%s: <u, J v> = %.17g but <J^T u, v> = %.17g (difference %.3g, scale %.3g)"
            spec.Name
            lhs
            rhs
            (abs (lhs - rhs))
            scale

/// The Hessian of s = <u, f> along v three ways: forward-over-reverse, reverse-over-reverse, and
/// finite differences of the gradient.
let secondOrderAgrees (spec: Spec) shapes seed =
    let xs, u, vs = draw spec shapes seed
    let g ys = flat (reverse spec.F ys u)
    let v = flat vs
    let fwdRev = forward g xs vs
    let revRev = flat (reverse (fun ys -> (g ys * v).Sum()) xs (Tensor.Scalar 1.0))
    let numeric = fdDirectional g xs vs (max 1e-5 spec.F64.Eps)
    close $"{spec.Name}: forward-over-reverse Hessian-vector product vs finite differences" 1e-4 1e-6 fwdRev numeric
    close $"{spec.Name}: reverse-over-reverse vs forward-over-reverse" 1e-9 1e-10 revRev fwdRev

/// float32 results against float64 ones: a tenth of the float32 finite-difference tolerances, since no
/// finite difference is involved here.
let float32AgreesWithFloat64 (spec: Spec) shapes seed =
    let xs, u, _ = draw spec shapes seed
    let rtol, atol = spec.F32.Rtol / 10.0, spec.F32.Atol / 10.0
    let xs32 = xs |> List.map (fun x -> x.ToDType DType.Float32)
    let y32 = spec.F xs32
    Expect.equal y32.DType DType.Float32 $"{spec.Name}: float32 in, float32 out"
    close $"{spec.Name}: float32 value vs float64" rtol atol y32 (spec.F xs)
    let g64 = reverse spec.F xs u
    let g32 = reverse spec.F xs32 (u.ToDType DType.Float32)

    List.iter2
        (fun (a: Tensor) b ->
            Expect.equal a.DType DType.Float32 $"{spec.Name}: float32 gradient"
            close $"{spec.Name}: float32 gradient vs float64" rtol atol a b)
        g32
        g64

let private checks =
    [
        "VJP vs finite differences", vjpMatchesFiniteDifferences, (fun _ -> true)
        "JVP vs finite differences", jvpMatchesFiniteDifferences, (fun _ -> true)
        "VJP and JVP adjoint", vjpAndJvpAreAdjoint, (fun _ -> true)
        "second order", secondOrderAgrees, (fun (s: Spec) -> s.Orders >= 2)
        "float32 agrees with float64", float32AgreesWithFloat64, (fun _ -> true)
    ]

// ---- GradCheck on random shapes with shrinking (FuncGrad.Testing), in both dtypes ----

/// Random arguments for a row in a dtype: shapes from its family, shrinking to smaller shapes the op
/// accepts and to simpler values in each argument's domain.
let arbitrary (dtype: DType) (spec: Spec) =
    let shapes =
        match spec.Family with
        | AnyShape -> ShapeGen.shape |> Gen.map List.singleton
        | BroadcastPair -> ShapeGen.broadcastPair |> Gen.map (fun (a, b) -> [ a; b ])
        | Fixed -> Gen.elements spec.Shapes

    let arb =
        TensorArb.tensorsIn dtype spec.Domains shapes (TensorArb.accepting spec.F)
        |> Arb.filter spec.Valid

    // A row that reads indices off a float argument (OpSpec's pick3) can shrink to shapes its values index past:
    // such candidates are skipped, so a failure shrinks to a smaller failure of its own kind, not to an index error.
    let inRange xs =
        try
            spec.F xs |> ignore
            true
        with :? ArgumentOutOfRangeException ->
            false

    Arb.fromGenShrink (arb.Generator, arb.Shrinker >> Seq.filter inRange)

/// GradCheck's options for a row: its tolerances per dtype, and the orders it asks for.
let options (dtype: DType) (spec: Spec) =
    if dtype = DType.Float64 then
        { GradCheckOptions.Default with
            Eps = spec.F64.Eps
            Rtol = spec.F64.Rtol
            Atol = spec.F64.Atol
            AdjointRtol = spec.F64.Adjoint
            Order = max 1 (min 2 spec.Orders)
        }
    else
        { GradCheckOptions.Float32 with
            Eps = spec.F32.Eps
            Rtol = spec.F32.Rtol
            Atol = spec.F32.Atol
            AdjointRtol = spec.F32.Adjoint
            Order = max 1 (min 2 spec.Orders)
        }

let private gradCheckConfig =
    withCommandLine
        { FsCheckConfig.defaultConfig with
            maxTest = 20
            endSize = 100
        }

// ---- Completeness: every public op of the core has a row ----

let rec private typeName (t: Type) =
    if t.IsGenericType then
        t.Name.Split('`')[0]
        + "<"
        + (t.GetGenericArguments() |> Array.map typeName |> String.concat ", ")
        + ">"
    else
        t.Name

/// "Name(ParamType, ...)", with "static " first for static methods: how rows and exclusions name methods; a method
/// of Linalg is "static Linalg.Name(ParamType, ...)".
let signature (m: MethodInfo) =
    let ps =
        m.GetParameters()
        |> Array.map (fun p -> typeName p.ParameterType)
        |> String.concat ", "

    let owner = if m.DeclaringType = typeof<Linalg> then "Linalg." else ""

    (if m.IsStatic then "static " else "") + owner + m.Name + "(" + ps + ")"

/// Every public method of Tensor, instance or static, operators, indexers and property getters included, and every
/// public method of Linalg.
let tensorMethods () =
    [| typeof<Tensor>; typeof<Linalg> |]
    |> Array.collect (fun t ->
        t.GetMethods(
            BindingFlags.Public
            ||| BindingFlags.Instance
            ||| BindingFlags.Static
            ||| BindingFlags.DeclaredOnly
        ))

/// Whether a method's result is a tensor, a tuple of tensors (values and indices: Sort, Topk), or an array of them (the
/// parts: Split, Unbind, Meshgrid): an op's.
let returnsTensors (t: Type) =
    t = typeof<Tensor>
    || t = typeof<Tensor[]>
    || (Microsoft.FSharp.Reflection.FSharpType.IsTuple t
        && Microsoft.FSharp.Reflection.FSharpType.GetTupleElements t
           |> Array.forall (fun e -> e = typeof<Tensor>))

/// Every public method of Tensor that returns a Tensor, or a tuple of them: the public ops.
let publicMethods () =
    tensorMethods () |> Array.filter (fun m -> returnsTensors m.ReturnType)

/// The public ops' signatures, as rows and exclusions name them.
let publicOps () =
    publicMethods () |> Array.map signature |> Array.distinct |> Array.sort

[<Tests>]
let tests =
    testList
        "ops"
        [
            for spec in specs do
                testList
                    spec.Name
                    [
                        for shapes in spec.Shapes do
                            for (name, check, applies) in checks do
                                if applies spec then
                                    testPropertyWithConfig config $"{showShapes shapes} {name}" (fun (seed: int) ->
                                        check spec shapes seed)
                        for dtype in [ DType.Float64; DType.Float32 ] do
                            testPropertyWithConfig
                                gradCheckConfig
                                $"GradCheck {dtype.Name()}, random {spec.Family} shapes, shrinking"
                                (GradCheck.propertyWith (options dtype spec) (arbitrary dtype spec) spec.F)
                    ]

            testList
                "spec table"
                [
                    test "every public op of Tensor has a row, or an exclusion with a reason" {
                        let covered = specs |> List.collect (fun s -> s.Covers) |> set
                        let excluded = exclusions |> List.map fst |> set

                        let missing =
                            publicOps ()
                            |> Array.filter (fun m -> not (covered.Contains m || excluded.Contains m))

                        if missing.Length > 0 then
                            failtest (
                                "these public ops of Tensor have no row in Ops/OpSpec.fs "
                                + "(add a row, or an exclusion with its reason):\n  "
                                + String.Join("\n  ", missing)
                            )
                    }

                    test "every method a row or an exclusion names exists, and none is both" {
                        let ops = set (publicOps ())

                        for s in specs do
                            for m in s.Covers do
                                Expect.isTrue
                                    (ops.Contains m)
                                    $"row {s.Name} covers {m}, which is not a public op of Tensor returning a Tensor"

                        for m, reason in exclusions do
                            Expect.isTrue
                                (ops.Contains m)
                                $"the exclusion {m} is not a public op of Tensor returning a Tensor"

                            Expect.isNonEmpty reason $"the exclusion {m} gives no reason"

                            Expect.isFalse
                                (specs |> List.exists (fun s -> List.contains m s.Covers))
                                $"{m} is both excluded and covered"
                    }

                    test "rows are well formed: unique names, arity = domains = shapes per case, orders 1 or more" {
                        Expect.equal
                            (specs |> List.map (fun s -> s.Name) |> List.distinct |> List.length)
                            specs.Length
                            "row names are unique"

                        for s in specs do
                            Expect.equal s.Arity s.Domains.Length $"{s.Name}: one domain per argument"
                            Expect.isNonEmpty s.Covers $"{s.Name}: covers at least one method"
                            Expect.isGreaterThanOrEqual s.Orders 1 $"{s.Name}: checked to order 1 at least"

                            for shapes in s.Shapes do
                                Expect.equal
                                    shapes.Length
                                    s.Arity
                                    $"{s.Name}: one shape per argument in {showShapes shapes}"

                                Expect.isTrue
                                    (TensorArb.accepting s.F shapes)
                                    $"{s.Name}: the op accepts {showShapes shapes}"
                    }
                ]
        ]
