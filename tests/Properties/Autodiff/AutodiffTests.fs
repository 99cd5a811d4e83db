/// The reverse walk, forward mode, nesting, and the lecture's autograd semantics.
module Autodiff.AutodiffTests

open System
open System.Threading.Tasks
open Expecto
open FuncGrad
open Support.Check

let private grad (f: Tensor -> Tensor) (x: Tensor) = Autodiff.Grad(f, x)

/// The forward-mode derivative of a function of one element.
let private fwd (f: Tensor -> Tensor) (x: Tensor) =
    let struct (_, t) = Autodiff.Jvp(f, x, Tensor.OnesLike x)
    t

let private vec (xs: float list) = Tensor.FromArray(Array.ofList xs)

/// Alternating y * 1.000001 and y + 1e-7, n ops in all (SUITE.md's deep chain).
let private chain n (x: Tensor) =
    let mutable y = x

    for i in 0 .. n - 1 do
        y <- if i % 2 = 0 then y * 1.000001 else y + 1e-7

    y

[<Tests>]
let walk =
    testList
        "reverse walk"
        [
            test "broadcasting gradients are summed back to each operand's shape" {
                let a = Tensor.FromArray(array2D [ [ 1.0 ]; [ 2.0 ]; [ 3.0 ] ]).RequiresGrad()
                let b = Tensor.FromArray(array2D [ [ 1.0; 2.0; 3.0; 4.0 ] ]).RequiresGrad()
                let g = (a * b).Sum().Backward()
                Expect.equal (shapeOf g[a]) [| 3; 1 |] "shape of grad a"
                equalValues "grad a" g[a] [| 10.0; 10.0; 10.0 |]
                Expect.equal (shapeOf g[b]) [| 1; 4 |] "shape of grad b"
                equalValues "grad b" g[b] [| 6.0; 6.0; 6.0; 6.0 |]
            }
            test "fan-out sums gradients over paths: x*x + x at 3 is 7" {
                let x = Tensor.Scalar(3.0).RequiresGrad()
                Expect.equal ((x * x + x).Backward().[x].Item()) 7.0 "d/dx"
                Expect.equal ((grad (fun x -> x * x + x) (Tensor.Scalar 3.0)).Item()) 7.0 "functional"
            }
            test "a diamond DAG with a shared weight accumulates every path" {
                // x1 = w*x0; x2 = sin(x1); x3 = w*x1 + x2: dx3/dw = x1 + w*x0 + cos(x1)*x0
                let x0, wv = 0.7, 1.3
                let w = Tensor.Scalar(wv).RequiresGrad()
                let x1 = w * x0
                let x3 = w * x1 + x1.Sin()
                let expected = wv * x0 + wv * x0 + cos (wv * x0) * x0
                closeNum "dx3/dw" 1e-15 0.0 (x3.Backward().[w].Item()) expected
            }
            test "the walk visits only nodes that lead to the requested inputs" {
                let x = Tensor.Scalar(2.0).RequiresGrad()
                let z = Tensor.Scalar(5.0).RequiresGrad()
                let y = x * x + z.Exp()
                let dx = Autodiff.Grad([| y |], [| x |])
                Expect.equal (dx[0].Item()) 4.0 "d/dx"
            }
            test "gradients with respect to an intermediate tensor" {
                let x = Tensor.Scalar(2.0).RequiresGrad()
                let h = x * 3.0
                let y = h * h
                Expect.equal ((Autodiff.Grad([| y |], [| h |])).[0].Item()) 12.0 "dy/dh = 2h"
            }
            test "fan-out sums are bit-identical run after run" {
                let rng = Random 7
                let w = randn rng [| 30; 30 |]

                let f (x: Tensor) =
                    (w.MatMul(x).Tanh() + x.Sin() * x + w.MatMul(x.Exp())).Sum()

                let x = randn rng [| 30 |]
                let first = grad f x

                for _ in 1..5 do
                    Expect.isTrue ((grad f x).Equals first) "same bits"
            }
            test "a one-million-op chain differentiates without overflowing the stack" {
                let x = Tensor.FromArray([| 1.0 |]).RequiresGrad()
                let y = chain 1_000_000 x
                closeNum "dy/dx = 1.000001^500000" 1e-9 0.0 (y.Backward().[x].Item()) (Math.Pow(1.000001, 500000.0))
            }
            test "two threads differentiating at once get the answers of one" {
                let rng = Random 3
                let w = randn rng [| 20; 20 |]

                let f (x: Tensor) =
                    w.MatMul(x).Tanh().Sum() + grad (fun y -> (y * x).Sin().Sum()) x
                    |> fun g -> g.Sum()

                let xs = Array.init 8 (fun _ -> randn rng [| 20 |])
                let sequential = xs |> Array.map (grad f)

                let parallelRuns =
                    [| for _ in 1..2 -> Task.Run(fun () -> xs |> Array.map (grad f)) |]
                    |> Array.map (fun t -> t.Result)

                for run in parallelRuns do
                    Array.iter2 (fun (a: Tensor) b -> Expect.isTrue (a.Equals b) "same gradient") run sequential
            }
        ]

