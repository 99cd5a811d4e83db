/// Large elementwise work, compiled programs' fused loops and full reductions are split over the cores
/// (Ops/Elementwise.cs, Autodiff/Program.cs, Kernels/Strided.cs): the bits must not depend on how many parts. Every
/// elementwise row of the spec table, on one part and on several (Workers.Force), eager and compiled, forward and
/// through a backward rule's kernels (chain kernels), must give the bits of the one-part eager call.
module Kernels.PartsTests

open System
open Expecto
open FuncGrad
open FuncGrad.Kernels
open Support.Check
open Ops.OpSpec

/// The elementwise rows: two arguments that broadcast, or one argument whose result has its shape (or stacks two).
let private elementwise =
    let keepsShape (s: Spec) =
        let r = shapeOf (s.F [ sample (Random 1) s.Domains.Head [| 3 |] ])
        r = [| 3 |] || r = [| 2; 3 |]

    specs
    |> List.filter (fun s -> s.Family = BroadcastPair || s.Family = AnyShape && s.Arity = 1 && keepsShape s)

/// f's results in a context split into `parts`.
let private on parts (f: unit -> Tensor list) =
    use _ = Workers.Force parts
    f ()

/// 2,050 elements (16 units of 128 and 2 left over) as 41 rows of 50: one part's kernels see what several parts'
/// see only where the parts start at multiples of 128 (and of a repeated row).
let private shape = [| 41; 50 |]

let private partsTests =
    testList
        "every elementwise op gives the bits of one part on several"
        [
            for s in elementwise do
                test s.Name {
                    for dtype in [ DType.Float64; DType.Float32 ] do
                        let rng = Random(s.Name.Length * 7 + int dtype)
                        let x = ((sample rng s.Domains.Head shape).ToArray() |> Array.copy)

                        // large and tiny values among them, so vectors mix fast and slow paths
                        for i in 0..37 .. x.Length - 1 do
                            x[i] <- x[i] * 1e3

                        for i in 5..41 .. x.Length - 1 do
                            x[i] <- x[i] * 1e-6

                        let a = Tensor.FromArray(x, shape).ToDType dtype

                        // the second argument: full, a repeated row, a column (expanded), one element
                        let others =
                            if s.Arity = 1 then
                                [ [] ]
                            else
                                [ shape; [| 50 |]; [| 41; 1 |]; [||] ]
                                |> List.map (fun sh -> [ (sample rng s.Domains[1] sh).ToDType dtype ])

                        for other in others do
                            let args = a :: other
                            let what = $"{s.Name} {dtype} {List.map shapeOf args}"
                            let one = on 1 (fun () -> [ s.F args ])
                            // 3 parts of 5, 6 and 6 units of 128 (the last one short)
                            bitwise $"{what}, 3 parts" one.Head (on 3 (fun () -> [ s.F args ])).Head

                            // compiled, where the loop splits (same shapes or a number; a row's 3,200-element
                            // unit and an expanded column's whole-result kernel do not): x·1 around the op (values
                            // kept) makes a fused loop of several steps, each part in blocks
                            if List.forall (fun (t: Tensor) -> shapeOf t = shape || shapeOf t = [||]) args then
                                let compiled =
                                    Autodiff.Compile(listFn (fun v -> [ s.F(v |> List.map (fun t -> t * 1.0)) * 1.0 ]))

                                let c = on 3 (fun () -> compiled.Invoke(Array.ofList args) |> List.ofSeq)
                                bitwise $"{what}, compiled, 3 parts" one.Head c.Head
                }
        ]

