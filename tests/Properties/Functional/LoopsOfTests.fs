/// The F# surface of the loops and branches (src/Functional.FSharp/Loops.fs): the structured forms against plain F#
/// loops over the same ops, bit for bit, gradients through them against the plain loop's, and the structure checks
/// that only the F# side can make (a carry's or a branch result's parts by name). The C# semantics are tested with
/// the core (Autodiff.Scan and its relatives).
module Functional.LoopsOfTests

open System
open Expecto
open FuncGrad
open Support.Check

let private config =
    { FsCheckConfig.defaultConfig with
        maxTest = 10
    }

/// A recurrent cell's state: tensors, and a number and a string carried as they are.
type private State =
    {
        H: Tensor
        Total: Tensor
        Name: string
        Layer: int
    }

type private Cell = { W: Tensor; U: Tensor; B: Tensor }

/// Element t of t's leading axis, as the loops slice it.
let private at (i: int) (t: Tensor) =
    t.Slice(0, i, i + 1).Squeeze(Nullable 0)

let private cell seed =
    {
        W = Tensor.randn seed [| 3; 3 |]
        U = Tensor.randn (seed + 1) [| 3; 2 |]
        B = Tensor.randn (seed + 2) [| 3 |]
    }

/// One step of the recurrence: the next state, and a structured output (a tuple holding a record).
let private step (c: Cell) (s: State) (x: Tensor, m: Tensor) =
    let h = tanh (Tensor.matmul c.W s.H + Tensor.matmul c.U x + c.B) * m
    let total = s.Total + Tensor.sum h
    { s with H = h; Total = total }, (h, {| Norm = Tensor.sum (h * h) |})

let private start =
    {
        H = Tensor.zeros [| 3 |]
        Total = scalar 0.0
        Name = "cell"
        Layer = 2
    }

/// The same recurrence as a plain F# loop over the steps, first to last or last to first.
let private plainLoop (reverse: bool) (c: Cell) (xs: Tensor) (ms: Tensor) =
    let n = (shapeOf xs)[0]
    let hs, norms = Array.zeroCreate n, Array.zeroCreate n
    let mutable s = start

    for k in 0 .. n - 1 do
        let t = if reverse then n - 1 - k else k
        let next, (h, y) = step c s (at t xs, at t ms)
        s <- next
        hs[t] <- h
        norms[t] <- y.Norm

    s, Tensor.Stack hs, Tensor.Stack norms

let private inputs seed n =
    Tensor.randn (seed + 3) [| n; 2 |], Tensor.randn (seed + 4) [| n |]

let private sameState (what: string) (expected: State) (actual: State) =
    bitwise $"{what}: H" expected.H actual.H
    bitwise $"{what}: Total" expected.Total actual.Total
    Expect.equal actual.Name expected.Name $"{what}: Name carried as it is"
    Expect.equal actual.Layer expected.Layer $"{what}: Layer carried as it is"

let private loss (final: State, (hs: Tensor, y: {| Norm: Tensor |})) =
    final.Total + Tensor.sum (hs * hs) + Tensor.sum y.Norm

let private message (e: exn) = e.Message

