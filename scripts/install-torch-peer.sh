#!/usr/bin/env bash
# Installs the PyTorch peer used by bench/torch-peer.ts: Debian's python3-torch plus
# OpenBLAS (OpenMP flavour). Debian's torch links libblas.so.3, which by default is the slow
# reference BLAS; the bench loads OpenBLAS for the peer process only via LD_LIBRARY_PATH.
# Idempotent. Always uses /usr/bin/python3 (python3 on PATH may be a pyenv without torch).
# Last line of output: OPENBLAS_DIR=<directory holding OpenBLAS's libblas.so.3>
set -euo pipefail

PY=/usr/bin/python3
OPENBLAS_PKG=libopenblas0-openmp
TORCH_PKG=python3-torch

die() { echo "install-torch-peer: ERROR: $*" >&2; exit 1; }

have_torch() { [ -x "$PY" ] && "$PY" -c 'import torch' >/dev/null 2>&1; }
have_openblas() { dpkg-query -W -f='${Status}' "$OPENBLAS_PKG" 2>/dev/null | grep -q 'install ok installed'; }

if ! have_torch || ! have_openblas; then
  command -v apt-get >/dev/null 2>&1 || die "torch missing and apt-get is not available"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || die "need root (or sudo) to apt-get install $TORCH_PKG $OPENBLAS_PKG"
    SUDO="sudo"
  fi
  echo "install-torch-peer: installing $TORCH_PKG $OPENBLAS_PKG with apt-get" >&2
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update >&2 || die "apt-get update failed"
  for p in "$TORCH_PKG" "$OPENBLAS_PKG"; do
    apt-cache show "$p" >/dev/null 2>&1 || die "apt has no package '$p' (not Debian/Ubuntu, or no package lists)"
  done
  $SUDO apt-get install -y --no-install-recommends "$TORCH_PKG" "$OPENBLAS_PKG" >&2 \
    || die "apt-get install $TORCH_PKG $OPENBLAS_PKG failed"
fi

have_torch || die "$PY still cannot 'import torch' after installing $TORCH_PKG"

# The directory of OpenBLAS's libblas.so.3 (e.g. /usr/lib/x86_64-linux-gnu/openblas-openmp).
lib=$(dpkg -L "$OPENBLAS_PKG" 2>/dev/null | grep -E '/libblas\.so\.3$' | head -n1 || true)
if [ -z "$lib" ]; then
  lib=$(ls /usr/lib/*/openblas-openmp/libblas.so.3 2>/dev/null | head -n1 || true)
fi
[ -n "$lib" ] && [ -e "$lib" ] || die "cannot find OpenBLAS's libblas.so.3 from $OPENBLAS_PKG"
echo "torch $("$PY" -c 'import torch; print(torch.__version__)') at $PY" >&2
echo "OPENBLAS_DIR=$(dirname "$lib")"
