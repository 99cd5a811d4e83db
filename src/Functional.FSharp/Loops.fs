namespace FuncGrad

open System
open System.Collections.Generic

/// <summary>
/// The settings of <c>scanWith</c> and <c>scanOfWith</c>: the number of steps, their direction, the unroll hint and
/// what reverse mode keeps. Start from <c>ScanOptions.defaults</c>.
/// </summary>
/// <example><code>scanOfWith { ScanOptions.defaults with Reverse = true } step init xs</code></example>
type ScanOptions =
    {
        /// <summary>The number of steps: needed where xs holds no tensor (<c>()</c>), checked against xs'
        /// leading size otherwise.</summary>
        /// <example><code>{ ScanOptions.defaults with Length = Some 10 } // ten steps, xs = ()</code></example>
        Length: int option
        /// <summary>Run the steps from the last element of xs to the first; step t's y still lands at index
        /// t.</summary>
        /// <example><code>{ ScanOptions.defaults with Reverse = true }</code></example>
        Reverse: bool
        /// <summary>JAX's unroll hint, checked (1 or more) and not acted on: a compiled scan runs its body as one
        /// compiled program per step.</summary>
        /// <example><code>{ ScanOptions.defaults with Unroll = 4 }</code></example>
        Unroll: int
        /// <summary>What reverse mode keeps between the passes; gradients are the same under every
        /// policy.</summary>
        /// <example><code>{ ScanOptions.defaults with Checkpoint = ScanCheckpoint.Every 32 }</code></example>
        Checkpoint: ScanCheckpoint
    }

/// <summary>The options a scan starts from.</summary>
/// <example><code>scanWith { ScanOptions.defaults with Reverse = true } step init xs</code></example>
[<RequireQualifiedAccess>]
module ScanOptions =
    /// <summary>xs' leading size as the number of steps, first to last, no unrolling, the carry before every step
    /// kept for reverse mode: what <c>scan</c> and <c>scanOf</c> use.</summary>
    /// <example><code>
    /// scanWith ScanOptions.defaults step init xs = scan step init xs // the same values
    /// </code></example>
    let defaults =
        {
            Length = None
            Reverse = false
            Unroll = 1
            Checkpoint = ScanCheckpoint.EveryStep
        }

