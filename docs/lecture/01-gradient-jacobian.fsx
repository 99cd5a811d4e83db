// Lecture, part 1: the gradient and the Jacobian of small functions, by FuncGrad and by hand.
// Run after `dotnet build src/Functional.FSharp -c Release`: dotnet fsi docs/lecture/01-gradient-jacobian.fsx
// Every `check` compares FuncGrad's answer with the formula derived by hand, and fails the script on a mismatch.
#load "../Checks.fsx"

open FuncGrad
open Checks

let x = Tensor.ofList [ 1.5; -0.7 ]
let x1, x2 = 1.5, -0.7

// f(x) = x₁²·x₂ + sin x₂, so ∇f = [2·x₁·x₂, x₁² + cos x₂].
let f (v: Tensor) =
    let a, b = Tensor.slice [ (0, 1) ] v, Tensor.slice [ (1, 2) ] v
    Tensor.sum (a * a * b + sin b)

check "∇(x₁²x₂ + sin x₂)" (grad f x) (Tensor.ofList [ 2.0 * x1 * x2; x1 * x1 + cos x2 ])

// f(x) = ‖x‖² = xᵀx, so ∇f = 2x.
check "∇‖x‖²" (grad (fun v -> Tensor.dot v v) x) (2.0 * x)

// f(x) = xᵀAx, so ∇f = (A + Aᵀ)x; for a symmetric A that is 2Ax.
let A = Tensor.ofArray2D (array2D [ [ 2.0; 1.0 ]; [ -3.0; 4.0 ] ])
check "∇(xᵀAx)" (grad (fun v -> Tensor.dot v (Tensor.matmul A v)) x) (Tensor.matmul (A + Tensor.transpose A) x)

// g : R² → R³, g(x) = [x₁x₂, sin x₁, x₁ + 3x₂²]. Row i of the Jacobian is ∇gᵢ:
//   J = [[x₂, x₁], [cos x₁, 0], [1, 6x₂]]
let g (v: Tensor) =
    let a, b = Tensor.slice [ (0, 1) ] v, Tensor.slice [ (1, 2) ] v
    Tensor.concat [ a * b; sin a; a + 3.0 * b * b ]

let J =
    Tensor.ofArray2D (array2D [ [ x2; x1 ]; [ cos x1; 0.0 ]; [ 1.0; 6.0 * x2 ] ])

check "Jacobian of g, reverse mode (row by row)" (jacrev g x) J
check "Jacobian of g, forward mode (column by column)" (jacfwd g x) J

// A linear map is its own Jacobian: g(x) = Wx has J = W.
let W = Tensor.ofArray2D (array2D [ [ 1.0; 2.0 ]; [ 3.0; 4.0 ]; [ 5.0; 6.0 ] ])
check "Jacobian of x ↦ Wx" (jacobian (Tensor.matmul W) x) W

// An elementwise map has a diagonal Jacobian: J(tanh)(x) = diag(1 − tanh² x).
check "Jacobian of tanh" (jacobian tanh x) (Tensor.eye 2 * (1.0 - tanh x * tanh x))

// The chain rule: ∇(h ∘ g)(x) = J_g(x)ᵀ · ∇h(g(x)), here with h(y) = Σ yᵢ².
let h (y: Tensor) = Tensor.sum (y * y)
check "∇(h ∘ g) = J_gᵀ ∇h" (grad (g >> h) x) (Tensor.matmul (Tensor.transpose J) (2.0 * g x))

// A vector-Jacobian product uᵀJ and a Jacobian-vector product Jv, without forming J.
let u = Tensor.ofList [ 1.0; -1.0; 2.0 ]
let v = Tensor.ofList [ 0.5; 2.0 ]
check "uᵀJ by vjp" ((snd (vjp g x)) u) (Tensor.matmul (Tensor.transpose J) u)
check "Jv by jvp" (snd (jvp g x v)) (Tensor.matmul J v)
printfn "01-gradient-jacobian.fsx: all checks passed"
