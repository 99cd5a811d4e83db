using System.Collections.Immutable;

namespace FuncGrad;

public sealed partial class Tensor
{
    /// <summary>
    /// A new tensor with the same values, marked as a differentiation variable of the imperative
    /// graph (PyTorch's <c>requires_grad_()</c>). The original is unchanged.
    /// </summary>
    /// <remarks>
    /// Ops on it record a persistent graph that <see cref="Backward"/> and
    /// <see cref="Autodiff.Grad(IReadOnlyList{Tensor}, IReadOnlyList{Tensor}, IReadOnlyList{Tensor}?, bool, bool)"/>
    /// walk.
    /// </remarks>
    /// <example><code>
    /// var w = Tensor.FromArray([1.0, 2.0]).RequiresGrad(); // w.RequiresGradient is true
    /// </code></example>
    [Peers("torch.Tensor.requires_grad_", "", "Tensor.reverseDiff",
        Notes = "returns a new tensor: a variable of the imperative graph", Composed = true)]
    public Tensor RequiresGrad()
    {
        if (tag == Tags.Imperative && op is null) return this;
        Autodiff.Differentiable(this, 0, 1, "requiresGrad");
        if (Batching.Below(this))
            throw new VmapException(
                $"requiresGrad: this {Shapes.Show(this)} tensor is batched inside vmap; " +
                "mark variables before vmap and capture them in the mapped function, or use vmap of grad");
        if (Tracing.Below(this))
            throw new CompileException(
                $"requiresGrad: this {Shapes.Show(this)} tensor is traced inside compile; mark variables outside " +
                "the compiled function, or use grad (or vjp) inside it");
        if (tag != 0)
            throw new GradientException(
                tag == Tags.Imperative
                    ? $"requiresGrad: this {Shapes.Show(this)} tensor was computed from variables " +
                        $"(grad_fn={op!.Name}); only a leaf can become a variable. Use Detach().RequiresGrad()"
                    : $"requiresGrad: this {Shapes.Show(this)} tensor is being differentiated by a functional " +
                        "transform (grad, jvp, ...); " +
                        "mark variables before entering it, or use Detach().RequiresGrad()");
        return Leaf(this, Tags.Imperative);
    }

    /// <summary>True for variables of the imperative graph and tensors computed from them.</summary>
    /// <example><code>(Tensor.Scalar(1.0).RequiresGrad() * 2.0).RequiresGradient // evaluates to true</code></example>
    public bool RequiresGradient => tag == Tags.Imperative && tangent is null;

    /// <summary>True for a variable made by <see cref="RequiresGrad"/>: a leaf of the graph.</summary>
    /// <example><code>Tensor.Scalar(1.0).RequiresGrad().IsLeaf // evaluates to true</code></example>
    public bool IsLeaf => IsNode && op is null;

    /// <summary>The name of the op that made this tensor in the innermost graph it belongs to (PyTorch's
    /// <c>grad_fn</c>), or null.</summary>
    /// <example><code>(Tensor.Scalar(1.0).RequiresGrad() * 2.0).GradFn // evaluates to "Mul"</code></example>
    public string? GradFn => IsNode ? op?.Name : null;

    /// <summary>
    /// The same values with no history at any level of differentiation: nothing flows back through
    /// it (PyTorch's <c>detach()</c>, JAX's <c>stop_gradient</c>). The storage is shared, not copied.
    /// </summary>
    /// <example><code>var c = w.Detach(); // c.RequiresGradient is false</code></example>
    [Peers("torch.Tensor.detach", "jax.lax.stop_gradient", "dsharp.noDiff", FSharp = "detach, stopGradient",
        Composed = true)]
    public Tensor Detach() => Tracing.InLoopBody(this) ? Op.Apply(StopGradientOp.Instance, Value) : Value;


    /// <summary>
    /// Reverse mode over the imperative graph (PyTorch's <c>backward()</c>): the gradient of this
    /// tensor with respect to every variable it depends on.
    /// </summary>
    /// <remarks>
    /// Returns a new immutable map instead of accumulating into the variables; add maps to accumulate. The graph is
    /// persistent, so this can run any number of times without a <c>retain_graph</c> flag.
    /// </remarks>
    /// <param name="seed">The cotangent of this tensor; required unless it has one element.</param>
    /// <example><code>
    /// var x = Tensor.Scalar(3.0).RequiresGrad();
    /// (x * x + x).Backward()[x] // tensor(7., dtype=float64)
    /// </code></example>
    [Peers("torch.Tensor.backward", "", "Tensor.reverse",
        Notes = "returns the gradients as a map; nothing accumulates")]
    public Gradients Backward(Tensor? seed = null)
    {
        if (tag == 0)
            throw new GradientException(
                $"backward: this {Shapes.Show(this)} tensor has no graph; compute it from variables made with " +
                "RequiresGrad(). Values computed inside NoGrad(), or only from plain tensors, have none: in a " +
                "training loop whose update runs under NoGrad(), call RequiresGrad() on each updated parameter");
        if (seed is null && Count != 1)
            throw new NonScalarOutputException(
                $"backward: the output has shape {Shapes.Show(shape)}; backward without a seed needs one element. " +
                "Pass a seed of the same shape, or reduce with Sum()");
        seed ??= OnesLike(Value);
        if (!Shapes.Same(seed.shape, shape) || seed.DType != DType)
            throw new ShapeMismatchException(
                $"backward: seed is {Shapes.Show(seed)} but the output is {Shapes.Show(this)}; " +
                "pass a seed of the same shape and dtype");
        var start = Autodiff.AtLevel(this, Tags.Imperative);
        if (start is null)
            throw new GradientException(
                "backward: this tensor belongs only to a functional transform's graph; use Autodiff.Grad or Vjp there");
        var b = ImmutableDictionary.CreateBuilder<Tensor, Tensor>(ReferenceEqualityComparer.Instance);
        foreach (var (leaf, g) in FuncGrad.Backward.RunToLeaves([start], [seed], Tags.Imperative)) b[leaf] = g;
        return new Gradients(b.ToImmutable());
    }
}