[<Tests>]
let tests =
    testList
        "transforms.loops"
        [
            testPropertyWithConfig config "scanOf over a record carry and a tuple of xs is the plain loop, bit for bit"
            <| fun (seed: int) ->
                let c = cell seed
                let n = abs (seed % 5) + 1
                let xs, ms = inputs seed n
                let final, (hs, y) = scanOf (step c) start (xs, ms)
                let expected, expectedHs, expectedNorms = plainLoop false c xs ms
                sameState "final carry" expected final
                bitwise "ys: the tuple's tensor" expectedHs hs
                bitwise "ys: the record's tensor" expectedNorms y.Norm

            testPropertyWithConfig config "scanOfWith Reverse runs last to first and puts step t's y at index t"
            <| fun (seed: int) ->
                let c = cell seed
                let xs, ms = inputs seed 4

                let final, (hs, y) =
                    scanOfWith
                        { ScanOptions.defaults with
                            Reverse = true
                        }
                        (step c)
                        start
                        (xs, ms)

                let expected, expectedHs, expectedNorms = plainLoop true c xs ms
                sameState "final carry" expected final
                bitwise "ys" expectedHs hs
                bitwise "ys: the record's tensor" expectedNorms y.Norm

            testPropertyWithConfig
                config
                "gradOf through scanOf is gradOf through the plain loop, under every checkpoint"
            <| fun (seed: int) ->
                let xs, ms = inputs seed 5

                let expected =
                    gradOf
                        (fun c ->
                            let s, hs, norms = plainLoop false c xs ms
                            loss (s, (hs, {| Norm = norms |})))
                        (cell seed)

                for policy in [ ScanCheckpoint.EveryStep; ScanCheckpoint.Every 2; ScanCheckpoint.Recompute ] do
                    let opts =
                        { ScanOptions.defaults with
                            Checkpoint = policy
                        }

                    let g = gradOf (fun c -> loss (scanOfWith opts (step c) start (xs, ms))) (cell seed)
                    bitwise $"{policy}: W" expected.W g.W
                    bitwise $"{policy}: U" expected.U g.U
                    bitwise $"{policy}: B" expected.B g.B

            testCase "scanOf with no steps: the init carry, and ys of the body's structure with a leading size of 0"
            <| fun () ->
                let c = cell 1
                let xs, ms = Tensor.zeros [| 0; 2 |], Tensor.zeros [| 0 |]
                let final, (hs, y) = scanOf (step c) start (xs, ms)
                sameState "final carry" start final
                Expect.equal (shapeOf hs) [| 0; 3 |] "hs: no steps of [3]"
                Expect.equal (shapeOf y.Norm) [| 0 |] "the record's tensor: no steps of a scalar"

            testCase "scanOfWith a Length and xs = (): a recurrence with no inputs"
            <| fun () ->
                // x ↦ x² + 1 from 0: 1, 2, 5, 26
                let final, ys =
                    scanOfWith
                        { ScanOptions.defaults with
                            Length = Some 4
                        }
                        (fun (x: Tensor) () ->
                            let n = x * x + 1.0
                            n, [ n; -n ])
                        (scalar 0.0)
                        ()

                equalValues "final carry" final [| 26.0 |]
                equalValues "first ys" ys[0] [| 1.0; 2.0; 5.0; 26.0 |]
                equalValues "second ys" ys[1] [| -1.0; -2.0; -5.0; -26.0 |]

            testCase "scan and scanWith of one tensor are the running sums"
            <| fun () ->
                let xs = Tensor.ofList [ 1.0; 2.0; 3.0 ]
                let total, partial = scan (fun c x -> c + x, c + x) (scalar 0.0) xs
                equalValues "total" total [| 6.0 |]
                equalValues "partial sums" partial [| 1.0; 3.0; 6.0 |]

                let total, partial =
                    scanWith
                        { ScanOptions.defaults with
                            Reverse = true
                        }
                        (fun c x -> c + x, c + x)
                        (scalar 0.0)
                        xs

                equalValues "total" total [| 6.0 |]
                equalValues "partial sums from the end, each at its own index" partial [| 6.0; 5.0; 3.0 |]

            testCase "a carry that changes its structure, a tensor's shape or a number is an error naming the part"
            <| fun () ->
                let xs = Tensor.ones [| 3; 2 |]

                let grows =
                    raises<ShapeMismatchException> "a list carry that grows" (fun () ->
                        scanOf (fun (c: Tensor list) x -> x :: c, x) [ Tensor.zeros [| 2 |] ] xs
                        |> ignore)

                Expect.stringContains (message grows) "scanOf: the body returned a carry" "names the op"
                Expect.stringContains (message grows) "the length of carry is 2, not 1" "names the list's length"

                let reshaped =
                    raises<ShapeMismatchException> "a record field reshaped" (fun () ->
                        scanOf (fun s (x: Tensor) -> { s with H = Tensor.concat [ s.H; x ] }, x) start xs
                        |> ignore)

                Expect.stringContains (message reshaped) "carry.H is [5] float64" "names the field and its new shape"
                Expect.stringContains (message reshaped) "not [3] float64" "and init's"

                let counted =
                    raises<ShapeMismatchException> "a number that changes" (fun () ->
                        scanOf (fun s (x: Tensor) -> { s with Layer = s.Layer + 1 }, x) start xs
                        |> ignore)

                Expect.stringContains (message counted) "carry.Layer is 3, not 2" "names the number"

                let tupled =
                    raises<ShapeMismatchException> "a tuple item's dtype" (fun () ->
                        foriLoopOf
                            0
                            2
                            (fun _ (a: Tensor, b: Tensor) -> a, b.ToDType DType.Float32)
                            (scalar 0.0, scalar 1.0)
                        |> ignore)

                Expect.stringContains (message tupled) "foriLoopOf: the body returned a carry" "names the op"
                Expect.stringContains (message tupled) "carry (item 1)" "names the tuple's item"

            testCase "foriLoopOf: Fibonacci, and the index as a tensor"
            <| fun () ->
                let a, b = foriLoopOf 0 10 (fun _ (a, b) -> b, a + b) (scalar 0.0, scalar 1.0)
                equalValues "F10" a [| 55.0 |]
                equalValues "F11" b [| 89.0 |]

                let r =
                    foriLoopOf
                        2
                        7
                        (fun i (s: {| Sum: Tensor; Product: Tensor |}) ->
                            let v = i.ToDType DType.Float64

                            {|
                                Sum = s.Sum + v
                                Product = s.Product * v
                            |})
                        {|
                            Sum = scalar 0.0
                            Product = scalar 1.0
                        |}

                equalValues "2 + ... + 6" r.Sum [| 20.0 |]
                equalValues "2 · ... · 6" r.Product [| 720.0 |]
                equalValues "one tensor" (foriLoop 0 10 (fun _ c -> c * 2.0) (scalar 1.0)) [| 1024.0 |]

            testCase "whileLoopOf halves until below 1, counting the steps; its jvp is the plain loop's"
            <| fun () ->
                let halve (x: Tensor, n: Tensor) = x * 0.5, n + 1.0

                let x, n =
                    whileLoopOf (fun (x, _) -> Tensor.ge x (scalar 1.0)) halve (scalar 10.0, scalar 0.0)

                equalValues "10 / 2⁴" x [| 0.625 |]
                equalValues "four steps" n [| 4.0 |]

                let f (x: Tensor) =
                    whileLoop (fun c -> Tensor.lt (Tensor.sum (abs c)) (scalar 100.0)) (fun c -> c * c + c) x

                let plain (x: Tensor) =
                    let mutable c = x

                    // the comparison has no tangent, so reading it drops none
                    while (Tensor.lt (Tensor.sum (abs c)) (scalar 100.0)).Item() <> 0.0 do
                        c <- c * c + c

                    c

                let x0, v = Tensor.ofList [ 1.5; 0.5 ], Tensor.ofList [ 1.0; -2.0 ]
                let y, t = jvp f x0 v
                let yExpected, tExpected = jvp plain x0 v
                bitwise "value" yExpected y
                bitwise "tangent" tExpected t

            testCase "condOf runs the branch the predicate picks; gradOf through it is the branch's"
            <| fun () ->
                let a, b = Tensor.randn 1 [| 3 |], Tensor.randn 2 [| 3 |]
                let onTrue (a: Tensor, b: Tensor) = {| P = a * b; S = [ sin a ] |}
                let onFalse (a: Tensor, b: Tensor) = {| P = a + b; S = [ cos b ] |}

                for pred, branch in [ true, onTrue; false, onFalse ] do
                    let p = Tensor.Scalar((if pred then 1 else 0), DType.Bool)
                    let r = condOf p onTrue onFalse (a, b)
                    let expected = branch (a, b)
                    bitwise $"{pred}: P" expected.P r.P
                    bitwise $"{pred}: S" expected.S[0] r.S[0]

                    let loss (q: Tensor * Tensor) =
                        let r = condOf p onTrue onFalse q
                        Tensor.sum (r.P * r.S[0])

                    let expectedLoss (q: Tensor * Tensor) =
                        let r = branch q
                        Tensor.sum (r.P * r.S[0])

                    let ga, gb = gradOf loss (a, b)
                    let ea, eb = gradOf expectedLoss (a, b)
                    bitwise $"{pred}: gradient of a" ea ga
                    bitwise $"{pred}: gradient of b" eb gb

                let one = cond (Tensor.Scalar(0, DType.Bool)) sqrt (fun v -> v * 2.0) (scalar 4.0)
                equalValues "cond of one tensor" one [| 8.0 |]

            testCase "switchOf picks branches[index], clamping the index"
            <| fun () ->
                let a, b = Tensor.randn 3 [| 2 |], Tensor.randn 4 [| 2 |]

                let branches =
                    [
                        (fun (a: Tensor, b: Tensor) -> a + b, a)
                        (fun (a: Tensor, b: Tensor) -> a * b, b)
                        (fun (a: Tensor, b: Tensor) -> a - b, a * a)
                    ]

                for k, picked in [ -3, 0; 0, 0; 1, 1; 2, 2; 7, 2 ] do
                    let r1, r2 = switchOf (Tensor.Scalar(k, DType.Int64)) branches (a, b)
                    let e1, e2 = branches[picked](a, b)
                    bitwise $"index {k}: first" e1 r1
                    bitwise $"index {k}: second" e2 r2

                let one = switch (Tensor.Scalar(1, DType.Int64)) [ sin; cos; tanh ] (scalar 0.0)
                equalValues "switch of one tensor: cos 0" one [| 1.0 |]

            testCase "sequentialMapOf stacks a structured result of each element, as a plain loop does"
            <| fun () ->
                let xs, ys = Tensor.randn 5 [| 4; 3 |], Tensor.randn 6 [| 4 |]

                let f (x: Tensor, y: Tensor) =
                    {|
                        Scaled = x * y
                        Norm = Tensor.sum (x * x)
                    |}

                let r = sequentialMapOf f (xs, ys)
                let each = Array.init 4 (fun i -> f (at i xs, at i ys))
                bitwise "Scaled" (Tensor.Stack(each |> Array.map _.Scaled)) r.Scaled
                bitwise "Norm" (Tensor.Stack(each |> Array.map _.Norm)) r.Norm

                let sums = sequentialMap Tensor.sum (Tensor.ones [| 3; 2 |])
                equalValues "sequentialMap of one tensor" sums [| 2.0; 2.0; 2.0 |]
        ]
