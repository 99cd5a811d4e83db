// Anomaly mode in practice (see anomaly.md): the first NaN or infinity that an op makes, in a value, a tangent or a
// cotangent, throws an AnomalyException that names the op, the line that made it, the part and the cause. CI runs this
// script; every check fails it if a result is not what the comment says.
#load "Checks.fsx"

open System
open FuncGrad
open Checks

/// Runs f in anomaly mode and returns the exception it throws; fails if it throws none.
let anomaly (f: unit -> 'a) : AnomalyException =
    try
        detectAnomaly f () |> ignore
        failwith "anomaly mode threw nothing"
    with :? AnomalyException as e ->
        e

/// The message as printed on this page: the script's own folder shortened to docs/.
let show (e: AnomalyException) =
    printfn "%s\n" (e.Message.Replace(__SOURCE_DIRECTORY__, "docs"))

let nonFinite (t: Tensor) =
    Tensor.toArray t |> Array.exists (Double.IsFinite >> not)

let x = Tensor.ofList [ 1.0; 0.0; 4.0 ]
let positive (x: Tensor) = Tensor.gt x (Tensor.zeros [| 3 |])

// ---- 1. sqrt at 0 through a masked where: the gradient is NaN, and anomaly mode says why ----
// sqrt x where x > 0, else 0
let masked (x: Tensor) =
    Tensor.sum (Tensor.where (positive x) (sqrt x) (Tensor.zeros [| 3 |]))

checkThat "the value is finite" (not (nonFinite (masked x)))
checkThat "but its gradient holds a NaN" (nonFinite (grad masked x))
let e1 = anomaly (fun () -> grad masked x)
show e1
checkThat "anomaly mode blames Sqrt" (e1.Op = "Sqrt")
checkThat "in the cotangent of its argument 0" (e1.Part = AnomalyPart.Cotangent && e1.Argument = Nullable 0)
checkThat "for a masked where" (e1.Cause = AnomalyCause.MaskedWhere)

// The fix it names, the "double where": mask the input of sqrt too.
let doubleWhere (x: Tensor) =
    let safe = Tensor.where (positive x) x (Tensor.ones [| 3 |])
    let r = Tensor.where (positive x) (sqrt safe) (Tensor.zeros [| 3 |])
    Tensor.sum r

check
    "the double where's gradient, in anomaly mode"
    (detectAnomaly (grad doubleWhere) x)
    (Tensor.ofList [ 0.5; 0.0; 0.25 ])

// ---- 2. the other known causes ----
let e2 = anomaly (fun () -> log (Tensor.ofList [ 1.0; 0.0 ]))
show e2
checkThat "log at 0: a value, LogOfZero" (e2.Op = "Log" && e2.Cause = AnomalyCause.LogOfZero)

let e3 = anomaly (fun () -> exp (Tensor.ofList [ 700.0; 710.0 ]))
checkThat "exp of 710 overflows (above ln(max) ≈ 709.78)" (e3.Cause = AnomalyCause.ExpOverflow)

let e4 = anomaly (fun () -> scalar 1.0 / Tensor.ofList [ 2.0; 0.0 ])
checkThat "1/0: DivisionByZero" (e4.Op = "Div" && e4.Cause = AnomalyCause.DivisionByZero)

let e5 =
    anomaly (fun () -> grad (fun x -> Tensor.sum (x ** 0.5)) (Tensor.ofList [ 1.0; 0.0 ]))

checkThat "d/dx x^0.5 at 0: an infinite derivative" (e5.Op = "Pow" && e5.Cause = AnomalyCause.InfiniteDerivative)

let e6 =
    anomaly (fun () -> grad (fun x -> Tensor.sum (Tensor.relu (sqrt x))) (Tensor.ofList [ 1.0; 0.0 ]))

show e6
checkThat "relu's zero cotangent times sqrt's ∞: 0·∞" (e6.Cause = AnomalyCause.ZeroTimesInfinity)

// Forward mode: a zero tangent meets sqrt's infinite derivative at 0.
let e7 = anomaly (fun () -> jvp sqrt (scalar 0.0) (scalar 0.0))
checkThat "jvp: a NaN in the tangent" (e7.Part = AnomalyPart.Tangent && e7.Cause = AnomalyCause.ZeroTimesInfinity)

// Higher order: x^1.5 has the finite gradient 1.5·√x, but its second derivative is infinite at 0.
let e8 =
    anomaly (fun () -> hessian (fun x -> Tensor.sum (x ** 1.5)) (Tensor.ofList [ 0.0; 1.0 ]))

show e8
checkThat "hessian: blamed on Pow's VJP, at order 2" (e8.Op = "Pow" && e8.Message.Contains "order 2")

// ---- 3. what is not blamed: infinities that come in, composed ops that handle them ----
let scores =
    Tensor.ofArray2D (array2D [ [ 0.5; -infinity; 1.0 ]; [ -infinity; 2.0; -infinity ] ]) // a masked attention row

let attention (s: Tensor) =
    Tensor.sum (Tensor.softmax s * Tensor.ofList [ 1.0; 2.0; 3.0 ])

check
    "softmax over −inf scores: the same gradient with the mode on"
    (detectAnomaly (grad attention) scores)
    (grad attention scores)

check
    "logsumexp of all −inf is −inf, silently"
    (detectAnomaly Tensor.logsumexp (Tensor.ofList [ -infinity; -infinity ]))
    (scalar -infinity)

// ---- 4. without origins: cheap enough to leave on while training ----
let e9 =
    try
        Autodiff.DetectAnomaly((fun () -> grad masked x), origins = false) |> ignore
        failwith "nothing thrown"
    with :? AnomalyException as e ->
        e

checkThat
    "without origins, the op and the cause are still named"
    (e9.Op = "Sqrt" && e9.Cause = AnomalyCause.MaskedWhere)

checkThat "but not the line that made it" (isNull e9.Origin)
