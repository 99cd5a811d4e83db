/// The rows of docs/ops.md, read from the code: every public op of Tensor and every transformation of Autodiff with
/// the Peers attribute written on it (src/Core.CSharp/Peers.cs), the optimisers of the F# library with theirs, and
/// the F# names of each, found by reflection over the F# library. OpsPage renders the rows; CompletenessTests checks
/// them.
module Ops.Catalog

open System
open System.Reflection
open Microsoft.FSharp.Core
open FuncGrad

type Section =
    | Ops
    /// The Linalg class's ops, and the F# Linalg module's functions.
    | LinearAlgebra
    | Transformations
    | Optimisers

/// How F# code reaches a module's functions, which decides the rows that may claim them.
type ModuleKind =
    /// The Tensor module (compiled as a class TensorModule, wherever it is nested): `Tensor.sum`.
    | TensorFunctions
    /// A module opened with FuncGrad (AutoOpen): `grad`, `scalar`.
    | Opened
    /// The Linalg module (compiled as a class LinalgModule): `Linalg.cholesky`.
    | LinalgFunctions
    /// Another module with functions that carry Peers themselves (Optim): `Optim.sgd`.
    | Listed

/// A public function of a module of the F# library.
type FsFunction =
    {
        /// Its name in F# source.
        Name: string
        /// As F# code writes it: `Tensor.sum`, `grad`, `Optim.sgd`.
        Shown: string
        Kind: ModuleKind
        Module: Type
        Method: MethodInfo
    }

/// The C# members that share a name (a method's overloads, with the operators and static forms that spell it), and
/// the Peers written on them.
type Group =
    {
        Owner: Type
        Key: string
        Members: MethodInfo list
        Peers: PeersAttribute list
    }

type Row =
    {
        Section: Section
        /// The table it is listed in: the file its Peers is written in (Unary, Jacobians), or the F# module.
        Family: string
        /// Its place in the family: the line its Peers is on.
        Line: int
        /// The C# name (`Exp`); an F#-only row's F# name (`sgd`).
        Key: string
        Peers: PeersAttribute
        /// The C# members, none for an F#-only row.
        Members: MethodInfo list
        CSharp: string list
        /// The names an F# function is claimed by: the row's FSharp names, or its C# name in camelCase.
        Bases: string list
        /// The F# library's functions the row claims.
        Functions: FsFunction list
        /// F#'s own functions and operators that call the row's C# members (`exp`, `a + b`, `x.[i, j]`).
        FSharpSyntax: string list
    }

    /// Every F# spelling: the library's functions, then F#'s own.
    member r.FSharp = (r.Functions |> List.map (fun f -> f.Shown)) @ r.FSharpSyntax

// ---- C# ----

/// C#'s operators by metadata name: the row they join, how C# writes them, and how F# (which calls the same member)
/// writes them, where it has an operator for it.
let private operators =
    dict
        [
            "op_Addition", ("Add", "a + b", Some "a + b")
            "op_Subtraction", ("Sub", "a - b", Some "a - b")
            "op_Multiply", ("Mul", "a * b", Some "a * b")
            "op_Division", ("Div", "a / b", Some "a / b")
            "op_UnaryNegation", ("Neg", "-a", Some "-a")
            "op_BitwiseAnd", ("LogicalAnd", "a & b", Some "a &&& b")
            "op_BitwiseOr", ("LogicalOr", "a | b", Some "a ||| b")
            "op_ExclusiveOr", ("LogicalXor", "a ^ b", Some "a ^^^ b")
            "op_LogicalNot", ("LogicalNot", "!a", None)
            "op_Modulus", ("Remainder", "a % b", Some "a % b")
        ]

/// FSharp.Core's functions that call a static member of their argument's type by its name, so that they work on
/// tensors wherever Tensor has that member (`exp x` calls `Tensor.Exp(x)`; `a ** b`, `Tensor.Pow(a, b)`).
let private coreFunctions =
    dict
        [
            "Abs", "abs"
            "Acos", "acos"
            "Asin", "asin"
            "Atan", "atan"
            "Ceiling", "ceil"
            "Cos", "cos"
            "Cosh", "cosh"
            "Exp", "exp"
            "Floor", "floor"
            "Log", "log"
            "Log10", "log10"
            "Round", "round"
            "Sin", "sin"
            "Sinh", "sinh"
            "Sqrt", "sqrt"
            "Tan", "tan"
            "Tanh", "tanh"
            "Truncate", "truncate"
            "Pow", "a ** b"
        ]

/// The property a getter belongs to (an indexer's), if any.
let private propertyOf (m: MethodInfo) =
    if m.IsSpecialName && m.Name.StartsWith "get_" then
        m.DeclaringType.GetProperties(BindingFlags.Public ||| BindingFlags.Instance ||| BindingFlags.Static)
        |> Array.tryFind (fun p -> p.GetMethod = m)
    else
        None

let private peersOf (m: MethodInfo) =
    match propertyOf m with
    | Some p -> p.GetCustomAttribute<PeersAttribute>()
    | None -> m.GetCustomAttribute<PeersAttribute>()
    |> Option.ofObj

