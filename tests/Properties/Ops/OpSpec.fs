/// The op spec table: one row per public op (name, the Tensor methods it covers, arity, a domain per
/// argument, shapes, the orders its derivatives are checked to, tolerances per dtype). Every row is checked by
/// the generic properties in OpRuleTests, the mutation tests in MutationTests, vmap against a loop (VmapTests), the
/// commuting transformations (CommuteTests) and compile (CompileTests), and all of them again on torch:cpu
/// (tests/Backend.LibTorch); the completeness test in OpRuleTests fails if a public op of the core has no row. What
/// a row does not check is in docs/architecture.md, "How an op is tested".
module Ops.OpSpec

open System
open FuncGrad
open FuncGrad.Testing

/// The finite-difference step and tolerances of one dtype, and the relative tolerance of forward against
/// reverse mode (no finite differences there, so it is tight).
type Tol =
    {
        Eps: float
        Rtol: float
        Atol: float
        Adjoint: float
    }

/// Where the random shapes of a row's GradCheck property come from (the listed shapes are always checked too).
type Family =
    /// Only the listed shapes, shrinking to smaller ones the op accepts.
    | Fixed
    /// One argument of any shape (ShapeGen.shape): elementwise ops and full reductions.
    | AnyShape
    /// Two arguments of broadcast-compatible shapes (ShapeGen.broadcastPair).
    | BroadcastPair

type Spec =
    {
        Name: string
        /// The public methods of Tensor this row exercises, as the completeness test spells them.
        Covers: string list
        Arity: int
        /// One domain per argument (FuncGrad.Testing), so generated values avoid kinks and poles.
        Domains: Domain list
        /// Argument shapes always checked; binary ops include broadcasting cases.
        Shapes: int[] list list
        Family: Family
        F: Tensor list -> Tensor
        /// Derivatives are checked up to this order (rules are differentiable again).
        Orders: int
        /// Finite differences in float64.
        F64: Tol
        /// Finite differences in float32; a tenth of these bound float32 results against float64 ones.
        F32: Tol
        /// Which generated arguments a random case keeps: where values of different elements meet at a kink
        /// (ties of max, maximum, comparisons), they must stay farther apart than a float32 finite-difference step.
        Valid: Tensor list -> bool
        /// vmap against a loop over the examples (Autodiff/VmapTests.fs): 0 means bit for bit; otherwise the relative
        /// tolerance, for rows whose batching rule runs a kernel that sums in another order (stated in the rule).
        Batched: float
    }

let tol64 =
    {
        Eps = 1e-6
        Rtol = 1e-5
        Atol = 1e-6
        Adjoint = 1e-10
    }

let tol32 =
    {
        Eps = 1e-3
        Rtol = 1e-2
        Atol = 1e-3
        Adjoint = 1e-4
    }

let sample (rng: Random) (d: Domain) (shape: int[]) =
    let n = Array.fold (*) 1 shape
    Tensor.FromArray(Array.init n (fun _ -> Domain.draw rng d), shape)

let private unaryShapes = [ [ [||] ]; [ [| 5 |] ]; [ [| 3; 4 |] ] ]

let private binaryShapes =
    [
        [ [| 3; 4 |]; [| 3; 4 |] ]
        [ [| 3; 1 |]; [| 1; 4 |] ]
        [ [| 2; 3 |]; [||] ]
        [ [| 4 |]; [| 3; 4 |] ]
    ]

let private row name covers domains shapes family f =
    {
        Name = name
        Covers = covers
        Arity = List.length domains
        Domains = domains
        Shapes = shapes
        Family = family
        F = f
        Orders = 2
        F64 = tol64
        F32 = tol32
        Valid = (fun _ -> true)
        Batched = 0.0
    }

let private one f =
    fun (xs: Tensor list) -> f (List.exactlyOne xs)

let private two f =
    function
    | [ a; b ] -> f a b
    | xs -> failwith $"two arguments expected, got {List.length xs}"

let private unary name covers domain (f: Tensor -> Tensor) =
    row name covers [ domain ] unaryShapes AnyShape (one f)

let private binary name covers da db (f: Tensor -> Tensor -> Tensor) =
    row name covers [ da; db ] binaryShapes BroadcastPair (two f)

let private on name covers domains shapes f = row name covers domains shapes Fixed f

/// Rows whose value goes through a TensorPrimitives transcendental (asin, acos, atan, asinh, acosh, atanh, pow; exp,
/// log, sin, cos, tan, tanh and sigmoid are FuncGrad's own, whose bits depend on the value alone, so their rows are
/// exact):
/// it computes a vector's worth of elements at a time and the rest, or a one-element value, by the scalar routine,
/// and the two may round differently, so an element's last bits depend on where it sits in the array. vmap against
/// the loop is then within 8 epsilons (relative, and absolute near 0), not bit for bit.
let private transcendental (s: Spec) = { s with Batched = 8.0 }

/// A larger float32 step and tolerance, for rows whose float32 second differences divide rounding noise of terms far
/// larger than the result by the step.
let private coarse32 (s: Spec) =
    { s with
        F32 =
            { tol32 with
                Eps = 1e-2
                Rtol = 3e-2
                Atol = 1e-2
            }
    }

/// pow's base and exponent: a second derivative through a broadcast base sums b(b−1)a^(b−2) over many elements, and
/// near a = 0.25, b = −3 those terms reach 10⁴ (their fourth derivatives 10⁵), so float32 finite differences of their
/// cancelling sum miss by rounding at a small step and by truncation at a large one. Over [0.5, 3] × [−2, 2] the terms
/// stay below 10² and float32 passes with wider tolerances at the default step.
let private powBase = { Domain.positive with Low = 0.5 }

let private powExponent =
    { Domain.real with
        Low = -2.0
        High = 2.0
    }

let private powTolerance (s: Spec) =
    { s with
        F32 = { tol32 with Rtol = 3e-2; Atol = 1e-2 }
    }

/// Rows through a matrix product: each element is the same sum over k, but a one-column product takes the
/// matrix-vector path, whose order of that sum differs from the matrix-matrix kernel's.
let private product (s: Spec) = { s with Batched = 64.0 }

/// A symmetric positive-definite matrix (or batch) from free entries: B·Bᵀ + n·I, the identity beside B.
let private spd (b: Tensor) =
    let n = b.Shape[b.Rank - 1]
    b.MatMul(b.Transpose(-2, -1)) + Tensor.Eye(n, b.DType).To(b.Device) * float n

/// a + c·I, the identity beside a: diagonally dominant for a large c, so pivots never tie.
let private shifted (c: float) (a: Tensor) =
    a + Tensor.Eye(a.Shape[a.Rank - 1], a.DType).To(a.Device) * c

/// The rows of a [..batch, 3, 3] permuted by a fixed permutation (cyclic, or one swap where odd), so that LU has to
/// pivot, always to the same rows.
let private permuted (odd: bool) (a: Tensor) =
    let q =
        if odd then
            [| 0.0; 1.0; 0.0; 1.0; 0.0; 0.0; 0.0; 0.0; 1.0 |]
        else
            [| 0.0; 1.0; 0.0; 0.0; 0.0; 1.0; 1.0; 0.0; 0.0 |]

    Tensor.FromArray(q, [| 3; 3 |]).ToDType(a.DType).To(a.Device).MatMul a

/// Both spellings of an op side by side, so each one's derivative is checked on its own.
let private both (f: Tensor -> Tensor) (g: Tensor -> Tensor) (x: Tensor) = Tensor.Stack([| f x; g x |])

let private both2 (f: Tensor -> Tensor -> Tensor) (g: Tensor -> Tensor -> Tensor) (a: Tensor) (b: Tensor) =
    Tensor.Stack([| f a b; g a b |])

/// A bool (or count) result as a float of x's dtype, so a row of a mask op is a function with zero derivatives.
let private ofMask (x: Tensor) (m: Tensor) = m.ToDType x.DType

/// The mask x > 0.
let private positive0 (x: Tensor) = x.Gt(Tensor.Scalar(0.0, x.DType))

/// Cases whose quotients a / b stay 0.05 away from every integer, where floor division and remainder jump.
let private awayFromJumps (xs: Tensor list) =
    match xs with
    | [ a; b ] ->
        (a.ToDType DType.Float64 / b.ToDType DType.Float64).ToArray()
        |> Array.forall (fun q -> abs (q - Math.Round q) > 0.05)
    | _ -> true

/// A scan along every axis of x (the first and the last for rank 1), side by side.
let private scanAxes (scan: int -> Tensor -> Tensor) (x: Tensor) =
    Tensor.Stack([| for a in 0 .. x.Rank - 1 -> scan a x |])

/// cummax or cummin along every axis: the values and the indices (as x's dtype) side by side.
let private extremeAxes (scan: int -> Tensor -> struct (Tensor * Tensor)) (x: Tensor) =
    Tensor.Stack(
        [|
            for a in 0 .. x.Rank - 1 do
                let struct (v, i) = scan a x
                v
                i.ToDType x.DType
        |]
    )

let private real = Domain.real
let private positive = Domain.positive
let private nonZero = Domain.awayFromPoles [ 0.0 ]
let private awayFromKink = Domain.awayFromKinks [ 0.0 ]
/// Where equal values would meet at a kink (max, maximum, comparisons): shrink shapes, never values.
let private distinct = Domain.keepValues Domain.real

/// How far apart values that meet at a kink are kept: ten float32 finite-difference steps.
let private gap = 1e-2

/// Every pair of broadcast elements of a and b at least `gap` apart.
let private apart =
    function
    | [ a: Tensor; b ] -> (a - b).Abs().Min().Item() >= gap
    | _ -> false

/// The two largest and the two smallest values of x at least `gap` apart (a clear max and min).
let private clearExtremes (xs: Tensor list) =
    let v = (List.exactlyOne xs).ToArray() |> Array.sort
    v.Length < 2 || (v[1] - v[0] >= gap && v[v.Length - 1] - v[v.Length - 2] >= gap)

/// In each slice of x along its first axis, a clear max and min (as clearExtremes): for reductions over the other axes.
let private clearExtremesPerSlice (xs: Tensor list) =
    let x = List.exactlyOne xs

    x.Rank = 0
    || List.forall (fun (i: int) -> clearExtremes [ x.[i] ]) [ 0 .. x.Shape[0] - 1 ]

/// Every pair of values of x at least `gap` apart.
let private allApart (xs: Tensor list) =
    let v = (List.exactlyOne xs).ToArray() |> Array.sort
    Array.pairwise v |> Array.forall (fun (p, q) -> q - p >= gap)

/// Tensors of any shapes and dtypes as one float vector of x's dtype: index results (int64) become numbers with zero
/// derivatives, beside values that carry gradients.
let private flatOf (x: Tensor) (ts: Tensor list) =
    Tensor.Concat(ts |> List.map (fun t -> (t.ToDType x.DType).Flatten()) |> Array.ofList)

// ---- indexing with tensors: indices built inside each row, from fixed arrays or from a float argument ----

/// int64 indices from a fixed array, shaped.
let private longs (values: int64 list) (shape: int[]) =
    Tensor.FromArray(Array.ofList values, shape)

/// int64 indices in {0, 1, 2} read off a float argument (x > 0, plus |x| > 1), so that vmap maps them with it; its
/// domain keeps values off -1, 0 and 1, where an index changes, and it gets no gradient.
let private pick3 (b: Tensor) =
    let zero, one = Tensor.Scalar(0.0, b.DType), Tensor.Scalar(1.0, b.DType)
    (b.Gt(zero).ToDType b.DType + b.Abs().Gt(one).ToDType b.DType).ToDType DType.Int64

/// int64 indices in {0, 1, 2, 3}, as pick3.
let private pick4 (b: Tensor) =
    let zero, one = Tensor.Scalar(0.0, b.DType), Tensor.Scalar(1.0, b.DType)
    (b.Gt(zero).ToDType b.DType * 2.0 + b.Abs().Gt(one).ToDType b.DType).ToDType DType.Int64

/// The domain of an argument that indices are read off.
let private indexDomain = Domain.awayFromKinks [ -1.0; 0.0; 1.0 ]

let private three f =
    function
    | [ a; b; c ] -> f a b c
    | xs -> failwith $"three arguments expected, got {List.length xs}"

/// Every value of the first two arguments at least `gap` apart (amax and amin meet at kinks where two are equal).
let private firstTwoApart (xs: Tensor list) =
    let v =
        xs
        |> List.take 2
        |> List.collect (fun t -> List.ofArray (t.ToArray()))
        |> List.sort

    List.pairwise v |> List.forall (fun (p, q) -> q - p >= gap)

/// The results of a row, flattened and joined, so that one row checks several forms of its op.
let private joined (ts: Tensor list) =
    Tensor.Concat(ts |> List.map (fun t -> t.Flatten()) |> Array.ofList)

/// A scatter-reduce row: both includeSelf settings of one reduction.
let private scatterReduceRow (reduce: string) (domain: Domain) =
    on
        $"scatterReduce-{reduce}"
        [ "ScatterReduce(Int32, Tensor, Tensor, String, Boolean)" ]
        [ domain; domain; indexDomain ]
        [
            [ [| 4; 3 |]; [| 5; 3 |]; [| 5; 3 |] ]
            [ [| 3; 4 |]; [| 3; 2 |]; [| 3; 2 |] ]
        ]
        (three (fun self src b ->
            let along0 = pick3 b
            let along1 = pick3 (b.Slice(0, 0, 3).Slice(1, 0, 2))

            joined
                [
                    self.ScatterReduce(0, along0, src, reduce)
                    self.ScatterReduce(0, along0, src, reduce, includeSelf = false)
                    self.ScatterReduce(1, along1, src, reduce, includeSelf = false)
                ]))

