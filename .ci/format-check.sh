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
  found=$(git ls-files '*.cs' '*.fs' '*.fsx' | xargs awk 'length > 120 { printf "%s:%d: %d columns\n", FILENAME, FNR, length }')
  [ -z "$found" ] || { echo "$found" | head -n 40; echo "$(echo "$found" | wc -l) lines over 120 columns"; false; }
}
check "lines at most 120 columns" long_lines
echo "format: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
