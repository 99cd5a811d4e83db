/// compile against eager evaluation: every row of the op spec table in both dtypes, bit for bit (the program calls the
/// same kernels in the same order; every row under vjp, jvp and vmap, in both orders, in CommuteTests); the tracer's
/// errors; the cache (no retrace on a repeat, a retrace on a new signature, least recently used out); threads;
/// exceptions while tracing; nesting; constants; a million-step chain. Expected values always come from calling f
/// eagerly.
module Autodiff.CompileTests

open System
open System.Collections.Generic
open System.Threading
open Expecto
open FuncGrad
open Support.Check
open Ops.OpSpec

let private compileList (f: Tensor list -> Tensor list) =
    let c = Autodiff.Compile(listFn f)
    fun (xs: Tensor list) -> c.Invoke(Array.ofList xs) |> List.ofSeq

let private tracesOf (d: Delegate) = (d.Target :?> Compiled).Traces

/// The row's arguments for each listed shape, in a dtype.
let private cases (s: Spec) (dtype: DType) =
    let rng = Random(s.Name.Length * 7919 + int dtype)

    s.Shapes
    |> List.map (fun shapes -> List.map2 (fun d (shape: int[]) -> (sample rng d shape).ToDType dtype) s.Domains shapes)

let private dtypes = [ DType.Float64; DType.Float32 ]

let private perRow (name: string) (check: Spec -> DType -> Tensor list -> unit) =
    testList
        name
        [
            for s in specs do
                test s.Name {
                    for dtype in dtypes do
                        for xs in cases s dtype do
                            check s dtype xs
                }
        ]

let private opTests =
    testList
        "every op, both dtypes, bit for bit"
        [
            perRow "compile f = f" (fun s dtype xs ->
                let what = $"{s.Name} {dtype} {xs |> List.map shapeOf}"
                bitwise what (s.F xs) (compileList (fun v -> [ s.F v ]) xs |> List.exactlyOne))
        ]

let private sample1 = Tensor.FromArray [| 0.3; -1.2; 2.5 |]

/// A function with a bit of everything: products, reductions, transcendentals, a broadcast constant.
let private g (x: Tensor) =
    (x.Tanh() * x + Tensor.Scalar(1.5, x.DType)).Sum() * x.Exp().Sum()

let private transformTests =
    testList
        "composition"
        [
            test "compile (grad f), grad (compile f) and grad f agree bit for bit" {
                let eager = Autodiff.Grad(Func<_, _> g, sample1)
                bitwise "compile (grad g)" eager ((compile (grad g)) sample1)
                bitwise "grad (compile g)" eager (grad (compile g) sample1)
            }
            test "compile (hessian f) = hessian f" {
                bitwise "hessian" (hessian g sample1) ((compile (hessian g)) sample1)
            }
            test "compile (jvp f) and jvp (compile f) = jvp f" {
                let v = Tensor.FromArray [| 1.0; 0.5; -2.0 |]
                let y, dy = jvp g sample1 v
                let cy, cdy = jvp (compile g) sample1 v
                bitwise "jvp (compile g) value" y cy
                bitwise "jvp (compile g) tangent" dy cdy

                let both =
                    compile (fun x ->
                        let a, b = jvp g x v
                        Tensor.Stack [| a; b |])

                bitwise "compile (jvp g)" (Tensor.Stack [| y; dy |]) (both sample1)
            }
            test "compile (vmap f) and vmap (compile f) = vmap f" {
                let xs = Tensor.FromArray(Array.init 12 (fun i -> sin (float i)), [| 4; 3 |])
                let eager = vmap g xs
                bitwise "compile (vmap g)" eager ((compile (vmap g)) xs)
                bitwise "vmap (compile g)" eager (vmap (compile g) xs)
                bitwise "compile (vmap (grad g))" (vmap (grad g) xs) ((compile (vmap (grad g))) xs)
            }
            test "nested compile, with the inner one on tracers and on constants" {
                let inner = compile (fun y -> y * y + 1.0)
                let c = Tensor.FromArray [| 2.0; 3.0; 4.0 |]
                let outer = compile (fun x -> inner x * inner c)
                bitwise "nested" ((sample1 * sample1 + 1.0) * (c * c + 1.0)) (outer sample1)

                bitwise
                    "outer of grad of inner"
                    (grad (fun x -> (inner x).Sum()) sample1)
                    ((compile (grad (fun x -> (inner x).Sum()))) sample1)
            }
            test "a compiled function that captures a variable of an outer grad runs f itself" {
                let data = Tensor.FromArray [| 1.0; 2.0; 3.0 |]

                let loss (w: Tensor) =
                    (compile (fun x -> (x * w).Tanh().Sum())) data

                let eager (w: Tensor) = (data * w).Tanh().Sum()
                let w = Tensor.FromArray [| 0.1; 0.2; 0.3 |]
                bitwise "grad through a captured variable" (grad eager w) (grad loss w)
            }
            test "compileOf: structures in and out; a changed number in the structure retraces" {
                let step =
                    compileOf (fun (w: Tensor, x: Tensor, n: int) ->
                        let g = grad (fun w -> (w * x).Sum()) w
                        {| W = w - float n * g; G = g |})

                let w, x = Tensor.FromArray [| 1.0; 2.0 |], Tensor.FromArray [| 3.0; 4.0 |]
                let r1 = step (w, x, 1)
                bitwise "n = 1" (w - x) r1.W
                bitwise "gradient" x r1.G
                let r2 = step (w, x, 2)
                bitwise "n = 2" (w - 2.0 * x) r2.W
            }
        ]

