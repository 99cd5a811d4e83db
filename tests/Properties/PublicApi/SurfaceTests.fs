/// The F# Tensor module covers the C# Tensor: every public method, operator and property of the core's Tensor has an
/// F# function in a module named Tensor (src/Functional.FSharp/Tensor/*.fs), found by reflection on both sides, or is
/// one of a short list of exceptions, each with its reason. So a C# op added without its F# function fails here, with
/// a message that names the function to write.
///
/// The rule. A C# method Name(p1, ..., pn) is covered by an F# function of the same name in camelCase (case aside:
/// LogSumExp is logsumexp), or that name with a suffix for the longer forms (sumAxis, sumAxes, crossEntropyOf,
/// allCloseWith, randnFrom), or a name of the alias table where F# follows PyTorch (Count is numel), whose parameters
/// are those of the C# method (optional ones too: the full form must be reachable), in any order (F# puts the
/// tensor last and the settings first), with an instance method's tensor among them. A property X is the method
/// get_X. Types correspond as F# writes them: a list for IReadOnlyList, (int * int) list for Range[], an int axis for
/// int?. An optional DType parameter (the dtype of a new tensor) is covered by a function without it, which makes
/// float64, and its twin with the suffix 32, which takes float32 numbers where the other takes floats and makes
/// float32 (zeros and zeros32, linspace and linspace32). A member whose settings an F# record holds (the sliding-window
/// ops: Conv2d's stride, padding, dilation, groups and bias) is covered by nameWith taking that record, whose type is
/// named …Options (optional tensors, such as a bias, may be fields of it).
module PublicApi.SurfaceTests

open System
open System.Collections.Generic
open System.Reflection
open Microsoft.FSharp.Reflection
open Expecto
open FuncGrad

/// An F# function of a Tensor module: name and parameter types (curried parameters compile to one list).
type private FsFunction = { Name: string; Parameters: Type list }

/// A C# member that no F# function of the Tensor module mirrors, and why.
type private Exemption =
    {
        /// As Ops.OpRuleTests.signature spells it; a trailing * matches any rest ("static op_*").
        Pattern: string
        Reason: string
        /// F# functions outside the Tensor module that do the member's work ("Graph.toDotWith"), checked to exist.
        Elsewhere: string list
    }

let private except pattern reason =
    {
        Pattern = pattern
        Reason = reason
        Elsewhere = []
    }

let private exceptions =
    let objectMember =
        "System.Object's: F# code writes =, hash and string (or %O), which call it"

    let graph =
        "the imperative (PyTorch-style) graph: F# code calls the member (x.RequiresGrad(), y.Backward()); the F# "
        + "way to derivatives is the transformations (grad, vjp, jvp, ...)"

    [
        except
            "static op_*"
            ("an operator: F# code writes the operator itself (a + b, 2.0 * x, -x); the Tensor-Tensor forms also "
             + "have functions (add, sub, mul, div, neg)")
        except "get_At(Int32[])" "the indexer: F# code writes x.[i, j] (TensorSlicing)"
        except "get_At(TensorIndex[])" "the indexer: F# code slices with x.[i, a..b, *] (TensorSlicing)"
        except "get_At(Tensor[])" "the indexer: F# code writes x.[idx] and x.[rows, cols] for index tensors"
        except
            "AsSpan()"
            ("a zero-copy view of the storage for C# kernels; a span cannot be held by an F# closure, and F# code "
             + "reads values with toArray")
        except "AsFloatSpan()" "as AsSpan, for float32: F# code reads values with toArray32"
        except "Equals(Tensor)" objectMember
        except "Equals(Object)" objectMember
        except "GetHashCode()" objectMember
        except "ToString()" objectMember
        except "RequiresGrad()" graph
        except "get_RequiresGradient()" graph
        except "get_IsLeaf()" graph
        except "get_GradFn()" graph
        except "Backward(Tensor)" graph
        { except "ToDot(IReadOnlyDictionary<Tensor, String>, Boolean)" "drawing a graph: the Graph module" with
            Elsewhere = [ "Graph.toDot"; "Graph.toDotWith" ]
        }
        { except "ToMermaid(IReadOnlyDictionary<Tensor, String>, Boolean)" "drawing a graph: the Graph module" with
            Elsewhere = [ "Graph.toMermaid"; "Graph.toMermaidWith" ]
        }
    ]

