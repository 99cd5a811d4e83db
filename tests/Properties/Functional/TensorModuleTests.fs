/// The F# Tensor module's functions call the C# members they mirror, with the arguments in their places: each
/// function's result against the member's, bit for bit, on values where a swapped argument or a wrong member shows
/// (a < b differs from a <= b and from b < a on them). PublicApi/SurfaceTests.fs checks that every member has its
/// function; this checks that each function is the right one.
module Functional.TensorModuleTests

open System
open Expecto
open FuncGrad
open Support.Check

let private a = Tensor.ofShape [| 2; 3 |] [| 1.0; -2.0; 3.0; 0.5; 2.0; -1.0 |]
let private b = Tensor.ofShape [| 2; 3 |] [| 1.0; 2.0; -3.0; 4.0; 2.0; 5.0 |]
let private positive = Tensor.ofShape [| 2; 3 |] [| 1.5; 2.0; 3.0; 0.5; 4.0; 0.25 |]
let private cube = Tensor.randn 3 [| 2; 3; 4 |]

/// (what, the F# function's result, the C# member's result)
let private cases: (string * Tensor * Tensor) list =
    [
        "add", Tensor.add a b, a.Add b
        "sub", Tensor.sub a b, a.Sub b
        "sub piped: b |> sub a is a − b", b |> Tensor.sub a, a - b
        "mul", Tensor.mul a b, a.Mul b
        "div", Tensor.div a b, a.Div b
        "div piped: b |> div a is a / b", b |> Tensor.div a, a / b
        "neg", Tensor.neg a, -a
        "eq", Tensor.eq a b, a.Eq b
        "ne", Tensor.ne a b, a.Ne b
        "lt", Tensor.lt a b, a.Lt b
        "le", Tensor.le a b, a.Le b
        "gt", Tensor.gt a b, a.Gt b
        "ge", Tensor.ge a b, a.Ge b
        "toDType", Tensor.toDType DType.Float32 a, a.ToDType DType.Float32
        "sliceAxis", Tensor.sliceAxis 1 1 -1 a, a.Slice(1, 1, -1)
        "stackAxis", Tensor.stackAxis 1 [ a; b ], Tensor.Stack([| a; b |], 1)
        "transposeAxes", Tensor.transposeAxes 0 2 cube, cube.Transpose(0, 2)
        "sumTo", Tensor.sumTo [| 1; 3 |] a, a.SumTo [| 1; 3 |]
        "squeezeAxis", Tensor.squeezeAxis 1 (a.Reshape [| 2; 1; 3 |]), (a.Reshape [| 2; 1; 3 |]).Squeeze(Nullable 1)
        "vdot", Tensor.vdot a b, a.Vdot b
        "powOf", Tensor.powOf b positive, positive.Pow b
        "meanAxes", Tensor.meanAxes [| 0; 2 |] true cube, cube.Mean([| 0; 2 |], true)
        "maxAxes", Tensor.maxAxes [| 1 |] true cube, cube.Max([| 1 |], true)
        "minAxes", Tensor.minAxes [| -1 |] false cube, cube.Min([| -1 |], false)
        "logsumexpAxes", Tensor.logsumexpAxes [| 0; 1 |] true cube, cube.LogSumExp([| 0; 1 |], true)
        "exp", Tensor.exp a, a.Exp()
        "log", Tensor.log positive, positive.Log()
        "sqrt", Tensor.sqrt positive, positive.Sqrt()
        "abs", Tensor.abs a, a.Abs()
        "sin", Tensor.sin a, a.Sin()
        "cos", Tensor.cos a, a.Cos()
        "tan", Tensor.tan a, a.Tan()
        "tanh", Tensor.tanh a, a.Tanh()
        "scalar", Tensor.scalar 2.5, Tensor.Scalar 2.5
        "scalar32", Tensor.scalar32 2.5f, Tensor.Scalar(2.5, DType.Float32)
        "ofShape32", Tensor.ofShape32 [| 2; 1 |] [| 1.0f; 2.0f |], Tensor.FromArray([| 1.0f; 2.0f |], [| 2; 1 |])
        "ofArrayND",
        Tensor.ofArrayND (Array3D.init 2 3 4 (fun i j k -> float (100 * i + 10 * j + k))),
        Tensor.Arange(0.0, 4.0).Reshape([| 1; 1; 4 |])
        + Tensor.Arange(0.0, 30.0, 10.0).Reshape([| 1; 3; 1 |])
        + Tensor.Arange(0.0, 200.0, 100.0).Reshape([| 2; 1; 1 |])
        "ofRows",
        Tensor.ofRows [| [| 1.0; 2.0 |]; [| 3.0; 4.0 |] |],
        Tensor.FromArray([| 1.0; 2.0; 3.0; 4.0 |], [| 2; 2 |])
        "zeros32", Tensor.zeros32 [| 2; 3 |], Tensor.Zeros([| 2; 3 |], DType.Float32)
        "ones32", Tensor.ones32 [| 2; 3 |], Tensor.Ones([| 2; 3 |], DType.Float32)
        "full32", Tensor.full32 [| 2 |] 0.1f, Tensor.Full([| 2 |], float 0.1f, DType.Float32)
        "arange32", Tensor.arange32 5, Tensor.Arange(0.0, 5.0, dtype = DType.Float32)
        "arangeStep", Tensor.arangeStep 1.0 1.3 0.1, Tensor.Arange(1.0, 1.3, 0.1)
        "arangeStep32", Tensor.arangeStep32 3.0f 0.0f -0.5f, Tensor.Arange(3.0, 0.0, -0.5, DType.Float32)
        "linspace32", Tensor.linspace32 0.0f 1.0f 7, Tensor.Linspace(0.0, 1.0, 7, DType.Float32)
        "eye32", Tensor.eye32 3, Tensor.Eye(3, DType.Float32)
        "randn32", Tensor.randn32 9 [| 5 |], Tensor.RandomNormal([| 5 |], 9, DType.Float32)
        "rand32", Tensor.rand32 9 [| 5 |], Tensor.RandomUniform([| 5 |], 9, dtype = DType.Float32)
        "uniform", Tensor.uniform 9 -2.0 3.0 [| 5 |], Tensor.RandomUniform([| 5 |], 9, -2.0, 3.0)
        "uniform32", Tensor.uniform32 9 -2.0f 3.0f [| 5 |], Tensor.RandomUniform([| 5 |], 9, -2.0, 3.0, DType.Float32)
        "randnFrom", Tensor.randnFrom (Random 9) [| 5 |], Tensor.RandomNormal([| 5 |], Random 9)
        "randnFrom32", Tensor.randnFrom32 (Random 9) [| 5 |], Tensor.RandomNormal([| 5 |], Random 9, DType.Float32)
        "uniformFrom", Tensor.uniformFrom (Random 9) 1.0 2.0 [| 5 |], Tensor.RandomUniform([| 5 |], Random 9, 1.0, 2.0)
        "uniformFrom32",
        Tensor.uniformFrom32 (Random 9) 1.0f 2.0f [| 5 |],
        Tensor.RandomUniform([| 5 |], Random 9, 1.0, 2.0, DType.Float32)
    ]

