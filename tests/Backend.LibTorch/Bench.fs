/// `dotnet run -c Release -- --bench [--managed]`: the issue's device targets on the suite's device (torch:cpu here,
/// torch:cuda under tests/gpu-check.sh), FuncGrad beside TorchSharp on the same device and data: S2 (one SGD step of
/// the 784-256-256-10 tanh MLP, batch 128, float32), S4 (1024² @ 1024², float32), and one SGD step of an MLP of four
/// 4096-wide layers at batch 1024 in float32, which --managed also times on FuncGrad's managed kernels. Median
/// milliseconds; not a test.
module Bench

open System
open System.Diagnostics
open FuncGrad
open TorchSharp

let private sync (d: Device) =
    if d.IsCuda then
        torch.cuda.synchronize ()

/// The median of `runs` timed calls after `warm` untimed ones, in milliseconds.
let private median (d: Device) (warm: int) (runs: int) (f: unit -> unit) =
    for _ in 1..warm do
        f ()

    sync d

    let times =
        Array.init runs (fun _ ->
            let sw = Stopwatch.StartNew()
            f ()
            sync d
            sw.Elapsed.TotalMilliseconds)

    Array.sortInPlace times
    times[runs / 2]

let private torchDevice (d: Device) =
    if d.IsCuda then torch.CUDA else torch.CPU

/// One FuncGrad SGD step function for an MLP of the given widths, on the current default device.
let private funcGradMlp (sizes: int list) (batch: int) =
    let rng = Random 1
    let widths = Array.ofList sizes

    let mutable ps =
        [|
            for i in 0 .. widths.Length - 2 do
                Tensor.RandomNormal([| widths[i]; widths[i + 1] |], rng, DType.Float32)
                * (1.0 / sqrt (float widths[i]))

                Tensor.Zeros([| widths[i + 1] |], DType.Float32)
        |]

    let x = Tensor.RandomNormal([| batch; widths[0] |], rng, DType.Float32)
    let labels = Array.init batch (fun _ -> rng.Next widths[widths.Length - 1])

    let loss (p: Collections.Generic.IReadOnlyList<Tensor>) =
        let mutable h = x

        for l in 0 .. p.Count / 2 - 1 do
            let z = h.MatMul p[2 * l] + p[2 * l + 1]
            h <- if l < p.Count / 2 - 1 then z.Tanh() else z

        h.CrossEntropy labels

    fun () ->
        let struct (_, back) = Autodiff.Vjp(loss, ps)
        let grads = back.Invoke(Tensor.Scalar(1.0, DType.Float32))
        ps <- Array.map2 (fun (p: Tensor) (g: Tensor) -> p - g * 0.01) ps grads

/// The same step in TorchSharp, its own autograd, on device d.
let private torchSharpMlp (sizes: int list) (batch: int) (d: Device) =
    let dev = torchDevice d
    let widths = Array.ofList sizes

    let ps =
        [|
            for i in 0 .. widths.Length - 2 do
                (torch.randn (int64 widths[i], int64 widths[i + 1], device = dev)
                 / sqrt (float widths[i]))
                    .requires_grad_(true)

                torch.zeros(int64 widths[i + 1], device = dev).requires_grad_(true)
        |]

    let x = torch.randn (int64 batch, int64 widths[0], device = dev)

    let labels =
        torch.randint (int64 widths[widths.Length - 1], [| int64 batch |], device = dev)

    fun () ->
        use _ = torch.NewDisposeScope()
        let mutable h = x

        for l in 0 .. ps.Length / 2 - 1 do
            let z = h.matmul (ps[2 * l]) + ps[2 * l + 1]
            h <- if l < ps.Length / 2 - 1 then z.tanh () else z

        let loss = torch.nn.functional.cross_entropy (h, labels)
        loss.backward ()

        use _ = torch.no_grad ()

        for p in ps do
            p.sub_ (p.grad * 0.01) |> ignore
            p.grad <- null

let run (managedToo: bool) =
    let d = Setup.device ()
    torch.set_num_threads (Environment.ProcessorCount)
    printfn "bench on %O (%d threads), float32, median ms" d Environment.ProcessorCount
    let s2 = [ 784; 256; 256; 10 ]
    let fgS2 = median d 20 50 (funcGradMlp s2 128)
    let tsS2 = median d 20 50 (torchSharpMlp s2 128 d)
    printfn "S2 step           funcgrad %9.3f  torchsharp %9.3f  ratio %.2f" fgS2 tsS2 (fgS2 / tsS2)
    let a = Tensor.RandomNormal([| 1024; 1024 |], 1, DType.Float32)
    let b = Tensor.RandomNormal([| 1024; 1024 |], 2, DType.Float32)
    let fgS4 = median d 5 20 (fun () -> a.MatMul b |> ignore)
    let ta = torch.randn (1024L, 1024L, device = torchDevice d)
    let tsS4 = median d 5 20 (fun () -> (torch.matmul (ta, ta)).Dispose())
    printfn "S4 1024           funcgrad %9.3f  torchsharp %9.3f  ratio %.2f" fgS4 tsS4 (fgS4 / tsS4)
    let big = [ 4096; 4096; 4096; 4096; 4096 ]
    let fgBig = median d 3 10 (funcGradMlp big 1024)
    printfn "MLP 4x4096 b1024  funcgrad %9.3f" fgBig

    if managedToo then
        let managed = Device.using Device.Managed (fun () -> funcGradMlp big 1024)
        let m = Device.using Device.Managed (fun () -> median Device.Managed 1 3 managed)
        printfn "MLP 4x4096 b1024  funcgrad managed %9.3f  device speed-up %.1f" m (m / fgBig)

    0
