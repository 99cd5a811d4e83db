/// JAX parity in the transformations (issue 19): hessian of vector-valued functions, Jacobians and Hessians over
/// structures, and one-element errors named after the function that raised them.
module Functional.StructureJacobianTests

open Expecto
open FuncGrad
open Support.Check

type private Params = { W: Tensor; B: Tensor }

/// f(W, b) = tanh(W·x + b), a vector of 2 from a 2×3 matrix and a vector of 2.
let private x = Tensor.ofList [ 0.5; -1.0; 2.0 ]
let private layer (p: Params) = tanh (Tensor.matmul p.W x + p.B)

let private p0 =
    {
        W = Tensor.randn 3 [| 2; 3 |]
        B = Tensor.randn 4 [| 2 |]
    }

/// The same function of one flat vector [W (row-major); b]: the reference every structured result is cut from.
let private flat (v: Tensor) =
    layer
        {
            W = v.[0..5].Reshape [| 2; 3 |]
            B = v.[6..7]
        }

let private v0 = Tensor.concat [ p0.W.Flatten(); p0.B ]

[<Tests>]
let tests =
    testList
        "transforms over structures"
        [
            test "hessian of a vector-valued function is jacfwd of jacrev, one Hessian per output element" {
                let f (v: Tensor) =
                    Tensor.stack [ Tensor.sum (v * v * v); v.[0] * v.[1] * v.[2] ]

                let v = Tensor.ofList [ 1.0; 2.0; 3.0 ]
                let h = hessian f v
                Expect.equal (shapeOf h) [| 2; 3; 3 |] "shape"
                close "against jacfwd (jacrev f)" 1e-14 1e-14 h (jacfwd (jacrev f) v)
                // closed forms: Σv³ has diag(6v); v₀v₁v₂ has off-diagonal entries v_k for {i, j, k} = {0, 1, 2}
                close
                    "first"
                    1e-14
                    0.0
                    h.[0]
                    (Tensor.ofArray2D (array2D [ [ 6.0; 0.0; 0.0 ]; [ 0.0; 12.0; 0.0 ]; [ 0.0; 0.0; 18.0 ] ]))

                close
                    "second"
                    1e-14
                    0.0
                    h.[1]
                    (Tensor.ofArray2D (array2D [ [ 0.0; 3.0; 2.0 ]; [ 3.0; 0.0; 1.0 ]; [ 2.0; 1.0; 0.0 ] ]))

                let c = Autodiff.Hessian((fun v -> f v), v)
                close "C#" 0.0 0.0 c h
            }
            test "hessian of a one-element output keeps its axes, as JAX does; of a scalar it is input @ input" {
                let v = Tensor.ofList [ 1.0; 2.0 ]
                Expect.equal (shapeOf (hessian (fun v -> Tensor.sum (v * v)) v)) [| 2; 2 |] "scalar"
                Expect.equal (shapeOf (hessian (fun v -> (Tensor.sum (v * v)).Reshape [| 1 |]) v)) [| 1; 2; 2 |] "[1]"
            }
            test "jacrevOf, jacfwdOf and jacobianOf are the flat Jacobian cut into the structure's blocks" {
                let j = jacrev flat v0 // [2; 8]

                let expected =
                    {
                        W = j.[*, 0..5].Reshape [| 2; 2; 3 |]
                        B = j.[*, 6..7]
                    }

                for name, jac in
                    [
                        "jacrevOf", jacrevOf layer p0
                        "jacfwdOf", jacfwdOf layer p0
                        "jacobianOf", jacobianOf layer p0
                    ] do
                    close $"{name} W" 1e-14 1e-15 jac.W expected.W
                    close $"{name} B" 1e-14 1e-15 jac.B expected.B
            }
            test "jacrevOf of a scalar function is its gradient; over a Map and a list" {
                let f (m: Map<string, Tensor>) = Tensor.sum (m.["a"] * m.["b"])
                let m = Map [ "a", Tensor.ofList [ 1.0; 2.0 ]; "b", Tensor.ofList [ 3.0; 4.0 ] ]
                let g = gradOf f m
                let j = jacrevOf f m
                close "a" 0.0 0.0 j.["a"] g.["a"]
                close "b" 0.0 0.0 j.["b"] g.["b"]
                let l = jacfwdOf (fun (l: Tensor list) -> l.[0] * l.[1]) [ scalar 2.0; scalar 5.0 ]
                close "list" 0.0 0.0 (Tensor.stack l) (Tensor.ofList [ 5.0; 2.0 ])
            }
            test "hessianOf is the Hessian over the elements flattened in leaf order" {
                let loss (p: Params) = Tensor.sum (layer p * layer p)
                let h = hessianOf loss p0
                Expect.equal (shapeOf h) [| 8; 8 |] "shape"

                close
                    "against hessian of the flat function"
                    1e-13
                    1e-14
                    h
                    (hessian (fun v -> Tensor.sum (flat v * flat v)) v0)
                // by hand: a·a·b at (2, 3) has [[2b, 2a], [2a, 0]]
                close
                    "a²b"
                    0.0
                    0.0
                    (hessianOf (fun (a, b) -> a * a * b) (scalar 2.0, scalar 3.0))
                    (Tensor.ofArray2D (array2D [ [ 6.0; 4.0 ]; [ 4.0; 0.0 ] ]))

                raises<DTypeMismatchException> "mixed dtypes" (fun () ->
                    hessianOf
                        (fun (a: Tensor, b: Tensor) -> a * b.ToDType DType.Float64)
                        (scalar 1.0, Tensor.ofArray32 [| 1.0f |])
                    |> ignore)
                |> ignore
            }
            test "one-element errors name the function that raised them and the fix" {
                let v = Tensor.ofList [ 1.0; 2.0 ]
                let vector (v: Tensor) = v * v

                for name, run, fix in
                    [
                        "gradOf", (fun () -> gradOf vector v |> ignore), "jacrevOf"
                        "valueAndGradOf", (fun () -> valueAndGradOf vector v |> ignore), "jacrevOf"
                        "hvp", (fun () -> hvp vector v v |> ignore), "Hessian"
                        "grad", (fun () -> grad vector v |> ignore), "Jacobian"
                    ] do
                    let e = raises<NonScalarOutputException> name run
                    Expect.stringStarts e.Message $"{name}:" "named after the function"
                    Expect.stringContains e.Message fix "says what to use"
            }
        ]
