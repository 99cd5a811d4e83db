/// The public API of the three libraries is documented: every public type and member has an entry in its
/// assembly's XML doc file with a summary and an <example>. C# reports a member without a doc comment at
/// build time (CS1591); F# does not, and neither checks examples, so this test reads the XML doc files
/// (copied beside the test assembly) and lists what is missing.
module ApiDocsTests

open System
open System.IO
open System.Reflection
open System.Runtime.CompilerServices
open System.Text.RegularExpressions
open System.Xml.Linq
open Expecto
open Microsoft.FSharp.Core

/// A type as a doc comment ID names it in a signature: generic arguments in braces, `N and ``N for the type's
/// and the method's type parameters, arrays as [] or [0:,0:], byrefs with @ and pointers with *.
let rec private typeRef (t: Type) : string =
    if t.IsGenericParameter then
        (if isNull t.DeclaringMethod then "`" else "``")
        + string t.GenericParameterPosition
    elif t.IsByRef then
        typeRef (t.GetElementType()) + "@"
    elif t.IsPointer then
        typeRef (t.GetElementType()) + "*"
    elif t.IsFunctionPointer then
        // internal kernels only: no public signature, so no cref, takes a function pointer
        "=FUNC:" + typeRef (t.GetFunctionPointerReturnType())
    elif t.IsArray then
        let dims =
            if t.IsSZArray then
                "[]"
            else
                "[" + String.Join(",", Array.create (t.GetArrayRank()) "0:") + "]"

        typeRef (t.GetElementType()) + dims
    elif t.IsGenericType then
        // No public signature here uses a generic type nested in a generic type, whose arguments would split.
        let name = t.GetGenericTypeDefinition().FullName.Replace('+', '.')

        name.Substring(0, name.IndexOf '`')
        + "{"
        + String.Join(",", t.GetGenericArguments() |> Array.map typeRef)
        + "}"
    else
        t.FullName.Replace('+', '.')

let private parameters (ps: ParameterInfo[]) =
    if ps.Length = 0 then
        ""
    else
        "(" + String.Join(",", ps |> Array.map (fun p -> typeRef p.ParameterType)) + ")"

/// The doc comment ID of a type or member, as the compilers write it in the XML doc file.
let private docId (m: MemberInfo) : string =
    let owner =
        if m :? Type then
            ""
        else
            m.DeclaringType.FullName.Replace('+', '.')

    match m with
    | :? Type as t -> "T:" + t.FullName.Replace('+', '.')
    | :? ConstructorInfo as c ->
        $"""M:{owner}.{(if c.IsStatic then "#cctor" else "#ctor")}{parameters (c.GetParameters())}"""
    | :? MethodInfo as mi ->
        let arity =
            if mi.IsGenericMethodDefinition then
                $"``{mi.GetGenericArguments().Length}"
            else
                ""

        let conversion =
            if mi.Name = "op_Implicit" || mi.Name = "op_Explicit" then
                "~" + typeRef mi.ReturnType
            else
                ""

        $"M:{owner}.{mi.Name}{arity}{parameters (mi.GetParameters())}{conversion}"
    | :? PropertyInfo as p -> $"P:{owner}.{p.Name}{parameters (p.GetIndexParameters())}"
    | :? FieldInfo as f -> $"F:{owner}.{f.Name}"
    | :? EventInfo as e -> $"E:{owner}.{e.Name}"
    | _ -> failwithf "no doc comment ID for %O" m

/// F# writes every multidimensional array as [0:] (float[,] too); C# writes [0:,0:]. Compared without the ranks.
let private normalized (id: string) =
    Regex.Replace(id, @"\[0:(,0:)*\]", "[0:]")

/// F# makes the constructors of records, unions and exceptions itself, and gives them no doc comment.
let private isFSharpGenerated (t: Type) =
    t.GetCustomAttributes<CompilationMappingAttribute>()
    |> Seq.exists (fun a ->
        let kind = a.SourceConstructFlags &&& SourceConstructFlags.KindMask

        kind = SourceConstructFlags.RecordType
        || kind = SourceConstructFlags.SumType
        || kind = SourceConstructFlags.Exception)

/// The public types of the assembly and their own public members, leaving out accessors (their property or
/// event carries the docs), compiler-generated members and the members every delegate has.
let private publicApi (assembly: Assembly) : MemberInfo list =
    let flags =
        BindingFlags.Public
        ||| BindingFlags.Instance
        ||| BindingFlags.Static
        ||| BindingFlags.DeclaredOnly

    [
        for t in assembly.GetExportedTypes() do
            if not (t.IsDefined(typeof<CompilerGeneratedAttribute>, false)) then
                yield t :> MemberInfo

                if not (t.IsSubclassOf typeof<Delegate>) then
                    for m in t.GetMembers flags do
                        let keep =
                            match m with
                            | :? Type -> false // listed as exported types themselves
                            | :? MethodInfo as mi -> not mi.IsSpecialName || mi.Name.StartsWith "op_"
                            | :? FieldInfo as f -> not f.IsSpecialName
                            | :? ConstructorInfo -> not (isFSharpGenerated t)
                            | _ -> true

                        if keep && not (m.IsDefined(typeof<CompilerGeneratedAttribute>, false)) then
                            yield m
    ]

