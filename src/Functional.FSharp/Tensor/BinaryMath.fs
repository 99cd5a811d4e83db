namespace FuncGrad

/// <summary>
/// Elementwise functions of two tensors beyond arithmetic: atan2, hypot, fmod, copysign, logaddexp, xlogy, lerp. The
/// functions of the <c>Tensor</c> module that mirror the core's <c>Ops/BinaryMath.cs</c>; <c>open FuncGrad</c> opens
/// this module, so they are called as <c>Tensor.name</c> beside the other families'.
/// </summary>
/// <example><code>Tensor.hypot (scalar 3.0) (scalar 4.0) // tensor(5., dtype=float64)</code></example>
[<AutoOpen>]
module TensorBinaryMath =
    /// <summary>Elementwise functions of two tensors beyond arithmetic.</summary>
    /// <example><code>Tensor.hypot (scalar 3.0) (scalar 4.0) // tensor(5., dtype=float64)</code></example>
    [<RequireQualifiedAccess; CompilationRepresentation(CompilationRepresentationFlags.ModuleSuffix)>]
    module Tensor =
        /// <summary>atan2(a, b): the angle of the point (b, a), in [−π, π], broadcasting.</summary>
        /// <example><code>Tensor.atan2 (scalar 1.0) (scalar -1.0) // tensor(2.3562, dtype=float64)</code></example>
        let atan2 (a: Tensor) (b: Tensor) =
            Args.notNull "Tensor.atan2" "a" a
            Args.notNull "Tensor.atan2" "b" b
            a.Atan2 b

        /// <summary>√(a² + b²) without overflow or underflow on the way, broadcasting.</summary>
        /// <example><code>Tensor.hypot (scalar 3.0) (scalar 4.0) // tensor(5., dtype=float64)</code></example>
        let hypot (a: Tensor) (b: Tensor) =
            Args.notNull "Tensor.hypot" "a" a
            Args.notNull "Tensor.hypot" "b" b
            a.Hypot b

        /// <summary>C's fmod a − b·trunc(a/b), with the sign of a, broadcasting.</summary>
        /// <example><code>Tensor.fmod (scalar -7.0) (scalar 3.0) // tensor(-1., dtype=float64)</code></example>
        let fmod (a: Tensor) (b: Tensor) =
            Args.notNull "Tensor.fmod" "a" a
            Args.notNull "Tensor.fmod" "b" b
            a.Fmod b

        /// <summary>fmod by a number divisor.</summary>
        /// <example><code>scalar -7.5 |> Tensor.fmodOf 2.0 // tensor(-1.5000, dtype=float64)</code></example>
        let fmodOf (divisor: float) (t: Tensor) =
            Args.notNull "Tensor.fmodOf" "t" t
            t.Fmod divisor

        /// <summary>Python's remainder (the sign of the divisor) by a number divisor.</summary>
        /// <example><code>scalar -7.5 |> Tensor.remainderOf 2.0 // tensor(0.5000, dtype=float64)</code></example>
        let remainderOf (divisor: float) (t: Tensor) =
            Args.notNull "Tensor.remainderOf" "t" t
            t.Remainder divisor

        /// <summary>|a| with the sign bit of b, broadcasting.</summary>
        /// <example><code>Tensor.copysign (scalar 2.0) (scalar -0.0) // tensor(-2., dtype=float64)</code></example>
        let copysign (a: Tensor) (b: Tensor) =
            Args.notNull "Tensor.copysign" "a" a
            Args.notNull "Tensor.copysign" "b" b
            a.Copysign b

        /// <summary>|t| with the sign bit of a number.</summary>
        /// <example><code>scalar 2.0 |> Tensor.copysignOf -1.0 // tensor(-2., dtype=float64)</code></example>
        let copysignOf (sign: float) (t: Tensor) =
            Args.notNull "Tensor.copysignOf" "t" t
            t.Copysign sign

        /// <summary>log(eᵃ + eᵇ), computed stably, broadcasting.</summary>
        /// <example><code>Tensor.logaddexp (scalar 0.0) (scalar 0.0) // tensor(0.6931, dtype=float64)</code></example>
        let logaddexp (a: Tensor) (b: Tensor) =
            Args.notNull "Tensor.logaddexp" "a" a
            Args.notNull "Tensor.logaddexp" "b" b
            a.Logaddexp b

        /// <summary>log₂(2ᵃ + 2ᵇ), computed stably, broadcasting.</summary>
        /// <example><code>Tensor.logaddexp2 (scalar 1.0) (scalar 1.0) // tensor(2., dtype=float64)</code></example>
        let logaddexp2 (a: Tensor) (b: Tensor) =
            Args.notNull "Tensor.logaddexp2" "a" a
            Args.notNull "Tensor.logaddexp2" "b" b
            a.Logaddexp2 b

        /// <summary>x·log y, and 0 where x = 0 unless y is NaN, broadcasting.</summary>
        /// <example><code>Tensor.xlogy (scalar 0.0) (scalar 0.0) // tensor(0., dtype=float64)</code></example>
        let xlogy (x: Tensor) (y: Tensor) =
            Args.notNull "Tensor.xlogy" "x" x
            Args.notNull "Tensor.xlogy" "y" y
            x.Xlogy y

        /// <summary>x·log y for a number y.</summary>
        /// <example><code>scalar 2.0 |> Tensor.xlogyOf 1.0 // tensor(0., dtype=float64)</code></example>
        let xlogyOf (y: float) (x: Tensor) =
            Args.notNull "Tensor.xlogyOf" "x" x
            x.Xlogy y

        /// <summary>x·log y for a number x.</summary>
        /// <example><code>scalar 0.0 |> Tensor.xlogyFrom 0.0 // tensor(0., dtype=float64)</code></example>
        let xlogyFrom (x: float) (y: Tensor) =
            Args.notNull "Tensor.xlogyFrom" "y" y
            Tensor.Xlogy(x, y)

        /// <summary>x·log(1 + y), accurate for small y, and 0 where x = 0 unless y is NaN, broadcasting.</summary>
        /// <example><code>Tensor.xlog1py (scalar 0.0) (scalar -1.0) // tensor(0., dtype=float64)</code></example>
        let xlog1py (x: Tensor) (y: Tensor) =
            Args.notNull "Tensor.xlog1py" "x" x
            Args.notNull "Tensor.xlog1py" "y" y
            x.Xlog1py y

        /// <summary>x·log(1 + y) for a number y.</summary>
        /// <example><code>scalar 2.0 |> Tensor.xlog1pyOf 0.0 // tensor(0., dtype=float64)</code></example>
        let xlog1pyOf (y: float) (x: Tensor) =
            Args.notNull "Tensor.xlog1pyOf" "x" x
            x.Xlog1py y

        /// <summary>x·log(1 + y) for a number x.</summary>
        /// <example><code>scalar -1.0 |> Tensor.xlog1pyFrom 0.0 // tensor(0., dtype=float64)</code></example>
        let xlog1pyFrom (x: float) (y: Tensor) =
            Args.notNull "Tensor.xlog1pyFrom" "y" y
            Tensor.Xlog1py(x, y)

        /// <summary>start + weight·(end − start), exact at weight 0 and 1, all three broadcasting.</summary>
        /// <example><code>
        /// Tensor.lerp (scalar 1.0) (scalar 3.0) (scalar 0.25) // tensor(1.5000, dtype=float64)
        /// </code></example>
        let lerp (start: Tensor) (``end``: Tensor) (weight: Tensor) =
            Args.notNull "Tensor.lerp" "start" start
            Args.notNull "Tensor.lerp" "end" ``end``
            Args.notNull "Tensor.lerp" "weight" weight
            start.Lerp(``end``, weight)

        /// <summary>start + weight·(end − start) for a number weight.</summary>
        /// <example><code>Tensor.lerpOf 0.5 (scalar 1.0) (scalar 3.0) // tensor(2., dtype=float64)</code></example>
        let lerpOf (weight: float) (start: Tensor) (``end``: Tensor) =
            Args.notNull "Tensor.lerpOf" "start" start
            Args.notNull "Tensor.lerpOf" "end" ``end``
            start.Lerp(``end``, weight)
