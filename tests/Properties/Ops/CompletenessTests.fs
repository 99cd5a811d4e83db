/// Every public op has what an op needs: its row in docs/ops.md (the Peers on its method), with every F# function
/// of it, and a batching rule and a device mapping, its own op's or, where it is marked Composed, those of the ops
/// it is made of. Elsewhere: that it has its F# function at all is PublicApi/SurfaceTests' (every member, overload
/// by overload); its spec-table row, OpRuleTests'; a LibTorch kernel behind every mapping, tests/Backend.LibTorch's
/// (DeviceTests), where LibTorch runs.
module Ops.CompletenessTests

open System
open System.Reflection
open Expecto
open FuncGrad
open Ops.OpSpec
open Ops.Catalog

/// Fails with every kind of problem found, each kind said once with its list.
let private report (kinds: (string * string list) list) =
    let found = kinds |> List.filter (fun (_, problems) -> not problems.IsEmpty)

    if not found.IsEmpty then
        found
        |> List.map (fun (what, problems) -> what + ":\n  " + String.Join("\n  ", problems))
        |> String.concat "\n"
        |> failtest

let private fail (what: string) (problems: string list) = report [ what, problems ]

/// Whether an op type overrides a member of Op (the default being no rule).
let private overrides (name: string) (flags: BindingFlags) (t: Type) =
    t.GetMethod(name, flags ||| BindingFlags.Instance).DeclaringType <> typeof<Op>

let private hasBatchRule = overrides "Batch" BindingFlags.Public
let private hasDeviceMapping = overrides "ComputeOn" BindingFlags.NonPublic

/// Every concrete op type of the core.
let opTypes () =
    typeof<Op>.Assembly.GetTypes()
    |> Array.filter (fun t -> t.IsSubclassOf typeof<Op> && not t.IsAbstract)

/// What an op type lacks, in words.
let private lacks (t: Type) =
    [
        if not (hasBatchRule t) then
            "a batching rule (add a Batch override beside its VJP and JVP)"
        if not (hasDeviceMapping t) then
            "a device mapping (add a ComputeOn override beside its Compute: the backend's kernel, or Compute(x) "
            + "where it is composed of ops that run on the device)"
    ]

/// The C# signature of each member of a row, as the spec table's rows name what they cover.
let private signatures (r: Row) =
    r.Members |> List.map OpRuleTests.signature |> set

/// Each spec row with the ops it applies, traced once on its first shapes.
let private traced =
    lazy
        [
            for s in specs do
                let rng = Random 1
                let xs = List.map2 (sample rng) s.Domains s.Shapes[0]
                s, OpTrace.steps s.F xs |> List.map fst
        ]

/// The rows of the public ops: Tensor's methods that return a tensor or a tuple of them (Backward, listed beside them,
/// is none).
let private opsRows () =
    fst (read ())
    |> List.filter (fun r ->
        (r.Section = Ops || r.Section = LinearAlgebra)
        && r.Members |> List.exists (fun m -> OpRuleTests.returnsTensors m.ReturnType))

[<Tests>]
let tests =
    testList
        "completeness"
        [
            test "every public op and transformation has its row in docs/ops.md, written once" {
                let gs = groups ()
                Expect.isGreaterThanOrEqual gs.Length 80 "the ops and transformations are found by reflection"

                report
                    [
                        ("these public members have no row in docs/ops.md (write [Peers(torch, jax, diffSharp)] on one "
                         + "of each name: src/Core.CSharp/Peers.cs)"),
                        [
                            for g in gs do
                                if g.Peers.IsEmpty then
                                    let ms = g.Members |> List.map OpRuleTests.signature |> String.concat "; "
                                    $"{g.Owner.Name}.{g.Key}: {ms}"
                        ]

                        ("these names carry Peers on more than one member (write it on one; its overloads and "
                         + "operators join its row)"),
                        [
                            for g in gs do
                                if g.Peers.Length > 1 then
                                    $"{g.Owner.Name}.{g.Key}: {g.Peers.Length} members"
                        ]
                    ]
            }

            test "every F# function of a tensor or of an opened module is in a row; every F# name a row gives exists" {
                let rows, unclaimed = read ()

                let functions = fsFunctions ()

                report
                    [
                        ("these F# functions return a tensor or are opened by `open FuncGrad` (a transformation), but "
                         + "are in no row of docs/ops.md (name them as their op in camelCase, or its name extended by "
                         + "a capital, sumAxis; or list them in the FSharp of its Peers)"),
                        [
                            for f in unclaimed do
                                if f.Method.ReturnType = typeof<Tensor> || f.Kind = Opened then
                                    $"{f.Shown} ({f.Module.FullName})"
                        ]

                        "these rows name F# functions in their Peers' FSharp that the F# library does not have",
                        [
                            for r in rows do
                                if r.Peers.FSharp <> "" then
                                    for b in r.Bases do
                                        if not (functions |> List.exists (fun f -> f.Name = b)) then
                                            $"{r.Key}: {b}"
                        ]

                        "these F# names serve two rows as their base (each F# function belongs to one row)",
                        [
                            let bases = rows |> List.collect (fun r -> r.Bases |> List.map (fun b -> b, r.Key))

                            for b, rs in List.groupBy fst bases do
                                if rs.Length > 1 then
                                    $"""{b}: {rs |> List.map snd |> String.concat ", "}"""
                        ]
                    ]
            }

            test "every op of the core has a batching rule and a device mapping" {
                let ops = opTypes ()
                Expect.isGreaterThanOrEqual ops.Length 20 "the op types are found by reflection"

                fail
                    "these ops lack what every op needs"
                    [
                        for t in ops do
                            for what in lacks t do
                                $"{t.FullName}: {what}"
                    ]
            }

            test "a public op applies an op of its name, or is marked Composed and applies none" {
                let traced = traced.Force()

                fail
                    "these public ops are not what their Peers say"
                    [
                        for r in opsRows () do
                            let mine = signatures r

                            let covering =
                                traced |> List.filter (fun (s, _) -> s.Covers |> List.exists mine.Contains)

                            let named (ops: Op list) =
                                ops
                                |> List.filter (fun op ->
                                    String.Equals(op.Name, r.Key, StringComparison.OrdinalIgnoreCase))

                            let shown (s: Spec, ops: Op list) =
                                let names = ops |> List.map (fun op -> op.Name) |> List.distinct
                                $"""{s.Name} applies {String.concat ", " names}"""

                            if not covering.IsEmpty then
                                let own = covering |> List.collect (snd >> named)

                                if r.Peers.Composed && not own.IsEmpty then
                                    $"{r.Key} is marked Composed but applies an op of its own, {own.Head}: "
                                    + "drop Composed = true from its Peers"
                                elif not r.Peers.Composed && own.IsEmpty then
                                    $"{r.Key} applies no op named {r.Key} ("
                                    + String.concat "; " (covering |> List.map shown)
                                    + "): name its op so, or mark it Composed = true in its Peers"

                                for op in covering |> List.collect snd |> List.distinctBy (fun op -> op.GetType()) do
                                    for what in lacks (op.GetType()) do
                                        $"{r.Key}: its op {op.Name} ({op.GetType().Name}) lacks {what}"
                    ]
            }
        ]
