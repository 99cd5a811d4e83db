namespace FuncGrad;

// Jacobians, Hessians and derivatives built from the two primitive transforms, Vjp and Jvp. A Jacobian
// pushes every basis vector through in one batched pass (vmap), not one pass per column.
public static partial class Autodiff
{
    /// <summary>Every one-hot tensor of <paramref name="like"/>'s shape and dtype, in row-major order, as one batch on
    /// axis 0.</summary>
    private static Tensor Basis(Tensor like) =>
        Tensor.Eye(like.Count, like.DType).To(like.Device).Reshape([like.Count, .. like.shape]);

    private static int[] Concat(int[] a, int[] b) => [.. a, .. b];

    /// <summary>
    /// The Jacobian by reverse mode: the pullbacks of every output element's one-hot in one batched (vmapped)
    /// backward pass, after a single forward pass.
    /// The result has shape (output shape) ++ (input shape).
    /// </summary>
    /// <remarks>Cheapest when the output is smaller than the input.</remarks>
    /// <example><code>
    /// Autodiff.JacRev(x => x * x, Tensor.FromArray([1.0, 2.0])) // tensor([[2., 0.], [0., 4.]], dtype=float64)
    /// </code></example>
    [Peers("torch.func.jacrev", "jax.jacrev", "")]
    public static Tensor JacRev(Func<Tensor, Tensor> f, Tensor x)
    {
        Guard.NotNull(f); Guard.NotNull(x);
        var (y, back) = Vjp(f, x);
        return JacobianFromPullback(y, back, x);
    }

    private static Tensor JacobianFromPullback(Tensor y, Func<Tensor, Tensor> back, Tensor x)
    {
        var shape = Concat(y.shape, x.shape);
        if (y.Count == 0) return Tensor.Zeros(shape, x.DType).To(x.Device);
        return Vmap(back, Basis(y)).Reshape(shape); // row i: the pullback of the i-th one-hot cotangent
    }

    /// <summary>
    /// The Jacobian by forward mode: the JVPs along every input element's one-hot in one batched (vmapped)
    /// forward pass. The result has shape (output shape) ++
    /// (input shape).
    /// </summary>
    /// <remarks>Cheapest when the input is smaller than the output.</remarks>
    /// <example><code>
    /// Autodiff.JacFwd(x => x.Sin(), Tensor.FromArray([0.0])) // tensor([[1.]], dtype=float64)
    /// </code></example>
    [Peers("torch.func.jacfwd", "jax.jacfwd", "")]
    public static Tensor JacFwd(Func<Tensor, Tensor> f, Tensor x)
    {
        Guard.NotNull(f); Guard.NotNull(x);
        if (x.Count == 0)
        {
            var y = f(x);
            return Tensor.Zeros(Concat(y.shape, x.shape), x.DType).To(x.Device);
        }
        // column j, the tangent along the j-th one-hot, stacked last: [output..., input count], then the input axes
        // unfolded
        var columns = Vmap(e => Jvp(f, x, e).Tangent, Basis(x), outAxis: -1);
        return columns.Reshape(Concat(columns.shape[..^1], x.shape));
    }

    /// <summary>
    /// The Jacobian, by forward mode when the input has no more elements than the output and by reverse
    /// mode otherwise. The result has shape (output shape) ++ (input shape).
    /// </summary>
    /// <example><code>
    /// Autodiff.Jacobian(x => x * 3.0, Tensor.FromArray([1.0, 2.0])) // tensor([[3., 0.], [0., 3.]], dtype=float64)
    /// </code></example>
    [Peers("torch.autograd.functional.jacobian", "jax.jacobian", "dsharp.jacobian",
        Notes = "forward or reverse mode by shape (jax.jacobian is jacrev)")]
    public static Tensor Jacobian(Func<Tensor, Tensor> f, Tensor x)
    {
        Guard.NotNull(f); Guard.NotNull(x);
        var (y, back) = Vjp(f, x);
        return x.Count <= y.Count ? JacFwd(f, x) : JacobianFromPullback(y, back, x);
    }