[<Tests>]
let lecture =
    testList
        "lecture semantics"
        [
            test "requires_grad: RequiresGrad returns a new variable and leaves the original unchanged" {
                let x = vec [ 1.0; 2.0 ]
                let v = x.RequiresGrad()
                Expect.isFalse x.RequiresGradient "original is not a variable"
                Expect.isTrue v.RequiresGradient "the new tensor is"
                Expect.isTrue v.IsLeaf "and it is a leaf"
                Expect.isFalse (v * 2.0).IsLeaf "a computed tensor is not a leaf"
                Expect.equal ((v * 2.0).GradFn) "Mul" "grad_fn names the op"
            }
            test "autograd.grad: seeds are required for non-scalar outputs and act as grad_outputs" {
                let x = (vec [ 1.0; 2.0; 3.0 ]).RequiresGrad()
                let y = x * x
                Expect.throwsT<NonScalarOutputException> (fun () -> Autodiff.Grad([| y |], [| x |]) |> ignore) "no seed"
                let g = Autodiff.Grad([| y |], [| x |], [| vec [ 1.0; 0.5; 0.0 ] |])
                equalValues "u^T J" g[0] [| 2.0; 2.0; 0.0 |]
            }
            test "autograd.grad: allowUnused gives null for an input the output ignores" {
                let x = Tensor.Scalar(1.0).RequiresGrad()
                let z = Tensor.Scalar(1.0).RequiresGrad()
                let y = x * 2.0

                Expect.throwsT<GradientException>
                    (fun () -> Autodiff.Grad([| y |], [| x; z |]) |> ignore)
                    "unused without the flag"

                let g = Autodiff.Grad([| y |], [| x; z |], allowUnused = true)
                Expect.equal (g[0].Item()) 2.0 "used"
                Expect.isNull g[1] "unused"
            }
            test "backward() accumulation: gradient maps add, and the sum equals the gradient of the summed losses" {
                let w = (vec [ 1.0; 2.0 ]).RequiresGrad()
                let l1 = (w * w).Sum()
                let l2 = (w * 3.0).Sum()
                let acc = Gradients.Empty + l1.Backward() + l2.Backward()
                equalValues "accumulated" acc[w] [| 5.0; 7.0 |]
                Expect.isTrue (acc[w].Equals((l1 + l2).Backward().[w])) "same as one backward of the sum"
            }
            test "zeroing: there is no .grad to zero, so a second backward does not double" {
                let w = (vec [ 1.0; 2.0 ]).RequiresGrad()
                let l = (w * w).Sum()
                let g1 = l.Backward()
                let g2 = l.Backward()
                Expect.isTrue (g1[w].Equals g2[w]) "independent results"
                equalValues "not accumulated" g2[w] [| 2.0; 4.0 |]
            }
            test (
                "no_grad: nothing is recorded inside the scope, recording resumes after, "
                + "and a functional grad inside still works"
            ) {
                let w = Tensor.Scalar(2.0).RequiresGrad()
                use _ = Autodiff.NoGrad()
                let y = w * 3.0
                Expect.isFalse y.RequiresGradient "no graph inside no_grad"

                Expect.equal
                    ((grad (fun x -> x * x) (Tensor.Scalar 3.0)).Item())
                    6.0
                    "a transform started inside still differentiates"
            }
            test "no_grad ends with its scope" {
                let w = Tensor.Scalar(2.0).RequiresGrad()
                (Autodiff.NoGrad()).Dispose()
                Expect.isTrue (w * 3.0).RequiresGradient "recording again"
            }
            test "no_grad on one thread does not affect another" {
                let w = Tensor.Scalar(2.0).RequiresGrad()
                use gate = new System.Threading.ManualResetEventSlim()

                let inside =
                    Task.Run(fun () ->
                        use _ = Autodiff.NoGrad()
                        gate.Wait()
                        (w * 3.0).RequiresGradient)

                let outside = Task.Run(fun () -> (w * 3.0).RequiresGradient)
                let outsideResult = outside.Result
                gate.Set()
                Expect.isFalse inside.Result "inside the scope"
                Expect.isTrue outsideResult "other thread records"
            }
            test "detach: same data, no history, no gradient through it" {
                let x = Tensor.Scalar(3.0).RequiresGrad()
                let d = x.Detach()
                Expect.isFalse d.RequiresGradient "no history"
                Expect.isTrue (d.Equals x) "same values"
                Expect.equal ((x * x.Detach()).Backward().[x].Item()) 3.0 "only the tracked factor contributes"

                Expect.equal
                    ((grad (fun x -> x * x.Detach()) (Tensor.Scalar 3.0)).Item())
                    3.0
                    "functional stop-gradient"
            }
            test "retain_graph is not needed: backward runs any number of times" {
                let x = Tensor.Scalar(2.0).RequiresGrad()
                let y = (x * x).Sin()
                let first = y.Backward().[x]

                for _ in 1..3 do
                    Expect.isTrue (y.Backward().[x].Equals first) "same gradient again"
            }
            test "create_graph: derivatives of derivatives, to third order" {
                let x = Tensor.Scalar(3.0).RequiresGrad()
                let y = x * x * x
                let d1 = (Autodiff.Grad([| y |], [| x |], createGraph = true)).[0]
                Expect.equal (d1.Item()) 27.0 "3x^2"
                Expect.isTrue d1.RequiresGradient "the gradient is itself in the graph"
                let d2 = (Autodiff.Grad([| d1 |], [| x |], createGraph = true)).[0]
                Expect.equal (d2.Item()) 18.0 "6x"
                let d3 = (Autodiff.Grad([| d2 |], [| x |])).[0]
                Expect.equal (d3.Item()) 6.0 "6"

                Expect.isFalse
                    ((Autodiff.Grad([| y |], [| x |])).[0].RequiresGradient)
                    "without create_graph the gradient is a plain value"
            }
        ]

