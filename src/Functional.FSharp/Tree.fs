namespace FuncGrad

open System
open System.Collections
open Microsoft.FSharp.Reflection

/// <summary>
/// A part of a structure held as it is: never differentiated, mapped or traced, whatever it contains.
/// </summary>
/// <remarks>
/// In a <c>compileOf</c> structure it is part of the signature, compared by value (tensors too), so a function is
/// traced again when it changes and its tensors are baked into the program as constants (JAX's static arguments).
/// </remarks>
/// <example><code>
/// let f = compileOf (fun (x: Tensor, Static (table: Tensor)) -> x * table) // table's values are constants
/// </code></example>
type Static<'T> =
    /// <summary>The value, held as it is.</summary>
    /// <example><code>Static 3 // a part of a structure that stays a number</code></example>
    | Static of 'T

/// <summary>
/// Structures of tensors ("trees"), so models can be differentiated with respect to all their parameters
/// at once. A tree is a <c>Tensor</c>, or a tuple, F# list, array, <c>Map</c> or F# record whose elements
/// are trees.
/// </summary>
/// <remarks>
/// Values of other types inside a record or tuple (numbers, strings, ...) are carried through unchanged and are not
/// differentiated. Leaves are ordered: tuple and record fields in declaration order, list and array elements in
/// order, map entries in key order.
/// </remarks>
/// <example><code>
/// type Layer = { W: Tensor; B: Tensor }
/// Tree.leaves { W = Tensor.ones [| 2; 2 |]; B = Tensor.zeros [| 2 |] } // [W; B]
/// </code></example>
[<RequireQualifiedAccess>]
module Tree =
    let private unsupported (t: Type) =
        invalidArg
            "tree"
            ($"the type {t.Name} is not a structure of tensors; "
             + "use Tensor, or tuples, lists, arrays, Maps or records of tensors")

    let private isFSharpList (t: Type) =
        t.IsGenericType && t.GetGenericTypeDefinition() = typedefof<list<_>>

    let private isMap (t: Type) =
        t.IsGenericType && t.GetGenericTypeDefinition() = typedefof<Map<_, _>>

    let private isStatic (t: Type) =
        t.IsPrimitive
        || t = typeof<string>
        || t = typeof<decimal>
        || t.IsEnum
        || (t.IsGenericType && t.GetGenericTypeDefinition() = typedefof<Static<_>>)

    let private kvp (o: obj) =
        let t = o.GetType()
        t.GetProperty("Key").GetValue o, t.GetProperty("Value").GetValue o

    /// The leaves of a structure, in order (recursion goes only as deep as the structure's nesting).
    let rec private collect (acc: ResizeArray<Tensor>) (declared: Type) (o: obj) =
        let t = if isNull o then declared else o.GetType()

        match o with
        | :? Tensor as x -> acc.Add x
        | _ when isStatic t -> ()
        | _ when isNull o -> unsupported t
        | _ when FSharpType.IsTuple t ->
            Array.iter2 (collect acc) (FSharpType.GetTupleElements t) (FSharpValue.GetTupleFields o)
        | _ when FSharpType.IsRecord(t, true) ->
            Array.iter2
                (fun (p: Reflection.PropertyInfo) v -> collect acc p.PropertyType v)
                (FSharpType.GetRecordFields(t, true))
                (FSharpValue.GetRecordFields(o, true))
        | _ when t.IsArray ->
            for v in (o :?> Array) do
                collect acc (t.GetElementType()) v
        | _ when isFSharpList t ->
            for v in (o :?> IEnumerable) do
                collect acc (t.GetGenericArguments()[0]) v
        | _ when isMap t ->
            for e in (o :?> IEnumerable) do
                collect acc (t.GetGenericArguments()[1]) (snd (kvp e))
        | _ -> unsupported t

    /// A structure like the template, with leaves taken in order from the enumerator.
    let rec private build (next: unit -> Tensor) (declared: Type) (template: obj) : obj =
        let t = if isNull template then declared else template.GetType()

        match template with
        | :? Tensor -> box (next ())
        | _ when isStatic t -> template
        | _ when FSharpType.IsTuple t ->
            let parts =
                Array.map2 (build next) (FSharpType.GetTupleElements t) (FSharpValue.GetTupleFields template)

            FSharpValue.MakeTuple(parts, t)
        | _ when FSharpType.IsRecord(t, true) ->
            let parts =
                Array.map2
                    (fun (p: Reflection.PropertyInfo) v -> build next p.PropertyType v)
                    (FSharpType.GetRecordFields(t, true))
                    (FSharpValue.GetRecordFields(template, true))

            FSharpValue.MakeRecord(t, parts, true)
        | _ when t.IsArray ->
            let src = template :?> Array
            let et = t.GetElementType()
            let dst = Array.CreateInstance(et, src.Length)

            for i in 0 .. src.Length - 1 do
                dst.SetValue(build next et (src.GetValue i), i)

            box dst
        | _ when isFSharpList t ->
            let et = t.GetGenericArguments()[0]
            let items = [| for v in (template :?> IEnumerable) -> build next et v |]
            let cases = FSharpType.GetUnionCases(t)
            let empty = cases |> Array.find (fun c -> c.Name = "Empty")
            let cons = cases |> Array.find (fun c -> c.Name = "Cons")

            Array.foldBack
                (fun item acc -> FSharpValue.MakeUnion(cons, [| item; acc |]))
                items
                (FSharpValue.MakeUnion(empty, [||]))
        | _ when isMap t ->
            let args = t.GetGenericArguments()
            let pairType = FSharpType.MakeTupleType args
            let entries = [| for e in (template :?> IEnumerable) -> kvp e |]
            let pairs = Array.CreateInstance(pairType, entries.Length)

            entries
            |> Array.iteri (fun i (k, v) ->
                pairs.SetValue(FSharpValue.MakeTuple([| k; build next args[1] v |], pairType), i))

            Activator.CreateInstance(t, [| box pairs |])
        | _ -> unsupported t

    /// A structure's parts by path (".W", "(item 1)", "[2]", "[key]"): each tensor's shape and dtype, taken in order
    /// from leaves (the tensors of a structure whose own tensors are placeholders), each other value, and each list's
    /// and array's length; compile names the parts of a signature that changed with it.
    let rec private describe (acc: ResizeArray<string * string>) (next: unit -> Tensor) path (declared: Type) (o: obj) =
        let t = if isNull o then declared else o.GetType()
        let at (p: string) = if p = "" then "the structure" else p

        let show (v: obj) =
            let s = sprintf "%A" v |> fun s -> s.Replace("\n", " ")
            if s.Length > 40 then s.Substring(0, 37) + "..." else s

        match o with
        | :? Tensor -> acc.Add(at path, Shapes.Show(next ()))
        | _ when isStatic t -> acc.Add(at path, show o)
        | _ when FSharpType.IsTuple t ->
            Array.iteri2
                (fun i et v -> describe acc next $"{path}(item {i})" et v)
                (FSharpType.GetTupleElements t)
                (FSharpValue.GetTupleFields o)
        | _ when FSharpType.IsRecord(t, true) ->
            Array.iter2
                (fun (p: Reflection.PropertyInfo) v -> describe acc next $"{path}.{p.Name}" p.PropertyType v)
                (FSharpType.GetRecordFields(t, true))
                (FSharpValue.GetRecordFields(o, true))
        | _ when t.IsArray || isFSharpList t ->
            let et =
                if t.IsArray then
                    t.GetElementType()
                else
                    t.GetGenericArguments()[0]

            let items = [| for v in (o :?> IEnumerable) -> v |]
            acc.Add($"the length of {at path}", string items.Length)
            items |> Array.iteri (fun i v -> describe acc next $"{path}[{i}]" et v)
        | _ when isMap t ->
            let entries = [| for e in (o :?> IEnumerable) -> kvp e |]
            acc.Add($"the keys of {at path}", entries |> Array.map (fst >> show) |> String.concat ", ")

            entries
            |> Array.iter (fun (k, v) -> describe acc next $"{path}[{show k}]" (t.GetGenericArguments()[1]) v)
        | _ -> unsupported t

    /// The parts of the skeleton (a structure whose tensors are placeholders) with the shapes of leaves.
    let internal parts (skeleton: obj) (leaves: Tensor[]) =
        let acc = ResizeArray()
        let mutable i = 0

        let next () =
            i <- i + 1
            leaves[i - 1]

        describe acc next "" (skeleton.GetType()) skeleton
        acc |> Seq.map (fun (p, v) -> struct (p, v)) |> Array.ofSeq

    /// <summary>The tensors of a structure, in order.</summary>
    /// <example><code>Tree.leaves (scalar 1.0, [ scalar 2.0; scalar 3.0 ]) |> List.length // 3</code></example>
    let leaves (tree: 'T) : Tensor list =
        Args.notNullAs "Tree.leaves" "tree" Args.tree tree
        let acc = ResizeArray()
        collect acc typeof<'T> (box tree)
        List.ofSeq acc

    /// <summary>A structure shaped like <paramref name="template"/> with its tensors replaced, in order, by <paramref
    /// name="values"/>.</summary>
    /// <example><code>
    /// Tree.rebuild (scalar 0.0, scalar 0.0) [ scalar 1.0; scalar 2.0 ] // (tensor(1., ...), tensor(2., ...))
    /// </code></example>
    let rebuild (template: 'T) (values: Tensor seq) : 'T =
        Args.notNullAs "Tree.rebuild" "template" Args.tree template
        Args.notNull "Tree.rebuild" "values" values
        let e = values.GetEnumerator()

        let next () =
            if e.MoveNext() then
                e.Current
            else
                invalidArg "values" "Tree.rebuild: fewer tensors than the structure has leaves"

        let r = build next typeof<'T> (box template) :?> 'T

        if e.MoveNext() then
            invalidArg "values" "Tree.rebuild: more tensors than the structure has leaves"

        r

    /// <summary>The same structure with f applied to every tensor.</summary>
    /// <example><code>
    /// Tree.map (fun t -> t * 2.0) (scalar 1.0, scalar 2.0) // (tensor(2., ...), tensor(4., ...))
    /// </code></example>
    let map (f: Tensor -> Tensor) (tree: 'T) : 'T =
        Args.notNull "Tree.map" "f" f
        Args.notNullAs "Tree.map" "tree" Args.tree tree
        rebuild tree (leaves tree |> List.map f)

    /// <summary>Two structures of the same shape combined tensor by tensor: the form of a parameter update.</summary>
    /// <example><code>Tree.map2 (fun w g -> w - 0.1 * g) parameters gradients</code></example>
    let map2 (f: Tensor -> Tensor -> Tensor) (a: 'T) (b: 'T) : 'T =
        Args.notNull "Tree.map2" "f" f
        Args.notNullAs "Tree.map2" "a" Args.tree a
        Args.notNullAs "Tree.map2" "b" Args.tree b
        let la, lb = leaves a, leaves b

        if la.Length <> lb.Length then
            invalidArg
                "b"
                $"Tree.map2: the structures have {la.Length} and {lb.Length} tensors; they must have the same shape"

        rebuild a (List.map2 f la lb)

    /// <summary>Zeros shaped like every tensor of a structure.</summary>
    /// <example><code>Tree.zerosLike (scalar 3.0, scalar 4.0) // (tensor(0., ...), tensor(0., ...))</code></example>
    let zerosLike (tree: 'T) : 'T =
        Args.notNullAs "Tree.zerosLike" "tree" Args.tree tree
        map Tensor.ZerosLike tree
