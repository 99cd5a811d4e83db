/// The counter-based generator under every random draw (src/Core.CSharp/Kernels/Random/Philox.cs): the known-answer
/// vectors of its authors' Random123 distribution, and the stream read one word at a time or in blocks from any start.
module Kernels.PhiloxTests

open Expecto
open FuncGrad.Kernels.Random

[<Tests>]
let tests =
    testList
        "philox"
        [
            test "Philox4x32-10 gives Random123's known answers" {
                // kat_vectors of Random123 1.09 (Salmon et al.), philox4x32 with 10 rounds: counter, key, result.
                let cases =
                    [
                        (0u, 0u, 0u, 0u), (0u, 0u), (0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u)
                        (0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu),
                        (0xffffffffu, 0xffffffffu),
                        (0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu)
                        (0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u),
                        (0xa4093822u, 0x299f31d0u),
                        (0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u)
                    ]

                for ((c0, c1, c2, c3), (k0, k1), expected) in cases do
                    let struct (a, b, c, d) = Philox.Block(k0, k1, c0, c1, c2, c3)
                    Expect.equal (a, b, c, d) expected $"counter {c0:x8}"
            }

            test "a stream filled from any start equals its words one at a time" {
                let k0, k1 = 0x12345678u, 0x9abcdef0u

                for start in [ 0UL; 1UL; 3UL; 5UL; (1UL <<< 34) - 2UL ] do
                    for length in [ 0; 1; 3; 4; 9; 17 ] do
                        let words = Array.zeroCreate length
                        Philox.Fill(k0, k1, start, System.Span words)
                        let expected = Array.init length (fun i -> Philox.Word(k0, k1, start + uint64 i))
                        Expect.equal words expected $"start {start}, length {length}"
            }

            test "unit floats lie in [0, 1) and reach both ends of their grids" {
                Expect.equal (Philox.UnitDouble(0u, 0u)) 0.0 "zero words give 0"
                Expect.equal (Philox.UnitDouble(0xffffffffu, 0xffffffffu)) (1.0 - 2.0 ** -53.0) "largest below 1"
                Expect.equal (Philox.UnitSingle 0xffffffffu) (1.0f - 2.0f ** -24.0f) "largest float32 below 1"
                Expect.equal (Philox.DropThreshold 0.5) (1UL <<< 31) "p = 1/2 drops words below 2^31"
                Expect.equal (Philox.DropThreshold 1.0) (1UL <<< 32) "p = 1 drops every word"
            }
        ]
