/// Every public member of FuncGrad.Core, FuncGrad and FuncGrad.Testing that takes a reference argument rejects null
/// there before any work, with an ArgumentNullException that names the parameter and says what to pass. The members
/// are found by reflection, one test case per (member, parameter), so a member added without the check fails here.
/// A parameter that may be null says so in its type, and is then checked the other way (null must be accepted):
/// C#'s `?` (read through NullabilityInfoContext), or an F# option or unit, whose null is None or ().
module PublicApi.NullArgumentTests

open System
open System.Collections.Generic
open System.Linq.Expressions
open System.Reflection
open System.Runtime.CompilerServices
open Microsoft.FSharp.Reflection
open Expecto
open FsCheck
open FsCheck.FSharp
open FuncGrad
open FuncGrad.Testing

let private assemblies =
    [
        typeof<Tensor>.Assembly
        typeof<GradCheckOptions>.Assembly
        typeof<Domain>.Assembly
    ]

let private isGeneric (d: Type) (t: Type) =
    t.IsGenericType && t.GetGenericTypeDefinition() = d

/// A valid non-null value of type t, for the arguments that are not the one under test. Any value of the right
/// type does: every null check comes before any other work, so these values are never used.
let rec private sample (t: Type) : Result<obj, string> =
    let ok (v: obj) = Ok v

    if t = typeof<Tensor> then
        ok (Tensor.Ones [| 2 |])
    elif t = typeof<string> then
        ok "sample"
    elif t = typeof<obj> then
        ok (box 1)
    elif t = typeof<Random> then
        ok (Random 1)
    elif t = typeof<Gradients> then
        ok Gradients.Empty
    elif t = typeof<Array> then
        ok [| 1.0 |]
    elif t = typeof<Arbitrary<Tensor>> then
        ok (TensorArb.tensor Domain.real)
    elif t = typeof<Gen<int[] list>> then
        ok (Gen.constant [ [| 2 |] ])
    elif t = typeof<ConvPadding> then
        ok ConvPadding.Same
    elif t = typeof<Schedule> then
        ok (Schedule.constant 0.1)
    elif t = typeof<ScanCheckpoint> then
        ok ScanCheckpoint.EveryStep
    elif t = typeof<TensorOptimizer<Tensor>> then
        // a stand-in state type: the wrapper's checks come before the optimiser it wraps
        let inner: Optimizer<Tensor[], Tensor> =
            {
                Init = fun _ -> Tensor.Zeros [| 1 |]
                Update = fun _ s p -> p, s
            }

        ok (
            Activator.CreateInstance(
                t,
                BindingFlags.NonPublic ||| BindingFlags.Instance,
                null,
                [| box inner; box "sample" |],
                null
            )
        )
    elif t.IsValueType then
        ok (Activator.CreateInstance t)
    elif t.IsArray then
        ok (Array.CreateInstance(t.GetElementType(), Array.zeroCreate<int>(t.GetArrayRank())))
    elif FSharpType.IsFunction t then
        ok (FSharpValue.MakeFunction(t, fun _ -> null))
    elif typeof<Delegate>.IsAssignableFrom t then
        let invoke = t.GetMethod "Invoke"

        let ps =
            invoke.GetParameters()
            |> Array.map (fun p -> Expression.Parameter(p.ParameterType, p.Name))

        let body: Expression =
            if invoke.ReturnType = typeof<Void> then
                Expression.Empty()
            else
                Expression.Default invoke.ReturnType

        ok (Expression.Lambda(t, body, ps).Compile())
    elif isGeneric typedefof<_ option> t then
        match sample (t.GetGenericArguments()[0]) with
        | Ok v -> ok (t.GetMethod("Some").Invoke(null, [| v |]))
        | Error e -> Error e
    elif isGeneric typedefof<_ list> t then
        ok (t.GetProperty("Empty").GetValue null)
    elif isGeneric typedefof<IReadOnlyDictionary<_, _>> t then
        ok (Activator.CreateInstance(typedefof<Dictionary<_, _>>.MakeGenericType(t.GetGenericArguments())))
    elif t.IsInterface && t.IsGenericType && t.GetGenericArguments().Length = 1 then
        let a = Array.CreateInstance(t.GetGenericArguments()[0], 0)

        if t.IsAssignableFrom(a.GetType()) then
            ok a
        else
            Error t.Name
    elif FSharpType.IsRecord(t, true) then
        let fields =
            FSharpType.GetRecordFields(t, true)
            |> Array.map (fun p -> sample p.PropertyType)

        match
            fields
            |> Array.tryPick (function
                | Error e -> Some e
                | Ok _ -> None)
        with
        | Some e -> Error e
        | None ->
            ok (
                FSharpValue.MakeRecord(
                    t,
                    fields
                    |> Array.map (function
                        | Ok v -> v
                        | Error _ -> null),
                    true
                )
            )
    else
        Error t.Name

