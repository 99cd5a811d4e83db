namespace FuncGrad.Testing

open System
open FsCheck
open FsCheck.FSharp
open FuncGrad

/// <summary>
/// Shapes for property tests: rank 0 to 4, small dimensions, and size-1 dimensions often (so broadcasting
/// is exercised). Generated shapes grow with FsCheck's size and hold at most 64 elements, so a full-Jacobian
/// GradCheck of them stays cheap.
/// </summary>
/// <example><code>
/// Gen.sample 5 ShapeGen.shape // e.g. [| [||]; [| 3 |]; [| 2; 1 |]; [| 1; 4; 2 |]; [| 3; 1; 2; 2 |] |]
/// </code></example>
[<RequireQualifiedAccess>]
module ShapeGen =
    /// <summary>The most elements a generated shape holds.</summary>
    /// <example><code>ShapeGen.maxElements // 64</code></example>
    [<CompiledName("MaxElements")>]
    let maxElements = 64

    /// <summary>The number of elements of a shape.</summary>
    /// <example><code>ShapeGen.count [| 2; 3 |] // 6</code></example>
    [<CompiledName("Count")>]
    let count (shape: int[]) =
        Args.notNull "ShapeGen.count" "shape" shape
        Array.fold (*) 1 shape

    /// <summary>Whether two shapes broadcast together by NumPy's rule (trailing dimensions equal or 1).</summary>
    /// <example><code>ShapeGen.broadcastable [| 3; 1 |] [| 4 |] // true</code></example>
    [<CompiledName("Broadcastable")>]
    let broadcastable (a: int[]) (b: int[]) =
        Args.notNull "ShapeGen.broadcastable" "a" a
        Args.notNull "ShapeGen.broadcastable" "b" b
        let r = max a.Length b.Length

        let at (s: int[]) i =
            if i < r - s.Length then 1 else s[i - (r - s.Length)]

        Seq.forall (fun i -> let p, q = at a i, at b i in p = q || p = 1 || q = 1) (seq { 0 .. r - 1 })

    let private maxRankFor size = min 4 (1 + size / 10)
    let private maxDimFor size = min 4 (2 + size / 30)

    /// Shrinks the largest dimension until the shape holds at most maxElements.
    let private fit (shape: int[]) =
        let s = Array.copy shape

        while count s > maxElements do
            let i = Array.IndexOf(s, Array.max s)
            s[i] <- s[i] - 1

        s

    /// <summary>A dimension up to <paramref name="maxDim"/>: 1 about a third of the time, for broadcasting.</summary>
    /// <example><code>ShapeGen.dim 4 // 1, 2, 3 or 4</code></example>
    [<CompiledName("Dim")>]
    let dim (maxDim: int) =
        if maxDim <= 1 then
            Gen.constant 1
        else
            Gen.frequency [ 3, Gen.constant 1; 7, Gen.choose (2, maxDim) ]

    /// <summary>Shapes of exactly rank r, dimensions growing with FsCheck's size.</summary>
    /// <example><code>
    /// Gen.sample 3 (ShapeGen.ofRank 2) // e.g. [| [| 2; 1 |]; [| 3; 3 |]; [| 1; 4 |] |]
    /// </code></example>
    [<CompiledName("OfRank")>]
    let ofRank (rank: int) : Gen<int[]> =
        Gen.sized (fun size -> Gen.arrayOfLength rank (dim (maxDimFor size)) |> Gen.map fit)

    /// <summary>Shapes of rank 0 to 4 (the rank and dimensions grow with FsCheck's size), at most 64
    /// elements.</summary>
    /// <example><code>Gen.sample 3 ShapeGen.shape</code></example>
    [<CompiledName("Shape")>]
    let shape: Gen<int[]> =
        Gen.sized (fun size -> Gen.choose (0, maxRankFor size) |> Gen.bind ofRank)

    /// <summary>
    /// Two shapes that broadcast together: from one shape, each operand keeps a suffix of its dimensions with
    /// some set to 1 (so scalars, rows against columns and equal shapes all occur).
    /// </summary>
    /// <example><code>
    /// Gen.sample 3 ShapeGen.broadcastPair
    /// // e.g. [| ([| 3; 1 |], [| 4 |]); ([||], [| 2 |]); ([| 2; 2 |], [| 2; 2 |]) |]
    /// </code></example>
    [<CompiledName("BroadcastPair")>]
    let broadcastPair: Gen<int[] * int[]> =
        let operand (full: int[]) =
            gen {
                let! keep = Gen.choose (0, full.Length)

                let! ones =
                    Gen.arrayOfLength keep (Gen.frequency [ 3, Gen.constant true; 7, Gen.constant false ])

                let suffix = full[full.Length - keep ..]
                return Array.map2 (fun d one -> if one then 1 else d) suffix ones
            }

        gen {
            let! full = shape
            let! a = operand full
            let! b = operand full
            let! swap = Gen.elements [ false; true ]
            // One operand keeps the full rank most of the time, as in x + bias.
            let! whole = Gen.frequency [ 2, Gen.constant false; 3, Gen.constant true ]
            let a = if whole then full else a
            return if swap then b, a else a, b
        }

