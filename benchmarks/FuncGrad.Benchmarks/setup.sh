#!/usr/bin/env bash
# Setup for the benchmark suite: the OpenBLAS reference for S4 (Debian's libopenblas0-pthread).
# TorchSharp-cpu comes from NuGet on the first build (about 300 MB to download, 1.3 GB on disk),
# and the build itself patches its native library for Debian 12's libstdc++ (see the .csproj).
set -euo pipefail
if ldconfig -p 2>/dev/null | grep -q 'libopenblas\.so\.0'; then
  echo "OpenBLAS is installed"
  exit 0
fi
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
$sudo apt-get update -qq
$sudo apt-get install -y -qq libopenblas0-pthread
