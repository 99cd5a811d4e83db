// An exact Gaussian process in FuncGrad: GPyTorch's "Simple GP Regression" recipe (100 points in [0, 1],
// y = sin(2πx) + noise of standard deviation 0.2), an RBF kernel whose hyperparameters are fitted by gradient on the
// negative log marginal likelihood through Linalg.cholesky and Linalg.choleskySolve, predictions with variances, and
// the Hessian of the likelihood report to second order by GradCheck. CI runs it with `dotnet fsi docs/gp.fsx` after
// building; every `check` fails the script if a result is not what the comment says. `--write-plot` also writes
// docs/images/gp-regression.svg.
#load "Checks.fsx"

open System
open System.IO
open FuncGrad
open Checks

// 1. The data: GPyTorch's recipe, with FuncGrad's generator (so the noise differs from torch's draw).
let n = 100
let x = Tensor.linspace 0.0 1.0 n
let y = sin (x * (2.0 * Math.PI)) + Tensor.randn 0 [| n |] * sqrt 0.04
let drawn = y - sin (x * (2.0 * Math.PI))
printfn "the variance of the noise drawn: %.4f (its distribution's: 0.04)" ((Tensor.mean (drawn * drawn)).Item())

// 2. The model, as GPyTorch's ExactGP with ConstantMean, ScaleKernel(RBFKernel) and GaussianLikelihood: the unknowns
//    are θ = [raw lengthscale; raw outputscale; raw noise; mean], positive ones through softplus (the noise kept above
//    1e-4), so θ = 0 starts every scale at log 2 = 0.693, as GPyTorch does.
type Hyper =
    {
        Lengthscale: Tensor
        Outputscale: Tensor
        Noise: Tensor
        Mean: Tensor
    }

let hyper (theta: Tensor) =
    let s = Tensor.softplus theta

    {
        Lengthscale = s.[0]
        Outputscale = s.[1]
        Noise = s.[2] + 1e-4
        Mean = theta.[3]
    }

/// k(a, b) = outputscale · exp(−(a − b)² / (2 lengthscale²)) for every pair of points.
let rbf (h: Hyper) (a: Tensor) (b: Tensor) =
    let d = Tensor.unsqueeze 1 a - Tensor.unsqueeze 0 b
    h.Outputscale * exp (-(d * d) / (2.0 * h.Lengthscale * h.Lengthscale))

/// The factor L of K = k(x, x) + noise·I, and α = K⁻¹(y − mean) by two triangular solves.
let factor (h: Hyper) =
    let k = rbf h x x + h.Noise * Tensor.eye n
    let l = Linalg.cholesky k
    let r = Tensor.unsqueeze 1 (y - h.Mean)
    l, r, Linalg.choleskySolve r l

/// The negative log marginal likelihood per point, GPyTorch's loss: (½ rᵀK⁻¹r + ½ log|K| + n/2 log 2π) / n, with
/// ½ log|K| = Σ log Lᵢᵢ read from the factor's diagonal.
let nlml (theta: Tensor) =
    let l, r, alpha = factor (hyper theta)
    let fit = 0.5 * Tensor.sum (r * alpha)
    let logDet = Tensor.sum (log (Linalg.diagonal l))
    (fit + logDet + 0.5 * float n * log (2.0 * Math.PI)) / float n

// 3. Fit: Adam with learning rate 0.1 for 50 steps, as the tutorial trains.
let show (theta: Tensor) =
    let h = hyper theta
    let v (t: Tensor) = t.Item()
    $"lengthscale {v h.Lengthscale:F3}  outputscale {v h.Outputscale:F3}  noise {v h.Noise:F4}  mean {v h.Mean:F3}"

let opt = Optim.adam 0.1

let mutable theta = Tensor.zeros [| 4 |]
let mutable state = opt.Init theta

for i in 1..50 do
    let loss, g = valueAndGrad nlml theta

    if i = 1 || i % 10 = 0 then
        printfn "Adam %2d/50  loss %.4f  %s" i (loss.Item()) (show theta)

    let theta', state' = opt.Update g state theta
    theta <- theta'
    state <- state'

let afterAdam = theta

// 4. Then Newton's method on the same loss, with its Hessian: second derivatives through Cholesky. The Hessian is
//    positive definite here, so its own Cholesky factor solves for the step; convergence is quadratic.
let mutable newton = 0
let mutable gradNorm = infinity

while gradNorm > 1e-12 && newton < 10 do
    newton <- newton + 1
    let g = grad nlml theta
    gradNorm <- (Linalg.vectorNorm g).Item()
    let h = hessian nlml theta

    let step = Linalg.choleskySolve (Tensor.unsqueeze 1 g) (Linalg.cholesky h)

    theta <- theta - Tensor.reshape [| 4 |] step
    printfn "Newton %d  loss %.8f  |gradient| %.1e  %s" newton ((nlml theta).Item()) gradNorm (show theta)

