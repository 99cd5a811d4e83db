#!/usr/bin/env bash
# Mutation testing with Stryker.NET (issue 26): plants small changes in the given source files, one at a time, runs
# the tests that reach each one, and prints the mutation score and every change that no test noticed. Not in CI: on
# the 2-core machine one family (a file of src/Core.CSharp/Ops) takes 10 to 30 minutes, most of it two runs of the
# whole suite (once plain, once recording which tests reach which mutant).
#
#   tests/mutation.sh src/Core.CSharp/Ops/Reductions.cs [more files or folders of the same project]
#   tests/mutation.sh src/Core.CSharp/Kernels
#   tests/mutation.sh src/Backend.LibTorch/TorchBackend.cs
#
# The files must belong to one project: src/Core.CSharp, tested by tests/Properties, or src/Backend.LibTorch, tested
# by tests/Backend.LibTorch on torch:cpu. Environment: MUTATION_LEVEL (Stryker's level, default Standard),
# MUTATION_CONCURRENCY (test processes at once, default 1), MUTATION_WORK (default obj/mutation).
#
# How: the working tree's files (tracked and untracked, not ignored) are copied to $MUTATION_WORK/tree, so the
# checkout's own build outputs stay as they are, and built there with FUNCGRAD_MUTATION=true, which makes the test
# project a VSTest test project whose tests tests/Mutation/FuncGrad.Expecto.TestAdapter runs, one at a time, telling
# VSTest (and so Stryker's coverage collector) when each starts and ends. dotnet-stryker is the local tool of
# .config/dotnet-tools.json. Stryker's JSON and HTML reports and its log stay in $MUTATION_WORK/report.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if [ $# -eq 0 ]; then
  sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi

project=""
mutate=()
for arg in "$@"; do
  path="${arg%/}"
  case "$path" in
    src/Core.CSharp/*) p=Core.CSharp; rel="${path#src/Core.CSharp/}" ;;
    src/Backend.LibTorch/*) p=Backend.LibTorch; rel="${path#src/Backend.LibTorch/}" ;;
    *) echo "mutation: $arg is not under src/Core.CSharp or src/Backend.LibTorch" >&2; exit 2 ;;
  esac
  if [ ! -e "$path" ]; then echo "mutation: $arg does not exist" >&2; exit 2; fi
  if [ -n "$project" ] && [ "$project" != "$p" ]; then
    echo "mutation: $arg is in $p, the files before it in $project; run each project on its own" >&2
    exit 2
  fi
  project="$p"
  if [ -d "$path" ]; then mutate+=(--mutate "**/$rel/**/*.cs"); else mutate+=(--mutate "**/$rel"); fi
done

case "$project" in
  Core.CSharp) tests=tests/Properties ;;
  Backend.LibTorch) tests=tests/Backend.LibTorch; export FUNCGRAD_DEVICE=torch:cpu ;;
esac

work="${MUTATION_WORK:-$root/obj/mutation}"
tree="$work/tree"
out="$work/report"
mkdir -p "$tree"
rm -rf "$out"

# Copy the working tree, keeping the copy's build outputs (so a second run builds incrementally) and removing files
# that the checkout no longer has.
git ls-files -z --cached --others --exclude-standard | sort -z >"$work/files"
tar --null -cf - -T "$work/files" | tar -xf - -C "$tree"
(cd "$tree" && find . -type f -not -path '*/bin/*' -not -path '*/obj/*' -printf '%P\0' | sort -z) >"$work/copied"
comm -z -23 "$work/copied" "$work/files" | (cd "$tree" && xargs -0 -r rm -f)

export FUNCGRAD_MUTATION=true
cd "$tree"
dotnet tool restore >/dev/null
cd "$tree/$tests"
echo "mutation: $project, ${mutate[*]}; Stryker's log: $out/stryker.log" >&2
status=0
dotnet stryker --project "$project.csproj" --configuration Release --skip-version-check \
  --concurrency "${MUTATION_CONCURRENCY:-1}" --mutation-level "${MUTATION_LEVEL:-Standard}" \
  --reporter json --reporter html --reporter cleartext --output "$out" "${mutate[@]}" >"$work/stryker.log" 2>&1 ||
  status=$?
mkdir -p "$out"
mv "$work/stryker.log" "$out/stryker.log"
if [ $status -ne 0 ] || [ ! -f "$out/reports/mutation-report.json" ]; then
  tail -n 40 "$out/stryker.log" >&2
  echo "mutation: Stryker failed (exit code $status); its log: $out/stryker.log" >&2
  exit 1
fi
grep -E "Time Elapsed|mutants got status|total mutants" "$out/stryker.log" | sed 's/^\[[^]]*\] /stryker: /' >&2 || true
dotnet fsi "$root/tests/Mutation/report.fsx" "$out/reports/mutation-report.json"