let private indexingSpecs: Spec list =
    [
        on
            "gather"
            [ "Gather(Int32, Tensor)" ]
            [ real ]
            [ [ [| 4; 3 |] ] ]
            (one (fun x ->
                joined
                    [
                        x.Gather(0, longs [ 3L; 0L; 1L; 0L; 0L; 2L ] [| 2; 3 |])
                        x.Gather(1, longs [ 2L; 2L; 0L; 1L ] [| 4; 1 |])
                    ]))
        // indices read off the second argument, so vmap maps them too: shared data with mapped indices, and both
        on
            "gather-mapped"
            [ "Gather(Int32, Tensor)" ]
            [ real; indexDomain ]
            [ [ [| 4; 3 |]; [| 2; 3 |] ]; [ [| 3; 3 |]; [| 3; 2 |] ] ]
            (two (fun x b -> joined [ x.Gather(0, pick3 b); x.Gather(1, pick3 b) ]))
        on
            "takeAlongDim"
            [ "TakeAlongDim(Tensor, Nullable<Int32>)" ]
            [ real; indexDomain ]
            [ [ [| 3; 4 |]; [| 1; 2 |] ] ]
            (two (fun x b ->
                joined
                    [
                        x.TakeAlongDim(pick4 b, Nullable 1)
                        x.TakeAlongDim(longs [ 11L; 0L; 5L ] [| 3 |])
                    ]))
        on
            "scatter"
            [ "Scatter(Int32, Tensor, Tensor)"; "Scatter(Int32, Tensor, Double)" ]
            [ real; real; indexDomain ]
            [
                [ [| 4; 3 |]; [| 3; 3 |]; [| 3; 3 |] ]
                [ [| 4; 3 |]; [| 4; 3 |]; [| 2; 3 |] ]
            ]
            (three (fun self src b ->
                joined
                    [
                        self.Scatter(0, pick4 b, src)
                        self.Scatter(1, pick3 b, src)
                        self.Scatter(1, longs [ 2L; 0L; 2L; 1L ] [| 4; 1 |], 2.5)
                    ]))
        on
            "scatterAdd"
            [ "ScatterAdd(Int32, Tensor, Tensor)" ]
            [ real; real; indexDomain ]
            [
                [ [| 4; 3 |]; [| 5; 3 |]; [| 5; 3 |] ]
                [ [| 4; 3 |]; [| 6; 3 |]; [| 2; 3 |] ]
            ]
            (three (fun self src b ->
                joined
                    [
                        self.ScatterAdd(0, pick4 b, src)
                        self.ScatterAdd(1, pick3 (b.Slice(0, 0, 2)), src)
                    ]))
        scatterReduceRow "sum" real
        scatterReduceRow "mean" real
        // Higher derivatives of prod are exact away from zero terms (the first also at them, pinned in GatherTests):
        // near one, its rule divides the product by the term, and float32 differences of that lose the bound. Products
        // of six terms reach 700, whose float32 rounding over a 10⁻³ step is 0.03: prod is linear in each term, so
        // coarse32's larger step costs no truncation.
        coarse32 (scatterReduceRow "prod" nonZero)
        { scatterReduceRow "amax" distinct with
            Valid = firstTwoApart
        }
        { scatterReduceRow "amin" distinct with
            Valid = firstTwoApart
        }
        on
            "indexSelect-tensor"
            [ "IndexSelect(Int32, Tensor)" ]
            [ real; indexDomain ]
            [ [ [| 4; 3 |]; [| 5 |] ] ]
            (two (fun x b -> joined [ x.IndexSelect(0, pick4 b); x.IndexSelect(1, longs [ 2L; 2L; 0L ] [| 3 |]) ]))
        on
            "indexAdd"
            [ "IndexAdd(Int32, Tensor, Tensor, Double)" ]
            [ real; real; indexDomain ]
            [ [ [| 4; 3 |]; [| 5; 3 |]; [| 5 |] ] ]
            (three (fun self src b ->
                joined
                    [
                        self.IndexAdd(0, pick4 b, src)
                        self.IndexAdd(1, longs [ 2L; 0L; 2L ] [| 3 |], src.Slice(0, 0, 4), 0.5)
                    ]))
        on
            "indexPut"
            [ "IndexPut(IReadOnlyList<Tensor>, Tensor, Boolean)" ]
            [ real; real; indexDomain ]
            [ [ [| 4; 3 |]; [| 5 |]; [| 5 |] ] ]
            (three (fun self values b ->
                let rows = pick4 b
                let cols = longs [ -1L; 0L; 2L; -3L; 1L ] [| 5 |]

                joined
                    [
                        self.IndexPut([| rows; cols |], values)
                        self.IndexPut([| rows |], values.Unsqueeze 1, accumulate = true)
                        self.IndexPut([| cols |], values.Slice(0, 0, 3).Unsqueeze 0)
                    ]))
        on
            "index-tensor"
            [ "get_At(Tensor[])" ]
            [ real; indexDomain ]
            [ [ [| 4; 3 |]; [| 2; 2 |] ] ]
            (two (fun x b ->
                joined
                    [
                        x.At(pick4 b)
                        x.At(longs [ -1L; 0L ] [| 2 |])
                        x.At(pick4 b, longs [ -1L; 1L ] [| 2 |])
                    ]))
        on
            "maskedFill"
            [ "MaskedFill(Tensor, Double)"; "MaskedFill(Tensor, Tensor)" ]
            [ real; real ]
            [ [ [| 2; 3 |]; [||] ] ]
            (two (fun x v ->
                let mask = Tensor.FromArray([| true; false; false; true; false; true |], [| 2; 3 |])
                let row = Tensor.FromArray([| false; true; true |])
                joined [ x.MaskedFill(mask, 2.5); x.MaskedFill(row, v) ]))
        on
            "embedding"
            [ "static Embedding(Tensor, Tensor, Nullable<Int32>)" ]
            [ real; indexDomain ]
            [ [ [| 5; 3 |]; [| 2; 3 |] ] ]
            (two (fun w b ->
                let ids = pick4 b
                // the padding row's values are read but get no gradient: masked out here, so that finite
                // differences see no dependence on it either (GatherTests checks the gradient itself)
                let kept = ids.Ne(Tensor.Scalar(2.0, DType.Int64)).ToDType(w.DType).Unsqueeze 2

                joined
                    [
                        Tensor.Embedding(ids, w)
                        Tensor.Embedding(ids, w, Nullable 2) * kept
                        Tensor.Embedding(ids, w, Nullable -3) * kept
                    ]))
        on
            "embeddingBag"
            [
                "static EmbeddingBag(Tensor, Tensor, Tensor, String, Boolean, Nullable<Int32>)"
            ]
            [ real; indexDomain ]
            [ [ [| 5; 3 |]; [| 6 |] ] ]
            (two (fun w b ->
                let ids = pick4 b
                let offsets = longs [ 0L; 2L; 2L; 5L ] [| 4 |]
                let ends = longs [ 0L; 3L; 5L ] [| 3 |]

                joined
                    [
                        Tensor.EmbeddingBag(ids, w, offsets, "sum")
                        Tensor.EmbeddingBag(ids, w, offsets)
                        Tensor.EmbeddingBag(ids, w, ends, "mean", true, Nullable 1)
                        Tensor.EmbeddingBag(ids.Reshape [| 2; 3 |], w, mode = "mean", paddingIdx = Nullable 0)
                    ]))
        on
            "oneHot"
            [ "OneHot(Int32)" ]
            [ real; indexDomain ]
            [ [ [| 3; 4 |]; [| 3 |] ] ]
            (two (fun x b -> x * (pick4 b).OneHot(4).ToDType x.DType))
        on
            "crossEntropy-int-labels"
            [ "CrossEntropy(Tensor)" ]
            [ real; indexDomain ]
            [ [ [| 3; 4 |]; [| 3 |] ] ]
            (two (fun x b -> x.CrossEntropy(pick4 b)))
        // row 1 always ignored, the others' labels read off the second argument
        on
            "crossEntropy-options"
            [
                "CrossEntropy(Tensor, Int32, String, Double)"
                "CrossEntropy(Tensor, Tensor, Int32, String, Double)"
            ]
            [ real; indexDomain ]
            [ [ [| 3; 4 |]; [| 3 |] ] ]
            (two (fun x b ->
                let ignored = Tensor.FromArray [| false; true; false |]
                let labels = Tensor.Where(ignored, Tensor.Scalar(-100.0, DType.Int64), pick4 b)
                let weight = Tensor.FromArray([| 0.5; 2.0; 1.0; 1.5 |]).ToDType x.DType

                joined
                    [
                        x.CrossEntropy(labels, ignoreIndex = -100)
                        x.CrossEntropy(labels, reduction = "sum", labelSmoothing = 0.1)
                        x.CrossEntropy(labels, reduction = "none")
                        x.CrossEntropy(labels, weight)
                        x.CrossEntropy(labels, weight, reduction = "none", labelSmoothing = 0.2)
                        x.CrossEntropy(labels, weight, labelSmoothing = 0.3)
                    ]))
        // second derivatives by finite differences in float32 through two softmaxes: an absolute error up to 1.5e-3
        // was seen (FD rounding, ε₃₂·|g|/eps summed over 12 elements)
        { transcendental (
              on
                  "crossEntropy-probabilities"
                  [
                      "CrossEntropy(Tensor, Int32, String, Double)"
                      "CrossEntropy(Tensor, Tensor, Int32, String, Double)"
                  ]
                  [ real; real ]
                  [ [ [| 3; 4 |]; [| 3; 4 |] ] ]
                  (two (fun x t ->
                      let p = t.Softmax()
                      let weight = Tensor.FromArray([| 0.5; 2.0; 1.0; 1.5 |]).ToDType x.DType

                      joined
                          [
                              x.CrossEntropy(p, labelSmoothing = 0.1)
                              x.CrossEntropy(p, weight, reduction = "none")
                          ]))
          ) with
            F32 = { tol32 with Atol = 3e-3 }
        }
    ]

// ---- eigen and singular values: each row's F is invariant to the choice of eigen/singular vector basis ----

/// Xᵀ over the last two axes.
let private mT (x: Tensor) = x.Transpose(-2, -1)

/// Sorted values at least `spread` apart and (for singular values) at least `spread` from zero, per matrix: the
/// rules divide by their differences, so finite differences need them clear.
let private spreadOut (spread: float) (withZero: bool) (values: Tensor) =
    let k = values.Shape[values.Rank - 1]
    let v = values.ToArray()

    Array.chunkBySize k v
    |> Array.forall (fun row ->
        let r = Array.sort (if withZero then Array.append row [| 0.0 |] else row)
        Array.pairwise r |> Array.forall (fun (p, q) -> q - p >= spread))

let private eigApart (xs: Tensor list) =
    let a = (List.exactlyOne xs).ToDType DType.Float64

    spreadOut 0.3 false (Linalg.Eigvalsh(a))
    && spreadOut 0.3 false (Linalg.Eigvalsh(a, "U"))

let private svdApart (xs: Tensor list) =
    spreadOut 0.5 true (Linalg.Svdvals((List.exactlyOne xs).ToDType DType.Float64))

/// V·diag(f(λ))·Vᵀ from eigenvalues and eigenvector columns.
let private spectralFunction (f: Tensor -> Tensor) (w: Tensor) (v: Tensor) = (v * (f w).Unsqueeze(-2)).MatMul(mT v)

/// Absolute row (axis -1) and column (axis -2) sums of each matrix at least `gap` apart, and its singular values:
/// the norms' max and min meet kinks where two are equal.
let private normsApart (xs: Tensor list) =
    let a = (List.exactlyOne xs).ToDType DType.Float64
    let sums (axis: int) = a.Abs().Sum([| axis |])

    spreadOut gap false (sums -1)
    && spreadOut gap false (sums -2)
    && spreadOut 0.3 true (Linalg.Svdvals a)

/// float32 finite differences of a decomposition computed in float32 carry its rounding over the step, and second
/// differences through its rules (QR's, a power's solves) sum terms far larger than their result: `coarse32` keeps that
/// noise below the bound (float64 keeps the default tolerances; float32 results are still bound against float64 ones).
let private factorised (s: Spec) = coarse32 (product s)

let private spectralSpecs: Spec list =
    [
        { factorised (
              on
                  "eigh"
                  [ "static Linalg.Eigh(Tensor, String)" ]
                  [ real ]
                  [ [ [| 3; 3 |] ]; [ [| 2; 3; 3 |] ] ]
                  (one (fun a ->
                      let struct (w, v) = Linalg.Eigh(a)
                      let struct (wu, vu) = Linalg.Eigh(a, "U")

                      joined
                          [
                              w
                              spectralFunction (fun x -> x.Sin()) w v
                              wu.Square()
                              spectralFunction id wu vu
                          ]))
          ) with
            Valid = eigApart
        }
        { factorised (
              on
                  "eigvalsh"
                  [ "static Linalg.Eigvalsh(Tensor, String)" ]
                  [ real ]
                  [ [ [| 3; 3 |] ]; [ [| 2; 3; 3 |] ] ]
                  (one (fun a -> joined [ Linalg.Eigvalsh(a); Linalg.Eigvalsh(a, "U").Square() ]))
          ) with
            Valid = eigApart
        }
        { factorised (
              on
                  "svd"
                  [ "static Linalg.Svd(Tensor, Boolean)" ]
                  [ real ]
                  [ [ [| 3; 2 |] ]; [ [| 2; 3 |] ]; [ [| 2; 3; 3 |] ] ]
                  (one (fun a ->
                      let m, n = a.Shape[a.Rank - 2], a.Shape[a.Rank - 1]
                      let k = min m n
                      let struct (u, s, vh) = Linalg.Svd(a, false)
                      let struct (uf, sf, vhf) = Linalg.Svd(a)
                      // the completing columns of full matrices through the projectors onto them
                      let u2 =
                          if m > k then
                              [ uf.Slice(-1, k, m).MatMul(mT (uf.Slice(-1, k, m))) ]
                          else
                              []

                      let v2 =
                          if n > k then
                              [ mT(vhf.Slice(-2, k, n)).MatMul(vhf.Slice(-2, k, n)) ]
                          else
                              []

                      joined (
                          [
                              s
                              (u * s.Sin().Unsqueeze(-2)).MatMul(vh)
                              sf.Square()
                              (uf.Slice(-1, 0, k) * sf.Unsqueeze(-2)).MatMul(vhf.Slice(-2, 0, k))
                          ]
                          @ u2
                          @ v2
                      )))
          ) with
            Valid = svdApart
        }
        { factorised (
              on
                  "svdvals"
                  [ "static Linalg.Svdvals(Tensor)" ]
                  [ real ]
                  [ [ [| 3; 2 |] ]; [ [| 2; 2; 3 |] ] ]
                  (one (fun a -> Linalg.Svdvals(a)))
          ) with
            Valid = svdApart
        }
        { factorised (
              on
                  "pinv"
                  [ "static Linalg.Pinv(Tensor, Nullable<Double>, Nullable<Double>, Boolean)" ]
                  [ real ]
                  [ [ [| 3; 2 |] ]; [ [| 2; 3; 3 |] ] ]
                  (one (fun a ->
                      let m = a.Shape[a.Rank - 2]
                      let spd = a.MatMul(mT a) + Tensor.Eye(m, a.DType)

                      joined
                          [
                              Linalg.Pinv(a)
                              Linalg.Pinv(spd, hermitian = true)
                              Linalg.Pinv(a, atol = 0.1)
                          ]))
          ) with
            Valid = svdApart
        }
        { factorised (
              on
                  "matrix_norm"
                  [
                      "static Linalg.MatrixNorm(Tensor, String, Int32[], Boolean)"
                      "static Linalg.MatrixNorm(Tensor, Double, Int32[], Boolean)"
                  ]
                  [ awayFromKink ]
                  [ [ [| 3; 2 |] ]; [ [| 2; 3; 3 |] ] ]
                  (one (fun a ->
                      let r = a.Rank

                      joined (
                          [ Linalg.MatrixNorm(a); Linalg.MatrixNorm(a, "nuc", [| r - 1; r - 2 |], true) ]
                          @ [
                              for ord in [ 1.0; -1.0; 2.0; -2.0; infinity; -infinity ] -> Linalg.MatrixNorm(a, ord)
                          ]
                          @ [ Linalg.MatrixNorm(a, 1.0, [| -1; -2 |], true) ]
                      )))
          ) with
            Valid = normsApart
        }
    ]

/// Max-pooling rows keep every two values apart (allApart), so no window sits at a tie; their int64 indices appear as
/// floats with zero derivatives (flatOf). Shapes are tiny: each path of Kernels/Conv/Pool.cs (stride, padding,
/// dilation, ceil mode, per-axis arguments, odd sizes, a kernel larger than the input, unbatched inputs) has its row.
let private poolingSpecs: Spec list =
    let maxRow name covers shapes f =
        { on name covers [ distinct ] shapes (one f) with
            Valid = allApart
        }

    let avgRow name covers shapes f = on name covers [ real ] shapes (one f)
    let max1 = [ "MaxPool1d(Int32[], Int32[], Int32[], Int32[], Boolean)" ]
    let max2 = [ "MaxPool2d(Int32[], Int32[], Int32[], Int32[], Boolean)" ]
    let max3 = [ "MaxPool3d(Int32[], Int32[], Int32[], Int32[], Boolean)" ]

    let avg1 =
        [ "AvgPool1d(Int32[], Int32[], Int32[], Boolean, Boolean, Nullable<Int32>)" ]

    let avg2 =
        [ "AvgPool2d(Int32[], Int32[], Int32[], Boolean, Boolean, Nullable<Int32>)" ]

    let avg3 =
        [ "AvgPool3d(Int32[], Int32[], Int32[], Boolean, Boolean, Nullable<Int32>)" ]

    let withIndices (f: Tensor -> struct (Tensor * Tensor)) (x: Tensor) =
        let struct (v, i) = f x
        flatOf x [ v; i ]

    [
        maxRow "maxPool2d" max2 [ [ [| 1; 2; 4; 4 |] ]; [ [| 2; 3; 3 |] ] ] (fun x -> x.MaxPool2d([| 2 |]))
        maxRow "maxPool2d-overlap-padded" max2 [ [ [| 2; 1; 3; 3 |] ] ] (fun x ->
            x.MaxPool2d([| 3 |], [| 1 |], [| 1 |]))
        maxRow "maxPool2d-dilation-ceil" max2 [ [ [| 1; 1; 5; 4 |] ] ] (fun x ->
            x.MaxPool2d([| 2 |], [| 2 |], [| 1; 0 |], [| 2; 1 |], true))
        maxRow "maxPool2d-kernel-over-input" max2 [ [ [| 1; 2; 2; 2 |] ] ] (fun x ->
            x.MaxPool2d([| 3 |], [| 1 |], [| 1 |]))
        maxRow "maxPool2d-1x1" max2 [ [ [| 1; 2; 3; 3 |] ] ] (fun x -> x.MaxPool2d([| 1 |], [| 2 |]))
        maxRow
            "maxPool2dWithIndices"
            [ "MaxPool2dWithIndices(Int32[], Int32[], Int32[], Int32[], Boolean)" ]
            [ [ [| 1; 2; 5; 5 |] ] ]
            (withIndices (fun x -> x.MaxPool2dWithIndices([| 3; 2 |], [| 2; 1 |], [| 1 |], ceilMode = true)))
        maxRow "maxPool1d" max1 [ [ [| 2; 2; 5 |] ]; [ [| 2; 5 |] ] ] (fun x -> x.MaxPool1d([| 3 |], [| 2 |], [| 1 |]))
        maxRow
            "maxPool1dWithIndices"
            [ "MaxPool1dWithIndices(Int32[], Int32[], Int32[], Int32[], Boolean)" ]
            [ [ [| 1; 2; 5 |] ] ]
            (withIndices (fun x -> x.MaxPool1dWithIndices([| 2 |], [| 1 |], [| 1 |], [| 2 |])))
        maxRow "maxPool3d" max3 [ [ [| 1; 1; 3; 3; 3 |] ] ] (fun x -> x.MaxPool3d([| 2 |], [| 1 |]))
        maxRow
            "maxPool3dWithIndices"
            [ "MaxPool3dWithIndices(Int32[], Int32[], Int32[], Int32[], Boolean)" ]
            [ [ [| 2; 3; 2; 3 |] ] ]
            (withIndices (fun x -> x.MaxPool3dWithIndices([| 2 |], [| 2 |], [| 1; 0; 1 |], ceilMode = true)))
        avgRow "avgPool2d" avg2 [ [ [| 1; 2; 4; 4 |] ]; [ [| 2; 3; 3 |] ] ] (fun x -> x.AvgPool2d([| 2 |]))
        avgRow "avgPool2d-padded" avg2 [ [ [| 2; 1; 5; 4 |] ] ] (fun x -> x.AvgPool2d([| 3 |], [| 2 |], [| 1 |]))
        avgRow "avgPool2d-exclude-pad-ceil" avg2 [ [ [| 1; 2; 5; 5 |] ] ] (fun x ->
            x.AvgPool2d([| 3; 2 |], [| 2 |], [| 1 |], true, false))
        avgRow "avgPool2d-divisor" avg2 [ [ [| 1; 1; 4; 5 |] ] ] (fun x ->
            x.AvgPool2d([| 2 |], [| 1 |], divisorOverride = 3))
        avgRow "avgPool1d" avg1 [ [ [| 2; 2; 5 |] ]; [ [| 2; 5 |] ] ] (fun x ->
            x.AvgPool1d([| 3 |], [| 2 |], [| 1 |], true, false))
        avgRow "avgPool3d" avg3 [ [ [| 1; 1; 3; 4; 3 |] ] ] (fun x -> x.AvgPool3d([| 2 |], [| 1; 2; 1 |], [| 1 |]))
        avgRow "adaptiveAvgPool1d" [ "AdaptiveAvgPool1d(Int32[])" ] [ [ [| 2; 2; 5 |] ]; [ [| 2; 3 |] ] ] (fun x ->
            x.AdaptiveAvgPool1d([| 3 |]))
        avgRow "adaptiveAvgPool2d" [ "AdaptiveAvgPool2d(Int32[])" ] [ [ [| 1; 2; 5; 4 |] ] ] (fun x ->
            x.AdaptiveAvgPool2d([| 3; 5 |]))
        avgRow "adaptiveAvgPool3d" [ "AdaptiveAvgPool3d(Int32[])" ] [ [ [| 2; 3; 4; 3 |] ] ] (fun x ->
            x.AdaptiveAvgPool3d([| 2 |]))
        maxRow "adaptiveMaxPool1d" [ "AdaptiveMaxPool1d(Int32[])" ] [ [ [| 2; 2; 5 |] ] ] (fun x ->
            x.AdaptiveMaxPool1d([| 3 |]))
        maxRow
            "adaptiveMaxPool1dWithIndices"
            [ "AdaptiveMaxPool1dWithIndices(Int32[])" ]
            [ [ [| 2; 5 |] ] ]
            (withIndices (fun x -> x.AdaptiveMaxPool1dWithIndices([| 2 |])))
        maxRow "adaptiveMaxPool2d" [ "AdaptiveMaxPool2d(Int32[])" ] [ [ [| 1; 2; 5; 4 |] ] ] (fun x ->
            x.AdaptiveMaxPool2d([| 3; 2 |]))
        maxRow
            "adaptiveMaxPool2dWithIndices"
            [ "AdaptiveMaxPool2dWithIndices(Int32[])" ]
            [ [ [| 2; 4; 3 |] ] ]
            (withIndices (fun x -> x.AdaptiveMaxPool2dWithIndices([| 3 |])))
    ]

