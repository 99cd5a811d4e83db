/// The activations (Ops/Activations.cs): values against mpmath tables (Reference/activations.py) within the ulp
/// bounds their docs state, the conventions at kinks and infinities (docs/conventions.md, "Activations"), the piecewise
/// kernels at every vector width, and the errors.
module Elementwise.ActivationTests

open System
open Expecto
open FuncGrad
open FuncGrad.Kernels
open Reference
open Support.Check

let private vec (xs: float list) = Tensor.FromArray(Array.ofList xs)
let private grad (f: Tensor -> Tensor) (x: Tensor) = Autodiff.Grad((fun (v: Tensor) -> (f v).Sum()), x)

/// The largest ulp distance of f over a table's rows, in float64, and in float32 over the rows whose argument is a
/// float32.
let private measure (table: string) (f: Tensor -> Tensor) =
    let rows = Tables.load table
    let xs = rows |> Array.map (fun r -> r.Args[0])
    let y64 = (f (Tensor.FromArray xs)).ToArray()

    let worst64 =
        Array.map2 (fun (r: Tables.Row) y -> Tables.ulps64 y r.Value, r.Args[0]) rows y64 |> Array.maxBy fst

    let rows32 =
        rows |> Array.filter (fun r -> Double.IsNaN r.Args[0] || float (float32 r.Args[0]) = r.Args[0])

    let x32 = Tensor.FromArray(rows32 |> Array.map (fun r -> r.Args[0])).ToDType DType.Float32
    let y32 = (f x32).ToDType(DType.Float64).ToArray()

    let worst32 =
        Array.map2 (fun (r: Tables.Row) (y: float) -> Tables.ulps32 (float32 y) r.Value, r.Args[0]) rows32 y32
        |> Array.maxBy fst

    worst64, worst32

/// (table, function, float64 bound, float32 bound): the bounds the ops' docs and docs/conventions.md state.
let private accuracy: (string * (Tensor -> Tensor) * float * float) list =
    [
        "gelu_tanh", (fun x -> x.Gelu "tanh"), 4.0, 1.0
        "silu", (fun x -> x.Silu()), 3.0, 1.0
        "mish", (fun x -> x.Mish()), 3.0, 1.0
        "logsigmoid", (fun x -> x.LogSigmoid()), 3.0, 1.0
        "softplus_beta2", (fun x -> x.Softplus(2.0, 20.0)), 2.0, 1.0
        "elu", (fun x -> x.Elu()), 3.0, 1.0
        "selu", (fun x -> x.Selu()), 3.0, 1.0
        "celu_half", (fun x -> x.Celu 0.5), 2.0, 1.0
        "softsign", (fun x -> x.Softsign()), 2.0, 1.0
        "hardswish", (fun x -> x.Hardswish()), 2.0, 1.0
        "hardsigmoid", (fun x -> x.Hardsigmoid()), 2.0, 1.0
        "tanhshrink", (fun x -> x.Tanhshrink()), 2.0, 1.0
    ]

[<Tests>]
let tests =
    testList
        "activations"
        [
            testList
                "accuracy against mpmath"
                [
                    for table, f, bound64, bound32 in accuracy ->
                        test table {
                            let (u64, at64), (u32, at32) = measure table f
                            Expect.isLessThanOrEqual u64 bound64 $"{table} float64: {u64} ulps at x = {at64}"
                            Expect.isLessThanOrEqual u32 bound32 $"{table} float32: {u32} ulps at x = {at32}"
                        }
                ]
        ]