/// The row a C# member joins: its name, an operator's op, an indexer's property.
let private keyOf (m: MethodInfo) =
    match operators.TryGetValue m.Name, propertyOf m with
    | (true, (key, _, _)), _ -> key
    | _, Some p -> p.Name
    | _ -> m.Name

/// How C# writes a member, and its place among a row's spellings.
let private shown (owner: string) (m: MethodInfo) =
    match operators.TryGetValue m.Name, propertyOf m with
    | (true, (_, op, _)), _ -> 2, op
    | _, Some _ -> 3, "x[i, j]"
    | _ when m.IsStatic -> 1, $"{owner}.{m.Name}"
    | _ -> 0, $"x.{m.Name}"

let private declared (t: Type) =
    t.GetMethods(
        BindingFlags.Public
        ||| BindingFlags.Instance
        ||| BindingFlags.Static
        ||| BindingFlags.DeclaredOnly
    )

/// The C# members listed: Tensor's and Linalg's public ops (methods returning tensors, OpRuleTests.publicMethods) and
/// any other member of them with Peers (Backward), and every public method of Autodiff.
let private csharpMembers () =
    [
        for t in [ typeof<Tensor>; typeof<Linalg> ] do
            for m in declared t do
                if OpRuleTests.returnsTensors m.ReturnType || (peersOf m).IsSome then
                    yield t, m
        for m in declared typeof<Autodiff> do
            yield typeof<Autodiff>, m
    ]

/// Every C# row's members grouped by name, in a stable order.
let groups () =
    csharpMembers ()
    |> List.groupBy (fun (t, m) -> t, keyOf m)
    |> List.map (fun ((t, key), ms) ->
        let members = ms |> List.map snd |> List.sortBy (fun m -> m.ToString())

        {
            Owner = t
            Key = key
            Members = members
            Peers = members |> List.choose peersOf
        })
    |> List.sortBy (fun g -> g.Owner.Name, g.Key)

/// A file name from a path written on any system, less its extension and a "Tensor." prefix: the family.
let private familyOf (file: string) =
    let name = file.Substring(file.LastIndexOfAny [| '/'; '\\' |] + 1)

    let stem =
        if name.EndsWith ".cs" || name.EndsWith ".fs" then
            name.Substring(0, name.Length - 3)
        else
            name

    if stem.StartsWith "Tensor." then stem.Substring 7 else stem

let private camel (s: string) =
    if s = "" then
        s
    else
        string (Char.ToLowerInvariant s[0]) + s.Substring 1

let private names (list: string) =
    list.Split(',', StringSplitOptions.RemoveEmptyEntries ||| StringSplitOptions.TrimEntries)
    |> List.ofArray

// ---- F# ----

let fsharpAssembly = typedefof<Optimizer<_, _>>.Assembly

let private isModule (t: Type) =
    t.GetCustomAttributes<CompilationMappingAttribute>()
    |> Seq.exists (fun a -> a.SourceConstructFlags &&& SourceConstructFlags.KindMask = SourceConstructFlags.Module)

let private sourceName (m: MemberInfo) =
    match m.GetCustomAttributes<CompilationSourceNameAttribute>() |> Seq.tryHead with
    | Some a -> a.SourceName
    | None -> m.Name

let private isPublic (t: Type) =
    let rec go (t: Type) =
        (t.IsPublic || t.IsNestedPublic)
        && (isNull t.DeclaringType || go t.DeclaringType)

    go t

/// The public functions of a module: its static methods, less property getters and extension members (compiled with
/// the extended type's name in theirs).
let private functionsOf (t: Type) =
    t.GetMethods(BindingFlags.Public ||| BindingFlags.Static ||| BindingFlags.DeclaredOnly)
    |> Array.filter (fun m -> not m.IsSpecialName && not (m.Name.Contains '.'))

/// Every public function of the F# library that a row may claim: the Tensor module's, the opened modules', and those
/// of modules whose functions carry Peers.
let fsFunctions () =
    [
        for t in fsharpAssembly.GetTypes() do
            if isModule t && isPublic t then
                let fs = functionsOf t

                let kind =
                    if t.Name = "TensorModule" then
                        Some TensorFunctions
                    elif t.Name = "LinalgModule" then
                        Some LinalgFunctions
                    elif Attribute.IsDefined(t, typeof<AutoOpenAttribute>) then
                        Some Opened
                    elif
                        fs
                        |> Array.exists (fun m -> not (isNull (m.GetCustomAttribute<PeersAttribute>())))
                    then
                        Some Listed
                    else
                        None

                match kind with
                | None -> ()
                | Some kind ->
                    let prefix =
                        match kind with
                        | TensorFunctions -> "Tensor."
                        | LinalgFunctions -> "Linalg."
                        | Opened -> ""
                        | Listed -> sourceName t + "."

                    for m in fs do
                        let name = sourceName m

                        yield
                            {
                                Name = name
                                Shown = prefix + name
                                Kind = kind
                                Module = t
                                Method = m
                            }
    ]
    |> List.distinctBy (fun f -> f.Shown)

