#!/usr/bin/env bash
# The LibTorch backend on a CUDA machine (issue 14, docs/devices.md). Two steps, which may run on two machines:
#   tests/gpu-check.sh publish [folder]   where the .NET SDK is: a self-contained linux-x64 build of the backend's
#                                         tests (tests/Backend.LibTorch) without any libtorch of its own
#   tests/gpu-check.sh run [folder]       on the CUDA machine (no SDK needed): against the PyTorch libraries found
#                                         there, the property suite on torch:cuda, the benchmarks (S2, S4 and the
#                                         4×4096 MLP, FuncGrad beside TorchSharp, and FuncGrad managed on the CPU)
#                                         and 10,000 S2 steps with the GPU's memory sampled
#   tests/gpu-check.sh [all] [folder]     both, on one machine
# The folder defaults to out/gpu-check. TORCH_LIB overrides the library folder (default: PyTorch's, from
# python3 -c "import torch, os; print(os.path.dirname(torch.__file__))" + /lib), and FUNCGRAD_DEVICE the device
# (default torch:cuda): with TORCH_LIB set to a CPU libtorch and FUNCGRAD_DEVICE=torch:cpu the same steps run on a
# machine without a GPU. MEMORY_STEPS (default 10000) sets the memory run's length. Exit code 0 when all passed.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-all}
out=${2:-out/gpu-check}

publish() {
  # LibTorchNative=none leaves out libtorch-cpu-linux-x64: the CUDA machine's own libraries are used instead.
  dotnet publish tests/Backend.LibTorch/Backend.LibTorch.Tests.fsproj -c Release -r linux-x64 --self-contained \
    -p:LibTorchNative=none -nologo -v q -o "$out"
  echo "published to $out ($(du -sh "$out" | cut -f1))"
}

run() {
  local lib=${TORCH_LIB:-}
  if [ -z "$lib" ]; then
    lib="$(python3 -c "import torch, os; print(os.path.dirname(torch.__file__))")/lib"
    python3 -c "import torch; print('torch', torch.__version__, 'cuda available:', torch.cuda.is_available())"
  fi
  [ -d "$lib" ] || { echo "no library folder $lib"; exit 1; }
  export LD_LIBRARY_PATH="$lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  export FUNCGRAD_DEVICE=${FUNCGRAD_DEVICE:-torch:cuda}
  local exe="$out/Backend.LibTorch.Tests"
  echo "== libraries from $lib, device $FUNCGRAD_DEVICE"
  # A weak version not found is the one build/LibTorchSharp.targets marks weak for Debian 12: harmless.
  if ldd -r "$out/libLibTorchSharp.so" 2>&1 | grep -E "not found|undefined symbol" | grep -v "weak version"; then
    echo "libLibTorchSharp.so does not resolve against $lib"
    exit 1
  fi
  command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader

  local status=0
  echo "== the property suite on $FUNCGRAD_DEVICE"
  "$exe" --summary --colours 0 --no-spinner || status=1
  echo "== benchmarks"
  "$exe" --bench --managed || status=1
  echo "== memory: ${MEMORY_STEPS:-10000} S2 steps"
  local sampler=""
  if command -v nvidia-smi >/dev/null; then
    nvidia-smi --query-gpu=memory.used --format=csv,noheader -lms 2000 >"$out/gpu-memory.log" &
    sampler=$!
  fi
  "$exe" --memory "${MEMORY_STEPS:-10000}" || status=1
  if [ -n "$sampler" ]; then
    kill "$sampler"
    echo "GPU memory used, sampled every 2 s: first $(head -n 1 "$out/gpu-memory.log"), " \
      "max $(sort -n "$out/gpu-memory.log" | tail -n 1), last $(tail -n 1 "$out/gpu-memory.log")"
  fi
  echo "gpu-check: $([ "$status" -eq 0 ] && echo passed || echo FAILED)"
  return "$status"
}

case "$mode" in
  publish) publish ;;
  run) run ;;
  all) publish && run ;;
  *) echo "usage: tests/gpu-check.sh [publish|run|all] [folder]"; exit 2 ;;
esac
