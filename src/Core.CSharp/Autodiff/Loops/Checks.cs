namespace FuncGrad;

/// <summary>
/// Loops and branches as transformations (Autodiff.Scan, WhileLoop, Cond, ...): the checks of their arguments and of
/// what their functions return, shared by all of them.
/// </summary>
internal static partial class Loops
{
    /// <summary>The number of steps: xs' common leading size, or <paramref name="length"/>.</summary>
    internal static int Steps(Tensor[] init, Tensor[] xs, int? length, int unroll, string name)
    {
        Parts(init, name, "init");
        Parts(xs, name, "xs");
        if (unroll < 1)
            throw new ArgumentOutOfRangeException(nameof(unroll),
                $"{name}: unroll is {unroll}; give 1 or more steps per iteration");
        int? n = length;
        for (int i = 0; i < xs.Length; i++)
        {
            if (xs[i].Rank == 0)
                throw new ShapeMismatchException(
                    $"{name}: xs part {i} is a scalar ({Shapes.Show(xs[i])}); each part of xs needs a leading axis " +
                    "of one element per step");
            if (n is int m && xs[i].shape[0] != m)
                throw new ShapeMismatchException(
                    $"{name}: xs part {i} ({Shapes.Show(xs[i])}) has {xs[i].shape[0]} steps along its leading axis " +
                    (length is null ? $"but part 0 has {m}" : $"but length is {m}") +
                    "; every part of xs needs the same number of steps");
            n ??= xs[i].shape[0];
        }
        if (n is not int steps)
            throw new ArgumentException($"{name}: no xs and no length given; pass xs or the number of steps");
        if (steps < 0)
            throw new ArgumentOutOfRangeException(nameof(length), $"{name}: length {steps} is negative");
        return steps;
    }

    private static void Parts(Tensor[] parts, string name, string what)
    {
        for (int i = 0; i < parts.Length; i++)
            if (parts[i] is null)
                throw new ArgumentNullException(what, $"{name}: {what} part {i} is null; pass a tensor");
    }

    /// <summary>The carry a step returned has the parts, shapes and dtypes of the initial one.</summary>
    internal static void CheckCarry(string name, int step, int index, Tensor[] init, Tensor[] next)
    {
        string at = step == index ? $"step {step}" : $"step {step} (index {index})";
        if (next.Length != init.Length)
            throw new ShapeMismatchException(
                $"{name}: {at} returned a carry of {next.Length} parts where init has {init.Length}; " +
                "the body must return a carry with the parts of init");
        for (int j = 0; j < next.Length; j++)
        {
            if (next[j] is null)
                throw new ArgumentNullException(nameof(next), $"{name}: {at} returned null as carry part {j}");
            if (next[j].DType != init[j].DType || !Shapes.Same(next[j].shape, init[j].shape))
                throw new ShapeMismatchException(
                    $"{name}: {at} changed carry part {j} from {Shapes.Show(init[j])} to {Shapes.Show(next[j])}; " +
                    "a carry keeps its shape and dtype from step to step (convert or reshape inside the body, or " +
                    "start from an init of the shape the body returns)");
        }
    }

    private static void CheckYs(string name, int step, Tensor[] first, Tensor[] y)
    {
        if (y.Length != first.Length)
            throw new ShapeMismatchException(
                $"{name}: step {step} returned {y.Length} outputs where step 0 returned {first.Length}; " +
                "every step returns the same outputs");
        for (int j = 0; j < y.Length; j++)
            if (y[j] is null || y[j].DType != first[j].DType || !Shapes.Same(y[j].shape, first[j].shape))
                throw new ShapeMismatchException(
                    $"{name}: step {step} returned output {j} as " +
                    $"{(y[j] is null ? "null" : Shapes.Show(y[j]))} where step 0 returned {Shapes.Show(first[j])}; " +
                    "every step's outputs have the same shapes and dtypes");
    }

    /// <summary>A while loop carries no reverse-mode variable: its length is not known to the backward pass.</summary>
    private static void NotReversed(Tensor[] carry, int step)
    {
        for (int j = 0; j < carry.Length; j++)
            for (var t = carry[j]; t is { tag: not 0 }; t = t.primal)
                if (t.IsNode)
                    throw new GradientException(
                        $"whileLoop: carry part {j} is being differentiated in reverse mode (grad, vjp, jacrev) at " +
                        $"step {step}; a while loop's number of steps is not known in advance, so reverse mode " +
                        "cannot " +
                        "run it backwards. Use Scan with a fixed length, or ForiLoop with fixed bounds (JAX's rule " +
                        "too); forward mode (jvp, jacfwd) does pass through whileLoop");
    }
}