/// <summary>Tensors for property tests, with values drawn from a <see cref="T:FuncGrad.Testing.Domain"/>.</summary>
/// <example><code>Gen.sample 1 (TensorGen.ofShape Domain.positive [| 2; 2 |])</code></example>
[<RequireQualifiedAccess>]
module TensorGen =
    /// <summary>Tensors of a shape and dtype, values uniform in the domain.</summary>
    /// <example><code>TensorGen.ofShapeIn DType.Float32 Domain.real [| 3 |]</code></example>
    [<CompiledName("OfShapeIn")>]
    let ofShapeIn (dtype: DType) (domain: Domain) (shape: int[]) : Gen<Tensor> =
        Args.notNullAs "TensorGen.ofShapeIn" "domain" Args.domain domain
        Args.notNull "TensorGen.ofShapeIn" "shape" shape

        Gen.choose (0, Int32.MaxValue - 1)
        |> Gen.map (fun seed ->
            let rng = Random seed
            Tensor.FromArray(Array.init (ShapeGen.count shape) (fun _ -> Domain.draw rng domain), shape).ToDType dtype)

    /// <summary>float64 tensors of a shape, values uniform in the domain.</summary>
    /// <example><code>TensorGen.ofShape Domain.real [| 2; 3 |]</code></example>
    [<CompiledName("OfShape")>]
    let ofShape (domain: Domain) (shape: int[]) =
        Args.notNullAs "TensorGen.ofShape" "domain" Args.domain domain
        Args.notNull "TensorGen.ofShape" "shape" shape
        ofShapeIn DType.Float64 domain shape

    /// <summary>float64 tensors of any generated shape (<c>ShapeGen.shape</c>), values in the domain.</summary>
    /// <example><code>TensorGen.tensor Domain.positive</code></example>
    [<CompiledName("Tensor")>]
    let tensor (domain: Domain) =
        Args.notNullAs "TensorGen.tensor" "domain" Args.domain domain
        ShapeGen.shape |> Gen.bind (ofShape domain)

