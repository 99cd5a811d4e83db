/// Random draws on the LibTorch device give the managed backend's numbers bit for bit: a draw computes on the host from
/// the key and moves (DrawOp), and the ops composed around it (a comparison for bernoulli of a tensor, argmax for
/// categorical, a stable argsort for permutations, a product for dropout) are exact on either device.
module RandomTorchTests

open Expecto
open FuncGrad

let private managed f =
    use _ = Device.Use Device.Managed
    f ()

let private draws (key: Tensor) : (string * Tensor) list =
    let x = Tensor.Arange(1.0, 25.0).Reshape [| 4; 6 |]

    [
        "split", Random.split key 3
        "fold", Random.fold key 5L
        "uniform", Random.uniformRange key [| 40 |] -1.0 2.0
        "uniform32", Random.uniform32 key [| 40 |]
        "normal", Random.normal key [| 40 |]
        "normal32", Random.normal32 key [| 40 |]
        "bernoulli", Random.bernoulli key 0.3 [| 40 |]
        "bernoulli of p", Random.bernoulliOf key (Tensor.linspace 0.0 1.0 40)
        "truncated normal", Random.truncatedNormal key 0.5 3.0 [| 40 |]
        "categorical", Random.categoricalWith key (Tensor.ofList [ 0.0; 1.0; 2.0 ]) -1 (Some [| 40 |])
        "permutation", Random.permutation key 40
        "randint", Random.randint key [| 40 |] -7L 100L
        "dropout", Tensor.dropout key 0.4 x
        "alpha dropout", Tensor.alphaDropout key 0.4 x
        "kaiming", Init.kaimingUniform key [| 6; 4 |]
    ]

[<Tests>]
let tests =
    testList
        "random keys on the device"
        [
            test "every draw gives the managed backend's bits" {
                let onDevice = draws (Random.key 9)

                let onHost =
                    managed (fun () -> draws (Random.key 9) |> List.map (fun (n, t) -> n, t.To Device.Managed))

                for (name, d), (_, h) in List.zip onDevice onHost do
                    Expect.equal d.Device (Setup.device ()) $"{name}: on the device"
                    Expect.equal (d.To Device.Managed) h name
            }
        ]
