/// The op spec table: one row per public op. Every row is checked by the generic properties in
/// OpRuleTests (VJP and JVP against finite differences, their adjointness, second order, float32).
module Ops.OpSpec

open System
open FuncGrad

/// Where an argument's values are drawn from: away from kinks, poles and undefined regions.
type Domain =
    | Real                       // standard normal
    | Positive                   // uniform in [0.5, 2]
    | AwayFromZero               // |x| uniform in [0.3, 2], random sign
    | Bounded of float * float   // uniform in [lo, hi]

type Spec =
    { Name: string
      /// One domain per argument.
      Domains: Domain list
      /// Argument shapes to try; binary ops include broadcasting cases.
      Shapes: int[] list list
      F: Tensor list -> Tensor
      /// Whether the second-order checks apply (rules differentiable again).
      SecondOrder: bool }

let sample (rng: Random) (d: Domain) (shape: int[]) =
    let n = Array.fold (*) 1 shape
    let draw () =
        match d with
        | Real -> Tensor.RandomNormal([| 1 |], rng).Item()
        | Positive -> 0.5 + 1.5 * rng.NextDouble()
        | AwayFromZero -> (0.3 + 1.7 * rng.NextDouble()) * (if rng.Next 2 = 0 then -1.0 else 1.0)
        | Bounded (lo, hi) -> lo + (hi - lo) * rng.NextDouble()
    Tensor.FromArray(Array.init n (fun _ -> draw ()), shape)

let private unaryShapes = [ [ [||] ]; [ [| 5 |] ]; [ [| 3; 4 |] ] ]
let private binaryShapes =
    [ [ [| 3; 4 |]; [| 3; 4 |] ]
      [ [| 3; 1 |]; [| 1; 4 |] ]
      [ [| 2; 3 |]; [||] ]
      [ [| 4 |]; [| 3; 4 |] ] ]

let private unary name domain f = { Name = name; Domains = [ domain ]; Shapes = unaryShapes; F = (fun xs -> f (List.exactlyOne xs)); SecondOrder = true }
let private binary name da db (f: Tensor -> Tensor -> Tensor) =
    { Name = name; Domains = [ da; db ]; Shapes = binaryShapes; F = (function [ a; b ] -> f a b | _ -> failwith "two arguments"); SecondOrder = true }
let private on name domains shapes f = { Name = name; Domains = domains; Shapes = shapes; F = f; SecondOrder = true }
let private one f = fun (xs: Tensor list) -> f (List.exactlyOne xs)
let private two f = function [ a; b ] -> f a b | _ -> failwith "two arguments"

