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

    /// <summary>The gradient of variable <paramref name="variable"/>; throws if the walk did not reach it, or if it is
    /// not a variable (a tensor computed from variables, or a plain tensor), saying which.</summary>
    /// <example><code>grads[w] // the gradient with respect to w</code></example>
    public Tensor this[Tensor variable] =>
        map.TryGetValue(Guard.NotNull(variable, member: "gradients[]"), out var g) ? g
        : throw NotFound(variable, "Use TryGetValue, or GetValueOrZeros");

    /// <summary>The gradient of <paramref name="variable"/>, or zeros of its shape if the walk did not reach it.
    /// Throws, as the indexer does, for a tensor that is not a variable: its gradient is never kept, so zeros there
    /// would hide a mistake.</summary>
    /// <example><code>grads.GetValueOrZeros(unused) // zeros shaped like unused</code></example>
    public Tensor GetValueOrZeros(Tensor variable)
    {
        if (map.TryGetValue(Guard.NotNull(variable), out var g)) return g;
        if (!variable.IsLeaf || variable.tag != Tags.Imperative) throw NotFound(variable, "");
        return Tensor.ZerosLike(variable.Value);
    }

    /// <summary>Why <paramref name="key"/> has no gradient here, and what to write instead: the lecture's training
    /// loop, written as PyTorch writes it, comes here at its second step.</summary>
    private KeyNotFoundException NotFound(Tensor key, string alternatives)
    {
        const string loop =
            "In a training loop, make each updated parameter a new variable: " +
            "w = (w - lr * grads[w]).Detach().RequiresGrad(), or compute the update inside " +
            "using (Autodiff.NoGrad()) and call RequiresGrad() on its result (in F#: " +
            "w <- (w - lr * g.[w]).Detach().RequiresGrad()); otherwise the graph also grows with every step";
        string what = Shapes.Show(key);
        if (key.IsNode && key.tag == Tags.Imperative && key.op is not null)
            return new KeyNotFoundException(
                $"gradients: this {what} tensor is not a variable but the result of {key.op.Name}, computed from " +
                "variables; Backward() keeps gradients only for variables (the tensors RequiresGrad() returned). " +
                loop);
        if (key.IsPlain)
        {
            bool copied = key.Count > 1 && map.Keys.Any(v => ReferenceEquals(v.StorageKey, key.StorageKey));
            return new KeyNotFoundException(
                $"gradients: this {what} tensor is plain, not a variable" +
                (copied
                    ? ": it is the value RequiresGrad() was called on, and the variable is the new tensor that " +
                      "RequiresGrad() returned (the original stays plain). Look the gradient up with that one: " +
                      "var w = x.RequiresGrad(); ... grads[w]"
                    : ". Gradients are kept for the variables RequiresGrad() returns (a new tensor; the original " +
                      "stays plain): look the gradient up with the tensor RequiresGrad() returned, and compute the " +
                      "output from it") + ". " + loop);
        }
        if (key.tag != Tags.Imperative)
            return new KeyNotFoundException(
                $"gradients: this {what} tensor belongs to a functional transform (grad, jvp, vmap, compile), not to " +
                "the graph of RequiresGrad() that Backward() walks; use the transform's own result instead");
        return new KeyNotFoundException(
            ($"gradients: the variable {what} was not reached by backward: the output does not depend on it. " +
             alternatives).TrimEnd());
    }

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