checkThat "Newton converges in at most 6 steps" (gradNorm <= 1e-12 && newton <= 6)

// 5. Checks of the optimum that need no optimiser. Scaling outputscale and noise together by c scales K by c, and
//    the loss is stationary in c only where rᵀK⁻¹r = n; the best constant mean is the generalised least-squares one,
//    1ᵀK⁻¹y / 1ᵀK⁻¹1.
let best = hyper theta
let l, r, alpha = factor best
let ones = Tensor.ones [| n; 1 |]
let kInvOnes = Linalg.choleskySolve ones l
let kInvY = Linalg.choleskySolve (Tensor.unsqueeze 1 y) l
check "rᵀK⁻¹r = n at the optimum" (Tensor.sum (r * alpha) / float n) (scalar 1.0)
check "mean = 1ᵀK⁻¹y / 1ᵀK⁻¹1" best.Mean (Tensor.sum kInvY / Tensor.sum kInvOnes)

// The same loss and, below, the same predictions from an independent computation: textbook loops over float arrays.
module Plain =
    let v (t: Tensor) = t.Item()

    let ls, sf2, sn2, c =
        v best.Lengthscale, v best.Outputscale, v best.Noise, v best.Mean

    let xs, ys = Tensor.toArray x, Tensor.toArray y

    let k (a: float) (b: float) =
        sf2 * Math.Exp(-((a - b) ** 2.0) / (2.0 * ls * ls))

    let kxx = Array2D.init n n (fun i j -> k xs[i] xs[j] + (if i = j then sn2 else 0.0))

    /// The lower Cholesky factor, column by column (the Cholesky–Banachiewicz recurrences).
    let f =
        let f = Array2D.zeroCreate n n

        for j in 0 .. n - 1 do
            f[j, j] <- Math.Sqrt(kxx[j, j] - Seq.sum (seq { for p in 0 .. j - 1 -> f[j, p] * f[j, p] }))

            for i in j + 1 .. n - 1 do
                f[i, j] <-
                    (kxx[i, j] - Seq.sum (seq { for p in 0 .. j - 1 -> f[i, p] * f[j, p] }))
                    / f[j, j]

        f

    /// L⁻¹b by forward substitution.
    let forward (b: float[]) =
        let z = Array.zeroCreate n

        for i in 0 .. n - 1 do
            z[i] <- (b[i] - Seq.sum (seq { for p in 0 .. i - 1 -> f[i, p] * z[p] })) / f[i, i]

        z

    /// L⁻ᵀb by back substitution.
    let backward (b: float[]) =
        let z = Array.zeroCreate n

        for i in n - 1 .. -1 .. 0 do
            z[i] <- (b[i] - Seq.sum (seq { for p in i + 1 .. n - 1 -> f[p, i] * z[p] })) / f[i, i]

        z

    let z = forward (ys |> Array.map (fun e -> e - c))
    let alpha = backward z
    let logDet = Seq.sum (seq { for i in 0 .. n - 1 -> Math.Log f[i, i] })

    let loss =
        (0.5 * Array.sumBy (fun e -> e * e) z
         + logDet
         + 0.5 * float n * Math.Log(2.0 * Math.PI))
        / float n

    /// The predictive mean and variance of f at a point: c + k*ᵀα and k(t, t) − ‖L⁻¹k*‖².
    let predict (t: float) =
        let ks = Array.init n (fun i -> k t xs[i])
        c + Array.fold2 (fun s a b -> s + a * b) 0.0 ks alpha, sf2 - Array.sumBy (fun e -> e * e) (forward ks)

check "the loss, as textbook loops compute it" (nlml theta) (scalar Plain.loss)

// 6. Predictions at 51 test points (the tutorial's grid): the mean c + k*ᵀα and the variance of f, k(t, t) − ‖L⁻¹k*‖²,
//    with one triangular solve for every test point at once; y's variance adds the noise.
let predict (t: Tensor) =
    let kStar = rbf best t x // [points x 100]
    let v = Linalg.solveTriangular false l (Tensor.transpose kStar) // L⁻¹k* for each point, [100 x points]
    best.Mean + Tensor.reshape [| -1 |] (Tensor.matmul kStar alpha), best.Outputscale - Tensor.sumAxis 0 (v * v)

let xTest = Tensor.linspace 0.0 1.0 51
let mean, varF = predict xTest
let sdY = sqrt (varF + best.Noise)
let predicted = [ for t in Tensor.toArray xTest -> Plain.predict t ]

let close (a: Tensor) (b: float list) =
    a.AllClose(Tensor.ofList b, 1e-12, 1e-12)

checkThat "the mean, as textbook loops compute it" (close mean (List.map fst predicted))
checkThat "the variance of f, likewise" (close varF (List.map snd predicted))
let truth = sin (xTest * (2.0 * Math.PI))
let rmse = sqrt (Tensor.mean ((mean - truth) * (mean - truth)))
printfn "RMSE of the mean against sin(2πx) at the test points: %.4f" (rmse.Item())
checkThat "the mean is within 0.1 of sin(2πx) (RMSE)" (rmse.Item() < 0.1)