// ---- convolutions (Ops/Convolution.cs): one row per option that changes the path ----

let private conv1d = "Conv1d(Tensor, Tensor, Int32[], Int32[], Int32[], Int32)"
let private conv1dMode = "Conv1d(Tensor, String, Tensor, Int32[], Int32[], Int32)"
let private conv2d = "Conv2d(Tensor, Tensor, Int32[], Int32[], Int32[], Int32)"
let private conv2dMode = "Conv2d(Tensor, String, Tensor, Int32[], Int32[], Int32)"
let private conv3d = "Conv3d(Tensor, Tensor, Int32[], Int32[], Int32[], Int32)"
let private conv3dMode = "Conv3d(Tensor, String, Tensor, Int32[], Int32[], Int32)"

let private convT1d =
    "ConvTranspose1d(Tensor, Tensor, Int32[], Int32[], Int32[], Int32, Int32[])"

let private convT2d =
    "ConvTranspose2d(Tensor, Tensor, Int32[], Int32[], Int32[], Int32, Int32[])"

let private convT3d =
    "ConvTranspose3d(Tensor, Tensor, Int32[], Int32[], Int32[], Int32, Int32[])"

/// A convolution row of (input, weight) or (input, weight, bias) on fixed shapes.
let private convRow name covers (shapes: int[] list list) f =
    on name covers (shapes.Head |> List.map (fun _ -> real)) shapes f

let private convSpecs: Spec list =
    [
        convRow
            "conv1d-stride-padding-bias"
            [ conv1d ]
            [
                [ [| 2; 2; 5 |]; [| 3; 2; 3 |]; [| 3 |] ]
                [ [| 2; 5 |]; [| 3; 2; 2 |]; [| 3 |] ]
            ]
            (three (fun x w b -> x.Conv1d(w, b, stride = [| 2 |], padding = [| 1 |])))
        convRow
            "conv1d-same-valid"
            [ conv1dMode ]
            [ [ [| 1; 2; 5 |]; [| 2; 2; 2 |] ] ]
            (two (fun x w ->
                joined
                    [
                        x.Conv1d(w, "same", dilation = [| 2 |])
                        x.Conv1d(w, "valid")
                        x.Conv1d(w, "same")
                    ]))
        convRow
            "conv2d-padding-bias"
            [ conv2d ]
            [
                [ [| 2; 2; 4; 5 |]; [| 3; 2; 3; 2 |]; [| 3 |] ]
                [ [| 2; 4; 5 |]; [| 3; 2; 3; 2 |]; [| 3 |] ]
            ]
            (three (fun x w b -> x.Conv2d(w, b, padding = [| 1; 0 |])))
        convRow
            "conv2d-stride-dilation"
            [ conv2d ]
            [ [ [| 1; 2; 5; 5 |]; [| 2; 2; 2; 2 |] ] ]
            (two (fun x w -> x.Conv2d(w, stride = [| 2; 1 |], padding = [| 1 |], dilation = [| 1; 2 |])))
        convRow
            "conv2d-depthwise"
            [ conv2d ]
            [ [ [| 1; 3; 4; 4 |]; [| 3; 1; 3; 3 |] ] ]
            (two (fun x w -> x.Conv2d(w, padding = [| 1 |], groups = 3)))
        convRow
            "conv2d-groups"
            [ conv2d ]
            [ [ [| 1; 2; 4; 3 |]; [| 4; 1; 2; 2 |] ] ]
            (two (fun x w -> x.Conv2d(w, stride = [| 2 |], groups = 2)))
        convRow "conv2d-1x1" [ conv2d ] [ [ [| 2; 3; 3; 3 |]; [| 2; 3; 1; 1 |] ] ] (two (fun x w -> x.Conv2d w))
        convRow
            "conv2d-kernel-larger-than-input"
            [ conv2d ]
            [ [ [| 1; 1; 2; 2 |]; [| 1; 1; 3; 4 |] ] ]
            (two (fun x w -> x.Conv2d(w, padding = [| 1; 2 |])))
        convRow
            "conv2d-same-valid"
            [ conv2dMode ]
            [ [ [| 1; 2; 4; 4 |]; [| 2; 2; 2; 3 |] ] ]
            (two (fun x w -> joined [ x.Conv2d(w, "same"); x.Conv2d(w, "valid") ]))
        convRow
            "conv3d-stride-padding-groups"
            [ conv3d ]
            [ [ [| 1; 2; 3; 3; 3 |]; [| 2; 1; 2; 2; 2 |] ] ]
            (two (fun x w -> x.Conv3d(w, stride = [| 1; 2; 1 |], padding = [| 1; 0; 1 |], groups = 2)))
        convRow
            "conv3d-same-valid"
            [ conv3dMode ]
            [ [ [| 1; 1; 3; 3; 2 |]; [| 2; 1; 2; 2; 2 |] ] ]
            (two (fun x w -> joined [ x.Conv3d(w, "same"); x.Conv3d(w, "valid") ]))
        convRow
            "convTranspose1d-stride-outputPadding-bias"
            [ convT1d ]
            [
                [ [| 2; 2; 3 |]; [| 2; 3; 3 |]; [| 3 |] ]
                [ [| 2; 3 |]; [| 2; 3; 3 |]; [| 3 |] ]
            ]
            (three (fun x w b -> x.ConvTranspose1d(w, b, stride = [| 2 |], padding = [| 1 |], outputPadding = [| 1 |])))
        convRow
            "convTranspose2d-stride-padding"
            [ convT2d ]
            [ [ [| 1; 2; 3; 3 |]; [| 2; 2; 2; 3 |] ] ]
            (two (fun x w ->
                x.ConvTranspose2d(w, stride = [| 2; 1 |], padding = [| 0; 1 |], outputPadding = [| 1; 0 |])))
        convRow
            "convTranspose2d-dilation-groups"
            [ convT2d ]
            [ [ [| 1; 2; 3; 2 |]; [| 2; 2; 2; 2 |] ] ]
            (two (fun x w -> x.ConvTranspose2d(w, groups = 2, dilation = [| 2 |])))
        convRow
            "convTranspose3d-stride-groups"
            [ convT3d ]
            [ [ [| 1; 2; 2; 2; 2 |]; [| 2; 1; 2; 2; 2 |] ] ]
            (two (fun x w -> x.ConvTranspose3d(w, stride = [| 2 |], groups = 2)))
    ]

/// Padding, interpolation, pixel shuffles, unfold and fold: each linear in its input, one row per mode or option that
/// takes another path (each padding mode, each interpolation mode with and without aligned corners, sizes against
/// scale factors, up and down, unbatched inputs, windows larger than the input with padding).
let private resampleSpecs: Spec list =
    let pad = [ "Pad(Int32[], String, Double)" ]
    let interpolate = [ "Interpolate(Int32[], Double[], String, Boolean, Boolean)" ]

    let resize (x: Tensor) mode (size: int[]) alignCorners =
        x.Interpolate(size = size, mode = mode, alignCorners = alignCorners)

    let scaled (x: Tensor) mode (scale: float[]) alignCorners recompute =
        x.Interpolate(scaleFactor = scale, mode = mode, alignCorners = alignCorners, recomputeScaleFactor = recompute)

    [
        on
            "pad-constant"
            pad
            [ real ]
            [ [ [| 2; 3; 4 |] ] ]
            (one (fun x ->
                joined
                    [
                        x.Pad [| 1; 2 |]
                        x.Pad([| 2; 0; -1; 1 |], "constant", 1.5)
                        x.Pad [| 1; 1; 0; 1; 1; 0 |]
                    ]))
        on
            "pad-reflect"
            pad
            [ real ]
            [ [ [| 2; 3; 4 |] ] ]
            (one (fun x -> joined [ x.Pad([| 2; 3 |], "reflect"); x.Pad([| 1; 0; 2; 1 |], "reflect") ]))
        on
            "pad-replicate"
            pad
            [ real ]
            [ [ [| 2; 3; 4 |] ] ]
            (one (fun x -> joined [ x.Pad([| 2; 1 |], "replicate"); x.Pad([| 0; 3; 1; 1 |], "replicate") ]))
        on
            "pad-circular"
            pad
            [ real ]
            [ [ [| 2; 3; 4 |] ] ]
            (one (fun x -> joined [ x.Pad([| 4; 1 |], "circular"); x.Pad([| 1; 2; 3; 0 |], "circular") ]))
        on
            "interpolate-nearest"
            interpolate
            [ real ]
            [ [ [| 1; 2; 3; 4 |] ] ]
            (one (fun x ->
                joined
                    [
                        resize x "nearest" [| 5; 3 |] false
                        scaled x "nearest" [| 1.5 |] false false
                        resize x "nearest-exact" [| 2; 7 |] false
                        scaled x "nearest-exact" [| 0.6; 1.3 |] false true
                    ]))
        on
            "interpolate-linear"
            interpolate
            [ real ]
            [ [ [| 2; 2; 3 |] ] ]
            (one (fun x ->
                joined
                    [
                        resize x "linear" [| 5 |] false
                        resize x "linear" [| 7 |] true
                        scaled x "linear" [| 1.7 |] false false
                        resize x "linear" [| 2 |] false
                        resize x "linear" [| 3 |] false
                    ]))
        on
            "interpolate-bilinear"
            interpolate
            [ real ]
            [ [ [| 1; 2; 3; 4 |] ] ]
            (one (fun x ->
                joined
                    [
                        resize x "bilinear" [| 5; 2 |] false
                        resize x "bilinear" [| 4; 6 |] true
                        scaled x "bilinear" [| 2.0 |] false false
                    ]))
        on
            "interpolate-bicubic"
            interpolate
            [ real ]
            [ [ [| 1; 2; 3; 3 |] ] ]
            (one (fun x ->
                joined
                    [
                        resize x "bicubic" [| 5; 4 |] false
                        resize x "bicubic" [| 2; 5 |] true
                        scaled x "bicubic" [| 1.5; 0.7 |] false false
                    ]))
        on
            "interpolate-trilinear"
            interpolate
            [ real ]
            [ [ [| 1; 1; 2; 3; 2 |] ] ]
            (one (fun x ->
                joined
                    [
                        resize x "trilinear" [| 3; 2; 4 |] false
                        resize x "trilinear" [| 3; 4; 3 |] true
                    ]))
        on
            "interpolate-area"
            interpolate
            [ real ]
            [ [ [| 1; 2; 5; 4 |] ] ]
            (one (fun x ->
                joined
                    [
                        resize x "area" [| 3; 2 |] false
                        resize x "area" [| 7; 5 |] false
                        scaled x "area" [| 0.5 |] false false
                    ]))
        on
            "pixelShuffle"
            [ "PixelShuffle(Int32)" ]
            [ real ]
            [ [ [| 1; 4; 2; 3 |] ] ]
            (one (fun x -> joined [ x.PixelShuffle 2; x.PixelShuffle 1; x.At(0).PixelShuffle 2 ]))
        on
            "pixelUnshuffle"
            [ "PixelUnshuffle(Int32)" ]
            [ real ]
            [ [ [| 1; 2; 4; 4 |] ] ]
            (one (fun x -> joined [ x.PixelUnshuffle 2; x.At(0).PixelUnshuffle 2 ]))
        on
            "unfold"
            [ "Unfold(Int32[], Int32[], Int32[], Int32[])" ]
            [ real ]
            [ [ [| 1; 2; 3; 5 |] ] ]
            (one (fun x ->
                joined
                    [
                        x.Unfold [| 2 |]
                        x.Unfold([| 2; 3 |], [| 1; 2 |], [| 1; 0 |], [| 2; 1 |])
                        x.Unfold([| 4 |], padding = [| 1 |], stride = [| 3 |])
                        x.At(0).Unfold [| 1 |]
                    ]))
        on
            "fold"
            [ "Fold(Int32[], Int32[], Int32[], Int32[], Int32[])" ]
            [ real ]
            [ [ [| 1; 8; 6 |] ] ]
            (one (fun x ->
                joined
                    [
                        x.Fold([| 3; 4 |], [| 2 |])
                        x.Fold([| 4; 3 |], [| 2 |], padding = [| 1 |], stride = [| 2 |])
                        x.At(0).Fold([| 2; 8 |], [| 1; 2 |], dilation = [| 1; 2 |], stride = [| 2; 1 |])
                    ]))
    ]

/// Issue 23's elementary functions (Ops/Elementary.cs) and rounding (Ops/Rounding.cs). Values against mpmath tables,
/// conventions and errors are in Elementwise/ElementaryTests.fs; these rows check derivatives, vmap and compile.
let private elementarySpecs: Spec list =
    let openUnit = Domain.bounded -0.9 0.9
    let integers = [ for k in -3 .. 3 -> float k ]
    let halves = [ for k in -4 .. 3 -> float k + 0.5 ]
    let awayFromIntegers = Domain.real |> Domain.awayFrom integers 0.05
    let tenths = [ for k in -31 .. 30 -> float k / 10.0 + 0.05 ]

    [
        transcendental (unary "asin" [ "Asin()" ] openUnit (fun x -> x.Asin()))
        transcendental (unary "acos" [ "Acos()" ] openUnit (fun x -> x.Acos()))
        transcendental (unary "atan" [ "Atan()" ] real (fun x -> x.Atan()))
        transcendental (unary "sinh" [ "Sinh()" ] real (fun x -> x.Sinh()))
        transcendental (unary "cosh" [ "Cosh()" ] real (fun x -> x.Cosh()))
        transcendental (unary "asinh" [ "Asinh()" ] real (fun x -> x.Asinh()))
        transcendental (unary "acosh" [ "Acosh()" ] (Domain.bounded 1.25 4.0) (fun x -> x.Acosh()))
        transcendental (unary "atanh" [ "Atanh()" ] openUnit (fun x -> x.Atanh()))
        transcendental (unary "log2" [ "Log2()" ] positive (fun x -> x.Log2()))
        transcendental (unary "log10" [ "Log10()" ] positive (fun x -> x.Log10()))
        transcendental (unary "exp2" [ "Exp2()" ] real (fun x -> x.Exp2()))
        unary "rsqrt" [ "Rsqrt()" ] positive (fun x -> x.Rsqrt())
        unary "sinc" [ "Sinc()" ] awayFromKink (fun x -> x.Sinc())
        unary "logit" [ "Logit(Nullable<Double>)" ] (Domain.bounded 0.1 0.9) (fun x -> x.Logit())
        unary
            "logit-eps"
            [ "Logit(Nullable<Double>)" ]
            (Domain.bounded 0.02 0.98 |> Domain.awayFrom [ 0.2; 0.8 ] 0.05)
            (fun x -> x.Logit(0.2))
        unary "entr" [ "Entr()" ] positive (fun x -> x.Entr())
        unary "floor" [ "Floor()" ] awayFromIntegers (fun x -> x.Floor())
        unary "ceil" [ "Ceil()" ] awayFromIntegers (fun x -> x.Ceil())
        unary "round" [ "Round()" ] (Domain.real |> Domain.awayFrom halves 0.05) (fun x -> x.Round())
        unary "round-decimals" [ "Round(Int32)" ] (Domain.real |> Domain.awayFrom tenths 0.01) (fun x -> x.Round(1))
        unary
            "round-negative-decimals"
            [ "Round(Int32)" ]
            (Domain.bounded -40.0 40.0
             |> Domain.awayFrom [ -35.0; -25.0; -15.0; -5.0; 5.0; 15.0; 25.0; 35.0 ] 0.5)
            (fun x -> x.Round(-1))
        unary "trunc" [ "Trunc()" ] awayFromIntegers (fun x -> x.Trunc())
        unary "frac" [ "Frac()" ] awayFromIntegers (fun x -> x.Frac())
    ]

// ---- binary math (Ops/BinaryMath.cs, Ops/Clamp.cs): values are pinned against mpmath in BinaryMathTests ----

/// Cases whose quotients a / c stay 0.05 away from every integer (where fmod and remainder jump), for a number c.
let private awayFromJumpsBy (c: float) (xs: Tensor list) =
    (List.exactlyOne xs / c).ToArray()
    |> Array.forall (fun q -> abs (q - Math.Round q) > 0.05)

/// Every pair of broadcast elements of any two arguments at least `gap` apart (clamp meets a kink where two are equal).
let private pairsApart (xs: Tensor list) =
    List.allPairs xs xs
    |> List.forall (fun (a, b) -> obj.ReferenceEquals(a, b) || (a - b).Abs().Min().Item() >= gap)

/// Shapes of three broadcasting arguments.
let private ternaryShapes =
    [
        [ [| 3; 4 |]; [| 3; 4 |]; [| 3; 4 |] ]
        [ [| 3; 1 |]; [| 1; 4 |]; [||] ]
        [ [| 2; 3 |]; [| 3 |]; [| 2; 1 |] ]
    ]

