/// Losses and distances (Ops/Losses.cs, and CrossEntropy's shapes in Ops/NeuralNet.cs): values of every reduction and
/// option against references written here as loops over .NET arrays, the conventions of docs/conventions.md "Losses"
/// (extreme logits, clamped logs, zero distances, clamps that pass gradients, kinks), and the errors. Finite
/// differences, vmap, compile and torch:cpu of every loss are the rows of OpSpec.fs (lossSpecs).
module Ops.LossesTests

open System
open Expecto
open FuncGrad
open Support.Check

let private count (shape: int[]) = Array.fold (*) 1 shape

let private data (rng: Random) (lo: float) (hi: float) (shape: int[]) =
    Tensor.FromArray(Array.init (count shape) (fun _ -> lo + (hi - lo) * rng.NextDouble()), shape)

let private longs (values: int64[]) (shape: int[]) = Tensor.FromArray(values, shape)

/// PyTorch's reductions of per-element losses.
let private reduced (reduction: string) (each: float[]) =
    match reduction with
    | "sum" -> [| Array.sum each |]
    | "mean" -> [| Array.average each |]
    | _ -> each

let private reductions = [ "none"; "sum"; "mean" ]

/// Every reduction of a loss against the reference's per-element values.
let private checkReductions what tol (loss: string -> Tensor) (each: float[]) =
    for r in reductions do
        close $"{what}, {r}" tol tol ((loss r).Flatten()) (Tensor.FromArray(reduced r each))

let private grad1 (f: Tensor -> Tensor) (x: Tensor) = Autodiff.Grad(f, x)

let private mentions (what: string) (e: exn) (parts: string list) =
    for p in parts do
        if not (e.Message.Contains(p, StringComparison.Ordinal)) then
            failtestf "%s: the message does not mention %A:\n  %s" what p e.Message

/// log(1 + eˣ) without overflow, for the references.
let private softplus (x: float) =
    Math.Max(x, 0.0) + Math.Log(1.0 + Math.Exp(-abs x))

let private pnorm (p: float) (v: float[]) =
    if p = 0.0 then
        v |> Array.sumBy (fun e -> if e <> 0.0 then 1.0 else 0.0)
    elif Double.IsPositiveInfinity p then
        v |> Array.fold (fun m e -> max m (abs e)) 0.0
    else
        (v |> Array.sumBy (fun e -> abs e ** p)) ** (1.0 / p)

