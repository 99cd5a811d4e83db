/// The rearranging and splitting ops (Ops/Rearrange.cs, Ops/Splitting.cs) and their F# functions: values against index
/// loops over the row-major arrays in every dtype, PyTorch's conventions (chunk returning fewer parts, meshgrid's
/// "xy"), gradients that sum copies back, and every error. Finite differences of the rules, vmap, compile and the
/// LibTorch device run through the rows of OpSpec.fs's layoutSpecs.
module Elementwise.RearrangeTests

open System
open Expecto
open FuncGrad
open Support.Check

let private count (shape: int[]) = Array.fold (*) 1 shape

/// The index of flat position i in a row-major array of the shape.
let private unravel (shape: int[]) (i: int) =
    let idx = Array.zeroCreate shape.Length
    let mutable r = i

    for a in shape.Length - 1 .. -1 .. 0 do
        idx[a] <- r % shape[a]
        r <- r / shape[a]

    idx

let private ravel (shape: int[]) (idx: int[]) =
    Array.fold2 (fun acc i n -> acc * n + i) 0 idx shape

/// out[i] = x[source i] for every index i of the output: the loop each op is checked against.
let private gathered (x: float[]) (xShape: int[]) (outShape: int[]) (source: int[] -> int[]) =
    Array.init (count outShape) (fun o -> x[ravel xShape (source (unravel outShape o))])

/// Distinct values per position in each dtype (bool: a pattern with both values), and the same as float64.
let private inputs (shape: int[]) =
    let n = count shape
    let values = Array.init n (fun i -> float (i + 1))

    [
        Tensor.FromArray(values, shape)
        Tensor.FromArray(values |> Array.map float32, shape)
        Tensor.FromArray(values |> Array.map int64, shape)
        Tensor.FromArray(values |> Array.map int, shape)
        Tensor.FromArray(Array.init n (fun i -> i % 3 = 1), shape)
    ]

let private asFloats (t: Tensor) = t.ToDType(DType.Float64).ToArray()

/// The op on an input of every dtype, against the index loop, its dtype kept.
let private checkOne name (shape: int[]) (op: Tensor -> Tensor) (outShape: int[]) source =
    for x in inputs shape do
        let y = op x
        let what = $"{name} ({x.DType})"
        Expect.equal y.DType x.DType $"{what}: dtype"
        Expect.equal (shapeOf y) outShape $"{what}: shape"
        Expect.sequenceEqual (asFloats y) (gathered (asFloats x) shape outShape source) $"{what}: values"

/// As checkOne for ops returning parts: each part's shape and its source map.
let private checkParts name (shape: int[]) (op: Tensor -> Tensor[]) (parts: (int[] * (int[] -> int[])) list) =
    for x in inputs shape do
        let ys = op x
        Expect.equal ys.Length parts.Length $"{name} ({x.DType}): number of parts"

        for k, (y, (outShape, source)) in List.indexed (List.zip (List.ofArray ys) parts) do
            let what = $"{name} ({x.DType}) part {k}"
            Expect.equal y.DType x.DType $"{what}: dtype"
            Expect.equal (shapeOf y) outShape $"{what}: shape"
            Expect.sequenceEqual (asFloats y) (gathered (asFloats x) shape outShape source) $"{what}: values"

let private md a n = ((a % n) + n) % n

