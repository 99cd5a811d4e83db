#!/usr/bin/env bash
# The packages as a user meets them (issue 12): pack the three libraries into a local folder, forget any copy of
# them in the NuGet caches, then use them from (a) F# Interactive with `#r "nuget: FuncGrad"`, (b) a new C# console
# project with FuncGrad.Core and (c) a new F# console project with FuncGrad and FuncGrad.Testing. Prints one line
# per check, "packages <name>: ok" or "packages <name>: FAILED", and then "packages: N passed, N failed".
# Usage: tests/packages/consumers.sh [feed-folder]   (default: a fresh temporary folder)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

work=$(mktemp -d)
feed=${1:-$work/feed}
mkdir -p "$feed"
# The copies, projects and logs go with the script; a feed folder given as the argument stays.
trap 'rm -rf "$work"' EXIT
version=$(dotnet msbuild "$root/src/Core.CSharp/Core.CSharp.csproj" -getProperty:Version)
passed=0
failed=0
result() { # name status log
  if [ "$2" -eq 0 ]; then echo "packages $1: ok"; passed=$((passed + 1))
  else echo "packages $1: FAILED"; sed 's/^/    /' "$3" | tail -n 40; failed=$((failed + 1)); fi
}

# Packed from two copies of the tree (its files and .git) in different folders, so nothing built before in the
# tree is reused, and the two builds can be compared for reproducibility at the end.
copy_tree() {
  mkdir -p "$1"
  (cd "$root" && { git ls-files -co --exclude-standard; find .git -type f; } | tar -cf - -T - 2>/dev/null) | tar -xf - -C "$1"
}
echo "== dotnet pack -c Release -o $feed (version $version), from a copy of the tree"
rm -f "$feed"/FuncGrad*.nupkg
copy_tree "$work/a/FuncGrad"
if ! dotnet pack "$work/a/FuncGrad/FuncGrad.sln" -c Release -o "$feed" -nologo -v q -p:ContinuousIntegrationBuild=true; then
  echo "packages pack: FAILED"; echo "packages: 0 passed, 1 failed"; exit 1
fi
made=$(cd "$feed" && ls *.nupkg | sort | tr '\n' ' ')
expected="FuncGrad.$version.nupkg FuncGrad.Core.$version.nupkg FuncGrad.LibTorch.$version.nupkg "
expected+="FuncGrad.Testing.$version.nupkg "
[ "$made" = "$expected" ]; result "pack makes exactly the four packages ($made)" $? /dev/null

# A stale package in a cache must not pass for the new one: drop these ids from the global packages folder and
# F# Interactive's resolution cache.
packages=$(dotnet nuget locals global-packages --list | sed -E 's/^global-packages: //')
rm -rf "$packages/funcgrad" "$packages/funcgrad.core" "$packages/funcgrad.testing" "$packages/funcgrad.libtorch"
if [ -d "$HOME/.packagemanagement/nuget" ]; then
  grep -rlis 'funcgrad' "$HOME/.packagemanagement/nuget" 2>/dev/null | xargs -r -n1 dirname | sort -u | xargs -r rm -rf
fi

# Both projects restore from the local folder and from the machine's usual sources (for FsCheck and friends).
nuget_config() {
  cat >"$1/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="funcgrad-local" value="$feed" />
  </packageSources>
</configuration>
XML
}

# (a) F# Interactive, as a user types it: the values echo as `val it: Tensor = tensor(...)`.
fsi_log="$work/fsi.log"
sed -e "s|@FEED@|$feed|" -e "s|@VERSION@|$version|" "$here/Interactive.fsx" | (cd "$work" && dotnet fsi --nologo) >"$fsi_log" 2>&1
python3 "$here/check_fsi.py" "$fsi_log"; result "fsi #r \"nuget: FuncGrad, $version\"" $? "$fsi_log"

# (b) C#: dotnet new console, dotnet add package FuncGrad.Core, a gradient.
cs="$work/CSharpConsumer"; cs_log="$work/cs.log"
{ dotnet new console -o "$cs" --force &&
  nuget_config "$cs" &&
  (cd "$cs" && dotnet add package FuncGrad.Core --version "$version") &&
  cp "$here/CSharpConsumer.cs" "$cs/Program.cs" &&
  dotnet run --project "$cs" -c Release; } >"$cs_log" 2>&1
result "C# console with FuncGrad.Core" $? "$cs_log"

# (c) F#: dotnet new console -lang F#, FuncGrad and FuncGrad.Testing, a GradCheck property.
fs="$work/FSharpConsumer"; fs_log="$work/fs.log"
{ dotnet new console -lang "F#" -o "$fs" --force &&
  nuget_config "$fs" &&
  (cd "$fs" && dotnet add package FuncGrad --version "$version" && dotnet add package FuncGrad.Testing --version "$version") &&
  cp "$here/FSharpConsumer.fs" "$fs/Program.fs" &&
  dotnet run --project "$fs" -c Release; } >"$fs_log" 2>&1
result "F# console with FuncGrad and FuncGrad.Testing" $? "$fs_log"

# The packages' contents: metadata, README, licence, XML docs, embedded symbols; and the same bits from a second
# build of the same files in another folder (deterministic, with source paths normalised).
copy_tree "$work/b/elsewhere"
dotnet pack "$work/b/elsewhere/FuncGrad.sln" -c Release -o "$work/feed2" -nologo -v q -p:ContinuousIntegrationBuild=true >"$work/pack2.log" 2>&1 ||
  cat "$work/pack2.log"
python3 "$here/check_packages.py" "$feed" "$version" "$work/feed2" >"$work/contents.log" 2>&1
result "package contents" $? "$work/contents.log"
cat "$work/contents.log"

echo "packages: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