let private valueTests =
    testList
        "values against loops"
        [
            test "nllLoss and crossEntropy of every PyTorch shape, weights and ignored elements" {
                let rng = Random 11
                let n, c, d = 2, 3, 4
                let x = data rng -2.0 2.0 [| n; c; d |]
                let v = x.ToArray()

                let labels =
                    Array.init (n * d) (fun i -> if i = 5 then -100L else int64 (rng.Next c))

                let t = longs labels [| n; d |]
                let w = [| 0.5; 2.0; 1.5 |]

                let at i k j = v[i * c * d + k * d + j]

                let logp i k j =
                    let m = Array.init c (fun q -> at i q j) |> Array.max
                    at i k j - m - log (Array.init c (fun q -> exp (at i q j - m)) |> Array.sum)

                for weighted in [ false; true ] do
                    let wt k = if weighted then w[k] else 1.0
                    let weight = if weighted then Tensor.FromArray w else null

                    let each (score: int -> int -> int -> float) =
                        Array.init (n * d) (fun e ->
                            let i, j = e / d, e % d

                            if labels[e] = -100L then
                                0.0
                            else
                                -(wt (int labels[e]) * score i (int labels[e]) j))

                    let total = labels |> Array.sumBy (fun l -> if l = -100L then 0.0 else wt (int l))

                    for score, run, what in
                        [
                            (fun i k j -> at i k j), (fun r -> x.NllLoss(t, weight, -100, r)), "nllLoss"
                            logp,
                            (fun r ->
                                if weighted then
                                    x.CrossEntropy(t, weight, reduction = r)
                                else
                                    x.CrossEntropy(t, reduction = r)),
                            "crossEntropy"
                        ] do
                        let e = each score
                        let what = $"{what} [N, C, d], weighted {weighted}"
                        close (what + ", none") 1e-12 1e-12 (run "none") (Tensor.FromArray(e, [| n; d |]))
                        closeNum (what + ", sum") 1e-12 1e-12 ((run "sum").Item()) (Array.sum e)
                        closeNum (what + ", mean") 1e-12 1e-12 ((run "mean").Item()) (Array.sum e / total)

                // probabilities [N, C, d]: the mean is over the N·d elements
                let q = (data rng -1.0 1.0 [| n; c; d |]).Softmax(1)
                let qv = q.ToArray()

                let probEach =
                    Array.init (n * d) (fun e ->
                        let i, j = e / d, e % d
                        -(Array.init c (fun k -> qv[i * c * d + k * d + j] * logp i k j) |> Array.sum))

                checkReductions
                    "crossEntropy probabilities [N, C, d]"
                    1e-12
                    (fun r -> x.CrossEntropy(q, reduction = r))
                    probEach
                // one example [C] with a scalar index, and as probabilities
                let row = x.Narrow(0, 0, 1).Narrow(2, 1, 1).Reshape [| c |]
                let one = longs [| 2L |] [||]
                let rv = row.ToArray()
                let lse = log (rv |> Array.sumBy exp)
                closeNum "crossEntropy [C]" 1e-12 1e-12 ((row.CrossEntropy one).Item()) (lse - rv[2])
                closeNum "nllLoss [C]" 0.0 0.0 ((row.NllLoss(one, reduction = "none")).Item()) -rv[2]
                Expect.equal (shapeOf (row.CrossEntropy(one, reduction = "none"))) [||] "[C]: a scalar loss"

                closeNum
                    "crossEntropy [C] of probabilities"
                    1e-12
                    1e-12
                    ((row.CrossEntropy(Tensor.FromArray [| 0.0; 0.0; 1.0 |], reduction = "mean")).Item())
                    (lse - rv[2])
                // [N, C, d] is [N·d, C] with the classes last
                let rows = x.Movedim(1, -1).Reshape [| -1; c |]

                close
                    "crossEntropy [N, C, d] with smoothing is the rows'"
                    1e-12
                    1e-12
                    (x.CrossEntropy(t, reduction = "none", labelSmoothing = 0.2).Flatten())
                    (rows.CrossEntropy(t.Flatten(), reduction = "none", labelSmoothing = 0.2))
            }

            test "binaryCrossEntropy with its clamped logs, weights broadcast" {
                let rng = Random 12
                let x = data rng 0.01 0.99 [| 3; 4 |]
                let t = data rng 0.0 1.0 [| 3; 4 |]
                let w = data rng 0.5 2.0 [| 4 |]
                let xv, tv, wv = x.ToArray(), t.ToArray(), w.ToArray()
                let clog (a: float) = max (log a) -100.0

                let each weighted =
                    Array.init 12 (fun i ->
                        let loss = -(tv[i] * clog xv[i] + (1.0 - tv[i]) * clog (1.0 - xv[i]))
                        if weighted then loss * wv[i % 4] else loss)

                checkReductions "bce" 1e-12 (fun r -> x.BinaryCrossEntropy(t, reduction = r)) (each false)
                checkReductions "bce weighted" 1e-12 (fun r -> x.BinaryCrossEntropy(t, w, r)) (each true)
            }

            test "binaryCrossEntropyWithLogits with weight and posWeight" {
                let rng = Random 13
                let x = data rng -30.0 30.0 [| 3; 4 |]
                let t = data rng 0.0 1.0 [| 3; 4 |]
                let w = data rng 0.5 2.0 [| 3; 1 |]
                let pw = data rng 0.5 3.0 [| 4 |]
                let xv, tv, wv, pv = x.ToArray(), t.ToArray(), w.ToArray(), pw.ToArray()

                let each weighted pos =
                    Array.init 12 (fun i ->
                        let l = if pos then 1.0 + (pv[i % 4] - 1.0) * tv[i] else 1.0
                        let loss = (1.0 - tv[i]) * xv[i] + l * softplus -xv[i]
                        if weighted then loss * wv[i / 4] else loss)

                checkReductions
                    "bceLogits"
                    1e-12
                    (fun r -> x.BinaryCrossEntropyWithLogits(t, reduction = r))
                    (each false false)

                checkReductions
                    "bceLogits weight, posWeight"
                    1e-12
                    (fun r -> x.BinaryCrossEntropyWithLogits(t, w, r, pw))
                    (each true true)
            }

            test "huber, smooth L1 and L1 losses" {
                let rng = Random 14
                let x = data rng -3.0 3.0 [| 2; 5 |]
                let t = data rng -3.0 3.0 [| 2; 5 |]
                let dv = Array.map2 (-) (x.ToArray()) (t.ToArray())

                for delta in [ 0.5; 1.0; 2.5 ] do
                    let huber =
                        dv
                        |> Array.map (fun d ->
                            if abs d < delta then
                                0.5 * d * d
                            else
                                delta * (abs d - 0.5 * delta))

                    checkReductions $"huber {delta}" 1e-12 (fun r -> x.HuberLoss(t, r, delta)) huber

                for beta in [ 0.0; 0.5; 1.0; 2.5 ] do
                    let smooth =
                        dv
                        |> Array.map (fun d ->
                            if abs d < beta then
                                0.5 * d * d / beta
                            else
                                abs d - 0.5 * beta)

                    checkReductions $"smoothL1 {beta}" 1e-12 (fun r -> x.SmoothL1Loss(t, r, beta)) smooth

                checkReductions "l1" 1e-12 (fun r -> x.L1Loss(t, r)) (Array.map abs dv)
            }

            test "klDiv, with probabilities and log-probabilities, every reduction with batchmean" {
                let rng = Random 15
                let x = (data rng -1.0 1.0 [| 3; 4 |]).LogSoftmax()
                let p = (data rng -1.0 1.0 [| 3; 4 |]).Softmax()
                let p = Tensor.Where(p.Gt(Tensor.Scalar 0.3), p, Tensor.Scalar 0.0) // zeros add nothing
                let xv, pv = x.ToArray(), p.ToArray()

                let each =
                    Array.init 12 (fun i -> if pv[i] = 0.0 then 0.0 else pv[i] * (log pv[i] - xv[i]))

                checkReductions "klDiv" 1e-12 (fun r -> x.KlDiv(p, r)) each
                closeNum "klDiv batchmean" 1e-12 1e-12 ((x.KlDiv(p, "batchmean")).Item()) (Array.sum each / 3.0)
                let lp = x.Flip [| 1 |]
                let lv = lp.ToArray()
                let logEach = Array.init 12 (fun i -> exp lv[i] * (lv[i] - xv[i]))
                checkReductions "klDiv logTarget" 1e-12 (fun r -> x.KlDiv(lp, r, true)) logEach
            }

            test "cosineSimilarity, normalize and cdist of every p" {
                let rng = Random 16
                let a = data rng -2.0 2.0 [| 3; 4 |]
                let b = data rng -2.0 2.0 [| 1; 4 |]
                let av, bv = a.ToArray(), b.ToArray()
                let rowOf (v: float[]) i = v[i * 4 .. i * 4 + 3]

                let cosine =
                    Array.init 3 (fun i ->
                        let u, w = rowOf av i, rowOf bv 0
                        Array.fold2 (fun s p q -> s + p * q) 0.0 u w / (pnorm 2.0 u * pnorm 2.0 w))

                close "cosineSimilarity, broadcast" 1e-12 1e-15 (a.CosineSimilarity b) (Tensor.FromArray cosine)

                close
                    "cosineSimilarity along axis 0"
                    1e-12
                    1e-15
                    (a.CosineSimilarity(a.Flip [| 0 |], 0))
                    (a.Transpose(0, 1).CosineSimilarity(a.Flip([| 0 |]).Transpose(0, 1)))

                for p in [ 1.0; 2.0; 3.0 ] do
                    let unit = Array.init 12 (fun e -> av[e] / max (pnorm p (rowOf av (e / 4))) 1e-12)

                    close $"normalize p {p}" 1e-12 1e-15 (a.Normalize(p, 1)) (Tensor.FromArray(unit, [| 3; 4 |]))

                // batch axes broadcast: x1 [2, 3, 4], x2 [1, 2, 4] → [2, 3, 2]; a repeated row gives distance 0
                let x1 = data rng -2.0 2.0 [| 2; 3; 4 |]

                let x2 =
                    Tensor
                        .Concat(
                            [|
                                x1.Narrow(0, 1, 1).Narrow(1, 0, 1).Reshape [| 1; 4 |]
                                data rng -2.0 2.0 [| 1; 4 |]
                            |]
                        )
                        .Unsqueeze
                        0

                let v1, v2 = x1.ToArray(), x2.ToArray()

                for p in [ 0.0; 0.5; 1.0; 2.0; 3.0; infinity ] do
                    let expected =
                        Array.init 12 (fun e ->
                            let b, i, j = e / 6, e / 2 % 3, e % 2
                            pnorm p (Array.init 4 (fun k -> v1[b * 12 + i * 4 + k] - v2[j * 4 + k])))

                    close $"cdist p {p}" 1e-12 1e-15 (x1.Cdist(x2, p)) (Tensor.FromArray(expected, [| 2; 3; 2 |]))
            }

            test "gaussianNllLoss with per-element and per-vector variances, full" {
                let rng = Random 17
                let x = data rng -2.0 2.0 [| 3; 2 |]
                let t = data rng -2.0 2.0 [| 3; 2 |]
                let var = data rng 0.1 2.0 [| 3; 2 |]
                let xv, tv, vv = x.ToArray(), t.ToArray(), var.ToArray()

                let each (varAt: int -> float) full =
                    Array.init 6 (fun i ->
                        let v = max (varAt i) 1e-6

                        0.5 * (log v + (xv[i] - tv[i]) ** 2.0 / v)
                        + (if full then 0.5 * log (2.0 * Math.PI) else 0.0))

                for full in [ false; true ] do
                    checkReductions
                        $"gaussianNll full {full}"
                        1e-12
                        (fun r -> x.GaussianNllLoss(t, var, full, 1e-6, r))
                        (each (fun i -> vv[i]) full)

                let perRow = var.Narrow(1, 0, 1).Reshape [| 3 |]
                let rv = perRow.ToArray()

                checkReductions
                    "gaussianNll var [N]"
                    1e-12
                    (fun r -> x.GaussianNllLoss(t, perRow, reduction = r))
                    (each (fun i -> rv[i / 2]) false)

                checkReductions
                    "gaussianNll var [N, 1]"
                    1e-12
                    (fun r -> x.GaussianNllLoss(t, perRow.Unsqueeze 1, reduction = r))
                    (each (fun i -> rv[i / 2]) false)
                // a variance below eps counts as eps
                let tiny = Tensor.Full([| 3; 2 |], 1e-9)

                checkReductions
                    "gaussianNll clamped"
                    1e-12
                    (fun r -> x.GaussianNllLoss(t, tiny, reduction = r))
                    (each (fun _ -> 1e-9) false)
            }

            test "poissonNllLoss with log input or not, Stirling's term" {
                let rng = Random 18
                let x = data rng 0.1 3.0 [| 2; 4 |]
                let t = Tensor.FromArray([| 0.0; 1.0; 2.0; 5.0; 0.5; 1.5; 3.0; 10.0 |], [| 2; 4 |])
                let xv, tv = x.ToArray(), t.ToArray()

                let stirling (y: float) =
                    if y > 1.0 then
                        y * log y - y + 0.5 * log (2.0 * Math.PI * y)
                    else
                        0.0

                for logInput in [ true; false ] do
                    for full in [ false; true ] do
                        let each =
                            Array.init 8 (fun i ->
                                let nll =
                                    if logInput then
                                        exp xv[i] - tv[i] * xv[i]
                                    else
                                        xv[i] - tv[i] * log (xv[i] + 1e-8)

                                nll + (if full then stirling tv[i] else 0.0))

                        checkReductions
                            $"poissonNll logInput {logInput}, full {full}"
                            1e-12
                            (fun r -> x.PoissonNllLoss(t, logInput, full, 1e-8, r))
                            each
            }

            test "marginRankingLoss and tripletMarginLoss with swap" {
                let rng = Random 19
                let x1 = data rng -2.0 2.0 [| 5 |]
                let x2 = data rng -2.0 2.0 [| 5 |]
                let y = Tensor.FromArray [| 1.0; -1.0; 1.0; -1.0; 1.0 |]
                let a, b, yv = x1.ToArray(), x2.ToArray(), y.ToArray()

                for margin in [ 0.0; 0.7 ] do
                    let each = Array.init 5 (fun i -> max 0.0 (-yv[i] * (a[i] - b[i]) + margin))

                    checkReductions
                        $"marginRanking {margin}"
                        1e-12
                        (fun r -> x1.MarginRankingLoss(x2, y, margin, r))
                        each

                let anchor = data rng -1.0 1.0 [| 4; 3 |]
                let pos = data rng -1.0 1.0 [| 4; 3 |]
                let neg = data rng -1.0 1.0 [| 4; 3 |]
                let av, pv, nv = anchor.ToArray(), pos.ToArray(), neg.ToArray()

                let dist p eps (u: float[]) (w: float[]) i =
                    pnorm p (Array.init 3 (fun k -> u[i * 3 + k] - w[i * 3 + k] + eps))

                for p in [ 1.0; 2.0; 3.0 ] do
                    for swap in [ false; true ] do
                        let each =
                            Array.init 4 (fun i ->
                                let dn = dist p 1e-6 av nv i
                                let dn = if swap then min dn (dist p 1e-6 pv nv i) else dn
                                max 0.0 (1.5 + dist p 1e-6 av pv i - dn))

                        checkReductions
                            $"triplet p {p}, swap {swap}"
                            1e-12
                            (fun r -> anchor.TripletMarginLoss(pos, neg, 1.5, p, 1e-6, swap, r))
                            each
            }
        ]

