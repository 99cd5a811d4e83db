#!/usr/bin/env bash
# Builds the documentation site into artifacts/site: the pages of docs/ (README.md as the home page), each
# docs script with the output it printed, and the API reference of FuncGrad.Core, FuncGrad and
# FuncGrad.Testing from their XML docs, by fsdocs (`dotnet tool restore` brings it). Exits non-zero when
# a docs script fails, a link or anchor of a page points nowhere, a <see cref> does not resolve, or fsdocs
# reports any other problem (--strict). Public members without docs are a build error for C# (CS1591)
# and a failing test for all three libraries (tests/Properties/ApiDocsTests.fs).
#
# Open artifacts/site/index.html in a browser. Links start at DOCS_ROOT, by default the output folder as a
# file:// URL; to serve the folder (python3 -m http.server -d artifacts/site) set DOCS_ROOT=/, and to
# publish it set DOCS_ROOT to its URL. DOCS_REPO_URL (e.g. https://github.com/o/r/blob/main) turns links
# from docs/ to other files of the repository into links there; without it they become plain text.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

out=artifacts/site
staging=.docs-site-input          # beside docs/, so the scripts' ../src paths resolve the same
script_out=artifacts/docs-script-output
root="${DOCS_ROOT:-file://$PWD/$out/}"

dotnet tool restore
# fsdocs cracks every project of the solution and stops (--strict) at one that is not restored, as the
# benchmarks are not in a fresh clone.
dotnet restore FuncGrad.sln -v q
# The tests build all three libraries (the scripts #r their Release output); their "api docs" tests fail on a
# public type or member without a summary and an example, on a summary longer than two sentences or 45 words,
# and on a cref that names nothing.
dotnet build tests/Properties -c Release -nologo -v q
# docs/devices.fsx runs on torch:cpu: it #r's FuncGrad.LibTorch and TorchSharp from the backend tests' output, where the
# native libtorch lies beside them (build/LibTorchSharp.targets patches it for Debian 12's libstdc++).
dotnet build tests/Backend.LibTorch -c Release -nologo -v q
dotnet run --project tests/Properties -c Release --no-build -- --filter-test-list "api docs" --summary --colours 0 \
  --no-spinner

# Every script runs as CI and the pages tell readers to run it; its output goes on its page.
rm -rf "$script_out"
# Two scripts at a time: an fsi process spends most of its time compiling on one core.
run_script() {
  local script=$1 rel=${1#docs/}
  mkdir -p "$script_out/$(dirname "$rel")"
  if dotnet fsi --quiet --exec "$script" >"$script_out/$rel.out" 2>&1; then
    echo "== dotnet fsi $script: ok"
  else
    cat "$script_out/$rel.out"
    echo "docs script failed: $script"
    touch "$script_out/$rel.failed"
  fi
}
export -f run_script
export script_out
find docs -name '*.fsx' | sort | xargs -P 2 -I{} bash -c 'run_script "$1"' _ {}
failed=$(find "$script_out" -name '*.failed' | wc -l)
if [ "$failed" -gt 0 ]; then
  echo "docs site: $failed docs script(s) failed"
  exit 1
fi

dotnet fsi --quiet --exec .ci/docs-site/stage.fsx "$staging" "$script_out" "${DOCS_REPO_URL:-}"
cp .ci/docs-site/_template.html "$staging/_template.html"

# fsdocs finds the libraries in FuncGrad.sln (it skips executables) and names the site after it; it writes
# its caches to .fsdocs/ and tmp/. --strict fails on unresolved cross-references.
log=$(mktemp)
status=0
dotnet fsdocs build --strict --clean \
  --input "$staging" --output "$out" \
  --properties Configuration=Release \
  --parameters root "$root" fsdocs-collection-name FuncGrad fsdocs-logo-link "${root}index.html" \
  >"$log" 2>&1 || status=$?
# One line per file is noise; the rest (projects, parameters, warnings, errors) stays.
grep -v '^  \(Generating\|copying\|writing\|preparing\|generating\|reading\|registering\|found\) ' "$log" || true
if [ "$status" -ne 0 ]; then
  echo "docs site: fsdocs failed (exit code $status)"
  exit 1
fi

dotnet fsi --quiet --exec .ci/docs-site/dedent.fsx "$out"
dotnet fsi --quiet --exec .ci/docs-site/check-links.fsx "$out" "$root"
echo "docs site: built $out (open ${root}index.html)"