    /// <summary>
    /// The Hessian, by forward mode over reverse mode (JacFwd of JacRev, as JAX's <c>hessian</c>): shape (output
    /// shape) ++ (input shape) ++ (input shape), so (input shape) ++ (input shape) for a scalar output, and one
    /// Hessian per output element for a vector-valued function.
    /// </summary>
    /// <example><code>
    /// Autodiff.Hessian(x => (x * x * x).Sum(), Tensor.FromArray([1.0, 2.0]))
    /// // tensor([[6., 0.], [0., 12.]], dtype=float64)
    /// </code></example>
    [Peers("torch.func.hessian", "jax.hessian", "dsharp.hessian")]
    public static Tensor Hessian(Func<Tensor, Tensor> f, Tensor x)
    {
        Guard.NotNull(f); Guard.NotNull(x);
        return JacFwd(v =>
        {
            var (y, back) = Vjp(f, v);
            // a scalar's Jacobian is its gradient: one pullback, not a vmap over a basis of one
            return y.Rank == 0 ? back(Tensor.OnesLike(y.Value)) : JacobianFromPullback(y, back, v);
        }, x);
    }

    /// <summary>
    /// The Hessian-vector product H·v of a function with a one-element output, without forming H:
    /// forward mode through the gradient, at about the cost of two gradients.
    /// </summary>
    /// <example><code>
    /// Autodiff.Hvp(x => (x * x).Sum(), Tensor.FromArray([1.0, 2.0]), Tensor.FromArray([1.0, 0.0]))
    /// // tensor([2., 0.], dtype=float64)
    /// </code></example>
    [Peers("torch.autograd.functional.hvp", "", "dsharp.hessianv", Notes = "forward over reverse, H never formed")]
    public static Tensor Hvp(Func<Tensor, Tensor> f, Tensor x, Tensor v)
    {
        Guard.NotNull(f); Guard.NotNull(x); Guard.NotNull(v);
        return Jvp(u => ValueAndGrad(f, u, "hvp",
            "For a vector-valued function, take the Hessian (Autodiff.Hessian gives one per output element) or the " +
            "HVP of one output element (x => f(x)[i]) or of their sum").Gradient, x, v).Tangent;
    }

    /// <summary>
    /// The derivative of a function of one element (any output shape), by forward mode: d f(x) / dx,
    /// with f's output shape.
    /// </summary>
    /// <example><code>Autodiff.Diff(x => x.Sin(), Tensor.Scalar(0.0)) // tensor(1., dtype=float64)</code></example>
    [Peers("", "", "dsharp.diff", Notes = "f of one element")]
    public static Tensor Diff(Func<Tensor, Tensor> f, Tensor x)
    {
        Guard.NotNull(f); Guard.NotNull(x);
        if (x.Count != 1)
            throw new ShapeMismatchException(
                $"diff: the point has shape {Shapes.Show(x.shape)}; diff differentiates functions of one element. " +
                "Use Grad, Jvp or Jacobian for more");
        return Jvp(f, x, Tensor.OnesLike(x.Value)).Tangent;
    }

    /// <summary>The <paramref name="n"/>-th derivative of a function of one element, by nesting forward mode n times (n
    /// = 0 gives f(x)).</summary>
    /// <example><code>
    /// Autodiff.DiffN(3, x => x.Sin(), Tensor.Scalar(0.0)) // tensor(-1., dtype=float64)
    /// </code></example>
    [Peers("", "", "dsharp.diffn", Notes = "f of one element")]
    public static Tensor DiffN(int n, Func<Tensor, Tensor> f, Tensor x)
    {
        Guard.NotNull(f); Guard.NotNull(x);
        if (n < 0) throw new ArgumentOutOfRangeException(nameof(n), $"diffn: order {n} is negative; give 0 or more");
        var g = f;
        for (int i = 0; i < n; i++) { var inner = g; g = v => Diff(inner, v); }
        return g(x);
    }
}
