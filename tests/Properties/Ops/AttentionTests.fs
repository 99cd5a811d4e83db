/// Tensor.ScaledDotProductAttention (Ops/Attention.cs, Kernels/Attention): values against loops written here, in both
/// dtypes and with every option (bool and float masks, causal with L ≠ S, scale, grouped query heads, dropout); first
/// derivatives against the unfused composition of matmul, softmax and matmul; the dropout mask against Philox; the
/// conventions (fully masked rows) and every error. Finite differences, vmap, compile and LibTorch run through the
/// attention rows of OpSpec.fs.
module Ops.AttentionTests

open System
open Expecto
open FuncGrad
open FuncGrad.Kernels.Random
open Support.Check

/// Whether weight (b, i, j) survives dropout p under key (k0, k1): the documented rule, from Philox directly.
let private kept (k0: uint32) (k1: uint32) (p: float) (l: int) (s: int) (b: int) (i: int) (j: int) =
    Philox.Kept(k0, k1, uint64 ((b * l + i) * s + j), Philox.DropThreshold p)

/// Attention by loops over float64 copies: q [N, L, E], k [N, S, E], v [N, S, Ev] with the batch flattened; bias
/// (b, i, j) is added to the scores (−inf masks); drop (b, i, j) multiplies the weights.
let private loops (q: Tensor) (k: Tensor) (v: Tensor) scale (bias: int -> int -> int -> float) drop =
    let sq, sk, sv = shapeOf q, shapeOf k, shapeOf v

    let l, e, s, ev =
        sq[sq.Length - 2], sq[sq.Length - 1], sk[sk.Length - 2], sv[sv.Length - 1]

    let n = q.Count / (l * e)
    let qa, ka, va = q.ToArray(), k.ToArray(), v.ToArray()
    let out = Array.zeroCreate (n * l * ev)

    for b in 0 .. n - 1 do
        for i in 0 .. l - 1 do
            let scores =
                Array.init s (fun j ->
                    let mutable d = 0.0

                    for c in 0 .. e - 1 do
                        d <- d + qa[(b * l + i) * e + c] * ka[(b * s + j) * e + c]

                    d * scale + bias b i j)

            let m = Array.max scores

            if not (Double.IsNegativeInfinity m) then
                let w = scores |> Array.map (fun x -> exp (x - m))
                let total = Array.sum w

                for j in 0 .. s - 1 do
                    for c in 0 .. ev - 1 do
                        out[(b * l + i) * ev + c] <-
                            out[(b * l + i) * ev + c] + w[j] / total * drop b i j * va[(b * s + j) * ev + c]

    Tensor.FromArray(out, Array.append sq[.. sq.Length - 2] [| ev |])

let private noBias _ _ _ = 0.0
let private noDrop _ _ _ = 1.0
let private rng () = Random 24

let private tol (dtype: DType) =
    if dtype = DType.Float64 then 1e-12 else 1e-5

/// The composition the fused op must agree with: softmax(scale·q·kᵀ + bias)·v, from the public ops.
let private composed (q: Tensor) (k: Tensor) (v: Tensor) (scale: float) (bias: Tensor option) =
    let scores = q.MatMul(k.Transpose(-2, -1)) * scale

    let scores =
        match bias with
        | Some b -> scores + b
        | None -> scores

    scores.Softmax(-1).MatMul v

let private both f =
    [ DType.Float64; DType.Float32 ] |> List.iter f

