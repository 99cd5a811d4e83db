using System.Collections;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;

namespace FuncGrad;

/// <summary>
/// The gradients that <see cref="Tensor.Backward"/> found, keyed by variable (by reference).
/// Immutable: accumulation over several losses or mini-batches is adding maps with <c>+</c>,
/// so there is no zeroing step to forget.
/// </summary>
/// <example><code>
/// var w = Tensor.FromArray([1.0, 2.0]).RequiresGrad();
/// var g = (w * w).Sum().Backward() + (w * 3.0).Sum().Backward();
/// g[w] // tensor([5., 7.], dtype=float64)
/// </code></example>
public sealed class Gradients : IReadOnlyDictionary<Tensor, Tensor>
{
    private readonly ImmutableDictionary<Tensor, Tensor> map;

    internal Gradients(ImmutableDictionary<Tensor, Tensor> map) => this.map = map;

    /// <summary>No gradients at all: the identity for <c>+</c>.</summary>
    /// <example><code>Gradients.Empty.Count // evaluates to 0</code></example>
    public static Gradients Empty { get; } =
        new(ImmutableDictionary.Create<Tensor, Tensor>(ReferenceEqualityComparer.Instance));

    /// <summary>The gradient of variable <paramref name="variable"/>; throws if the walk did not reach it.</summary>
    /// <example><code>grads[w] // the gradient with respect to w</code></example>
    public Tensor this[Tensor variable] =>
        map.TryGetValue(Guard.NotNull(variable, member: "gradients[]"), out var g) ? g
        : throw new KeyNotFoundException(
            $"gradients: the variable {Shapes.Show(variable)} was not reached by backward: " +
            "the output does not depend on it. Use TryGetValue, or GetValueOrZeros");

    /// <summary>The gradient of <paramref name="variable"/>, or zeros of its shape if it was not reached.</summary>
    /// <example><code>grads.GetValueOrZeros(unused) // zeros shaped like unused</code></example>
    public Tensor GetValueOrZeros(Tensor variable) =>
        map.TryGetValue(Guard.NotNull(variable), out var g) ? g : Tensor.ZerosLike(variable.Value);

    /// <summary>Sums two gradient maps variable by variable, as PyTorch's accumulation into <c>.grad</c>
    /// does.</summary>
    /// <example><code>var total = Gradients.Empty + g1 + g2;</code></example>
    public static Gradients operator +(Gradients a, Gradients b)
    {
        Guard.NotNull(a); Guard.NotNull(b);
        var m = a.map.ToBuilder();
        foreach (var (k, v) in b.map) m[k] = m.TryGetValue(k, out var u) ? u + v : v;
        return new Gradients(m.ToImmutable());
    }

    /// <summary>How many variables have a gradient.</summary>
    /// <example><code>(w * w).Sum().Backward().Count // evaluates to 1 for a w that requires grad</code></example>
    public int Count => map.Count;
    /// <summary>The variables that have a gradient, in no particular order.</summary>
    /// <example><code>foreach (var v in grads.Keys) Console.WriteLine(v.Shape.Length);</code></example>
    public IEnumerable<Tensor> Keys => map.Keys;
    /// <summary>The gradients, in the order of <see cref="Keys"/>.</summary>
    /// <example><code>var total = grads.Values.Sum(g => g.Count); // elements over all gradients</code></example>
    public IEnumerable<Tensor> Values => map.Values;
    /// <summary>Whether <paramref name="key"/> (a variable, compared by reference) has a gradient.</summary>
    /// <example><code>grads.ContainsKey(w) // false when the output does not depend on w</code></example>
    public bool ContainsKey(Tensor key) => map.ContainsKey(Guard.NotNull(key));
    /// <summary>The gradient of <paramref name="key"/> if the walk reached it, without throwing when it did
    /// not.</summary>
    /// <example><code>if (grads.TryGetValue(w, out var g)) Console.WriteLine(g);</code></example>
    public bool TryGetValue(Tensor key, [MaybeNullWhen(false)] out Tensor value) =>
        map.TryGetValue(Guard.NotNull(key), out value);
    /// <summary>The (variable, gradient) pairs, in no particular order.</summary>
    /// <example><code>foreach (var (v, g) in grads) Console.WriteLine($"{v.Shape.Length}: {g}");</code></example>
    public IEnumerator<KeyValuePair<Tensor, Tensor>> GetEnumerator() => map.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