let private valueTests =
    [
        test "flip reverses each given axis" {
            checkOne "flip [0; 2]" [| 2; 3; 4 |] (fun x -> x.Flip(0, -1)) [| 2; 3; 4 |] (fun i ->
                [| 1 - i[0]; i[1]; 3 - i[2] |])

            checkOne "flip [1]" [| 2; 3; 4 |] (fun x -> x.Flip 1) [| 2; 3; 4 |] (fun i -> [| i[0]; 2 - i[1]; i[2] |])
            checkOne "flip scalar" [||] (fun x -> x.Flip()) [||] id
            checkOne "flip empty" [| 0; 3 |] (fun x -> x.Flip(0, 1)) [| 0; 3 |] id
            checkOne "F# flip" [| 5 |] (Tensor.flip [| 0 |]) [| 5 |] (fun i -> [| 4 - i[0] |])
        }

        test "roll shifts with wrap-around, along axes in turn or the flattened values" {
            checkOne "roll [1; -5] [0; 1]" [| 3; 4 |] (fun x -> x.Roll([| 1; -5 |], [| 0; 1 |])) [| 3; 4 |] (fun i ->
                [| md (i[0] - 1) 3; md (i[1] + 5) 4 |])

            checkOne "roll the same axis twice" [| 5 |] (fun x -> x.Roll([| 2; 2 |], [| 0; -1 |])) [| 5 |] (fun i ->
                [| md (i[0] - 4) 5 |])

            checkOne "roll 5 flattened" [| 3; 4 |] (fun x -> x.Roll 5) [| 3; 4 |] (fun i ->
                unravel [| 3; 4 |] (md (ravel [| 3; 4 |] i - 5) 12))

            checkOne "roll -1 on axis 1" [| 3; 4 |] (fun x -> x.Roll(-1, 1)) [| 3; 4 |] (fun i ->
                [| i[0]; md (i[1] + 1) 4 |])

            checkOne "roll an empty axis" [| 0; 2 |] (fun x -> x.Roll(3, 0)) [| 0; 2 |] id
            checkOne "F# roll" [| 3 |] (Tensor.roll [| 1 |] [||]) [| 3 |] (fun i -> [| md (i[0] - 1) 3 |])
            checkOne "F# rollAxis" [| 3 |] (Tensor.rollAxis -1 0) [| 3 |] (fun i -> [| md (i[0] + 1) 3 |])
        }

        test "repeat and tile repeat the whole tensor, extra leading repeats adding axes" {
            checkOne "repeat [2; 1; 2]" [| 2; 3 |] (fun x -> x.Repeat(2, 1, 2)) [| 2; 2; 6 |] (fun i ->
                [| i[1] % 2; i[2] % 3 |])

            checkOne "repeat ones" [| 2; 3 |] (fun x -> x.Repeat(1, 1)) [| 2; 3 |] id
            checkOne "repeat zero" [| 2; 3 |] (fun x -> x.Repeat(0, 2)) [| 0; 6 |] id
            checkOne "repeat a scalar" [||] (fun x -> x.Repeat(3)) [| 3 |] (fun _ -> [||])
            checkOne "tile [2]" [| 2; 3 |] (fun x -> x.Tile 2) [| 2; 6 |] (fun i -> [| i[0]; i[1] % 3 |])
            checkOne "tile [2; 1; 1]" [| 2; 3 |] (fun x -> x.Tile(2, 1, 1)) [| 2; 2; 3 |] (fun i -> [| i[1]; i[2] |])
            checkOne "F# repeat" [| 2 |] (Tensor.repeat [| 2 |]) [| 4 |] (fun i -> [| i[0] % 2 |])
            checkOne "F# tile" [| 2 |] (Tensor.tile [| 3 |]) [| 6 |] (fun i -> [| i[0] % 2 |])
        }

        test "repeatInterleave repeats each element in place" {
            checkOne "by 2 on axis 1" [| 2; 3 |] (fun x -> x.RepeatInterleave(2, 1)) [| 2; 6 |] (fun i ->
                [| i[0]; i[1] / 2 |])

            checkOne "by 3 flattened" [| 2; 3 |] (fun x -> x.RepeatInterleave 3) [| 18 |] (fun i ->
                unravel [| 2; 3 |] (i[0] / 3))

            checkOne "by 0" [| 2; 3 |] (fun x -> x.RepeatInterleave(0, 0)) [| 0; 3 |] id
            let rows = [| 0; 0; 2 |]

            for counts in [ Tensor.FromArray([| 2L; 0L; 1L |]); Tensor.FromArray([| 2; 0; 1 |]) ] do
                checkOne
                    $"by counts {counts.DType}"
                    [| 3; 2 |]
                    (fun x -> x.RepeatInterleave(counts, 0))
                    [| 3; 2 |]
                    (fun i -> [| rows[i[0]]; i[1] |])

            checkOne
                "by one count, flattened"
                [| 3; 2 |]
                (fun x -> x.RepeatInterleave(Tensor.FromArray([| 2L |], [||])))
                [| 12 |]
                (fun i -> unravel [| 3; 2 |] (i[0] / 2))

            checkOne "F# repeatInterleave" [| 2 |] (Tensor.repeatInterleave 2 0) [| 4 |] (fun i -> [| i[0] / 2 |])

            checkOne
                "F# repeatInterleaveBy"
                [| 2 |]
                (Tensor.repeatInterleaveBy (Tensor.ofInt64Array [| 0L; 3L |]) 0)
                [| 3 |]
                (fun _ -> [| 1 |])
        }

        test "narrow takes a length from a start, negative from the end" {
            checkOne "narrow 1 1 2" [| 3; 4 |] (fun x -> x.Narrow(1, 1, 2)) [| 3; 2 |] (fun i -> [| i[0]; i[1] + 1 |])
            checkOne "narrow 0 -2 1" [| 3; 4 |] (fun x -> x.Narrow(0, -2, 1)) [| 1; 4 |] (fun i -> [| i[0] + 1; i[1] |])
            checkOne "narrow to nothing at the end" [| 3 |] (fun x -> x.Narrow(0, 3, 0)) [| 0 |] id
            checkOne "F# narrow" [| 5 |] (Tensor.narrow 0 1 3) [| 3 |] (fun i -> [| i[0] + 1 |])
        }

        test "movedim, swapaxes, swapdims and expand place the axes as PyTorch" {
            checkOne "movedim 0 -1" [| 2; 3; 4 |] (fun x -> x.Movedim(0, -1)) [| 3; 4; 2 |] (fun i ->
                [| i[2]; i[0]; i[1] |])

            checkOne
                "movedim [0; 1] [2; 0]"
                [| 2; 3; 4 |]
                (fun x -> x.Movedim([| 0; 1 |], [| 2; 0 |]))
                [| 3; 4; 2 |]
                (fun i -> [| i[2]; i[0]; i[1] |])

            checkOne
                "movedim [0; 3] [1; 0]"
                [| 2; 3; 4; 5 |]
                (fun x -> x.Movedim([| 0; 3 |], [| 1; 0 |]))
                [| 5; 2; 3; 4 |]
                (fun i -> [| i[1]; i[2]; i[3]; i[0] |])

            checkOne "swapaxes 0 2" [| 2; 3; 4 |] (fun x -> x.Swapaxes(0, 2)) [| 4; 3; 2 |] (fun i ->
                [| i[2]; i[1]; i[0] |])

            checkOne "swapdims -1 1" [| 2; 3; 4 |] (fun x -> x.Swapdims(-1, 1)) [| 2; 4; 3 |] (fun i ->
                [| i[0]; i[2]; i[1] |])

            checkOne "expand 2 -1 4" [| 3; 1 |] (fun x -> x.Expand(2, -1, 4)) [| 2; 3; 4 |] (fun i -> [| i[1]; 0 |])

            checkOne "F# movedimAxes" [| 2; 3 |] (Tensor.movedimAxes [| 1 |] [| 0 |]) [| 3; 2 |] (fun i ->
                [| i[1]; i[0] |])

            checkOne "F# movedim" [| 2; 3 |] (Tensor.movedim 1 0) [| 3; 2 |] (fun i -> [| i[1]; i[0] |])
            checkOne "F# swapaxes" [| 2; 3 |] (Tensor.swapaxes 0 1) [| 3; 2 |] (fun i -> [| i[1]; i[0] |])
            checkOne "F# swapdims" [| 2; 3 |] (Tensor.swapdims 0 1) [| 3; 2 |] (fun i -> [| i[1]; i[0] |])
            checkOne "F# expand" [| 1 |] (Tensor.expand [| 2; 3 |]) [| 2; 3 |] (fun _ -> [| 0 |])
        }

        test "split, chunk and unbind cut along an axis" {
            let part (size: int) (at: int) =
                [| 3; size |], (fun (i: int[]) -> [| i[0]; at + i[1] |])

            checkParts "split 2" [| 3; 5 |] (fun x -> x.Split(2, 1)) [ part 2 0; part 2 2; part 1 4 ]

            checkParts
                "split [1; 3; 1]"
                [| 3; 5 |]
                (fun x -> x.Split([| 1; 3; 1 |], -1))
                [ part 1 0; part 3 1; part 1 4 ]

            checkParts "split [0; 5]" [| 3; 5 |] (fun x -> x.Split([| 0; 5 |], 1)) [ part 0 0; part 5 0 ]
            checkParts "split larger than the axis" [| 3; 5 |] (fun x -> x.Split(7, 1)) [ part 5 0 ]
            checkParts "split an empty axis" [| 0 |] (fun x -> x.Split(2)) [ [| 0 |], id ]
            checkParts "chunk 3" [| 3; 5 |] (fun x -> x.Chunk(3, 1)) [ part 2 0; part 2 2; part 1 4 ]
            // PyTorch's chunk: parts of ⌈6 / 4⌉ = 2, so three parts, not four
            checkParts "chunk 4 of 6" [| 3; 6 |] (fun x -> x.Chunk(4, 1)) [ part 2 0; part 2 2; part 2 4 ]

            checkParts
                "unbind 1"
                [| 2; 3 |]
                (fun x -> x.Unbind 1)
                [ for k in 0..2 -> [| 2 |], (fun i -> [| i[0]; k |]) ]

            checkParts
                "unbind 0"
                [| 2; 3 |]
                (fun x -> x.Unbind())
                [ for k in 0..1 -> [| 3 |], (fun i -> [| k; i[0] |]) ]

            checkParts "F# split" [| 3; 5 |] (Tensor.split 3 1) [ part 3 0; part 2 3 ]
            checkParts "F# splitSizes" [| 3; 5 |] (Tensor.splitSizes [| 4; 1 |] 1) [ part 4 0; part 1 4 ]
            checkParts "F# chunk" [| 3; 5 |] (Tensor.chunk 2 1) [ part 3 0; part 2 3 ]
            checkParts "F# unbind" [| 3; 1 |] (Tensor.unbind 1) [ [| 3 |], (fun i -> [| i[0]; 0 |]) ]
        }

        test "meshgrid spreads each vector along its axis; xy swaps the first two" {
            for a in inputs [| 3 |] do
                let b = a.Flip(0).Narrow(0, 0, 2)
                let c = a.Narrow(0, 1, 1).Reshape([||])
                let av, bv, cv = asFloats a, asFloats b, asFloats c

                let check what (parts: Tensor[]) (shape: int[]) (expected: (int[] -> float) list) =
                    Expect.equal parts.Length expected.Length $"{what}: number of parts"

                    for p, f in Seq.zip parts expected do
                        Expect.equal p.DType a.DType $"{what}: dtype"
                        Expect.equal (shapeOf p) shape $"{what}: shape"
                        let values = Array.init (count shape) (unravel shape >> f)
                        Expect.sequenceEqual (asFloats p) values $"{what} ({a.DType}): values"

                check "ij" (Tensor.Meshgrid([ a; b ])) [| 3; 2 |] [ (fun i -> av[i[0]]); (fun i -> bv[i[1]]) ]
                check "xy" (Tensor.Meshgrid([ a; b ], "xy")) [| 2; 3 |] [ (fun i -> av[i[1]]); (fun i -> bv[i[0]]) ]

                check
                    "xy of three"
                    (Tensor.Meshgrid([ a; b; c ], "xy"))
                    [| 2; 3; 1 |]
                    [ (fun i -> av[i[1]]); (fun i -> bv[i[0]]); (fun _ -> cv[0]) ]

                check "one vector" (Tensor.Meshgrid([ a ], "xy")) [| 3 |] [ (fun i -> av[i[0]]) ]

                check
                    "F# meshgrid"
                    (Tensor.meshgrid "ij" [ b; a ])
                    [| 2; 3 |]
                    [ (fun i -> bv[i[0]]); (fun i -> av[i[1]]) ]
        }

        test "gradients sum the copies back to their sources" {
            let x = Tensor.FromArray([| 1.0; 2.0; 3.0 |])
            let w = Tensor.FromArray([| 1.0; 10.0; 100.0; 1000.0; 10000.0; 100000.0 |])

            let grad (f: Tensor -> Tensor) =
                Autodiff.Grad(Func<Tensor, Tensor>(fun x -> (f x * w).Sum()), x)
            // repeat [a b c] → [a b c a b c]: a gets w0 + w3
            Expect.sequenceEqual ((grad (fun x -> x.Repeat 2)).ToArray()) [| 1001.0; 10010.0; 100100.0 |] "repeat"
            // repeatInterleave → [a a b b c c]
            Expect.sequenceEqual
                ((grad (fun x -> x.RepeatInterleave 2)).ToArray())
                [| 11.0; 1100.0; 110000.0 |]
                "repeatInterleave"
            // counts [3; 0; 3] → [a a a c c c]: b gets nothing
            Expect.sequenceEqual
                ((grad (fun x -> x.RepeatInterleave(Tensor.FromArray([| 3L; 0L; 3L |]), 0))).ToArray())
                [| 111.0; 0.0; 111000.0 |]
                "repeatInterleave by counts"
            // flip and roll move each weight to its source
            let w3 = Tensor.FromArray([| 1.0; 10.0; 100.0 |])

            let grad3 (f: Tensor -> Tensor) =
                Autodiff.Grad(Func<Tensor, Tensor>(fun x -> (f x * w3).Sum()), x)

            Expect.sequenceEqual ((grad3 (fun x -> x.Flip 0)).ToArray()) [| 100.0; 10.0; 1.0 |] "flip"
            Expect.sequenceEqual ((grad3 (fun x -> x.Roll 1)).ToArray()) [| 10.0; 100.0; 1.0 |] "roll"
        }
    ]

