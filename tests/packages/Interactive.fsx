// Typed into F# Interactive by tests/packages/consumers.sh, as a new user would (it fills in the folder and version).
// check_fsi.py then reads fsi's echo of each value.
#i "nuget: @FEED@"
#r "nuget: FuncGrad, @VERSION@"
open FuncGrad;;
let f (x: Tensor) = Tensor.sum (x * x * x);;
let x = Tensor.ofList [ 1.0; 2.0; 3.0 ];;
grad f x;;
hessian f x;;
#quit;;
