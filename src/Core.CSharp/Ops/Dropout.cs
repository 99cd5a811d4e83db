using FuncGrad.Kernels.Random;

namespace FuncGrad;

// Dropout from a random key: element n of x (its row-major index) is kept iff Philox.Kept(k0, k1, n,
// Philox.DropThreshold(p)), the rule fused attention's dropout uses too, so the two agree bit for bit. The mask is a
// draw of the key (DrawOp, no derivative, batched over keys), and the result is x times it: differentiable in x to
// every order, batched and compiled as a product.
public sealed partial class Tensor
{
    /// <summary>
    /// Zeroes each element with probability <paramref name="p"/> and scales the others by 1/(1 − p), as PyTorch's
    /// <c>F.dropout(x, p, training)</c>, the mask drawn from <paramref name="key"/>.
    /// </summary>
    /// <remarks>
    /// Element n (row-major) is kept iff word n of the key's Philox stream is at least round(p·2^32), and kept
    /// elements are multiplied by s = 1/(1 − p) rounded to the dtype (p = 1 gives zeros, as PyTorch). So the dropped
    /// elements are where <c>RandomKeys.Bernoulli(key, p, x.Shape)</c> is true. Not training, or p = 0, returns x.
    /// Under vmap with the key captured, every example gets the same mask; map over a batch of keys for different
    /// masks.
    /// </remarks>
    /// <param name="key">A key, int64 [2] (RandomKeys.Key, Split, Fold).</param>
    /// <param name="p">The probability of zeroing an element, in [0, 1].</param>
    /// <param name="training">False returns x unchanged (evaluation).</param>
    /// <example><code>Tensor.Ones([4]).Dropout(RandomKeys.Key(0), 0.5) // elements 0 or 2</code></example>
    [Peers("torch.nn.functional.dropout", "", "dsharp.dropout",
        Notes = "the mask drawn from a key (Philox); the key is required", Composed = true)]
    public Tensor Dropout(Tensor key, double p = 0.5, bool training = true)
    {
        DropoutArgs(key, p, "dropout");
        if (!training || p == 0) return this;
        double scale = p == 1 ? 0 : 1 / (1 - p);
        return this * DropMask(key, scale, 0, p, "dropout");
    }

    /// <summary>
    /// Alpha dropout for SELU networks, as PyTorch's <c>F.alpha_dropout(x, p, training)</c>: dropped elements set to
    /// SELU's negative saturation, then an affine map that keeps zero mean and unit variance.
    /// </summary>
    /// <remarks>
    /// The mask is <see cref="Dropout"/>'s (the same key keeps the same elements). With α' = −λα = −1.7580993408473766
    /// (SELU's λ = 1.0507009873554805, α = 1.6732632423543772), a = ((1 − p)(1 + p·α'²))^(−1/2) and b = −a·α'·p, a
    /// kept element becomes a·x + b and a dropped one a·α' + b: for x of zero mean and unit variance the result has
    /// both too (E = (1 − p)·0 + p·α' times a, plus b, is 0; the variance a²(1 − p)(1 + p·α'²) is 1). Not training, or
    /// p = 0, returns x; p = 1 gives zeros, as PyTorch.
    /// </remarks>
    /// <param name="key">A key, int64 [2].</param>
    /// <param name="p">The probability of dropping an element, in [0, 1].</param>
    /// <param name="training">False returns x unchanged.</param>
    /// <example><code>Tensor.Zeros([3]).AlphaDropout(RandomKeys.Key(0), 0.2).Shape // evaluates to [3]</code></example>
    [Peers("torch.nn.functional.alpha_dropout", "", "", Notes = "the mask drawn from a key, as Dropout's",
        Composed = true)]
    public Tensor AlphaDropout(Tensor key, double p = 0.5, bool training = true)
    {
        DropoutArgs(key, p, "alphaDropout");
        if (!training || p == 0) return this;
        if (p == 1) return this * DropMask(key, 0, 0, p, "alphaDropout");
        const double alphaPrime = -1.7580993408473766;
        double a = 1 / Math.Sqrt((1 - p) * (1 + p * alphaPrime * alphaPrime)), b = -a * alphaPrime * p;
        return this * DropMask(key, a, 0, p, "alphaDropout") + DropMask(key, b, a * alphaPrime + b, p, "alphaDropout");
    }

    private void DropoutArgs(Tensor key, double p, string op)
    {
        Guard.NotNull(key, member: op);
        if (!(p >= 0 && p <= 1))
            throw new ArgumentOutOfRangeException(nameof(p), $"{op}: p is {p}; give a probability in [0, 1]");
        if (!DType.IsFloat())
            throw new DTypeMismatchException($"{op}: x is {Shapes.Show(this)}; dropout takes float tensors");
        Keys.Check(key, op);
        if (key.Rank != 1)
            throw new ShapeMismatchException(
                $"{op}: the key is {Shapes.Show(key)}; give one key [2] (vmap over a batch of keys for one mask each)");
    }

    /// <summary>x's shape and dtype: <paramref name="kept"/> where element n survives at p, else
    /// <paramref name="dropped"/>.</summary>
    /// <remarks>The mask is drawn on the key's device (on the host, then moved) and moved to x's.</remarks>
    private Tensor DropMask(Tensor key, double kept, double dropped, double p, string op) =>
        DrawOp.On(key, Draw.Mask, shape, DType, op, kept, dropped, i: (long)Philox.DropThreshold(p)).To(Device);
}