/// Where the F# name is PyTorch's (or F#'s) rather than the C# name in camelCase: the C# name and its F# functions.
let private aliases =
    Map
        [
            "FromArray",
            [
                "ofArray"
                "ofArray32"
                "ofArray2D"
                "ofArrayND"
                "ofRows"
                "ofShape"
                "ofShape32"
                "ofInt64Array"
                "ofInt32Array"
                "ofBoolArray"
                "ofShapeInt64"
                "ofShapeInt32"
                "ofShapeBool"
            ]
            "Arange", [ "arange"; "arangeStep" ]
            "RandomNormal", [ "randn"; "randnFrom" ]
            "RandomUniform", [ "rand"; "uniform"; "uniformFrom" ]
            "To", [ "toDevice" ] // to is an F# keyword
            "ToFloatArray", [ "toArray32" ]
            "Count", [ "numel" ]
            "Rank", [ "ndim" ]
            // an F# module has no overloads: a count or a list of sizes, a number or a tensor of counts
            "Split", [ "split"; "splitSizes" ]
            "RepeatInterleave", [ "repeatInterleave"; "repeatInterleaveBy" ]
        ]

/// The suffixes of an F# function's longer forms.
let private suffixes = [ ""; "Axis"; "Axes"; "Of"; "With"; "From" ]

let private camel (name: string) =
    string (Char.ToLowerInvariant name[0]) + name.Substring 1

/// The C# member's name as F# would spell it: a property without get_.
let private memberName (m: MethodInfo) =
    if m.IsSpecialName && m.Name.StartsWith "get_" then
        m.Name.Substring 4
    else
        m.Name

let private candidates (m: MethodInfo) =
    let name = memberName m

    match aliases.TryFind name with
    | Some names -> names
    | None -> suffixes |> List.map (fun s -> camel name + s)

/// A C# parameter type as the F# surface takes it.
let private asFSharp (t: Type) =
    if t = typeof<IReadOnlyList<Tensor>> then
        typeof<Tensor list>
    elif t = typeof<Range[]> then
        typeof<(int * int) list>
    elif t = typeof<Nullable<int>> then
        typeof<int>
    elif t = typeof<Nullable<float>> then
        typeof<float option>
    else
        t

let rec private show (t: Type) =
    if t = typeof<float> then
        "float"
    elif t = typeof<float32> then
        "float32"
    elif t = typeof<int> then
        "int"
    elif t = typeof<bool> then
        "bool"
    elif t.IsArray then
        show (t.GetElementType()) + "[]"
    elif t.IsGenericType && t.GetGenericTypeDefinition() = typedefof<_ list> then
        let e = t.GetGenericArguments()[0]
        (if FSharpType.IsTuple e then "(" + show e + ")" else show e) + " list"
    elif FSharpType.IsTuple t then
        FSharpType.GetTupleElements t |> Array.map show |> String.concat " * "
    else
        t.Name

/// Parameter lists compared as sorted lists of type names.
let private key (ts: Type list) = ts |> List.map show |> List.sort

/// What an F# function must take to cover the C# member: the parameters (the tensor too, for an instance member), and
/// whether an optional DType parameter asks for the float32 twin.
let private needs (m: MethodInfo) =
    let ps = m.GetParameters() |> List.ofArray

    let optionalDType =
        ps |> List.exists (fun p -> p.ParameterType = typeof<DType> && p.IsOptional)

    let types =
        ps
        |> List.filter (fun p -> not (p.ParameterType = typeof<DType> && p.IsOptional))
        |> List.map (fun p -> asFSharp p.ParameterType)

    (if m.IsStatic then types else typeof<Tensor> :: types), optionalDType

