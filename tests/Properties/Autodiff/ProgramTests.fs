/// A compiled program's execution (Program.cs): fused loops over blocks of large elementwise chains, the memory plan
/// (buffers reused by liveness, outputs new every call), reshapes sharing buffers, ops without a kernel among ops
/// with one, and threads running one program at once. Expected values always come from calling f eagerly, compared
/// bit for bit.
module Autodiff.ProgramTests

open System
open System.Collections.Generic
open System.Text.RegularExpressions
open System.Threading.Tasks
open Expecto
open FuncGrad
open Support.Check
open Ops.OpSpec

/// f compiled, called on xs, checked bit for bit against f xs; returns the program's listing.
let private agree (what: string) (f: Tensor list -> Tensor list) (xs: Tensor list) =
    let c = Autodiff.Compile(listFn f)
    let expected = f xs
    let actual = c.Invoke(Array.ofList xs) |> List.ofSeq
    Expect.equal actual.Length expected.Length $"{what}: number of results"
    List.iteri2 (fun i e a -> bitwise $"{what}, result {i}" e a) expected actual
    Autodiff.Explain(c, Array.ofList xs)

let private dtypes = [ DType.Float64; DType.Float32 ]

/// The elementwise rows of the spec table: two arguments that broadcast, or one argument of any shape whose result
/// has that shape (not a full reduction), or stacks two such results (both spellings of an op).
let private elementwise =
    let keepsShape (s: Spec) =
        let r = shapeOf (s.F [ sample (Random 1) s.Domains.Head [| 3 |] ])
        r = [| 3 |] || r = [| 2; 3 |]

    specs
    |> List.filter (fun s -> s.Family = BroadcastPair || s.Family = AnyShape && s.Arity = 1 && keepsShape s)

/// Shapes of 40 rows of 128 (5,120 elements: five blocks of 1,024, the last with the remainder) and of 2,049
/// elements (two blocks, the second of 1,025); a second argument of the same shape, one row, or one element.
let private big = [ [| 40; 128 |]; [| 2049 |] ]

let private fusedTests =
    testList
        "fused loops over blocks give eager's bits"
        [
            for s in elementwise do
                test s.Name {
                    for dtype in dtypes do
                        let rng = Random(s.Name.Length * 31 + int dtype)

                        let sample domain (shape: int[]) = (sample rng domain shape).ToDType dtype

                        // x·1 before and after the op keeps every value and makes a chain of three elementwise steps
                        for shape in big do
                            if s.Arity = 1 then
                                let x = sample s.Domains.Head shape

                                agree $"{s.Name} {dtype} {shapeOf x}" (fun v -> [ s.F [ v.Head * 1.0 ] * 1.0 ]) [ x ]
                                |> ignore
                            else
                                for other in [ shape; shape[shape.Length - 1 ..]; [||] ] do
                                    let a = sample s.Domains[0] shape
                                    let b = sample s.Domains[1] other
                                    let what = $"{s.Name} {dtype} {shapeOf a} {shapeOf b}"

                                    let chain (v: Tensor list) =
                                        [ s.F [ v[0] * 1.0; v[1] * 1.0 ] * 1.0 ]

                                    agree what chain [ a; b ] |> ignore
                                    // the other way round: the row or the scalar first
                                    let swapped (v: Tensor list) =
                                        [ s.F [ v[1] * 1.0; v[0] * 1.0 ] * 1.0 ]

                                    if (s.Valid [ b; a ]) then
                                        agree (what + " swapped") swapped [ a; b ] |> ignore
                }

            test "the listing shows the loop and its blocks" {
                let x = Tensor.RandomNormal([| 40; 128 |], Random 1)
                let b = Tensor.RandomNormal([| 128 |], Random 2)

                let listing =
                    agree "tanh(x·2 + b)" (fun v -> [ (v[0] * 2.0 + v[1]).Tanh() ]) [ x; b ]

                Expect.stringContains listing "fused loop, 3 step(s) over 5120 elements in blocks of 1024" listing
            }

            test "a row whose length does not divide a block: blocks of whole rows and 128 elements" {
                // rows of 96: blocks must be multiples of lcm(128, 96) = 384, so 768 elements (2 of them)
                let x = Tensor.RandomNormal([| 100; 96 |], Random 3)
                let b = Tensor.RandomNormal([| 96 |], Random 4)

                let listing =
                    agree "exp(x + b)·0.5" (fun v -> [ (v[0] + v[1]).Exp() * 0.5 ]) [ x; b ]

                Expect.stringContains listing "in blocks of 768" listing
            }

            test "a small chain is one call per step, as eager makes" {
                let x = Tensor.RandomNormal([| 8; 16 |], Random 5)
                let listing = agree "small" (fun v -> [ (v[0] * 2.0 + 1.0).Tanh() ]) [ x ]
                Expect.stringContains listing "fused loop, 3 step(s) over 128 elements in one block" listing
            }
        ]

