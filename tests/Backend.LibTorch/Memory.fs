/// `dotnet run -c Release -- --memory N`: N SGD steps of the S2 MLP (784-256-256-10, tanh, batch 128, float32,
/// cross-entropy) on the suite's device, printing the process's resident memory every N/10 steps. Not a test: a
/// figure to read (docs/devices.md), since memory that stays flat depends on the machine and the collector's timing.
module Memory

open System
open System.Diagnostics
open FuncGrad

let private residentMB () =
    use p = Process.GetCurrentProcess()
    float p.WorkingSet64 / 1048576.0

let run (steps: int) =
    let rng = Random 1

    let layer (i: int) (o: int) =
        let w = Tensor.RandomNormal([| i; o |], rng, DType.Float32) * (1.0 / sqrt (float i))
        w, Tensor.Zeros([| o |], DType.Float32)

    let (w1, b1), (w2, b2), (w3, b3) = layer 784 256, layer 256 256, layer 256 10
    let x = Tensor.RandomNormal([| 128; 784 |], rng, DType.Float32)
    let labels = Array.init 128 (fun _ -> rng.Next 10)

    let loss (p: Collections.Generic.IReadOnlyList<Tensor>) =
        let h1 = (x.MatMul p[0] + p[1]).Tanh()
        let h2 = (h1.MatMul p[2] + p[3]).Tanh()
        (h2.MatMul p[4] + p[5]).CrossEntropy labels

    let mutable ps = [| w1; b1; w2; b2; w3; b3 |]
    let clock = Stopwatch.StartNew()
    let mutable peak = 0.0
    printfn "device %O: %d S2 steps" ps[0].Device steps

    for step in 1..steps do
        let struct (l, back) = Autodiff.Vjp(loss, ps)
        let grads = back.Invoke(Tensor.Scalar(1.0, DType.Float32))
        ps <- Array.map2 (fun (p: Tensor) (g: Tensor) -> p - g * 0.01) ps grads
        peak <- max peak (residentMB ())

        if step % max 1 (steps / 10) = 0 || step = steps then
            printfn
                "step %6d  loss %.4f  resident %7.1f MB  managed heap %6.1f MB  %.2f ms/step"
                step
                (l.Item())
                (residentMB ())
                (float (GC.GetTotalMemory false) / 1048576.0)
                (clock.Elapsed.TotalMilliseconds / float step)

    printfn "peak resident %.1f MB" peak
    0