/// Whether an F# function's name is a base or extends it (the base, then a capital or a digit: `sumAxis`,
/// `ofArray2D`). Case aside, as F# names often follow PyTorch's (`LogSumExp`: `logsumexp`, `logsumexpAxis`).
let extends (name: string) (b: string) =
    name.StartsWith(b, StringComparison.OrdinalIgnoreCase)
    && (name.Length = b.Length
        || Char.IsUpper name[b.Length]
        || Char.IsDigit name[b.Length])

/// Whether F# code writes slices (`x.[a..b]`): some module of the F# library extends Tensor with GetSlice.
let private fsharpSlices () =
    fsharpAssembly.GetTypes()
    |> Array.exists (fun t ->
        t.GetMethods(BindingFlags.Public ||| BindingFlags.Static ||| BindingFlags.DeclaredOnly)
        |> Array.exists (fun m -> m.Name.EndsWith "GetSlice"))

/// F#'s own functions and operators that call a row's members.
let private syntaxOf (members: MethodInfo list) slices =
    [
        for m in members do
            match operators.TryGetValue m.Name with
            | true, (_, _, Some op) -> yield op
            | _ -> ()

            let onTensor =
                m.GetParameters() |> Array.tryHead |> Option.map _.ParameterType = Some typeof<Tensor>

            if m.IsStatic && m.ReturnType = typeof<Tensor> && onTensor then
                match coreFunctions.TryGetValue m.Name with
                | true, f -> yield f
                | _ -> ()

            if (propertyOf m).IsSome then
                yield "x.[i, j]"

                if slices then
                    yield "x.[a..b]"
    ]
    |> List.distinct
    |> List.sortBy (fun s -> if Char.IsLetter s[0] then 0 else 1)

/// Which rows may claim a function: an F#-only row, its own module's; a C# op's row, the Tensor module's and the
/// opened modules'; a transformation's row, the opened modules'.
let private mayClaim (row: Row) (f: FsFunction) =
    match row.Members, row.Section, f.Kind with
    | [], _, _ -> f.Module = (row.Functions |> List.head).Module
    | _, Ops, (TensorFunctions | Opened) -> true
    | _, LinearAlgebra, LinalgFunctions -> true
    | _, Transformations, Opened -> true
    | _ -> false

/// The row whose base the function matches longest, and which of its bases that is; None where no row's base matches.
let private claim (rows: Row list) (f: FsFunction) =
    rows
    |> List.choose (fun r ->
        if mayClaim r f then
            r.Bases
            |> List.indexed
            |> List.filter (fun (_, b) -> extends f.Name b)
            |> List.sortByDescending (fun (_, b) -> b.Length)
            |> List.tryHead
            |> Option.map (fun (i, b) -> r, i, b.Length)
        else
            None)
    |> List.sortByDescending (fun (_, _, length) -> length)
    |> List.tryHead
    |> Option.map (fun (r, i, _) -> r, i)

/// The rows, each with the F# functions it claims; and the functions no row claims.
let read () =
    let slices = fsharpSlices ()
    let functions = fsFunctions ()

    let csharpRows =
        [
            for g in groups () do
                match g.Peers with
                | [] -> ()
                | p :: _ ->
                    let owner = g.Owner.Name

                    yield
                        {
                            Section =
                                if g.Owner = typeof<Tensor> then Ops
                                elif g.Owner = typeof<Linalg> then LinearAlgebra
                                else Transformations
                            Family = familyOf p.File
                            Line = p.Line
                            Key = g.Key
                            Peers = p
                            Members = g.Members
                            CSharp =
                                g.Members
                                |> List.map (shown owner)
                                |> List.distinct
                                |> List.sortBy fst
                                |> List.map snd
                                |> List.distinct
                            Bases = if p.FSharp = "" then [ camel g.Key ] else names p.FSharp
                            Functions = []
                            FSharpSyntax = syntaxOf g.Members slices
                        }
        ]

    // An F#-only row (an optimiser, or an op C# lacks) starts with its own function; the others of its module join it
    // by extending its name.
    let fsharpRows =
        [
            for f in functions do
                match f.Method.GetCustomAttribute<PeersAttribute>() with
                | null -> ()
                | p ->
                    yield
                        {
                            Section = if f.Kind = Listed then Optimisers else Ops
                            Family = familyOf p.File
                            Line = p.Line
                            Key = f.Name
                            Peers = p
                            Members = []
                            CSharp = []
                            Bases = [ f.Name ]
                            Functions = [ f ]
                            FSharpSyntax = []
                        }
        ]

    let rows = csharpRows @ fsharpRows
    let claims = functions |> List.map (fun f -> f, claim rows f)

    let withFunctions =
        rows
        |> List.map (fun r ->
            // In the order of the bases they extend, each base's own function first.
            let mine =
                claims
                |> List.choose (fun (f, owner) ->
                    match owner with
                    | Some(o, i) when LanguagePrimitives.PhysicalEquality o r -> Some(i, f)
                    | _ -> None)
                |> List.sortBy (fun (i, f) -> i, f.Shown.Length, f.Shown)
                |> List.map snd

            { r with Functions = mine })

    withFunctions, claims |> List.choose (fun (f, owner) -> if owner.IsNone then Some f else None)
