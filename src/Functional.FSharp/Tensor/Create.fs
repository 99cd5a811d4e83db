namespace FuncGrad

open System

/// <summary>
/// Making tensors: from .NET arrays and lists, filled, ranges, identity, seeded random samples; a <c>32</c> suffix
/// makes float32. The functions of the <c>Tensor</c> module that mirror the core's <c>Tensor.Create.cs</c>; <c>open
/// FuncGrad</c> opens this module, so they are called as <c>Tensor.name</c> beside the other families'.
/// </summary>
/// <remarks>
/// The Tensor module is one <c>[&lt;RequireQualifiedAccess&gt;] module Tensor</c> per family of ops (Create, Read,
/// Arithmetic, Compare, Convert, Indexing, Layout, LinearAlgebra, MinMax, Move, NeuralNet, Power, Reductions, Unary,
/// Detach), each inside an <c>[&lt;AutoOpen&gt;]</c> module of this namespace; F# looks a name up in all of them, so
/// after <c>open FuncGrad</c> every function is <c>Tensor.name</c>. (Without the open, write the family:
/// <c>FuncGrad.TensorUnary.Tensor.abs</c>.) Every function takes the tensor last, for pipelines. Operators (+ - * /
/// ** and unary -) and F#'s own sin, cos, tan, exp, log, sqrt, abs and tanh work on tensors directly; a float on
/// either side of an operator takes the tensor's dtype.
/// </remarks>
/// <example><code>Tensor.zeros [| 2 |] + Tensor.ofList [ 1.0; 2.0 ] // tensor([1., 2.], dtype=float64)</code></example>
[<AutoOpen>]
module TensorCreate =
    /// <summary>Making tensors: from .NET arrays and lists, filled, ranges, identity, seeded random samples; a
    /// <c>32</c> suffix makes float32.</summary>
    /// <example><code>
    /// Tensor.zeros [| 2 |] + Tensor.ofList [ 1.0; 2.0 ] // tensor([1., 2.], dtype=float64)
    /// </code></example>
    [<RequireQualifiedAccess; CompilationRepresentation(CompilationRepresentationFlags.ModuleSuffix)>]
    module Tensor =
        /// <summary>A float64 vector from an array (copied).</summary>
        /// <example><code>Tensor.ofArray [| 1.0; 2.0 |] // tensor([1., 2.], dtype=float64)</code></example>
        let ofArray (values: float[]) =
            Args.notNull "Tensor.ofArray" "values" values
            Tensor.FromArray values

        /// <summary>A float32 vector from an array (copied).</summary>
        /// <example><code>Tensor.ofArray32 [| 1.0f; 2.0f |] // tensor([1., 2.], dtype=float32)</code></example>
        let ofArray32 (values: float32[]) =
            Args.notNull "Tensor.ofArray32" "values" values
            Tensor.FromArray values

        /// <summary>A float64 matrix from a 2-D array.</summary>
        /// <example><code>
        /// Tensor.ofArray2D (array2D [ [ 1.0; 2.0 ]; [ 3.0; 4.0 ] ]) // tensor([[1., 2.], [3., 4.]], dtype=float64)
        /// </code></example>
        let ofArray2D (values: float[,]) =
            Args.notNull "Tensor.ofArray2D" "values" values
            Tensor.FromArray(values :> Array)

        /// <summary>
        /// A tensor from a rectangular .NET array of any rank of float, float32, int64, int or bool (<c>float[,,]</c>,
        /// <c>float32[,]</c>, <c>int64[,]</c>,
        /// ...): its shape is the array's lengths, its dtype the elements'.
        /// </summary>
        /// <example><code>
        /// Tensor.ofArrayND (Array3D.zeroCreate&lt;float32&gt; 2 3 4) |> Tensor.shape // [| 2; 3; 4 |]
        /// </code></example>
        let ofArrayND (values: Array) =
            Args.notNull "Tensor.ofArrayND" "values" values
            Tensor.FromArray values

        /// <summary>A float64 matrix from a jagged array whose rows all have one length.</summary>
        /// <example><code>
        /// Tensor.ofRows [| [| 1.0; 2.0 |]; [| 3.0; 4.0 |] |] // tensor([[1., 2.], [3., 4.]], dtype=float64)
        /// </code></example>
        let ofRows (rows: float[][]) =
            Args.notNull "Tensor.ofRows" "rows" rows
            Tensor.FromArray rows

        /// <summary>A float64 vector from a list.</summary>
        /// <example><code>Tensor.ofList [ 1.0; 2.0 ] // tensor([1., 2.], dtype=float64)</code></example>
        let ofList (values: float list) =
            Args.notNull "Tensor.ofList" "values" values
            Tensor.FromArray(Array.ofList values)

        /// <summary>A float64 tensor of the given shape from row-major values.</summary>
        /// <example><code>
        /// Tensor.ofShape [| 2; 2 |] [| 1.0; 2.0; 3.0; 4.0 |] // tensor([[1., 2.], [3., 4.]], dtype=float64)
        /// </code></example>
        let ofShape (shape: int[]) (values: float[]) =
            Args.notNull "Tensor.ofShape" "shape" shape
            Args.notNull "Tensor.ofShape" "values" values
            Tensor.FromArray(values, shape)

        /// <summary>A float32 tensor of the given shape from row-major values.</summary>
        /// <example><code>
        /// Tensor.ofShape32 [| 2; 2 |] [| 1.0f; 2.0f; 3.0f; 4.0f |] // tensor([[1., 2.], [3., 4.]], dtype=float32)
        /// </code></example>
        let ofShape32 (shape: int[]) (values: float32[]) =
            Args.notNull "Tensor.ofShape32" "shape" shape
            Args.notNull "Tensor.ofShape32" "values" values
            Tensor.FromArray(values, shape)

        /// <summary>An int64 vector from an array (copied): indices, labels, token ids.</summary>
        /// <example><code>Tensor.ofInt64Array [| 3L; 0L |] // tensor([3, 0], dtype=int64)</code></example>
        let ofInt64Array (values: int64[]) =
            Args.notNull "Tensor.ofInt64Array" "values" values
            Tensor.FromArray values

        /// <summary>An int32 vector from an array (copied).</summary>
        /// <example><code>Tensor.ofInt32Array [| 3; 0 |] // tensor([3, 0], dtype=int32)</code></example>
        let ofInt32Array (values: int[]) =
            Args.notNull "Tensor.ofInt32Array" "values" values
            Tensor.FromArray values

        /// <summary>A bool vector from an array (copied): a mask.</summary>
        /// <example><code>Tensor.ofBoolArray [| true; false |] // tensor([ True, False], dtype=bool)</code></example>
        let ofBoolArray (values: bool[]) =
            Args.notNull "Tensor.ofBoolArray" "values" values
            Tensor.FromArray values

        /// <summary>An int64 tensor of the given shape from row-major values.</summary>
        /// <example><code>
        /// Tensor.ofShapeInt64 [| 2; 1 |] [| 3L; 0L |] // tensor([[3], [0]], dtype=int64)
        /// </code></example>
        let ofShapeInt64 (shape: int[]) (values: int64[]) =
            Args.notNull "Tensor.ofShapeInt64" "shape" shape
            Args.notNull "Tensor.ofShapeInt64" "values" values
            Tensor.FromArray(values, shape)

        /// <summary>An int32 tensor of the given shape from row-major values.</summary>
        /// <example><code>Tensor.ofShapeInt32 [| 2; 1 |] [| 3; 0 |] // tensor([[3], [0]], dtype=int32)</code></example>
        let ofShapeInt32 (shape: int[]) (values: int[]) =
            Args.notNull "Tensor.ofShapeInt32" "shape" shape
            Args.notNull "Tensor.ofShapeInt32" "values" values
            Tensor.FromArray(values, shape)

        /// <summary>A bool tensor of the given shape from row-major values.</summary>
        /// <example><code>
        /// Tensor.ofShapeBool [| 1; 2 |] [| true; false |] // tensor([[ True, False]], dtype=bool)
        /// </code></example>
        let ofShapeBool (shape: int[]) (values: bool[]) =
            Args.notNull "Tensor.ofShapeBool" "shape" shape
            Args.notNull "Tensor.ofShapeBool" "values" values
            Tensor.FromArray(values, shape)

        /// <summary>A rank-0 float64 tensor (the same as the top-level <c>scalar</c>).</summary>
        /// <example><code>Tensor.scalar 2.0 // tensor(2., dtype=float64)</code></example>
        let scalar (value: float) = Tensor.Scalar value

        /// <summary>A rank-0 float32 tensor (the same as the top-level <c>scalar32</c>).</summary>
        /// <example><code>Tensor.scalar32 2.0f // tensor(2., dtype=float32)</code></example>
        let scalar32 (value: float32) =
            Tensor.Scalar(float value, DType.Float32)

        /// <summary>Zeros of a shape (float64).</summary>
        /// <example><code>Tensor.zeros [| 2 |] // tensor([0., 0.], dtype=float64)</code></example>
        let zeros (shape: int[]) =
            Args.notNull "Tensor.zeros" "shape" shape
            Tensor.Zeros shape

        /// <summary>Zeros of a shape (float32).</summary>
        /// <example><code>Tensor.zeros32 [| 2 |] // tensor([0., 0.], dtype=float32)</code></example>
        let zeros32 (shape: int[]) =
            Args.notNull "Tensor.zeros32" "shape" shape
            Tensor.Zeros(shape, DType.Float32)

        /// <summary>Ones of a shape (float64).</summary>
        /// <example><code>Tensor.ones [| 2 |] // tensor([1., 1.], dtype=float64)</code></example>
        let ones (shape: int[]) =
            Args.notNull "Tensor.ones" "shape" shape
            Tensor.Ones shape

        /// <summary>Ones of a shape (float32).</summary>
        /// <example><code>Tensor.ones32 [| 2 |] // tensor([1., 1.], dtype=float32)</code></example>
        let ones32 (shape: int[]) =
            Args.notNull "Tensor.ones32" "shape" shape
            Tensor.Ones(shape, DType.Float32)

        /// <summary>A shape filled with one value (float64).</summary>
        /// <example><code>Tensor.full [| 2 |] 7.0 // tensor([7., 7.], dtype=float64)</code></example>
        let full (shape: int[]) (value: float) =
            Args.notNull "Tensor.full" "shape" shape
            Tensor.Full(shape, value)

        /// <summary>A shape filled with one value (float32).</summary>
        /// <example><code>Tensor.full32 [| 2 |] 7.0f // tensor([7., 7.], dtype=float32)</code></example>
        let full32 (shape: int[]) (value: float32) =
            Args.notNull "Tensor.full32" "shape" shape
            Tensor.Full(shape, float value, DType.Float32)

        /// <summary>Zeros shaped like a tensor, in its dtype.</summary>
        /// <example><code>
        /// Tensor.zerosLike (Tensor.ofList [ 1.0; 2.0 ]) // tensor([0., 0.], dtype=float64)
        /// </code></example>
        let zerosLike (t: Tensor) =
            Args.notNull "Tensor.zerosLike" "t" t
            Tensor.ZerosLike t

        /// <summary>Ones shaped like a tensor, in its dtype.</summary>
        /// <example><code>
        /// Tensor.onesLike (Tensor.ofList [ 1.0; 2.0 ]) // tensor([1., 1.], dtype=float64)
        /// </code></example>
        let onesLike (t: Tensor) =
            Args.notNull "Tensor.onesLike" "t" t
            Tensor.OnesLike t

        /// <summary>0, 1, ..., n − 1.</summary>
        /// <example><code>Tensor.arange 3 // tensor([0., 1., 2.], dtype=float64)</code></example>
        let arange (n: int) = Tensor.Arange(0.0, float n)

        /// <summary>0, 1, ..., n − 1 (float32).</summary>
        /// <example><code>Tensor.arange32 3 // tensor([0., 1., 2.], dtype=float32)</code></example>
        let arange32 (n: int) =
            Tensor.Arange(0.0, float n, dtype = DType.Float32)

        /// <summary>
        /// Values from start up to, not including, stop, step apart (PyTorch's <c>arange(start, end, step)</c>); a
        /// negative step counts down.
        /// </summary>
        /// <example><code>
        /// Tensor.arangeStep 1.0 2.0 0.25 // tensor([1.0000, 1.2500, 1.5000, 1.7500], dtype=float64)
        /// </code></example>
        let arangeStep (start: float) (stop: float) (step: float) = Tensor.Arange(start, stop, step)

        /// <summary>Values from start up to, not including, stop, step apart (float32).</summary>
        /// <example><code>Tensor.arangeStep32 3.0f 0.0f -1.0f // tensor([3., 2., 1.], dtype=float32)</code></example>
        let arangeStep32 (start: float32) (stop: float32) (step: float32) =
            Tensor.Arange(float start, float stop, float step, DType.Float32)

        /// <summary>n evenly spaced values from start to stop inclusive.</summary>
        /// <example><code>Tensor.linspace 0.0 1.0 3 // tensor([0.0000, 0.5000, 1.0000], dtype=float64)</code></example>
        let linspace (start: float) (stop: float) (n: int) = Tensor.Linspace(start, stop, n)

        /// <summary>n evenly spaced values from start to stop inclusive (float32).</summary>
        /// <example><code>
        /// Tensor.linspace32 0.0f 1.0f 3 // tensor([0.0000, 0.5000, 1.0000], dtype=float32)
        /// </code></example>
        let linspace32 (start: float32) (stop: float32) (n: int) =
            Tensor.Linspace(float start, float stop, n, DType.Float32)

        /// <summary>The n×n identity.</summary>
        /// <example><code>Tensor.eye 2 // tensor([[1., 0.], [0., 1.]], dtype=float64)</code></example>
        let eye (n: int) = Tensor.Eye n

        /// <summary>The n×n identity (float32).</summary>
        /// <example><code>Tensor.eye32 2 // tensor([[1., 0.], [0., 1.]], dtype=float32)</code></example>
        let eye32 (n: int) = Tensor.Eye(n, DType.Float32)

        /// <summary>Standard normal samples from a seeded generator.</summary>
        /// <example><code>Tensor.randn 42 [| 3 |] = Tensor.randn 42 [| 3 |] // true</code></example>
        let randn (seed: int) (shape: int[]) =
            Args.notNull "Tensor.randn" "shape" shape
            Tensor.RandomNormal(shape, seed)

        /// <summary>
        /// Standard normal samples from a seeded generator (float32: <c>randn</c>'s values, rounded).
        /// </summary>
        /// <example><code>
        /// Tensor.randn32 42 [| 3 |] = Tensor.toFloat32 (Tensor.randn 42 [| 3 |]) // true
        /// </code></example>
        let randn32 (seed: int) (shape: int[]) =
            Args.notNull "Tensor.randn32" "shape" shape
            Tensor.RandomNormal(shape, seed, DType.Float32)

        /// <summary>Uniform samples in [0, 1) from a seeded generator.</summary>
        /// <example><code>Tensor.rand 1 [| 2; 2 |] |> Tensor.shape // [| 2; 2 |]</code></example>
        let rand (seed: int) (shape: int[]) =
            Args.notNull "Tensor.rand" "shape" shape
            Tensor.RandomUniform(shape, seed)

        /// <summary>Uniform samples in [0, 1) from a seeded generator (float32).</summary>
        /// <example><code>Tensor.rand32 1 [| 2; 2 |] |> Tensor.dtype // DType.Float32</code></example>
        let rand32 (seed: int) (shape: int[]) =
            Args.notNull "Tensor.rand32" "shape" shape
            Tensor.RandomUniform(shape, seed, dtype = DType.Float32)

        /// <summary>Uniform samples in [low, high) from a seeded generator.</summary>
        /// <example><code>
        /// Tensor.uniform 1 -1.0 1.0 [| 1000 |] |> Tensor.max |> Tensor.item &lt; 1.0 // true
        /// </code></example>
        let uniform (seed: int) (low: float) (high: float) (shape: int[]) =
            Args.notNull "Tensor.uniform" "shape" shape
            Tensor.RandomUniform(shape, seed, low, high)

        /// <summary>
        /// Uniform samples in [low, high) from a seeded generator (float32, every value inside the interval).
        /// </summary>
        /// <example><code>Tensor.uniform32 1 -1.0f 1.0f [| 2 |] |> Tensor.dtype // DType.Float32</code></example>
        let uniform32 (seed: int) (low: float32) (high: float32) (shape: int[]) =
            Args.notNull "Tensor.uniform32" "shape" shape
            Tensor.RandomUniform(shape, seed, float low, float high, DType.Float32)

        /// <summary>
        /// Standard normal samples drawn from a generator, which moves on: consecutive calls on one generator give
        /// different tensors, and the same sequence of calls on the same seed gives the same tensors.
        /// </summary>
        /// <example><code>
        /// let rng = Random 42
        /// let w1 = Tensor.randnFrom rng [| 2 |] // the values of Tensor.randn 42 [| 2 |]
        /// let w2 = Tensor.randnFrom rng [| 2 |] // the next draws: other values
        /// </code></example>
        let randnFrom (rng: Random) (shape: int[]) =
            Args.notNull "Tensor.randnFrom" "rng" rng
            Args.notNull "Tensor.randnFrom" "shape" shape
            Tensor.RandomNormal(shape, rng)

        /// <summary>Standard normal samples drawn from a generator, which moves on (float32).</summary>
        /// <example><code>Tensor.randnFrom32 (Random 42) [| 2 |] |> Tensor.dtype // DType.Float32</code></example>
        let randnFrom32 (rng: Random) (shape: int[]) =
            Args.notNull "Tensor.randnFrom32" "rng" rng
            Args.notNull "Tensor.randnFrom32" "shape" shape
            Tensor.RandomNormal(shape, rng, DType.Float32)

        /// <summary>Uniform samples in [low, high) drawn from a generator, which moves on.</summary>
        /// <example><code>
        /// Tensor.uniformFrom (Random 1) 2.0 3.0 [| 100 |] |> Tensor.min |> Tensor.item &gt;= 2.0 // true
        /// </code></example>
        let uniformFrom (rng: Random) (low: float) (high: float) (shape: int[]) =
            Args.notNull "Tensor.uniformFrom" "rng" rng
            Args.notNull "Tensor.uniformFrom" "shape" shape
            Tensor.RandomUniform(shape, rng, low, high)

        /// <summary>Uniform samples in [low, high) drawn from a generator, which moves on (float32).</summary>
        /// <example><code>
        /// Tensor.uniformFrom32 (Random 1) 2.0f 3.0f [| 2 |] |> Tensor.dtype // DType.Float32
        /// </code></example>
        let uniformFrom32 (rng: Random) (low: float32) (high: float32) (shape: int[]) =
            Args.notNull "Tensor.uniformFrom32" "rng" rng
            Args.notNull "Tensor.uniformFrom32" "shape" shape
            Tensor.RandomUniform(shape, rng, float low, float high, DType.Float32)
