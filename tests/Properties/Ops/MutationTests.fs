/// Mutation sanity: every row's op is wrapped, through the custom-rule mechanism, with a deliberately wrong
/// VJP or JVP, and GradCheck must report it and blame that op, not its neighbours. The same wrapper with the
/// op's own rules must pass, so a failure is the mutation's doing. This proves the checker can fail, for
/// every op of the table.
module Ops.MutationTests

open System
open System.Collections.Generic
open Expecto
open FuncGrad
open Ops.OpSpec

type private Mutation =
    | NoMutation
    | WrongVjp
    | WrongJvp

/// The row's function as one custom op whose rules are the op's own (reverse and forward mode through it),
/// or one of them made wrong: scaled by 1.25 and shifted by half the sum of the incoming direction, which
/// is wrong even where the true derivative is zero.
let private wrapped (spec: Spec) (mutation: Mutation) (name: string) (xs: Tensor list) =
    let f (ys: IReadOnlyList<Tensor>) = spec.F(List.ofSeq ys)

    let vjp (g: Tensor) (ys: IReadOnlyList<Tensor>) (_: Tensor) =
        let struct (_, back) = Autodiff.Vjp(Func<_, _> f, ys)
        let right = back.Invoke g

        if mutation = WrongVjp then
            right |> Array.map (fun c -> c * 1.25 + g.Sum() * 0.5)
        else
            right

    let jvp (dx: IReadOnlyList<Tensor>) (ys: IReadOnlyList<Tensor>) (_: Tensor) =
        let tangents =
            Array.init ys.Count (fun i ->
                match dx[i] with
                | null -> Tensor.ZerosLike(ys[i].Detach())
                | d -> d)

        let struct (_, right) = Autodiff.Jvp(Func<_, _> f, ys, tangents)

        if mutation = WrongJvp then
            right * 1.25
            + (tangents |> Array.map (fun t -> t.Sum()) |> Array.reduce (+)) * 0.5
        else
            right

    Autodiff.Custom(
        name,
        Func<_, _> f,
        Array.ofList xs,
        vjp = Func<Tensor, IReadOnlyList<Tensor>, Tensor, Tensor[]> vjp,
        jvp = Func<IReadOnlyList<Tensor>, IReadOnlyList<Tensor>, Tensor, Tensor> jvp
    )

/// The wrapped op between other ops (x·1 before, sin after), so the blame must pick it out of a graph.
let private inContext spec mutation name (xs: Tensor list) =
    (wrapped spec mutation name (xs |> List.map (fun x -> x * 1.0))).Sin()

let private point (spec: Spec) =
    let rng = Random 20240
    List.map2 (sample rng) spec.Domains (List.head spec.Shapes)

let private check (spec: Spec) mutation name =
    let options =
        { GradCheckOptions.Default with
            Eps = spec.F64.Eps
            Rtol = spec.F64.Rtol
            Atol = spec.F64.Atol
            AdjointRtol = spec.F64.Adjoint
        }

    GradCheck.checkMany options (inContext spec mutation name) (point spec)

[<Tests>]
let tests =
    testList
        "mutations"
        [
            for spec in specs ->
                testList
                    spec.Name
                    [
                        test "the wrapper with the op's own rules passes GradCheck" {
                            let r = check spec NoMutation $"{spec.Name} (own rules)"
                            Expect.isTrue r.Passed r.Report
                        }

                        test "a wrong VJP is reported and blamed on the op" {
                            let name = $"{spec.Name} (wrong VJP)"
                            let r = check spec WrongVjp name
                            Expect.isFalse r.Passed "GradCheck passed a wrong VJP"
                            let f = r.Failures |> List.tryFind (fun f -> f.Check = GradCheckKind.Reverse)
                            Expect.isSome f $"no reverse-mode failure:\n{r.Report}"

                            Expect.isFalse
                                (r.Failures |> List.exists (fun f -> f.Check = GradCheckKind.Forward))
                                $"the JVP is right, yet forward mode failed:\n{r.Report}"

                            match f.Value.Blame with
                            | Some b ->
                                Expect.equal b.Op name $"blamed the wrong op:\n{r.Report}"
                                Expect.equal b.Rule GradCheckKind.Reverse "blamed the wrong rule"
                                Expect.equal b.Position (spec.Arity + 1) "the op comes after one x·1 per argument"
                            | None -> failtestf "no op blamed:\n%s" r.Report
                        }

                        test "a wrong JVP is reported and blamed on the op" {
                            let name = $"{spec.Name} (wrong JVP)"
                            let r = check spec WrongJvp name
                            Expect.isFalse r.Passed "GradCheck passed a wrong JVP"
                            let f = r.Failures |> List.tryFind (fun f -> f.Check = GradCheckKind.Forward)
                            Expect.isSome f $"no forward-mode failure:\n{r.Report}"

                            Expect.isTrue
                                (r.Failures |> List.exists (fun f -> f.Check = GradCheckKind.Adjoint))
                                $"forward and reverse disagree, yet adjointness passed:\n{r.Report}"

                            match f.Value.Blame with
                            | Some b ->
                                Expect.equal b.Op name $"blamed the wrong op:\n{r.Report}"
                                Expect.equal b.Rule GradCheckKind.Forward "blamed the wrong rule"
                            | None -> failtestf "no op blamed:\n%s" r.Report
                        }
                    ]
        ]