let private binaryMathSpecs: Spec list =
    [
        // atan2 jumps by 2π across a = 0 where b < 0, and its derivatives are large near (0, 0)
        binary "atan2" [ "Atan2(Tensor)" ] nonZero real (fun a b -> a.Atan2 b)
        binary "hypot" [ "Hypot(Tensor)" ] nonZero nonZero (fun a b -> a.Hypot b)
        { binary "fmod" [ "Fmod(Tensor)" ] real positive (fun a b -> a.Fmod b) with
            Valid = awayFromJumps
        }
        { unary "fmod-number" [ "Fmod(Double)" ] real (fun x -> x.Fmod -1.3) with
            Valid = awayFromJumpsBy 1.3
        }
        { unary "remainder-number" [ "Remainder(Double)" ] real (fun x -> x.Remainder 1.3) with
            Valid = awayFromJumpsBy 1.3
        }
        binary "copysign" [ "Copysign(Tensor)" ] nonZero nonZero (fun a b -> a.Copysign b)
        unary
            "copysign-number"
            [ "Copysign(Double)" ]
            nonZero
            (both (fun x -> x.Copysign -1.0) (fun x -> x.Copysign 2.0))
        binary "logaddexp" [ "Logaddexp(Tensor)" ] real real (fun a b -> a.Logaddexp b)
        binary "logaddexp2" [ "Logaddexp2(Tensor)" ] real real (fun a b -> a.Logaddexp2 b)
        binary "xlogy" [ "Xlogy(Tensor)" ] real positive (fun a b -> a.Xlogy b)
        unary
            "xlogy-number"
            [ "Xlogy(Double)"; "static Xlogy(Double, Tensor)" ]
            positive
            (both (fun x -> x.Xlogy 2.5) (fun x -> Tensor.Xlogy(1.5, x)))
        binary "xlog1py" [ "Xlog1py(Tensor)" ] real (Domain.bounded -0.5 3.0) (fun a b -> a.Xlog1py b)
        unary
            "xlog1py-number"
            [ "Xlog1py(Double)"; "static Xlog1py(Double, Tensor)" ]
            positive
            (both (fun x -> x.Xlog1py 0.5) (fun x -> Tensor.Xlog1py(-1.5, x)))
        // the weight crosses ±½, where the formula changes (not the function)
        on "lerp" [ "Lerp(Tensor, Tensor)" ] [ real; real; real ] ternaryShapes (three (fun s e w -> s.Lerp(e, w)))
        binary
            "lerp-number"
            [ "Lerp(Tensor, Double)" ]
            real
            real
            (both2 (fun s e -> s.Lerp(e, 0.25)) (fun s e -> s.Lerp(e, 0.75)))
        unary "clamp" [ "Clamp(Nullable<Double>, Nullable<Double>)" ] (Domain.awayFromKinks [ -1.0; 1.0 ]) (fun x ->
            Tensor.Stack(
                [|
                    x.Clamp(Nullable -1.0, Nullable 1.0)
                    x.Clamp(Nullable 1.0, Nullable())
                    x.Clamp(Nullable(), Nullable -1.0)
                    x.Clamp(Nullable 1.0, Nullable -1.0)
                |]
            ))
        { binary "clampMin" [ "ClampMin(Tensor)" ] distinct distinct (fun x lo -> x.ClampMin lo) with
            Valid = apart
        }
        { binary "clampMax" [ "ClampMax(Tensor)" ] distinct distinct (fun x hi -> x.ClampMax hi) with
            Valid = apart
        }
        unary
            "clampMinMax-number"
            [ "ClampMin(Double)"; "ClampMax(Double)" ]
            (Domain.awayFromKinks [ -0.5; 0.5 ])
            (both (fun x -> x.ClampMin -0.5) (fun x -> x.ClampMax 0.5))
        { on
              "clamp-tensors"
              [ "Clamp(Tensor, Tensor)" ]
              [ distinct; distinct; distinct ]
              ternaryShapes
              (three (fun x lo hi -> x.Clamp(lo, hi))) with
            Valid = pairsApart
        }
        // whole powers written as products (the general power's rows are above)
        unary "pow-number-products" [ "Pow(Double)" ] nonZero (fun x ->
            Tensor.Stack([| for p in [ -2.0; -1.0; 1.0; 2.0; 4.0 ] -> x.Pow p |]))
    ]

/// The special functions (Ops/Special.cs): their values are FuncGrad's own vector formulas, deterministic, but their
/// derivatives go through exp (a TensorPrimitives transcendental).
let private specialSpecs: Spec list =
    [
        transcendental (unary "erf" [ "Erf()" ] real (fun x -> x.Erf()))
        transcendental (unary "erfc" [ "Erfc()" ] real (fun x -> x.Erfc()))
        transcendental (unary "ndtr" [ "Ndtr()" ] real (fun x -> x.Ndtr()))
        transcendental (unary "logNdtr" [ "LogNdtr()" ] real (fun x -> x.LogNdtr()))
        // bessel: I0e has a corner at 0 and I1e a jump in its second derivative there
        unary "i0" [ "I0()" ] real (fun x -> x.I0())
        unary "i0e" [ "I0e()" ] awayFromKink (fun x -> x.I0e())
        unary "i1" [ "I1()" ] real (fun x -> x.I1())
        transcendental (unary "i1e" [ "I1e()" ] awayFromKink (fun x -> x.I1e()))
        // the gamma family on [0.5, 6] and, by reflection, on [−0.8, −0.25], clear of the poles
        unary
            "lgamma"
            [ "Lgamma()" ]
            (Domain.bounded 0.5 6.0)
            (both (fun x -> x.Lgamma()) (fun x -> (x * -0.1 - 0.2).Lgamma()))
        unary
            "digamma"
            [ "Digamma()" ]
            (Domain.bounded 0.5 6.0)
            (both (fun x -> x.Digamma()) (fun x -> (x * -0.1 - 0.2).Digamma()))
        unary
            "polygamma"
            [ "Polygamma(Int32)"; "static Polygamma(Int32, Tensor)" ]
            (Domain.bounded 1.0 4.0)
            (both (fun x -> x.Polygamma 1) (fun x -> Tensor.Polygamma(2, x * -0.1 - 0.2)))
        // inside (−1, 1) and (0, 1), clear of the poles at the ends for the finite differences
        unary "erfinv" [ "Erfinv()" ] (Domain.bounded -0.9 0.9) (fun x -> x.Erfinv())
        unary "ndtri" [ "Ndtri()" ] (Domain.bounded 0.05 0.95) (fun x -> x.Ndtri())
    ]

/// The activations (Ops/Activations.cs): a row per op and per parameter that changes the kernel, on domains that keep
/// clear of the kinks (and of softplus's switch to x).
let private activationSpecs: Spec list =
    let around (lo: float) (hi: float) (kinks: float list) =
        { Domain.awayFromKinks kinks with
            Low = lo
            High = hi
        }

    [
        unary "gelu-tanh" [ "Gelu(String)" ] real (fun x -> x.Gelu "tanh")
        transcendental (unary "gelu" [ "Gelu(String)" ] real (fun x -> x.Gelu()))
        unary "silu" [ "Silu()" ] real (fun x -> x.Silu())
        unary "mish" [ "Mish()" ] real (fun x -> x.Mish())
        unary "elu" [ "Elu(Double)" ] awayFromKink (both (fun x -> x.Elu()) (fun x -> x.Elu 0.5))
        unary "selu" [ "Selu()" ] awayFromKink (fun x -> x.Selu())
        unary "celu" [ "Celu(Double)" ] awayFromKink (both (fun x -> x.Celu()) (fun x -> x.Celu 2.0))
        unary
            "leaky-relu"
            [ "LeakyRelu(Double)" ]
            awayFromKink
            (both (fun x -> x.LeakyRelu()) (fun x -> x.LeakyRelu 0.2))
        unary "relu6" [ "Relu6()" ] (around -2.0 8.0 [ 0.0; 6.0 ]) (fun x -> x.Relu6())
        unary
            "hardtanh"
            [ "Hardtanh(Double, Double)" ]
            (Domain.awayFromKinks [ -1.0; -0.5; 1.0; 2.0 ])
            (both (fun x -> x.Hardtanh()) (fun x -> x.Hardtanh(-0.5, 2.0)))
        unary "hardsigmoid" [ "Hardsigmoid()" ] (around -5.0 5.0 [ -3.0; 3.0 ]) (fun x -> x.Hardsigmoid())
        unary "hardswish" [ "Hardswish()" ] (around -5.0 5.0 [ -3.0; 3.0 ]) (fun x -> x.Hardswish())
        unary "softsign" [ "Softsign()" ] awayFromKink (fun x -> x.Softsign())
        unary "tanhshrink" [ "Tanhshrink()" ] real (fun x -> x.Tanhshrink())
        unary "log-sigmoid" [ "LogSigmoid()" ] real (fun x -> x.LogSigmoid())
        // beta 2: linear above x = 10 (never reached), and above x = 1.5 with threshold 3
        unary
            "softplus-beta"
            [ "Softplus(Double, Double)" ]
            (Domain.awayFromKinks [ 1.5 ])
            (both (fun x -> x.Softplus 2.0) (fun x -> x.Softplus(2.0, 3.0)))
    ]

// ---- statistics: products, variances, amax/amin, NaN-ignoring sums, norms and quantiles (Ops/Statistics.cs,
// Ops/Product.cs, Ops/Quantile.cs); their values against loops, zeros, ties and NaN are in StatisticsTests ----

let private factor = Domain.bounded 0.5 1.5

let private statisticsSpecs: Spec list =
    let prod = [ "Prod(Int32[], Boolean)" ]
    let var = [ "Var(Int32[], Double, Boolean)" ]
    let t234 = [ [ [| 2; 3; 4 |] ] ]
    let t223 = [ [ [| 2; 2; 3 |] ] ]

    let quantileRow name covers shapes f =
        { on name covers [ distinct ] shapes (one f) with
            Valid = allApart
        }

    [
        on "prod" prod [ factor ] [ [ [| 5 |] ]; [ [||] ] ] (one (fun x -> x.Prod()))
        // keepDims over axes whose order matters: the product of the others is formed with the reduced axes moved last
        on "prod-trailing-axes-keepdims" prod [ factor ] t234 (one (fun x -> x.Prod([| 2; 1 |], keepDims = true)))
        on "prod-outer-axes" prod [ factor ] t223 (one (fun x -> x.Prod([| 0; 2 |])))
        on "var" var [ real ] [ [ [| 5 |] ] ] (one (fun x -> x.Var()))
        on "var-trailing-axes-keepdims" var [ real ] t234 (one (fun x -> x.Var([| 1; 2 |], 1.0, true)))
        on "var-outer-axes-correction0" var [ real ] t223 (one (fun x -> x.Var([| 0; -1 |], 0.0)))
        on "std" [ "Std(Int32[], Double, Boolean)" ] [ real ] t223 (one (fun x -> x.Std([| -2; -1 |], 1.0, true)))
        on
            "varMean-stdMean"
            [ "VarMean(Int32[], Double, Boolean)"; "StdMean(Int32[], Double, Boolean)" ]
            [ real ]
            t223
            (one (fun x ->
                let struct (v, m) = x.VarMean([| 1; 2 |], 0.0, true)
                let struct (s, n) = x.StdMean([| 0; 1 |], 2.0)
                joined [ v; m; s; n ]))
        { on
              "amax-amin"
              [ "Amax(Int32[], Boolean)"; "Amin(Int32[], Boolean)" ]
              [ distinct ]
              t223
              (one (fun x -> joined [ x.Amax([| 1; 2 |], true); x.Amin([| 2; 1 |], true) ])) with
            Valid = clearExtremesPerSlice
        }
        on
            "nansum-nanmean"
            [ "Nansum(Int32[], Boolean)"; "Nanmean(Int32[], Boolean)" ]
            [ real ]
            t223
            (one (fun x -> joined [ x.Nansum([| 1; 2 |], true); x.Nanmean([| 2; 0 |]) ]))
        on
            "norm"
            [ "Norm(Double, Int32[], Boolean)"; "Norm(String, Int32[], Boolean)" ]
            [ awayFromKink ]
            t223
            (one (fun x -> joined [ x.Norm(3.0, [| 1; 2 |], true); x.Norm("fro", [| 0; 2 |]) ]))
        quantileRow
            "quantile"
            [
                "Quantile(Double, Nullable<Int32>, Boolean, String)"
                "Quantile(Tensor, Nullable<Int32>, Boolean, String)"
            ]
            [ [ [| 5 |] ] ]
            (fun x ->
                joined
                    [
                        x.Quantile(0.3)
                        x.Quantile(Tensor.FromArray [| 0.1; 0.9 |], Nullable 0, true)
                    ])
        quantileRow
            "quantile-interpolations"
            [ "Quantile(Double, Nullable<Int32>, Boolean, String)" ]
            [ [ [| 2; 5 |] ] ]
            (fun x ->
                joined
                    [
                        for mode in [ "lower"; "higher"; "midpoint"; "nearest" ] do
                            x.Quantile(0.375, Nullable -1, true, mode)
                    ])
        quantileRow
            "nanquantile"
            [
                "Nanquantile(Double, Nullable<Int32>, Boolean, String)"
                "Nanquantile(Tensor, Nullable<Int32>, Boolean, String)"
            ]
            [ [ [| 2; 4 |] ] ]
            (fun x ->
                joined
                    [
                        x.Nanquantile(0.3)
                        x.Nanquantile(Tensor.FromArray [| 0.2; 0.7 |], Nullable 1, false, "midpoint")
                    ])
    ]

/// Rearranging and splitting (Ops/Rearrange.cs, Ops/Splitting.cs): linear moves, squared so that second derivatives
/// are not zero; parts of a split joined into one tensor.
let private layoutSpecs: Spec list =
    let squares (ps: Tensor[]) = joined [ for p in ps -> p.Square() ]

    [
        on
            "flip"
            [ "Flip(Int32[])" ]
            [ real ]
            [ [ [| 2; 3; 4 |] ] ]
            (one (fun x -> joined [ x.Flip(0, 2).Square(); x.Flip(-1) ]))
        on
            "roll"
            [ "Roll(Int32[], Int32[])"; "Roll(Int32, Nullable<Int32>)" ]
            [ real ]
            [ [ [| 3; 4 |] ] ]
            (one (fun x -> joined [ x.Roll([| 1; -5 |], [| 0; 1 |]).Square(); x.Roll(5); x.Roll(-1, Nullable 1) ]))
        on "repeat" [ "Repeat(Int32[])" ] [ real ] [ [ [| 2; 3 |] ] ] (one (fun x -> x.Repeat(2, 1, 2).Square()))
        on
            "repeatInterleave"
            [ "RepeatInterleave(Int32, Nullable<Int32>)" ]
            [ real ]
            [ [ [| 2; 3 |] ] ]
            (one (fun x -> joined [ x.RepeatInterleave(2, Nullable 1).Square(); x.RepeatInterleave(3) ]))
        on
            "repeatInterleave-tensor"
            [ "RepeatInterleave(Tensor, Nullable<Int32>)" ]
            [ real ]
            [ [ [| 3; 2 |] ] ]
            (one (fun x ->
                joined
                    [
                        x.RepeatInterleave(longs [ 2L; 0L; 1L ] [| 3 |], Nullable 0).Square()
                        x.RepeatInterleave(longs [ 2L ] [||])
                    ]))
        on
            "tile"
            [ "Tile(Int32[])" ]
            [ real ]
            [ [ [| 2; 3 |] ] ]
            (one (fun x -> joined [ x.Tile(2).Square(); x.Tile(2, 1, 1) ]))
        on
            "narrow"
            [ "Narrow(Int32, Int32, Int32)" ]
            [ real ]
            [ [ [| 3; 4 |] ] ]
            (one (fun x -> joined [ x.Narrow(1, 1, 2).Square(); x.Narrow(0, -2, 1) ]))
        on
            "movedim"
            [ "Movedim(Int32, Int32)"; "Movedim(Int32[], Int32[])" ]
            [ real ]
            [ [ [| 2; 3; 4 |] ] ]
            (one (fun x -> joined [ x.Movedim(0, -1).Square(); x.Movedim([| 0; 1 |], [| 2; 0 |]) ]))
        // two names of Transpose(Int32, Int32), which has its own rows: one row for both
        on
            "swapaxes"
            [ "Swapaxes(Int32, Int32)"; "Swapdims(Int32, Int32)" ]
            [ real ]
            [ [ [| 2; 3; 4 |] ] ]
            (one (fun x -> joined [ x.Swapaxes(0, 2).Square(); x.Swapdims(-1, 1) ]))
        on "expand" [ "Expand(Int32[])" ] [ real ] [ [ [| 3; 1 |] ] ] (one (fun x -> x.Expand(2, -1, 4).Square()))
        on "split" [ "Split(Int32, Int32)" ] [ real ] [ [ [| 3; 5 |] ] ] (one (fun x -> squares (x.Split(2, 1))))
        on
            "split-sizes"
            [ "Split(Int32[], Int32)" ]
            [ real ]
            [ [ [| 3; 5 |] ] ]
            (one (fun x -> squares (x.Split([| 1; 3; 1 |], -1))))
        on "chunk" [ "Chunk(Int32, Int32)" ] [ real ] [ [ [| 3; 5 |] ] ] (one (fun x -> squares (x.Chunk(3, 1))))
        on
            "unbind"
            [ "Unbind(Int32)" ]
            [ real ]
            [ [ [| 2; 3 |] ] ]
            (one (fun x -> joined [ for i, p in Array.indexed (x.Unbind 1) -> p.Square() * float (i + 1) ]))
        on
            "meshgrid"
            [ "static Meshgrid(IReadOnlyList<Tensor>, String)" ]
            [ real; real ]
            [ [ [| 3 |]; [| 2 |] ] ]
            (two (fun a b ->
                joined (
                    List.ofArray (Tensor.Meshgrid([ a; b ]) |> Array.map (fun p -> p.Square()))
                    @ List.ofArray (Tensor.Meshgrid([ a; b; a ], "xy"))
                )))
    ]