// The band of two standard deviations of y at the training inputs holds most of the data (95 % of it, were the
// fitted noise exact).
let meanX, varX = predict x

let inside =
    Array.map3
        (fun target m var -> abs (target - m) <= 2.0 * sqrt (var + best.Noise.Item()))
        (Tensor.toArray y)
        (Tensor.toArray meanX)
        (Tensor.toArray varX)
    |> Array.filter id
    |> Array.length

printfn "%d of %d training targets lie within two standard deviations of their prediction" inside n
checkThat "at least 90 of them" (inside >= 90)

// 7. The derivatives checked by GradCheck against finite differences, in reverse and forward mode: the loss to
//    second order where Newton started (second order differentiates Cholesky's and choleskySolve's rules once more),
//    and at the optimum, where the gradient is 0, the gradient's own Jacobian, which is the Hessian Newton used.
let report =
    GradCheck.check
        { GradCheckOptions.Default with
            Order = 2
        }
        nlml
        afterAdam

printfn "%O" report
checkThat "GradCheck of the loss to second order" report.Passed
let hessianReport = GradCheck.check GradCheckOptions.Default (grad nlml) theta
printfn "%O" hessianReport
checkThat "GradCheck of the Hessian at the optimum" hessianReport.Passed
let h = hessian nlml theta
printfn "Hessian at the optimum:\n%O" h
checkThat "the Hessian is symmetric" ((h - Tensor.transpose h).Abs().Max().Item() < 1e-10)

// 8. The picture: training points, the true function, the mean and a band of two standard deviations of y, as an SVG
//    drawn here (run with --write-plot to rewrite docs/images/gp-regression.svg).
let svg =
    let w, hgt, left, top, right, bottom = 720.0, 360.0, 50.0, 30.0, 20.0, 40.0
    let inv = Globalization.CultureInfo.InvariantCulture
    let px (t: float) = left + t * (w - left - right)

    let py (v: float) =
        top + (2.0 - v) / 4.0 * (hgt - top - bottom) // y from −2 to 2

    let pt (a: float) (b: float) =
        String.Format(inv, "{0:F1},{1:F1}", px a, py b)

    let ts, ms, sds = Tensor.toArray xTest, Tensor.toArray mean, Tensor.toArray sdY
    let fine = Array.init 201 (fun i -> float i / 200.0)

    let line (xs: float[]) (ys: float[]) =
        Array.map2 pt xs ys |> String.concat " "

    let band =
        Array.append
            (Array.map2 (fun m s -> m + 2.0 * s) ms sds)
            (Array.rev (Array.map2 (fun m s -> m - 2.0 * s) ms sds))

    [
        $"""<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{hgt}" """
        + """font-family="sans-serif" font-size="12">"""
        $"""<rect width="{w}" height="{hgt}" fill="white"/>"""
        $"""<polygon points="{line (Array.append ts (Array.rev ts)) band}" fill="#9ecae1" fill-opacity="0.6"/>"""
        let sine = fine |> Array.map (fun t -> sin (2.0 * Math.PI * t))
        $"""<polyline points="{line fine sine}" fill="none" stroke="#555" stroke-dasharray="5,4"/>"""
        $"""<polyline points="{line ts ms}" fill="none" stroke="#08519c" stroke-width="2"/>"""

        for a, b in Array.zip (Tensor.toArray x) (Tensor.toArray y) do
            let p = (pt a b).Split ','
            $"""<circle cx="{p[0]}" cy="{p[1]}" r="2.5" fill="black"/>"""

        for v in [ -2.0; -1.0; 0.0; 1.0; 2.0 ] do
            let y0 = String.Format(inv, "{0:F1}", py v)
            $"""<line x1="{left}" x2="{w - right}" y1="{y0}" y2="{y0}" stroke="#ddd"/>"""
            $"""<text x="{left - 8.0}" y="{y0}" text-anchor="end" dominant-baseline="middle">{v}</text>"""

        for t in [ 0.0; 0.25; 0.5; 0.75; 1.0 ] do
            let x0 = String.Format(inv, "{0:F1}", px t)
            $"""<text x="{x0}" y="{hgt - bottom + 16.0}" text-anchor="middle">{t}</text>"""

        $"""<text x="{w / 2.0}" y="18" text-anchor="middle" font-size="14">"""
        + "Exact GP, RBF kernel: mean (blue), ±2 sd of y (band), sin(2πx) (dashed), data (dots)</text>"

        "</svg>"
    ]
    |> String.concat "\n"

checkThat "the plot has the 100 training points" (svg.Split("<circle").Length = 101)

if fsi.CommandLineArgs |> Array.contains "--write-plot" then
    File.WriteAllText(Path.Combine(__SOURCE_DIRECTORY__, "images", "gp-regression.svg"), svg + "\n")