[<Tests>]
let tests =
    testList
        "attention"
        [
            testCase "values against loops, with every option, both dtypes"
            <| fun () ->
                both (fun dtype ->
                    let r = rng ()
                    let mk (shape: int[]) = (randn r shape).ToDType dtype
                    let q, k, v = mk [| 2; 3; 5; 4 |], mk [| 2; 3; 7; 4 |], mk [| 2; 3; 7; 3 |]

                    let check what (y: Tensor) (expected: Tensor) =
                        close $"{what} {dtype}" (tol dtype) (tol dtype) (y.ToDType DType.Float64) expected

                    let scale = 1.0 / sqrt 4.0
                    check "plain" (q.ScaledDotProductAttention(k, v)) (loops q k v scale noBias noDrop)

                    check
                        "static"
                        (Tensor.ScaledDotProductAttention(q, k, v, scale = 0.3))
                        (loops q k v 0.3 noBias noDrop)
                    // causal is the upper-left triangle: key j for query i where j <= i, for L < S and L > S
                    let causal _ i j = if j <= i then 0.0 else -infinity

                    check
                        "causal L<S"
                        (q.ScaledDotProductAttention(k, v, isCausal = true))
                        (loops q k v scale causal noDrop)

                    check
                        "causal L>S"
                        (k.ScaledDotProductAttention(q, q, isCausal = true))
                        (loops k q q scale causal noDrop)
                    // a bool mask [L, S] broadcast over the batch: true takes part
                    let keep = Array.init 35 (fun i -> i % 3 <> 1)
                    let boolMask = Tensor.FromArray(keep, [| 5; 7 |])

                    check
                        "bool mask"
                        (q.ScaledDotProductAttention(k, v, boolMask))
                        (loops q k v scale (fun _ i j -> if keep[i * 7 + j] then 0.0 else -infinity) noDrop)
                    // a float mask [2, 1, 5, 7], added
                    let fm = mk [| 2; 1; 5; 7 |]
                    let fa = fm.ToArray()

                    check
                        "float mask"
                        (q.ScaledDotProductAttention(k, v, fm))
                        (loops q k v scale (fun b i j -> fa[((b / 3) * 5 + i) * 7 + j]) noDrop)
                    // grouped query heads: 6 query heads over 3 key heads, each shared by two consecutive
                    let q6 = mk [| 2; 6; 5; 4 |]

                    check
                        "gqa"
                        (q6.ScaledDotProductAttention(k, v, enableGqa = true))
                        (loops q6 (k.RepeatInterleave(2, 1)) (v.RepeatInterleave(2, 1)) scale noBias noDrop)
                    // broadcast batch axes
                    check
                        "broadcast"
                        (q.ScaledDotProductAttention(k.Slice(0, 0, 1), v.Slice(0, 0, 1)))
                        (loops
                            q
                            (k.Slice(0, 0, 1).BroadcastTo [| 2; 3; 7; 4 |])
                            (v.Slice(0, 0, 1).BroadcastTo [| 2; 3; 7; 3 |])
                            scale
                            noBias
                            noDrop)
                    // dropout from a key: weight (b, i, j) kept by Philox's rule, scaled by 1/(1 - p)
                    let key = Tensor.FromArray([| 7L; 4000000000L |])

                    let drop b i j =
                        if kept 7u 4000000000u 0.3 5 7 b i j then 1.0 / 0.7 else 0.0

                    check
                        "dropout"
                        (q.ScaledDotProductAttention(k, v, dropoutP = 0.3, dropoutKey = key))
                        (loops q k v scale noBias drop)

                    check
                        "dropout causal"
                        (q.ScaledDotProductAttention(k, v, dropoutP = 0.3, isCausal = true, dropoutKey = key))
                        (loops q k v scale causal drop))

            testCase "dropout keeps exactly the weights Philox keeps"
            <| fun () ->
                // q = k = 0 gives weights 1/S; v = I [S, S] copies each weight's dropout factor into the output
                let l, s = 6, 5
                let q = Tensor.Zeros [| 2; l; 3 |]
                let k = Tensor.Zeros [| 2; s; 3 |]
                let v = Tensor.Eye(s).BroadcastTo [| 2; s; s |]
                let key = Tensor.FromArray([| 123L; 456L |])

                let y =
                    q.ScaledDotProductAttention(k, v, dropoutP = 0.5, dropoutKey = key).ToArray()

                for b in 0..1 do
                    for i in 0 .. l - 1 do
                        for j in 0 .. s - 1 do
                            let expected = if kept 123u 456u 0.5 l s b i j then 2.0 / float s else 0.0
                            Expect.floatClose Accuracy.veryHigh y[(b * l + i) * s + j] expected $"weight {b},{i},{j}"

                let all = q.ScaledDotProductAttention(k, v, dropoutP = 1.0, dropoutKey = key)
                equalValues "p = 1 drops every weight" all (Array.zeroCreate (2 * l * s))

            testCase "first derivatives equal the unfused composition's"
            <| fun () ->
                both (fun dtype ->
                    let r = rng ()
                    let mk (shape: int[]) = (randn r shape).ToDType dtype
                    let q, k, v = mk [| 2; 9; 4 |], mk [| 2; 11; 4 |], mk [| 2; 11; 3 |]
                    let c = mk [| 2; 9; 3 |]
                    let fm = mk [| 9; 11 |]

                    let cases: (string * (Tensor list -> Tensor) * (Tensor list -> Tensor)) list =
                        [
                            "plain",
                            (fun xs -> xs[0].ScaledDotProductAttention(xs[1], xs[2])),
                            (fun xs -> composed xs[0] xs[1] xs[2] 0.5 None)
                            "causal",
                            (fun xs -> xs[0].ScaledDotProductAttention(xs[1], xs[2], isCausal = true, scale = 0.7)),
                            (fun xs ->
                                let tri = Linalg.Tril(Tensor.Ones [| 9; 11 |])

                                composed
                                    xs[0]
                                    xs[1]
                                    xs[2]
                                    0.7
                                    (Some(
                                        Tensor
                                            .Where(
                                                tri.Eq(Tensor.Scalar 1.0),
                                                Tensor.Scalar 0.0,
                                                Tensor.Scalar -infinity
                                            )
                                            .ToDType
                                            dtype
                                    )))
                            "float mask",
                            (fun xs -> xs[0].ScaledDotProductAttention(xs[1], xs[2], xs[3])),
                            (fun xs -> composed xs[0] xs[1] xs[2] 0.5 (Some xs[3]))
                        ]

                    for what, fused, reference in cases do
                        let xs = [ q; k; v; fm ]
                        close $"{what} value {dtype}" (tol dtype) (tol dtype) (fused xs) (reference xs)
                        let g1 = reverse fused xs c
                        let g2 = reverse reference xs c

                        for i, (a, b) in List.indexed (List.zip g1 g2) do
                            if what = "float mask" || i < 3 then
                                close $"{what} gradient {i} {dtype}" (10.0 * tol dtype) (10.0 * tol dtype) a b)

            testCase "several tiles of queries and keys: values and first derivatives against the composition"
            <| fun () ->
                // 130 queries (tiles of 48, 48, 34) and 300 keys (128, 128, 44), and the other way round for causal
                // tiles cut at the diagonal; Ev = 10 is not a whole number of vectors
                both (fun dtype ->
                    let r = rng ()
                    let mk (shape: int[]) = (randn r shape).ToDType dtype
                    let key = Tensor.FromArray [| 11L; 3000000000L |]

                    for l, s, causal, masked, p in
                        [
                            130, 300, false, false, 0.0
                            300, 130, true, false, 0.0
                            130, 300, true, false, 0.25
                            130, 300, false, true, 0.25
                        ] do
                        let q, k, v = mk [| 1; l; 24 |], mk [| 1; s; 24 |], mk [| 1; s; 10 |]
                        let c = mk [| 1; l; 10 |]
                        let fm = mk [| l; s |]

                        let drop =
                            Tensor
                                .FromArray(
                                    Array.init (l * s) (fun n ->
                                        if
                                            p = 0.0 || kept 11u 3000000000u p l s (n / (l * s)) (n / s % l) (n % s)
                                        then
                                            1.0 / (1.0 - p)
                                        else
                                            0.0),
                                    [| 1; l; s |]
                                )
                                .ToDType
                                dtype

                        let tri =
                            Tensor
                                .FromArray(
                                    Array.init (l * s) (fun n -> if n % s <= n / s then 0.0 else -infinity),
                                    [| l; s |]
                                )
                                .ToDType
                                dtype

                        let fused (xs: Tensor list) =
                            if masked then
                                xs[0].ScaledDotProductAttention(xs[1], xs[2], xs[3], dropoutP = p, dropoutKey = key)
                            else
                                xs[0]
                                    .ScaledDotProductAttention(
                                        xs[1],
                                        xs[2],
                                        dropoutP = p,
                                        isCausal = causal,
                                        dropoutKey = key
                                    )

                        let reference (xs: Tensor list) =
                            let scores = xs[0].MatMul(xs[1].Transpose(-2, -1)) * (1.0 / sqrt 24.0)

                            let scores =
                                if masked then scores + xs[3]
                                elif causal then scores + tri
                                else scores

                            (scores.Softmax(-1) * drop).MatMul xs[2]

                        let xs = [ q; k; v; fm ]
                        let what = $"L {l} S {s} causal {causal} mask {masked} p {p} {dtype}"
                        close $"{what}: value" (tol dtype) (tol dtype) (fused xs) (reference xs)
                        let g1 = reverse fused xs c
                        let g2 = reverse reference xs c

                        for i, (a, b) in List.indexed (List.zip g1 g2) do
                            if masked || i < 3 then
                                close $"{what}: gradient {i}" (10.0 * tol dtype) (10.0 * tol dtype) a b)

            testCase "under vmap, a batch of keys drops as a loop over the keys"
            <| fun () ->
                let r = rng ()
                let q, k, v = randn r [| 2; 3; 4 |], randn r [| 2; 5; 4 |], randn r [| 2; 5; 3 |]
                let keys = Tensor.FromArray([| 1L; 2L; 3L; 4L; 5L; 6L |], [| 3; 2 |])

                let f (key: Tensor) =
                    q.ScaledDotProductAttention(k, v, dropoutP = 0.5, dropoutKey = key)

                let batched = vmap f keys

                for i in 0..2 do
                    bitwise
                        $"key {i}"
                        (f (keys.Slice(0, i, i + 1).Reshape [| 2 |]))
                        (batched.Slice(0, i, i + 1).Reshape [| 2; 3; 3 |])

            testCase "a query whose keys are all masked gets zeros, and zero gradients"
            <| fun () ->
                let r = rng ()
                let q, k, v = randn r [| 3; 2 |], randn r [| 4; 2 |], randn r [| 4; 2 |]
                let mask = Tensor.FromArray(Array.init 12 (fun i -> i >= 4), [| 3; 4 |])
                let y = q.ScaledDotProductAttention(k, v, mask)
                equalValues "row 0" (y.Slice(0, 0, 1)) [| 0.0; 0.0 |]

                let g =
                    reverse
                        (fun xs -> xs[0].ScaledDotProductAttention(xs[1], xs[2], mask))
                        [ q; k; v ]
                        (Tensor.OnesLike y)

                equalValues "query 0's gradient" (g[0].Slice(0, 0, 1)) [| 0.0; 0.0 |]

                for t in g do
                    Expect.isTrue (t.ToArray() |> Array.forall Double.IsFinite) "finite gradients"

            testCase "errors name the op, the shapes and the fix"
            <| fun () ->
                let q = Tensor.Zeros [| 2; 3; 4 |]
                let k = Tensor.Zeros [| 2; 5; 4 |]

                let name (e: exn) =
                    Expect.stringContains e.Message "scaledDotProductAttention" "names the op"

                raises<RankException> "rank" (fun () -> Tensor.Zeros([| 4 |]).ScaledDotProductAttention(k, k) |> ignore)
                |> name

                raises<ShapeMismatchException> "E" (fun () ->
                    q.ScaledDotProductAttention(Tensor.Zeros [| 2; 5; 3 |], k) |> ignore)
                |> name

                raises<ShapeMismatchException> "S" (fun () ->
                    q.ScaledDotProductAttention(k, Tensor.Zeros [| 2; 6; 4 |]) |> ignore)
                |> name

                raises<DTypeMismatchException> "dtype" (fun () ->
                    q.ScaledDotProductAttention(k.ToDType DType.Float32, k) |> ignore)
                |> name

                raises<DTypeMismatchException> "int" (fun () ->
                    q.ToDType(DType.Int64).ScaledDotProductAttention(k, k) |> ignore)
                |> name

                raises<ShapeMismatchException> "mask shape" (fun () ->
                    q.ScaledDotProductAttention(k, k, Tensor.Zeros [| 3; 4 |]) |> ignore)
                |> name

                raises<DTypeMismatchException> "mask dtype" (fun () ->
                    q.ScaledDotProductAttention(k, k, Tensor.Zeros([| 3; 5 |], DType.Float32))
                    |> ignore)
                |> name

                raises<ArgumentException> "causal and mask" (fun () ->
                    q.ScaledDotProductAttention(k, k, Tensor.Zeros [| 3; 5 |], isCausal = true)
                    |> ignore)
                |> name

                raises<ArgumentOutOfRangeException> "p" (fun () ->
                    q.ScaledDotProductAttention(k, k, dropoutP = 1.5) |> ignore)
                |> name

                raises<ArgumentException> "no key" (fun () ->
                    q.ScaledDotProductAttention(k, k, dropoutP = 0.5) |> ignore)
                |> name

                raises<ArgumentException> "bad key" (fun () ->
                    q.ScaledDotProductAttention(k, k, dropoutP = 0.5, dropoutKey = Tensor.Zeros [| 2 |])
                    |> ignore)
                |> name

                raises<ArgumentOutOfRangeException> "key range" (fun () ->
                    q.ScaledDotProductAttention(k, k, dropoutP = 0.5, dropoutKey = Tensor.FromArray [| -1L; 0L |])
                    |> ignore)
                |> name

                raises<RankException> "gqa rank" (fun () ->
                    Tensor
                        .Zeros([| 3; 4 |])
                        .ScaledDotProductAttention(Tensor.Zeros [| 5; 4 |], Tensor.Zeros [| 5; 4 |], enableGqa = true)
                    |> ignore)
                |> name

                raises<ShapeMismatchException> "gqa heads" (fun () ->
                    Tensor
                        .Zeros([| 3; 2; 4 |])
                        .ScaledDotProductAttention(
                            Tensor.Zeros [| 2; 5; 4 |],
                            Tensor.Zeros [| 2; 5; 4 |],
                            enableGqa = true
                        )
                    |> ignore)
                |> name

            testCase "the F# functions are the C# method"
            <| fun () ->
                let r = rng ()
                let q, k, v = randn r [| 2; 3; 4 |], randn r [| 2; 5; 4 |], randn r [| 2; 5; 2 |]
                bitwise "plain" (q.ScaledDotProductAttention(k, v)) (Tensor.scaledDotProductAttention q k v)
                let key = Tensor.ofInt64Array [| 1L; 2L |]

                bitwise
                    "with"
                    (q.ScaledDotProductAttention(k, v, dropoutP = 0.2, isCausal = true, scale = 0.4, dropoutKey = key))
                    (Tensor.scaledDotProductAttentionWith
                        { AttentionOptions.defaults with
                            DropoutP = 0.2
                            IsCausal = true
                            Scale = Some 0.4
                            DropoutKey = Some key
                        }
                        q
                        k
                        v)
        ]
