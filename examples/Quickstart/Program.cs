using FuncGrad;

// A few gradients, each printed beside the value worked out by hand.

// 1. The gradient of a function: f(x) = Σ x², so ∇f = 2x.
var x = Tensor.FromArray([1.0, 2.0, 3.0]);
Console.WriteLine($"grad of sum(x^2) at {x}:\n  {Autodiff.Grad(v => (v * v).Sum(), x)}   (by hand: 2x = [2, 4, 6])");

// 2. The lecture's PyTorch style: variables, a persistent graph, backward() as a value.
var w = Tensor.FromArray(new double[,] { { 1, 2 }, { 3, 4 } }).RequiresGrad();
var b = Tensor.FromArray([0.5, -0.5]).RequiresGrad();
var input = Tensor.FromArray([1.0, 1.0]);
var loss = (w.MatMul(input) + b).Tanh().Sum();
var grads = loss.Backward();
Console.WriteLine($"loss = {loss}");
Console.WriteLine($"dloss/dW = {grads[w]}");
Console.WriteLine($"dloss/db = {grads[b]}");
Console.WriteLine($"backward again (no retain_graph needed) equal: {grads[w].Equals(loss.Backward()[w])}");

// 3. Higher order: d³/dx³ sin(x) at 0 is −cos(0) = −1, by nesting grad.
Func<Tensor, Tensor> sin = t => t.Sin();
var third = Autodiff.Grad(t => Autodiff.Grad(s => Autodiff.Grad(sin, s), t), Tensor.Scalar(0.0));
Console.WriteLine($"d3/dx3 sin(x) at 0 = {third}   (by hand: -cos 0 = -1)");

// 4. Forward mode: the directional derivative of x ↦ x² along v at x is 2x·v.
var (value, tangent) = Autodiff.Jvp(t => t * t, Tensor.FromArray([3.0, 4.0]), Tensor.FromArray([1.0, 0.5]));
Console.WriteLine($"jvp of x^2 at [3, 4] along [1, 0.5]: value {value}, tangent {tangent}   (by hand: [6, 4])");

// 5. No perturbation confusion: d/dx [x · d/dy (x + y)] at x = 1 is 1.
var confusion = Autodiff.Grad(u => u * Autodiff.Grad(y => u + y, Tensor.Scalar(1.0)), Tensor.Scalar(1.0));
Console.WriteLine($"d/dx [x * d/dy (x + y)] = {confusion}   (correct answer: 1)");

// 6. Indexing: an integer (or ^1, from the end) drops its axis, a range (end exclusive) keeps it. A slice is an op
//    like any other: its gradient puts ones where it read, zeros elsewhere.
var m = Tensor.Arange(0, 12).Reshape([3, 4]);
Console.WriteLine($"m =\n{m}\nm[1] = {m[1]}, m[^1, 1..3] = {m[^1, 1..3]}, m[.., 0] = {m[.., 0]}");
var picked = Autodiff.Grad(t => t[1.., ^1].Sum(), m);
Console.WriteLine($"grad of sum(m[1.., ^1]) =\n{picked}   (by hand: ones at rows 1, 2 of column 3)");