/// Generic members are tried with tensors: a Tensor is a tree, a domain of every transform, and so on.
let private close (m: MethodBase) =
    match m with
    | :? MethodInfo as mi when mi.IsGenericMethodDefinition ->
        mi.MakeGenericMethod(mi.GetGenericArguments() |> Array.map (fun _ -> typeof<Tensor>)) :> MethodBase
    | _ -> m

let private closeType (t: Type) =
    if t.IsGenericTypeDefinition then
        t.MakeGenericType(t.GetGenericArguments() |> Array.map (fun _ -> typeof<Tensor>))
    else
        t

/// Code the F# compiler writes for records and unions (equality, comparison, hashing): not the library's own.
let private generated (m: MemberInfo) =
    m.IsDefined(typeof<CompilerGeneratedAttribute>, false)

/// The public members with parameters, across the three assemblies. F# records' constructors are left out: the
/// compiler writes them, so they cannot check; the functions that take a record check the record itself.
let private members () =
    let flags =
        BindingFlags.Public
        ||| BindingFlags.Instance
        ||| BindingFlags.Static
        ||| BindingFlags.DeclaredOnly

    [
        for a in assemblies do
            for t in a.GetExportedTypes() |> Array.sortBy (fun t -> t.FullName) do
                if not (t.IsEnum || t.IsInterface || typeof<Delegate>.IsAssignableFrom t) then
                    let t = closeType t

                    for m in t.GetMethods flags |> Array.sortBy string do
                        if not (generated m || m.IsAbstract) then
                            yield close m

                    if not (t.IsAbstract || FSharpType.IsRecord(t, true) || FSharpType.IsUnion(t, true)) then
                        for c in t.GetConstructors flags |> Array.sortBy string do
                            if not (generated c) then
                                yield c :> MethodBase
    ]
    |> List.filter (fun m -> m.GetParameters().Length > 0)

let private nullability = NullabilityInfoContext()

/// True where the parameter's type says that null is a valid argument.
let private mayBeNull (p: ParameterInfo) =
    let t = p.ParameterType

    isGeneric typedefof<_ option> t
    || t = typeof<unit>
    || nullability.Create(p).WriteState = NullabilityState.Nullable

/// A type as C# spells it, with its generic arguments: overloads that differ only in them get different names.
let rec private typeName (t: Type) =
    if t.IsGenericType && not t.IsGenericTypeDefinition then
        let args = t.GetGenericArguments() |> Array.map typeName |> String.concat ", "
        $"{t.Name.Split('`')[0]}<{args}>"
    else
        t.Name

let private name (m: MethodBase) =
    let ps =
        m.GetParameters()
        |> Array.map (fun p -> typeName p.ParameterType)
        |> String.concat ", "

    $"{m.DeclaringType.Name}.{m.Name}({ps})"

/// Calls m with null for parameter i and samples for the rest; what it threw, if anything.
let private callWithNull (m: MethodBase) (i: int) =
    let args =
        m.GetParameters()
        |> Array.mapi (fun j p ->
            if j = i then Ok null
            elif p.IsOut then Ok null
            else sample p.ParameterType)

    let target =
        if m.IsStatic || m :? ConstructorInfo then
            Ok null
        else
            sample m.DeclaringType

    match
        Array.tryPick
            (function
            | Error e -> Some e
            | Ok _ -> None)
            (Array.append [| target |] args)
    with
    | Some missing -> Error $"no sample value of type {missing}: add one to `sample` in {__SOURCE_FILE__}"
    | None ->
        let args =
            args
            |> Array.map (function
                | Ok v -> v
                | Error _ -> null)

        let target =
            match target with
            | Ok v -> v
            | Error _ -> null

        try
            match m with
            | :? ConstructorInfo as c -> c.Invoke(BindingFlags.DoNotWrapExceptions, null, args, null) |> ignore
            | _ -> m.Invoke(target, BindingFlags.DoNotWrapExceptions, null, args, null) |> ignore

            Ok None
        with e ->
            Ok(Some e)

/// One case per (member, reference parameter): the checked parameters and the ones that may be null.
let private cases () =
    [
        for m in members () do
            for i, p in Array.indexed (m.GetParameters()) do
                if not p.ParameterType.IsValueType && not p.IsOut then
                    yield m, i, p, mayBeNull p
    ]

let private rejects (m: MethodBase) (i: int) (p: ParameterInfo) () =
    match callWithNull m i with
    | Error e -> failtest e
    | Ok None ->
        failtestf "%s accepted null for %s; check it (ArgumentNullException) or mark it as nullable" (name m) p.Name
    | Ok(Some(:? ArgumentNullException as e)) when e.GetType() = typeof<ArgumentNullException> ->
        Expect.equal e.ParamName p.Name "ParamName is the parameter's name"
        Expect.stringContains e.Message $"{p.Name} is null; pass " "the message says what to pass instead"
    | Ok(Some e) ->
        failtestf "null %s: expected ArgumentNullException but got %s: %s" p.Name (e.GetType().Name) e.Message