/// <summary>
/// Shrinkers: a failing case is reported on the smallest tensors that still fail. Shapes shrink first, then values
/// become simpler, never leaving the domain.
/// </summary>
/// <remarks>
/// Shapes shrink first (a dimension size shared by several arguments shrinks in all of them at once, so matching
/// dimensions stay matched; then axes are dropped; then single dimensions become 1, halve or lose one), then values
/// become simpler (all zeros, then 0, ±1, integers, fewer decimals, element by element), never leaving the domain.
/// </remarks>
/// <example><code>
/// Shrink.shape [| 2; 3 |] |> List.ofSeq // [[| 3 |]; [| 2 |]; [| 1; 3 |]; [| 2; 1 |]; [| 2; 2 |]]
/// </code></example>
[<RequireQualifiedAccess>]
module Shrink =
    let private shapeOf (t: Tensor) = Seq.toArray t.Shape

    /// The first m entries along an axis.
    let private take (axis: int) (m: int) (t: Tensor) = t.Slice(axis, 0, m).Detach()

    /// The tensor without an axis (its first slice along it).
    let private drop (axis: int) (t: Tensor) =
        (if t.Shape[axis] > 1 then take axis 1 t else t).Squeeze(Nullable axis).Detach()

    /// Smaller sizes for a dimension of n: 1, half, one less.
    let private smaller (n: int) =
        [ 1; n / 2; n - 1 ] |> List.distinct |> List.filter (fun m -> m >= 1 && m < n)

    /// <summary>Smaller shapes: each axis removed, then each dimension made 1, halved, or one less.</summary>
    /// <example><code>Shrink.shape [| 4 |] |> List.ofSeq // [[||]; [| 1 |]; [| 2 |]; [| 3 |]]</code></example>
    [<CompiledName("Shape")>]
    let shape (s: int[]) : seq<int[]> =
        Args.notNull "Shrink.shape" "s" s

        seq {
            for a in 0 .. s.Length - 1 do
                yield Array.removeAt a s

            for a in 0 .. s.Length - 1 do
                for m in smaller s[a] -> Array.updateAt a m s
        }

    /// <summary>Simpler values for one tensor in a domain: all zeros, all simplest, then element by element.</summary>
    /// <example><code>
    /// Shrink.values Domain.real (Tensor.ofList [ 2.7 ]) // tensor([0.]), tensor([1.]), tensor([3.])
    /// </code></example>
    [<CompiledName("Values")>]
    let values (domain: Domain) (t: Tensor) : seq<Tensor> =
        Args.notNullAs "Shrink.values" "domain" Args.domain domain
        Args.notNull "Shrink.values" "t" t
        let a = t.ToArray()

        let build (v: float[]) =
            Tensor.FromArray(v, shapeOf t).ToDType t.DType

        let simpler = Domain.simplerIn t.DType domain

        seq {
            if domain.ShrinkValues then
                let zeros = Array.zeroCreate a.Length
                let allZero = domain.Contains 0.0 && a |> Array.exists ((<>) 0.0)

                if allZero then
                    yield build zeros

                let simplest =
                    a
                    |> Array.map (fun x ->
                        match simpler x with
                        | y :: _ -> y
                        | [] -> x)

                if simplest <> a && not (allZero && simplest = zeros) then
                    yield build simplest

                for i in 0 .. a.Length - 1 do
                    for y in simpler a[i] -> build (Array.updateAt i y a)
        }

    /// <summary>
    /// Smaller cases for the arguments of one function: joint and single shape shrinks that
    /// <paramref name="accepts"/> allows (it sees the candidate shapes), then simpler values per argument.
    /// </summary>
    /// <example><code>
    /// Shrink.tensors [ Domain.real; Domain.real ] (fun [ a; b ] -> ShapeGen.broadcastable a b) [ x; y ]
    /// </code></example>
    [<CompiledName("Tensors")>]
    let tensors (domains: Domain list) (accepts: int[] list -> bool) (ts: Tensor list) : seq<Tensor list> =
        Args.notNullAs "Shrink.tensors" "domains" Args.domain domains
        Args.notNull "Shrink.tensors" "accepts" accepts
        Args.notNull "Shrink.tensors" "ts" ts
        let ok (c: Tensor list) = accepts (c |> List.map shapeOf)

        let replace j (t: Tensor) =
            ts |> List.mapi (fun i u -> if i = j then t else u)

        let sizes =
            ts
            |> List.collect (shapeOf >> List.ofArray)
            |> List.filter (fun n -> n > 1)
            |> List.distinct
            |> List.sortDescending
        // Every axis of size n, in every argument, cut to m: keeps matched dimensions (matmul's k) matched.
        let cutAll n m =
            ts
            |> List.map (fun t ->
                shapeOf t
                |> Array.indexed
                |> Array.fold (fun (u: Tensor) (a, d) -> if d = n then take a m u else u) t)

        seq {
            for n in sizes do
                for m in smaller n do
                    let c = cutAll n m

                    if ok c then
                        yield c

            for j, t in List.indexed ts do
                for a in 0 .. t.Rank - 1 do
                    let c = replace j (drop a t)

                    if ok c then
                        yield c

            for j, t in List.indexed ts do
                for a in 0 .. t.Rank - 1 do
                    for m in smaller t.Shape[a] do
                        let c = replace j (take a m t)

                        if ok c then
                            yield c

            for j, (t, d) in List.indexed (List.zip ts domains) do
                for v in values d t -> replace j v
        }