[<Tests>]
let tests =
    testList
        "Tensor module"
        [
            test "each function gives its C# member's result, bit for bit" {
                for what, fsharp, csharp in cases do
                    bitwise what csharp fsharp
            }

            test "a generator moves on: two draws differ, and the first is the seeded one" {
                let rng = Random 42
                let first, second = Tensor.randnFrom rng [| 4 |], Tensor.randnFrom rng [| 4 |]
                bitwise "the first draw" (Tensor.randn 42 [| 4 |]) first
                Expect.notEqual (Tensor.toArray second) (Tensor.toArray first) "the second draw differs"
            }

            test "reading: ndim, numel, allCloseWith against the members" {
                for t in [ Tensor.scalar 1.0; a; cube; Tensor.zeros [| 2; 0 |] ] do
                    Expect.equal (Tensor.ndim t) t.Rank "ndim"
                    Expect.equal (Tensor.numel t) t.Count "numel"

                let nan = Tensor.ofList [ 1.0; Double.NaN ]
                Expect.isTrue (Tensor.allCloseWith 1e-9 0.0 true nan nan) "NaN = NaN with equalNaN"
                Expect.isFalse (Tensor.allCloseWith 1e-9 0.0 false nan nan) "NaN ≠ NaN without"
                Expect.isFalse (Tensor.allClose 1e-9 0.0 nan nan) "allClose keeps NumPy's default"
                Expect.isTrue (Tensor.allCloseWith 0.1 0.0 false (a * 1.05) a) "rtol is the first number"
                Expect.isFalse (Tensor.allCloseWith 0.0 0.1 false (a * 1.5) a) "atol is the second"
            }
        ]