/// <summary>
/// Loops and branches as transformations (JAX's <c>lax.scan</c>, <c>fori_loop</c>, <c>while_loop</c>,
/// <c>cond</c>, <c>switch</c>, <c>map</c>): a loop that grad, jvp, vmap and compile pass through as one op, over
/// tensors and over structures of tensors.
/// </summary>
/// <remarks>
/// They wrap <see cref="T:FuncGrad.Autodiff"/>'s Scan, ForiLoop, WhileLoop, Cond, Switch and Map, which give the plain
/// loop's values bit for bit. The <c>…Of</c> forms take structures as <c>gradOf</c> does (tuples, lists, arrays, Maps,
/// records; numbers, strings and <c>Static</c> parts carried as they are, <c>()</c> for none); a carry keeps its
/// structure, and each of its tensors its shape and dtype, from step to step.
/// </remarks>
/// <example><code>
/// scan (fun c x -> c + x, c + x) (scalar 0.0) (Tensor.ofList [ 1.0; 2.0; 3.0 ]) // 6, [1, 3, 6]
/// </code></example>
[<AutoOpen>]
module LoopsAndBranches =
    /// What to pass for scanWith's options.
    [<Literal>]
    let private scanOptions = "options: ScanOptions.defaults, or options made from it"

    // () stands for "no tensors" (JAX's None): a scan without xs or ys, a branch without operands. It is null in .NET,
    // so the null checks and Tree skip it.
    let private isUnit<'T> = typeof<'T> = typeof<unit>

    let private notNullTree (op: string) (name: string) (tree: 'T) =
        if not isUnit<'T> then
            Args.notNullAs op name Args.tree tree

    let private leavesOf (tree: 'T) : Tensor[] =
        if isUnit<'T> then
            [||]
        else
            Tree.leaves tree |> Array.ofList

    let private rebuildOf (template: 'T) (values: IReadOnlyList<Tensor>) : 'T =
        if isUnit<'T> then
            template
        else
            Tree.rebuild template values

    /// Tree.parts with the root named (carry, y, result) in place of "the structure": the parts a message names.
    let private partsOf (root: string) (tree: 'T) (leaves: Tensor[]) : (string * string)[] =
        if isUnit<'T> then
            [||]
        else
            let path (p: string) =
                if p = "the structure" then root
                elif p.StartsWith "(" then root + " " + p
                else root + p

            Tree.parts (box tree) leaves
            |> Array.map (fun struct (p, v) ->
                if p.StartsWith "the length of " then
                    "the length of " + path (p.Substring 14), v
                elif p.StartsWith "the keys of " then
                    "the keys of " + path (p.Substring 12), v
                else
                    path p, v)

    /// Fails unless a structure has the expected parts (paths, shapes and dtypes, lengths, keys, numbers), naming the
    /// first that differs: the body's own names, where the core's check could only number the flat tensors.
    let private sameParts
        (op: string)
        (what: string)
        (reference: string)
        (expected: (string * string)[])
        (actual: (string * string)[])
        =
        let fail detail =
            raise (
                ShapeMismatchException(
                    $"{op}: {what} {detail}; {reference}: the same record fields, tuple items, list and array "
                    + "lengths, Map keys and numbers, and each tensor's shape and dtype"
                )
            )

        let n = min expected.Length actual.Length

        match Seq.tryFind (fun i -> expected[i] <> actual[i]) (seq { 0 .. n - 1 }) with
        | Some i ->
            let ep, ev = expected[i]
            let ap, av = actual[i]

            if ep = ap then
                let verb = if ap.StartsWith "the keys of " then "are" else "is"
                fail $"where {ap} {verb} {av}, not {ev}"
            else
                fail $"with {ap} ({av}) where {ep} ({ev}) was expected"
        | None when actual.Length <> expected.Length ->
            fail $"with {actual.Length} parts where {expected.Length} were expected"
        | None -> ()

    /// The first result of a body (its structure is the stacked result's) and its parts, to which every later result
    /// must conform.
    type private Outputs<'Y>(op: string, source: string, root: string, reference: string) =
        let mutable first: ('Y * (string * string)[]) option = None

        member _.Add(y: 'Y) : Tensor[] =
            if not isUnit<'Y> && isNull (box y) then
                invalidArg source $"{op}: {source} returned null as its {root}; return a structure of tensors"

            let leaves = leavesOf y
            let parts = partsOf root y leaves

            match first with
            | None -> first <- Some(y, parts)
            | Some(_, expected) -> sameParts op $"{source} returned a {root}" reference expected parts

            leaves

        member _.Rebuild(values: IReadOnlyList<Tensor>) : 'Y =
            match first with
            | Some(template, _) -> rebuildOf template values
            | None -> invalidOp $"{op}: the loop returned without calling the body once, so its result has no shape"

    /// The carry's check: what the body returns has init's parts.
    let private carryCheck (op: string) (init: 'C) (initLeaves: Tensor[]) =
        let expected = partsOf "carry" init initLeaves

        fun (next: 'C) ->
            if not isUnit<'C> && isNull (box next) then
                invalidArg "body" $"{op}: the body returned null as its carry; return a carry of init's structure"

            let leaves = leavesOf next

            sameParts
                op
                "the body returned a carry"
                "a carry keeps init's structure from step to step"
                expected
                (partsOf "carry" next leaves)

            leaves

    let private scanOfNamed (op: string) (opts: ScanOptions) (f: 'C -> 'X -> 'C * 'Y) (init: 'C) (xs: 'X) : 'C * 'Y =
        let initLeaves = leavesOf init
        let check = carryCheck op init initLeaves

        let ys =
            Outputs<'Y>(op, "the body", "y", "every step returns a y of the same structure")

        let step (c: IReadOnlyList<Tensor>) (x: IReadOnlyList<Tensor>) =
            let next, y = f (rebuildOf init c) (rebuildOf xs x)
            struct (check next, ys.Add y)

        let struct (carry, stacked) =
            Autodiff.Scan(
                Func<_, _, _> step,
                initLeaves,
                leavesOf xs,
                Option.toNullable opts.Length,
                opts.Reverse,
                opts.Unroll,
                opts.Checkpoint
            )

        rebuildOf init carry, ys.Rebuild stacked

    let private checkOptions (op: string) (opts: ScanOptions) =
        Args.notNullAs op "opts" scanOptions opts

        Args.notNullAs
            op
            "opts.Checkpoint"
            "ScanCheckpoint.EveryStep, ScanCheckpoint.Every k or ScanCheckpoint.Recompute"
            opts.Checkpoint

    let private scanNamed (opts: ScanOptions) (f: Tensor -> Tensor -> Tensor * Tensor) init xs =
        let step (c: IReadOnlyList<Tensor>) (x: IReadOnlyList<Tensor>) =
            let next, y = f c[0] x[0]
            struct ([| next |], [| y |])

        let struct (carry, ys) =
            Autodiff.Scan(
                Func<_, _, _> step,
                [| init |],
                [| xs |],
                Option.toNullable opts.Length,
                opts.Reverse,
                opts.Unroll,
                opts.Checkpoint
            )

        carry[0], ys[0]

    /// <summary>
    /// A loop over the leading axis of xs that carries state: step t computes <c>(carry, y) = f carry xs[t]</c>;
    /// returns the final carry and every step's y stacked on a new leading axis.
    /// </summary>
    /// <remarks>
    /// The plain loop's values, bit for bit. Reverse mode through it is a reverse scan over the carries it keeps
    /// (<c>scanWith</c> chooses which), forward mode a scan of duals; vmap batches the body and compile keeps the loop
    /// a loop. Tensors f captures, parameters being differentiated among them, are found by tracing it, so f must not
    /// read the values of its arguments (keep data-dependent choices as <c>Tensor.where</c> or <c>cond</c>).
    /// </remarks>
    /// <example><code>
    /// let total, partial = scan (fun c x -> c + x, c + x) (scalar 0.0) (Tensor.ofList [ 1.0; 2.0; 3.0 ])
    /// // tensor(6., ...), tensor([1., 3., 6.], ...)
    /// </code></example>
    let scan (f: Tensor -> Tensor -> Tensor * Tensor) (init: Tensor) (xs: Tensor) : Tensor * Tensor =
        Args.notNull "scan" "f" f
        Args.notNull "scan" "init" init
        Args.notNull "scan" "xs" xs
        scanNamed ScanOptions.defaults f init xs

    /// <summary><c>scan</c> with options: the number of steps, their direction, the unroll hint and what reverse mode
    /// keeps.</summary>
    /// <example><code>
    /// scanWith { ScanOptions.defaults with Reverse = true } (fun c x -> c + x, c + x) (scalar 0.0)
    ///     (Tensor.ofList [ 1.0; 2.0; 3.0 ]) // tensor(6., ...), tensor([6., 5., 3.], ...)
    /// </code></example>
    let scanWith
        (opts: ScanOptions)
        (f: Tensor -> Tensor -> Tensor * Tensor)
        (init: Tensor)
        (xs: Tensor)
        : Tensor * Tensor =
        checkOptions "scanWith" opts
        Args.notNull "scanWith" "f" f
        Args.notNull "scanWith" "init" init
        Args.notNull "scanWith" "xs" xs
        scanNamed opts f init xs

    /// <summary>
    /// <c>scan</c> over structures: the carry, xs and y may each be a tuple, list, array, Map or record of tensors, or
    /// <c>()</c> for none. xs' tensors are sliced along their leading axis, and y's stacked on a new one.
    /// </summary>
    /// <remarks>
    /// The body must return a carry of init's structure, with each tensor's shape and dtype: a change is an error
    /// naming the part (<c>carry.W</c>). A number that changes from step to step belongs in a one-element tensor. Every
    /// step returns a y of the same structure; with no steps the body still runs once to find that structure, and each
    /// tensor of y comes back with a leading size of 0.
    /// </remarks>
    /// <example><code>
    /// type Rnn = { H: Tensor; Steps: Tensor }
    /// let final, hs =
    ///     scanOf (fun s (x, m) -> let h = tanh (s.H + x) * m in { H = h; Steps = s.Steps + 1.0 }, h)
    ///         { H = Tensor.zeros [| 4 |]; Steps = scalar 0.0 } (xs, mask) // xs, mask: [T; 4]; hs: [T; 4]
    /// </code></example>
    let scanOf (f: 'C -> 'X -> 'C * 'Y) (init: 'C) (xs: 'X) : 'C * 'Y =
        Args.notNull "scanOf" "f" f
        notNullTree "scanOf" "init" init
        notNullTree "scanOf" "xs" xs
        scanOfNamed "scanOf" ScanOptions.defaults f init xs

    /// <summary><c>scanOf</c> with options: the number of steps (required when xs is <c>()</c>), their direction, the
    /// unroll hint and what reverse mode keeps.</summary>
    /// <example><code>
    /// // ten steps of a recurrence with no xs: the carry after 10 steps, and each step's state
    /// scanOfWith { ScanOptions.defaults with Length = Some 10 } (fun s () -> let n = step s in n, n) s0 ()
    /// </code></example>
    let scanOfWith (opts: ScanOptions) (f: 'C -> 'X -> 'C * 'Y) (init: 'C) (xs: 'X) : 'C * 'Y =
        checkOptions "scanOfWith" opts
        Args.notNull "scanOfWith" "f" f
        notNullTree "scanOfWith" "init" init
        notNullTree "scanOfWith" "xs" xs
        scanOfNamed "scanOfWith" opts f init xs

    /// <summary>
    /// <c>for i in lower .. upper - 1 do carry &lt;- body i carry</c>, with i a one-element int64 tensor: a scan over
    /// the indices, so it differentiates in both modes, batches and compiles.
    /// </summary>
    /// <example><code>foriLoop 0 10 (fun _ c -> c * 2.0) (scalar 1.0) // tensor(1024., dtype=float64)</code></example>
    let foriLoop (lower: int) (upper: int) (body: Tensor -> Tensor -> Tensor) (init: Tensor) : Tensor =
        Args.notNull "foriLoop" "body" body
        Args.notNull "foriLoop" "init" init
        Autodiff.ForiLoop(lower, upper, Func<Tensor, Tensor, Tensor> body, init)

    /// <summary><c>foriLoop</c> with a structure as the carry (a tuple, list, array, Map or record of tensors), which
    /// keeps its structure, shapes and dtypes from step to step.</summary>
    /// <example><code>
    /// // Fibonacci: (F₁₀, F₁₁) = (55, 89)
    /// foriLoopOf 0 10 (fun _ (a, b) -> b, a + b) (scalar 0.0, scalar 1.0)
    /// </code></example>
    let foriLoopOf (lower: int) (upper: int) (body: Tensor -> 'C -> 'C) (init: 'C) : 'C =
        Args.notNull "foriLoopOf" "body" body
        notNullTree "foriLoopOf" "init" init
        let initLeaves = leavesOf init
        let check = carryCheck "foriLoopOf" init initLeaves

        Autodiff.ForiLoop(
            lower,
            upper,
            Func<Tensor, IReadOnlyList<Tensor>, Tensor[]>(fun i c -> check (body i (rebuildOf init c))),
            initLeaves
        )
        |> rebuildOf init

    /// <summary>
    /// <c>while cond carry do carry &lt;- body carry</c>, for a loop whose number of steps depends on values; cond
    /// returns a one-element bool tensor.
    /// </summary>
    /// <remarks>
    /// Differentiable in forward mode (jvp, jacfwd); reverse mode through it is an error, as its length is not known
    /// in advance: use <c>scanWith</c> with a fixed length or <c>foriLoop</c>. Under vmap the loop runs until every
    /// example is done, and an example that is done keeps its carry.
    /// </remarks>
    /// <example><code>
    /// whileLoop (fun c -> Tensor.ge c (scalar 1.0)) (fun c -> c * 0.5) (scalar 10.0) // tensor(0.6250, ...)
    /// </code></example>
    let whileLoop (cond: Tensor -> Tensor) (body: Tensor -> Tensor) (init: Tensor) : Tensor =
        Args.notNull "whileLoop" "cond" cond
        Args.notNull "whileLoop" "body" body
        Args.notNull "whileLoop" "init" init
        Autodiff.WhileLoop(Func<Tensor, Tensor> cond, Func<Tensor, Tensor> body, init)

    /// <summary><c>whileLoop</c> with a structure as the carry, which keeps its structure, shapes and dtypes from step
    /// to step.</summary>
    /// <example><code>
    /// // Newton's method for √2 until the step is small: (x, step)
    /// whileLoopOf (fun (_, d) -> Tensor.gt (abs d) (scalar 1e-12))
    ///     (fun (x, _) -> let n = 0.5 * (x + 2.0 / x) in n, n - x) (scalar 1.0, scalar 1.0)
    /// </code></example>
    let whileLoopOf (cond: 'C -> Tensor) (body: 'C -> 'C) (init: 'C) : 'C =
        Args.notNull "whileLoopOf" "cond" cond
        Args.notNull "whileLoopOf" "body" body
        notNullTree "whileLoopOf" "init" init
        let initLeaves = leavesOf init
        let check = carryCheck "whileLoopOf" init initLeaves

        Autodiff.WhileLoop(
            Func<IReadOnlyList<Tensor>, Tensor>(fun c -> cond (rebuildOf init c)),
            Func<IReadOnlyList<Tensor>, Tensor[]>(fun c -> check (body (rebuildOf init c))),
            initLeaves
        )
        |> rebuildOf init

    let private nullBranch (op: string) (i: int) =
        raise (ArgumentNullException("branches", $"{op}: branch {i} is null; pass a function"))

    /// A branch as the core takes it, its result recorded in outputs (whose first result gives the structure).
    let private branch (outputs: Outputs<'R>) (template: 'A) (fn: 'A -> 'R) =
        Func<IReadOnlyList<Tensor>, Tensor[]>(fun xs -> outputs.Add(fn (rebuildOf template xs)))

    /// <summary>
    /// <c>trueFn x</c> where the one-element bool pred is true, <c>falseFn x</c> otherwise: one branch runs, and
    /// transformations pass through the one taken.
    /// </summary>
    /// <remarks>Both branches must return results of the same shape and dtype. Under vmap with a predicate that
    /// differs between examples both run, and each example takes its own branch's result.</remarks>
    /// <example><code>cond (Tensor.gt x (scalar 0.0)) sqrt (fun v -> v * 0.0) x</code></example>
    let cond (pred: Tensor) (trueFn: Tensor -> Tensor) (falseFn: Tensor -> Tensor) (x: Tensor) : Tensor =
        Args.notNull "cond" "pred" pred
        Args.notNull "cond" "trueFn" trueFn
        Args.notNull "cond" "falseFn" falseFn
        Args.notNull "cond" "x" x
        Autodiff.Cond(pred, Func<Tensor, Tensor> trueFn, Func<Tensor, Tensor> falseFn, x)

    /// <summary>
    /// <c>cond</c> over structures: operands and the result may be tuples, lists, arrays, Maps or records of tensors
    /// (or <c>()</c> for no operands).
    /// </summary>
    /// <remarks>
    /// Both branches must return the same structure, shapes and dtypes. Where only one branch runs, the result's
    /// structure is that branch's and the other is not called, so it is not checked; where both run (vmap with a
    /// predicate that differs between examples), a difference is an error naming the part.
    /// </remarks>
    /// <example><code>
    /// condOf (Tensor.gt t (scalar 0.0)) (fun (a, b) -> a * b, a) (fun (a, b) -> a + b, b) (a, b)
    /// </code></example>
    let condOf (pred: Tensor) (trueFn: 'A -> 'R) (falseFn: 'A -> 'R) (operands: 'A) : 'R =
        Args.notNull "condOf" "pred" pred
        Args.notNull "condOf" "trueFn" trueFn
        Args.notNull "condOf" "falseFn" falseFn
        notNullTree "condOf" "operands" operands

        let outputs =
            Outputs<'R>("condOf", "a branch", "result", "both branches return the same structure")

        Autodiff.Cond(pred, branch outputs operands trueFn, branch outputs operands falseFn, leavesOf operands)
        |> outputs.Rebuild

    /// <summary>
    /// <c>branches[index] x</c> for a one-element integer index, clamped to the branches' range as JAX does.
    /// </summary>
    /// <remarks>Every branch must return a result of the same shape and dtype; transformations pass through it as
    /// through <c>cond</c>.</remarks>
    /// <example><code>switch (Tensor.Scalar(1, DType.Int64)) [ sin; cos; tanh ] x // cos x</code></example>
    let switch (index: Tensor) (branches: (Tensor -> Tensor) list) (x: Tensor) : Tensor =
        Args.notNull "switch" "index" index
        Args.notNull "switch" "branches" branches
        Args.notNull "switch" "x" x

        let fs =
            branches
            |> List.mapi (fun i b ->
                if isNull (box b) then
                    nullBranch "switch" i

                Func<Tensor, Tensor> b)
            |> Array.ofList

        Autodiff.Switch(index, fs, x)

    /// <summary>
    /// <c>switch</c> over structures: operands and the result may be tuples, lists, arrays, Maps or records of tensors
    /// (or <c>()</c> for no operands).
    /// </summary>
    /// <remarks>
    /// Every branch must return the same structure, shapes and dtypes; the result's structure is that of the branch
    /// that runs. Branches that run together (under vmap with an index that differs between examples) are checked
    /// against each other, naming the part that differs.
    /// </remarks>
    /// <example><code>
    /// switchOf k [ (fun (a, b) -> a + b); (fun (a, b) -> a * b); (fun (a, _) -> a) ] (a, b)
    /// </code></example>
    let switchOf (index: Tensor) (branches: ('A -> 'R) list) (operands: 'A) : 'R =
        Args.notNull "switchOf" "index" index
        Args.notNull "switchOf" "branches" branches
        notNullTree "switchOf" "operands" operands

        let outputs =
            Outputs<'R>("switchOf", "a branch", "result", "every branch returns the same structure")

        let fs =
            branches
            |> List.mapi (fun i b ->
                if isNull (box b) then
                    nullBranch "switchOf" i

                branch outputs operands b)
            |> Array.ofList

        Autodiff.Switch(index, fs, leavesOf operands) |> outputs.Rebuild

    /// <summary>
    /// f applied to each element along the leading axis of xs, one after the other, the results stacked: a loop where
    /// <c>vmap</c> would run every example at once (for memory, or a function with no batching rule).
    /// </summary>
    /// <example><code>
    /// sequentialMap Tensor.sum (Tensor.ones [| 3; 2 |]) // tensor([2., 2., 2.], dtype=float64)
    /// </code></example>
    let sequentialMap (f: Tensor -> Tensor) (xs: Tensor) : Tensor =
        Args.notNull "sequentialMap" "f" f
        Args.notNull "sequentialMap" "xs" xs
        Autodiff.Map(Func<Tensor, Tensor> f, xs)

    /// <summary>
    /// <c>sequentialMap</c> over structures: each tensor of xs is sliced along its leading axis, and each tensor of f's
    /// result stacked on a new one, in the result's structure.
    /// </summary>
    /// <example><code>
    /// sequentialMapOf (fun (x, y) -> {| Sum = x + y; Product = x * y |}) (xs, ys) // each field: [n; ...]
    /// </code></example>
    let sequentialMapOf (f: 'X -> 'Y) (xs: 'X) : 'Y =
        Args.notNull "sequentialMapOf" "f" f
        notNullTree "sequentialMapOf" "xs" xs

        let ys =
            Outputs<'Y>("sequentialMapOf", "f", "result", "f returns the same structure for every element")

        Autodiff.Map(Func<IReadOnlyList<Tensor>, Tensor[]>(fun x -> ys.Add(f (rebuildOf xs x))), leavesOf xs)
        |> ys.Rebuild