/// Runs f on a traced value and returns the CompileException it raises.
let private whileTraced (f: Tensor -> unit) =
    let compiled =
        compile (fun x ->
            f x
            x)

    raises<CompileException> "reading a traced value" (fun () -> compiled (Tensor.Ones [| 2 |]) |> ignore)

let private errorTests =
    testList
        "reading a traced value"
        [
            for name, call, read in
                [
                    "Item()", "Item()", (fun (x: Tensor) -> x.Sum().Item() |> ignore)
                    "ToArray()", "ToArray()", (fun x -> x.ToArray() |> ignore)
                    "ToFloatArray()", "ToFloatArray()", (fun x -> x.ToFloatArray() |> ignore)
                    "AsSpan()", "AsSpan()", (fun x -> x.AsSpan().Length |> ignore)
                    "AsFloatSpan()", "AsFloatSpan()", (fun x -> x.ToDType(DType.Float32).AsFloatSpan().Length |> ignore)
                    "Equals, a comparison made a bool", "Equals", (fun x -> x.Equals(Tensor.Ones [| 2 |]) |> ignore)
                    "GetHashCode()", "GetHashCode()", (fun x -> x.GetHashCode() |> ignore)
                    "AllClose", "AllClose", (fun x -> x.AllClose(Tensor.Ones [| 2 |]) |> ignore)
                    "a value read under grad",
                    "Item()",
                    (fun x -> grad (fun y -> Tensor.Scalar((y * y).Sum().Item())) x |> ignore)
                ] do
                test name {
                    let e = whileTraced read
                    Expect.stringContains e.Message call "the message names the call"
                    Expect.stringContains e.Message "Where" "the message says to keep choices as Where"
                    Expect.stringContains e.Message "outside compile" "or to leave that part outside compile"
                }
            test "RequiresGrad on a traced value" {
                let e = whileTraced (fun x -> x.RequiresGrad() |> ignore)
                Expect.stringContains e.Message "requiresGrad" "names the call"
            }
            test "ToString shows the shape and dtype, not values" {
                let mutable shown = ""

                let compiled =
                    compile (fun x ->
                        shown <- x.ToString()
                        x)

                compiled (Tensor.Ones [| 2 |]) |> ignore
                Expect.stringContains shown "traced([2] float64" "describes the tracer"
            }
            test "a data-dependent choice as Where compiles" {
                let f (x: Tensor) =
                    Tensor.Where(x.Gt(Tensor.Scalar 0.0), x, x * 0.1)

                bitwise "where" (f sample1) ((compile f) sample1)
            }
            test "a traced value used after its trace ended" {
                let mutable stash = Unchecked.defaultof<Tensor>

                let compiled =
                    compile (fun x ->
                        stash <- x
                        x * 2.0)

                compiled sample1 |> ignore
                let e = raises<CompileException> "escaped" (fun () -> stash * 2.0 |> ignore)
                Expect.stringContains e.Message "escaped" "says it escaped"
            }
        ]

