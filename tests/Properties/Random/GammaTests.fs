/// Gamma, beta and Dirichlet draws (Random/RandomKeys.Gamma.cs, Ops/GammaDraws.cs, Kernels/Random/Gamma.cs): the
/// implicit gradient against the mpmath table of Reference/random_gamma.py, moments and Kolmogorov–Smirnov checks with
/// fixed keys against distribution functions written here, the mean gradient against the derivative of the mean, the
/// same bits across threads, vmap, compile, batches of keys and dtypes, and the errors.
module Random.GammaTests

open System
open Expecto
open FuncGrad
open FuncGrad.Kernels
open FuncGrad.Kernels.Random
open FuncGrad.Transforms
open FuncGrad.Compile
open Reference

let private key (a: int64) (b: int64) = Tensor.FromArray([| a; b |], [| 2 |])

/// log Γ(x) for x > 0 by Lanczos' approximation (g = 7, nine terms; about 1e-15 relative), for the CDFs below.
let private lgamma (x: float) =
    let c =
        [|
            0.99999999999980993
            676.5203681218851
            -1259.1392167224028
            771.32342877765313
            -176.61503916999185
            12.507343278686905
            -0.13857109526572012
            9.9843695780195716e-6
            1.5056327351493116e-7
        |]

    let x = x - 1.0
    let mutable s = c[0]

    for i in 1..8 do
        s <- s + c[i] / (x + float i)

    let t = x + 7.5
    0.5 * log (2.0 * Math.PI) + (x + 0.5) * log t - t + log s

/// The regularised lower incomplete gamma P(a, x): its series below a + 1, else 1 − the continued fraction of Q
/// (modified Lentz), each to 1e-15.
let private gammaP (a: float) (x: float) =
    if x <= 0.0 then
        0.0
    elif x < a + 1.0 then
        let mutable term = 1.0 / a
        let mutable sum = term
        let mutable n = 1.0

        while abs term > 1e-16 * abs sum do
            term <- term * x / (a + n)
            sum <- sum + term
            n <- n + 1.0

        sum * exp (-x + a * log x - lgamma a)
    else
        let tiny = 1e-300
        let mutable b = x + 1.0 - a
        let mutable c = 1.0 / tiny
        let mutable d = 1.0 / b
        let mutable h = d
        let mutable i = 1.0
        let mutable fin = false

        while not fin do
            let an = -i * (i - a)
            b <- b + 2.0
            d <- an * d + b
            d <- (if abs d < tiny then tiny else d)
            c <- b + an / c
            c <- (if abs c < tiny then tiny else c)
            d <- 1.0 / d
            let delta = d * c
            h <- h * delta
            i <- i + 1.0
            fin <- abs (delta - 1.0) < 1e-16 || i > 10000.0

        1.0 - exp (-x + a * log x - lgamma a) * h

/// The regularised incomplete beta function for integer a, b: P(Binomial(a + b − 1, x) ≥ a).
let private betaCdfInt (a: int) (b: int) (x: float) =
    let n = a + b - 1
    let choose k = exp (lgamma (float n + 1.0) - lgamma (float k + 1.0) - lgamma (float (n - k) + 1.0))
    [ a..n ] |> List.sumBy (fun j -> choose j * x ** float j * (1.0 - x) ** float (n - j))

/// The Kolmogorov–Smirnov statistic of a sample against a distribution function.
let private ks (cdf: float -> float) (xs: float[]) =
    let s = Array.sort xs
    let n = float s.Length

    s
    |> Array.mapi (fun i x ->
        let f = cdf x
        max (f - float i / n) (float (i + 1) / n - f))
    |> Array.max

/// The 0.1 % critical value of the statistic for n draws (Kolmogorov's limit distribution): with fixed keys a check
/// either always passes or always fails, so this only says how surprising a failure would be.
let private ksCritical (n: int) = 1.95 / sqrt (float n)

let private meanVar (xs: float[]) =
    let m = Array.average xs
    m, xs |> Array.averageBy (fun x -> (x - m) * (x - m))

let private n = 8000

