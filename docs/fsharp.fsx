// A runnable tour of FuncGrad's F# surface. CI runs it with `dotnet fsi docs/fsharp.fsx` after
// building; every `check` fails the script if a printed value is not what the comment says.
#load "Checks.fsx"

open FuncGrad
open Checks

// Tensors: operators broadcast, floats take the tensor's dtype, F#'s own math functions work.
let x = Tensor.ofList [ 1.0; 2.0; 3.0 ]
check "x * 2.0 + 1.0" (x * 2.0 + 1.0) (Tensor.ofList [ 3.0; 5.0; 7.0 ])
check "sin (scalar 0.0)" (sin (scalar 0.0)) (scalar 0.0)
check "x ** 2.0" (x ** 2.0) (Tensor.ofList [ 1.0; 4.0; 9.0 ])
check "matmul (eye 3) x" (Tensor.matmul (Tensor.eye 3) x) x

// Every C# op has its function, the tensor last: comparisons, keepDims, two axes, vdot of any rank, float32 twins.
let v = Tensor.ofList [ -1.0; 2.0; -3.0 ]
check "Tensor.abs v" (Tensor.abs v) (Tensor.ofList [ 1.0; 2.0; 3.0 ])

checkThat
    "Tensor.ge v 0 is a bool mask"
    ((Tensor.ge v (scalar 0.0)).Equals(Tensor.ofBoolArray [| false; true; false |]))

let grid = Tensor.ofShape [| 2; 3 |] [| 1.0; 2.0; 3.0; 4.0; 5.0; 6.0 |]
check "sumAxes [| 1 |] true" (grid |> Tensor.sumAxes [| 1 |] true) (Tensor.ofShape [| 2; 1 |] [| 6.0; 15.0 |])
check "maxAxes [| 0 |] true" (grid |> Tensor.maxAxes [| 0 |] true) (Tensor.ofShape [| 1; 3 |] [| 4.0; 5.0; 6.0 |])
checkThat "transposeAxes 0 2" (Tensor.zeros [| 2; 3; 4 |] |> Tensor.transposeAxes 0 2 |> Tensor.shape = [| 4; 3; 2 |])
// 1 + 4 + 9 + 16 + 25 + 36
check "vdot grid grid" (Tensor.vdot grid grid) (scalar 91.0)
check "zeros32" (Tensor.zeros32 [| 2 |]) (Tensor.ofArray32 [| 0.0f; 0.0f |])

// Indexing and slicing: an integer drops its axis (negative from the end), a range keeps it (end included).
let m = Tensor.ofShape [| 3; 4 |] (Array.init 12 float)
check "m.[1]" m.[1] (Tensor.ofList [ 4.0; 5.0; 6.0; 7.0 ])
check "m.[-1, -1]" m.[-1, -1] (scalar 11.0)
check "m.[*, 0]" m.[*, 0] (Tensor.ofList [ 0.0; 4.0; 8.0 ])
check "m.[0, 1..2]" m.[0, 1..2] (Tensor.ofList [ 1.0; 2.0 ])
check "m.[1.., .. -3]" m.[1.., .. -3] (Tensor.ofArray2D (array2D [ [ 4.0; 5.0 ]; [ 8.0; 9.0 ] ]))

let ones =
    Tensor.ofArray2D (array2D [ [ 0.0; 0.0; 0.0; 0.0 ]; [ 1.0; 0.0; 0.0; 0.0 ]; [ 1.0; 0.0; 0.0; 0.0 ] ])

check "grad: ones where the slice read" (grad (fun t -> Tensor.sum t.[1.., 0]) m) ones

// Printing: one row per line, aligned; culture-independent.
let printed = string (Tensor.ofArray2D (array2D [ [ 1.0; -2.0 ]; [ 3.0; 4.0 ] ]))
checkThat "a matrix prints one row per line" (printed = "tensor([[ 1., -2.],\n        [ 3.,  4.]], dtype=float64)")

// grad and valueAndGrad: f must return one element.
check "grad (sum x^2)" (grad (fun x -> Tensor.sum (x * x)) x) (Tensor.ofList [ 2.0; 4.0; 6.0 ])
let value, gradient = valueAndGrad (fun x -> Tensor.sum (x * x)) x
check "valueAndGrad: value" value (scalar 14.0)

// vjp: the pullback is reusable; jvp: native forward mode.
let y, pullback = vjp (fun x -> x * x) x
check "pullback e1" (pullback (Tensor.ofList [ 1.0; 0.0; 0.0 ])) (Tensor.ofList [ 2.0; 0.0; 0.0 ])
check "pullback e3" (pullback (Tensor.ofList [ 0.0; 0.0; 1.0 ])) (Tensor.ofList [ 0.0; 0.0; 6.0 ])
check "jvp tangent" (snd (jvp (fun x -> x * x) x (Tensor.ofList [ 1.0; 1.0; 1.0 ]))) (Tensor.ofList [ 2.0; 4.0; 6.0 ])

// diff and diffn: derivatives of functions of one element, to any order.
check "diff sin at 0" (diff sin (scalar 0.0)) (scalar 1.0)
check "diffn 7 tanh at 0" (diffn 7 tanh (scalar 0.0)) (scalar -272.0)

// Jacobians (output shape @ input shape), the Hessian and Hessian-vector products.
let f (v: Tensor) = v * v
check "jacrev" (jacrev f (Tensor.ofList [ 1.0; 2.0 ])) (Tensor.ofArray2D (array2D [ [ 2.0; 0.0 ]; [ 0.0; 4.0 ] ]))
check "jacfwd" (jacfwd f (Tensor.ofList [ 1.0; 2.0 ])) (Tensor.ofArray2D (array2D [ [ 2.0; 0.0 ]; [ 0.0; 4.0 ] ]))
let cubeSum (v: Tensor) = Tensor.sum (v * v * v)