let specs : Spec list =
    [ // elementwise, one argument
      unary "neg" Real (fun x -> -x)
      unary "exp" Real (fun x -> x.Exp())
      unary "log" Positive (fun x -> x.Log())
      unary "log1p" Positive (fun x -> x.Log1p())
      unary "expm1" Real (fun x -> x.Expm1())
      unary "sqrt" Positive (fun x -> x.Sqrt())
      unary "square" Real (fun x -> x.Square())
      unary "reciprocal" AwayFromZero (fun x -> x.Reciprocal())
      unary "abs" AwayFromZero (fun x -> x.Abs())
      unary "sign" AwayFromZero (fun x -> x.Sign())
      unary "sin" Real (fun x -> x.Sin())
      unary "cos" Real (fun x -> x.Cos())
      unary "tan" (Bounded (-1.2, 1.2)) (fun x -> x.Tan())
      unary "tanh" Real (fun x -> x.Tanh())
      unary "sigmoid" Real (fun x -> x.Sigmoid())
      unary "softplus" Real (fun x -> x.Softplus())
      unary "relu" AwayFromZero (fun x -> x.Relu())
      unary "pow-scalar" Positive (fun x -> x.Pow 2.5)
      unary "pow-scalar-integer" Real (fun x -> x.Pow 3.0)
      unary "pow-scalar-zero" Real (fun x -> x.Pow 0.0)
      unary "mul-scalar" Real (fun x -> x * 2.5 + 0.5 * x)
      unary "add-scalar" Real (fun x -> (x + 0.3) * (0.2 + x) * (x - 0.7))
      // elementwise, two broadcasting arguments
      binary "add" Real Real (fun a b -> a + b)
      binary "sub" Real Real (fun a b -> a - b)
      binary "mul" Real Real (fun a b -> a * b)
      binary "div" Real AwayFromZero (fun a b -> a / b)
      binary "pow" Positive Real (fun a b -> a.Pow b)
      binary "maximum" Real Real (fun a b -> a.Maximum b)
      binary "minimum" Real Real (fun a b -> a.Minimum b)
      on "where" [ Real; Real ] [ [ [| 2; 3 |]; [| 2; 3 |] ]; [ [| 2; 3 |]; [| 3 |] ] ]
          (two (fun a b -> Tensor.Where(Tensor.FromArray([| 1.0; 0.0; 1.0; 0.0; 0.0; 1.0 |], [| 2; 3 |]), a, b)))
      // reductions
      on "sum" [ Real ] unaryShapes (one (fun x -> x.Sum()))
      on "sum-axis" [ Real ] [ [ [| 3; 4 |] ]; [ [| 2; 3; 2 |] ] ] (one (fun x -> x.Sum([| 0 |])))
      on "sum-axes-keepdims" [ Real ] [ [ [| 2; 3; 2 |] ] ] (one (fun x -> x.Sum([| 0; 2 |], keepDims = true)))
      on "mean" [ Real ] unaryShapes (one (fun x -> x.Mean()))
      on "mean-axis" [ Real ] [ [ [| 3; 4 |] ] ] (one (fun x -> x.Mean([| -1 |])))
      on "max" [ Real ] unaryShapes (one (fun x -> x.Max()))
      on "max-axis" [ Real ] [ [ [| 3; 4 |] ] ] (one (fun x -> x.Max([| 1 |], keepDims = true)))
      on "min" [ Real ] unaryShapes (one (fun x -> x.Min()))
      on "min-axis" [ Real ] [ [ [| 3; 4 |] ] ] (one (fun x -> x.Min([| 0 |])))
      on "logsumexp" [ Real ] unaryShapes (one (fun x -> x.LogSumExp()))
      on "logsumexp-axis" [ Real ] [ [ [| 3; 4 |] ] ] (one (fun x -> x.LogSumExp([| 1 |])))
      // shape
      on "reshape" [ Real ] [ [ [| 3; 4 |] ] ] (one (fun x -> x.Reshape([| 2; -1 |]) * x.Reshape([| 2; 6 |]).Sin()))
      on "permute" [ Real ] [ [ [| 2; 3; 4 |] ] ] (one (fun x -> x.Permute([| 2; 0; 1 |]).Square()))
      on "transpose" [ Real ] [ [ [| 3; 4 |] ]; [ [| 2; 3; 4 |] ] ] (one (fun x -> x.Transpose() * x.Transpose().Cos()))
      on "broadcastTo" [ Real ] [ [ [| 3; 1 |] ] ] (one (fun x -> x.BroadcastTo([| 2; 3; 4 |]).Sin()))
      on "sumTo" [ Real ] [ [ [| 2; 3; 4 |] ] ] (one (fun x -> x.Square().SumTo([| 3; 1 |])))
      on "squeeze" [ Real ] [ [ [| 3; 1; 2 |] ] ] (one (fun x -> x.Squeeze().Exp()))
      on "unsqueeze" [ Real ] [ [ [| 3; 2 |] ] ] (one (fun x -> x.Unsqueeze(1).Exp()))
      on "flatten" [ Real ] [ [ [| 3; 2 |] ] ] (one (fun x -> x.Flatten().Exp()))
      on "slice" [ Real ] [ [ [| 4; 5 |] ] ] (one (fun x -> x.Slice(Range(Index 1, Index 3), Range(Index 2, Index(1, true))).Square()))
      on "indexSelect" [ Real ] [ [ [| 4; 3 |] ] ] (one (fun x -> x.IndexSelect(0, [| 2; 0; 2; -1 |]).Sin()))
      on "concat" [ Real; Real ] [ [ [| 2; 3 |]; [| 1; 3 |] ] ] (two (fun a b -> Tensor.Concat([| a; b.Exp() |], 0) * 2.0))
      on "stack" [ Real; Real ] [ [ [| 3 |]; [| 3 |] ] ] (two (fun a b -> Tensor.Stack([| a.Sin(); b |], 1)))
      // linear algebra
      on "matmul" [ Real; Real ]
          [ [ [| 3; 4 |]; [| 4; 2 |] ]; [ [| 4 |]; [| 4; 2 |] ]; [ [| 3; 4 |]; [| 4 |] ]
            [ [| 2; 3; 4 |]; [| 4; 2 |] ]; [ [| 2; 1; 3; 4 |]; [| 3; 4; 2 |] ] ]
          (two (fun a b -> a.MatMul b))
      on "dot" [ Real; Real ] [ [ [| 5 |]; [| 5 |] ] ] (two (fun a b -> a.Dot b))
      on "outer" [ Real; Real ] [ [ [| 3 |]; [| 4 |] ] ] (two (fun a b -> a.Outer b))
      // neural-net
      on "softmax" [ Real ] [ [ [| 3; 4 |] ]; [ [| 5 |] ] ] (one (fun x -> x.Softmax()))
      on "logSoftmax" [ Real ] [ [ [| 3; 4 |] ] ] (one (fun x -> x.LogSoftmax(0)))
      on "crossEntropy" [ Real ] [ [ [| 3; 4 |] ] ] (one (fun x -> x.CrossEntropy([| 2; 0; 3 |])))
      on "mseLoss" [ Real; Real ] [ [ [| 3; 2 |]; [| 3; 2 |] ] ] (two (fun a b -> a.MseLoss b)) ]