/// Einsum, tensordot and kron (Ops/Einsum.cs, Ops/Contractions.cs): one row per path of a pairwise contraction (a
/// matrix product with each operand as it lies, transposed or not; a broadcast multiply; a batch of dot products), of
/// one operand (diagonals, sums, permutations), of the ellipsis and of the greedy order. The products' batching rule
/// sums in another order, so vmap is within rounding (product).
let private einsumSpecs: Spec list =
    let einsum (equation: string) (xs: Tensor list) =
        Tensor.Einsum(equation, Array.ofList xs)

    [
        product (
            on
                "einsum"
                [ "static Einsum(String, IReadOnlyList<Tensor>)" ]
                [ real; real ]
                [ [ [| 3; 3 |]; [| 3; 3 |] ] ]
                (fun xs ->
                    joined
                        [
                            einsum "ij,jk->ik" xs
                            einsum "ij,kj->ik" xs
                            einsum "ji,jk->ik" xs
                            einsum "ji,kj->ik" xs
                            einsum "ij,jk" xs
                            einsum "ij,ij->i" xs
                            einsum "i j , i j -> j i" xs
                            einsum "ij,kl->ijkl" xs
                            einsum "ii,jj->" xs
                        ])
        )
        product (
            on
                "einsumBatched"
                [ "static Einsum(String, IReadOnlyList<Tensor>)" ]
                [ real; real ]
                [ [ [| 2; 1; 2; 3 |]; [| 2; 1; 2; 3 |] ] ]
                (fun xs ->
                    joined
                        [
                            einsum "bhqd,bhkd->bhqk" xs
                            einsum "...qd,...kd->...qk" xs
                            einsum "bhqd,bhqe->hde" xs
                        ])
        )
        product (
            on
                "einsumBroadcast"
                [ "static Einsum(String, IReadOnlyList<Tensor>)" ]
                [ real; real ]
                [ [ [| 2; 1; 3; 4 |]; [| 3; 4; 2 |] ] ]
                (fun xs ->
                    joined
                        [
                            einsum "...ij,...jk->...ik" xs
                            einsum "...ij,...jk" xs
                            einsum "abij,bjk->ak" xs
                        ])
        )
        on
            "einsumOneOperand"
            [ "static Einsum(String, IReadOnlyList<Tensor>)" ]
            [ real ]
            [ [ [| 3; 3; 2 |] ] ]
            (fun xs ->
                joined
                    [
                        einsum "iij->ji" xs
                        einsum "iij" xs
                        einsum "ijk->kji" xs
                        einsum "...k->k" xs
                        (einsum "ijk->" xs).Square()
                    ])
        product (
            on
                "einsumThreeOperands"
                [ "static Einsum(String, IReadOnlyList<Tensor>)" ]
                [ real; real; real ]
                [ [ [| 4; 2 |]; [| 2; 4 |]; [| 4; 2 |] ] ]
                (fun xs -> joined [ einsum "ij,jk,kl->il" xs; einsum "ij,jk,kj->i" xs; einsum "ij,jk,kl" xs ])
        )
        product (
            on
                "tensordot"
                [ "Tensordot(Tensor, Int32)"; "Tensordot(Tensor, Int32[], Int32[])" ]
                [ real; real ]
                [ [ [| 2; 3; 4 |]; [| 3; 4; 2 |] ] ]
                (two (fun a b ->
                    joined
                        [
                            a.Tensordot(b)
                            a.Tensordot(b, [| 2 |], [| 1 |])
                            a.Tensordot(b, [| 0; 1 |], [| 2; 0 |])
                            a.Tensordot(b, [| -1 |], [| 1 |])
                        ]))
        )
        on
            "kron"
            [ "Kron(Tensor)" ]
            [ real; real ]
            [ [ [| 2; 3 |]; [| 2; 2 |] ]; [ [| 3 |]; [| 2; 2 |] ] ]
            (two (fun a b -> a.Kron b))
    ]

// ---- normalisation: layer, RMS, group, instance and batch norm (Ops/Normalization.cs); their values against loops
// and the unfused compositions, the running statistics and the errors are in NormalizationTests ----
let private normalizationSpecs: Spec list =
    let last (k: int) (x: Tensor) =
        let s = Seq.toArray x.Shape
        s[s.Length - k ..]

    let five f =
        function
        | [ a; b; c; d; e ] -> f a b c d e
        | xs -> failwith $"five arguments expected, got {List.length xs}"

    let batchNorm = "BatchNorm(Tensor, Tensor, Tensor, Tensor, Boolean, Double, Double)"

    // Rows of the first argument whose values spread over at least 0.5 (a nearly constant row makes x̂ change faster
    // than a float32 finite-difference step resolves): element i is in row (i / inner) % rows, so [rows·inner]
    // chunks for the trailing-axis ops, and batch norm's channels with rows = C, inner = the spatial size.
    let spread (inner: int) (rows: int) (s: Spec) =
        let ok (xs: Tensor list) =
            xs.Head.ToArray()
            |> Array.mapi (fun i v -> (i / inner) % rows, v)
            |> Array.groupBy fst
            |> Array.forall (fun (_, r) ->
                let v = Array.map snd r
                Array.max v - Array.min v >= 0.5)

        coarse32 { s with Valid = ok }

    [
        spread
            3
            Int32.MaxValue
            (on
                "layerNorm"
                [ "LayerNorm(Int32[], Tensor, Tensor, Double)" ]
                [ real ]
                [ [ [| 3; 2; 3 |] ] ]
                (one (fun x -> joined [ x.LayerNorm(last 1 x); x.LayerNorm(last 2 x, eps = 1e-3) ])))
        spread
            4
            Int32.MaxValue
            (on
                "layerNorm-affine"
                [ "LayerNorm(Int32[], Tensor, Tensor, Double)" ]
                [ real; real; real ]
                [ [ [| 3; 4 |]; [| 4 |]; [| 4 |] ] ]
                (three (fun x w b ->
                    joined
                        [
                            x.LayerNorm([| 4 |], w, b)
                            x.LayerNorm([| 4 |], w)
                            x.LayerNorm([| 4 |], bias = b)
                        ])))
        spread
            4
            Int32.MaxValue
            (on
                "rmsNorm"
                [ "RmsNorm(Int32[], Tensor, Nullable<Double>)" ]
                [ real; real ]
                [ [ [| 3; 4 |]; [| 4 |] ] ]
                (two (fun x w ->
                    joined
                        [
                            x.RmsNorm [| 4 |]
                            x.RmsNorm([| 3; 4 |], eps = Nullable 0.1)
                            x.RmsNorm([| 4 |], w)
                        ])))
        spread
            4
            Int32.MaxValue
            (on
                "groupNorm"
                [ "GroupNorm(Int32, Tensor, Tensor, Double)" ]
                [ real; real; real ]
                [ [ [| 2; 4; 2 |]; [| 4 |]; [| 4 |] ] ]
                (three (fun x w b -> joined [ x.GroupNorm(2, w, b); x.GroupNorm 1 ])))
        spread
            3
            Int32.MaxValue
            (on
                "instanceNorm"
                [ "InstanceNorm(Tensor, Tensor, Double)" ]
                [ real; real; real ]
                [ [ [| 2; 2; 3 |]; [| 2 |]; [| 2 |] ] ]
                (three (fun x w b -> joined [ x.InstanceNorm(w, b); x.InstanceNorm() ])))
        spread
            1
            3
            (on
                "batchNorm-train"
                [ batchNorm ]
                [ real; real; real ]
                [ [ [| 4; 3 |]; [| 3 |]; [| 3 |] ] ]
                (three (fun x w b -> joined [ x.BatchNorm(null, null, w, b, true); x.BatchNorm(null, null) ])))
        spread
            2
            2
            (on
                "batchNorm-eval"
                [ batchNorm ]
                [ real; real; positive; real; real ]
                [ [ [| 3; 2; 2 |]; [| 2 |]; [| 2 |]; [| 2 |]; [| 2 |] ] ]
                (five (fun x m v w b -> joined [ x.BatchNorm(m, v, w, b); x.BatchNorm(m, v, eps = 1e-3) ])))
        spread
            2
            2
            (on
                "batchNormTrain"
                [ "BatchNormTrain(Tensor, Tensor, Tensor, Tensor, Double, Double)" ]
                [ real; real; positive; real; real ]
                [ [ [| 3; 2; 2 |]; [| 2 |]; [| 2 |]; [| 2 |]; [| 2 |] ] ]
                (five (fun x m v w b ->
                    let struct (y, m2, v2) = x.BatchNormTrain(m, v, w, b, momentum = 0.3)
                    joined [ y; m2; v2 ])))
    ]

/// Attention's arguments: scores q·k stay within a few units, so float32 second differences of the softmax keep
/// their rounding noise below the tolerance.
let private attentionDomain = Domain.bounded -1.5 1.5

let private attentionSpecs: Spec list =
    let sdpa =
        "ScaledDotProductAttention(Tensor, Tensor, Tensor, Double, Boolean, Nullable<Double>, Boolean, Tensor)"

    let sdpaStatic =
        "static ScaledDotProductAttention(Tensor, Tensor, Tensor, Tensor, Double, Boolean, Nullable<Double>, Boolean, "
        + "Tensor)"

    let key = Tensor.FromArray [| 5L; 9L |]
    let d = attentionDomain

    [
        on
            "scaledDotProductAttention"
            [ sdpa; sdpaStatic ]
            [ d; d; d ]
            [ [ [| 1; 2; 2 |]; [| 1; 3; 2 |]; [| 1; 3; 2 |] ] ]
            (three (fun q k v -> Tensor.ScaledDotProductAttention(q, k, v)))
        // first order: the options' second derivatives go through the same unfused composition as the first row's,
        // and the suite's time is short
        { on
              "scaledDotProductAttention-options"
              [ sdpa ]
              [ d; d; d; d ]
              [ [ [| 2; 2; 2 |]; [| 1; 3; 2 |]; [| 1; 3; 2 |]; [| 2; 3 |] ] ]
              (fun xs ->
                  let q, k, v, m = xs[0], xs[1], xs[2], xs[3]
                  let keep = Tensor.FromArray([| true; false; true; false; false; true |], [| 2; 3 |])

                  joined
                      [
                          k.ScaledDotProductAttention(q, q, isCausal = true, scale = 0.8)
                          q.ScaledDotProductAttention(k, v, dropoutP = 0.4, dropoutKey = key)
                          q.ScaledDotProductAttention(k, v, m)
                          q
                              .Unsqueeze(0)
                              .ScaledDotProductAttention(k.Unsqueeze(0), v.Unsqueeze(0), keep, enableGqa = true)
                      ]) with
            Orders = 1
        }
    ]

// ---- losses (Ops/Losses.cs): composed of the table's other ops; the rows check that the compositions differentiate,
// batch, compile and run on torch:cpu; LossesTests.fs pins their values against loops ----

/// The values of a tensor as float64 numbers, whatever its dtype.
let private numbers (t: Tensor) = (t.ToDType DType.Float64).ToArray()

/// Every value at least `gap` from each kink (where a loss switches piece or a hinge opens).
let private clearOf (kinks: float list) (values: float[]) =
    values
    |> Array.forall (fun v -> kinks |> List.forall (fun k -> abs (v - k) >= gap))

/// A row's Valid that holds where its test cannot be computed (a shrunk shape the op rejects: F says so).
let private validWhere (test: Tensor list -> bool) (xs: Tensor list) =
    try
        test xs
    with _ ->
        true

/// The elementwise differences of the first two arguments clear of the kinks.
let private differencesClearOf (kinks: float list) =
    validWhere (fun xs ->
        match xs with
        | a :: b :: _ -> clearOf kinks (numbers (a - b))
        | _ -> true)

let private lossSpecs: Spec list =
    [
        // classes 0..2 on axis 1 of [2, 3, 2], one index per (example, position) read off the second argument; the
        // element at (1, 1) is ignored
        on
            "nllLoss"
            [ "NllLoss(Tensor, Tensor, Int32, String)" ]
            [ real; indexDomain ]
            [ [ [| 2; 3; 2 |]; [| 2; 2 |] ] ]
            (two (fun x b ->
                let ignored = Tensor.FromArray([| false; false; false; true |], [| 2; 2 |])
                let t = Tensor.Where(ignored, Tensor.Scalar(-100.0, DType.Int64), pick3 b)
                let weight = Tensor.FromArray([| 0.5; 2.0; 1.5 |]).ToDType x.DType
                let rows = x.Narrow(2, 0, 1).Reshape [| 2; 3 |]

                joined
                    [
                        x.NllLoss t
                        x.NllLoss(t, weight, reduction = "none")
                        rows.NllLoss(t.Narrow(1, 0, 1).Reshape [| 2 |], weight, reduction = "sum")
                        rows.Narrow(0, 1, 1).Reshape([| 3 |]).NllLoss(t.Narrow(0, 1, 1).Narrow(1, 0, 1).Reshape [||])
                    ]))
        // the probabilities are a softmax of the logits themselves, so the row needs no third argument
        transcendental
            { on
                  "crossEntropy-shapes"
                  [
                      "CrossEntropy(Tensor, Int32, String, Double)"
                      "CrossEntropy(Tensor, Tensor, Int32, String, Double)"
                  ]
                  [ real; indexDomain ]
                  [ [ [| 2; 3; 2 |]; [| 2; 2 |] ] ]
                  (two (fun x b ->
                      let t = pick3 b
                      let weight = Tensor.FromArray([| 0.5; 2.0; 1.5 |]).ToDType x.DType
                      let one = x.Narrow(0, 1, 1).Narrow(2, 1, 1).Reshape [| 3 |]

                      joined
                          [
                              x.CrossEntropy(t, reduction = "mean")
                              x.CrossEntropy(t, weight, reduction = "none", labelSmoothing = 0.2)
                              x.CrossEntropy((x * 0.5).Softmax(1), reduction = "sum")
                              one.CrossEntropy(t.Narrow(0, 1, 1).Narrow(1, 1, 1).Reshape [||], reduction = "none")
                          ])) with
                F32 = { tol32 with Atol = 3e-3 }
            }
        transcendental (
            on
                "binaryCrossEntropy"
                [ "BinaryCrossEntropy(Tensor, Tensor, String)" ]
                [ Domain.bounded 0.1 0.9; Domain.bounded 0.0 1.0 ]
                [ [ [| 3; 2 |]; [| 3; 2 |] ] ]
                (two (fun x t ->
                    let w = Tensor.FromArray([| 0.5; 2.0 |]).ToDType x.DType
                    joined [ x.BinaryCrossEntropy t; x.BinaryCrossEntropy(t, w, "none") ]))
        )
        transcendental (
            on
                "binaryCrossEntropyWithLogits"
                [ "BinaryCrossEntropyWithLogits(Tensor, Tensor, String, Tensor)" ]
                [ real; Domain.bounded 0.0 1.0; positive ]
                [ [ [| 3; 2 |]; [| 3; 2 |]; [| 2 |] ] ]
                (three (fun x t pw ->
                    let w = Tensor.FromArray([| 0.5; 2.0; 1.0 |], [| 3; 1 |]).ToDType x.DType

                    joined
                        [
                            x.BinaryCrossEntropyWithLogits t
                            x.BinaryCrossEntropyWithLogits(t, w, "sum", pw)
                            x.BinaryCrossEntropyWithLogits(t, reduction = "none", posWeight = pw)
                        ]))
        )
        { on
              "huberLoss"
              [ "HuberLoss(Tensor, String, Double)" ]
              [ real; real ]
              [ [ [| 3; 2 |]; [| 3; 2 |] ] ]
              (two (fun x t -> joined [ x.HuberLoss t; x.HuberLoss(t, "none", 0.5) ])) with
            Valid = differencesClearOf [ -1.0; -0.5; 0.5; 1.0 ]
        }
        { on
              "smoothL1Loss"
              [ "SmoothL1Loss(Tensor, String, Double)" ]
              [ real; real ]
              [ [ [| 3; 2 |]; [| 3; 2 |] ] ]
              (two (fun x t ->
                  joined
                      [
                          x.SmoothL1Loss t
                          x.SmoothL1Loss(t, "none", 0.5)
                          x.SmoothL1Loss(t, "sum", 0.0)
                      ])) with
            Valid = differencesClearOf [ -1.0; -0.5; 0.0; 0.5; 1.0 ]
        }
        { on
              "l1Loss"
              [ "L1Loss(Tensor, String)" ]
              [ real; real ]
              [ [ [| 3; 2 |]; [| 3; 2 |] ] ]
              (two (fun x t -> joined [ x.L1Loss t; x.L1Loss(t, "none") ])) with
            Valid = differencesClearOf [ 0.0 ]
        }
        transcendental (
            on
                "klDiv"
                [ "KlDiv(Tensor, String, Boolean)" ]
                [ real; positive ]
                [ [ [| 3; 2 |]; [| 3; 2 |] ] ]
                (two (fun x t ->
                    joined
                        [
                            x.KlDiv t
                            x.KlDiv(t, "batchmean")
                            x.KlDiv(t, "none")
                            x.KlDiv(t.Log() - 1.0, "sum", true)
                        ]))
        )
        // norms kept clear of eps, below which the clamp's gradient is PyTorch's, not the value's slope
        on
            "cosineSimilarity"
            [ "CosineSimilarity(Tensor, Int32, Double)" ]
            [ nonZero; nonZero ]
            [ [ [| 3; 4 |]; [| 1; 4 |] ]; [ [| 2; 3 |]; [| 2; 3 |] ] ]
            (two (fun a b -> joined [ a.CosineSimilarity b; a.CosineSimilarity(b, 0) ]))
        // distances clear of 0, where the gradient is 0 by convention (LossesTests pins it)
        { on
              "cdist"
              [ "Cdist(Tensor, Double)" ]
              [ real; real ]
              [ [ [| 3; 2 |]; [| 2; 2 |] ]; [ [| 2; 3; 2 |]; [| 1; 2; 2 |] ] ]
              (two (fun a b -> joined [ a.Cdist b; a.Cdist(b, 3.0) ])) with
            Valid =
                validWhere (fun xs ->
                    match xs with
                    | [ a; b ] -> clearOf [ 0.0 ] (numbers (a.Cdist b))
                    | _ -> true)
        }
        // p = 0, 1 and ∞ have kinks where a coordinate difference is 0 or two are equally largest
        { on
              "cdist-kinked"
              [ "Cdist(Tensor, Double)" ]
              [ real; real ]
              [ [ [| 3; 2 |]; [| 2; 2 |] ] ]
              (two (fun a b -> joined [ a.Cdist(b, 0.0); a.Cdist(b, 1.0); a.Cdist(b, infinity) ])) with
            Valid =
                validWhere (fun xs ->
                    match xs with
                    | [ a; b ] ->
                        let d = numbers ((a.Unsqueeze(-2) - b.Unsqueeze(-3)).Abs())
                        let m = a.Shape[a.Rank - 1]

                        clearOf [ 0.0 ] d
                        && Array.chunkBySize m d
                           |> Array.forall (fun p ->
                               let s = Array.sortDescending p
                               s.Length < 2 || s[0] - s[1] >= gap)
                    | _ -> true)
        }
        on
            "normalize"
            [ "Normalize(Double, Int32, Double)" ]
            [ awayFromKink ]
            [ [ [| 3; 4 |] ] ]
            (one (fun x -> joined [ x.Normalize(); x.Normalize(1.0, 0); x.Normalize(3.0, -1) ]))
        transcendental (
            on
                "gaussianNllLoss"
                [ "GaussianNllLoss(Tensor, Tensor, Boolean, Double, String)" ]
                [ real; real; positive ]
                [ [ [| 3; 2 |]; [| 3; 2 |]; [| 3; 2 |] ]; [ [| 3; 2 |]; [| 3; 2 |]; [| 3 |] ] ]
                (three (fun x t v -> joined [ x.GaussianNllLoss(t, v); x.GaussianNllLoss(t, v, true, 1e-6, "none") ]))
        )
        // Stirling's term jumps at target 1, so targets stay clear of it
        transcendental (
            on
                "poissonNllLoss"
                [ "PoissonNllLoss(Tensor, Boolean, Boolean, Double, String)" ]
                [ real; Domain.awayFromKinks [ 1.0 ] ]
                [ [ [| 3; 2 |]; [| 3; 2 |] ] ]
                (two (fun x t ->
                    joined
                        [
                            x.PoissonNllLoss t
                            x.PoissonNllLoss(t, full = true, reduction = "none")
                            x.Exp().PoissonNllLoss(t, false, true, 1e-8, "sum")
                        ]))
        )
        // the target ±1 is the sign of the third argument; the hinge stays clear of 0
        { on
              "marginRankingLoss"
              [ "MarginRankingLoss(Tensor, Tensor, Double, String)" ]
              [ real; real; awayFromKink ]
              [ [ [| 4 |]; [| 4 |]; [| 4 |] ] ]
              (three (fun a b y ->
                  joined
                      [
                          a.MarginRankingLoss(b, y.Sign())
                          a.MarginRankingLoss(b, y.Sign(), 0.5, "none")
                      ])) with
            Valid =
                validWhere (fun xs ->
                    match xs with
                    | [ a; b; y ] ->
                        let h = numbers (-y.Sign() * (a - b))
                        clearOf [ 0.0 ] h && clearOf [ -0.5 ] h
                    | _ -> true)
        }
        { on
              "tripletMarginLoss"
              [ "TripletMarginLoss(Tensor, Tensor, Double, Double, Double, Boolean, String)" ]
              [ real; real; real ]
              [ [ [| 2; 3 |]; [| 2; 3 |]; [| 2; 3 |] ] ]
              (three (fun a p n ->
                  joined
                      [
                          a.TripletMarginLoss(p, n)
                          a.TripletMarginLoss(p, n, 0.5, 3.0, 1e-6, true, "none")
                      ])) with
            Valid =
                validWhere (fun xs ->
                    match xs with
                    | [ a; p; n ] ->
                        let d (u: Tensor) (w: Tensor) q =
                            numbers (Linalg.VectorNorm(u - w + 1e-6, q, [| -1 |]))

                        let ap2, an2 = d a p 2.0, d a n 2.0
                        let ap3, an3, pn3 = d a p 3.0, d a n 3.0, d p n 3.0
                        let swapped = Array.map2 min an3 pn3

                        clearOf [ 0.0 ] (Array.map2 (fun x y -> 1.0 + x - y) ap2 an2)
                        && clearOf [ 0.0 ] (Array.map2 (fun x y -> 0.5 + x - y) ap3 swapped)
                        && clearOf [ 0.0 ] (Array.map2 (-) an3 pn3)
                    | _ -> true)
        }
    ]

