/// The public API of the three libraries is documented: every public type and member has an entry in its
/// assembly's XML doc file with a summary and an <example>. C# reports a member without a doc comment at
/// build time (CS1591); F# does not, and neither checks examples, so this test reads the XML doc files
/// (copied beside the test assembly) and lists what is missing. A summary is what the API reference's member
/// table shows, so it is at most two sentences and 45 words; the rest goes to <remarks> (see maxSummaryWords
/// and summaryLength for how words and sentences are counted).
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

/// The public API of the assembly and its XML doc file's entries by normalized doc comment ID.
let private documented (assemblyName: string) =
    let assembly = Assembly.Load assemblyName
    let xml = XDocument.Load(Path.ChangeExtension(assembly.Location, ".xml"))

    let entries =
        xml.Descendants(XName.Get "member")
        |> Seq.map (fun e -> normalized (e.Attribute(XName.Get "name").Value), e)
        |> dict

    publicApi assembly, entries

/// "missing ID" lines for every public type and member without a summary or without an example.
let private undocumented (assemblyName: string) : string list * int =
    let api, entries = documented assemblyName

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

/// The rule: the <summary> of every public type and member is at most two sentences and 45 words (counted as
/// summaryLength counts them). The member table of the API reference shows the summary, and a reader scans it to
/// find the member, so it says what the member is or does; the rest (how, when, why, caveats, costs) goes to
/// <remarks>, which fsdocs shows on the member's own entry. When the check was written, half of the 588 public
/// summaries had at most 12 words and 90% at most 36, and two-sentence summaries that read well ran to about 41
/// words; the long ones (up to 359 words) were paragraphs. 45 leaves room for two full sentences with a name or a
/// shape in code, and no more.
let private maxSummaryWords = 45

let private maxSummarySentences = 2

/// The summary as a reader sees it, with code masked: each word of a <c> or <code> element, each word of a
/// Markdown `span`, and each <see>, <paramref> or <typeparamref> becomes the word "code", so a period inside
/// them (`x.Sum()`, `0.5`, a cref) is never a sentence end, yet each still counts as the words it shows.
let rec private maskedText (e: XElement) : string =
    let code (text: string) =
        let words = text.Split((null: char[]), StringSplitOptions.RemoveEmptyEntries).Length
        String.Join(" ", Array.create (max 1 words) "code")

    e.Nodes()
    |> Seq.map (fun node ->
        match node with
        | :? XText as t -> Regex.Replace(t.Value, "`[^`]*`", fun m -> code (m.Value.Trim '`'))
        | :? XElement as c ->
            match c.Name.LocalName with
            | "c"
            | "code" -> code c.Value
            | "see"
            | "seealso"
            | "paramref"
            | "typeparamref" -> code c.Value // the element's own text if it has some, else one word for the name
            | _ -> maskedText c
        | _ -> "")
    |> String.concat ""

/// Abbreviations whose period is no sentence end.
let private abbreviations = set [ "e.g."; "i.e."; "cf."; "vs."; "resp."; "approx." ]

/// Words and sentences of a summary: words are the whitespace-separated words a reader sees; a sentence ends at
/// a word ending in '.', '!' or '?' (before any closing bracket or quote), unless the word is an abbreviation
/// (e.g., i.e., cf., vs., resp., approx.) or "etc." followed by a lower-case word; text after the last end is one
/// more sentence.
let private summaryLength (summary: XElement) : int * int =
    let words =
        (maskedText summary).Split((null: char[]), StringSplitOptions.RemoveEmptyEntries)

    let ends i (w: string) =
        let core = w.TrimEnd(')', ']', '"', '\'', '*', '_')
        let next = if i + 1 < words.Length then words[i + 1] else ""

        (core.EndsWith "." || core.EndsWith "!" || core.EndsWith "?")
        && not (abbreviations.Contains(core.TrimStart('(', '"').ToLowerInvariant()))
        && not (core.EndsWith "etc." && next <> "" && Char.IsLower next[0])

    let endings =
        words |> Seq.indexed |> Seq.filter (fun (i, w) -> ends i w) |> Seq.length

    let trailing =
        if words.Length > 0 && not (ends (words.Length - 1) words[words.Length - 1]) then
            1
        else
            0

    words.Length, endings + trailing

/// "ID: W words, S sentences" lines for every public type and member whose summary is too long to scan.
let private longSummaries (assemblyName: string) : string list =
    let api, entries = documented assemblyName

    [
        for m in api do
            match entries.TryGetValue(normalized (docId m)) with
            | true, e when not (isNull (e.Element(XName.Get "summary"))) ->
                let words, sentences = summaryLength (e.Element(XName.Get "summary"))

                if words > maxSummaryWords || sentences > maxSummarySentences then
                    yield $"{docId m}: {words} words, {sentences} sentences"
            | _ -> () // a missing summary is the test above's failure
    ]

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
            test "summary length counts the words shown and the sentences, not the periods in code or e.g." {
                let length (xml: string) =
                    summaryLength (XElement.Parse("<summary>" + xml + "</summary>"))

                // Counted by hand: the periods of e.g., i.e., 0.5, x.Sum() and a cref end nothing.
                Expect.equal (length "Sums, e.g. <c>x.Sum()</c>, i.e. a total of 0.5.") (8, 1) "one sentence"

                Expect.equal
                    (length "Adds <see cref=\"M:FuncGrad.Tensor.Add(FuncGrad.Tensor)\"/>. Then `y.Exp()` (at 1.5).")
                    (6, 2)
                    "two sentences"

                Expect.equal (length "One. Two? Three! four") (4, 4) "text after the last end is a sentence"
                Expect.equal (length "Ends with etc. Next one etc. and so on.") (9, 2) "etc."
                Expect.equal (length "<c>fun x -> x * x</c> squares.") (7, 1) "a code span's words count"
            }
            for assemblyName in [ "FuncGrad.Core"; "FuncGrad"; "FuncGrad.Testing" ] do
                test $"every summary of {assemblyName} is at most two sentences and {maxSummaryWords} words" {
                    let long = longSummaries assemblyName

                    if not long.IsEmpty then
                        failtestf
                            "%d public summaries of %s are longer than %d sentences or %d words; keep the one or two \
                             sentences that say what it is or does and move the rest to <remarks>:\n  %s"
                            long.Length
                            assemblyName
                            maxSummarySentences
                            maxSummaryWords
                            (String.Join("\n  ", long))
                }
            test "every cref in the XML docs of the three libraries names a type or member" {
                let broken = unresolvedCrefs [ "FuncGrad.Core"; "FuncGrad"; "FuncGrad.Testing" ]

                if not broken.IsEmpty then
                    failtestf "%d crefs name nothing:\n  %s" broken.Length (String.Join("\n  ", broken))
            }
        ]