/// <summary>
/// FsCheck arbitraries (generator and shrinker) for tensors: use them with <c>Prop.forAll</c>, or through
/// <c>GradCheck.property</c>. Everything is float64 unless a function says otherwise.
/// </summary>
/// <example><code>Prop.forAll (TensorArb.tensor Domain.real) (fun x -> (x * 0.0).Sum().Item() = 0.0)</code></example>
[<RequireQualifiedAccess>]
module TensorArb =
    /// <summary>Shapes (rank 0–4, small, size-1 dimensions often) that shrink to fewer and smaller
    /// dimensions.</summary>
    /// <example><code>Prop.forAll TensorArb.shape (fun s -> ShapeGen.count s &lt;= 64)</code></example>
    [<CompiledName("Shape")>]
    let shape: Arbitrary<int[]> = Arb.fromGenShrink (ShapeGen.shape, Shrink.shape)

    /// <summary>
    /// Argument lists for a function of several tensors: shapes from <paramref name="shapes"/>, values from one
    /// domain per argument in the given dtype, shrinking to candidates whose shapes <paramref name="accepts"/> allows.
    /// </summary>
    /// <example><code>
    /// TensorArb.tensorsIn
    ///     DType.Float64
    ///     [ Domain.real; Domain.real ]
    ///     (Gen.constant [ [| 3; 4 |]; [| 4; 2 |] ])
    ///     (TensorArb.accepting (fun [ a; b ] -> a.MatMul b))
    /// </code></example>
    [<CompiledName("TensorsIn")>]
    let tensorsIn
        (dtype: DType)
        (domains: Domain list)
        (shapes: Gen<int[] list>)
        (accepts: int[] list -> bool)
        : Arbitrary<Tensor list> =
        Args.notNullAs "TensorArb.tensorsIn" "domains" Args.domain domains
        Args.notNullAs "TensorArb.tensorsIn" "shapes" "a generator (Gen)" shapes
        Args.notNull "TensorArb.tensorsIn" "accepts" accepts

        let generate =
            shapes
            |> Gen.bind (fun ss ->
                if ss.Length <> domains.Length then
                    invalidArg
                        "shapes"
                        ($"TensorArb.tensorsIn: {ss.Length} shapes for {domains.Length} domains; "
                         + "give one shape per domain")

                List.map2 (TensorGen.ofShapeIn dtype) domains ss |> Gen.sequenceToList)

        Arb.fromGenShrink (generate, Shrink.tensors domains accepts)

    /// <summary>
    /// Whether f accepts arguments of these shapes (it is run once on tensors of 0.5): the natural
    /// <c>accepts</c> for <c>tensorsIn</c>, so shrinking never proposes shapes the function rejects.
    /// </summary>
    /// <example><code>
    /// TensorArb.accepting (fun [ a; b ] -> a.MatMul b) [ [| 2; 3 |]; [| 3; 1 |] ] // true
    /// </code></example>
    [<CompiledName("Accepting")>]
    let accepting (f: Tensor list -> 'R) : int[] list -> bool =
        Args.notNull "TensorArb.accepting" "f" f

        fun shapes ->
            try
                f (shapes |> List.map (fun s -> Tensor.Full(s, 0.5))) |> ignore
                true
            with _ ->
                false

    /// <summary>float64 tensors of any shape (<c>ShapeGen.shape</c>) in the domain; shrinks shapes and
    /// values.</summary>
    /// <example><code>
    /// Prop.forAll (TensorArb.tensor Domain.positive) (fun x -> (Tensor.sqrt x * Tensor.sqrt x).AllClose x)
    /// </code></example>
    [<CompiledName("Tensor")>]
    let tensor (domain: Domain) : Arbitrary<Tensor> =
        Args.notNullAs "TensorArb.tensor" "domain" Args.domain domain

        tensorsIn DType.Float64 [ domain ] (ShapeGen.shape |> Gen.map List.singleton) (fun _ -> true)
        |> Arb.convert List.head List.singleton

    /// <summary>float64 tensors of one fixed shape in the domain; shrinks values only.</summary>
    /// <example><code>TensorArb.ofShape Domain.real [| 2; 2 |]</code></example>
    [<CompiledName("OfShape")>]
    let ofShape (domain: Domain) (shape: int[]) : Arbitrary<Tensor> =
        Args.notNullAs "TensorArb.ofShape" "domain" Args.domain domain
        Args.notNull "TensorArb.ofShape" "shape" shape

        tensorsIn DType.Float64 [ domain ] (Gen.constant [ shape ]) (fun ss -> ss = [ shape ])
        |> Arb.convert List.head List.singleton

    /// <summary>Pairs of float64 tensors with broadcast-compatible shapes (<c>ShapeGen.broadcastPair</c>), shrinking as
    /// a pair.</summary>
    /// <example><code>
    /// Prop.forAll (TensorArb.broadcastPair Domain.real Domain.real) (fun (a, b) -> (a + b).AllClose(b + a))
    /// </code></example>
    [<CompiledName("BroadcastPair")>]
    let broadcastPair (domainA: Domain) (domainB: Domain) : Arbitrary<Tensor * Tensor> =
        Args.notNullAs "TensorArb.broadcastPair" "domainA" Args.domain domainA
        Args.notNullAs "TensorArb.broadcastPair" "domainB" Args.domain domainB

        let pair =
            function
            | [ a; b ] -> a, b
            | ts -> invalidArg "ts" $"expected two tensors, got {List.length ts}"

        tensorsIn
            DType.Float64
            [ domainA; domainB ]
            (ShapeGen.broadcastPair |> Gen.map (fun (a, b) -> [ a; b ]))
            (function
             | [ a; b ] -> ShapeGen.broadcastable a b
             | _ -> false)
        |> Arb.convert pair (fun (a, b) -> [ a; b ])