// ---- dropout from random keys (Ops/Dropout.cs): the mask is a draw of a fixed key, so these rows check the product's
// rules, vmap with the key captured (one mask for every example) and the device mapping; the draws themselves, their
// batching over keys and their statistics are in Random/RandomTests.fs ----

let private dropoutSpecs: Spec list =
    let key = RandomKeys.Key 5L
    // fixed shapes: the mask depends on an element's index, so the rows are not elementwise (Kernels/LanesTests.fs)
    let shapes = [ [ [||] ]; [ [| 5 |] ]; [ [| 3; 4 |] ] ]

    [
        on
            "dropout"
            [ "Dropout(Tensor, Double, Boolean)" ]
            [ real ]
            shapes
            (one (both (fun x -> x.Dropout(key, 0.3)) (fun x -> x.Dropout(key, 0.5, false))))
        on
            "alpha-dropout"
            [ "AlphaDropout(Tensor, Double, Boolean)" ]
            [ real ]
            shapes
            (one (fun x -> x.AlphaDropout(key, 0.2)))
    ]

let specs: Spec list =
    [ // elementwise, one argument
        unary "neg" [ "Neg()"; "static op_UnaryNegation(Tensor)" ] real (both (fun x -> x.Neg()) (fun x -> -x))
        unary "exp" [ "Exp()"; "static Exp(Tensor)" ] real (both (fun x -> x.Exp()) Tensor.Exp)
        unary "log" [ "Log()"; "static Log(Tensor)" ] positive (both (fun x -> x.Log()) Tensor.Log)
        unary "log1p" [ "Log1p()" ] (Domain.bounded -0.7 3.0) (fun x -> x.Log1p())
        unary "expm1" [ "Expm1()" ] real (fun x -> x.Expm1())
        unary "sqrt" [ "Sqrt()"; "static Sqrt(Tensor)" ] positive (both (fun x -> x.Sqrt()) Tensor.Sqrt)
        unary "square" [ "Square()" ] real (fun x -> x.Square())
        unary "reciprocal" [ "Reciprocal()" ] nonZero (fun x -> x.Reciprocal())
        unary "abs" [ "Abs()"; "static Abs(Tensor)" ] awayFromKink (both (fun x -> x.Abs()) Tensor.Abs)
        unary "sign" [ "Sign()" ] awayFromKink (fun x -> x.Sign())
        unary "sin" [ "Sin()"; "static Sin(Tensor)" ] real (both (fun x -> x.Sin()) Tensor.Sin)
        unary "cos" [ "Cos()"; "static Cos(Tensor)" ] real (both (fun x -> x.Cos()) Tensor.Cos)
        unary
            "tan"
            [ "Tan()"; "static Tan(Tensor)" ]
            (Domain.awayFromPoles [ -Math.PI / 2.0; Math.PI / 2.0 ])
            (both (fun x -> x.Tan()) Tensor.Tan)
        unary "tanh" [ "Tanh()"; "static Tanh(Tensor)" ] real (both (fun x -> x.Tanh()) Tensor.Tanh)
        unary "sigmoid" [ "Sigmoid()" ] real (fun x -> x.Sigmoid())
        unary "softplus" [ "Softplus()" ] real (fun x -> x.Softplus())
        unary "relu" [ "Relu()" ] awayFromKink (fun x -> x.Relu())
        transcendental (
            unary
                "pow-number"
                [ "Pow(Double)"; "static Pow(Tensor, Double)" ]
                positive
                (both (fun x -> x.Pow 2.5) (fun x -> Tensor.Pow(x, -1.5)))
        )
        transcendental (unary "pow-number-integer" [ "Pow(Double)" ] real (fun x -> x.Pow 3.0))
        transcendental (unary "pow-number-zero" [ "Pow(Double)" ] real (fun x -> x.Pow 0.0))
        // A round trip through the other dtype: linear, so a large step is exact, and float32 rounding
        // (relative 6e-8) stays far below the step. Forward mode rounds the tangent and reverse mode the
        // cotangent to float32, so the two agree to float32's precision only.
        { unary "toDType" [ "ToDType(DType)" ] real (fun x ->
              let other =
                  if x.DType = DType.Float64 then
                      DType.Float32
                  else
                      DType.Float64

              x.ToDType(other).ToDType(x.DType)) with
            F64 =
                {
                    Eps = 1e-2
                    Rtol = 1e-4
                    Atol = 1e-5
                    Adjoint = 1e-6
                }
        }
        // operators with a number on either side
        unary
            "add-number"
            [ "static op_Addition(Tensor, Double)"; "static op_Addition(Double, Tensor)" ]
            real
            (both (fun x -> x + 1.5) (fun x -> 2.5 + x))
        unary
            "sub-number"
            [
                "static op_Subtraction(Tensor, Double)"
                "static op_Subtraction(Double, Tensor)"
            ]
            real
            (both (fun x -> x - 1.5) (fun x -> 2.5 - x))
        unary
            "mul-number"
            [ "static op_Multiply(Tensor, Double)"; "static op_Multiply(Double, Tensor)" ]
            real
            (both (fun x -> x * 1.5) (fun x -> -2.5 * x))
        unary
            "div-number"
            [ "static op_Division(Tensor, Double)"; "static op_Division(Double, Tensor)" ]
            nonZero
            (both (fun x -> x / 1.5) (fun x -> 2.5 / x))
        // elementwise, two broadcasting arguments
        binary
            "add"
            [ "Add(Tensor)"; "static op_Addition(Tensor, Tensor)" ]
            real
            real
            (both2 (fun a b -> a.Add b) (fun a b -> a + b))
        binary
            "sub"
            [ "Sub(Tensor)"; "static op_Subtraction(Tensor, Tensor)" ]
            real
            real
            (both2 (fun a b -> a.Sub b) (fun a b -> a - b))
        binary
            "mul"
            [ "Mul(Tensor)"; "static op_Multiply(Tensor, Tensor)" ]
            real
            real
            (both2 (fun a b -> a.Mul b) (fun a b -> a * b))
        binary
            "div"
            [ "Div(Tensor)"; "static op_Division(Tensor, Tensor)" ]
            real
            nonZero
            (both2 (fun a b -> a.Div b) (fun a b -> a / b))
        (transcendental >> powTolerance) (
            binary
                "pow"
                [ "Pow(Tensor)"; "static Pow(Tensor, Tensor)" ]
                powBase
                powExponent
                (both2 (fun a b -> a.Pow b) (fun a b -> Tensor.Pow(a, b)))
        )
        { binary "maximum" [ "Maximum(Tensor)" ] distinct distinct (fun a b -> a.Maximum b) with
            Valid = apart
        }
        { binary "minimum" [ "Minimum(Tensor)" ] distinct distinct (fun a b -> a.Minimum b) with
            Valid = apart
        }
        // floor division and remainder: piecewise, so cases keep a / b away from the integers where they jump
        { binary "floorDivide" [ "FloorDivide(Tensor)" ] real positive (fun a b -> a.FloorDivide b) with
            Valid = awayFromJumps
        }
        { binary
              "remainder"
              [ "Remainder(Tensor)"; "static op_Modulus(Tensor, Tensor)" ]
              real
              positive
              (both2 (fun a b -> a.Remainder b) (fun a b -> a % b)) with
            Valid = awayFromJumps
        }
        // comparisons: bool masks without a graph, as 0 and 1 here, so every derivative is zero
        { binary "eq" [ "Eq(Tensor)" ] distinct distinct (fun a b -> (a.Eq b).ToDType a.DType) with
            Valid = apart
        }
        { binary "ne" [ "Ne(Tensor)" ] distinct distinct (fun a b -> (a.Ne b).ToDType a.DType) with
            Valid = apart
        }
        { binary "lt" [ "Lt(Tensor)" ] distinct distinct (fun a b -> (a.Lt b).ToDType a.DType) with
            Valid = apart
        }
        { binary "le" [ "Le(Tensor)" ] distinct distinct (fun a b -> (a.Le b).ToDType a.DType) with
            Valid = apart
        }
        { binary "gt" [ "Gt(Tensor)" ] distinct distinct (fun a b -> (a.Gt b).ToDType a.DType) with
            Valid = apart
        }
        { binary "ge" [ "Ge(Tensor)" ] distinct distinct (fun a b -> (a.Ge b).ToDType a.DType) with
            Valid = apart
        }
        // logic on masks, made by comparing with 0 (the domain keeps values off it, where a mask flips), and the
        // tests for NaN and infinities: bool results as 0 and 1 here (counts as they are), every derivative zero
        binary
            "logicalAnd"
            [ "LogicalAnd(Tensor)"; "static op_BitwiseAnd(Tensor, Tensor)" ]
            awayFromKink
            awayFromKink
            (both2 (fun a b -> ofMask a ((positive0 a).LogicalAnd(positive0 b))) (fun a b ->
                ofMask a (positive0 a &&& positive0 b)))
        binary
            "logicalOr"
            [ "LogicalOr(Tensor)"; "static op_BitwiseOr(Tensor, Tensor)" ]
            awayFromKink
            awayFromKink
            (both2 (fun a b -> ofMask a ((positive0 a).LogicalOr(positive0 b))) (fun a b ->
                ofMask a (positive0 a ||| positive0 b)))
        binary
            "logicalXor"
            [ "LogicalXor(Tensor)"; "static op_ExclusiveOr(Tensor, Tensor)" ]
            awayFromKink
            awayFromKink
            (both2 (fun a b -> ofMask a ((positive0 a).LogicalXor(positive0 b))) (fun a b ->
                ofMask a (positive0 a ^^^ positive0 b)))
        row
            "logicalNot"
            [ "LogicalNot()"; "static op_LogicalNot(Tensor)" ]
            [ awayFromKink ]
            unaryShapes
            AnyShape
            (one (
                both (fun x -> ofMask x ((positive0 x).LogicalNot())) (fun x ->
                    ofMask x (Tensor.op_LogicalNot (positive0 x)))
            ))
        row
            "countNonzero"
            [ "CountNonzero(Int32[], Boolean)" ]
            [ awayFromKink ]
            unaryShapes
            AnyShape
            (one (fun x -> ofMask x ((positive0 x).CountNonzero())))
        on
            "any-all-axes"
            [
                "Any(Int32[], Boolean)"
                "All(Int32[], Boolean)"
                "CountNonzero(Int32[], Boolean)"
            ]
            [ awayFromKink ]
            [ [ [| 2; 3; 4 |] ] ]
            (one (fun x ->
                let m = positive0 x
                let any = ofMask x (m.Any([| 1; 2 |], true)) // [2; 1; 1]
                let all = ofMask x (m.All([| 2; 1 |], true))
                let count = (ofMask x (m.CountNonzero([| 2 |], true))).Sum([| 1 |], true)
                Tensor.Concat([| any; all; count |], 1)))
        row
            "any"
            [ "Any(Int32[], Boolean)" ]
            [ awayFromKink ]
            unaryShapes
            AnyShape
            (one (fun x -> ofMask x ((positive0 x).Any())))
        row
            "all"
            [ "All(Int32[], Boolean)" ]
            [ awayFromKink ]
            unaryShapes
            AnyShape
            (one (fun x -> ofMask x ((positive0 x).All())))
        row
            "isNan-isInf-isFinite"
            [ "IsNan()"; "IsInf()"; "IsFinite()" ]
            [ real ]
            unaryShapes
            AnyShape
            (one (fun x -> Tensor.Stack([| ofMask x (x.IsNan()); ofMask x (x.IsInf()); ofMask x (x.IsFinite()) |])))
        on
            "where"
            [ "static Where(Tensor, Tensor, Tensor)" ]
            [ real; real ]
            [ [ [| 2; 3 |]; [| 2; 3 |] ]; [ [| 2; 3 |]; [| 3 |] ] ]
            (two (fun a b ->
                Tensor.Where(Tensor.FromArray([| true; false; true; false; false; true |], [| 2; 3 |]), a, b)))
        // reductions
        row "sum" [ "Sum(Int32[], Boolean)" ] [ real ] unaryShapes AnyShape (one (fun x -> x.Sum()))
        on
            "sum-axis"
            [ "Sum(Int32[], Boolean)" ]
            [ real ]
            [ [ [| 3; 4 |] ]; [ [| 2; 3; 2 |] ] ]
            (one (fun x -> x.Sum([| 0 |])))
        on
            "sum-axes-keepdims"
            [ "Sum(Int32[], Boolean)" ]
            [ real ]
            [ [ [| 2; 3; 2 |] ] ]
            (one (fun x -> x.Sum([| 0; 2 |], keepDims = true)))
        // keepDims over the trailing axes of a 2×3×4 input, each spelled another way: an axis counted from the wrong
        // end, or the kept axes put back in the wrong place, changes the result's shape or values (on a device too)
        on
            "sum-trailing-axes-keepdims"
            [ "Sum(Int32[], Boolean)" ]
            [ real ]
            [ [ [| 2; 3; 4 |] ] ]
            (one (fun x -> x.Sum([| 1; 2 |], keepDims = true)))
        on
            "mean-trailing-axes-keepdims"
            [ "Mean(Int32[], Boolean)" ]
            [ real ]
            [ [ [| 2; 3; 4 |] ] ]
            (one (fun x -> x.Mean([| -2; -1 |], keepDims = true)))
        { on
              "max-trailing-axes-keepdims"
              [ "Max(Int32[], Boolean)" ]
              [ distinct ]
              [ [ [| 2; 3; 4 |] ] ]
              (one (fun x -> x.Max([| 2; 1 |], keepDims = true))) with
            Valid = clearExtremesPerSlice
        }
        { on
              "min-trailing-axes-keepdims"
              [ "Min(Int32[], Boolean)" ]
              [ distinct ]
              [ [ [| 2; 3; 4 |] ] ]
              (one (fun x -> x.Min([| 1; 2 |], keepDims = true))) with
            Valid = clearExtremesPerSlice
        }
        transcendental (
            on
                "logsumexp-trailing-axes-keepdims"
                [ "LogSumExp(Int32[], Boolean)" ]
                [ real ]
                [ [ [| 2; 3; 4 |] ] ]
                (one (fun x -> x.LogSumExp([| 1; -1 |], keepDims = true)))
        )
        row "mean" [ "Mean(Int32[], Boolean)" ] [ real ] unaryShapes AnyShape (one (fun x -> x.Mean()))
        on "mean-axis" [ "Mean(Int32[], Boolean)" ] [ real ] [ [ [| 3; 4 |] ] ] (one (fun x -> x.Mean([| -1 |])))
        { row "max" [ "Max(Int32[], Boolean)" ] [ distinct ] unaryShapes AnyShape (one (fun x -> x.Max())) with
            Valid = clearExtremes
        }
        { on
              "max-axis"
              [ "Max(Int32[], Boolean)" ]
              [ distinct ]
              [ [ [| 3; 4 |] ] ]
              (one (fun x -> x.Max([| 1 |], keepDims = true))) with
            Valid = allApart
        }
        { row "min" [ "Min(Int32[], Boolean)" ] [ distinct ] unaryShapes AnyShape (one (fun x -> x.Min())) with
            Valid = clearExtremes
        }
        { on "min-axis" [ "Min(Int32[], Boolean)" ] [ distinct ] [ [ [| 3; 4 |] ] ] (one (fun x -> x.Min([| 0 |]))) with
            Valid = allApart
        }
        transcendental (
            row
                "logsumexp"
                [ "LogSumExp(Int32[], Boolean)" ]
                [ real ]
                unaryShapes
                AnyShape
                (one (fun x -> x.LogSumExp()))
        )
        transcendental (
            on
                "logsumexp-axis"
                [ "LogSumExp(Int32[], Boolean)" ]
                [ real ]
                [ [ [| 3; 4 |] ] ]
                (one (fun x -> x.LogSumExp([| 1 |])))
        )
        // shape
        transcendental (
            on
                "reshape"
                [ "Reshape(Int32[])" ]
                [ real ]
                [ [ [| 3; 4 |] ] ]
                (one (fun x -> x.Reshape([| 2; -1 |]) * x.Reshape([| 2; 6 |]).Sin()))
        )
        on
            "permute"
            [ "Permute(Int32[])" ]
            [ real ]
            [ [ [| 2; 3; 4 |] ] ]
            (one (fun x -> x.Permute([| 2; 0; 1 |]).Square()))
        transcendental (
            on
                "transpose"
                [ "Transpose()" ]
                [ real ]
                [ [ [| 3; 4 |] ]; [ [| 2; 3; 4 |] ] ]
                (one (fun x -> x.Transpose() * x.Transpose().Cos()))
        )
        transcendental (
            on
                "transpose-axes"
                [ "Transpose(Int32, Int32)" ]
                [ real ]
                [ [ [| 2; 3; 4 |] ] ]
                (one (fun x -> x.Transpose(0, 2).Sin()))
        )
        transcendental (
            on
                "broadcastTo"
                [ "BroadcastTo(Int32[])" ]
                [ real ]
                [ [ [| 3; 1 |] ] ]
                (one (fun x -> x.BroadcastTo([| 2; 3; 4 |]).Sin()))
        )
        on "sumTo" [ "SumTo(Int32[])" ] [ real ] [ [ [| 2; 3; 4 |] ] ] (one (fun x -> x.Square().SumTo([| 3; 1 |])))
        transcendental (
            on
                "squeeze"
                [ "Squeeze(Nullable<Int32>)" ]
                [ real ]
                [ [ [| 3; 1; 2 |] ] ]
                (one (both (fun x -> x.Squeeze().Exp()) (fun x -> x.Squeeze(Nullable 1).Sin())))
        )
        transcendental (
            on "unsqueeze" [ "Unsqueeze(Int32)" ] [ real ] [ [ [| 3; 2 |] ] ] (one (fun x -> x.Unsqueeze(1).Exp()))
        )
        transcendental (on "flatten" [ "Flatten()" ] [ real ] [ [ [| 3; 2 |] ] ] (one (fun x -> x.Flatten().Exp())))
        on
            "slice"
            [ "Slice(Range[])" ]
            [ real ]
            [ [ [| 4; 5 |] ] ]
            (one (fun x -> x.Slice(Range(Index 1, Index 3), Range(Index 2, Index(1, true))).Square()))
        transcendental (
            on
                "slice-axis"
                [ "Slice(Int32, Int32, Int32)" ]
                [ real ]
                [ [ [| 3; 5 |] ] ]
                (one (fun x -> x.Slice(1, 1, -1).Sin()))
        )
        // indexers: an integer drops its axis (negative from the end), a range keeps it; F# slices are the same indexer
        on "index" [ "get_At(Int32[])" ] [ real ] [ [ [| 3; 4 |] ] ] (one (fun x -> x.[1] * x.[-1] + x.[0, 2]))
        on
            "index-ranges"
            [ "get_At(TensorIndex[])" ]
            [ real ]
            [ [ [| 3; 4 |] ] ]
            (one (fun x ->
                let last = TensorIndex.op_Implicit (Index(1, true))
                let inner = TensorIndex.op_Implicit (Range(Index 1, Index(1, true)))
                x.At(last, inner) * x.[..1, -1] + x.[*, 1..2].Sum([| 0 |])))
        on
            "fsharp-slices"
            [ "get_At(TensorIndex[])" ]
            [ real ]
            [ [ [| 2; 3; 4 |] ] ]
            (one (fun x -> x.[*, 1.., -1].Square() + x.[-1, 0, 1..2] * x.[0, 1..2, 3].Sum()))
        transcendental (
            on
                "indexSelect"
                [ "IndexSelect(Int32, Int32[])" ]
                [ real ]
                [ [ [| 4; 3 |] ] ]
                (one (fun x -> x.IndexSelect(0, [| 2; 0; 2; -1 |]).Sin()))
        )
        transcendental (
            on
                "concat"
                [ "static Concat(IReadOnlyList<Tensor>, Int32)" ]
                [ real; real ]
                [ [ [| 2; 3 |]; [| 1; 3 |] ] ]
                (two (fun a b -> Tensor.Concat([| a; b.Exp() |], 0) * 2.0))
        )
        transcendental (
            on
                "stack"
                [ "static Stack(IReadOnlyList<Tensor>, Int32)" ]
                [ real; real ]
                [ [ [| 3 |]; [| 3 |] ] ]
                (two (fun a b -> Tensor.Stack([| a.Sin(); b |], 1)))
        )
        // linear algebra
        product (
            on
                "matmul"
                [ "MatMul(Tensor)" ]
                [ real; real ]
                [
                    [ [| 3; 4 |]; [| 4; 2 |] ]
                    [ [| 4 |]; [| 4; 2 |] ]
                    [ [| 3; 4 |]; [| 4 |] ]
                    [ [| 2; 3; 4 |]; [| 4; 2 |] ]
                    [ [| 2; 1; 3; 4 |]; [| 3; 4; 2 |] ]
                ]
                (two (fun a b -> a.MatMul b))
        )
        product (on "dot" [ "Dot(Tensor)" ] [ real; real ] [ [ [| 5 |]; [| 5 |] ] ] (two (fun a b -> a.Dot b)))
        // any rank, one shape; vmap runs each example's own kernel, so bit for bit
        on
            "vdot"
            [ "Vdot(Tensor)" ]
            [ real; real ]
            [
                [ [| 5 |]; [| 5 |] ]
                [ [||]; [||] ]
                [ [| 3; 4 |]; [| 3; 4 |] ]
                [ [| 2; 1; 3 |]; [| 2; 1; 3 |] ]
            ]
            (two (fun a b -> a.Vdot b))
        on "outer" [ "Outer(Tensor)" ] [ real; real ] [ [ [| 3 |]; [| 4 |] ] ] (two (fun a b -> a.Outer b))
        // Linalg: triangular solves, Cholesky, LU, solves and determinants (src/Core.CSharp/Linalg). A's entries
        // in [1, 2] keep every triangle well conditioned; B square, so every side and triangle stack together.
        product (
            on
                "solveTriangular"
                [ "static Linalg.SolveTriangular(Tensor, Tensor, Boolean, Boolean, Boolean)" ]
                [ Domain.bounded 1.0 2.0; real ]
                [
                    [ [| 3; 3 |]; [| 3; 3 |] ]
                    [ [| 2; 3; 3 |]; [| 3; 3 |] ]
                    [ [| 3; 3 |]; [| 2; 3; 3 |] ]
                ]
                (two (fun a b ->
                    Tensor.Stack(
                        [|
                            Linalg.SolveTriangular(a, b, false)
                            Linalg.SolveTriangular(a, b, true, false)
                            Linalg.SolveTriangular(a, b, true, true, true)
                            Linalg.SolveTriangular(a, b, false, false, true)
                        |]
                    )))
        )
        // Cholesky of B·Bᵀ + n·I, lower and upper factors side by side
        product (
            on
                "cholesky"
                [ "static Linalg.Cholesky(Tensor, Boolean)" ]
                [ real ]
                [ [ [| 3; 3 |] ]; [ [| 2; 3; 3 |] ] ]
                (one (fun b -> Tensor.Stack([| Linalg.Cholesky(spd b); Linalg.Cholesky(spd b, true) |])))
        )
        product (
            on
                "choleskyEx"
                [ "static Linalg.CholeskyEx(Tensor, Boolean, Boolean)" ]
                [ real ]
                [ [ [| 3; 3 |] ]; [ [| 2; 3; 3 |] ] ]
                (one (fun b ->
                    let struct (l, info) = Linalg.CholeskyEx(spd b)
                    let struct (u, _) = Linalg.CholeskyEx(spd b, true, true)
                    Tensor.Stack([| l + info.ToDType(l.DType).Unsqueeze(-1).Unsqueeze(-1); u |])))
        )
        // B and the factor of an SPD matrix: lower and upper factors, batches broadcast
        product (
            on
                "choleskySolve"
                [ "static Linalg.CholeskySolve(Tensor, Tensor, Boolean)" ]
                [ real; real ]
                [ [ [| 3; 2 |]; [| 3; 3 |] ]; [ [| 3; 2 |]; [| 2; 3; 3 |] ] ]
                (two (fun b m ->
                    let l = Linalg.Cholesky(spd m)
                    let u = l.Transpose(-2, -1)
                    Tensor.Stack([| Linalg.CholeskySolve(b, l); Linalg.CholeskySolve(b, u, true) |])))
        )
        // LU of a fixed row permutation of a + 10·I: the pivots never tie, and undo the permutation
        product (
            on
                "luFactor"
                [ "static Linalg.LuFactor(Tensor)" ]
                [ real ]
                [ [ [| 3; 3 |] ]; [ [| 2; 3; 3 |] ] ]
                (one (fun a ->
                    let struct (lu, pivots) = Linalg.LuFactor(permuted false (shifted 10.0 a))
                    lu + pivots.ToDType(lu.DType).Unsqueeze(-1)))
        )
        product (
            on
                "luFactorEx"
                [ "static Linalg.LuFactorEx(Tensor, Boolean)" ]
                [ real ]
                [ [ [| 3; 3 |] ]; [ [| 2; 3; 3 |] ] ]
                (one (fun a ->
                    let struct (lu, pivots, info) = Linalg.LuFactorEx(permuted true (shifted 10.0 a))
                    let struct (lu2, _, _) = Linalg.LuFactorEx(permuted false (shifted 10.0 a), true)
                    let dt = lu.DType

                    lu
                    + lu2
                    + pivots.ToDType(dt).Unsqueeze(-1)
                    + info.ToDType(dt).Unsqueeze(-1).Unsqueeze(-1)))
        )
        // every side and transposition, B square so they stack
        product (
            on
                "luSolve"
                [ "static Linalg.LuSolve(Tensor, Tensor, Tensor, Boolean, Boolean)" ]
                [ real; real ]
                [ [ [| 3; 3 |]; [| 3; 3 |] ]; [ [| 2; 3; 3 |]; [| 3; 3 |] ] ]
                (two (fun a b ->
                    let struct (lu, p) = Linalg.LuFactor(permuted false (shifted 10.0 a))

                    Tensor.Stack(
                        [|
                            Linalg.LuSolve(lu, p, b)
                            Linalg.LuSolve(lu, p, b, true, true)
                            Linalg.LuSolve(lu, p, b, false)
                            Linalg.LuSolve(lu, p, b, false, true)
                        |]
                    )))
        )
        product (
            on
                "solve"
                [ "static Linalg.Solve(Tensor, Tensor, Boolean)" ]
                [ real; real ]
                [
                    [ [| 3; 3 |]; [| 3; 3 |] ]
                    [ [| 2; 3; 3 |]; [| 3; 3 |] ]
                    [ [| 3; 3 |]; [| 2; 3; 3 |] ]
                ]
                (two (fun a b ->
                    let a = shifted 8.0 a

                    let x = Linalg.Solve(a, b)
                    // a batch of vectors: the right-hand side has A's shape less its last axis
                    let v = Linalg.Solve(a, a.Sum([| -1 |]) * 0.5)

                    Tensor.Stack(
                        [|
                            x
                            Linalg.Solve(a, b, false)
                            v.Unsqueeze(-1).BroadcastTo(x.Shape |> Seq.toArray)
                        |]
                    )))
        )
        product (
            on
                "solveEx"
                [ "static Linalg.SolveEx(Tensor, Tensor, Boolean, Boolean)" ]
                [ real; real ]
                [ [ [| 3; 3 |]; [| 3; 3 |] ]; [ [| 2; 3; 3 |]; [| 3; 3 |] ] ]
                (two (fun a b ->
                    let a = shifted 8.0 a
                    let struct (x, info) = Linalg.SolveEx(a, b)
                    let struct (y, _) = Linalg.SolveEx(a, b, false, true)
                    Tensor.Stack([| x + info.ToDType(x.DType).Unsqueeze(-1).Unsqueeze(-1); y |])))
        )
        product (
            on
                "inv"
                [ "static Linalg.Inv(Tensor)" ]
                [ real ]
                [ [ [| 3; 3 |] ]; [ [| 2; 3; 3 |] ] ]
                (one (fun a -> Linalg.Inv(shifted 8.0 a)))
        )
        product (
            on
                "invEx"
                [ "static Linalg.InvEx(Tensor, Boolean)" ]
                [ real ]
                [ [ [| 3; 3 |] ]; [ [| 2; 3; 3 |] ] ]
                (one (fun a ->
                    let struct (x, info) = Linalg.InvEx(shifted 8.0 a)
                    let struct (y, _) = Linalg.InvEx(shifted 8.0 a, true)
                    Tensor.Stack([| x + info.ToDType(x.DType).Unsqueeze(-1).Unsqueeze(-1); y |])))
        )
        // a polynomial, but its rules solve with A: an odd permutation of (a + 10·I)/5 (det < 0), diagonally
        // dominant, its entries near 1 so that float32 finite differences of the cubic stay accurate
        product (
            on
                "det"
                [ "static Linalg.Det(Tensor)" ]
                [ real ]
                [ [ [| 3; 3 |] ]; [ [| 2; 3; 3 |] ] ]
                (one (fun a -> Linalg.Det(permuted true (shifted 10.0 a) * 0.2)))
        )
        // an odd permutation of a + 8·I: sign −1
        product (
            on
                "slogdet"
                [ "static Linalg.Slogdet(Tensor)" ]
                [ real ]
                [ [ [| 3; 3 |] ]; [ [| 2; 3; 3 |] ] ]
                (one (fun a ->
                    let struct (sign, logabs) = Linalg.Slogdet(permuted true (shifted 8.0 a))
                    Tensor.Stack([| sign; logabs |])))
        )
        product (
            on
                "logdet"
                [ "static Linalg.Logdet(Tensor)" ]
                [ real ]
                [ [ [| 3; 3 |] ]; [ [| 2; 3; 3 |] ] ]
                (one (fun b -> Linalg.Logdet(spd b)))
        )


        // Linalg: QR and matrix functions. QR's argument, entries in [−1, 1], is shifted by 4 on its diagonal so that
        // R's diagonal stays far from 0 (where R⁻¹ in the rules blows up); every mode with derivatives, side by side.
        factorised (
            on
                "qr"
                [ "static Linalg.Qr(Tensor, String)" ]
                [ Domain.bounded -1.0 1.0 ]
                [ [ [| 3; 3 |] ]; [ [| 4; 3 |] ]; [ [| 3; 4 |] ]; [ [| 2; 4; 3 |] ] ]
                (one (fun x ->
                    let s = x.Shape |> Seq.toArray
                    let m, n = s[s.Length - 2], s[s.Length - 1]
                    let a = x + Tensor.Eye(max m n, x.DType).Slice(0, 0, m).Slice(1, 0, n) * 4.0

                    let flat (t: Tensor) =
                        t.Reshape(Array.append s[.. s.Length - 3] [| -1 |])

                    let struct (q, r) = Linalg.Qr a
                    let struct (_, r2) = Linalg.Qr(a, "r")

                    let complete =
                        if m <= n then
                            let struct (q3, r3) = Linalg.Qr(a, "complete") in [ flat q3; flat r3 ]
                        else
                            []

                    Tensor.Concat(List.toArray ([ flat q; flat r; flat r2 ] @ complete), -1)))
        )
        // least squares, tall (QR of A) and wide (QR of Aᵀ), A shifted as qr's is
        factorised (
            on
                "lstsq"
                [ "static Linalg.Lstsq(Tensor, Tensor)" ]
                [ Domain.bounded -1.0 1.0; real ]
                [
                    [ [| 4; 3 |]; [| 4; 2 |] ]
                    [ [| 3; 4 |]; [| 3; 2 |] ]
                    [ [| 2; 4; 3 |]; [| 4; 1 |] ]
                ]
                (two (fun x b ->
                    let s = x.Shape |> Seq.toArray
                    let m, n = s[s.Length - 2], s[s.Length - 1]
                    let a = x + Tensor.Eye(max m n, x.DType).Slice(0, 0, m).Slice(1, 0, n) * 4.0
                    let struct (sol, res) = Linalg.Lstsq(a, b)
                    let batch = (sol.Shape |> Seq.toArray).[.. sol.Rank - 3]
                    let flat (t: Tensor) = t.Reshape(Array.append batch [| -1 |])

                    if res.Count = 0 then
                        flat sol
                    else
                        Tensor.Concat([| flat sol; flat res |], -1)))
        )
        // entries in [−1.5, 1.5] (norms up to 4.5) reach Padé degrees 3 to 13; larger ones make exp's values, and
        // float32 finite differences of its second derivatives, too large to compare
        factorised (
            on
                "matrixExp"
                [ "static Linalg.MatrixExp(Tensor)" ]
                [ real ]
                [ [ [| 3; 3 |] ]; [ [| 1; 1 |] ]; [ [| 2; 3; 3 |] ] ]
                (one (fun x -> Linalg.MatrixExp(x * 0.5)))
        )
        factorised (
            on
                "matrixPower"
                [ "static Linalg.MatrixPower(Tensor, Int32)" ]
                [ real ]
                [ [ [| 3; 3 |] ]; [ [| 2; 3; 3 |] ] ]
                (one (fun x ->
                    Tensor.Stack(
                        [|
                            for k in [ 0; 1; 2; 3; 5 ] -> Linalg.MatrixPower(x * 0.5, k)
                            // negative powers invert: 0.5·x has eigenvalues within ±4.5, so 0.5·x + 6·I stays well
                            // conditioned (at most 7)
                            for k in [ -1; -2; -3 ] -> Linalg.MatrixPower(shifted 6.0 (x * 0.5), k)
                        |]
                    )))
        )
        // neural-net
        transcendental (
            on "softmax" [ "Softmax(Int32)" ] [ real ] [ [ [| 3; 4 |] ]; [ [| 5 |] ] ] (one (fun x -> x.Softmax()))
        )
        transcendental (
            on "logSoftmax" [ "LogSoftmax(Int32)" ] [ real ] [ [ [| 3; 4 |] ] ] (one (fun x -> x.LogSoftmax(0)))
        )
        on
            "crossEntropy"
            [ "CrossEntropy(Int32[])" ]
            [ real ]
            [ [ [| 3; 4 |] ] ]
            (one (fun x -> x.CrossEntropy([| 2; 0; 3 |])))
        // labels in a tensor, made from the second argument by comparisons (classes 0..3), so vmap maps them too;
        // they get no gradient, and the domain keeps the second argument off the thresholds where a label changes
        on
            "crossEntropy-labels"
            [ "CrossEntropy(Tensor)" ]
            [ real; Domain.awayFromKinks [ -1.0; 0.0; 1.0 ] ]
            [ [ [| 3; 4 |]; [| 3 |] ] ]
            (two (fun x b ->
                let zero, one = Tensor.Scalar(0.0, b.DType), Tensor.Scalar(1.0, b.DType)
                x.CrossEntropy(b.Gt(zero).ToDType b.DType * 2.0 + b.Abs().Gt(one).ToDType b.DType)))
        on "mseLoss" [ "MseLoss(Tensor)" ] [ real; real ] [ [ [| 3; 2 |]; [| 3; 2 |] ] ] (two (fun a b -> a.MseLoss b))
        // scans (Ops/Scans.cs): along the last axis of several shapes (a scalar scans as one element), then along
        // every axis of a [2x3x4] side by side
        on
            "cumsum"
            [ "Cumsum(Int32)" ]
            [ real ]
            [ [ [| 5 |] ]; [ [||] ]; [ [| 3; 4 |] ]; [ [| 2; 3; 4 |] ] ]
            (one (fun x -> x.Cumsum(-1)))
        on "cumsum-axes" [ "Cumsum(Int32)" ] [ real ] [ [ [| 2; 3; 4 |] ] ] (one (scanAxes (fun a x -> x.Cumsum a)))
        on "cumprod" [ "Cumprod(Int32)" ] [ real ] [ [ [| 5 |] ]; [ [| 3; 4 |] ] ] (one (fun x -> x.Cumprod(-1)))
        on "cumprod-axes" [ "Cumprod(Int32)" ] [ real ] [ [ [| 2; 3; 4 |] ] ] (one (scanAxes (fun a x -> x.Cumprod a)))
        // exact zeros among the differentiated inputs: z is drawn from [0, 0]; each row of the [3x6] scanned along
        // axis 1 is [a0, 0, a1, a2, 0, a3] (a first and a second zero), and the [5x3] scanned along axis 0 starts
        // with two rows of zeros
        on
            "cumprod-zeros"
            [ "Cumprod(Int32)" ]
            [ real; Domain.bounded 0.0 0.0 ]
            [ [ [| 3; 4 |]; [| 3; 2 |] ] ]
            (two (fun a z ->
                let x =
                    Tensor.Concat(
                        [|
                            a.Slice(1, 0, 1)
                            z.Slice(1, 0, 1)
                            a.Slice(1, 1, 3)
                            z.Slice(1, 1, 2)
                            a.Slice(1, 3, 4)
                        |],
                        1
                    )

                let y = Tensor.Concat([| z.Transpose(); a.Slice(1, 0, 3) |], 0)
                Tensor.Concat([| (x.Cumprod 1).Flatten(); (y.Cumprod 0).Flatten() |])))
        transcendental (
            on
                "logcumsumexp"
                [ "Logcumsumexp(Int32)" ]
                [ real ]
                [ [ [| 5 |] ]; [ [| 3; 4 |] ] ]
                (one (fun x -> x.Logcumsumexp(-1)))
        )
        transcendental (
            on
                "logcumsumexp-axes"
                [ "Logcumsumexp(Int32)" ]
                [ real ]
                [ [ [| 2; 3; 4 |] ] ]
                (one (scanAxes (fun a x -> x.Logcumsumexp a)))
        )
        // values and indices (as floats, zero derivatives); distinct values, so no tie sits at a kink
        { on
              "cummax"
              [ "Cummax(Int32)" ]
              [ distinct ]
              [ [ [| 6 |] ]; [ [| 2; 3; 4 |] ] ]
              (one (extremeAxes (fun a x -> x.Cummax a))) with
            Valid = allApart
        }
        { on
              "cummin"
              [ "Cummin(Int32)" ]
              [ distinct ]
              [ [ [| 6 |] ]; [ [| 2; 3; 4 |] ] ]
              (one (extremeAxes (fun a x -> x.Cummin a))) with
            Valid = allApart
        }

        // sorting and selection (Ops/Sorting.cs): values carry gradients to the picked positions; int64 indices appear
        // as floats (zero derivatives); the domain and Valid keep every two values apart, so no case sits at a tie
        { on
              "argmax-argmin"
              [ "Argmax(Nullable<Int32>, Boolean)"; "Argmin(Nullable<Int32>, Boolean)" ]
              [ distinct ]
              [ [ [| 3; 4 |] ]; [ [| 2; 3; 2 |] ] ]
              (one (fun x ->
                  let picks = [ x.Argmax(1); x.Argmin(-1, true); x.Argmax(); x.Argmin() ]
                  flatOf x (x.Argmax(0, true) :: picks))) with
            Valid = allApart
        }
        { on
              "maxWithIndices-minWithIndices"
              [ "MaxWithIndices(Int32, Boolean)"; "MinWithIndices(Int32, Boolean)" ]
              [ distinct ]
              [ [ [| 3; 4 |] ]; [ [| 2; 3; 2 |] ] ]
              (one (fun x ->
                  let struct (v, i) = x.MaxWithIndices(1)
                  let struct (w, j) = x.MinWithIndices(-1, true)
                  flatOf x [ v; i; w.Square(); j ])) with
            Valid = allApart
        }
        { on
              "sort"
              [ "Sort(Int32, Boolean)" ]
              [ distinct ]
              [ [ [| 5 |] ]; [ [| 3; 4 |] ] ]
              (one (fun x ->
                  let struct (v, i) = x.Sort()
                  let struct (w, j) = x.Sort(0, true)
                  flatOf x [ v * v.Square(); i; w; j ])) with
            Valid = allApart
        }
        { on
              "argsort"
              [ "Argsort(Int32, Boolean)" ]
              [ distinct ]
              [ [ [| 5 |] ]; [ [| 3; 4 |] ] ]
              (one (fun x -> flatOf x [ x.Argsort(); x.Argsort(0, true) ])) with
            Valid = allApart
        }
        { on
              "topk"
              [ "Topk(Int32, Int32, Boolean, Boolean)" ]
              [ distinct ]
              [ [ [| 5 |] ]; [ [| 3; 4 |] ] ]
              (one (fun x ->
                  let struct (v, i) = x.Topk(2)
                  let struct (w, j) = x.Topk(1, 0, false, false)
                  flatOf x [ v.Square(); i; w; j ])) with
            Valid = allApart
        }
        { on
              "kthvalue"
              [ "Kthvalue(Int32, Int32, Boolean)" ]
              [ distinct ]
              [ [ [| 5 |] ]; [ [| 3; 4 |] ] ]
              (one (fun x ->
                  let struct (v, i) = x.Kthvalue(2)
                  let struct (w, j) = x.Kthvalue(1, 0, true)
                  flatOf x [ v.Square(); i; w; j ])) with
            Valid = allApart
        }
        // an even count along axis 1 (the lower median) and an odd one along axis 0
        { on
              "median"
              [ "Median()"; "Median(Int32, Boolean)" ]
              [ distinct ]
              [ [ [| 3; 4 |] ]; [ [| 5; 2 |] ] ]
              (one (fun x ->
                  let struct (v, i) = x.Median(1)
                  let struct (w, j) = x.Median(0, true)
                  flatOf x [ x.Median().Square(); v; i; w; j ])) with
            Valid = allApart
        }
        // the sequence sorted inside (one-dimensional for values of any shape, or line by line); every value of both
        // arguments apart, so no value sits on an element of the sequence
        { on
              "searchsorted"
              [ "static Searchsorted(Tensor, Tensor, Boolean)" ]
              [ distinct; distinct ]
              [ [ [| 5 |]; [| 3; 2 |] ]; [ [| 2; 4 |]; [| 2; 3 |] ] ]
              (two (fun a b ->
                  let struct (s, _) = a.Sort()
                  flatOf a [ Tensor.Searchsorted(s, b); Tensor.Searchsorted(s, b, true); s ])) with
            Valid = (fun xs -> allApart [ Tensor.Concat(xs |> List.map (fun x -> x.Flatten()) |> Array.ofList) ])
        }

        // linear algebra (src/Core.CSharp/Linalg): layout ops, each at several diagonals, squared so that the second
        // derivative is not zero
        on
            "tril"
            [ "static Linalg.Tril(Tensor, Int32)" ]
            [ real ]
            [ [ [| 3; 4 |] ]; [ [| 2; 4; 3 |] ] ]
            (one (fun x ->
                flatOf x [ Linalg.Tril x; Linalg.Tril(x, 1); Linalg.Tril(x, -2) ]
                |> Tensor.square))
        on
            "triu"
            [ "static Linalg.Triu(Tensor, Int32)" ]
            [ real ]
            [ [ [| 3; 4 |] ]; [ [| 2; 4; 3 |] ] ]
            (one (fun x ->
                flatOf x [ Linalg.Triu x; Linalg.Triu(x, 2); Linalg.Triu(x, -1) ]
                |> Tensor.square))
        // the last two axes, above and below the main diagonal, the plane's axes swapped, and the first and last axes
        on
            "diagonal"
            [ "static Linalg.Diagonal(Tensor, Int32, Int32, Int32)" ]
            [ real ]
            [ [ [| 3; 4 |] ]; [ [| 2; 3; 4 |] ] ]
            (one (fun x ->
                flatOf
                    x
                    [
                        Linalg.Diagonal x
                        Linalg.Diagonal(x, 1)
                        Linalg.Diagonal(x, -1, -1, -2)
                        Linalg.Diagonal(x, 0, 0, -1)
                    ]
                |> Tensor.square))
        on
            "diagEmbed"
            [ "static Linalg.DiagEmbed(Tensor, Int32, Int32, Int32)" ]
            [ real ]
            [ [ [| 3 |] ]; [ [| 2; 3 |] ] ]
            (one (fun x ->
                flatOf
                    x
                    [
                        Linalg.DiagEmbed x
                        Linalg.DiagEmbed(x, 1, -1, -2)
                        Linalg.DiagEmbed(x, -1, 0, -1)
                    ]
                |> Tensor.square))
        on
            "trace"
            [ "static Linalg.Trace(Tensor)" ]
            [ real ]
            [ [ [| 3; 3 |] ]; [ [| 2; 3; 4 |] ] ]
            (one (fun x -> (Linalg.Trace x).Square()))
        // along the last axis, broadcasting, and along the first
        on
            "cross"
            [ "static Linalg.Cross(Tensor, Tensor, Int32)" ]
            [ real; real ]
            [ [ [| 3 |]; [| 3 |] ]; [ [| 2; 3 |]; [| 1; 3 |] ]; [ [| 3; 2 |]; [| 3; 1 |] ] ]
            (two (fun a b -> Linalg.Cross(a, b, (if a.Shape[a.Rank - 1] = 3 then -1 else 0)) * a))
        // the 2-norm of every element, over an axis, and over axes kept
        on
            "vectorNorm"
            [ "static Linalg.VectorNorm(Tensor, Double, Int32[], Boolean)" ]
            [ real ]
            [ [ [| 3; 4 |] ]; [ [| 2; 3; 4 |] ] ]
            (one (fun x ->
                flatOf
                    x
                    [
                        Linalg.VectorNorm x
                        Linalg.VectorNorm(x, 2.0, [| -1 |])
                        Linalg.VectorNorm(x, 2.0, [| 0; -1 |], true) * x
                    ]))
        // the other orders over the last axis, elements off 0 (where |x| has its kink) and with a clear largest and
        // smallest magnitude per row (for ±inf); ord 0 counts nonzeros, so its derivatives are 0
        transcendental
            { on
                  "vectorNorm-ords"
                  [ "static Linalg.VectorNorm(Tensor, Double, Int32[], Boolean)" ]
                  [ nonZero ]
                  [ [ [| 2; 4 |] ]; [ [| 5 |] ] ]
                  (one (fun x ->
                      flatOf
                          x
                          [
                              for ord in [ 1.0; 3.0; 0.5; -1.5; infinity; -infinity; 0.0 ] ->
                                  Linalg.VectorNorm(x, ord, [| -1 |])
                          ])) with
                Valid =
                    (fun xs ->
                        let x = List.exactlyOne xs
                        clearExtremesPerSlice [ x.Abs().Reshape([| -1; x.Shape[x.Rank - 1] |]) ])
            }
    ]
    @ indexingSpecs
    @ spectralSpecs
    @ convSpecs
    @ poolingSpecs
    @ resampleSpecs
    @ elementarySpecs
    @ binaryMathSpecs
    @ specialSpecs
    @ activationSpecs
    @ statisticsSpecs
    @ layoutSpecs
    @ einsumSpecs
    @ normalizationSpecs
    @ attentionSpecs
    @ lossSpecs
    @ dropoutSpecs

