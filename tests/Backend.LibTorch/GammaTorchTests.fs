/// Gamma draws on torch:cpu (Random/RandomKeys.Gamma.cs): computed on the host and moved, so the same bits as the
/// managed backend's, gradients included; and FuncGrad's implicit gradient beside LibTorch's own (the backward of
/// torch._standard_gamma, an approximation) at LibTorch's draws.
module GammaTorchTests

open Expecto
open TorchSharp
open FuncGrad

let private managed f =
    use _ = Device.Use Device.Managed
    f ()

[<Tests>]
let tests =
    testList
        "gamma draws on the device"
        [
            test "gamma, beta and dirichlet draws and their gradients are the managed backend's bits" {
                let draw (key: Tensor) (alpha: Tensor) =
                    let d = RandomKeys.Dirichlet(key, alpha, [| 4 |])
                    let g = Autodiff.Grad((fun (a: Tensor) -> (RandomKeys.Gamma(key, a, [| 4; 3 |]) * a).Sum()), alpha)
                    d, g

                let dm, gm =
                    managed (fun () ->
                        draw (Tensor.FromArray([| 3L; 4L |], [| 2 |])) (Tensor.FromArray [| 0.5; 2.0; 30.0 |]))

                let dt, gt = draw (Tensor.FromArray([| 3L; 4L |], [| 2 |])) (Tensor.FromArray [| 0.5; 2.0; 30.0 |])
                Expect.equal dt.Device (Setup.device ()) "the draw's device"
                Expect.equal ((dt.To Device.Managed).ToArray()) (dm.ToArray()) "dirichlet draws"
                Expect.equal ((gt.To Device.Managed).ToArray()) (gm.ToArray()) "gamma gradient"
            }

            test "the implicit gradient agrees with LibTorch's _standard_gamma backward at LibTorch's draws" {
                let alphas = [| 0.2; 0.7; 1.0; 3.0; 20.0; 400.0 |]
                torch.manual_seed 24L |> ignore
                let a = torch.tensor(Array.collect (fun a -> Array.create 200 a) alphas).requires_grad_ true
                let z = torch._standard_gamma a
                z.sum().backward ()
                let theirs = a.grad.data<float>().ToArray()
                let zs = z.detach().data<float>().ToArray()
                let av = a.detach().data<float>().ToArray()

                for i in 0 .. zs.Length - 1 do
                    let ours = FuncGrad.Kernels.Random.GammaKernel.SampleGrad(av[i], zs[i])
                    // LibTorch's backward is an approximation (series, asymptotics and a fitted rational function)
                    if abs (ours - theirs[i]) > 2e-3 * abs ours + 1e-10 then
                        failtestf "α = %g, z = %.9g: FuncGrad's %.12g, LibTorch's %.12g" av[i] zs[i] ours theirs[i]
            }
        ]