let private hasText (e: XElement) =
    not (isNull e) && not (String.IsNullOrWhiteSpace e.Value)

/// "missing ID" lines for every public type and member without a summary or without an example.
let private undocumented (assemblyName: string) : string list * int =
    let assembly = Assembly.Load assemblyName
    let xml = XDocument.Load(Path.ChangeExtension(assembly.Location, ".xml"))

    let entries =
        xml.Descendants(XName.Get "member")
        |> Seq.map (fun e -> normalized (e.Attribute(XName.Get "name").Value), e)
        |> dict

    let api = publicApi assembly

    let missing =
        [
            for m in api do
                let id = docId m

                match entries.TryGetValue(normalized id) with
                | false, _ -> yield $"no doc comment: {id}"
                | true, e when not (hasText (e.Element(XName.Get "summary"))) -> yield $"no <summary>: {id}"
                | true, e when not (hasText (e.Element(XName.Get "example"))) -> yield $"no <example>: {id}"
                | _ -> ()
        ]

    missing, api.Length

/// Every type and member of the assembly, public or not, by doc comment ID.
let private allIds (assembly: Assembly) =
    let flags =
        BindingFlags.Public
        ||| BindingFlags.NonPublic
        ||| BindingFlags.Instance
        ||| BindingFlags.Static
        ||| BindingFlags.DeclaredOnly

    [
        for t in assembly.GetTypes() do
            yield normalized (docId t)

            for m in t.GetMembers flags do
                if not (m :? Type) then
                    yield normalized (docId m)
    ]

/// A cref outside FuncGrad: its type (for a member, the part before the member's name) must load.
let private resolvesOutside (cref: string) =
    let name = cref.Substring 2

    let typeName =
        if cref.StartsWith "T:" then
            name
        else
            (if name.Contains '(' then
                 name.Substring(0, name.IndexOf '(')
             else
                 name)
            |> fun n -> n.Substring(0, n.LastIndexOf '.')

    let loaded = AppDomain.CurrentDomain.GetAssemblies()
    let candidates = [ typeName; Regex.Replace(typeName, @"\.([^.]+)$", "+$1") ] // a nested type

    candidates
    |> List.exists (fun n -> loaded |> Array.exists (fun a -> not (isNull (a.GetType n))))

/// "file: cref" lines for every cref of the XML doc file that names nothing. C# checks its own crefs (CS1574);
/// F# does not, and fsdocs renders an unknown one as a link to the type, or to learn.microsoft.com.
let private unresolvedCrefs (assemblyNames: string list) =
    let assemblies = assemblyNames |> List.map Assembly.Load
    let known = assemblies |> List.collect allIds |> Set.ofList

    [
        for assembly in assemblies do
            let xml = XDocument.Load(Path.ChangeExtension(assembly.Location, ".xml"))

            for e in xml.Descendants() do
                match e.Attribute(XName.Get "cref") with
                | null -> ()
                | a ->
                    let cref = a.Value

                    let ok =
                        if cref.Length < 3 || cref[1] <> ':' then
                            false
                        elif cref.Substring(2).StartsWith "FuncGrad." then
                            known.Contains(normalized cref)
                        else
                            resolvesOutside cref

                    if not ok then
                        yield $"{assembly.GetName().Name}.xml: {cref}"
    ]

[<Tests>]
let tests =
    testList
        "api docs"
        [
            for assemblyName in [ "FuncGrad.Core"; "FuncGrad"; "FuncGrad.Testing" ] do
                test $"every public type and member of {assemblyName} has a summary and an example" {
                    let missing, checkedCount = undocumented assemblyName

                    if checkedCount < 20 then
                        failtestf "only %d public types and members found in %s" checkedCount assemblyName

                    if not missing.IsEmpty then
                        failtestf
                            "%d of %d public types and members of %s lack docs:\n  %s"
                            missing.Length
                            checkedCount
                            assemblyName
                            (String.Join("\n  ", missing))
                }
            test "every cref in the XML docs of the three libraries names a type or member" {
                let broken = unresolvedCrefs [ "FuncGrad.Core"; "FuncGrad"; "FuncGrad.Testing" ]

                if not broken.IsEmpty then
                    failtestf "%d crefs name nothing:\n  %s" broken.Length (String.Join("\n  ", broken))
            }
        ]