/// Public methods of Tensor that return a Tensor but are not ops with derivatives, each with the reason.
let exclusions: (string * string) list =
    let factory =
        "factory: builds a constant from numbers, with no tensor argument to differentiate "
        + "(TensorTests pins its values)"

    [
        "static Scalar(Double, DType)", factory
        "static FromArray(Double[], Int32[])", factory
        "static FromArray(Single[], Int32[])", factory
        "static FromArray(Array)", factory
        "static FromArray(Int64[], Int32[])", factory
        "static FromArray(Int32[], Int32[])", factory
        "static FromArray(Boolean[], Int32[])", factory
        "static FromArray(Double[][])", factory
        "static Full(Int32[], Double, DType)", factory
        "static Zeros(Int32[], DType)", factory
        "static Ones(Int32[], DType)", factory
        "static Arange(Double, Double, Double, DType)", factory
        "static Linspace(Double, Double, Int32, DType)", factory
        "static Eye(Int32, DType)", factory
        "static RandomNormal(Int32[], Random, DType)", factory
        "static RandomNormal(Int32[], Int32, DType)", factory
        "static RandomUniform(Int32[], Random, Double, Double, DType)", factory
        "static RandomUniform(Int32[], Int32, Double, Double, DType)", factory
        "static ZerosLike(Tensor)", "factory: reads only its argument's shape and dtype; the result is a constant"
        "static OnesLike(Tensor)", "factory: reads only its argument's shape and dtype; the result is a constant"
        "To(Device)",
        "moves values between devices, unchanged; tests/Backend.LibTorch checks values and gradients across devices"
        "RequiresGrad()", "marks a variable of the imperative graph; the value is unchanged (AutodiffTests)"
        "Detach()",
        "stop-gradient: its derivative is zero by design, so finite differences disagree on purpose (AutodiffTests)"
        "Unique()",
        "eager only: its result's shape depends on the values, so the table's vmap and compile checks cannot run it "
        + "(Ops/SortingTests.fs checks its values, gradients, and its errors under vmap and compile)"

        "Nonzero()",
        "its result's shape depends on the values, so it cannot run under vmap or compile, as every row does; "
        + "GatherTests checks its values against a loop and its errors under vmap and compile"
        "MaskedSelect(Tensor)",
        "its result's shape depends on the mask's values, so it cannot run under vmap or compile, as every row does; "
        + "GatherTests checks its values against a loop, its gradient, and its errors under vmap and compile"
    ]