let private to32 (ts: Type list) =
    ts |> List.map (fun t -> if t = typeof<float> then typeof<float32> else t)

/// The public methods of the C# Tensor, operators and property getters included, by signature.
let private csharpMembers () =
    Ops.OpRuleTests.tensorMethods ()
    |> Array.sortBy Ops.OpRuleTests.signature
    |> List.ofArray

/// The modules named Tensor in the FuncGrad assembly (compiled TensorModule, one per family); with surfaceModules, the
/// Linalg module too (LinalgModule), which covers the C# Linalg class.
let private tensorModules () =
    typeof<GradCheckOptions>.Assembly.GetExportedTypes()
    |> Array.filter (fun t -> FSharpType.IsModule t && t.Name = "TensorModule")
    |> List.ofArray

let private surfaceModules () =
    typeof<GradCheckOptions>.Assembly.GetExportedTypes()
    |> Array.filter (fun t -> FSharpType.IsModule t && (t.Name = "TensorModule" || t.Name = "LinalgModule"))
    |> List.ofArray

let private functionsOf (modules: Type list) =
    [
        for t in modules do
            for m in t.GetMethods(BindingFlags.Public ||| BindingFlags.Static ||| BindingFlags.DeclaredOnly) do
                yield
                    {
                        Name = m.Name
                        Parameters = m.GetParameters() |> Array.map (fun p -> p.ParameterType) |> List.ofArray
                    }
    ]

let private matches (pattern: string) (signature: string) =
    if pattern.EndsWith "*" then
        signature.StartsWith(pattern.TrimEnd '*')
    else
        signature = pattern

/// One line per C# member that no F# function covers and no exception names: the member, and the function to write.
let private uncovered (members: MethodInfo list) (functions: FsFunction list) =
    let has (name: string) (ps: Type list) =
        functions
        |> List.exists (fun f ->
            String.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase)
            && key f.Parameters = key ps)

    [
        for m in members do
            let signature = Ops.OpRuleTests.signature m

            if not (exceptions |> List.exists (fun e -> matches e.Pattern signature)) then
                let ps, twin = needs m
                let names = candidates m

                // The per-axis ops of the sliding-window families (convolution, pooling, ...) take their settings as
                // one record: nameWith options, with the member's tensors (optional ones may be fields of the record).
                let withOptions =
                    functions
                    |> List.exists (fun f ->
                        String.Equals(f.Name, camel (memberName m) + "With", StringComparison.OrdinalIgnoreCase)
                        && f.Parameters
                           |> List.exists (fun t -> FSharpType.IsRecord(t, true) && t.Name.EndsWith "Options")
                        && List.contains typeof<Tensor> f.Parameters)

                let covered =
                    withOptions
                    || names
                       |> List.exists (fun n -> has n ps && (not twin || has (n + "32") (to32 ps)))

                if not covered then
                    let arrow (ts: Type list) =
                        // the tensor last, as the F# surface takes it
                        let others, tensors = ts |> List.partition (fun t -> t <> typeof<Tensor>)
                        (others @ tensors |> List.map show) @ [ "…" ] |> String.concat " -> "

                    // the function there without its twin (zeros for zeros32), else the first name not taken yet
                    // (meanAxes, not mean, for Mean(Int32[], Boolean))
                    let taken (n: string) =
                        functions
                        |> List.exists (fun f -> String.Equals(f.Name, n, StringComparison.OrdinalIgnoreCase))

                    let expected =
                        names
                        |> List.tryFind (fun n -> has n ps)
                        |> Option.orElse (names |> List.tryFind (fun n -> not (taken n)))
                        |> Option.defaultValue (List.head names)

                    let twinNote =
                        if twin then
                            $", and its float32 twin Tensor.{expected}32 : {arrow (to32 ps)}"
                        else
                            ""

                    yield
                        $"{signature}: write Tensor.{expected} : {arrow ps}{twinNote} "
                        + $"""(or a name among {String.Join(", ", names)}; parameters in any order)"""
    ]

