/// Initialisers (src/Core.CSharp/Random/Init.cs, src/Functional.FSharp/Init.fs): PyTorch's fans and gains, each
/// initialiser against its definition on the draws of the same key, orthogonality, and bounds.
module Random.InitTests

open System
open Expecto
open FuncGrad

[<Tests>]
let tests =
    testList
        "initialisers"
        [
            test "fans and gains as PyTorch's" {
                Expect.equal (Init.fans [| 16; 3; 5; 5 |]) (75, 400) "a 2-D convolution's weight"
                Expect.equal (Init.fans [| 4; 3 |]) (3, 4) "a linear layer's [out, in]"
                Expect.throwsT<RankException> (fun () -> Init.fans [| 4 |] |> ignore) "rank 1 has no fans"
                Expect.equal (Init.calculateGain "relu") (sqrt 2.0) "relu"
                Expect.equal (Init.calculateGain "tanh") (5.0 / 3.0) "tanh"
                Expect.equal (Init.calculateGain "conv2d") 1.0 "conv2d"
                Expect.equal (Init.calculateGain "selu") 0.75 "selu"
                Expect.equal (Init.calculateGain "leaky_relu") (sqrt (2.0 / (1.0 + 0.01 * 0.01))) "leaky_relu"
                Expect.equal (Init.calculateGainWith "leaky_relu" 0.2) (sqrt (2.0 / 1.04)) "leaky_relu 0.2"
                Expect.throwsT<ArgumentException> (fun () -> Init.calculateGain "swish" |> ignore) "unknown"
            }

            test "Kaiming and Xavier: the key's uniform or normal draw scaled by the stated bound or deviation" {
                let key = Random.key 3
                let shape = [| 6; 4; 3 |] // fan_in 12, fan_out 18
                let leaky = sqrt (2.0 / (1.0 + 0.0))
                let b = sqrt 3.0 * (leaky / sqrt 12.0) // PyTorch: std = gain / √fan, bound = √3·std
                Expect.equal (Init.kaimingUniform key shape) (RandomKeys.Uniform(key, shape, -b, b)) "kaiming uniform"

                Expect.equal
                    (Init.kaimingNormalWith
                        { Init.kaiming with
                            Mode = "fan_out"
                            Nonlinearity = "tanh"
                        }
                        key
                        shape)
                    (RandomKeys.Normal(key, shape) * (5.0 / 3.0 / sqrt 18.0))
                    "kaiming normal, fan_out, tanh"

                let xb = sqrt 3.0 * (2.0 * sqrt (2.0 / 30.0))

                Expect.equal
                    (Init.xavierUniformWith 2.0 DType.Float32 key shape)
                    (RandomKeys.Uniform(key, shape, -xb, xb, DType.Float32))
                    "xavier uniform"

                Expect.equal
                    (Init.xavierNormal key shape)
                    (RandomKeys.Normal(key, shape) * sqrt (2.0 / 30.0))
                    "xavier normal"

                Expect.equal
                    (Init.KaimingUniform(key, shape, 0.2, "fan_in", "leaky_relu"))
                    (Init.kaimingUniformWith { Init.kaiming with A = 0.2 } key shape)
                    "C# and F# agree"

                Expect.throwsT<ArgumentException>
                    (fun () ->
                        Init.kaimingUniformWith { Init.kaiming with Mode = "fan_avg" } key shape
                        |> ignore)
                    "an unknown mode"
            }

            test "Kaiming uniform has variance gain²/fan_in" {
                let w =
                    Init.kaimingUniformWith
                        { Init.kaiming with
                            Nonlinearity = "relu"
                        }
                        (Random.key 4)
                        [| 500; 200 |]

                let v = w.Square().Mean().Item()
                // 100,000 values: the variance of u² for u uniform is 4/5 of the squared variance, so the relative
                // standard error of the estimate is 0.3%
                Expect.floatClose { absolute = 0.0; relative = 0.015 } v (2.0 / 200.0) "variance"
            }

            test "orthogonal: Q with orthonormal rows or columns, times the gain" {
                for shape in [ [| 5; 3 |]; [| 3; 5 |]; [| 4; 2; 3 |] ] do
                    let q = Init.orthogonalWith 2.0 DType.Float64 (Random.key 5) shape
                    Expect.equal (Seq.toArray q.Shape) shape "shape"
                    let m = q.Reshape [| shape[0]; -1 |] / 2.0
                    let small = min m.Shape[0] m.Shape[1]

                    let gram =
                        if m.Shape[0] >= m.Shape[1] then
                            m.Transpose().MatMul m
                        else
                            m.MatMul(m.Transpose())

                    Expect.isTrue (gram.AllClose(Tensor.Eye small, 1e-12, 1e-12)) $"{shape}: orthonormal"

                let key = Random.key 6
                let struct (expected, _) = Linalg.Qr(RandomKeys.Normal(key, [| 4; 3 |]))
                Expect.equal (Init.orthogonal key [| 4; 3 |]) expected "Q of the key's normal matrix"

                Expect.equal
                    (Init.orthogonalWith 1.0 DType.Float32 key [| 4; 3 |])
                    (expected.ToDType DType.Float32)
                    "f32"
            }

            test "truncated normal: mean + std·z on the standardised bounds, inside [a, b]" {
                let key = Random.key 7

                let o =
                    { Init.truncNormalDefaults with
                        Mean = 1.0
                        Std = 0.5
                        A = 0.5
                        B = 3.0
                    }

                let w = Init.truncNormalWith o key [| 2000 |]
                let z = RandomKeys.TruncatedNormal(key, -1.0, 4.0, [| 2000 |])
                Expect.equal w ((z * 0.5 + 1.0).Clamp(0.5, 3.0)) "definition"
                let values = w.ToArray()
                Expect.isTrue (values |> Array.forall (fun v -> v >= 0.5 && v <= 3.0)) "inside"
                let d = Init.truncNormal key [| 2000 |]
                Expect.isTrue (d.ToArray() |> Array.forall (fun v -> abs v <= 2.0)) "defaults: [-2, 2]"
                Expect.equal (Init.TruncNormal(key, [| 3 |], std = 0.02)).DType DType.Float64 "C#"
            }

            test "with open System and open FuncGrad, Random 1 is System.Random and Random.key 1 a key" {
                let rng = Random 1
                Expect.isTrue (rng.Next(10) >= 0) "System.Random"
                Expect.equal ((Random.key 1).ToInt64Array()) [| 0L; 1L |] "Random.key"
            }
        ]
