/// FuncGrad.Testing: domains, generators and shrinkers do what they promise, checked against the core's own
/// broadcasting and by running FsCheck's shrinking to its end.
module Testing.GeneratorTests

open System
open Expecto
open FsCheck
open FsCheck.FSharp
open FuncGrad
open FuncGrad.Testing

let private shapeOf (t: Tensor) = Seq.toArray t.Shape
let private count (s: int[]) = Array.fold (*) 1 s

/// Shrinks greedily to the end, always taking the first candidate that `fails`, as FsCheck does.
let rec private shrinkAll (shrink: 'T -> seq<'T>) (fails: 'T -> bool) (x: 'T) (steps: int) =
    if steps > 10_000 then
        failtest "shrinking did not end"

    match shrink x |> Seq.tryFind fails with
    | Some y -> shrinkAll shrink fails y (steps + 1)
    | None -> x

[<Tests>]
let tests =
    testList
        "testing library"
        [
            testList
                "domains"
                [
                    test "draw stays inside, away from avoided points" {
                        let rng = Random 5

                        for d in
                            [
                                Domain.real
                                Domain.positive
                                Domain.awayFromKinks [ 0.0 ]
                                Domain.awayFromPoles [ -1.5707963; 1.5707963 ]
                                Domain.bounded -0.7 3.0
                            ] do
                            for _ in 1..2000 do
                                let x = Domain.draw rng d
                                Expect.isTrue (x >= d.Low && x <= d.High) $"{d}: {x} out of bounds"

                                for a in d.Avoid do
                                    Expect.isGreaterThanOrEqual (abs (x - a)) d.Margin $"{d}: {x} too near {a}"
                    }

                    test "simpler values are strictly simpler and stay in the domain" {
                        Expect.equal (Domain.simpler Domain.real 2.347) [ 0.0; 1.0; 2.0; 2.3; 2.35 ] "real"
                        Expect.equal (Domain.simpler Domain.positive 2.347) [ 1.0; 2.0; 2.3; 2.35 ] "positive has no 0"

                        Expect.equal
                            (Domain.simpler (Domain.awayFromKinks [ 0.0 ]) -0.35)
                            [ -1.0; -0.4 ]
                            "never 0, inside the kink's margin"

                        Expect.equal (Domain.simpler Domain.real 0.0) [] "0 is simplest"

                        Expect.equal
                            (Domain.simpler Domain.real 2.5)
                            [ 0.0; 1.0; 2.0 ]
                            "one decimal: only integers are simpler"
                        // float32 stores 2.3 as 2.29999995: still "one decimal", so shrinking cannot loop on it.
                        Expect.equal
                            (Domain.simplerIn DType.Float32 Domain.real (float 2.3f))
                            [ 0.0; 1.0; 2.0 ]
                            "float32"
                    }
                ]

            testList
                "generators"
                [
                    test (
                        "shapes: rank 0 to 4, dimensions 1 or more, at most 64 elements, "
                        + "every rank and size-1 dims occur"
                    ) {
                        let shapes =
                            [|
                                for size in [ 0; 5; 20; 50; 100 ] do
                                    yield! Gen.sampleWithSize size 400 ShapeGen.shape
                            |]

                        for s in shapes do
                            Expect.isLessThanOrEqual s.Length 4 "rank"
                            Expect.isTrue (Array.forall (fun d -> d >= 1) s) $"dimensions of {s}"
                            Expect.isLessThanOrEqual (count s) ShapeGen.maxElements "elements"

                        Expect.equal
                            (shapes |> Array.map Array.length |> Array.distinct |> Array.sort)
                            [| 0; 1; 2; 3; 4 |]
                            "every rank"

                        Expect.isTrue
                            (shapes |> Array.exists (fun s -> s.Length >= 2 && Array.contains 1 s))
                            "size-1 dimensions"
                    }

                    test "small sizes give small shapes (so FsCheck starts simple)" {
                        for s in Gen.sampleWithSize 0 200 ShapeGen.shape do
                            Expect.isLessThanOrEqual s.Length 1 "rank at size 0"
                            Expect.isTrue (Array.forall (fun d -> d <= 2) s) "dimensions at size 0"
                    }

                    test (
                        "broadcast pairs broadcast, by the core's own rule, "
                        + "and include scalars, equal and mixed shapes"
                    ) {
                        let pairs = Gen.sampleWithSize 60 500 ShapeGen.broadcastPair

                        for a, b in pairs do
                            Expect.isTrue (ShapeGen.broadcastable a b) $"{a} and {b}"
                            (Tensor.Zeros a + Tensor.Zeros b) |> ignore // throws if the core disagrees

                        Expect.isTrue
                            (pairs |> Array.exists (fun (a, b) -> a.Length = 0 || b.Length = 0))
                            "a scalar operand"

                        Expect.isTrue (pairs |> Array.exists (fun (a, b) -> a = b && a.Length > 0)) "equal shapes"

                        Expect.isTrue
                            (pairs |> Array.exists (fun (a, b) -> a <> b && a.Length > 0 && b.Length > 0))
                            "different shapes"

                        Expect.isFalse (ShapeGen.broadcastable [| 3 |] [| 4 |]) "3 and 4 do not broadcast"
                    }

                    test "tensors have the shape, dtype and domain asked for" {
                        let gen = TensorGen.ofShapeIn DType.Float32 Domain.positive [| 2; 3 |]

                        for t in Gen.sampleWithSize 30 50 gen do
                            Expect.equal (shapeOf t) [| 2; 3 |] "shape"
                            Expect.equal t.DType DType.Float32 "dtype"
                            Expect.isTrue (t.ToArray() |> Array.forall (fun v -> v >= 0.25 && v <= 3.0)) "values"
                    }
                ]

            testList
                "shrinking"
                [
                    test "shapes shrink to fewer elements or lower rank" {
                        for s in [ [| 2; 3 |]; [| 4 |]; [| 1; 3; 2; 2 |] ] do
                            for c in Shrink.shape s do
                                Expect.isTrue (c.Length < s.Length || count c < count s) $"{c} from {s}"

                        Expect.equal
                            (Shrink.shape [| 2; 3 |] |> List.ofSeq)
                            [ [| 3 |]; [| 2 |]; [| 1; 3 |]; [| 2; 1 |]; [| 2; 2 |] ]
                            "[2x3]"
                    }

                    test "values shrink inside the domain and end at the simplest tensor" {
                        let rng = Random 11

                        for d in [ Domain.real; Domain.positive; Domain.awayFromPoles [ 0.0 ] ] do
                            let t = Tensor.FromArray(Array.init 6 (fun _ -> Domain.draw rng d), [| 2; 3 |])

                            for c in Shrink.values d t do
                                Expect.isTrue (c.ToArray() |> Array.forall d.Contains) $"{d}: {c}"

                            let last = shrinkAll (Shrink.values d) (fun _ -> true) t 0

                            let simplest =
                                if d.Contains 0.0 then 0.0
                                elif d.Contains 1.0 then 1.0
                                else -1.0

                            Expect.isTrue
                                (last.ToArray() |> Array.forall (fun v -> abs v = abs simplest))
                                $"{d}: ended at {last}"

                        Expect.isEmpty
                            (Shrink.values (Domain.keepValues Domain.real) (Tensor.ofList [ 2.7 ]))
                            "keepValues"
                    }

                    test "matched dimensions shrink together, and only to shapes the op accepts" {
                        let matmul =
                            function
                            | [ a: Tensor; b ] -> a.MatMul b
                            | _ -> failwith "two"

                        let a, b = Tensor.randn 1 [| 3; 4 |], Tensor.randn 2 [| 4; 2 |]

                        let candidates =
                            Shrink.tensors [ Domain.real; Domain.real ] (TensorArb.accepting matmul) [ a; b ]
                            |> List.ofSeq

                        let shapes = candidates |> List.map (List.map shapeOf)

                        for s in shapes do
                            Expect.isTrue (TensorArb.accepting matmul s) $"{s} accepted"

                        Expect.contains shapes [ [| 3; 2 |]; [| 2; 2 |] ] "k = 4 halves in both operands at once"

                        let smallest =
                            shrinkAll
                                (Shrink.tensors [ Domain.real; Domain.real ] (TensorArb.accepting matmul))
                                (fun _ -> true)
                                [ a; b ]
                                0

                        Expect.equal
                            (smallest |> List.map shapeOf)
                            [ [| 1 |]; [| 1 |] ]
                            "to two vectors of length 1 (k stays matched)"
                    }

                    test "FsCheck shrinks a failing tensor property to the smallest case" {
                        // Fails when a dimension is 3 or more; the smallest failing case is a vector of 3 zeros.
                        let mutable last = None
                        let fails (x: Tensor) = x.Shape |> Seq.exists (fun d -> d >= 3)

                        let property =
                            Prop.forAll (TensorArb.tensor Domain.real) (fun x ->
                                (if fails x then
                                     last <- Some x)

                                not (fails x))

                        let config = Config.QuickThrowOnFailure.WithMaxTest(200).WithQuietOnSuccess(true)
                        Expect.throws (fun () -> Check.One(config, property)) "the property fails"
                        let x = Expect.wantSome last "a failing case"
                        Expect.equal (shapeOf x) [| 3 |] $"smallest failing shape: {x}"
                        Expect.isTrue (x.ToArray() |> Array.forall ((=) 0.0)) $"values shrink to 0: {x}"
                    }
                ]
        ]
