/// The kernels' fork-join team (src/Core.CSharp/Kernels/Workers.cs): every part runs once, callers on
/// several threads at once each get their own work done, and a failing part reaches its caller.
module Kernels.WorkersTests

open System
open System.Threading
open System.Threading.Tasks
open Expecto
open FuncGrad.Kernels

[<Tests>]
let tests =
    testList
        "kernel workers"
        [
            test "every part runs exactly once, for any number of parts" {
                for parts in 0..40 do
                    let runs: int[] = Array.zeroCreate parts
                    Workers.For(parts, fun i -> Interlocked.Increment(&runs[i]) |> ignore)
                    Expect.all runs (fun r -> r = 1) $"{parts} parts"
            }

            test (
                "callers on many threads at once each get all their parts run "
                + "(the busy team hands them to the thread pool)"
            ) {
                let results =
                    Array.init 8 (fun t ->
                        Task.Run(fun () ->
                            let sums = Array.zeroCreate 50

                            for round in 1..200 do
                                Workers.For(sums.Length, fun i -> sums[i] <- sums[i] + int64 (t + i + round))

                            sums))
                    |> Array.map (fun task -> task.Result)

                for t in 0..7 do
                    for i in 0..49 do
                        // Σ over rounds 1..200 of (t + i + round) = 200·(t + i) + 20100
                        Expect.equal (results[t][i]) (200L * int64 (t + i) + 20100L) $"thread {t}, part {i}"
            }

            test "a failing part's exception reaches the caller, and the team runs the next job" {
                let e =
                    Expect.throwsC
                        (fun () ->
                            Workers.For(
                                6,
                                fun i ->
                                    if i = 3 then
                                        invalidOp "part 3 failed"
                            ))
                        id

                Expect.equal e.Message "part 3 failed" "the part's own exception"
                let runs = Array.zeroCreate 6
                Workers.For(6, fun i -> runs[i] <- 1)
                Expect.all runs (fun r -> r = 1) "the next job"
                // Nested: an inner job started by a part on a team thread finds the team busy and runs on the
                // thread pool; its failure must read the same.
                let e =
                    Expect.throwsC
                        (fun () ->
                            Workers.For(
                                4,
                                fun _ ->
                                    Workers.For(
                                        6,
                                        fun i ->
                                            if i = 3 then
                                                invalidOp "part 3 failed"
                                    )
                            ))
                        id

                Expect.equal e.Message "part 3 failed" "the part's own exception, nested"
            }

            test "products split over threads, from four threads at once, give the single caller's bits" {
                let m, k, n = 200, 120, 160 // over 2²¹ multiply-adds: split over threads
                let rng = Random 21
                let a = Array.init (m * k) (fun _ -> rng.NextDouble() - 0.5)
                let b = Array.init (k * n) (fun _ -> rng.NextDouble() - 0.5)
                let alone = Array.zeroCreate (m * n)
                Gemm.Multiply(a, 0, b, 0, alone, 0, m, k, n)

                let together =
                    Array.init 4 (fun _ ->
                        Task.Run(fun () ->
                            let c = Array.zeroCreate (m * n)

                            for _ in 1..20 do
                                Gemm.Multiply(a, 0, b, 0, c, 0, m, k, n)

                            c))
                    |> Array.map (fun task -> task.Result)

                for c in together do
                    Expect.isTrue
                        (Array.forall2
                            (fun (x: float) y -> BitConverter.DoubleToInt64Bits x = BitConverter.DoubleToInt64Bits y)
                            c
                            alone)
                        "same bits"
            }
        ]
