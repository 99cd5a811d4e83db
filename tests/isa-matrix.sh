#!/usr/bin/env bash
# The instruction-set matrix (issue 10, item 4): the property tests under each x86 setting of .NET's
# DOTNET_Enable* switches, and the whole suite built for linux-arm64 and run under qemu-user.
#
#   tests/isa-matrix.sh                 all five settings
#   tests/isa-matrix.sh no-avx2 scalar  only those
#
# Prints exactly one line per setting on stdout, `isa <name>: N passed, N failed`; everything else
# (progress, timings, the log of a failing setting) goes to stderr. Exits non-zero if any setting has a
# failure, and a setting that could not run at all (no build, no qemu, no summary, a switch that did not
# take effect) is printed as `0 passed, 1 failed`, never skipped.
#
# The settings:
#   native      no switch
#   no-avx512   DOTNET_EnableAVX512=0 and DOTNET_EnableAVX512F=0. .NET 10 reads only the first (its
#               AVX-512 switches were merged into one); with the second alone, Vector512 stays
#               accelerated. Both are set so that older runtimes are covered too.
#   no-avx2     DOTNET_EnableAVX2=0: Vector256 is no longer accelerated, Vector128 is (SSE–AVX).
#   scalar      DOTNET_EnableHWIntrinsic=0: no vector type is accelerated.
#   arm64-qemu  a self-contained `dotnet publish -r linux-arm64` of tests/Properties, run by
#               qemu-aarch64-static (AdvSimd, 128-bit).
# The test process prints the vector widths it sees first ("instruction sets: ...", tests/Properties/
# Main.fs); each setting checks that line, so a switch that the runtime ignores fails the setting
# instead of silently testing the native path again.
#
# Which tests: the whole suite under "native". Under the four other settings, the whole suite less the
# "transformations commute" list (every pair of transformations for every op row: a check of the
# transformations' logic, whose kernels the ops rows already run at each width), and with 3 FsCheck cases
# per op row instead of 6 and per GradCheck property instead of 20 (--fscheck-max-tests; properties with
# their own counts, such as the kernels' 150 cases, keep them). The suite is what exercises the kernels
# through every op, the fused derivative passes and the optimisers, not only tests/Properties/Kernels;
# the reduction keeps CI under its time budget (about 80 s per x86 setting and 460 s under qemu in full).
# ISA_MATRIX_FULL=1 runs the whole suite at full strength under every setting; ISA_MATRIX_X86_ARGS passes
# other Expecto arguments to the x86 runs instead (e.g. ISA_MATRIX_X86_ARGS='--filter-test-list kernels').
#
# What it installs (as root, or through sudo), only when something is missing, so a second run does no
# apt work at all: qemu-user-static; libc6-arm64-cross, libstdc++6-arm64-cross and libgcc-s1-arm64-cross
# (the ARM64 C libraries under /usr/aarch64-linux-gnu, the QEMU_LD_PREFIX); and ICU for arm64 through
# Debian's multiarch (dpkg --add-architecture arm64; libicuNN:arm64), so the culture test runs too and
# nothing is skipped. The runtime pack for linux-arm64 (Microsoft.NETCore.App.Runtime.linux-arm64, about
# 50 MB) restores from NuGet on the first publish.
#
# Build outputs go under obj/isa-matrix/ (ignored): the arm64 build (its own --artifacts-path, so it
# never touches the x64 build's obj/ folders), the published tests, and one log per setting in logs/.
set -uo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# A switch left in the caller's environment would change every setting, "native" included.
while IFS= read -r var; do unset "$var"; done < <(compgen -e | grep -E '^(DOTNET|COMPlus)_Enable')

work=obj/isa-matrix
logs=$work/logs
x86_timeout=600   # seconds per x86 run (about 60 s reduced, 80 s in full, on 2 cores)
arm64_timeout=1500 # seconds for the run under qemu (reduced run: 813 s on a 2-core Zen 3, session 14)
all_settings=(native no-avx512 no-avx2 scalar arm64-qemu)
read -r -a x86_args <<<"${ISA_MATRIX_X86_ARGS:-}"
reduced_args=(--skip-list "transformations commute" --fscheck-max-tests 3)
[ "${ISA_MATRIX_FULL:-0}" = 1 ] && reduced_args=()

