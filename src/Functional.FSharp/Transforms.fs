namespace FuncGrad

open System
open System.Collections.Generic

/// A custom rule marked by onceDifferentiable: the rule itself, recognised by the custom functions.
type internal OnceDifferentiableRule(rule: Tensor -> Tensor -> Tensor -> Tensor) =
    inherit FSharpFunc<Tensor, Tensor -> Tensor -> Tensor>()
    override _.Invoke x = rule x

/// <summary>
/// Function transformations in the style of JAX, function first and point last. Each one nests with
/// every other to any order (<c>grad (grad f)</c>, <c>jacfwd (jacrev f)</c>, <c>diffn 7 tanh</c>), and
/// differentiations never confuse each other's perturbations.
/// </summary>
/// <remarks>
/// They are thin wrappers over <see cref="T:FuncGrad.Autodiff"/>, which C# calls directly: one implementation for
/// both languages.
/// </remarks>
/// <example><code>grad (grad (fun x -> x * x * x)) (scalar 2.0) // tensor(12., dtype=float64)</code></example>
[<AutoOpen>]
module Transforms =
    let private fn (f: Tensor -> Tensor) = Func<Tensor, Tensor> f

    /// <summary>The gradient of f, which must return one element (a clear error suggests <c>jacobian</c>
    /// otherwise).</summary>
    /// <example><code>grad (fun x -> x * x) (scalar 3.0) // tensor(6., dtype=float64)</code></example>
    let grad (f: Tensor -> Tensor) (x: Tensor) : Tensor =
        Args.notNull "grad" "f" f
        Args.notNull "grad" "x" x
        Autodiff.Grad(fn f, x)

    /// <summary>f(x) and its gradient, from one forward and one backward pass.</summary>
    /// <example><code>valueAndGrad (fun x -> x * x) (scalar 3.0) // (tensor(9., ...), tensor(6., ...))</code></example>
    let valueAndGrad (f: Tensor -> Tensor) (x: Tensor) : Tensor * Tensor =
        Args.notNull "valueAndGrad" "f" f
        Args.notNull "valueAndGrad" "x" x
        let struct (v, g) = Autodiff.ValueAndGrad(fn f, x)
        v, g

    /// <summary>f(x) and its pullback u ↦ uᵀJ; the pullback can be called many times without rerunning f.</summary>
    /// <example><code>
    /// let y, back = vjp (fun x -> x * x) (Tensor.ofList [ 1.0; 2.0 ])
    /// back (Tensor.ofList [ 1.0; 1.0 ]) // tensor([2., 4.], ...)
    /// </code></example>
    let vjp (f: Tensor -> Tensor) (x: Tensor) : Tensor * (Tensor -> Tensor) =
        Args.notNull "vjp" "f" f
        Args.notNull "vjp" "x" x
        let struct (v, back) = Autodiff.Vjp(fn f, x)
        v, back.Invoke

    /// <summary>f(x) and the directional derivative J·v, by native forward mode.</summary>
    /// <example><code>
    /// jvp (fun x -> x * x) (scalar 3.0) (scalar 1.0) // (tensor(9., ...), tensor(6., ...))
    /// </code></example>
    let jvp (f: Tensor -> Tensor) (x: Tensor) (v: Tensor) : Tensor * Tensor =
        Args.notNull "jvp" "f" f
        Args.notNull "jvp" "x" x
        Args.notNull "jvp" "v" v
        let struct (y, t) = Autodiff.Jvp(fn f, x, v)
        y, t

    /// <summary>The derivative of a function of one element (any output shape), by forward mode.</summary>
    /// <example><code>diff sin (scalar 0.0) // tensor(1., dtype=float64)</code></example>
    let diff (f: Tensor -> Tensor) (x: Tensor) : Tensor =
        Args.notNull "diff" "f" f
        Args.notNull "diff" "x" x
        Autodiff.Diff(fn f, x)

    /// <summary>The n-th derivative of a function of one element.</summary>
    /// <example><code>diffn 7 tanh (scalar 0.0) // tensor(-272., dtype=float64)</code></example>
    let diffn (n: int) (f: Tensor -> Tensor) (x: Tensor) : Tensor =
        Args.notNull "diffn" "f" f
        Args.notNull "diffn" "x" x
        Autodiff.DiffN(n, fn f, x)

    /// <summary>The Jacobian by reverse mode; shape = output shape @ input shape.</summary>
    /// <example><code>
    /// jacrev (fun x -> x * x) (Tensor.ofList [ 1.0; 2.0 ]) // tensor([[2., 0.], [0., 4.]], ...)
    /// </code></example>
    let jacrev (f: Tensor -> Tensor) (x: Tensor) : Tensor =
        Args.notNull "jacrev" "f" f
        Args.notNull "jacrev" "x" x
        Autodiff.JacRev(fn f, x)

    /// <summary>The Jacobian by forward mode; shape = output shape @ input shape.</summary>
    /// <example><code>
    /// jacfwd (fun x -> x * x) (Tensor.ofList [ 1.0; 2.0 ]) // tensor([[2., 0.], [0., 4.]], ...)
    /// </code></example>
    let jacfwd (f: Tensor -> Tensor) (x: Tensor) : Tensor =
        Args.notNull "jacfwd" "f" f
        Args.notNull "jacfwd" "x" x
        Autodiff.JacFwd(fn f, x)

    /// <summary>The Jacobian, by forward mode when the input is no larger than the output, reverse otherwise.</summary>
    /// <example><code>
    /// jacobian (fun x -> x * 3.0) (Tensor.ofList [ 1.0; 2.0 ]) // tensor([[3., 0.], [0., 3.]], ...)
    /// </code></example>
    let jacobian (f: Tensor -> Tensor) (x: Tensor) : Tensor =
        Args.notNull "jacobian" "f" f
        Args.notNull "jacobian" "x" x
        Autodiff.Jacobian(fn f, x)

    /// <summary>The Hessian, forward over reverse (jacfwd of jacrev, as JAX's): shape = output shape @ input shape @
    /// input shape, so input shape @ input shape for a scalar f, and one Hessian per element of a vector f.</summary>
    /// <example><code>
    /// hessian (fun x -> (x * x * x).Sum()) (Tensor.ofList [ 1.0; 2.0 ]) // tensor([[6., 0.], [0., 12.]], ...)
    /// </code></example>
    let hessian (f: Tensor -> Tensor) (x: Tensor) : Tensor =
        Args.notNull "hessian" "f" f
        Args.notNull "hessian" "x" x
        Autodiff.Hessian(fn f, x)

    /// <summary>The Hessian-vector product H·v without forming H.</summary>
    /// <example><code>
    /// hvp (fun x -> (x * x).Sum()) (Tensor.ofList [ 1.0; 2.0 ]) (Tensor.ofList [ 1.0; 0.0 ]) // tensor([2., 0.], ...)
    /// </code></example>
    let hvp (f: Tensor -> Tensor) (x: Tensor) (v: Tensor) : Tensor =
        Args.notNull "hvp" "f" f
        Args.notNull "hvp" "x" x
        Args.notNull "hvp" "v" v
        Autodiff.Hvp(fn f, x, v)

    /// <summary>The same value with no derivative at any level of nesting.</summary>
    /// <example><code>grad (fun x -> x * stopGradient x) (scalar 3.0) // tensor(3., dtype=float64)</code></example>
    let stopGradient (x: Tensor) : Tensor =
        Args.notNull "stopGradient" "x" x
        x.Detach()

    /// <summary>
    /// f(x), keeping none of f's intermediates: the backward pass recomputes them. Same gradients, less memory.
    /// </summary>
    /// <remarks>f may only differentiate through x; for a block with parameters use <c>checkpointOf</c>.</remarks>
    /// <example><code>
    /// grad (checkpoint (fun x -> sin (sin x))) (scalar 0.0) // tensor(1., dtype=float64)
    /// </code></example>
    let checkpoint (f: Tensor -> Tensor) (x: Tensor) : Tensor =
        Args.notNull "checkpoint" "f" f
        Args.notNull "checkpoint" "x" x
        Autodiff.Checkpoint(fn f, x)

    let private once (rules: obj list) =
        rules |> List.exists (fun r -> r :? OnceDifferentiableRule)

    /// <summary>
    /// Marks a custom rule (for <c>customVjp</c>, <c>customJvp</c>, <c>customRules</c>) as once-differentiable, as
    /// PyTorch's <c>once_differentiable</c> does: the rule may compute on .NET arrays (<c>Tensor.toArray</c>), and
    /// differentiating through it again (a Hessian, grad of grad) is an error instead of a silently wrong answer.
    /// </summary>
    /// <remarks>Without it, a rule that reads values works at first order, and a read that would drop a higher
    /// derivative throws, naming the rule and the tensor read.</remarks>
    /// <example><code>
    /// let threeSquares x = Tensor.ofArray (Array.map (fun v -> 3.0 * v * v) (Tensor.toArray x))
    /// let cube = customVjp (fun x -> x * x * x) (onceDifferentiable (fun x _ g -> g * threeSquares x))
    /// </code></example>
    let onceDifferentiable (rule: Tensor -> Tensor -> Tensor -> Tensor) : Tensor -> Tensor -> Tensor -> Tensor =
        Args.notNull "onceDifferentiable" "rule" rule
        // F# types the subclass apart from its function type, though it is one: a cast makes it that type.
        unbox<Tensor -> Tensor -> Tensor -> Tensor>(box (OnceDifferentiableRule rule))

    /// <summary>
    /// f with a reverse rule of your own: <c>rule x y g</c> returns the cotangent of x given the output y and its
    /// cotangent g.
    /// </summary>
    /// <remarks>Forward mode through it is derived from the rule. Written with FuncGrad ops, it nests.</remarks>
    /// <example><code>
    /// let softplus = customVjp (fun x -> log (1.0 + exp x)) (fun x _ g -> g * Tensor.sigmoid x)
    /// </code></example>
    let customVjp (f: Tensor -> Tensor) (rule: Tensor -> Tensor -> Tensor -> Tensor) (x: Tensor) : Tensor =
        Args.notNull "customVjp" "f" f
        Args.notNull "customVjp" "rule" rule
        Args.notNull "customVjp" "x" x

        Autodiff.Custom(
            "customVjp",
            (fun xs -> f xs[0]),
            [| x |],
            vjp = (fun g xs y -> [| rule xs[0] y g |]),
            onceDifferentiable = once [ rule ]
        )

    /// <summary>
    /// f with a forward rule of your own: <c>rule x y dx</c> returns the output tangent for the input tangent dx.
    /// </summary>
    /// <remarks>Reverse mode through it transposes the rule. Written with FuncGrad ops, it nests.</remarks>
    /// <example><code>
    /// let softplus = customJvp (fun x -> log (1.0 + exp x)) (fun x _ dx -> dx * Tensor.sigmoid x)
    /// </code></example>
    let customJvp (f: Tensor -> Tensor) (rule: Tensor -> Tensor -> Tensor -> Tensor) (x: Tensor) : Tensor =
        Args.notNull "customJvp" "f" f
        Args.notNull "customJvp" "rule" rule
        Args.notNull "customJvp" "x" x

        Autodiff.Custom(
            "customJvp",
            (fun xs -> f xs[0]),
            [| x |],
            jvp =
                (fun dx xs y ->
                    match dx[0] with
                    | null -> Tensor.ZerosLike y
                    | d -> rule xs[0] y d),
            onceDifferentiable = once [ rule ]
        )

    /// <summary>f with both rules of your own: each mode uses its own rule, and every nesting order works.</summary>
    /// <example><code>
    /// let sq = customRules (fun x -> x * x) (fun x _ g -> 2.0 * x * g) (fun x _ dx -> 2.0 * x * dx)
    /// </code></example>
    let customRules
        (f: Tensor -> Tensor)
        (vjpRule: Tensor -> Tensor -> Tensor -> Tensor)
        (jvpRule: Tensor -> Tensor -> Tensor -> Tensor)
        (x: Tensor)
        : Tensor =
        Args.notNull "customRules" "f" f
        Args.notNull "customRules" "vjpRule" vjpRule
        Args.notNull "customRules" "jvpRule" jvpRule
        Args.notNull "customRules" "x" x

        Autodiff.Custom(
            "custom",
            (fun xs -> f xs[0]),
            [| x |],
            vjp = (fun g xs y -> [| vjpRule xs[0] y g |]),
            jvp =
                (fun dx xs y ->
                    match dx[0] with
                    | null -> Tensor.ZerosLike y
                    | d -> jvpRule xs[0] y d),
            onceDifferentiable = once [ vjpRule; jvpRule ]
        )

    // ---- Structures of tensors: the same transforms over trees (see Tree) ----

    let private flatOut (ts: Tensor list) =
        match ts with
        | [ t ] -> t.Flatten()
        | _ -> Tensor.Concat(ts |> List.map (fun t -> t.Flatten()) |> Array.ofList)

    /// Splits a flat tensor back into tensors shaped like the leaves of a template.
    let private unflat (template: Tensor list) (flat: Tensor) =
        let mutable at = 0

        [
            for t in template ->
                let n = t.Count
                let part = flat.Slice(0, at, at + n).Reshape(Seq.toArray t.Shape)
                at <- at + n
                part
        ]

    let private call (f: 'P -> 'R) (template: 'P) (xs: IReadOnlyList<Tensor>) = f (Tree.rebuild template xs)

    /// <summary>
    /// <c>checkpoint</c> for a function of a structure, such as a block's input and its parameters: none of f's
    /// intermediates are kept, and the backward pass reruns f.
    /// </summary>
    /// <remarks>
    /// Every tensor f differentiates through must be in p; a tensor f merely captures cannot be tracked when f is
    /// rerun, and is reported as an error.
    /// </remarks>
    /// <example><code>let h = checkpointOf (fun (w, x) -> tanh (Tensor.matmul w x)) (w, x)</code></example>
    let checkpointOf (f: 'P -> Tensor) (p: 'P) : Tensor =
        Args.notNull "checkpointOf" "f" f
        Args.notNullAs "checkpointOf" "p" Args.tree p
        Autodiff.Checkpoint(Func<_, _>(call f p), Tree.leaves p |> Array.ofList)

    let private valueAndGradNamed (name: string) (f: 'P -> Tensor) (p: 'P) : Tensor * 'P =
        let struct (v, back) =
            Autodiff.Vjp(Func<_, _>(call f p), Tree.leaves p |> Array.ofList)

        if v.Count <> 1 then
            raise (
                NonScalarOutputException(
                    $"{name}: the function returned shape {v.Shape |> Seq.toList}; {name} needs a one-element output. "
                    + "Use vjpOf with a cotangent, or jacrevOf for the Jacobian"
                )
            )

        v, Tree.rebuild p (back.Invoke(Tensor.OnesLike v))

    /// <summary>
    /// f(p) and its gradient with respect to every tensor of the structure p (tuple, list, array, Map or
    /// record of tensors), returned in the same structure.
    /// </summary>
    /// <example><code>
    /// valueAndGradOf (fun (a, b) -> a * b) (scalar 2.0, scalar 5.0)
    /// // (tensor(10., ...), (tensor(5., ...), tensor(2., ...)))
    /// </code></example>
    let valueAndGradOf (f: 'P -> Tensor) (p: 'P) : Tensor * 'P =
        Args.notNull "valueAndGradOf" "f" f
        Args.notNullAs "valueAndGradOf" "p" Args.tree p
        valueAndGradNamed "valueAndGradOf" f p

    /// <summary>The gradient with respect to every tensor of a structure, in the same structure.</summary>
    /// <example><code>
    /// gradOf (fun m -> Map.find "w" m * 3.0) (Map [ "w", scalar 1.0 ]) // map [("w", tensor(3., ...))]
    /// </code></example>
    let gradOf (f: 'P -> Tensor) (p: 'P) : 'P =
        Args.notNull "gradOf" "f" f
        Args.notNullAs "gradOf" "p" Args.tree p
        snd (valueAndGradNamed "gradOf" f p)

    /// <summary>
    /// Like <c>valueAndGradOf</c> for a function that also returns auxiliary results (say, accuracy), computed in
    /// the same forward pass. Tensors in the auxiliary result come back as plain values.
    /// </summary>
    /// <example><code>
    /// let (loss, acc), grads = valueAndGradWithAux (fun p -> lossAndAccuracy p batch) parameters
    /// </code></example>
    let valueAndGradWithAux (f: 'P -> Tensor * 'A) (p: 'P) : (Tensor * 'A) * 'P =
        Args.notNull "valueAndGradWithAux" "f" f
        Args.notNullAs "valueAndGradWithAux" "p" Args.tree p
        let mutable aux = Unchecked.defaultof<'A>

        let loss, g =
            valueAndGradNamed
                "valueAndGradWithAux"
                (fun q ->
                    let l, a = f q in
                    aux <- a
                    l)
                p

        let aux =
            try
                Tree.map (fun t -> t.Detach()) aux
            with :? ArgumentException ->
                aux

        (loss, aux), g

    /// <summary>f(p) for structures in and out, and its pullback from output cotangents (shaped like f(p)) to input
    /// cotangents (shaped like p).</summary>
    /// <example><code>let y, back = vjpOf (fun (a, b) -> (a * b, a + b)) (scalar 2.0, scalar 3.0)</code></example>
    let vjpOf (f: 'P -> 'Q) (p: 'P) : 'Q * ('Q -> 'P) =
        Args.notNull "vjpOf" "f" f
        Args.notNullAs "vjpOf" "p" Args.tree p
        let mutable outTemplate = Unchecked.defaultof<'Q>

        let struct (flat, back) =
            Autodiff.Vjp(
                Func<_, _>(fun xs ->
                    let q = call f p xs in
                    outTemplate <- q
                    flatOut (Tree.leaves q)),
                Tree.leaves p |> Array.ofList
            )

        let template = Tree.leaves outTemplate
        let value = Tree.rebuild outTemplate (unflat template flat)
        value, (fun (u: 'Q) -> Tree.rebuild p (back.Invoke(flatOut (Tree.leaves u))))

    /// <summary>f(p) and its directional derivative along v (shaped like p), for structures in and out.</summary>
    /// <example><code>
    /// jvpOf (fun (a, b) -> a * b) (scalar 2.0, scalar 3.0) (scalar 1.0, scalar 0.0)
    /// // (tensor(6., ...), tensor(3., ...))
    /// </code></example>
    let jvpOf (f: 'P -> 'Q) (p: 'P) (v: 'P) : 'Q * 'Q =
        Args.notNull "jvpOf" "f" f
        Args.notNullAs "jvpOf" "p" Args.tree p
        Args.notNullAs "jvpOf" "v" Args.tree v
        let mutable outTemplate = Unchecked.defaultof<'Q>

        let struct (flat, tangent) =
            Autodiff.Jvp(
                Func<_, _>(fun xs ->
                    let q = call f p xs in
                    outTemplate <- q
                    flatOut (Tree.leaves q)),
                Tree.leaves p |> Array.ofList,
                Tree.leaves v |> Array.ofList
            )

        let template = Tree.leaves outTemplate
        Tree.rebuild outTemplate (unflat template flat), Tree.rebuild outTemplate (unflat template tangent)

    let private dims (t: Tensor) = Seq.toArray t.Shape

    /// The blocks of f's Jacobian by reverse mode, one per leaf: the pullbacks of every one-hot of y in one vmap.
    let private jacrevBlocks (y: Tensor) (back: Func<Tensor, Tensor[]>) (leaves: Tensor[]) =
        if y.Count = 0 then
            leaves
            |> Array.map (fun l -> Tensor.Zeros(Array.append (dims y) (dims l), l.DType).To(l.Device))
        else
            let basis =
                Tensor.Eye(y.Count, y.DType).To(y.Device).Reshape(Array.append [| y.Count |] (dims y))

            Autodiff.VmapCore(
                Func<Tensor[], Tensor[]>(fun u -> back.Invoke u[0]),
                [| basis |],
                [| Nullable 0 |],
                0,
                "jacrevOf"
            )
            |> Array.mapi (fun i rows -> rows.Reshape(Array.append (dims y) (dims leaves[i])))

    /// The blocks of f's Jacobian by forward mode: for each leaf, the JVPs along its one-hots in one vmap.
    let private jacfwdBlocks (f: IReadOnlyList<Tensor> -> Tensor) (y: Tensor) (leaves: Tensor[]) =
        leaves
        |> Array.mapi (fun j l ->
            let shape = Array.append (dims y) (dims l)

            if l.Count = 0 then
                Tensor.Zeros(shape, l.DType).To(l.Device)
            else
                let basis =
                    Tensor.Eye(l.Count, l.DType).To(l.Device).Reshape(Array.append [| l.Count |] (dims l))

                let along (e: Tensor) =
                    let vs = leaves |> Array.mapi (fun i x -> if i = j then e else Tensor.ZerosLike x)
                    let struct (_, t) = Autodiff.Jvp(Func<_, _> f, leaves, vs)
                    t

                Autodiff.Vmap(Func<_, _> along, basis, 0, -1).Reshape shape)

    let private jacobianOfWith (name: string) (mode: int) (f: 'P -> Tensor) (p: 'P) : 'P =
        Args.notNull name "f" f
        Args.notNullAs name "p" Args.tree p
        let leaves = Tree.leaves p |> Array.ofList
        let g = call f p
        let struct (y, back) = Autodiff.Vjp(Func<_, _> g, leaves)
        let n = leaves |> Array.sumBy (fun l -> l.Count)
        let forward = mode > 0 || (mode = 0 && n <= y.Count)

        Tree.rebuild
            p
            (if forward then
                 jacfwdBlocks g y leaves
             else
                 jacrevBlocks y back leaves)

    /// <summary>
    /// The Jacobian of f with respect to every tensor of the structure p, by reverse mode: shaped like p, each tensor
    /// of shape (f's output shape) @ (that tensor's shape). For a scalar f it is the gradient.
    /// </summary>
    /// <remarks>
    /// Reverse mode here is one forward pass, then the pullbacks of every output element in one batched pass.
    /// </remarks>
    /// <example><code>
    /// jacrevOf (fun (a, b) -> Tensor.stack [ a * b; a + b ]) (scalar 2.0, scalar 3.0)
    /// // (tensor([3., 1.], ...), tensor([2., 1.], ...))
    /// </code></example>
    let jacrevOf (f: 'P -> Tensor) (p: 'P) : 'P = jacobianOfWith "jacrevOf" -1 f p

    /// <summary>
    /// <c>jacrevOf</c> by forward mode: for each tensor of p, the JVPs along its elements in one batched pass. Cheaper
    /// when p has fewer elements than f's output.
    /// </summary>
    /// <example><code>
    /// jacfwdOf (fun (a, b) -> Tensor.stack [ a * b; a + b ]) (scalar 2.0, scalar 3.0)
    /// // (tensor([3., 1.], ...), tensor([2., 1.], ...))
    /// </code></example>
    let jacfwdOf (f: 'P -> Tensor) (p: 'P) : 'P = jacobianOfWith "jacfwdOf" 1 f p

    /// <summary><c>jacrevOf</c> or <c>jacfwdOf</c>, by forward mode when p has no more elements than f's output and
    /// by reverse mode otherwise.</summary>
    /// <example><code>
    /// jacobianOf (fun m -> Map.find "w" m * 3.0) (Map [ "w", Tensor.ofList [ 1.0; 2.0 ] ])
    /// // map [("w", tensor([[3., 0.], [0., 3.]], ...))]
    /// </code></example>
    let jacobianOf (f: 'P -> Tensor) (p: 'P) : 'P = jacobianOfWith "jacobianOf" 0 f p

    /// <summary>
    /// The Hessian of f with respect to every tensor of the structure p, as one matrix over p's elements flattened
    /// in order: shape [n; n] for a scalar f and n elements in all.
    /// </summary>
    /// <remarks>The order is the tensors in <c>Tree.leaves</c> order, each row-major; for a vector f the shape is
    /// (f's output shape) @ [n; n]. The tensors of p must share one dtype. The block of two tensors is a slice: rows
    /// and columns run over the first tensor's elements, then the second's, and so on. A single matrix is what a
    /// Newton step or a Laplace approximation needs.</remarks>
    /// <example><code>
    /// hessianOf (fun (a, b) -> a * a * b) (scalar 2.0, scalar 3.0) // tensor([[6., 4.], [4., 0.]], ...)
    /// </code></example>
    let hessianOf (f: 'P -> Tensor) (p: 'P) : Tensor =
        Args.notNull "hessianOf" "f" f
        Args.notNullAs "hessianOf" "p" Args.tree p
        let leaves = Tree.leaves p

        match leaves |> List.map (fun l -> l.DType) |> List.distinct with
        | [] -> invalidArg "p" "hessianOf: the structure holds no tensor; pass the tensors to differentiate"
        | [ _ ] -> Autodiff.Hessian(Func<_, _>(fun x -> f (Tree.rebuild p (unflat leaves x))), flatOut leaves)
        | dtypes ->
            raise (
                DTypeMismatchException(
                    $"hessianOf: the structure's tensors have dtypes {dtypes}; one Hessian matrix needs one dtype. "
                    + "Convert them with Tensor.toFloat64 (or toFloat32) first"
                )
            )

    // ---- vmap: a function written for one example, run on a whole batch in one pass ----

    /// <summary>
    /// Maps f, written for one example, over axis 0 of x in one batched pass, and stacks the results on axis 0.
    /// </summary>
    /// <remarks>
    /// Inside f, Shape and Rank are one example's; every op runs once on the whole batch. Values f captures are the
    /// same for every example. Nests with grad, jvp, vjp, the Jacobians and itself, in any order.
    /// </remarks>
    /// <example><code>
    /// let m = Tensor.ofArray2D (array2D [ [ 1.0; 2.0 ]; [ 3.0; 4.0 ] ])
    /// vmap (fun v -> Tensor.sum (v * v)) m // tensor([5., 25.], dtype=float64)
    /// </code></example>
    let vmap (f: Tensor -> Tensor) (x: Tensor) : Tensor =
        Args.notNull "vmap" "f" f
        Args.notNull "vmap" "x" x
        Autodiff.Vmap(fn f, x)

    /// <summary>vmap over axis <c>inAxis</c> of x, the results stacked on axis <c>outAxis</c> (negative axes count from
    /// the end).</summary>
    /// <example><code>
    /// vmapAxes 1 -1 (fun c -> c * 2.0) (Tensor.ones [| 2; 3 |]) // columns doubled, stacked last: shape [2; 3]
    /// </code></example>
    let vmapAxes (inAxis: int) (outAxis: int) (f: Tensor -> Tensor) (x: Tensor) : Tensor =
        Args.notNull "vmapAxes" "f" f
        Args.notNull "vmapAxes" "x" x
        Autodiff.Vmap(fn f, x, inAxis, outAxis)

    /// <summary>
    /// vmap over structures: every tensor of xs (tuples, lists, arrays, Maps, records, as <c>gradOf</c> accepts) is
    /// mapped over its axis 0, and every tensor of f's result is stacked on axis 0, in the same structure.
    /// </summary>
    /// <remarks>
    /// The tensors of xs must all have the same size on axis 0. Values that should not be mapped are simply captured
    /// by f.
    /// </remarks>
    /// <example><code>
    /// vmapOf (fun (x, y) -> gradOf (fun p -> loss p x y) ps) (xs, ys)
    /// // per-example gradients, shaped like ps with a batch axis first
    /// </code></example>
    let vmapOf (f: 'P -> 'R) (xs: 'P) : 'R =
        Args.notNull "vmapOf" "f" f
        Args.notNullAs "vmapOf" "xs" Args.tree xs
        let leaves = Tree.leaves xs |> Array.ofList

        let names =
            Array.init leaves.Length (fun i -> $"leaf {i} of the structure ({leaves[i].Shape |> Seq.toList})")

        let mutable template = Unchecked.defaultof<'R>

        let run (inner: Tensor[]) =
            let r = f (Tree.rebuild xs inner)
            template <- r
            Tree.leaves r |> Array.ofList

        let outs =
            Autodiff.VmapCore(
                Func<Tensor[], Tensor[]> run,
                leaves,
                Array.create leaves.Length (Nullable 0),
                0,
                "vmapOf",
                names
            )

        Tree.rebuild template outs
