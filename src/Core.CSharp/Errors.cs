namespace FuncGrad;

// Every error names the op, the shapes and dtypes involved, and what to do instead.
// Each kind of mistake has its own type so callers can catch precisely.

/// <summary>Shapes that an op cannot combine, such as a matmul with differing inner dimensions.</summary>
/// <example><code>Tensor.Zeros([2, 3]).MatMul(Tensor.Zeros([4, 5])) // throws ShapeMismatchException</code></example>
public sealed class ShapeMismatchException(string message) : ArgumentException(message);

/// <summary>A tensor whose rank the op does not accept.</summary>
/// <example><code>Tensor.Zeros([2]).Transpose() // throws RankException: transpose needs rank 2 or more</code></example>
public sealed class RankException(string message) : ArgumentException(message);

/// <summary>An axis outside <c>[-rank, rank)</c>.</summary>
/// <example><code>Tensor.Zeros([2]).Sum([3]) // throws AxisOutOfRangeException</code></example>
public sealed class AxisOutOfRangeException(string message) : ArgumentOutOfRangeException(null, message);

/// <summary>Two tensors of different dtypes given to one op. Convert one with <see cref="Tensor.ToDType"/>.</summary>
/// <example><code>Tensor.Ones([2]) + Tensor.Ones([2], DType.Float32) // throws DTypeMismatchException</code></example>
public sealed class DTypeMismatchException(string message) : ArgumentException(message);

/// <summary>A gradient asked of a non-scalar output without a seed cotangent.</summary>
/// <example><code>Autodiff.Grad(x => x * 2.0, Tensor.Ones([3])) // throws NonScalarOutputException: use a Jacobian</code></example>
public sealed class NonScalarOutputException(string message) : InvalidOperationException(message);

/// <summary>An empty tensor given to an op that needs at least one element (a max, a mean).</summary>
/// <example><code>Tensor.Zeros([0]).Max() // throws EmptyTensorException</code></example>
public sealed class EmptyTensorException(string message) : ArgumentException(message);

/// <summary>A shape whose element count does not fit in a .NET array (more than <see cref="int.MaxValue"/> elements).</summary>
/// <example><code>Tensor.Zeros([65536, 65536]) // throws TensorSizeOverflowException</code></example>
public sealed class TensorSizeOverflowException(string message) : OverflowException(message);

/// <summary>An input that a differentiation cannot use, e.g. a tensor that is not a differentiation variable.</summary>
/// <example><code>Autodiff.Grad(y, [Tensor.Ones([2])]) // throws GradientException: mark inputs with RequiresGrad()</code></example>
public sealed class GradientException(string message) : InvalidOperationException(message);

/// <summary>
/// A mistake specific to <see cref="Autodiff.Vmap(Func{Tensor, Tensor}, Tensor, int, int)"/>: reading the values of a
/// batched tensor inside the mapped function, or an op without a batching rule.
/// </summary>
/// <example><code>Autodiff.Vmap(x => Tensor.Scalar(x.Item()), Tensor.Ones([3])) // throws VmapException: the value is batched</code></example>
public sealed class VmapException(string message) : InvalidOperationException(message);
