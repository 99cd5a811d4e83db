// S2 as an F# script meets it (issue 27's fsi row): a fresh `dotnet fsi` process, the MLP step written with the F#
// surface (`gradOf` over a parameter list), its first 1,000 steps timed one by one, then the steady state after more
// warm-up. The benchmark's quick mode runs it (`--cases Cold`) after `dotnet build src/Functional.FSharp -c Release`
// and the benchmark's own build; alone: `dotnet fsi benchmarks/ColdS2.fsx [--brief]`. It prints one RESULT line, the
// same fields as the benchmark's cold rows (ColdCases.cs), and draws the same data as the S2 row through its Data.
let startToMain =
    (System.DateTime.Now - System.Diagnostics.Process.GetCurrentProcess().StartTime).TotalMilliseconds

#load "../src/Functional.FSharp/FuncGrad.fsx"
#r "FuncGrad.Benchmarks/bin/Release/net10.0/FuncGrad.Benchmarks.dll"

open System.Diagnostics
open FuncGrad
open FuncGrad.Benchmarks

let brief = fsi.CommandLineArgs |> Array.contains "--brief"
let clock = Stopwatch.StartNew()
let steps = 1000

// 784-256-256-10, tanh, batch 128, cross-entropy, float32, SGD with rate 0.01: the S2 row's data and seeds.
let layers = Data.Mlp([| 784; 256; 256; 10 |], 1)

let tensorOf (v: float[]) (shape: int[]) = Tensor.FromArray(Data.ToFloat v, shape)

let x = tensorOf (Data.Normal(128 * 784, 100)) [| 128; 784 |]
let labels = Data.Labels(128, 10, 102)

let initial =
    [
        for struct (w, b, inputs, outputs) in layers do
            yield tensorOf w [| inputs; outputs |]
            yield tensorOf b [| outputs |]
    ]

let loss (ps: Tensor list) =
    match ps with
    | [ w1; b1; w2; b2; w3; b3 ] ->
        let h1 = tanh (x.MatMul w1 + b1)
        let h2 = tanh (h1.MatMul w2 + b2)
        (h2.MatMul w3 + b3).CrossEntropy labels
    | _ -> failwith "six parameters"

let step (ps: Tensor list) =
    let v, g = valueAndGradOf loss ps
    List.map2 (fun (p: Tensor) (d: Tensor) -> p - d * 0.01) ps g, v.Item()

let setupMs = clock.Elapsed.TotalMilliseconds

let checkpoint (n: int) =
    sprintf
        "{\"step\":%d,\"since_main_ms\":%.1f,\"jit_ms\":%.1f,\"jit_methods\":%d,\"gc0\":%d,\"gc1\":%d,\"gc2\":%d}"
        n
        clock.Elapsed.TotalMilliseconds
        (System.Runtime.JitInfo.GetCompilationTime(false).TotalMilliseconds)
        (System.Runtime.JitInfo.GetCompiledMethodCount(false))
        (System.GC.CollectionCount 0)
        (System.GC.CollectionCount 1)
        (System.GC.CollectionCount 2)

let times = Array.zeroCreate<float> steps
let mutable ps = initial
let mutable checksum = 0.0
let checkpoints = ResizeArray<string>()

for i in 0 .. steps - 1 do
    let t0 = Stopwatch.GetTimestamp()
    let next, l = step ps
    ps <- next
    checksum <- l
    times[i] <- Stopwatch.GetElapsedTime(t0).TotalMilliseconds

    if List.contains (i + 1) [ 1; 10; 100; 1000 ] then
        checkpoints.Add(checkpoint (i + 1))

// Warm up until two rounds in a row gain less than 3 % on the best (at least 3 s, or 1 s with --brief; at most 20 s),
// as the benchmark's cold rows do.
let warm = Stopwatch.StartNew()
let roundS = if brief then 0.5 else 1.0
let mutable best = infinity
let mutable flat = 0

let median (xs: float seq) =
    let s = Seq.sort xs |> Array.ofSeq
    let n = s.Length

    if n % 2 = 1 then
        s[n / 2]
    else
        (s[n / 2 - 1] + s[n / 2]) / 2.0

while warm.Elapsed.TotalSeconds < 20.0
      && not (flat >= 2 && warm.Elapsed.TotalSeconds >= (if brief then 1.0 else 3.0)) do
    let round = ResizeArray<float>()
    let roundClock = Stopwatch.StartNew()

    while roundClock.Elapsed.TotalSeconds < roundS do
        let t0 = Stopwatch.GetTimestamp()
        ps <- fst (step ps)
        round.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds)

    let m = median round

    if m < 0.97 * best then
        best <- m
        flat <- 0
    else
        flat <- flat + 1

let warmUpS = warm.Elapsed.TotalSeconds

let samples = ResizeArray<float>()
let timing = Stopwatch.StartNew()

while samples.Count < 5 || timing.Elapsed.TotalSeconds < (if brief then 1.0 else 2.0) do
    let t0 = Stopwatch.GetTimestamp()
    ps <- fst (step ps)
    samples.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds)

let steady = median samples
let first = Array.sum times

let steadyFrom =
    seq { 0 .. steps - 10 }
    |> Seq.tryFind (fun i -> median times[i .. i + 9] <= 1.2 * steady)
    |> Option.map (fun i -> string (i + 1))
    |> Option.defaultValue (sprintf ">%d" (steps - 9))

printfn
    "RESULT {\"case\":\"fsi\",\"impl\":\"fsi-cold\",\"dtype\":\"float32\",\"isa\":\"native\",\"median_ms\":%.6f,\
\"steady_ms\":%.6f,\"step_ms\":{\"1\":%.4f,\"10\":%.4f,\"100\":%.4f,\"1000\":%.4f},\"first_ms\":%.3f,\
\"first_ratio\":%.3f,\"step10_ratio\":%.3f,\"steady_from_step\":\"%s\",\"warm_up_s\":%.1f,\
\"start_to_main_ms\":%.1f,\"setup_ms\":%.2f,\
\"checkpoints\":[%s],\"steady_checkpoint\":%s,\"checksum\":%.9g}"
    steady
    steady
    times[0]
    times[9]
    times[99]
    times[999]
    first
    (first / (float steps * steady))
    (times[9] / steady)
    steadyFrom
    warmUpS
    startToMain
    setupMs
    (String.concat "," checkpoints)
    (checkpoint 0)
    checksum
