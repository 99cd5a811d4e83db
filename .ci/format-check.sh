#!/usr/bin/env bash
# The house conventions (.editorconfig): C# as `dotnet format` leaves it, F# as Fantomas leaves it, and no line of
# C# or F# longer than 120 columns. Prints "format: N passed, N failed" (three checks) for .ci/run to add up.
# To fix what it finds: `dotnet format FuncGrad.sln` and `dotnet fantomas src tests examples benchmarks docs`.
set -uo pipefail
cd "$(dirname "$0")/.."
passed=0
failed=0
check() { # name command...
  local name=$1; shift
  if "$@"; then echo "format $name: ok"; passed=$((passed + 1)); else echo "format $name: FAILED"; failed=$((failed + 1)); fi
}
dotnet tool restore >/dev/null
check "dotnet format --verify-no-changes (C#)" dotnet format FuncGrad.sln --verify-no-changes -v q
check "fantomas --check (F#)" dotnet fantomas --check src tests examples benchmarks docs
long_lines() {
  local found
  # Characters, not bytes (Σ, ≡ and × are one column each): grep in a UTF-8 locale.
  found=$(git ls-files '*.cs' '*.fs' '*.fsx' | LC_ALL=C.UTF-8 xargs grep -nE '^.{121,}' | cut -d: -f1,2)
  [ -z "$found" ] || { echo "$found" | head -n 40; echo "$(echo "$found" | wc -l) lines over 120 columns"; false; }
}
check "lines at most 120 columns" long_lines
echo "format: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
