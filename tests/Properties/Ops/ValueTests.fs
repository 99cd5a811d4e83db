/// Values of the composed ops against loops over plain arrays. The op table's derivative checks compare an op with
/// itself (finite differences of its own value, vmap of itself), so a composition that is wrong but smooth, such as
/// x + logsumexp(x) for log-softmax, passes them all; these tests pin what the value should be.
module Ops.ValueTests

open System
open Expecto
open FuncGrad
open Support.Check

/// The rows of a [r x c] matrix as arrays.
let private rows (x: Tensor) =
    let v = x.ToArray()
    let c = x.Shape[1]
    Array.init x.Shape[0] (fun i -> v[i * c .. i * c + c - 1])

/// log Σ exp, shifted by the maximum as a careful loop would be.
let private logSumExp (v: float[]) =
    let m = Array.max v
    m + log (Array.sumBy (fun a -> exp (a - m)) v)

let private transpose (x: Tensor) = x.Transpose()

let private matrix (rng: Random) = randn rng [| 3; 4 |]

[<Tests>]
let tests =
    testList
        "values of composed ops"
        [
            test "softmax and logSoftmax along the last axis and along axis 0" {
                let x = matrix (Random 1)

                let expected (m: Tensor) =
                    rows m
                    |> Array.collect (fun r ->
                        let l = logSumExp r
                        Array.map (fun a -> a - l) r)

                close "logSoftmax()" 1e-14 1e-14 (x.LogSoftmax()) (Tensor.FromArray(expected x, [| 3; 4 |]))
                close "logSoftmax(-1)" 1e-14 1e-14 (x.LogSoftmax(-1)) (Tensor.FromArray(expected x, [| 3; 4 |]))
                // along axis 0: the columns' log-softmax, computed on the transpose
                let byColumn = Tensor.FromArray(expected (transpose x), [| 4; 3 |]).Transpose()

                close "logSoftmax(0)" 1e-14 1e-14 (x.LogSoftmax(0)) byColumn
                close "softmax()" 1e-14 1e-14 (x.Softmax()) (Tensor.FromArray(expected x |> Array.map exp, [| 3; 4 |]))
                close "softmax(0)" 1e-14 1e-14 (x.Softmax(0)) (byColumn.Exp())
            }

            test "logsumexp over an axis, kept or not" {
                let x = matrix (Random 2)
                let perRow = rows x |> Array.map logSumExp
                close "logsumexp(1)" 1e-14 1e-14 (x.LogSumExp([| 1 |])) (Tensor.FromArray perRow)

                close
                    "logsumexp(1, keepDims)"
                    1e-14
                    1e-14
                    (x.LogSumExp([| 1 |], keepDims = true))
                    (Tensor.FromArray(perRow, [| 3; 1 |]))
            }

            test "mseLoss is the mean of the squared differences" {
                let rng = Random 3
                let a, b = randn rng [| 3; 2 |], randn rng [| 3; 2 |]

                let expected =
                    Array.map2 (fun p q -> (p - q) * (p - q)) (a.ToArray()) (b.ToArray())
                    |> Array.average

                closeNum "mseLoss" 1e-14 0.0 (a.MseLoss(b).Item()) expected
            }

            test "cross-entropy is the mean of logsumexp(row) − row[label], also for logits of ±1000" {
                for x in
                    [
                        matrix (Random 4)
                        Tensor.FromArray([| 1000.0; 0.0; -5.0; -1000.0; 0.0; 1000.0 |], [| 2; 3 |])
                    ] do
                    let labels = if x.Shape[0] = 3 then [| 2; 0; 3 |] else [| 1; 2 |]

                    let expected =
                        Array.mapi (fun i (r: float[]) -> logSumExp r - r[labels[i]]) (rows x)
                        |> Array.average

                    let what = $"crossEntropy of {x}"
                    closeNum what 1e-14 0.0 (x.CrossEntropy(labels).Item()) expected

                    let asTensor = Tensor.FromArray(labels |> Array.map float)
                    closeNum $"{what}, labels in a tensor" 1e-14 0.0 (x.CrossEntropy(asTensor).Item()) expected

                    // vmap of vmap: the batched op's groups nest
                    let twice =
                        Tensor.Stack [| Tensor.Stack [| x; x * 2.0 |]; Tensor.Stack [| x * 0.5; -x |] |]

                    let nested = vmap (vmap (fun (z: Tensor) -> z.CrossEntropy asTensor)) twice

                    let each =
                        Tensor.Stack
                            [|
                                for i in 0..1 -> Tensor.Stack [| for j in 0..1 -> twice.[i, j].CrossEntropy labels |]
                            |]

                    close $"{what}: vmap of vmap" 1e-13 1e-13 nested each
            }
        ]
