/// The transformations commute, for every row of the op spec table in both dtypes: every ordered pair of vjp, jvp,
/// vmap, compile and, where the suite runs on a second device (tests/Backend.LibTorch), a move to the managed
/// backend, plus jacfwd with vmap. A composition is checked against itself with one transformation replaced by its
/// plain counterpart (compile by calling f, the move by staying, vmap by a loop over the examples), so the other
/// transformation runs through the replaced one's machinery: vjp of vmap differentiates the batched ops, vjp of the
/// loop the op on each example. vjp and jvp have no plain counterpart; they are checked against each other (second
/// derivatives are symmetric). A new row gets every check; a transformation added to `transforms` gets every pair.
module Autodiff.CommuteTests

open System
open Expecto
open FuncGrad
open Support.Check
open Ops.OpSpec
open Autodiff.Transforms

/// The transformations whose every pair is checked: the move between backends only where there is a second one.
let private transforms () =
    [ vjp; jvp; vmap; compile ]
    @ (if Device.Default.IsManaged then [] else [ device ])

/// Which transformation of a pair is replaced by its plain counterpart: compile (then the results agree bit for
/// bit), else the move between backends, else vmap.
let private replaced (a: Transform) (b: Transform) =
    [ compile; device; vmap ]
    |> List.tryFind (fun t -> t.Name = a.Name || t.Name = b.Name)

/// How close the pair's results must be to the reference: compile is eager's bits; a backend's results within the
/// row's tolerance; vmap within 256 epsilons (a shared argument's cotangent is summed over the examples by a
/// reduction, where the loop adds them one by one).
let private compareFor (t: Transform) (spec: Spec) (dtype: DType) (what: string) (actual: Tensor) (expected: Tensor) =
    match t.Name with
    | "compile" -> bitwise what expected actual
    | "device" ->
        let tol = if dtype = DType.Float64 then spec.F64 else spec.F32
        close what tol.Rtol tol.Atol actual expected
    | _ ->
        let tol = 256.0 * eps dtype
        close what tol tol actual expected

/// a (b f) against the same with one of them plain, at arguments drawn from the seed.
let private pairCommutes (a: Transform) (b: Transform) (spec: Spec) (dtype: DType) (seed: int) =
    let t = (replaced a b).Value
    let p = ofSpec spec dtype (Random seed)
    // each transformation draws its choices from its own source, equal for the composition and its reference
    let build (ma: Make) (mb: Make) =
        ma (Random(seed + 1)) (mb (Random(seed + 2)) p)

    let plain = t.Plain.Value
    let real = build a.Real b.Real

    let reference =
        if t.Name = a.Name then
            build plain b.Real
        else
            build a.Real plain

    let args = real.Draw(Random(seed + 3))
    let what = $"{real.What}\n  vs {reference.What} (seed {seed})"
    compareFor t spec dtype what (real.F args) (reference.F args)

/// jvp of vjp = vjp of jvp. Along tangents (v, du) of the arguments x and the output cotangent u, jvp (vjp f) is
/// H_u v + Jᵀdu, where H_u is the Hessian of ⟨u, f⟩; vjp (jvp f) at (x, v) for the cotangent u is (H_u v, Jᵀu).
let private secondOrderCommutes (spec: Spec) (dtype: DType) (seed: int) =
    let p = ofSpec spec dtype (Random seed)
    let fwdRev = jvp.Real (Random 0) (vjp.Real (Random 0) p)
    let revFwd = vjp.Real (Random 0) (jvp.Real (Random 0) p)
    let args = fwdRev.Draw(Random(seed + 3))
    let k = spec.Arity
    // fwdRev's arguments: x, u, then the tangents v, du
    let xs, u = List.take k args, args[k]
    let vs, du = args |> List.skip (k + 1) |> List.take k, args[2 * k + 1]
    let actual = fwdRev.F args
    let rf = revFwd.F(xs @ vs @ [ u ])
    let hv = rf.Slice(0, 0, actual.Count)
    let expected = hv + flat (reverse p.F xs du)
    let scale = max 1.0 (expected.Abs().Max().Item())
    let tol = if dtype = DType.Float64 then 1e-9 else 1e-3

    close $"{fwdRev.What} vs {revFwd.What} (seed {seed})" tol (tol * scale) actual expected

/// The ordered pairs checked: every two transformations of which one has a plain counterpart, vmap of vmap, and jacfwd
/// with vmap
/// (jacfwd is vmap of jvp over a basis, so with vmap the JVP rules of the ops vmap makes run three vmaps deep).
let private pairs () =
    let ts = transforms ()

    [
        for a in ts do
            for b in ts do
                // vmap of vmap: the batching rules on batched values (an inner vmap's level inside an outer one's)
                if (a.Name <> b.Name || a.Name = vmap.Name) && (replaced a b).IsSome then
                    a, b
    ]
    @ [ jacfwd, vmap; vmap, jacfwd ]

/// A row's checks in a dtype, each named by the equation it checks.
let private checks (spec: Spec) =
    [
        for a, b in pairs () do
            let t = (replaced a b).Value

            let reference =
                match t.PlainName, t.Name = a.Name with
                | "", true -> b.Name
                | "", false -> a.Name
                | plain, true -> $"{plain} of {b.Name}"
                | plain, false -> $"{a.Name} of {plain}"

            $"{a.Name} of {b.Name} = {reference}", pairCommutes a b spec

        if spec.Orders >= 2 then
            "jvp of vjp = vjp of jvp", secondOrderCommutes spec
    ]

/// Every check of a row at one seed, failing with every disagreement, not only the first. One test per row and dtype
/// rather than per check: Expecto's parallel runner spends milliseconds of wall time on each test.
let private allCommute (spec: Spec) (dtype: DType) (seed: int) =
    let all = checks spec

    let failures =
        [
            for name, check in all do
                try
                    check dtype seed
                with e ->
                    $"{name}: {e.Message}"
        ]

    if not failures.IsEmpty then
        failtestf "%d of %d compositions disagree:\n%s" failures.Length all.Length (String.concat "\n" failures)

let private config =
    withCommandLine
        { FsCheckConfig.defaultConfig with
            maxTest = 6
        }

[<Tests>]
let tests =
    testList "transformations commute" (perRow config "every pair, both orders" allCommute)
