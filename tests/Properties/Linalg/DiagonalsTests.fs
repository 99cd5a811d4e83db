/// Linalg.Diagonal, DiagEmbed and Trace (src/Core.CSharp/Linalg/Diagonals.cs) against loops over multi-indices written
/// here: every ordered pair of axes (given as written, negative ones too), offsets from outside the plane on one side
/// to the other, every dtype, bit for bit; the two ops undoing each other; their errors. Finite differences, vmap,
/// compile and LibTorch are the rows "diagonal", "diagEmbed" and "trace" of OpSpec.fs.
module Linalg.DiagonalsTests

open System
open Expecto
open FuncGrad
open Support.Check
open Linalg.LinalgCheck

/// The flat position of a multi-index.
let private flatOf (shape: int[]) (index: int[]) =
    Array.fold2 (fun acc n i -> acc * n + i) 0 shape index

/// The diagonal by the definition: out[o..., i] = x[o... with (d1, d2) = (i + max(0, -offset), i + max(0, offset))].
let private diagonalLoop (shape: int[]) offset d1 d2 (v: 'a[]) =
    let others =
        [|
            for a in 0 .. shape.Length - 1 do
                if a <> d1 && a <> d2 then
                    a
        |]

    let r1, c2 = max 0 (-offset), max 0 offset
    let length = max 0 (min (shape[d1] - r1) (shape[d2] - c2))
    let outShape = Array.append (others |> Array.map (fun a -> shape[a])) [| length |]

    let out =
        Array.init (Array.fold (*) 1 outShape) (fun j ->
            let o = indexOf outShape j
            let index = Array.zeroCreate shape.Length
            others |> Array.iteri (fun k a -> index[a] <- o[k])
            index[d1] <- o[o.Length - 1] + r1
            index[d2] <- o[o.Length - 1] + c2
            v[flatOf shape index])

    outShape, out

/// DiagEmbed by the definition: zeros of the result's shape, element (o..., i + max(0, -offset), i + max(0, offset))
/// in the plane of the result's axes (d1, d2) taking x[o..., i].
let private embedLoop (shape: int[]) offset d1 d2 (zero: 'a) (v: 'a[]) =
    let rank = shape.Length + 1
    let n = shape[shape.Length - 1] + abs offset
    let mutable next = 0

    let outShape =
        Array.init rank (fun a ->
            if a = d1 || a = d2 then
                n
            else
                next <- next + 1
                shape[next - 1])

    let out = Array.create (Array.fold (*) 1 outShape) zero

    for j in 0 .. v.Length - 1 do
        let x = indexOf shape j
        let index = Array.zeroCreate rank
        let mutable k = 0

        for a in 0 .. rank - 1 do
            if a <> d1 && a <> d2 then
                index[a] <- x[k]
                k <- k + 1

        index[d1] <- x[x.Length - 1] + max 0 (-offset)
        index[d2] <- x[x.Length - 1] + max 0 offset
        out[flatOf outShape index] <- v[j]

    outShape, out

let private values (rng: Random) n =
    Array.init n (fun _ -> Math.Round(rng.NextDouble() * 8.0 - 4.0, 2) + 0.01)

/// Every ordered pair of distinct axes of a rank, each as normalised and as written from the end.
let private axisPairs rank =
    [
        for a in 0 .. rank - 1 do
            for b in 0 .. rank - 1 do
                if a <> b then
                    (a, b), (a, b)
                    (a, b), (a - rank, b - rank)
    ]

[<Tests>]
let tests =
    testList
        "linalg diagonals"
        [
            test "diagonal: every pair of axes and offset of several shapes, each dtype, bit for bit as the loop" {
                let rng = Random 5

                for shape in
                    [
                        [| 3; 4 |]
                        [| 4; 3 |]
                        [| 2; 3; 4 |]
                        [| 2; 1; 3; 2 |]
                        [| 0; 3 |]
                        [| 2; 0; 2 |]
                    ] do
                    let v = values rng (Array.fold (*) 1 shape)

                    for (d1, d2), (w1, w2) in axisPairs shape.Length do
                        for offset in -5 .. 5 do
                            let what = $"diagonal {shape} offset {offset} axes ({w1}, {w2})"
                            let outShape, want = diagonalLoop shape offset d1 d2 v
                            let y = Linalg.Diagonal(Tensor.FromArray(v, shape), offset, w1, w2)
                            Expect.sequenceEqual (shapeOf y) outShape $"{what}: shape"
                            Expect.equal (y.ToArray()) want $"{what}: float64"
                            let v32 = Array.map float32 v
                            let y32 = Linalg.Diagonal(Tensor.FromArray(v32, shape), offset, w1, w2)
                            Expect.equal (y32.ToFloatArray()) (snd (diagonalLoop shape offset d1 d2 v32)) what
                            let l = Array.map (fun x -> int64 (x * 100.0)) v
                            let yl = Linalg.Diagonal(Tensor.FromArray(l, shape), offset, w1, w2)
                            Expect.equal (yl.ToInt64Array()) (snd (diagonalLoop shape offset d1 d2 l)) what
                            let b = Array.map (fun x -> x > 0.0) v
                            let yb = Linalg.Diagonal(Tensor.FromArray(b, shape), offset, w1, w2)
                            Expect.equal (yb.ToBoolArray()) (snd (diagonalLoop shape offset d1 d2 b)) what
            }

            test "diagEmbed: every pair of the result's axes and several offsets, each dtype, bit for bit as the loop" {
                let rng = Random 6

                for shape in [ [| 3 |]; [| 2; 3 |]; [| 2; 1; 2 |]; [| 0 |]; [| 2; 0 |] ] do
                    let v = values rng (Array.fold (*) 1 shape)

                    for (d1, d2), (w1, w2) in axisPairs (shape.Length + 1) do
                        for offset in -3 .. 3 do
                            let what = $"diagEmbed {shape} offset {offset} axes ({w1}, {w2})"
                            let outShape, want = embedLoop shape offset d1 d2 0.0 v
                            let y = Linalg.DiagEmbed(Tensor.FromArray(v, shape), offset, w1, w2)
                            Expect.sequenceEqual (shapeOf y) outShape $"{what}: shape"
                            Expect.equal (y.ToArray()) want $"{what}: float64"
                            let v32 = Array.map float32 v
                            let y32 = Linalg.DiagEmbed(Tensor.FromArray(v32, shape), offset, w1, w2)
                            Expect.equal (y32.ToFloatArray()) (snd (embedLoop shape offset d1 d2 0.0f v32)) what
                            let i = Array.map (fun x -> int (x * 100.0)) v
                            let yi = Linalg.DiagEmbed(Tensor.FromArray(i, shape), offset, w1, w2)
                            Expect.equal (yi.ToInt32Array()) (snd (embedLoop shape offset d1 d2 0 i)) what
                            // the diagonal of the embedding is the argument again
                            bitwise
                                $"{what}: diagonal of it"
                                (Tensor.FromArray(v, shape))
                                (Linalg.Diagonal(y, offset, w1, w2))
            }

            test "diagonal's gradient on a rectangular plane is the cotangent embedded in zeros of the input's shape" {
                // ⟨diagonal(x), c⟩ is linear in x, so its gradient is c on the diagonal and 0 elsewhere
                let x = Tensor.RandomNormal([| 2; 3; 5 |], Random 8)

                for offset in [ -2; 0; 1; 3 ] do
                    let c = Tensor.RandomNormal(shapeOf (Linalg.Diagonal(x, offset)), Random offset)
                    let g = Autodiff.Grad((fun t -> (Linalg.Diagonal(t, offset) * c).Sum()), x)
                    let shape, want = embedLoop (shapeOf c) offset 1 2 0.0 (c.ToArray())
                    // the loop's planes are square (n + |offset|): cut them to the input's 3×5
                    let cut =
                        Array.init 30 (fun i ->
                            let ix = indexOf [| 2; 3; 5 |] i

                            if ix[1] < shape[1] && ix[2] < shape[2] then
                                want[flatOf shape ix]
                            else
                                0.0)

                    Expect.equal (g.ToArray()) cut $"offset {offset}"
            }

            test "trace: the sum of the main diagonal by a loop, per matrix of a batch, rectangular too" {
                let rng = Random 9

                for shape in [ [| 3; 3 |]; [| 2; 3; 4 |]; [| 4; 2 |]; [| 2; 2; 1; 1 |] ] do
                    let v = values rng (Array.fold (*) 1 shape)
                    let rows, cols = shape[shape.Length - 2], shape[shape.Length - 1]
                    let batch = v.Length / (rows * cols)

                    let want =
                        Array.init batch (fun b ->
                            Seq.sum (seq { for i in 0 .. min rows cols - 1 -> v[b * rows * cols + i * cols + i] }))

                    let t = Linalg.Trace(Tensor.FromArray(v, shape))
                    Expect.sequenceEqual (shapeOf t) shape[.. shape.Length - 3] $"trace {shape}: shape"
                    close $"trace {shape}" 1e-15 1e-15 (t.Flatten()) (Tensor.FromArray want)
            }

            test "diagonal, diagEmbed and trace: errors name the op, the shape or the axes, and what to do" {
                let e =
                    raises<RankException> "diagonal of a vector" (fun () ->
                        Linalg.Diagonal(Tensor.Ones [| 3 |]) |> ignore)

                Expect.stringContains e.Message "diagonal: needs rank 2" "the op"
                Expect.stringContains e.Message "DiagEmbed" "what to do"

                let e =
                    raises<AxisOutOfRangeException> "the same axis twice" (fun () ->
                        Linalg.Diagonal(Tensor.Ones [| 2; 3 |], 0, 1, -1) |> ignore)

                Expect.stringContains e.Message "dim1 1 and dim2 -1 are the same axis" "names the axes"

                let e =
                    raises<RankException> "diagEmbed of a scalar" (fun () ->
                        Linalg.DiagEmbed(Tensor.Scalar 1.0) |> ignore)

                Expect.stringContains e.Message "diagEmbed: needs rank 1" "the op"

                let e =
                    raises<RankException> "trace of a vector" (fun () -> Linalg.Trace(Tensor.Ones [| 3 |]) |> ignore)

                Expect.stringContains e.Message "use Sum" "what to do"
            }
        ]
