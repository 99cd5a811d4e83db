namespace FuncGrad;

/// <summary>Differentiation tags: each differentiation gets a fresh one from an atomic counter.</summary>
/// <remarks>
/// A later differentiation always has a larger tag, so the largest tag among an op's arguments is
/// the innermost differentiation in progress. Tag 1 is reserved for the imperative graph of
/// <see cref="Tensor.RequiresGrad"/>, the outermost level of all.
/// </remarks>
internal static class Tags
{
    internal const long Imperative = 1;
    private static long counter = Imperative;

    internal static long Next() => Interlocked.Increment(ref counter);
    internal static long Current => Volatile.Read(ref counter);
}

/// <summary>
/// Scopes in which reverse-mode graphs are not recorded, like PyTorch's <c>torch.no_grad()</c>.
/// </summary>
/// <remarks>
/// The scope lives in an <see cref="AsyncLocal{T}"/>, so it follows async flows and never leaks to
/// other threads. It stops recording for the differentiations that existed when it was entered;
/// a differentiation started inside it (an <see cref="Autodiff.Grad(Func{Tensor, Tensor}, Tensor)"/> call, say) still
/// works,
/// as torch.func.grad does inside no_grad.
/// </remarks>
internal static class NoGradScope
{
    private static readonly AsyncLocal<long> watermark = new();

    internal static bool Suppresses(long tag) => tag <= watermark.Value;

    internal static IDisposable Enter()
    {
        var previous = watermark.Value;
        watermark.Value = Tags.Current;
        return new Exit(previous);
    }

    private sealed class Exit(long previous) : IDisposable
    {
        private bool done;
        public void Dispose()
        {
            if (done) return;
            done = true;
            watermark.Value = previous;
        }
    }
}