/// Backward rules: g·dy/dx in one pass (chain kernels: tanh, sigmoid) and as products (the rest), through Sum's
/// broadcast cotangent, at 1 and 3 parts, eager and compiled.
let private backwardTests =
    testList
        "gradients give the bits of one part on several"
        [
            for name, f in
                [
                    "tanh", (fun (x: Tensor) -> x.Tanh())
                    "sigmoid", (fun (x: Tensor) -> x.Sigmoid())
                    "sin", (fun (x: Tensor) -> x.Sin())
                    "erf", (fun (x: Tensor) -> x.Erf())
                    "atan2", (fun (x: Tensor) -> x.Atan2(x * 0.5 + 1.0))
                ] do
                test name {
                    for dtype in [ DType.Float64; DType.Float32 ] do
                        let rng = Random 5

                        let x =
                            Tensor.FromArray(Array.init 3000 (fun _ -> rng.NextDouble() * 8.0 - 4.0)).ToDType dtype

                        let c =
                            Tensor.FromArray(Array.init 3000 (fun _ -> rng.NextDouble() - 0.5)).ToDType dtype

                        let grad (v: Tensor) =
                            Autodiff.Grad((fun (t: Tensor) -> (f t * c).Sum()), v)

                        let one = on 1 (fun () -> [ grad x ])
                        let compiled = Autodiff.Compile(listFn (fun v -> [ grad v.Head ]))

                        for parts in [ 3 ] do
                            bitwise $"{name} {dtype}, {parts} parts" one.Head (on parts (fun () -> [ grad x ])).Head
                            let k = on parts (fun () -> compiled.Invoke [| x |] |> List.ofSeq)
                            bitwise $"{name} {dtype}, compiled, {parts} parts" one.Head k.Head
                }
        ]

/// Sums past one chunk (65,536 elements) add chunk by chunk in a fixed order, on any number of threads.
let private sumTests =
    testList
        "full sums"
        [
            test "a sum over several chunks has the bits of one part on several, and the exact sum's value" {
                let rng = Random 11
                let n = 3 * 65536 + 4321
                let v = Array.init n (fun _ -> rng.NextDouble() * 2.0 - 0.5)
                // the exact sum of the float64 values, to within 1e-20 relative: a decimal sum of their exact values
                let exact = v |> Array.sumBy decimal |> float

                for dtype in [ DType.Float64; DType.Float32 ] do
                    let x = Tensor.FromArray(v).ToDType dtype
                    let one = on 1 (fun () -> [ x.Sum() ])

                    for parts in [ 2; 3; 5 ] do
                        bitwise $"{dtype}, {parts} parts" one.Head (on parts (fun () -> [ x.Sum() ])).Head

                    // float32 values are the float64 ones rounded: their own exact sum differs by up to n·2^-25
                    let expected =
                        if dtype = DType.Float64 then
                            exact
                        else
                            x.ToFloatArray() |> Array.sumBy (float32 >> float >> decimal) |> float

                    let tolerance = if dtype = DType.Float64 then 1e-13 else 1e-5
                    let got = one.Head.Item()
                    Expect.isLessThan (abs (got - expected) / abs expected) tolerance $"{dtype}: {got} vs {expected}"
            }

            test "sums over leading axes (a broadcast's gradient) have the bits of one part on several" {
                let rng = Random 12

                let x =
                    Tensor.FromArray(Array.init (60 * 1100) (fun _ -> rng.NextDouble() - 0.5), [| 3; 20; 1100 |])

                for dtype in [ DType.Float64; DType.Float32 ] do
                    let x = x.ToDType dtype

                    let reductions (v: Tensor) =
                        [
                            v.Sum([| 0 |])
                            v.Sum([| 0; 1 |], keepDims = true)
                            v.SumTo([| 20; 1 |])
                            v.Amax([| 1 |])
                        ]

                    let one = on 1 (fun () -> reductions x)

                    for parts in [ 2; 3 ] do
                        List.iter2
                            (fun e a -> bitwise $"{dtype}, {parts} parts" e a)
                            one
                            (on parts (fun () -> reductions x))
            }
        ]

[<Tests>]
let tests = testList "Kernels.Parts" [ partsTests; backwardTests; sumTests ]
