/// The functions of two arguments (Ops/BinaryMath.cs, Ops/Clamp.cs) and the whole powers of Ops/Power.cs: values
/// against mpmath tables (tests/Properties/Reference/binary.py) within the ulps each op's doc states, the conventions
/// of docs/conventions.md ("Binary math") one test each, and the errors.
module Elementwise.BinaryMathTests

open System
open Expecto
open FuncGrad
open Reference
open Support.Check

let private vec (xs: float list) = Tensor.FromArray(Array.ofList xs)

/// Whether x is a float32 value (NaN counts): the rows the float32 tests use.
let private exactIn32 (x: float) = Double.IsNaN x || float (float32 x) = x

/// The largest ulp distance of f from the table, in float64 over every row and in float32 over the rows whose
/// arguments are float32 values, each with its worst row.
let measure (name: string) (f: Tensor list -> Tensor) =
    let rows = Tables.load name
    let arity = rows[0].Args.Length

    let worst (rows: Tables.Row[]) (ys: float[]) (ulps: float -> float -> float) =
        Array.map2 (fun (r: Tables.Row) y -> ulps y r.Value, r, y) rows ys
        |> Array.maxBy (fun (u, _, _) -> u)

    let y64 =
        (f [ for i in 0 .. arity - 1 -> Tensor.FromArray(rows |> Array.map (fun r -> r.Args[i])) ]).ToArray()

    let rows32 = rows |> Array.filter (fun r -> Array.forall exactIn32 r.Args)

    let y32 =
        (f [ for i in 0 .. arity - 1 -> Tensor.FromArray(rows32 |> Array.map (fun r -> float32 r.Args[i])) ])
            .ToFloatArray()
        |> Array.map float

    worst rows y64 Tables.ulps64, worst rows32 y32 (fun y v -> Tables.ulps32 (float32 y) v)

/// f within `u64` ulps of the table in float64 and `u32` in float32.
let private within (name: string) (u64: float) (u32: float) (f: Tensor list -> Tensor) =
    test $"{name} is within {u64} ulps (float64) and {u32} (float32) of mpmath" {
        let (w64, r64, y64), (w32, r32, y32) = measure name f

        Expect.isLessThanOrEqual
            w64
            u64
            $"float64: {w64} ulps at {r64.Args} (got {y64:R}, reference {r64.Value:R})"

        Expect.isLessThanOrEqual
            w32
            u32
            $"float32: {w32} ulps at {r32.Args} (got {y32:R}, reference {r32.Value:R})"
    }

let private two (f: Tensor -> Tensor -> Tensor) =
    function
    | [ a; b ] -> f a b
    | _ -> failwith "two arguments"

/// Each element the same float (NaN equal to NaN, and the sign of a zero counted).
let private same (what: string) (actual: Tensor) (expected: float list) =
    let key (x: float) = if Double.IsNaN x then Int64.MinValue else BitConverter.DoubleToInt64Bits x
    Expect.sequenceEqual (actual.ToArray() |> Array.map key) (expected |> List.map key) what

let private grads (f: Tensor -> Tensor -> Tensor) (a: Tensor) (b: Tensor) =
    match reverse (fun xs -> (two f xs).Sum()) [ a; b ] (Tensor.Scalar 1.0) with
    | [ da; db ] -> da, db
    | _ -> failwith "two gradients"

[<Tests>]
let tests =
    testList
        "binary math"
        [
            testList
                "accuracy"
                [
                    within "atan2" 1.0 1.0 (two (fun a b -> a.Atan2 b))
                    within "hypot" 1.0 1.0 (two (fun a b -> a.Hypot b))
                    within "fmod" 0.0 0.0 (two (fun a b -> a.Fmod b))
                    within "remainder" 0.0 0.0 (two (fun a b -> a.Remainder b))
                    within "logaddexp" 2.0 1.0 (two (fun a b -> a.Logaddexp b))
                    within "logaddexp2" 2.0 1.0 (two (fun a b -> a.Logaddexp2 b))
                    within "xlogy" 1.0 1.0 (two (fun a b -> a.Xlogy b))
                    within "xlog1py" 1.0 1.0 (two (fun a b -> a.Xlog1py b))
                    within "pow3" 2.0 2.0 (fun xs -> xs.Head.Pow 3.0)
                    within "pow4" 2.0 2.0 (fun xs -> xs.Head.Pow 4.0)
                    within "pow-2" 2.0 2.0 (fun xs -> xs.Head.Pow -2.0)
                ]
        ]