let private cacheTests =
    testList
        "cache"
        [
            test "a repeat does not retrace; a new shape or dtype does" {
                let f = Autodiff.Compile(Func<_, _> g)
                f.Invoke sample1 |> ignore
                f.Invoke(sample1 * 2.0) |> ignore
                Expect.equal (tracesOf f) 1L "one trace for one signature"
                bitwise "second call" (g (sample1 * 2.0)) (f.Invoke(sample1 * 2.0))
                f.Invoke(Tensor.Ones [| 3 |]) |> ignore
                Expect.equal (tracesOf f) 1L "same shape and dtype: still one"
                let x32 = sample1.ToDType DType.Float32
                bitwise "float32" (g x32) (f.Invoke x32)
                Expect.equal (tracesOf f) 2L "a new dtype retraces"
                let f4 = fun (x: Tensor) -> x.Sum() * x
                let c4 = Autodiff.Compile(Func<_, _> f4)
                c4.Invoke(Tensor.Ones [| 4 |]) |> ignore
                c4.Invoke(Tensor.Ones [| 2; 2 |]) |> ignore
                Expect.equal (tracesOf c4) 2L "a new shape retraces"
            }
            test "at most 32 signatures, the least recently used dropped first" {
                let f = Autodiff.Compile(Func<Tensor, Tensor>(fun x -> x * 2.0))

                for n in 1..33 do
                    f.Invoke(Tensor.Ones [| n |]) |> ignore

                Expect.equal (tracesOf f) 33L "33 signatures traced"
                f.Invoke(Tensor.Ones [| 33 |]) |> ignore
                Expect.equal (tracesOf f) 33L "a recent one is kept"
                f.Invoke(Tensor.Ones [| 1 |]) |> ignore
                Expect.equal (tracesOf f) 34L "the oldest was dropped and retraces"
            }
            test "an exception while tracing leaves nothing cached" {
                let mutable fail = true

                let f =
                    Autodiff.Compile(
                        Func<Tensor, Tensor>(fun x ->
                            let y = x * 3.0

                            if fail then
                                invalidOp "boom"

                            y)
                    )

                raises<InvalidOperationException> "f throws" (fun () -> f.Invoke sample1 |> ignore)
                |> ignore

                fail <- false
                bitwise "after the failure" (sample1 * 3.0) (f.Invoke sample1)
                Expect.equal (tracesOf f) 2L "the failed trace was not cached"
                f.Invoke sample1 |> ignore
                Expect.equal (tracesOf f) 2L "the good one was"
            }
            test "a constant function: no step depends on the input" {
                let c = Tensor.FromArray [| 1.0; 2.0 |]
                let f = compile (fun _ -> c * 2.0)
                bitwise "constant" (c * 2.0) (f sample1)
                Expect.stringContains (explain f sample1) "0 step(s)" "folded at trace time"
            }
            test "explain lists the steps, shares repeats and drops dead code" {
                let f =
                    compile (fun x ->
                        let _unused = x.Exp()
                        (x * x).Sum() + (x * x).Sum())

                let listing = explain f sample1
                Expect.stringContains listing "Mul(%0, %0) : [3] float64" "a step with its type"
                Expect.stringContains listing "1 shared" "the repeated product and sum are shared"
                Expect.stringContains listing "1 removed as dead code" "the unused exp is removed"
            }
            test "eight threads call one compiled function with different inputs and signatures" {
                let f = Autodiff.Compile(Func<_, _> g)
                let errors = Collections.Concurrent.ConcurrentQueue<exn>()

                let work (k: int) () =
                    try
                        let rng = Random k

                        for i in 0..199 do
                            let n = 1 + (k + i) % 4
                            let x = Tensor.RandomNormal([| n |], rng)
                            let x = if (k + i) % 2 = 0 then x else x.ToDType DType.Float32
                            bitwise $"thread {k} call {i}" (g x) (f.Invoke x)
                    with e ->
                        errors.Enqueue e

                let threads = [ for k in 0..7 -> Thread(work k) ]

                for t in threads do
                    t.Start()

                for t in threads do
                    t.Join()

                Expect.isEmpty errors "every call agreed with eager"
                Expect.isLessThanOrEqual (tracesOf f) 64L "each of the 8 signatures traced at most once per thread"
            }
            test "a million-step chain traces and runs without recursion" {
                let chain (x: Tensor) =
                    let mutable y = x

                    for i in 1..500_000 do
                        y <- y * 1.000001 + 1e-7

                    y

                let f = compile chain
                let x = Tensor.Scalar 0.5
                bitwise "chain" (chain x) (f x)
            }
        ]

[<Tests>]
let tests =
    testList "Autodiff.Compile" [ opTests; transformTests; errorTests; cacheTests ]