[<Tests>]
let tests =
    testList
        "gamma draws"
        [
            test "the implicit gradient is within 5e-13 relative of mpmath (float64)" {
                let rows = Tables.load "gamma_sample_grad"
                Expect.isGreaterThan rows.Length 300 "the table's rows"

                let worst =
                    rows
                    |> Array.map (fun r ->
                        let g = GammaKernel.SampleGrad(r.Args[0], r.Args[1])
                        abs (g - r.Value) / abs r.Value)
                    |> Array.max

                Expect.isLessThan worst 5e-13 "the largest relative error"
            }

            test "the gradient op's float32 values are the float64 kernel's at the same arguments, rounded" {
                let a = [| 0.25f; 1.0f; 3.5f; 700.0f |]
                let g = Autodiff.Grad((fun (t: Tensor) -> RandomKeys.Gamma(key 1L 2L, t).Sum()), Tensor.FromArray a)
                let z = RandomKeys.Gamma(key 1L 2L, Tensor.FromArray a).ToFloatArray()

                let expected =
                    Array.map2 (fun (a: float32) (z: float32) -> float32 (GammaKernel.SampleGrad(float a, float z))) a z

                Expect.equal (g.ToFloatArray()) expected "float32 gradient"
            }

            test "conventions: z = 0 has gradient 0; α ≤ 0 and NaN draw NaN" {
                Expect.equal (GammaKernel.SampleGrad(0.5, 0.0)) 0.0 "underflowed draw"
                let d = RandomKeys.Gamma(key 0L 1L, Tensor.FromArray [| 0.0; -1.0; nan |]).ToArray()
                Expect.isTrue (Array.forall Double.IsNaN d) "NaN draws"
            }

            for alpha in [ 0.3; 1.0; 5.0; 100.0 ] do
                test $"Gamma(%g{alpha}): mean, variance, Kolmogorov–Smirnov and the mean gradient" {
                    let a = Tensor.Scalar(alpha).BroadcastTo [| n |]
                    let draw (t: Tensor) = RandomKeys.Gamma(key 7L 11L, t)
                    let z = (draw a).ToArray()
                    let m, v = meanVar z
                    Expect.isLessThan (abs (m - alpha)) (5.0 * sqrt (alpha / float n)) "mean α"
                    // Var(s²) ≈ (μ₄ − σ⁴)/n with μ₄ = 3α² + 6α for the gamma distribution
                    Expect.isLessThan (abs (v - alpha)) (5.0 * sqrt ((2.0 * alpha * alpha + 6.0 * alpha) / float n)) "var α"
                    Expect.isLessThan (ks (gammaP alpha) z) (ksCritical n) "KS"
                    // E[dz/dα] = dE[z]/dα = 1
                    let g = (Autodiff.Grad((fun (t: Tensor) -> (draw t).Sum()), a)).ToArray()
                    let gm, gv = meanVar g
                    Expect.isLessThan (abs (gm - 1.0)) (5.0 * sqrt (gv / float n)) "mean gradient"
                }

            test "Beta(2, 3) and Beta(2.5, 1): moments, Kolmogorov–Smirnov, mean gradients" {
                let a, b = Tensor.Scalar 2.0, Tensor.Scalar 3.0
                let z = (RandomKeys.Beta(key 3L 5L, a, b, [| n |])).ToArray()
                let m, v = meanVar z
                Expect.isLessThan (abs (m - 0.4)) (5.0 * sqrt (0.04 / float n)) "mean a/(a + b)"
                Expect.isLessThan (abs (v - 0.04)) 0.004 "var ab/((a + b)²(a + b + 1))"
                Expect.isLessThan (ks (betaCdfInt 2 3) z) (ksCritical n) "KS Beta(2, 3)"
                let z2 = (RandomKeys.Beta(key 3L 6L, 2.5, 1.0, [| n |])).ToArray()
                Expect.isLessThan (ks (fun x -> x ** 2.5) z2) (ksCritical n) "KS Beta(2.5, 1): x^2.5"
                // E[d z/da] = b/(a + b)², E[d z/db] = −a/(a + b)², per draw with the parameters spread over the draws
                let pa, pb = a.BroadcastTo [| n |], b.BroadcastTo [| n |]

                let ga =
                    (Autodiff.Grad((fun (t: Tensor) -> RandomKeys.Beta(key 3L 5L, t, pb).Sum()), pa)).ToArray()

                let gb =
                    (Autodiff.Grad((fun (t: Tensor) -> RandomKeys.Beta(key 3L 5L, pa, t).Sum()), pb)).ToArray()

                let gam, gav = meanVar ga
                let gbm, gbv = meanVar gb
                Expect.isLessThan (abs (gam - 0.12)) (5.0 * sqrt (gav / float n)) "d/da a/(a + b) = 0.12"
                Expect.isLessThan (abs (gbm + 0.08)) (5.0 * sqrt (gbv / float n)) "d/db a/(a + b) = −0.08"
            }

            test "Dirichlet([1, 2, 3]): rows sum to 1, marginals Beta(αᵢ, 6 − αᵢ), mean gradient" {
                let alpha = Tensor.FromArray [| 1.0; 2.0; 3.0 |]
                let d = RandomKeys.Dirichlet(key 9L 9L, alpha, [| n |])
                Expect.sequenceEqual d.Shape [ n; 3 ] "shape [n, K]"
                let v = d.ToArray()

                for r in 0 .. n - 1 do
                    Expect.floatClose Accuracy.high (v[3 * r] + v[3 * r + 1] + v[3 * r + 2]) 1.0 "sum"

                for i in 0..2 do
                    let xi = Array.init n (fun r -> v[3 * r + i])
                    Expect.isLessThan (ks (betaCdfInt (i + 1) (5 - i)) xi) (ksCritical n) $"marginal {i}"
                // d E[z₀]/dα = (δ₀ⱼ·6 − 1)/36 = [5, −1, −1]/36
                let full = alpha.BroadcastTo [| n; 3 |]

                let g =
                    (Autodiff.Grad(
                        (fun (t: Tensor) -> RandomKeys.Dirichlet(key 9L 9L, t).Narrow(1, 0, 1).Sum()),
                        full
                    ))
                        .ToArray()

                for j in 0..2 do
                    let gj = Array.init n (fun r -> g[3 * r + j])
                    let gm, gv = meanVar gj
                    let expected = (if j = 0 then 5.0 else -1.0) / 36.0
                    Expect.isLessThan (abs (gm - expected)) (5.0 * sqrt (gv / float n)) $"d E[z0]/d alpha{j}"
            }

            test "the same bits on one thread and on several, and float32 = float64 rounded" {
                let a = Tensor.FromArray(Array.init 40000 (fun i -> 0.25 + float (i % 97) * 0.5))

                let one =
                    use _ = Workers.Force 1
                    RandomKeys.Gamma(key 4L 2L, a).ToArray()

                let many = RandomKeys.Gamma(key 4L 2L, a).ToArray()
                Expect.equal many one "threads"

                let single =
                    RandomKeys.Gamma(key 4L 2L, a.ToDType DType.Float32).ToFloatArray()

                Expect.equal single (Array.map float32 one) "float32"
            }

            test "a batch of keys, vmap over keys and over α, and compile give the draws made one key at a time" {
                let keys = Tensor.FromArray([| 1L; 2L; 3L; 4L; 5L; 6L |], [| 3; 2 |])
                let alpha = Tensor.FromArray [| 0.5; 2.0 |]
                let one i = RandomKeys.Gamma(keys.Narrow(0, i, 1).Reshape [| 2 |], alpha).ToArray()
                let loop = Array.concat [ one 0; one 1; one 2 ]
                Expect.equal (RandomKeys.Gamma(keys, alpha).ToArray()) loop "batch of keys"
                Expect.equal ((vmap (fun k -> RandomKeys.Gamma(k, alpha)) keys).ToArray()) loop "vmap keys"
                let alphas = Tensor.FromArray([| 0.5; 2.0; 3.0; 4.0 |], [| 2; 2 |])
                let k = key 1L 2L

                let byRow =
                    Array.concat [ for i in 0..1 -> RandomKeys.Gamma(k, alphas.Narrow(0, i, 1).Reshape [| 2 |]).ToArray() ]

                Expect.equal ((vmap (fun a -> RandomKeys.Gamma(k, a)) alphas).ToArray()) byRow "vmap α"
                let f = fun (a: Tensor) -> RandomKeys.Dirichlet(k, a, [| 4 |])
                Expect.equal (((compile f) alpha).ToArray()) ((f alpha).ToArray()) "compile"
                let g = grad (fun (a: Tensor) -> (RandomKeys.Gamma(k, a) * a).Sum())
                Expect.equal (((compile g) alpha).ToArray()) ((g alpha).ToArray()) "compiled gradient"
            }

            test "errors: keys, dtypes, shapes and second derivatives" {
                let k = key 1L 2L

                Expect.throwsT<ShapeMismatchException>
                    (fun () -> RandomKeys.Gamma(Tensor.FromArray [| 1.0; 2.0 |], Tensor.Scalar 1.0) |> ignore)
                    "a float key"

                Expect.throwsT<DTypeMismatchException>
                    (fun () -> RandomKeys.Gamma(k, Tensor.FromArray [| 1L |]) |> ignore)
                    "an integer α"

                Expect.throwsT<ShapeMismatchException>
                    (fun () -> RandomKeys.Gamma(k, Tensor.FromArray [| 1.0; 2.0 |], [| 3 |]) |> ignore)
                    "α that does not broadcast"

                Expect.throwsT<RankException>
                    (fun () -> RandomKeys.Dirichlet(k, Tensor.Scalar 1.0) |> ignore)
                    "a scalar concentration"

                Expect.throwsT<NotSupportedException>
                    (fun () ->
                        hessian (fun (a: Tensor) -> RandomKeys.Gamma(k, a).Sum()) (Tensor.FromArray [| 2.0 |])
                        |> ignore)
                    "second order"
            }
        ]

[<Tests>]
let fsharp =
    test "F#: Random.gamma, beta and dirichlet are the C# draws" {
        let k = key 1L 2L
        let a, b = Tensor.Scalar 2.0, Tensor.Scalar 3.0
        Expect.equal ((Random.gamma k a [| 5 |]).ToArray()) (RandomKeys.Gamma(k, a, [| 5 |]).ToArray()) "gamma"
        Expect.equal ((Random.beta k a b [| 5 |]).ToArray()) (RandomKeys.Beta(k, a, b, [| 5 |]).ToArray()) "beta"
        let c = Tensor.FromArray [| 1.0; 2.0 |]
        Expect.equal ((Random.dirichlet k c [| 3 |]).ToArray()) (RandomKeys.Dirichlet(k, c, [| 3 |]).ToArray()) "dirichlet"
    }