let private count (pattern: string) (listing: string) =
    let m = Regex.Match(listing, pattern)
    Expect.isTrue m.Success $"the listing has '{pattern}':\n{listing}"
    int64 m.Groups[1].Value

let private planTests =
    testList
        "the memory plan"
        [
            test "a chain of 20 products needs two buffers, not 19" {
                let w = Tensor.RandomNormal([| 32; 32 |], Random 6) * 0.2
                let x = Tensor.RandomNormal([| 32; 32 |], Random 7)

                let chain (v: Tensor list) =
                    [ (List.fold (fun (y: Tensor) _ -> y.MatMul w) v.Head [ 1..20 ]) ]

                let listing = agree "20 products" chain [ x ]
                // the product reads one buffer and writes another; the last product writes the output's own buffer
                Expect.equal (count @"memory plan: (\d+) buffer" listing) 2L listing
                Expect.equal (count @" of (\d+) bytes per concurrent caller" listing) (2L * 32L * 32L * 8L) listing
                Expect.equal (count @"; (\d+) output buffer" listing) 1L listing
            }

            test "outputs are new every call: a later call does not change an earlier result" {
                let f (v: Tensor list) =
                    let h = (v[0] * 2.0).Tanh()
                    [ h; h.Reshape([| -1 |]); v[0]; (h * h).Sum() ]

                let c = Autodiff.Compile(listFn f)
                let x1 = Tensor.RandomNormal([| 4; 5 |], Random 8)
                let x2 = Tensor.RandomNormal([| 4; 5 |], Random 9)
                let first = c.Invoke [| x1 |] |> Array.ofSeq
                let kept = first |> Array.map bits
                let second = c.Invoke [| x2 |] |> Array.ofSeq
                Array.iteri2 (fun i (t: Tensor) k -> Expect.sequenceEqual (bits t) k $"result {i} unchanged") first kept
                List.iteri2 (fun i e a -> bitwise $"second call, result {i}" e a) (f [ x2 ]) (List.ofArray second)
                Expect.isTrue (obj.ReferenceEquals(first[2], x1)) "an input returned as it is"
            }

            test "outputs that share a value, reshape an input or are constants" {
                let k = Tensor.FromArray [| 1.0; 2.0; 3.0; 4.0 |]

                let f (v: Tensor list) =
                    let y = v[0].Exp()

                    [
                        y
                        y
                        v[0].Reshape([| 2; 2 |])
                        k
                        y.Reshape([| 2; 2 |]) + k.Reshape([| 2; 2 |])
                    ]

                agree "shared outputs" f [ Tensor.FromArray [| 0.5; -1.0; 2.0; 0.0 |] ]
                |> ignore
            }

            test "ops without a kernel read and feed buffers" {
                // Transpose and Where run by their Compute, between products and elementwise steps
                let f (v: Tensor list) =
                    let a = v[0].MatMul(v[1]).Tanh()
                    let t = a.Transpose()
                    let w = Tensor.Where(t.Gt(Tensor.Scalar 0.0), t, t * 0.1)
                    [ w.MatMul(a).Sum([| 0 |]) * 2.0; w ]

                let x = Tensor.RandomNormal([| 6; 4 |], Random 10)
                let y = Tensor.RandomNormal([| 4; 6 |], Random 11)
                let listing = agree "transpose and where" f [ x; y ]
                Expect.stringContains listing "(by its op's Compute)" listing
            }

            test "the gradient of an MLP: every step by a kernel into the plan" {
                let rng = Random 12
                let x = Tensor.RandomNormal([| 8; 2 |], rng)

                let ps =
                    [
                        for s in [ [| 2; 16 |]; [| 16 |]; [| 16; 1 |]; [| 1 |] ] -> Tensor.RandomNormal(s, rng)
                    ]

                let loss (p: IReadOnlyList<Tensor>) =
                    ((x.MatMul(p[0]) + p[1]).Tanh().MatMul(p[2]) + p[3]).Square().Mean()

                let step (p: Tensor list) =
                    let struct (l, back) = Autodiff.Vjp(Func<_, _> loss, Array.ofList p)
                    l :: [ for g in back.Invoke(Tensor.Scalar 1.0) -> g ]

                let listing = agree "mlp gradient" step ps
                Expect.equal (count @"; (\d+) by their op's Compute" listing) 0L listing
            }
        ]

