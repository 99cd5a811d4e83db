namespace FuncGrad

open System

/// <summary>
/// F# functions over tensors, pipe-friendly: the tensor comes last.
/// Operators (+ - * / ** and unary -) and F#'s own sin, cos, tan, exp, log, sqrt, abs and tanh work on
/// tensors directly; a float on either side of an operator takes the tensor's dtype.
/// float32 tensors come from <c>Tensor.ofArray32</c> or <c>Tensor.toFloat32</c>.
/// </summary>
/// <example><code>
/// Tensor.ofList [ 1.0; 2.0; 3.0 ] * 2.0 + 1.0 |> Tensor.sum // tensor(15., dtype=float64)
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

    /// <summary>The values, flattened row-major, as float64.</summary>
    /// <example><code>Tensor.toArray (Tensor.ofList [ 1.0; 2.0 ]) // [| 1.0; 2.0 |]</code></example>
    let toArray (t: Tensor) =
        Args.notNull "Tensor.toArray" "t" t
        t.ToArray()

    /// <summary>The values, flattened row-major, as float32.</summary>
    /// <example><code>Tensor.toArray32 (Tensor.ofList [ 1.0 ]) // [| 1.0f |]</code></example>
    let toArray32 (t: Tensor) =
        Args.notNull "Tensor.toArray32" "t" t
        t.ToFloatArray()

    /// <summary>The dimensions, outermost first; empty for a scalar.</summary>
    /// <example><code>Tensor.shape (Tensor.zeros [| 2; 3 |]) // [| 2; 3 |]</code></example>
    let shape (t: Tensor) =
        Args.notNull "Tensor.shape" "t" t
        Seq.toArray t.Shape

    /// <summary>The single value of a one-element tensor.</summary>
    /// <example><code>Tensor.item (Tensor.ofList [ 4.0 ]) // 4.0</code></example>
    let item (t: Tensor) =
        Args.notNull "Tensor.item" "t" t
        t.Item()

    /// <summary>The dtype.</summary>
    /// <example><code>Tensor.dtype (Tensor.ofArray32 [| 1.0f |]) // DType.Float32</code></example>
    let dtype (t: Tensor) =
        Args.notNull "Tensor.dtype" "t" t
        t.DType

    /// <summary>Zeros of a shape (float64).</summary>
    /// <example><code>Tensor.zeros [| 2 |] // tensor([0., 0.], dtype=float64)</code></example>
    let zeros (shape: int[]) =
        Args.notNull "Tensor.zeros" "shape" shape
        Tensor.Zeros shape

    /// <summary>Ones of a shape (float64).</summary>
    /// <example><code>Tensor.ones [| 2 |] // tensor([1., 1.], dtype=float64)</code></example>
    let ones (shape: int[]) =
        Args.notNull "Tensor.ones" "shape" shape
        Tensor.Ones shape

    /// <summary>A shape filled with one value (float64).</summary>
    /// <example><code>Tensor.full [| 2 |] 7.0 // tensor([7., 7.], dtype=float64)</code></example>
    let full (shape: int[]) (value: float) =
        Args.notNull "Tensor.full" "shape" shape
        Tensor.Full(shape, value)

    /// <summary>Zeros shaped like a tensor, in its dtype.</summary>
    /// <example><code>Tensor.zerosLike (Tensor.ofList [ 1.0; 2.0 ]) // tensor([0., 0.], dtype=float64)</code></example>
    let zerosLike (t: Tensor) =
        Args.notNull "Tensor.zerosLike" "t" t
        Tensor.ZerosLike t

    /// <summary>Ones shaped like a tensor, in its dtype.</summary>
    /// <example><code>Tensor.onesLike (Tensor.ofList [ 1.0; 2.0 ]) // tensor([1., 1.], dtype=float64)</code></example>
    let onesLike (t: Tensor) =
        Args.notNull "Tensor.onesLike" "t" t
        Tensor.OnesLike t

    /// <summary>0, 1, ..., n − 1.</summary>
    /// <example><code>Tensor.arange 3 // tensor([0., 1., 2.], dtype=float64)</code></example>
    let arange (n: int) = Tensor.Arange(0.0, float n)

    /// <summary>n evenly spaced values from start to stop inclusive.</summary>
    /// <example><code>Tensor.linspace 0.0 1.0 3 // tensor([0.0000, 0.5000, 1.0000], dtype=float64)</code></example>
    let linspace (start: float) (stop: float) (n: int) = Tensor.Linspace(start, stop, n)

    /// <summary>The n×n identity.</summary>
    /// <example><code>Tensor.eye 2 // tensor([[1., 0.], [0., 1.]], dtype=float64)</code></example>
    let eye (n: int) = Tensor.Eye n

    /// <summary>Standard normal samples from a seeded generator.</summary>
    /// <example><code>Tensor.randn 42 [| 3 |] = Tensor.randn 42 [| 3 |] // true</code></example>
    let randn (seed: int) (shape: int[]) =
        Args.notNull "Tensor.randn" "shape" shape
        Tensor.RandomNormal(shape, seed)

    /// <summary>Uniform samples in [0, 1) from a seeded generator.</summary>
    /// <example><code>Tensor.rand 1 [| 2; 2 |] |> Tensor.shape // [| 2; 2 |]</code></example>
    let rand (seed: int) (shape: int[]) =
        Args.notNull "Tensor.rand" "shape" shape
        Tensor.RandomUniform(shape, seed)

    /// <summary>The values in float32.</summary>
    /// <example><code>Tensor.toFloat32 (Tensor.ofList [ 1.5 ]) // tensor([1.5000], dtype=float32)</code></example>
    let toFloat32 (t: Tensor) =
        Args.notNull "Tensor.toFloat32" "t" t
        t.ToDType DType.Float32

    /// <summary>
    /// The tensor's values on device <c>d</c>: the tensor itself when it is there already, else a copy (a move inside
    /// a differentiated function carries gradients back).
    /// </summary>
    /// <example><code>
    /// Tensor.ofList [ 1.0 ] |> Tensor.toDevice Device.TorchCpu |> Tensor.device // torch:cpu
    /// </code></example>
    let toDevice (d: Device) (t: Tensor) =
        Args.notNull "Tensor.toDevice" "t" t
        t.To d

    /// <summary>Where the tensor's values live.</summary>
    /// <example><code>Tensor.device (Tensor.ofList [ 1.0 ]) // managed</code></example>
    let device (t: Tensor) =
        Args.notNull "Tensor.device" "t" t
        t.Device

    /// <summary>The values in float64.</summary>
    /// <example><code>
    /// Tensor.toFloat64 (Tensor.ofArray32 [| 1.5f |]) // tensor([1.5000], dtype=float64)
    /// </code></example>
    let toFloat64 (t: Tensor) =
        Args.notNull "Tensor.toFloat64" "t" t
        t.ToDType DType.Float64

    /// <summary>Sum of all elements.</summary>
    /// <example><code>Tensor.sum (Tensor.ofList [ 1.0; 2.0 ]) // tensor(3., dtype=float64)</code></example>
    let sum (t: Tensor) =
        Args.notNull "Tensor.sum" "t" t
        t.Sum()

    /// <summary>Sum along one axis (removed from the shape).</summary>
    /// <example><code>
    /// Tensor.ofArray2D (array2D [ [ 1.0; 2.0 ]; [ 3.0; 4.0 ] ]) |> Tensor.sumAxis 0 // tensor([4., 6.], dtype=float64)
    /// </code></example>
    let sumAxis (axis: int) (t: Tensor) =
        Args.notNull "Tensor.sumAxis" "t" t
        t.Sum([| axis |])

    /// <summary>Sum along axes, keeping them as size 1 when keepDims.</summary>
    /// <example><code>
    /// Tensor.ones [| 2; 3 |] |> Tensor.sumAxes [| 1 |] true |> Tensor.shape // [| 2; 1 |]
    /// </code></example>
    let sumAxes (axes: int[]) (keepDims: bool) (t: Tensor) =
        Args.notNull "Tensor.sumAxes" "axes" axes
        Args.notNull "Tensor.sumAxes" "t" t
        t.Sum(axes, keepDims)

    /// <summary>Mean of all elements.</summary>
    /// <example><code>Tensor.mean (Tensor.ofList [ 1.0; 3.0 ]) // tensor(2., dtype=float64)</code></example>
    let mean (t: Tensor) =
        Args.notNull "Tensor.mean" "t" t
        t.Mean()

    /// <summary>Mean along one axis.</summary>
    /// <example><code>Tensor.ones [| 2; 3 |] |> Tensor.meanAxis 1 // tensor([1., 1.], dtype=float64)</code></example>
    let meanAxis (axis: int) (t: Tensor) =
        Args.notNull "Tensor.meanAxis" "t" t
        t.Mean([| axis |])

    /// <summary>Maximum of all elements; ties share the gradient.</summary>
    /// <example><code>Tensor.max (Tensor.ofList [ 1.0; 3.0 ]) // tensor(3., dtype=float64)</code></example>
    let max (t: Tensor) =
        Args.notNull "Tensor.max" "t" t
        t.Max()

    /// <summary>Maximum along one axis.</summary>
    /// <example><code>
    /// Tensor.ofArray2D (array2D [ [ 1.0; 5.0 ]; [ 3.0; 4.0 ] ]) |> Tensor.maxAxis 1 // tensor([5., 4.], dtype=float64)
    /// </code></example>
    let maxAxis (axis: int) (t: Tensor) =
        Args.notNull "Tensor.maxAxis" "t" t
        t.Max([| axis |])

    /// <summary>Minimum of all elements; ties share the gradient.</summary>
    /// <example><code>Tensor.min (Tensor.ofList [ 1.0; 3.0 ]) // tensor(1., dtype=float64)</code></example>
    let min (t: Tensor) =
        Args.notNull "Tensor.min" "t" t
        t.Min()

    /// <summary>Minimum along one axis.</summary>
    /// <example><code>
    /// Tensor.ofArray2D (array2D [ [ 1.0; 5.0 ]; [ 3.0; 4.0 ] ]) |> Tensor.minAxis 1 // tensor([1., 3.], dtype=float64)
    /// </code></example>
    let minAxis (axis: int) (t: Tensor) =
        Args.notNull "Tensor.minAxis" "t" t
        t.Min([| axis |])

    /// <summary>log Σ exp over all elements, without overflow.</summary>
    /// <example><code>Tensor.logsumexp (Tensor.ofList [ 0.0; 0.0 ]) // tensor(0.6931, dtype=float64)</code></example>
    let logsumexp (t: Tensor) =
        Args.notNull "Tensor.logsumexp" "t" t
        t.LogSumExp()

    /// <summary>log Σ exp along one axis.</summary>
    /// <example><code>
    /// Tensor.zeros [| 2; 2 |] |> Tensor.logsumexpAxis 1 // tensor([0.6931, 0.6931], dtype=float64)
    /// </code></example>
    let logsumexpAxis (axis: int) (t: Tensor) =
        Args.notNull "Tensor.logsumexpAxis" "t" t
        t.LogSumExp([| axis |])

    /// <summary>
    /// The matrix product a·b (NumPy rules for vectors and batches). Piped: <c>b |> Tensor.matmul a</c> is a·b.
    /// </summary>
    /// <example><code>
    /// Tensor.matmul (Tensor.eye 2) (Tensor.ofList [ 3.0; 4.0 ]) // tensor([3., 4.], dtype=float64)
    /// </code></example>
    let matmul (a: Tensor) (b: Tensor) =
        Args.notNull "Tensor.matmul" "a" a
        Args.notNull "Tensor.matmul" "b" b
        a.MatMul b

    /// <summary>The inner product of two vectors.</summary>
    /// <example><code>
    /// Tensor.dot (Tensor.ofList [ 1.0; 2.0 ]) (Tensor.ofList [ 3.0; 4.0 ]) // tensor(11., dtype=float64)
    /// </code></example>
    let dot (a: Tensor) (b: Tensor) =
        Args.notNull "Tensor.dot" "a" a
        Args.notNull "Tensor.dot" "b" b
        a.Dot b

    /// <summary>The outer product of two vectors.</summary>
    /// <example><code>
    /// Tensor.outer (Tensor.ofList [ 1.0; 2.0 ]) (Tensor.ofList [ 3.0 ]) |> Tensor.shape // [| 2; 1 |]
    /// </code></example>
    let outer (a: Tensor) (b: Tensor) =
        Args.notNull "Tensor.outer" "a" a
        Args.notNull "Tensor.outer" "b" b
        a.Outer b

    /// <summary>The logistic function.</summary>
    /// <example><code>Tensor.sigmoid (scalar 0.0) // tensor(0.5000, dtype=float64)</code></example>
    let sigmoid (t: Tensor) =
        Args.notNull "Tensor.sigmoid" "t" t
        t.Sigmoid()

    /// <summary>max(x, 0); its derivative at 0 is 0.</summary>
    /// <example><code>Tensor.relu (Tensor.ofList [ -1.0; 2.0 ]) // tensor([0., 2.], dtype=float64)</code></example>
    let relu (t: Tensor) =
        Args.notNull "Tensor.relu" "t" t
        t.Relu()

    /// <summary>log(1 + eˣ) without overflow.</summary>
    /// <example><code>Tensor.softplus (scalar 0.0) // tensor(0.6931, dtype=float64)</code></example>
    let softplus (t: Tensor) =
        Args.notNull "Tensor.softplus" "t" t
        t.Softplus()

    /// <summary>x².</summary>
    /// <example><code>Tensor.square (scalar 3.0) // tensor(9., dtype=float64)</code></example>
    let square (t: Tensor) =
        Args.notNull "Tensor.square" "t" t
        t.Square()

    /// <summary>1/x.</summary>
    /// <example><code>Tensor.reciprocal (scalar 4.0) // tensor(0.2500, dtype=float64)</code></example>
    let reciprocal (t: Tensor) =
        Args.notNull "Tensor.reciprocal" "t" t
        t.Reciprocal()

    /// <summary>log(1 + x), accurate for small x.</summary>
    /// <example><code>Tensor.log1p (scalar 0.0) // tensor(0., dtype=float64)</code></example>
    let log1p (t: Tensor) =
        Args.notNull "Tensor.log1p" "t" t
        t.Log1p()

    /// <summary>eˣ − 1, accurate for small x.</summary>
    /// <example><code>Tensor.expm1 (scalar 0.0) // tensor(0., dtype=float64)</code></example>
    let expm1 (t: Tensor) =
        Args.notNull "Tensor.expm1" "t" t
        t.Expm1()

    /// <summary>−1, 0 or 1 by sign; zero gradient.</summary>
    /// <example><code>Tensor.sign (Tensor.ofList [ -2.0; 3.0 ]) // tensor([-1., 1.], dtype=float64)</code></example>
    let sign (t: Tensor) =
        Args.notNull "Tensor.sign" "t" t
        t.Sign()

    /// <summary>x^p for a number p.</summary>
    /// <example><code>Tensor.pow 2.0 (scalar 3.0) // tensor(9., dtype=float64)</code></example>
    let pow (p: float) (t: Tensor) =
        Args.notNull "Tensor.pow" "t" t
        t.Pow p

    /// <summary>The larger of a and b elementwise; ties split the gradient.</summary>
    /// <example><code>Tensor.maximum (scalar 1.0) (scalar 2.0) // tensor(2., dtype=float64)</code></example>
    let maximum (a: Tensor) (b: Tensor) =
        Args.notNull "Tensor.maximum" "a" a
        Args.notNull "Tensor.maximum" "b" b
        a.Maximum b

    /// <summary>The smaller of a and b elementwise; ties split the gradient.</summary>
    /// <example><code>Tensor.minimum (scalar 1.0) (scalar 2.0) // tensor(1., dtype=float64)</code></example>
    let minimum (a: Tensor) (b: Tensor) =
        Args.notNull "Tensor.minimum" "a" a
        Args.notNull "Tensor.minimum" "b" b
        a.Minimum b

    /// <summary>softmax along the last axis.</summary>
    /// <example><code>
    /// Tensor.softmax (Tensor.ofList [ 0.0; 0.0 ]) // tensor([0.5000, 0.5000], dtype=float64)
    /// </code></example>
    let softmax (t: Tensor) =
        Args.notNull "Tensor.softmax" "t" t
        t.Softmax()

    /// <summary>softmax along an axis.</summary>
    /// <example><code>
    /// Tensor.zeros [| 2; 2 |] |> Tensor.softmaxAxis 0 // tensor([[0.5000, 0.5000], [0.5000, 0.5000]], dtype=float64)
    /// </code></example>
    let softmaxAxis (axis: int) (t: Tensor) =
        Args.notNull "Tensor.softmaxAxis" "t" t
        t.Softmax axis

    /// <summary>log softmax along the last axis.</summary>
    /// <example><code>
    /// Tensor.logSoftmax (Tensor.ofList [ 0.0; 0.0 ]) // tensor([-0.6931, -0.6931], dtype=float64)
    /// </code></example>
    let logSoftmax (t: Tensor) =
        Args.notNull "Tensor.logSoftmax" "t" t
        t.LogSoftmax()

    /// <summary>log softmax along an axis.</summary>
    /// <example><code>Tensor.zeros [| 2; 2 |] |> Tensor.logSoftmaxAxis 0 |> Tensor.shape // [| 2; 2 |]</code></example>
    let logSoftmaxAxis (axis: int) (t: Tensor) =
        Args.notNull "Tensor.logSoftmaxAxis" "t" t
        t.LogSoftmax axis

    /// <summary>Mean cross-entropy of logits [N, C] against integer labels.</summary>
    /// <example><code>
    /// Tensor.zeros [| 1; 2 |] |> Tensor.crossEntropy [| 0 |] // tensor(0.6931, dtype=float64)
    /// </code></example>
    let crossEntropy (labels: int[]) (logits: Tensor) =
        Args.notNull "Tensor.crossEntropy" "labels" labels
        Args.notNull "Tensor.crossEntropy" "logits" logits
        logits.CrossEntropy labels

    /// <summary>Mean cross-entropy of logits [N, C] against labels held in a tensor [N] of whole numbers in [0, C): the
    /// form vmap can map along with the examples.</summary>
    /// <example><code>
    /// Tensor.zeros [| 1; 2 |] |> Tensor.crossEntropyOf (Tensor.ofList [ 0.0 ]) // tensor(0.6931, dtype=float64)
    /// </code></example>
    let crossEntropyOf (labels: Tensor) (logits: Tensor) =
        Args.notNull "Tensor.crossEntropyOf" "labels" labels
        Args.notNull "Tensor.crossEntropyOf" "logits" logits
        logits.CrossEntropy labels

    /// <summary>Mean squared error against a target of the same shape.</summary>
    /// <example><code>
    /// Tensor.ofList [ 1.0; 3.0 ] |> Tensor.mseLoss (Tensor.ofList [ 1.0; 1.0 ]) // tensor(2., dtype=float64)
    /// </code></example>
    let mseLoss (target: Tensor) (prediction: Tensor) =
        Args.notNull "Tensor.mseLoss" "target" target
        Args.notNull "Tensor.mseLoss" "prediction" prediction
        prediction.MseLoss target

    /// <summary>The same values in a new shape (one dimension may be −1).</summary>
    /// <example><code>Tensor.arange 6 |> Tensor.reshape [| 2; -1 |] |> Tensor.shape // [| 2; 3 |]</code></example>
    let reshape (shape: int[]) (t: Tensor) =
        Args.notNull "Tensor.reshape" "shape" shape
        Args.notNull "Tensor.reshape" "t" t
        t.Reshape shape

    /// <summary>Flattened to one dimension.</summary>
    /// <example><code>Tensor.zeros [| 2; 3 |] |> Tensor.flatten |> Tensor.shape // [| 6 |]</code></example>
    let flatten (t: Tensor) =
        Args.notNull "Tensor.flatten" "t" t
        t.Flatten()

    /// <summary>The matrix transpose (last two axes swapped).</summary>
    /// <example><code>Tensor.zeros [| 2; 3 |] |> Tensor.transpose |> Tensor.shape // [| 3; 2 |]</code></example>
    let transpose (t: Tensor) =
        Args.notNull "Tensor.transpose" "t" t
        t.Transpose()

    /// <summary>The axes reordered.</summary>
    /// <example><code>
    /// Tensor.zeros [| 2; 3; 4 |] |> Tensor.permute [| 2; 0; 1 |] |> Tensor.shape // [| 4; 2; 3 |]
    /// </code></example>
    let permute (axes: int[]) (t: Tensor) =
        Args.notNull "Tensor.permute" "axes" axes
        Args.notNull "Tensor.permute" "t" t
        t.Permute axes

    /// <summary>Repeated to a shape by broadcasting.</summary>
    /// <example><code>
    /// Tensor.ofList [ 1.0; 2.0 ] |> Tensor.broadcastTo [| 3; 2 |] |> Tensor.shape // [| 3; 2 |]
    /// </code></example>
    let broadcastTo (shape: int[]) (t: Tensor) =
        Args.notNull "Tensor.broadcastTo" "shape" shape
        Args.notNull "Tensor.broadcastTo" "t" t
        t.BroadcastTo shape

    /// <summary>Size-1 axes removed.</summary>
    /// <example><code>Tensor.zeros [| 1; 3 |] |> Tensor.squeeze |> Tensor.shape // [| 3 |]</code></example>
    let squeeze (t: Tensor) =
        Args.notNull "Tensor.squeeze" "t" t
        t.Squeeze()

    /// <summary>A size-1 axis inserted.</summary>
    /// <example><code>Tensor.zeros [| 3 |] |> Tensor.unsqueeze 0 |> Tensor.shape // [| 1; 3 |]</code></example>
    let unsqueeze (axis: int) (t: Tensor) =
        Args.notNull "Tensor.unsqueeze" "t" t
        t.Unsqueeze axis

    /// <summary>
    /// A box: one (start, stop) pair per leading axis, stop exclusive, clamped to the axis like Python
    /// slices; negative values count from the end. Axes without a pair are kept whole.
    /// </summary>
    /// <example><code>Tensor.arange 5 |> Tensor.slice [ (1, 3) ] // tensor([1., 2.], dtype=float64)</code></example>
    let slice (ranges: (int * int) list) (t: Tensor) =
        Args.notNull "Tensor.slice" "ranges" ranges
        Args.notNull "Tensor.slice" "t" t

        let index i =
            if i < 0 then Index(-i, true) else Index i

        t.Slice(ranges |> List.map (fun (a, b) -> Range(index a, index b)) |> Array.ofList)

    /// <summary>Slices picked along an axis, in the order given.</summary>
    /// <example><code>
    /// Tensor.ofList [ 10.0; 20.0 ] |> Tensor.indexSelect 0 [| 1; 1 |] // tensor([20., 20.], dtype=float64)
    /// </code></example>
    let indexSelect (axis: int) (indices: int[]) (t: Tensor) =
        Args.notNull "Tensor.indexSelect" "indices" indices
        Args.notNull "Tensor.indexSelect" "t" t
        t.IndexSelect(axis, indices)

    /// <summary>Joined along axis 0.</summary>
    /// <example><code>
    /// Tensor.concat [ Tensor.ones [| 1 |]; Tensor.zeros [| 1 |] ] // tensor([1., 0.], dtype=float64)
    /// </code></example>
    let concat (ts: Tensor list) =
        Args.notNull "Tensor.concat" "ts" ts
        Tensor.Concat(Array.ofList ts)

    /// <summary>Joined along an axis.</summary>
    /// <example><code>
    /// Tensor.concatAxis 1 [ Tensor.ones [| 2; 1 |]; Tensor.zeros [| 2; 1 |] ] |> Tensor.shape // [| 2; 2 |]
    /// </code></example>
    let concatAxis (axis: int) (ts: Tensor list) =
        Args.notNull "Tensor.concatAxis" "ts" ts
        Tensor.Concat(Array.ofList ts, axis)

    /// <summary>Stacked along a new axis 0.</summary>
    /// <example><code>
    /// Tensor.stack [ Tensor.ones [| 2 |]; Tensor.zeros [| 2 |] ] |> Tensor.shape // [| 2; 2 |]
    /// </code></example>
    let stack (ts: Tensor list) =
        Args.notNull "Tensor.stack" "ts" ts
        Tensor.Stack(Array.ofList ts)

    /// <summary>a where the mask is non-zero, b elsewhere.</summary>
    /// <example><code>
    /// Tensor.where (Tensor.ofList [ 1.0; 0.0 ]) (scalar 5.0) (scalar 7.0) // tensor([5., 7.], dtype=float64)
    /// </code></example>
    let where (mask: Tensor) (a: Tensor) (b: Tensor) =
        Args.notNull "Tensor.where" "mask" mask
        Args.notNull "Tensor.where" "a" a
        Args.notNull "Tensor.where" "b" b
        Tensor.Where(mask, a, b)

    /// <summary>Mask of a = b.</summary>
    /// <example><code>Tensor.eq (scalar 1.0) (scalar 1.0) // tensor(1., dtype=float64)</code></example>
    let eq (a: Tensor) (b: Tensor) =
        Args.notNull "Tensor.eq" "a" a
        Args.notNull "Tensor.eq" "b" b
        a.Eq b

    /// <summary>Mask of a &lt; b.</summary>
    /// <example><code>Tensor.lt (scalar 1.0) (scalar 2.0) // tensor(1., dtype=float64)</code></example>
    let lt (a: Tensor) (b: Tensor) =
        Args.notNull "Tensor.lt" "a" a
        Args.notNull "Tensor.lt" "b" b
        a.Lt b

    /// <summary>Mask of a &gt; b.</summary>
    /// <example><code>Tensor.gt (scalar 1.0) (scalar 2.0) // tensor(0., dtype=float64)</code></example>
    let gt (a: Tensor) (b: Tensor) =
        Args.notNull "Tensor.gt" "a" a
        Args.notNull "Tensor.gt" "b" b
        a.Gt b

    /// <summary>The same values without any history (stop-gradient).</summary>
    /// <example><code>Tensor.detach (scalar 1.0) // tensor(1., dtype=float64)</code></example>
    let detach (t: Tensor) =
        Args.notNull "Tensor.detach" "t" t
        t.Detach()

    /// <summary>True when shapes match and values are within rtol/atol (NumPy's rule).</summary>
    /// <example><code>Tensor.allClose 1e-9 0.0 (scalar 1.0) (scalar 1.0) // true</code></example>
    let allClose (rtol: float) (atol: float) (a: Tensor) (b: Tensor) =
        Args.notNull "Tensor.allClose" "a" a
        Args.notNull "Tensor.allClose" "b" b
        a.AllClose(b, rtol, atol)