let private accepts (m: MethodBase) (i: int) (p: ParameterInfo) () =
    match callWithNull m i with
    | Error e -> failtest e
    | Ok(Some(:? ArgumentNullException as e)) ->
        failtestf "%s is marked as accepting null for %s, but threw: %s" (name m) p.Name e.Message
    | Ok _ -> () // null is a valid argument; any other mistake in the samples is not this test's concern

/// Fails unless f throws exactly ArgumentNullException for parameter `param`, with `text` in its message.
let private throwsNull (param: string) (text: string) (f: unit -> obj) =
    let e =
        match
            (try
                f () |> ignore
                None
             with e ->
                 Some e)
        with
        | Some(:? ArgumentNullException as e) when e.GetType() = typeof<ArgumentNullException> -> e
        | Some e -> failtestf "expected ArgumentNullException but got %s: %s" (e.GetType().Name) e.Message
        | None -> failtest "expected ArgumentNullException but nothing was thrown"

    Expect.equal e.ParamName param "ParamName"
    Expect.stringContains e.Message text "message"

[<Tests>]
let tests =
    let all = cases ()

    testList
        "PublicApi.NullArguments"
        [
            testList
                "rejected"
                [
                    for m, i, p, nullable in all do
                        if not nullable then
                            testCase $"{name m} {p.Name}" (rejects m i p)
                ]
            testList
                "accepted where the type allows null"
                [
                    for m, i, p, nullable in all do
                        if nullable then
                            testCase $"{name m} {p.Name}" (accepts m i p)
                ]

            testCase "the enumeration reaches C# members, operators, F# module functions and curried functions"
            <| fun () ->
                let found =
                    all
                    |> List.map (fun (m, _, p, _) -> $"{m.DeclaringType.FullName}.{m.Name} {p.Name}")
                    |> set

                for expected in
                    [
                        "FuncGrad.Autodiff.Grad f"
                        "FuncGrad.Tensor.op_Addition b"
                        "FuncGrad.Gradients.get_Item variable"
                        "FuncGrad.Transforms.grad f"
                        "FuncGrad.Transforms.jvp v"
                        "FuncGrad.Tree.map2 b"
                        "FuncGrad.TensorNeuralNet+TensorModule.mseLoss prediction"
                        "FuncGrad.GradCheckModule.CheckOf p"
                        "FuncGrad.Testing.GradCheck.Property2 domainB"
                        "FuncGrad.Testing.TensorArb.TensorsIn accepts"
                    ] do
                    Expect.contains found expected "found by reflection"

                Expect.isGreaterThan all.Length 250 "(member, parameter) pairs"

            testCase "grad from F# names a null function and a null point"
            <| fun () ->
                throwsNull "f" "grad: f is null; pass a function" (fun () ->
                    box (grad Unchecked.defaultof<_> (Tensor.Scalar 1.0)))

                throwsNull "x" "grad: x is null; pass a tensor" (fun () ->
                    box (grad (fun x -> x * x) Unchecked.defaultof<_>))

            testCase "Autodiff.Grad from C# names a null function and a null point"
            <| fun () ->
                throwsNull "f" "grad: f is null; pass a function" (fun () ->
                    box (Autodiff.Grad(null, Tensor.Scalar 1.0)))

                throwsNull "x" "grad: x is null; pass a tensor" (fun () -> box (Autodiff.Grad((fun x -> x * x), null)))

            testCase "an operator names its operand"
            <| fun () ->
                throwsNull "b" "operator +: b is null; pass a tensor" (fun () ->
                    box (Tensor.Scalar 1.0 + (null: Tensor)))

                throwsNull "a" "operator *: a is null" (fun () -> box ((null: Tensor) * 2.0))

            testCase "gradOf names a null structure and says what a structure is"
            <| fun () ->
                throwsNull "p" "gradOf: p is null; pass a structure of tensors" (fun () ->
                    box (gradOf (fun (a: Tensor, b: Tensor) -> a * b) Unchecked.defaultof<_>))

            testCase "an optimizer's Update names a null state"
            <| fun () ->
                let opt = Optim.adam 0.1

                throwsNull "state" "Optim.adam's Update: state is null; pass the state from Init" (fun () ->
                    box (opt.Update (Tensor.Scalar 1.0) Unchecked.defaultof<_> (Tensor.Scalar 1.0)))

            testCase "Gradients.TryGetValue gives false and null for a variable it did not reach"
            <| fun () ->
                let found, value = Gradients.Empty.TryGetValue(Tensor.Scalar 1.0)
                Expect.isFalse found "not reached"
                Expect.isNull value "null when not found, as its MaybeNullWhen(false) annotation says"
        ]
