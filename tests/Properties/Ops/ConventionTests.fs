/// The documented conventions at kinks and infinities (docs/conventions.md), one test each.
module Ops.ConventionTests

open Expecto
open FuncGrad
open Support.Check

let private grad (f: Tensor -> Tensor) (x: Tensor) = Autodiff.Grad(f, x)
let private vec (xs: float list) = Tensor.FromArray(Array.ofList xs)

[<Tests>]
let tests =
    testList
        "conventions"
        [
            test "abs'(0) = 0" { equalValues "abs'" (grad (fun x -> x.Abs().Sum()) (vec [ 0.0; -0.0 ])) [| 0.0; 0.0 |] }
            test "relu'(0) = 0" { equalValues "relu'" (grad (fun x -> x.Relu().Sum()) (vec [ 0.0 ])) [| 0.0 |] }
            test "sign has zero gradient everywhere" {
                equalValues "sign'" (grad (fun x -> x.Sign().Sum()) (vec [ -2.0; 0.0; 3.0 ])) [| 0.0; 0.0; 0.0 |]
            }

            test "maximum and minimum split ties evenly" {
                let a, b = Tensor.Scalar 1.0, Tensor.Scalar 1.0

                for name, f in
                    [
                        "maximum", (fun (p: Tensor) (q: Tensor) -> p.Maximum q)
                        "minimum", (fun p q -> p.Minimum q)
                    ] do
                    let da = grad (fun x -> f x b) a
                    let db = grad (fun y -> f a y) b
                    Expect.equal (da.Item(), db.Item()) (0.5, 0.5) $"{name} at a tie"
            }

            test "max and min reductions split ties evenly among the extremes" {
                equalValues "max [1,3,3]" (grad (fun x -> x.Max()) (vec [ 1.0; 3.0; 3.0 ])) [| 0.0; 0.5; 0.5 |]

                equalValues
                    "min [2,1,1,1]"
                    (grad (fun x -> x.Min()) (vec [ 2.0; 1.0; 1.0; 1.0 ]))
                    [| 0.0; 1.0 / 3.0; 1.0 / 3.0; 1.0 / 3.0 |]

                let m = Tensor.FromArray(array2D [ [ 1.0; 5.0; 5.0 ]; [ 7.0; 2.0; 7.0 ] ])

                equalValues
                    "max along axis 1"
                    (grad (fun x -> x.Max([| 1 |]).Sum()) m)
                    [| 0.0; 0.5; 0.5; 0.5; 0.0; 0.5 |]
            }

            test "sqrt'(0) = +inf" { equalValues "sqrt'" (grad (fun x -> x.Sqrt()) (Tensor.Scalar 0.0)) [| infinity |] }

            test "d/dx x^0 = 0 everywhere, including 0" {
                let xs = vec [ 0.0; -1.5; 2.0 ]
                equalValues "scalar exponent" (grad (fun x -> x.Pow(0.0).Sum()) xs) [| 0.0; 0.0; 0.0 |]

                equalValues
                    "tensor exponent"
                    (grad (fun x -> x.Pow(Tensor.Zeros([| 3 |])).Sum()) xs)
                    [| 0.0; 0.0; 0.0 |]

                equalValues
                    "second derivative"
                    (grad (fun x -> grad (fun y -> y.Pow(0.0).Sum()) x |> fun g -> g.Sum()) xs)
                    [| 0.0; 0.0; 0.0 |]
            }

            test "d/da a^b at b = 0 is 0, and its derivative in b is 1/a (the mixed second derivative)" {
                let a, b = vec [ 0.5; 2.0; 4.0 ], vec [ 0.0; 0.0; 0.0 ]
                equalValues "∂/∂a" (grad (fun a -> a.Pow(b).Sum()) a) [| 0.0; 0.0; 0.0 |]
                // ∂/∂b [b·a^(b−1)] = a^(b−1)·(1 + b·ln a), which is 1/a at b = 0
                // (for a > 0, where a^b is differentiable in b)
                equalValues "∂²/∂b∂a" (grad (fun b -> (grad (fun a -> a.Pow(b).Sum()) a).Sum()) b) [| 2.0; 0.5; 0.25 |]
                // at a = 0 as well: 0·inf never arises, and the derivative of the (zero) first derivative stays finite
                let zero = vec [ 0.0 ]
                equalValues "∂/∂a at 0^0" (grad (fun a -> a.Pow(vec [ 0.0 ]).Sum()) zero) [| 0.0 |]

                equalValues
                    "∂²/∂a² at 0^0"
                    (grad (fun x -> (grad (fun a -> a.Pow(vec [ 0.0 ]).Sum()) x).Sum()) zero)
                    [| 0.0 |]
            }

            test "d/dy 0^y = 0 for y > 0" {
                let ys = vec [ 0.5; 1.0; 3.0 ]
                equalValues "0^y" (grad (fun y -> (Tensor.Scalar 0.0).Pow(y).Sum()) ys) [| 0.0; 0.0; 0.0 |]
            }

            test "logsumexp([1000, 1000]) = 1000 + log 2 with gradient [1/2, 1/2]" {
                let x = vec [ 1000.0; 1000.0 ]
                let struct (v, g) = Autodiff.ValueAndGrad((fun (t: Tensor) -> t.LogSumExp()), x)
                Expect.equal (v.Item()) 1000.6931471805599 "value"
                equalValues "gradient" g [| 0.5; 0.5 |]
            }

            test "logsumexp of all -inf is -inf with gradient 0, not NaN" {
                let x = vec [ -infinity; -infinity ]
                let struct (v, g) = Autodiff.ValueAndGrad((fun (t: Tensor) -> t.LogSumExp()), x)
                Expect.equal (v.Item()) -infinity "value"
                equalValues "gradient" g [| 0.0; 0.0 |]

                let struct (_, t) =
                    Autodiff.Jvp((fun (t: Tensor) -> t.LogSumExp()), x, vec [ 1.0; 2.0 ])

                Expect.equal (t.Item()) 0.0 "forward-mode tangent"
            }

            test "softmax of [1000, 0] is finite with finite gradients" {
                let x = vec [ 1000.0; 0.0 ]
                let y = x.Softmax()
                equalValues "value" y [| 1.0; 0.0 |]

                for i in 0..1 do
                    let g = grad (fun t -> t.Softmax().Slice(0, i, i + 1).Sum()) x

                    Expect.isTrue
                        (g.ToArray() |> Array.forall System.Double.IsFinite)
                        $"gradient of output {i} is finite: {g}"

                let struct (_, t) =
                    Autodiff.Jvp((fun (t: Tensor) -> t.Softmax()), x, vec [ 1.0; -1.0 ])

                Expect.isTrue (t.ToArray() |> Array.forall System.Double.IsFinite) "forward-mode tangent is finite"
            }

            test "sigmoid and softplus are finite, with finite derivatives, for |x| up to 1e4" {
                let x = vec [ -1e4; -700.0; -30.0; 0.0; 30.0; 700.0; 1e4 ]

                for name, f in
                    [
                        "sigmoid", (fun (t: Tensor) -> t.Sigmoid())
                        "softplus", (fun t -> t.Softplus())
                    ] do
                    let y = f x
                    Expect.isTrue (y.ToArray() |> Array.forall System.Double.IsFinite) $"{name} values: {y}"
                    let g = grad (fun t -> (f t).Sum()) x
                    Expect.isTrue (g.ToArray() |> Array.forall System.Double.IsFinite) $"{name} derivatives: {g}"

                equalValues "sigmoid limits" ((vec [ -1e4; 1e4 ]).Sigmoid()) [| 0.0; 1.0 |]
                equalValues "softplus limits" ((vec [ -1e4; 1e4 ]).Softplus()) [| 0.0; 1e4 |]
            }

            // A thread reuses the op it made for the last number; 0.0 and -0.0 (equal as doubles) must not share it.
            test "x·0 and x·(−0), x + 0 and x + (−0) keep their signs of zero, one after the other" {
                let x = vec [ 2.0; -2.0; 0.0 ]

                let signs (t: Tensor) =
                    t.ToArray() |> Array.map (fun v -> System.Double.IsNegative v)

                Expect.equal (signs (x * 0.0)) [| false; true; false |] "x · 0"
                Expect.equal (signs (x * -0.0)) [| true; false; true |] "x · −0"
                Expect.equal (signs (x * 0.0)) [| false; true; false |] "x · 0 again"
                let z = vec [ -0.0 ]
                Expect.equal (signs (z + 0.0)) [| false |] "−0 + 0 = +0"
                Expect.equal (signs (z + -0.0)) [| true |] "−0 + −0 = −0"
                Expect.equal (signs (z + 0.0)) [| false |] "−0 + 0 again"
                equalValues "d(x·(−0))/dx" (grad (fun t -> (t * -0.0).Sum()) (vec [ 1.0 ])) [| -0.0 |]
            }

            // scans (Ops/Scans.cs; values against loops in ScanTests.fs)
            test "cummax and cummin report the last of tied positions and send the gradient there" {
                let x = vec [ 1.0; 3.0; 3.0 ]
                let struct (_, i) = x.Cummax 0
                Expect.equal (i.ToInt64Array()) [| 0L; 1L; 2L |] "cummax indices"

                let last (t: Tensor) =
                    let struct (v, _) = t.Cummax 0
                    v.[2]

                equalValues "cummax's last value" (grad last x) [| 0.0; 0.0; 1.0 |]
                let struct (_, j) = (vec [ 2.0; 1.0; 1.0 ]).Cummin 0
                Expect.equal (j.ToInt64Array()) [| 0L; 1L; 2L |] "cummin indices"
            }

            test "cumprod's gradient at a zero is the product of the other factors" {
                equalValues
                    "cumprod [2, 0, 3]"
                    (grad (fun x -> (x.Cumprod 0).Sum()) (vec [ 2.0; 0.0; 3.0 ]))
                    [| 1.0; 8.0; 0.0 |]
            }

            test "logcumsumexp is finite at ±1e4, and −inf with gradient 0 over a run of −inf" {
                let x = vec [ 1e4; -1e4; 1e4 ]
                equalValues "values" (x.Logcumsumexp 0) [| 1e4; 1e4; 1e4 + log 2.0 |]
                // e^(x − y) with y = 1e4 + log 2 rounded: ½ to within an ulp of 1e4
                close "gradient" 1e-11 0.0 (grad (fun t -> (t.Logcumsumexp 0).Sum()) x) (vec [ 2.5; 0.0; 0.5 ])
                let ninf = System.Double.NegativeInfinity
                let y = vec [ ninf; ninf; 0.0 ]
                equalValues "−inf values" (y.Logcumsumexp 0) [| ninf; ninf; 0.0 |]
                equalValues "−inf gradient" (grad (fun t -> (t.Logcumsumexp 0).Sum()) y) [| 0.0; 0.0; 1.0 |]
            }

            test "selection at ties: the first of equal elements, which gets the whole gradient" {
                let x = vec [ 1.0; 3.0; 3.0 ]
                Expect.equal (x.Argmax().ToInt64Array()) [| 1L |] "argmax [1,3,3]"

                let value t =
                    let struct (v, _) = (t: Tensor).MaxWithIndices(0) in v

                equalValues "maxWithIndices [1,3,3] sends back" (grad value x) [| 0.0; 1.0; 0.0 |]
                let struct (_, top) = x.Topk(1)
                Expect.equal (top.ToInt64Array()) [| 1L |] "topk 1"

                Expect.equal
                    ((vec [ 2.0; 1.0; 2.0; 1.0 ]).Argsort(descending = true).ToInt64Array())
                    [| 0L; 2L; 1L; 3L |]
                    "stable"
            }

            test "selection with NaN: NaN ranks above every number" {
                let x = vec [ 1.0; nan; 3.0; nan ]
                Expect.equal (x.Argmax().ToInt64Array(), x.Argmin().ToInt64Array()) ([| 1L |], [| 1L |]) "the first NaN"
                let struct (sorted, _) = x.Sort()
                Expect.isTrue (System.Double.IsNaN(sorted.ToArray()[3])) "NaN last ascending"
                let struct (m, i) = x.Median(0)
                Expect.isTrue (System.Double.IsNaN(m.Item())) "median NaN"
                Expect.equal (i.ToInt64Array()) [| 1L |] "at the first NaN"
            }
        ]
