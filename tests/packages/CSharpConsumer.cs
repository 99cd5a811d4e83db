// Program.cs of a `dotnet new console` project that added the FuncGrad.Core package (tests/packages/consumers.sh).
// f(x) = sum(x^3) at x = [1, 2, 3]: the gradient is 3x^2 = [3, 12, 27], exactly representable, so compared exactly.
using FuncGrad;

var x = Tensor.FromArray([1.0, 2.0, 3.0]);
var g = Autodiff.Grad(v => (v * v * v).Sum(), x);
Console.WriteLine(g);
double[] expected = [3.0, 12.0, 27.0];
if (!g.ToArray().SequenceEqual(expected))
{
    Console.Error.WriteLine($"expected [{string.Join(", ", expected)}], got {g}");
    return 1;
}
Console.WriteLine("FuncGrad.Core from the package: gradient ok");
return 0;