let private conventionTests =
    testList
        "conventions"
        [
            test "binaryCrossEntropyWithLogits at ±1000: exact value, gradient σ(x) − t" {
                let x = Tensor.FromArray [| 1000.0; -1000.0; 1000.0; -1000.0; 0.0 |]
                let t = Tensor.FromArray [| 1.0; 0.0; 0.0; 1.0; 0.5 |]
                let values = Tensor.FromArray [| 0.0; 0.0; 1000.0; 1000.0; log 2.0 |]
                close "values" 1e-15 0.0 (x.BinaryCrossEntropyWithLogits(t, reduction = "none")) values
                let g = grad1 (fun x -> x.BinaryCrossEntropyWithLogits(t, reduction = "sum")) x
                close "gradient" 0.0 1e-16 g (Tensor.FromArray [| 0.0; 0.0; 1.0; -1.0; 0.0 |])
                let x32 = x.ToDType DType.Float32
                let t32 = t.ToDType DType.Float32

                let v32 =
                    x32.BinaryCrossEntropyWithLogits(t32, reduction = "none").ToDType DType.Float64

                close "float32 values" 1e-7 0.0 v32 values
            }

            test "binaryCrossEntropy at 0 and 1: each log clamped at −100, gradients finite" {
                let x = Tensor.FromArray [| 0.0; 1.0; 0.0; 1.0 |]
                let t = Tensor.FromArray [| 1.0; 0.0; 0.0; 1.0 |]
                equalValues "values" (x.BinaryCrossEntropy(t, reduction = "none")) [| 100.0; 100.0; 0.0; 0.0 |]
                let g = grad1 (fun x -> x.BinaryCrossEntropy(t, reduction = "sum")) x
                // the clamped log passes nothing; the other term's slope is (1 − t)/(1 − x) or −t/x at 1
                equalValues "gradient" g [| 0.0; 0.0; 1.0; -1.0 |]

                let h =
                    grad1 (fun x -> (grad1 (fun x -> x.BinaryCrossEntropy(t, reduction = "sum")) x).Sum()) x

                Expect.isTrue (h.ToArray() |> Array.forall Double.IsFinite) $"second derivative finite: {h}"
            }

            test "cdist and tripletMarginLoss: gradient 0 at zero distance, every p" {
                let x1 = Tensor.FromArray([| 1.0; 2.0; 3.0; 4.0 |], [| 2; 2 |])
                let x2 = Tensor.FromArray([| 1.0; 2.0 |], [| 1; 2 |])

                for p in [ 0.0; 1.0; 2.0; 3.0; infinity ] do
                    let g = grad1 (fun x -> x.Cdist(x2, p).Narrow(0, 0, 1).Sum()) x1
                    equalValues $"cdist p {p}" g [| 0.0; 0.0; 0.0; 0.0 |]

                let g = grad1 (fun x -> x.TripletMarginLoss(x, x2, eps = 0.0)) x2
                Expect.isTrue (g.ToArray() |> Array.forall Double.IsFinite) "triplet with eps 0 at equal points"
            }

            test "cosineSimilarity clamps each norm, and passes the gradient of the unclamped norm as PyTorch" {
                let zero = Tensor.Zeros [| 1; 3 |]
                let b = Tensor.FromArray([| 1.0; 2.0; 2.0 |], [| 1; 3 |])
                equalValues "a zero vector gives 0" (zero.CosineSimilarity b) [| 0.0 |]
                // below eps: value x·b̂/eps; the gradient of (x/n)·b̂ with n = ‖x‖ treated as a function, valued eps
                let eps = 1e-3
                let x = Tensor.FromArray([| 1e-4; 0.0; 0.0 |], [| 1; 3 |])
                closeNum "value" 1e-14 0.0 ((x.CosineSimilarity(b, eps = eps)).Item()) (1e-4 / eps / 3.0)
                let g = grad1 (fun x -> x.CosineSimilarity(b, eps = eps).Sum()) x
                // d/dx [x·u/eps] − (x·u)/eps²·x/‖x‖ with u = b/3
                let xv = [| 1e-4; 0.0; 0.0 |]
                let u = [| 1.0 / 3.0; 2.0 / 3.0; 2.0 / 3.0 |]
                let xu = 1e-4 / 3.0
                let expected = Array.init 3 (fun k -> u[k] / eps - xu / (eps * eps) * xv[k] / 1e-4)
                close "gradient" 1e-12 1e-12 g (Tensor.FromArray(expected, [| 1; 3 |]))
                let gz = grad1 (fun x -> x.CosineSimilarity(b).Sum()) zero
                close "gradient at a zero vector: b̂/eps" 1e-12 0.0 gz (b / 3.0 / 1e-8)
            }

            test "gaussianNllLoss: a variance below eps is valued eps and gets the formula's gradient there" {
                let x = Tensor.FromArray [| 1.0 |]
                let t = Tensor.FromArray [| 0.0 |]
                let var = Tensor.FromArray [| 1e-9 |]
                let g = grad1 (fun v -> x.GaussianNllLoss(t, v, eps = 1e-3)) var
                // ½(1/v − d²/v²) at v = eps = 1e-3, d = 1
                closeNum "d/dvar" 1e-12 0.0 (g.Item()) (0.5 * (1e3 - 1e6))
            }

            test "poissonNllLoss full: Stirling's term is 0 up to target 1, no NaN in any derivative" {
                let x = Tensor.FromArray [| 0.5; 0.5; 0.5 |]
                let t = Tensor.FromArray [| 0.0; 1.0; 2.0 |]

                let f (t: Tensor) =
                    x.PoissonNllLoss(t, full = true, reduction = "sum")

                let g = grad1 f t
                let h = grad1 (fun t -> (grad1 f t).Sum()) t
                Expect.isTrue (Array.forall Double.IsFinite (g.ToArray() |> Array.append (h.ToArray()))) $"{g} {h}"
                // d/dt: −x + (log t + 1/(2t)) where t > 1
                close "gradient in the target" 1e-15 0.0 g (Tensor.FromArray [| -0.5; -0.5; -0.5 + log 2.0 + 0.25 |])
            }

            test "huber and smooth L1 gradients: clamp(d, ±delta) and clamp(d/beta, ±1), 0 at 0; L1's 0 at 0" {
                let d = Tensor.FromArray [| -3.0; -1.0; -0.25; 0.0; 0.5; 1.0; 2.0 |]
                let t = Tensor.Zeros [| 7 |]

                let clampTo (lo: float) (hi: float) (s: float) =
                    Array.map (fun e -> max lo (min hi (e * s)))

                let dv = d.ToArray()
                equalValues "huber" (grad1 (fun x -> x.HuberLoss(t, "sum", 1.0)) d) (clampTo -1.0 1.0 1.0 dv)
                equalValues "smoothL1" (grad1 (fun x -> x.SmoothL1Loss(t, "sum", 2.0)) d) (clampTo -1.0 1.0 0.5 dv)
                equalValues "l1" (grad1 (fun x -> x.L1Loss(t, "sum")) d) (dv |> Array.map (fun e -> float (sign e)))
            }

            test "an empty input gives NaN for the mean and 0 for the sum, as PyTorch" {
                let e = Tensor.Zeros [| 0 |]
                Expect.isTrue (Double.IsNaN((e.L1Loss e).Item())) "mean of nothing"
                Expect.equal ((e.L1Loss(e, "sum")).Item()) 0.0 "sum of nothing"
            }
        ]

