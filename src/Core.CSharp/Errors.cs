using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace FuncGrad;

// Every error names the op, the shapes and dtypes involved, and what to do instead.
// Each kind of mistake has its own type so callers can catch precisely.

/// <summary>Shapes that an op cannot combine, such as a matmul with differing inner dimensions.</summary>
/// <example><code>Tensor.Zeros([2, 3]).MatMul(Tensor.Zeros([4, 5])) // throws ShapeMismatchException</code></example>
public sealed class ShapeMismatchException(string? message) : ArgumentException(message);

/// <summary>A tensor whose rank the op does not accept.</summary>
/// <example><code>
/// Tensor.Zeros([2]).Transpose() // throws RankException: transpose needs rank 2 or more
/// </code></example>
public sealed class RankException(string? message) : ArgumentException(message);

/// <summary>An axis outside <c>[-rank, rank)</c>.</summary>
/// <example><code>Tensor.Zeros([2]).Sum([3]) // throws AxisOutOfRangeException</code></example>
public sealed class AxisOutOfRangeException(string? message) : ArgumentOutOfRangeException(null, message);

/// <summary>Two tensors of different dtypes given to one op. Convert one with <see cref="Tensor.ToDType"/>.</summary>
/// <example><code>Tensor.Ones([2]) + Tensor.Ones([2], DType.Float32) // throws DTypeMismatchException</code></example>
public sealed class DTypeMismatchException(string? message) : ArgumentException(message);

/// <summary>Two tensors on different devices given to one op. Move one with <see cref="Tensor.To"/>.</summary>
/// <example><code>
/// Tensor.Ones([2]) + Tensor.Ones([2]).To(Device.TorchCpu) // throws DeviceMismatchException
/// </code></example>
public sealed class DeviceMismatchException(string? message) : ArgumentException(message);

/// <summary>A gradient asked of a non-scalar output without a seed cotangent.</summary>
/// <example><code>
/// Autodiff.Grad(x => x * 2.0, Tensor.Ones([3])) // throws NonScalarOutputException: use a Jacobian
/// </code></example>
public sealed class NonScalarOutputException(string? message) : InvalidOperationException(message);

/// <summary>An empty tensor given to an op that needs at least one element (a max, a mean).</summary>
/// <example><code>Tensor.Zeros([0]).Max() // throws EmptyTensorException</code></example>
public sealed class EmptyTensorException(string? message) : ArgumentException(message);

/// <summary>A shape whose element count does not fit in a .NET array (more than <see cref="int.MaxValue"/>
/// elements).</summary>
/// <example><code>Tensor.Zeros([65536, 65536]) // throws TensorSizeOverflowException</code></example>
public sealed class TensorSizeOverflowException(string? message) : OverflowException(message);

/// <summary>An input that a differentiation cannot use, e.g. a tensor that is not a differentiation variable.</summary>
/// <example><code>
/// Autodiff.Grad(y, [Tensor.Ones([2])]) // throws GradientException: mark inputs with RequiresGrad()
/// </code></example>
public sealed class GradientException(string? message) : InvalidOperationException(message);

/// <summary>
/// A mistake specific to <see cref="Autodiff.Vmap(Func{Tensor, Tensor}, Tensor, int, int)"/>: reading the values of a
/// batched tensor inside the mapped function, or an op without a batching rule.
/// </summary>
/// <example><code>
/// Autodiff.Vmap(x => Tensor.Scalar(x.Item()), Tensor.Ones([3])) // throws VmapException: the value is batched
/// </code></example>
public sealed class VmapException(string? message) : InvalidOperationException(message);

/// <summary>
/// A mistake specific to <see cref="Autodiff.Compile(Func{Tensor, Tensor})"/>: reading the values of a traced tensor
/// while the compiled function is traced (they do not exist yet), or using a traced tensor after its trace ended.
/// </summary>
/// <example><code>
/// Autodiff.Compile(x => Tensor.Scalar(x.Item()))(Tensor.Ones([1])) // throws CompileException: x is traced
/// </code></example>
public sealed class CompileException(string? message) : InvalidOperationException(message);

/// <summary>
/// The null check that every public member makes of its reference arguments before any work (C# callers, and F#
/// code through <c>Unchecked.defaultof</c>, can pass null): an <see cref="ArgumentNullException"/> that names the
/// parameter, the member and what to pass, instead of a <see cref="NullReferenceException"/> from deep inside.
/// </summary>
internal static class Guard
{
    /// <summary>
    /// <paramref name="value"/>, or an <see cref="ArgumentNullException"/> for the parameter it was passed as, saying
    /// <paramref name="what"/> to pass instead (by default, what the parameter's type says).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static T NotNull<T>([NotNull] T? value, string? what = null,
        [CallerArgumentExpression(nameof(value))] string name = "", [CallerMemberName] string member = "")
        where T : class
    {
        if (value is null) Throw(Op(member), name, what ?? Describe(typeof(T)));
        return value;
    }

    /// <summary>
    /// Throws for a null parameter <paramref name="name"/> of <paramref name="op"/>; the F# surface calls it too, so
    /// every message reads alike.
    /// </summary>
    [DoesNotReturn, StackTraceHidden, MethodImpl(MethodImplOptions.NoInlining)]
    internal static void Throw(string op, string name, string what) =>
        throw new ArgumentNullException(name, $"{op}: {name} is null; pass {what}");

    // The member as the error messages name ops: camelCase, operators by their symbol.
    private static string Op(string member) => member switch
    {
        "op_Addition" => "operator +",
        "op_Subtraction" => "operator -",
        "op_UnaryNegation" => "operator -",
        "op_Multiply" => "operator *",
        "op_Division" => "operator /",
        "" => "?",
        _ => char.ToLowerInvariant(member[0]) + member[1..],
    };

    private static string Describe(Type t) =>
        t == typeof(Tensor) ? "a tensor"
        : t == typeof(Gradients) ? "gradients (Gradients.Empty for none)"
        : t == typeof(Random) ? "a Random, or call the overload that takes an int seed"
        : t == typeof(string) ? "a string"
        : typeof(Delegate).IsAssignableFrom(t) ? "a function"
        : t == typeof(int[]) ? "an array of ints"
        : t == typeof(Array) ? "a rectangular array of double or float values"
        : t.IsArray ? "an array"
        : t.IsGenericType && t.GetGenericTypeDefinition() == typeof(IReadOnlyList<>)
            ? "a list of tensors (an array works)"
        : "a " + t.Name;
}
