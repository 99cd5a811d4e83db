using System.Runtime.CompilerServices;

namespace FuncGrad;

/// <summary>
/// An op's or a transformation's row in docs/ops.md: the names its peers give it, written on its public entry
/// point, so that the row lives with the op. The page is generated from these by reflection
/// (<c>dotnet run --project tests/Properties -c Release -- --write-ops-page</c>), and tests/Properties fails when it
/// is stale. The C# names come from the members themselves; the F# names from the F# library, by the rule that the
/// C# name in camelCase, case aside, is the F# function's (<c>LogSoftmax</c>: <c>Tensor.logSoftmax</c>, and
/// <c>Tensor.logSoftmaxAxis</c> beside it), or from <see cref="FSharp"/> where the F# name differs.
/// </summary>
/// <remarks>
/// One member of a name carries it; its overloads, and the operators and static forms that spell the same op
/// (<c>a + b</c> for <c>Add</c>), join its row. The family (the table it is listed in) is the file it is written
/// in, and rows keep the order of the lines they are written on. A peer name is its library's own spelling,
/// several separated by ", "; an empty string says the peer has none. A function of the F# library may carry it
/// too, for a row that C# has no member for (an optimiser, <c>Optim.adam</c>).
/// </remarks>
/// <param name="torch">PyTorch's name: <c>torch.exp</c>.</param>
/// <param name="jax">JAX's name: <c>jnp.exp</c> (jnp being jax.numpy), <c>jax.nn.softplus</c>.</param>
/// <param name="diffSharp">DiffSharp's name: <c>dsharp.exp</c>.</param>
/// <param name="file">The source file (by the compiler): the row's family.</param>
/// <param name="line">The source line (by the compiler): the row's place in its family.</param>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
internal sealed class PeersAttribute(string torch, string jax, string diffSharp,
    [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) : Attribute
{
    public string Torch => torch;
    public string Jax => jax;
    public string DiffSharp => diffSharp;
    public string File => file;
    public int Line => line;

    /// <summary>A short note for the page: a convention a reader porting code needs ("stop excluded").</summary>
    public string Notes { get; set; } = "";

    /// <summary>The F# names, separated by ", ", where they are not the C# name in camelCase (<c>To</c> is
    /// <c>Tensor.toDevice</c>). Each also claims the F# functions that extend it (<c>toDeviceOf</c>).</summary>
    public string FSharp { get; set; } = "";

    /// <summary>
    /// True for an op with no op object of its own: it calls other ops (<c>Mean</c> is <c>Sum</c> times 1/n), or
    /// none (a factory, <c>Detach</c>), and theirs are its batching rules and device kernels. Otherwise the op
    /// applies an op named as it (<c>Exp</c> applies <c>Exp</c>), which must have both. The completeness tests check
    /// either claim on every spec-table row that covers the op.
    /// </summary>
    public bool Composed { get; set; }
}
