namespace FuncGrad

open System

/// The F# function that compile returns: it keeps the compiled delegate, so explain can find its program.
type internal CompiledFunction(compiled: Func<Tensor, Tensor>) =
    inherit FSharpFunc<Tensor, Tensor>()
    member _.Compiled = compiled
    override _.Invoke x = compiled.Invoke x

/// The F# function that compileOf returns: it keeps the compiled function and the signature's key, so explainOf can
/// find its program.
type internal CompiledOfFunction<'P, 'R>(run: 'P -> 'R, compiled: Compiled, key: 'P -> obj) =
    inherit FSharpFunc<'P, 'R>()
    member _.Compiled = compiled
    member _.Key p = key p
    override _.Invoke p = run p

/// A structure's shape for compileOf: the structure with every tensor replaced by one placeholder, compared
/// structurally, so the numbers and strings a structure carries are part of the signature as its tensors' shapes are.
[<CustomEquality; NoComparison>]
type private Skeleton =
    | Skeleton of obj

    override s.Equals(other) =
        match s, other with
        | Skeleton a, (:? Skeleton as o) ->
            let (Skeleton b) = o
            LanguagePrimitives.GenericEquality a b
        | _ -> false

    override s.GetHashCode() =
        let (Skeleton a) = s
        LanguagePrimitives.GenericHash a

/// <summary>
/// compile: trace a function once per signature (its inputs' shapes and dtypes) into a program, then run the program,
/// bitwise equal to the function; C# calls <c>Autodiff.Compile</c>, which these wrap.
/// </summary>
/// <example><code>
/// let g = compile (grad (fun x -> Tensor.sum (x * x)))
/// g (Tensor.ofList [ 1.0; 2.0 ]) // tensor([2., 4.], dtype=float64)
/// </code></example>
[<AutoOpen>]
module Compile =
    let private placeholder = Tensor.Scalar 0.0

    /// <summary>
    /// f compiled: the first call with a signature (x's shape and dtype) traces f into a program; every call runs the
    /// program, which gives f's results bit for bit.
    /// </summary>
    /// <remarks>
    /// The trace runs f on a tensor without values, and the program has dead code removed, repeated computations
    /// shared and constants folded. Tensors f captures are baked in. Reading a traced value (item, toArray,
    /// equality) raises CompileException: keep data-dependent choices as <c>Tensor.where</c>. <c>compile (grad f)</c>
    /// traces both passes; <c>grad (compile f)</c>, <c>jvp</c>, <c>vmap</c> of it and nested compile are
    /// transparent: on a tensor of an outer transformation, or where f captures one, the compiled function runs f
    /// itself. Up to 32 signatures are kept; safe to call from many threads at once.
    /// </remarks>
    /// <example><code>
    /// let f = compile (fun x -> tanh (x * 2.0) + 1.0)
    /// f (scalar 0.0) // tensor(1., dtype=float64)
    /// </code></example>
    let compile (f: Tensor -> Tensor) : Tensor -> Tensor =
        Args.notNull "compile" "f" f
        // F# types the subclass apart from its function type, though it is one: a cast makes it that type.
        unbox<Tensor -> Tensor>(box (CompiledFunction(Autodiff.Compile(Func<Tensor, Tensor> f))))

    /// <summary>
    /// compile for a function of a structure to a structure (tuples, lists, arrays, Maps, records, as <c>gradOf</c>
    /// accepts).
    /// </summary>
    /// <remarks>
    /// Its tensors are traced, and the rest of the structure (numbers, strings, list lengths, Map keys,
    /// <c>Static</c> parts) is part of the signature, so a changed number traces again. A number in an F# record or
    /// tuple cannot hold a traced value, so a number that changes from call to call (a step count) belongs in a
    /// one-element tensor, as <c>Optim.adam</c>'s state holds its step: then the function is traced once. A function
    /// traced a tenth time warns once, naming the part of the signature that changed.
    /// </remarks>
    /// <example><code>
    /// let step = compileOf (fun (w: Tensor, x: Tensor) -> w - 0.1 * grad (fun w -> Tensor.sum (w * x)) w)
    /// step (Tensor.ones [| 2 |], Tensor.ofList [ 1.0; 2.0 ]) // tensor([0.9000, 0.8000], dtype=float64)
    /// </code></example>
    let compileOf (f: 'P -> 'R) : 'P -> 'R =
        Args.notNull "compileOf" "f" f

        let run (xs: Tensor[]) (key: obj) =
            let (Skeleton template) = key :?> Skeleton
            let r = f (Tree.rebuild (template :?> 'P) xs)
            struct (Tree.leaves r |> Array.ofList, box (Tree.map (fun _ -> placeholder) r))

        let parts (xs: Tensor[]) (key: obj) =
            let (Skeleton template) = key :?> Skeleton
            Tree.parts template xs :> Collections.Generic.IReadOnlyList<_>

        let compiled = Compiled(Func<_, _, _> run, "compileOf", Func<_, _, _> parts)

        let key (p: 'P) =
            box (Skeleton(box (Tree.map (fun _ -> placeholder) p)))

        let call p =
            Args.notNullAs "compileOf" "p" Args.tree p
            let struct (ys, aux) = compiled.Run(Tree.leaves p |> Array.ofList, key p)
            Tree.rebuild (aux :?> 'R) ys

        unbox<'P -> 'R>(box (CompiledOfFunction(call, compiled, key)))

    /// <summary>
    /// The program a function made by <c>compile</c> runs for x's signature, as a listing.
    /// </summary>
    /// <remarks>
    /// The listing holds the inputs, constants, one line per step (op, arguments, result shape and dtype), outputs,
    /// and how many recorded steps were shared or removed. Traces first if the signature is new; x's values are not
    /// read.
    /// </remarks>
    /// <example><code>
    /// let f = compile (fun x -> Tensor.sum (x * x))
    /// printfn "%s" (explain f (Tensor.zeros [| 3 |])) // %1 = Mul(%0, %0) : [3] float64 ...
    /// </code></example>
    let explain (compiled: Tensor -> Tensor) (x: Tensor) : string =
        Args.notNull "explain" "compiled" compiled
        Args.notNull "explain" "x" x

        match box compiled with
        | :? CompiledFunction as c -> Autodiff.Explain(c.Compiled, x)
        | :? CompiledOfFunction<Tensor, Tensor> as c -> c.Compiled.Explain([| x |], c.Key x)
        | _ ->
            invalidArg
                "compiled"
                ("explain: the function was not made by compile; pass the compiled function itself "
                 + "(explainOf for compileOf)")

    /// <summary>
    /// <c>explain</c> for a function made by <c>compileOf</c>: the program it runs for p's signature, traced first if
    /// the signature is new (p's values only serve to find each step's shape).
    /// </summary>
    /// <example><code>
    /// let step = compileOf (fun (a: Tensor, b: Tensor) -> a * b, a + b)
    /// printfn "%s" (explainOf step (Tensor.zeros [| 3 |], Tensor.zeros [| 3 |])) // %2 = Mul(%0, %1) : [3] float64 ...
    /// </code></example>
    let explainOf (compiled: 'P -> 'R) (p: 'P) : string =
        Args.notNull "explainOf" "compiled" compiled
        Args.notNullAs "explainOf" "p" Args.tree p

        match box compiled with
        | :? CompiledOfFunction<'P, 'R> as c -> c.Compiled.Explain(Tree.leaves p |> Array.ofList, c.Key p)
        | :? CompiledFunction as c when typeof<'P> = typeof<Tensor> ->
            Autodiff.Explain(c.Compiled, unbox<Tensor>(box p))
        | _ ->
            invalidArg
                "compiled"
                "explainOf: the function was not made by compileOf (or compile); pass the compiled function itself"
