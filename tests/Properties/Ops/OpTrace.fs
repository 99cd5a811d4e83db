/// The op objects a function applies, each with the values it was applied to: what the completeness tests check
/// rules and device kernels on (Ops/CompletenessTests.fs, and tests/Backend.LibTorch).
module Ops.OpTrace

open System.Collections.Generic
open FuncGrad

/// The ops f applies to its inputs xs, in order, each with its arguments' values. f runs once on a compile trace's
/// tracers, which record every op that reaches them, comparisons included (the reverse graph keeps no comparison: a
/// mask has no derivative); the recorded steps are then run on the values, each step on its recorded arguments. Ops
/// on constants alone run as f runs and are not recorded. Call it with managed inputs on the managed device: a device
/// value cannot be traced.
let steps (f: Tensor list -> Tensor) (xs: Tensor list) : (Op * Tensor[]) list =
    let trace = Trace(Tags.Next(), xs.Length)

    try
        let tracers = xs |> List.map trace.Input
        f tracers |> ignore
        // Slots: the inputs first (0, 1, ...), then constants and results, as Trace numbers them.
        let values = Dictionary<int, Tensor>()
        List.iteri (fun i x -> values[i] <- x) xs

        for KeyValue(slot, c) in trace.Constants do
            values[slot] <- c

        [
            for struct (op, args, result) in trace.Steps do
                let a = args |> Array.map (fun s -> values[s])
                values[result] <- op.Compute a
                op, a
        ]
    finally
        trace.Close()
