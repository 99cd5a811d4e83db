namespace FuncGrad

/// <summary>
/// Reading a tensor: its values, shape, dtype and device, and comparing values. The functions of the <c>Tensor</c>
/// module that mirror the core's <c>Tensor.cs</c>; <c>open FuncGrad</c> opens this module, so they are called as
/// <c>Tensor.name</c> beside the other families'.
/// </summary>
/// <example><code>Tensor.ofList [ 1.0; 2.0 ] |> Tensor.toArray // [| 1.0; 2.0 |]</code></example>
[<AutoOpen>]
module TensorRead =
    /// <summary>Reading a tensor: its values, shape, dtype and device, and comparing values.</summary>
    /// <example><code>Tensor.ofList [ 1.0; 2.0 ] |> Tensor.toArray // [| 1.0; 2.0 |]</code></example>
    [<RequireQualifiedAccess; CompilationRepresentation(CompilationRepresentationFlags.ModuleSuffix)>]
    module Tensor =
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

        /// <summary>The values, flattened row-major, as int64 (floats truncated toward zero; NaN, infinities and values
        /// out of range are errors).</summary>
        /// <example><code>Tensor.toInt64Array (Tensor.ofInt64Array [| 3L |]) // [| 3L |]</code></example>
        let toInt64Array (t: Tensor) =
            Args.notNull "Tensor.toInt64Array" "t" t
            t.ToInt64Array()

        /// <summary>The values, flattened row-major, as int32.</summary>
        /// <example><code>Tensor.toInt32Array (Tensor.ofInt32Array [| 3 |]) // [| 3 |]</code></example>
        let toInt32Array (t: Tensor) =
            Args.notNull "Tensor.toInt32Array" "t" t
            t.ToInt32Array()

        /// <summary>The values, flattened row-major, as booleans: true where not zero.</summary>
        /// <example><code>Tensor.toBoolArray (Tensor.ofBoolArray [| true |]) // [| true |]</code></example>
        let toBoolArray (t: Tensor) =
            Args.notNull "Tensor.toBoolArray" "t" t
            t.ToBoolArray()

        /// <summary>The dimensions, outermost first; empty for a scalar.</summary>
        /// <example><code>Tensor.shape (Tensor.zeros [| 2; 3 |]) // [| 2; 3 |]</code></example>
        let shape (t: Tensor) =
            Args.notNull "Tensor.shape" "t" t
            Seq.toArray t.Shape

        /// <summary>The number of dimensions (the rank); 0 for a scalar.</summary>
        /// <example><code>Tensor.ndim (Tensor.zeros [| 2; 3 |]) // 2</code></example>
        let ndim (t: Tensor) =
            Args.notNull "Tensor.ndim" "t" t
            t.Rank

        /// <summary>The number of elements: the product of the dimensions, 1 for a scalar.</summary>
        /// <example><code>Tensor.numel (Tensor.zeros [| 2; 3 |]) // 6</code></example>
        let numel (t: Tensor) =
            Args.notNull "Tensor.numel" "t" t
            t.Count

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

        /// <summary>Where the tensor's values live.</summary>
        /// <example><code>Tensor.device (Tensor.ofList [ 1.0 ]) // managed</code></example>
        let device (t: Tensor) =
            Args.notNull "Tensor.device" "t" t
            t.Device

        /// <summary>True when shapes match and values are within rtol/atol (NumPy's rule).</summary>
        /// <example><code>Tensor.allClose 1e-9 0.0 (scalar 1.0) (scalar 1.0) // true</code></example>
        let allClose (rtol: float) (atol: float) (a: Tensor) (b: Tensor) =
            Args.notNull "Tensor.allClose" "a" a
            Args.notNull "Tensor.allClose" "b" b
            a.AllClose(b, rtol, atol)

        /// <summary>
        /// As <c>allClose</c>, and with <c>equalNaN</c> a NaN counts as equal to a NaN at the same position (PyTorch's
        /// <c>equal_nan</c>).
        /// </summary>
        /// <example><code>Tensor.allCloseWith 1e-9 0.0 true (scalar nan) (scalar nan) // true</code></example>
        let allCloseWith (rtol: float) (atol: float) (equalNaN: bool) (a: Tensor) (b: Tensor) =
            Args.notNull "Tensor.allCloseWith" "a" a
            Args.notNull "Tensor.allCloseWith" "b" b
            a.AllClose(b, rtol, atol, equalNaN)
