"""Reads F# Interactive's echo of tests/packages/Interactive.fsx. f(x) = sum(x^3) at x = [1, 2, 3], so the gradient
is 3x^2 = [3, 12, 27] and the Hessian diag(6x) = diag(6, 12, 18). Each must echo as `val it: Tensor = tensor(...)`
(the printer the package installs), not as fsi's listing of the tensor's properties. Whitespace inside the printed
tensor (column alignment, line breaks) is not what this checks, so runs of it are compared as one space."""
import re
import sys

text = open(sys.argv[1]).read()
flat = re.sub(r"\s+", " ", text)
flat = re.sub(r"\[ ", "[", flat)
expected = [
    "val it: Tensor = tensor([3., 12., 27.], dtype=float64)",
    "val it: Tensor = tensor([[6., 0., 0.], [0., 12., 0.], [0., 0., 18.]], dtype=float64)",
]
ok = True
for e in expected:
    if e not in flat:
        print(f"not echoed: {e}")
        ok = False
for listing in ("IsLeaf =", "RequiresGradient =", "Shape = seq"):
    if listing in text:
        print(f"fsi listed the tensor's properties ({listing!r}): the package's printer was not installed")
        ok = False
if "error" in text.lower():
    print("fsi reported an error")
    ok = False
print(text if not ok else "fsi echoed the gradient and the Hessian as expected")
sys.exit(0 if ok else 1)
