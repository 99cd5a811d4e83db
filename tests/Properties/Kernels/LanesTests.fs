/// Elementwise kernels give each element bits that depend on its value alone, not on where the runtime put the array
/// nor on which part of the tensor a call covers (Kernels/Lanes.cs): for every elementwise row of the spec table,
/// the same values in fresh arrays give the same bits every time, and a call on the elements from 128 on gives the
/// bits the whole call gave them. The expected bits come from the first eager call.
module Kernels.LanesTests

open System
open Expecto
open FuncGrad
open Support.Check
open Ops.OpSpec

/// The one-argument rows whose result has the argument's shape (or stacks two such results: both spellings of an
/// op).
let private unary =
    specs
    |> List.filter (fun s ->
        s.Family = AnyShape
        && s.Arity = 1
        && (let r = shapeOf (s.F [ sample (Random 1) s.Domains.Head [| 3 |] ]) in r = [| 3 |] || r = [| 2; 3 |]))

[<Tests>]
let tests =
    testList
        "Kernels.Lanes"
        [
            for s in unary do
                test $"{s.Name}: the same values give the same bits wherever their array lies" {
                    for dtype in [ DType.Float64; DType.Float32 ] do
                        let rng = Random(s.Name.Length * 17 + int dtype)
                        // values of the row's domain, with large and tiny ones among them
                        let x = (sample rng s.Domains.Head [| 1000 |]).ToArray()

                        for i in 0..37..999 do
                            x[i] <- x[i] * 1e3

                        for i in 5..41..999 do
                            x[i] <- x[i] * 1e-6

                        let make () =
                            Tensor.FromArray(Array.copy x).ToDType dtype

                        let first = bits (s.F [ make () ])

                        for run in 1..40 do
                            // shift where the next arrays start
                            let _gap = Array.zeroCreate<byte>(rng.Next 200)
                            Expect.sequenceEqual (bits (s.F [ make () ])) first $"{s.Name} {dtype}, run {run}"

                        // per spelling where the row stacks two: elements 128..999 of each 1,000
                        let tail = (s.F [ Tensor.FromArray(x[128..]).ToDType dtype ]) |> bits
                        let spellings = first.Length / 1000

                        for h in 0 .. spellings - 1 do
                            Expect.sequenceEqual
                                tail[h * 872 .. h * 872 + 871]
                                first[h * 1000 + 128 .. h * 1000 + 999]
                                $"{s.Name} {dtype}: the elements from 128 on alone, spelling {h}"
                }
        ]