let private raisesWith<'E when 'E :> exn> (what: string) (parts: string list) (f: unit -> obj) =
    let e = raises<'E> what (fun () -> f () |> ignore)

    for p in parts do
        Expect.stringContains e.Message p $"{what}: the message names {p}"

let private errorTests =
    let x = Tensor.Zeros([| 2; 3 |])

    [
        test "errors name the op, the shapes and what to do" {
            raisesWith<AxisOutOfRangeException> "flip twice" [ "flip"; "twice"; "[2x3]" ] (fun () -> x.Flip(1, -1))
            raisesWith<AxisOutOfRangeException> "flip axis" [ "flip"; "axis 2" ] (fun () -> x.Flip 2)

            raisesWith<ArgumentException> "roll counts" [ "roll"; "2 shifts"; "1 dims" ] (fun () ->
                x.Roll([| 1; 2 |], [| 0 |]))

            raisesWith<ArgumentException> "roll no dims" [ "roll"; "no dims" ] (fun () -> x.Roll([| 1; 2 |], [||]))
            raisesWith<RankException> "repeat few" [ "repeat"; "1 repeats"; "Tile" ] (fun () -> x.Repeat 2)
            raisesWith<ArgumentOutOfRangeException> "repeat negative" [ "repeat"; "-1" ] (fun () -> x.Repeat(1, -1))
            raisesWith<ArgumentOutOfRangeException> "tile negative" [ "tile"; "-2" ] (fun () -> x.Tile(-2))

            raisesWith<ArgumentOutOfRangeException> "repeatInterleave negative" [ "repeatInterleave"; "-1" ] (fun () ->
                x.RepeatInterleave(-1, 0))

            raisesWith<DTypeMismatchException>
                "repeatInterleave float counts"
                [ "repeatInterleave"; "float64" ]
                (fun () -> x.RepeatInterleave(Tensor.FromArray([| 1.0; 2.0 |]), 0))

            raisesWith<ShapeMismatchException>
                "repeatInterleave counts"
                [ "repeatInterleave"; "2 counts"; "size 3" ]
                (fun () -> x.RepeatInterleave(Tensor.FromArray([| 1L; 2L |]), 1))

            raisesWith<ArgumentOutOfRangeException> "repeatInterleave negative count" [ "negative"; "-2" ] (fun () ->
                x.RepeatInterleave(Tensor.FromArray([| 1L; -2L |]), 0))

            raisesWith<RankException> "repeatInterleave rank" [ "repeatInterleave"; "rank 0 or 1" ] (fun () ->
                x.RepeatInterleave(Tensor.FromArray([| 1L; 1L |], [| 1; 2 |]), 0))

            raisesWith<ArgumentOutOfRangeException> "narrow start" [ "narrow"; "start 4"; "size 3" ] (fun () ->
                x.Narrow(1, 4, 0))

            raisesWith<ArgumentOutOfRangeException> "narrow length" [ "narrow"; "length 3"; "[0, 2]" ] (fun () ->
                x.Narrow(1, 1, 3))

            raisesWith<ArgumentException> "movedim counts" [ "movedim"; "2 source"; "1 destinations" ] (fun () ->
                x.Movedim([| 0; 1 |], [| 0 |]))

            raisesWith<AxisOutOfRangeException> "movedim twice" [ "movedim"; "twice" ] (fun () ->
                x.Movedim([| 0; 1 |], [| 1; 1 |]))

            raisesWith<ShapeMismatchException> "expand size" [ "expand"; "[2x3]"; "size 3" ] (fun () -> x.Expand(2, 4))

            raisesWith<ShapeMismatchException> "expand new -1" [ "expand"; "new leading axis" ] (fun () ->
                x.Expand(-1, 2, 3))

            raisesWith<RankException> "expand rank" [ "expand"; "1 sizes" ] (fun () -> x.Expand 3)

            raisesWith<ShapeMismatchException> "split sizes" [ "split"; "sum 4"; "size 3" ] (fun () ->
                x.Split([| 1; 3 |], 1))

            raisesWith<ArgumentOutOfRangeException> "split size" [ "split"; "part size 0" ] (fun () -> x.Split(0, 1))
            raisesWith<ArgumentOutOfRangeException> "chunk" [ "chunk"; "0 chunks" ] (fun () -> x.Chunk 0)
            raisesWith<RankException> "unbind scalar" [ "unbind"; "scalar" ] (fun () -> Tensor.Scalar(1.0).Unbind())

            raisesWith<ArgumentException> "meshgrid indexing" [ "meshgrid"; "\"ji\"" ] (fun () ->
                Tensor.Meshgrid([ x ], "ji"))

            raisesWith<ArgumentException> "meshgrid none" [ "meshgrid"; "no tensors" ] (fun () -> Tensor.Meshgrid([]))

            raisesWith<RankException> "meshgrid matrix" [ "meshgrid"; "tensor 0"; "[2x3]" ] (fun () ->
                Tensor.Meshgrid([ x ]))

            raisesWith<DTypeMismatchException> "meshgrid dtypes" [ "meshgrid"; "tensor 1"; "float32" ] (fun () ->
                Tensor.Meshgrid([ Tensor.Zeros([| 2 |]); Tensor.Zeros([| 2 |], DType.Float32) ]))
        }
    ]

[<Tests>]
let tests = testList "rearrange" (valueTests @ errorTests)