check
    "hessian"
    (hessian cubeSum (Tensor.ofList [ 1.0; 2.0 ]))
    (Tensor.ofArray2D (array2D [ [ 6.0; 0.0 ]; [ 0.0; 12.0 ] ]))

check "hvp" (hvp cubeSum (Tensor.ofList [ 1.0; 2.0 ]) (Tensor.ofList [ 1.0; 1.0 ])) (Tensor.ofList [ 6.0; 12.0 ])

// Nesting: no perturbation confusion, in any mix of modes.
check "d/dx [x * d/dy (x + y)]" (grad (fun x -> x * diff (fun y -> x + y) (scalar 1.0)) (scalar 1.0)) (scalar 1.0)
check "grad (x * grad (x * y) 2)" (grad (fun x -> x * grad (fun y -> x * y) (scalar 2.0)) (scalar 3.0)) (scalar 6.0)

// stopGradient, checkpoint and custom rules.
check "stopGradient" (grad (fun x -> x * stopGradient x) (scalar 3.0)) (scalar 3.0)
check "checkpoint" (grad (checkpoint (fun x -> sin (sin x))) (scalar 0.0)) (scalar 1.0)

let softplus =
    customRules (fun x -> log (1.0 + exp x)) (fun x _ g -> g * Tensor.sigmoid x) (fun x _ dx -> dx * Tensor.sigmoid x)

check "custom rule, second derivative" (diffn 2 softplus (scalar 0.0)) (scalar 0.25)

// A rule on .NET arrays: exact at first order; a second derivative through it is an error, not a wrong answer.
let threeSquares x =
    Tensor.ofArray (Array.map (fun v -> 3.0 * v * v) (Tensor.toArray x))

let cube =
    customVjp (fun x -> x * x * x) (onceDifferentiable (fun x _ g -> g * threeSquares x))

check
    "once-differentiable rule, first derivative"
    (grad (fun x -> Tensor.sum (cube x)) (Tensor.ofList [ 2.0 ]))
    (Tensor.ofList [ 12.0 ])

checkThat
    "once-differentiable rule, second derivative refused"
    (try
        hessian (fun x -> Tensor.sum (cube x)) (Tensor.ofList [ 2.0 ]) |> ignore
        false
     with :? GradientException as e ->
         e.Message.Contains "once-differentiable")

// Structures: gradients come back in the shape of the parameters.
type Layer = { W: Tensor; B: Tensor }

let layer =
    {
        W = Tensor.ofArray2D (array2D [ [ 1.0; 2.0 ] ])
        B = Tensor.ofList [ 0.5 ]
    }

let input = Tensor.ofList [ 3.0; 4.0 ]
let g = gradOf (fun p -> Tensor.sum (Tensor.matmul p.W input + p.B)) layer
check "gradOf record: W" g.W (Tensor.ofArray2D (array2D [ [ 3.0; 4.0 ] ]))
check "gradOf record: B" g.B (Tensor.ofList [ 1.0 ])

let named =
    gradOf (fun (m: Map<string, Tensor>) -> m["a"] * m["b"]) (Map [ "a", scalar 2.0; "b", scalar 5.0 ])

check "gradOf Map: a" named["a"] (scalar 5.0)

// Jacobians and Hessians over structures; hessian of a vector-valued function.
check
    "hessianOf (a, b) -> a²b"
    (hessianOf (fun (a, b) -> a * a * b) (scalar 2.0, scalar 3.0))
    (Tensor.ofArray2D (array2D [ [ 6.0; 4.0 ]; [ 4.0; 0.0 ] ]))

check
    "jacrevOf record: B"
    (jacrevOf (fun p -> Tensor.matmul p.W input + p.B) layer).B
    (Tensor.ofArray2D (array2D [ [ 1.0 ] ]))

check
    "hessian of a vector function"
    (hessian (fun v -> v * v * v) (Tensor.ofList [ 1.0; 2.0 ])).[1]
    (Tensor.ofArray2D (array2D [ [ 0.0; 0.0 ]; [ 0.0; 12.0 ] ]))

// Loops and branches: scanOf over a record carry; the outputs stacked, the count kept as a tensor.
type Ema = { Mean: Tensor; Steps: Tensor }

let final, means =
    scanOf
        (fun s (x: Tensor) ->
            let m = 0.5 * s.Mean + 0.5 * x
            { Mean = m; Steps = s.Steps + 1.0 }, m)
        {
            Mean = scalar 0.0
            Steps = scalar 0.0
        }
        (Tensor.ofList [ 1.0; 2.0; 3.0; 4.0 ])

check "scanOf: final mean" final.Mean (scalar 3.0625)
check "scanOf: steps" final.Steps (scalar 4.0)
check "scanOf: the means stacked" means (Tensor.ofList [ 0.5; 1.25; 2.125; 3.0625 ])

// The imperative style of the lecture: variables and a persistent graph.
let w = (Tensor.ofList [ 1.0; 2.0 ]).RequiresGrad()
let loss = Tensor.sum (w * w)
check "backward" (loss.Backward().[w]) (Tensor.ofList [ 2.0; 4.0 ])
check "backward again" (loss.Backward().[w]) (Tensor.ofList [ 2.0; 4.0 ])
printfn "fsharp.fsx: all checks passed"