/// Finds an F# function "Module.name" anywhere in the FuncGrad assembly (a module compiles to Name or NameModule).
let private existsElsewhere (path: string) =
    let i = path.LastIndexOf '.'
    let moduleName, name = path.Substring(0, i), path.Substring(i + 1)

    typeof<GradCheckOptions>.Assembly.GetExportedTypes()
    |> Array.exists (fun t ->
        FSharpType.IsModule t
        && (t.Name = moduleName || t.Name = moduleName + "Module")
        && not (isNull (t.GetMethod name)))

[<Tests>]
let tests =
    testList
        "PublicApi.surface"
        [
            test "every public member of the C# Tensor has its F# function in a Tensor module, or a stated exception" {
                let missing = uncovered (csharpMembers ()) (functionsOf (surfaceModules ()))

                if not missing.IsEmpty then
                    failtest (
                        $"{missing.Length} public members of the C# Tensor have no F# function (add it to the "
                        + "family's file in src/Functional.FSharp/Tensor/, or an exception with its reason to "
                        + "PublicApi/SurfaceTests.fs):\n  "
                        + String.Join("\n  ", missing)
                    )
            }

            test "the check fails for a missing function, and names it" {
                let members = csharpMembers ()
                let functions = functionsOf (surfaceModules ())

                let without name =
                    uncovered members (functions |> List.filter (fun f -> f.Name <> name))

                let absent = without "abs"
                Expect.hasLength absent 2 "Abs() and static Abs(Tensor) uncovered"
                Expect.stringContains absent[0] "Tensor.abs : Tensor -> …" "names the function and its type"
                let twin = without "zeros32"
                Expect.hasLength twin 1 "Zeros without its float32 twin"
                Expect.stringContains twin[0] "Tensor.zeros32 : int[] -> …" "names the twin"
                let keepDims = without "sumAxes"
                Expect.hasLength keepDims 1 "Sum's full form"
                Expect.stringContains keepDims[0] "Tensor.sumAxes : int[] -> bool -> Tensor -> …" "names the full form"
            }

            test "every exception names existing members, gives a reason, and what it points to exists" {
                let signatures = csharpMembers () |> List.map Ops.OpRuleTests.signature

                for e in exceptions do
                    Expect.isTrue
                        (signatures |> List.exists (matches e.Pattern))
                        $"the exception {e.Pattern} matches no public member of Tensor"

                    Expect.isGreaterThan e.Reason.Length 20 $"the exception {e.Pattern} gives its reason"

                    for f in e.Elsewhere do
                        Expect.isTrue (existsElsewhere f) $"{e.Pattern}: {f} exists"

                for name in aliases.Keys do
                    Expect.isTrue
                        (csharpMembers () |> List.exists (fun m -> memberName m = name))
                        $"the alias {name} names a member of Tensor"
            }

            test "each Tensor module is in an [<AutoOpen>] module of namespace FuncGrad: open FuncGrad opens all" {
                let modules = tensorModules ()
                Expect.isGreaterThanOrEqual modules.Length 14 "one Tensor module per family"

                for t in modules do
                    let parent = t.DeclaringType
                    Expect.isNotNull parent $"{t.FullName} is nested in a family module"
                    Expect.equal parent.Namespace "FuncGrad" $"{t.FullName}: namespace"

                    Expect.isTrue (parent.IsDefined(typeof<AutoOpenAttribute>, false)) $"{parent.Name} is [<AutoOpen>]"

                    Expect.isTrue
                        (t.IsDefined(typeof<RequireQualifiedAccessAttribute>, false))
                        $"{t.FullName} is [<RequireQualifiedAccess>]"

                let names =
                    functionsOf modules
                    |> List.countBy (fun f -> f.Name)
                    |> List.filter (fun (_, n) -> n > 1)

                Expect.isEmpty names "no function name in two families (the later open would shadow the earlier)"
            }
        ]