/// Values over tanh's and sigmoid's range, with ±0, ±inf and NaN among them, so the joined rules' bits are checked
/// where rounding and NaN's sign could tell them apart.
let private spread (shape: int[]) (seed: int) (dtype: DType) =
    let rng = Random seed
    let n = Array.fold (*) 1 shape

    let special =
        [|
            0.0
            -0.0
            Double.PositiveInfinity
            Double.NegativeInfinity
            Double.NaN
            1e-300
            30.0
            -30.0
        |]

    let values =
        Array.init n (fun i ->
            if i % 37 < special.Length then
                special[i % 37]
            else
                rng.NextDouble() * 8.0 - 4.0)

    Tensor.FromArray(values, shape).ToDType dtype

let private chainTests =
    testList
        "tanh's and sigmoid's rules as one step"
        [
            for dtype in dtypes do
                for shape in [ [| 8; 16 |]; [| 40; 128 |] ] do
                    let n = Array.fold (*) 1 shape

                    test $"gradients through them give eager's bits ({dtype.Name()}, {n} elements)" {
                        let w = spread shape 21 dtype

                        let grad (v: Tensor list) =
                            [
                                Autodiff.Grad((fun (u: Tensor) -> ((u.Tanh() * w).Sigmoid() * w).Sum()), v.Head)
                            ]

                        let listing = agree "tanh and sigmoid" grad [ spread shape 20 dtype ]
                        Expect.stringContains listing "= TanhChain(" listing
                        Expect.stringContains listing "= SigmoidChain(" listing
                        Expect.stringContains listing "4 joined into one-pass chain rules" listing
                    }

            test "an intermediate value that is also returned keeps the composite" {
                let f (v: Tensor list) =
                    let d = 1.0 - v[1].Square()
                    [ v[0] * d; d ]

                let listing =
                    agree
                        "returned 1 − y²"
                        f
                        [ spread [| 8; 16 |] 22 DType.Float64; spread [| 8; 16 |] 23 DType.Float64 ]

                Expect.isFalse (listing.Contains "TanhChain") listing
            }

            test "one element stays scalar code" {
                let f (v: Tensor list) = [ v[0] * (1.0 - v[1].Square()) ]

                let listing =
                    agree "one element" f [ Tensor.FromArray [| 0.5 |]; Tensor.FromArray [| -0.25 |] ]

                Expect.isFalse (listing.Contains "TanhChain") listing
                Expect.stringContains listing "scalar code, 3 step(s)" listing
            }
        ]

let private threadTests =
    testList
        "threads"
        [
            test "four threads run one program with fused blocks, each with its own frame" {
                let f (v: Tensor list) =
                    [
                        ((v[0] * 1.5 + v[1]).Tanh() * v[0]).Exp()
                        (v[0].MatMul(v[0].Transpose())).Sum()
                    ]

                let c = Autodiff.Compile(listFn f)
                let b = Tensor.RandomNormal([| 128 |], Random 13)

                let work (k: int) =
                    let rng = Random(100 + k)

                    for i in 1..25 do
                        let x = Tensor.RandomNormal([| 30; 128 |], rng) * 0.3
                        let expected = f [ x; b ]
                        let actual = c.Invoke [| x; b |] |> List.ofSeq
                        List.iteri2 (fun j e a -> bitwise $"thread {k} call {i} result {j}" e a) expected actual

                Task.WaitAll [| for k in 0..3 -> Task.Run(fun () -> work k) |]
            }
        ]

[<Tests>]
let tests =
    testList "Autodiff.Program" [ fusedTests; planTests; chainTests; threadTests ]