settings=("$@")
[ ${#settings[@]} -eq 0 ] && settings=("${all_settings[@]}")
for s in "${settings[@]}"; do
  if [[ " ${all_settings[*]} " != *" $s "* ]]; then
    echo "unknown setting '$s' (settings: ${all_settings[*]})" >&2
    exit 2
  fi
done
mkdir -p "$logs"

note() { echo "isa-matrix: $*" >&2; }
any_failed=0
dll=""

# report NAME PASSED FAILED [WHY]: the setting's one line on stdout; WHY goes to stderr.
report() {
  [ -n "${4:-}" ] && note "$1: $4"
  [ "$3" -ne 0 ] && any_failed=1
  echo "isa $1: $2 passed, $3 failed"
}

# summarize NAME LOG STATUS EXPECT: reads Expecto's summary from LOG (thousands separators dropped, as in
# .ci/run) and reports it. A run without a summary, without a passed test, with a non-zero exit code, or
# without EXPECT in its "instruction sets:" line counts one failure more.
summarize() {
  local name=$1 log=$2 status=$3 expect=$4 summary passed failed errored why=""
  local isa
  isa=$(grep -m1 '^instruction sets:' "$log")
  summary=$(grep -E 'EXPECTO! .* tests run' "$log" | tail -n 1)
  count() { sed -nE "s/.* ([0-9][0-9,]*) $1.*/\1/p" <<<"$summary" | tr -d ','; }
  passed=$(count passed); failed=$(count failed); errored=$(count errored)
  if [ -z "$summary" ] || [ -z "$passed" ] || [ -z "$failed" ] || [ -z "$errored" ]; then
    passed=${passed:-0}; failed=1; why="no Expecto summary (exit code $status)"
  else
    failed=$((failed + errored))
    if [ "$passed" -eq 0 ]; then failed=$((failed + 1)); why="no test ran"; fi
    if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; why="exit code $status"; fi
  fi
  if [ -z "$isa" ]; then
    failed=$((failed + 1)); why="${why:+$why; }the run did not print its instruction sets"
  elif [[ "$isa" != *"$expect"* ]]; then
    failed=$((failed + 1)); why="${why:+$why; }expected '$expect' but the run saw: $isa"
  fi
  if [ "$failed" -ne 0 ]; then
    note "$name failed; the end of $log:"
    tail -n 40 "$log" >&2
  else
    note "$name: ${isa#instruction sets: }"
  fi
  report "$name" "$passed" "$failed" "$why"
}

seconds() { echo $(($(date +%s) - $1)); }

# ---- x86 settings: one build, then the test assembly under each setting's switches -----------------

wants_x86=0
for s in "${settings[@]}"; do [ "$s" != arm64-qemu ] && wants_x86=1; done
if [ "$wants_x86" -eq 1 ]; then
  t0=$(date +%s)
  dll=""
  if dotnet build tests/Properties -c Release -nologo -v q >"$logs/build-x64.log" 2>&1; then
    dll=$(dotnet msbuild tests/Properties -getProperty:TargetPath -p:Configuration=Release 2>/dev/null)
  fi
  [ -n "$dll" ] && [ -f "$dll" ] || { note "the test project did not build ($logs/build-x64.log):"; tail -n 30 "$logs/build-x64.log" >&2; dll=""; }
  note "x64 build $(seconds "$t0") s"
  if [ "$(uname -m)" != x86_64 ]; then
    note "not an x86-64 machine ($(uname -m)): the x86 settings cannot run here"
  fi
fi

for s in "${settings[@]}"; do
  case $s in
    native) switches=(); expect="instruction sets: X64" ;;
    no-avx512) switches=(DOTNET_EnableAVX512=0 DOTNET_EnableAVX512F=0); expect="Vector512 off" ;;
    no-avx2) switches=(DOTNET_EnableAVX2=0); expect="Vector256 off" ;;
    scalar) switches=(DOTNET_EnableHWIntrinsic=0); expect="Vector128 off" ;;
    *) continue ;;
  esac
  if [ -z "$dll" ] || [ "$(uname -m)" != x86_64 ]; then
    report "$s" 0 1 "not run: no x64 test build on this machine"
    continue
  fi
  t0=$(date +%s)
  log=$logs/$s.log
  args=(${x86_args[@]+"${x86_args[@]}"})
  [ ${#args[@]} -eq 0 ] && [ "$s" != native ] && args=(${reduced_args[@]+"${reduced_args[@]}"})
  env ${switches[@]+"${switches[@]}"} timeout "$x86_timeout" \
    dotnet "$dll" --summary --colours 0 --no-spinner ${args[@]+"${args[@]}"} >"$log" 2>&1
  status=$?
  note "$s: ${switches[*]:-no switch}, $(seconds "$t0") s"
  summarize "$s" "$log" "$status" "$expect"
done

# ---- ARM64 under qemu-user: install, publish, run the whole suite ----------------------------------

# The ICU package of this Debian release (libicu72 on Debian 12): the one the host has.
icu_package() {
  dpkg-query -W -f='${Package}\n' 'libicu[0-9]*' 2>/dev/null | grep -E '^libicu[0-9]+$' | sort -V | tail -n 1
}

arm64_ready() {
  command -v qemu-aarch64-static >/dev/null &&
    [ -e /usr/aarch64-linux-gnu/lib/ld-linux-aarch64.so.1 ] &&
    [ -e /usr/aarch64-linux-gnu/lib/libstdc++.so.6 ] &&
    [ -e /usr/aarch64-linux-gnu/lib/libgcc_s.so.1 ] &&
    compgen -G '/usr/lib/aarch64-linux-gnu/libicuuc.so.[0-9]*' >/dev/null
}

install_arm64() {
  arm64_ready && return 0
  command -v apt-get >/dev/null || { note "apt-get not found: install qemu-user-static and the arm64 libraries by hand"; return 1; }
  local sudo="" icu
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { note "not root and no sudo: cannot install the qemu packages"; return 1; }
    sudo="sudo"
  fi
  icu=$(icu_package)
  [ -n "$icu" ] || icu=libicu72
  if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    $sudo dpkg --add-architecture arm64 || return 1
  fi
  note "installing qemu-user-static, the arm64 C libraries and $icu:arm64"
  $sudo apt-get update -qq || return 1
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=300 \
    qemu-user-static libc6-arm64-cross libstdc++6-arm64-cross libgcc-s1-arm64-cross "$icu:arm64" >&2 || return 1
  arm64_ready
}

if [[ " ${settings[*]} " == *" arm64-qemu "* ]]; then
  t0=$(date +%s)
  if ! install_arm64 >&2; then
    report arm64-qemu 0 1 "not run: qemu-user-static or the arm64 libraries are missing and could not be installed"
  else
    note "packages ready, $(seconds "$t0") s"
    t0=$(date +%s)
    publish=$work/publish-arm64
    if ! dotnet publish tests/Properties -c Release -r linux-arm64 --self-contained -nologo -v q \
        --artifacts-path "$work" -o "$publish" >"$logs/publish-arm64.log" 2>&1; then
      tail -n 30 "$logs/publish-arm64.log" >&2
      report arm64-qemu 0 1 "not run: dotnet publish -r linux-arm64 failed ($logs/publish-arm64.log)"
    else
      note "arm64 publish $(seconds "$t0") s"
      t0=$(date +%s)
      log=$logs/arm64-qemu.log
      # QEMU_LD_PREFIX: the guest's loader and C libraries come from the cross packages. The guest's
      # LD_LIBRARY_PATH (set through qemu's -E, so no host program sees it) keeps them ahead of the
      # multiarch libc6:arm64 that libicu:arm64 brings into /lib/aarch64-linux-gnu: a loader from one
      # build with a libc from the other hangs the process at start-up. ICU itself is found in
      # /usr/lib/aarch64-linux-gnu. DOTNET_EnableWriteXorExecute=0: the JIT fails under qemu-user
      # without it. The loops' tests are left out under emulation: their million-step scan alone would take most of the
      # time allowed, and what they compute is the ops' arithmetic, which the rows check at every width.
      QEMU_LD_PREFIX=/usr/aarch64-linux-gnu DOTNET_EnableWriteXorExecute=0 timeout "$arm64_timeout" \
        qemu-aarch64-static -E LD_LIBRARY_PATH=/usr/aarch64-linux-gnu/lib \
        "$publish/Properties" --summary --colours 0 --no-spinner ${reduced_args[@]+"${reduced_args[@]}"} \
        --skip-list "Autodiff loops" >"$log" 2>&1
      status=$?
      note "arm64-qemu: $(seconds "$t0") s under qemu"
      summarize arm64-qemu "$log" "$status" "AdvSimd on"
    fi
  fi
fi

exit "$any_failed"
