/// Shared test helpers: building tensors, finite differences, and tolerant comparisons.
module Support.Check

open System
open Expecto
open FuncGrad

let shapeOf (t: Tensor) = t.Shape |> Seq.toArray

/// A function of a list of tensors as the delegate Autodiff.Compile takes for several inputs and outputs.
let listFn (f: Tensor list -> Tensor list) =
    Func<Collections.Generic.IReadOnlyList<Tensor>, Collections.Generic.IReadOnlyList<Tensor>>(fun xs ->
        f (List.ofSeq xs) |> Array.ofList :> _)

/// The values' bit patterns, float32 ones widened to int64 (so -0.0 differs from 0.0 and each NaN's payload counts).
let bits (t: Tensor) =
    if t.DType = DType.Float64 then
        t.ToArray() |> Array.map BitConverter.DoubleToInt64Bits
    else
        t.ToFloatArray() |> Array.map (BitConverter.SingleToInt32Bits >> int64)

/// Fails unless the two tensors have the same dtype, shape and bits (stricter than Equals).
let bitwise (what: string) (expected: Tensor) (actual: Tensor) =
    Expect.equal actual.DType expected.DType $"{what}: dtype"
    Expect.equal (shapeOf actual) (shapeOf expected) $"{what}: shape"
    Expect.sequenceEqual (bits actual) (bits expected) $"{what}: bits"

/// Fails unless f throws exactly 'E (not a subclass, not a base); returns the exception.
let raises<'E when 'E :> exn> (what: string) (f: unit -> unit) : 'E =
    let thrown =
        try
            f ()
            None
        with e ->
            Some e

    match thrown with
    | Some e when e.GetType() = typeof<'E> -> e :?> 'E
    | Some e -> failtestf "%s: expected %s but got %s: %s" what typeof<'E>.Name (e.GetType().Name) e.Message
    | None -> failtestf "%s: expected %s but nothing was thrown" what typeof<'E>.Name

/// A float64 tensor of the given shape with values from `gen`.
let tensorOf (shape: int[]) (gen: unit -> float) =
    let n = Array.fold (*) 1 shape
    Tensor.FromArray(Array.init n (fun _ -> gen ()), shape)

let randn (rng: Random) shape = Tensor.RandomNormal(shape, rng)

/// ⟨a, b⟩ over all elements, accumulated in float64.
let inner (a: Tensor) (b: Tensor) =
    Array.fold2 (fun s x y -> s + x * y) 0.0 (a.ToArray()) (b.ToArray())

/// A copy of x with element i moved by h.
let nudge (x: Tensor) (i: int) (h: float) =
    let a = x.ToArray()
    a[i] <- a[i] + h
    Tensor.FromArray(a, shapeOf x).ToDType x.DType

/// Central finite difference of the scalar function s with respect to every element of every input.
let fdGradient (s: Tensor list -> float) (xs: Tensor list) (h: float) =
    xs
    |> List.mapi (fun k x ->
        let g =
            Array.init x.Count (fun i ->
                let at d =
                    xs |> List.mapi (fun j y -> if j = k then nudge y i d else y)

                (s (at h) - s (at -h)) / (2.0 * h))

        Tensor.FromArray(g, shapeOf x))

/// Central finite difference of f along the tangents vs: (f(x + hv) − f(x − hv)) / 2h.
let fdDirectional (f: Tensor list -> Tensor) (xs: Tensor list) (vs: Tensor list) (h: float) =
    let at d =
        List.map2 (fun (x: Tensor) (v: Tensor) -> x + v * d) xs vs

    ((f (at h)).ToDType DType.Float64 - (f (at -h)).ToDType DType.Float64)
    / (2.0 * h)

/// Fails with both tensors printed unless they are close elementwise (NaNs must match).
let close (what: string) (rtol: float) (atol: float) (actual: Tensor) (expected: Tensor) =
    if not (actual.AllClose(expected, rtol, atol, equalNaN = true)) then
        failtestf "%s\n  actual:   %O\n  expected: %O" what actual expected

/// Fails unless the two numbers are within atol + rtol·|expected|.
let closeNum (what: string) (rtol: float) (atol: float) (actual: float) (expected: float) =
    if not (abs (actual - expected) <= atol + rtol * abs expected) then
        failtestf "%s: actual %.17g, expected %.17g (difference %.3g)" what actual expected (abs (actual - expected))

/// Exact equality of values, element by element.
let equalValues (what: string) (actual: Tensor) (expected: float[]) =
    Expect.sequenceEqual (actual.ToArray()) expected what

/// Gradients of `out` with respect to `xs` through the imperative API (seeded with u).
let reverse (f: Tensor list -> Tensor) (xs: Tensor list) (u: Tensor) =
    let struct (_, back) =
        Autodiff.Vjp((fun (vs: Collections.Generic.IReadOnlyList<Tensor>) -> f (List.ofSeq vs)), Array.ofList xs)

    back.Invoke u |> List.ofArray

/// The forward-mode directional derivative of f at xs along vs.
let forward (f: Tensor list -> Tensor) (xs: Tensor list) (vs: Tensor list) =
    let struct (_, t) =
        Autodiff.Jvp(
            (fun (ys: Collections.Generic.IReadOnlyList<Tensor>) -> f (List.ofSeq ys)),
            Array.ofList xs,
            Array.ofList vs
        )

    t

/// Expecto's --fscheck-max-tests and --fscheck-end-size set only testProperty's defaults; the table's
/// properties read them too, so a longer local run (docs/gradcheck.md) reaches every row.
let private fromCommandLine (flag: string) =
    let args = Environment.GetCommandLineArgs()

    match Array.tryFindIndex ((=) flag) args with
    | Some i when i + 1 < args.Length ->
        (match Int32.TryParse args[i + 1] with
         | true, n -> Some n
         | _ -> None)
    | _ -> None

let withCommandLine (c: FsCheckConfig) =
    { c with
        maxTest = defaultArg (fromCommandLine "--fscheck-max-tests") c.maxTest
        endSize = defaultArg (fromCommandLine "--fscheck-end-size") c.endSize
    }