/// <summary>The default device for new tensors, within a scope (see the C# <c>Device</c> type).</summary>
/// <example><code>
/// Device.``use`` Device.TorchCpu (fun () -> Tensor.ofList [ 1.0 ] |> Tensor.device) // torch:cpu
/// </code></example>
[<RequireQualifiedAccess; CompilationRepresentation(CompilationRepresentationFlags.ModuleSuffix)>]
module Device =
    /// <summary>
    /// Runs <c>f</c> with <c>d</c> as the default device for new tensors (<c>Device.Default</c>), and restores the
    /// previous default afterwards, also when <c>f</c> throws. <c>use</c> is an F# keyword: write it in double
    /// backticks, or call <c>Device.using</c>.
    /// </summary>
    /// <example><code>
    /// Device.``use`` Device.TorchCpu (fun () -> Tensor.ofList [ 1.0 ] |> Tensor.device) // torch:cpu
    /// </code></example>
    [<CompiledName("Use")>]
    let ``use`` (d: Device) (f: unit -> 'T) : 'T =
        Args.notNull "Device.use" "f" f
        use _ = Device.Use d
        f ()

    /// <summary>The same as <c>Device.``use``</c>, under a name that needs no backticks.</summary>
    /// <example><code>
    /// Device.using Device.TorchCpu (fun () -> Tensor.zeros [| 2 |] |> Tensor.device) // torch:cpu
    /// </code></example>
    [<CompiledName("Using")>]
    let using (d: Device) (f: unit -> 'T) : 'T = ``use`` d f

/// <summary>Top-level helpers brought in by <c>open FuncGrad</c>.</summary>
/// <example><code>scalar 2.0 * scalar 3.0 // tensor(6., dtype=float64)</code></example>
[<AutoOpen>]
module TensorBuilders =
    /// <summary>A rank-0 float64 tensor.</summary>
    /// <example><code>scalar 2.0 // tensor(2., dtype=float64)</code></example>
    let scalar (value: float) = Tensor.Scalar value

    /// <summary>A rank-0 float32 tensor.</summary>
    /// <example><code>scalar32 2.0f // tensor(2., dtype=float32)</code></example>
    let scalar32 (value: float32) =
        Tensor.Scalar(float value, DType.Float32)

/// <summary>
/// F# indexing and slicing of tensors, brought in by <c>open FuncGrad</c>: <c>x.[i]</c>, <c>x.[1..2]</c>,
/// <c>x.[*, 0]</c>, <c>x.[0, 1..]</c> and <c>x.[1.., ..2]</c>, for tensors of rank 1 to 4 (the indexer
/// <c>x.[i, j, ...]</c> takes any number of integers). As in F#, a range's end is inclusive and a range past the
/// axis is clamped; as in NumPy, a negative index or bound counts from the end (<c>x.[-1]</c> is the last,
/// <c>x.[-2..]</c> the last two, <c>x.[.. -2]</c> all but the last, so <c>x.[0 .. -1]</c> is the whole axis, not
/// an empty one). An integer drops its axis; a range keeps it. Slices are differentiable: they are the C# indexer
/// <c>Tensor.At</c>, a slice and a reshape.
/// </summary>
/// <example><code>
/// let m = Tensor.ofArray2D (array2D [ [ 1.0; 2.0; 3.0 ]; [ 4.0; 5.0; 6.0 ] ])
/// m.[1, 1..]   // tensor([5., 6.], dtype=float64)
/// m.[*, -1]    // tensor([3., 6.], dtype=float64)
/// </code></example>
[<AutoOpen>]
module TensorSlicing =
    /// An F# range (inclusive end; negative bounds from the end; None for the axis's edge) as a C# range.
    let private span (first: int option) (last: int option) : TensorIndex =
        let s =
            match first with
            | None -> Index.Start
            | Some s when s < 0 -> Index(-s, true)
            | Some s -> Index s

        let e =
            match last with
            | None -> Index.End
            | Some e when e < 0 -> Index(-e - 1, true)
            | Some e when e = Int32.MaxValue -> Index.End
            | Some e -> Index(e + 1)

        TensorIndex.op_Implicit (Range(s, e))

    let private at (i: int) : TensorIndex = TensorIndex.op_Implicit i

    /// The tensor being sliced, checked: an F# slice of a null tensor is an ArgumentNullException like any call.
    let private sliced (x: Tensor) =
        Args.notNullAs "slice" "x" "a tensor" x
        x

    type Tensor with
        /// <summary>F# slicing <c>x.[a..b]</c>: a range per axis, ends inclusive.</summary>
        /// <example><code>(Tensor.arange 5).[1..3] // tensor([1., 2., 3.], dtype=float64)</code></example>
        member x.GetSlice(a0: int option, b0: int option) = (sliced x).At(span a0 b0)

        /// <summary>F# slicing <c>x.[a..b, a..b]</c>: a range per axis, ends inclusive.</summary>
        /// <example><code>(Tensor.zeros [| 4; 5 |]).[..1, ..1].Shape // [2; 2]</code></example>
        member x.GetSlice(a0: int option, b0: int option, a1: int option, b1: int option) =
            (sliced x).At(span a0 b0, span a1 b1)

        /// <summary>F# slicing <c>x.[a..b, i]</c>: ranges keep their axes, integers drop theirs.</summary>
        /// <example><code>(Tensor.zeros [| 4; 5 |]).[..1, -1].Shape // [2]</code></example>
        member x.GetSlice(a0: int option, b0: int option, i1: int) = (sliced x).At(span a0 b0, at i1)

        /// <summary>F# slicing <c>x.[i, a..b]</c>: ranges keep their axes, integers drop theirs.</summary>
        /// <example><code>(Tensor.zeros [| 4; 5 |]).[-1, ..1].Shape // [2]</code></example>
        member x.GetSlice(i0: int, a1: int option, b1: int option) = (sliced x).At(at i0, span a1 b1)

        /// <summary>F# slicing <c>x.[a..b, a..b, a..b]</c>: a range per axis, ends inclusive.</summary>
        /// <example><code>(Tensor.zeros [| 4; 5; 6 |]).[..1, ..1, ..1].Shape // [2; 2; 2]</code></example>
        member x.GetSlice
            (a0: int option, b0: int option, a1: int option, b1: int option, a2: int option, b2: int option)
            =
            (sliced x).At(span a0 b0, span a1 b1, span a2 b2)

        /// <summary>F# slicing <c>x.[a..b, a..b, i]</c>: ranges keep their axes, integers drop theirs.</summary>
        /// <example><code>(Tensor.zeros [| 4; 5; 6 |]).[..1, ..1, -1].Shape // [2; 2]</code></example>
        member x.GetSlice(a0: int option, b0: int option, a1: int option, b1: int option, i2: int) =
            (sliced x).At(span a0 b0, span a1 b1, at i2)

        /// <summary>F# slicing <c>x.[a..b, i, a..b]</c>: ranges keep their axes, integers drop theirs.</summary>
        /// <example><code>(Tensor.zeros [| 4; 5; 6 |]).[..1, -1, ..1].Shape // [2; 2]</code></example>
        member x.GetSlice(a0: int option, b0: int option, i1: int, a2: int option, b2: int option) =
            (sliced x).At(span a0 b0, at i1, span a2 b2)

        /// <summary>F# slicing <c>x.[a..b, i, i]</c>: ranges keep their axes, integers drop theirs.</summary>
        /// <example><code>(Tensor.zeros [| 4; 5; 6 |]).[..1, -1, -1].Shape // [2]</code></example>
        member x.GetSlice(a0: int option, b0: int option, i1: int, i2: int) = (sliced x).At(span a0 b0, at i1, at i2)

        /// <summary>F# slicing <c>x.[i, a..b, a..b]</c>: ranges keep their axes, integers drop theirs.</summary>
        /// <example><code>(Tensor.zeros [| 4; 5; 6 |]).[-1, ..1, ..1].Shape // [2; 2]</code></example>
        member x.GetSlice(i0: int, a1: int option, b1: int option, a2: int option, b2: int option) =
            (sliced x).At(at i0, span a1 b1, span a2 b2)

        /// <summary>F# slicing <c>x.[i, a..b, i]</c>: ranges keep their axes, integers drop theirs.</summary>
        /// <example><code>(Tensor.zeros [| 4; 5; 6 |]).[-1, ..1, -1].Shape // [2]</code></example>
        member x.GetSlice(i0: int, a1: int option, b1: int option, i2: int) = (sliced x).At(at i0, span a1 b1, at i2)

        /// <summary>F# slicing <c>x.[i, i, a..b]</c>: ranges keep their axes, integers drop theirs.</summary>
        /// <example><code>(Tensor.zeros [| 4; 5; 6 |]).[-1, -1, ..1].Shape // [2]</code></example>
        member x.GetSlice(i0: int, i1: int, a2: int option, b2: int option) = (sliced x).At(at i0, at i1, span a2 b2)

        /// <summary>F# slicing <c>x.[a..b, a..b, a..b, a..b]</c>: a range per axis, ends inclusive.</summary>
        /// <example><code>(Tensor.zeros [| 4; 5; 6; 7 |]).[..1, ..1, ..1, ..1].Shape // [2; 2; 2; 2]</code></example>
        member x.GetSlice
            (
                a0: int option,
                b0: int option,
                a1: int option,
                b1: int option,
                a2: int option,
                b2: int option,
                a3: int option,
                b3: int option
            ) =
            (sliced x).At(span a0 b0, span a1 b1, span a2 b2, span a3 b3)

        /// <summary>F# slicing <c>x.[a..b, a..b, a..b, i]</c>: ranges keep their axes, integers drop theirs.</summary>
        /// <example><code>(Tensor.zeros [| 4; 5; 6; 7 |]).[..1, ..1, ..1, -1].Shape // [2; 2; 2]</code></example>
        member x.GetSlice
            (a0: int option, b0: int option, a1: int option, b1: int option, a2: int option, b2: int option, i3: int)
            =
            (sliced x).At(span a0 b0, span a1 b1, span a2 b2, at i3)

        /// <summary>F# slicing <c>x.[a..b, a..b, i, a..b]</c>: ranges keep their axes, integers drop theirs.</summary>
        /// <example><code>(Tensor.zeros [| 4; 5; 6; 7 |]).[..1, ..1, -1, ..1].Shape // [2; 2; 2]</code></example>
        member x.GetSlice
            (a0: int option, b0: int option, a1: int option, b1: int option, i2: int, a3: int option, b3: int option)
            =
            (sliced x).At(span a0 b0, span a1 b1, at i2, span a3 b3)

        /// <summary>F# slicing <c>x.[a..b, a..b, i, i]</c>: ranges keep their axes, integers drop theirs.</summary>
        /// <example><code>(Tensor.zeros [| 4; 5; 6; 7 |]).[..1, ..1, -1, -1].Shape // [2; 2]</code></example>
        member x.GetSlice(a0: int option, b0: int option, a1: int option, b1: int option, i2: int, i3: int) =
            (sliced x).At(span a0 b0, span a1 b1, at i2, at i3)

        /// <summary>F# slicing <c>x.[a..b, i, a..b, a..b]</c>: ranges keep their axes, integers drop theirs.</summary>
        /// <example><code>(Tensor.zeros [| 4; 5; 6; 7 |]).[..1, -1, ..1, ..1].Shape // [2; 2; 2]</code></example>
        member x.GetSlice
            (a0: int option, b0: int option, i1: int, a2: int option, b2: int option, a3: int option, b3: int option)
            =
            (sliced x).At(span a0 b0, at i1, span a2 b2, span a3 b3)

        /// <summary>F# slicing <c>x.[a..b, i, a..b, i]</c>: ranges keep their axes, integers drop theirs.</summary>
        /// <example><code>(Tensor.zeros [| 4; 5; 6; 7 |]).[..1, -1, ..1, -1].Shape // [2; 2]</code></example>
        member x.GetSlice(a0: int option, b0: int option, i1: int, a2: int option, b2: int option, i3: int) =
            (sliced x).At(span a0 b0, at i1, span a2 b2, at i3)

        /// <summary>F# slicing <c>x.[a..b, i, i, a..b]</c>: ranges keep their axes, integers drop theirs.</summary>
        /// <example><code>(Tensor.zeros [| 4; 5; 6; 7 |]).[..1, -1, -1, ..1].Shape // [2; 2]</code></example>
        member x.GetSlice(a0: int option, b0: int option, i1: int, i2: int, a3: int option, b3: int option) =
            (sliced x).At(span a0 b0, at i1, at i2, span a3 b3)

        /// <summary>F# slicing <c>x.[a..b, i, i, i]</c>: ranges keep their axes, integers drop theirs.</summary>
        /// <example><code>(Tensor.zeros [| 4; 5; 6; 7 |]).[..1, -1, -1, -1].Shape // [2]</code></example>
        member x.GetSlice(a0: int option, b0: int option, i1: int, i2: int, i3: int) =
            (sliced x).At(span a0 b0, at i1, at i2, at i3)

        /// <summary>F# slicing <c>x.[i, a..b, a..b, a..b]</c>: ranges keep their axes, integers drop theirs.</summary>
        /// <example><code>(Tensor.zeros [| 4; 5; 6; 7 |]).[-1, ..1, ..1, ..1].Shape // [2; 2; 2]</code></example>
        member x.GetSlice
            (i0: int, a1: int option, b1: int option, a2: int option, b2: int option, a3: int option, b3: int option)
            =
            (sliced x).At(at i0, span a1 b1, span a2 b2, span a3 b3)

        /// <summary>F# slicing <c>x.[i, a..b, a..b, i]</c>: ranges keep their axes, integers drop theirs.</summary>
        /// <example><code>(Tensor.zeros [| 4; 5; 6; 7 |]).[-1, ..1, ..1, -1].Shape // [2; 2]</code></example>
        member x.GetSlice(i0: int, a1: int option, b1: int option, a2: int option, b2: int option, i3: int) =
            (sliced x).At(at i0, span a1 b1, span a2 b2, at i3)

        /// <summary>F# slicing <c>x.[i, a..b, i, a..b]</c>: ranges keep their axes, integers drop theirs.</summary>
        /// <example><code>(Tensor.zeros [| 4; 5; 6; 7 |]).[-1, ..1, -1, ..1].Shape // [2; 2]</code></example>
        member x.GetSlice(i0: int, a1: int option, b1: int option, i2: int, a3: int option, b3: int option) =
            (sliced x).At(at i0, span a1 b1, at i2, span a3 b3)

        /// <summary>F# slicing <c>x.[i, a..b, i, i]</c>: ranges keep their axes, integers drop theirs.</summary>
        /// <example><code>(Tensor.zeros [| 4; 5; 6; 7 |]).[-1, ..1, -1, -1].Shape // [2]</code></example>
        member x.GetSlice(i0: int, a1: int option, b1: int option, i2: int, i3: int) =
            (sliced x).At(at i0, span a1 b1, at i2, at i3)

        /// <summary>F# slicing <c>x.[i, i, a..b, a..b]</c>: ranges keep their axes, integers drop theirs.</summary>
        /// <example><code>(Tensor.zeros [| 4; 5; 6; 7 |]).[-1, -1, ..1, ..1].Shape // [2; 2]</code></example>
        member x.GetSlice(i0: int, i1: int, a2: int option, b2: int option, a3: int option, b3: int option) =
            (sliced x).At(at i0, at i1, span a2 b2, span a3 b3)

        /// <summary>F# slicing <c>x.[i, i, a..b, i]</c>: ranges keep their axes, integers drop theirs.</summary>
        /// <example><code>(Tensor.zeros [| 4; 5; 6; 7 |]).[-1, -1, ..1, -1].Shape // [2]</code></example>
        member x.GetSlice(i0: int, i1: int, a2: int option, b2: int option, i3: int) =
            (sliced x).At(at i0, at i1, span a2 b2, at i3)

        /// <summary>F# slicing <c>x.[i, i, i, a..b]</c>: ranges keep their axes, integers drop theirs.</summary>
        /// <example><code>(Tensor.zeros [| 4; 5; 6; 7 |]).[-1, -1, -1, ..1].Shape // [2]</code></example>
        member x.GetSlice(i0: int, i1: int, i2: int, a3: int option, b3: int option) =
            (sliced x).At(at i0, at i1, at i2, span a3 b3)