[<Tests>]
let nesting =
    testList
        "nesting"
        [
            test "perturbation confusion: d/dx [x * d/dy (x + y)] at 1 is 1 in all four mode combinations" {
                let one = Tensor.Scalar 1.0
                let inner (d: (Tensor -> Tensor) -> Tensor -> Tensor) (x: Tensor) = x * d (fun y -> x + y) one

                for outerName, outer in [ "reverse", grad; "forward", fwd ] do
                    for innerName, d in [ "reverse", grad; "forward", fwd ] do
                        Expect.equal ((outer (inner d) one).Item()) 1.0 $"{outerName} over {innerName}"
            }
            test "grad (fun x -> x * grad (fun y -> x * y) 2) is 2x" {
                let f (x: Tensor) =
                    x * grad (fun y -> x * y) (Tensor.Scalar 2.0)

                Expect.equal ((grad f (Tensor.Scalar 5.0)).Item()) 10.0 "d/dx x^2"
            }
            test "Siskind and Pearlmutter's example: d/dx [x * d/dy (x * y) at y] ... mixing levels" {
                // f(x) = x * (d/dy (x*y)^2 at y=x) = x * 2*x^2*y|y=x = 2x^4, f'(x) = 8x^3
                let f (x: Tensor) = x * grad (fun y -> (x * y).Square()) x
                Expect.equal ((grad f (Tensor.Scalar 2.0)).Item()) 64.0 "8x^3 at 2"
                Expect.equal ((fwd f (Tensor.Scalar 2.0)).Item()) 64.0 "forward outer"
            }
            test "tanh derivatives at 0 through order 7: 1, 0, -2, 0, 16, 0, -272" {
                let expected = [ 1.0; 0.0; -2.0; 0.0; 16.0; 0.0; -272.0 ]

                let rec nth n (d: (Tensor -> Tensor) -> Tensor -> Tensor) (f: Tensor -> Tensor) =
                    if n = 0 then f else nth (n - 1) d (d f)

                for name, d in [ "reverse", grad; "forward", fwd ] do
                    expected
                    |> List.iteri (fun i e ->
                        closeNum
                            $"{name} order {i + 1}"
                            0.0
                            1e-12
                            ((nth (i + 1) d (fun x -> x.Tanh()) (Tensor.Scalar 0.0)).Item())
                            e)
                // alternating forward and reverse
                let mixed = fwd (grad (fwd (grad (fwd (fun x -> x.Tanh()))))) (Tensor.Scalar 0.0)
                closeNum "forward/reverse alternating order 5" 0.0 1e-12 (mixed.Item()) 16.0
            }
            test "a pullback can be called many times, with different cotangents" {
                let struct (y, back) = Autodiff.Vjp((fun (x: Tensor) -> x * x), vec [ 1.0; 2.0 ])
                equalValues "value" y [| 1.0; 4.0 |]
                equalValues "first" (back.Invoke(vec [ 1.0; 0.0 ])) [| 2.0; 0.0 |]
                equalValues "second" (back.Invoke(vec [ 0.0; 1.0 ])) [| 0.0; 4.0 |]
            }
            test "jvp and grad of functions that ignore their input give zeros" {
                let struct (_, t) =
                    Autodiff.Jvp((fun (_: Tensor) -> Tensor.Scalar 5.0), Tensor.Scalar 1.0, Tensor.Scalar 1.0)

                Expect.equal (t.Item()) 0.0 "jvp"
                Expect.equal ((grad (fun _ -> Tensor.Scalar 5.0) (Tensor.Scalar 1.0)).Item()) 0.0 "grad"
            }
            test "forward mode through matmul and reductions matches reverse mode column by column" {
                let rng = Random 11
                let a = randn rng [| 4; 3 |]
                let f (x: Tensor) = a.MatMul(x).Tanh()
                let x = randn rng [| 3 |]

                for i in 0..2 do
                    let e = Tensor.FromArray(Array.init 3 (fun j -> if i = j then 1.0 else 0.0))
                    let struct (_, col) = Autodiff.Jvp(f, x, e)

                    for r in 0..3 do
                        let row = grad (fun x -> (f x).Slice(0, r, r + 1).Sum()) x
                        closeNum $"J[{r},{i}]" 1e-14 1e-15 (col.ToArray()[r]) (row.ToArray()[i])
            }
            test "the imperative graph and functional transforms nest" {
                // a variable (outer level) used inside a functional grad: d/dw [d/dx (w*x^2) at x=3] = 2*3 = 6
                let w = Tensor.Scalar(1.5).RequiresGrad()
                let inner = grad (fun x -> w * x * x) (Tensor.Scalar 3.0)
                closeNum "inner" 0.0 0.0 (inner.Item()) 9.0
                Expect.equal (inner.Backward().[w].Item()) 6.0 "outer"
            }
        ]