let private errorTests =
    testList
        "errors"
        [
            test "a reduction PyTorch does not have names the op and the choices" {
                let x = Tensor.Zeros [| 2 |]

                for name, f in
                    [
                        "l1Loss", (fun () -> x.L1Loss(x, "avg") |> ignore)
                        "huberLoss", (fun () -> x.HuberLoss(x, "avg") |> ignore)
                        "binaryCrossEntropy", (fun () -> x.BinaryCrossEntropy(x, reduction = "avg") |> ignore)
                        "poissonNllLoss", (fun () -> x.PoissonNllLoss(x, reduction = "batchmean") |> ignore)
                        "nllLoss", (fun () -> x.NllLoss(longs [| 0L |] [||], reduction = "avg") |> ignore)
                        "crossEntropy", (fun () -> x.CrossEntropy(longs [| 0L |] [||], reduction = "avg") |> ignore)
                    ] do
                    let e = raises<ArgumentException> name f
                    mentions name e [ name + ":"; "\"mean\""; "\"sum\""; "\"none\"" ]

                let e = raises<ArgumentException> "klDiv" (fun () -> x.KlDiv(x, "avg") |> ignore)
                mentions "klDiv" e [ "klDiv:"; "\"batchmean\"" ]
            }

            test "shapes, dtypes and parameters out of range" {
                let x = Tensor.Zeros [| 2; 3 |]

                let e =
                    raises<ShapeMismatchException> "l1" (fun () -> x.L1Loss(Tensor.Zeros [| 3 |]) |> ignore)

                mentions "l1" e [ "l1Loss:"; "[2x3]"; "[3]"; "the input's shape" ]

                let e =
                    raises<DTypeMismatchException> "bce dtype" (fun () ->
                        x.BinaryCrossEntropyWithLogits(x.ToDType DType.Float32) |> ignore)

                mentions "bce dtype" e [ "binaryCrossEntropyWithLogits:"; "target"; "Float64" ]

                let e =
                    raises<DTypeMismatchException> "int input" (fun () ->
                        (longs [| 1L |] [| 1 |]).L1Loss(longs [| 1L |] [| 1 |]) |> ignore)

                mentions "int input" e [ "l1Loss:"; "float" ]

                let e =
                    raises<ShapeMismatchException> "posWeight" (fun () ->
                        x.BinaryCrossEntropyWithLogits(x, posWeight = Tensor.Ones [| 2 |]) |> ignore)

                mentions "posWeight" e [ "posWeight"; "[2]"; "[2x3]"; "broadcast" ]

                let e =
                    raises<ArgumentOutOfRangeException> "delta" (fun () -> x.HuberLoss(x, delta = 0.0) |> ignore)

                mentions "delta" e [ "huberLoss:"; "delta"; "positive" ]

                let e =
                    raises<ArgumentOutOfRangeException> "beta" (fun () -> x.SmoothL1Loss(x, beta = -1.0) |> ignore)

                mentions "beta" e [ "smoothL1Loss:"; "beta"; "-1" ]

                let e =
                    raises<ArgumentOutOfRangeException> "cdist p" (fun () -> x.Cdist(x, -1.0) |> ignore)

                mentions "cdist p" e [ "cdist:"; "p is -1" ]

                let e =
                    raises<RankException> "cdist rank" (fun () -> x.Cdist(Tensor.Zeros [| 3 |]) |> ignore)

                mentions "cdist rank" e [ "cdist:"; "[3]"; "[1, M]" ]

                let e =
                    raises<ShapeMismatchException> "cdist M" (fun () -> x.Cdist(Tensor.Zeros [| 2; 4 |]) |> ignore)

                mentions "cdist M" e [ "cdist:"; "[2x3]"; "[2x4]"; "last axis" ]

                let e =
                    raises<ShapeMismatchException> "gaussian var" (fun () ->
                        x.GaussianNllLoss(x, Tensor.Ones [| 3 |]) |> ignore)

                mentions "gaussian var" e [ "gaussianNllLoss:"; "var is [3]"; "[2x3]" ]

                let e =
                    raises<RankException> "margin ranks" (fun () ->
                        x.MarginRankingLoss(x, Tensor.Ones [| 3 |]) |> ignore)

                mentions "margin ranks" e [ "marginRankingLoss:"; "same rank" ]

                let e =
                    raises<RankException> "triplet ranks" (fun () ->
                        x.TripletMarginLoss(x, Tensor.Ones [| 3 |]) |> ignore)

                mentions "triplet ranks" e [ "tripletMarginLoss:"; "[3]"; "one rank" ]
            }

            test "class indices: shapes, dtypes, range and weights" {
                let x = Tensor.Zeros [| 2; 3; 4 |]

                let e =
                    raises<ShapeMismatchException> "nll target" (fun () ->
                        x.NllLoss(longs [| 0L; 1L |] [| 2 |]) |> ignore)

                mentions "nll target" e [ "nllLoss:"; "[2]"; "[2x3x4]"; "[2, 4]" ]

                let e =
                    raises<ArgumentOutOfRangeException> "nll range" (fun () ->
                        x.NllLoss(longs (Array.create 8 3L) [| 2; 4 |]) |> ignore)

                mentions "nll range" e [ "nllLoss:"; "index 3" ]

                let e =
                    raises<ShapeMismatchException> "weight" (fun () ->
                        x.NllLoss(longs (Array.zeroCreate 8) [| 2; 4 |], Tensor.Ones [| 4 |]) |> ignore)

                mentions "weight" e [ "nllLoss:"; "weight is [4]"; "[3]" ]

                let e =
                    raises<RankException> "scalar logits" (fun () ->
                        (Tensor.Scalar 1.0).CrossEntropy(longs [| 0L |] [||]) |> ignore)

                mentions "scalar logits" e [ "crossEntropy:"; "[C]"; "[N, C, d1, ...]" ]

                let e =
                    raises<ShapeMismatchException> "probabilities" (fun () ->
                        x.CrossEntropy(Tensor.Zeros [| 2; 4 |], reduction = "mean") |> ignore)

                mentions "probabilities" e [ "crossEntropy:"; "[2x4]"; "int64" ]
            }
        ]

[<Tests>]
let tests = testList "losses" [ valueTests; conventionTests; errorTests ]
