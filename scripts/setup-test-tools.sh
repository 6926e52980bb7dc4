#!/usr/bin/env bash
# setup-test-tools.sh - Debian packages the engine's test suites need beyond npm:
#   strace   the no-network test traces every process of a CLI run (socket, connect, file
#            writes): the README's "no network at run time, no telemetry" is checked, not said
#   util-linux, e2fsprogs are in every Debian image already (mount for the full-disk tests).
# Idempotent and quick when installed; needs root or sudo for apt the first time. Without
# them, the tests that need strace skip with a message naming this script.
set -euo pipefail

APT_PKGS=(strace)
log() { printf '[setup-test-tools] %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo -n "$@"; else return 1; fi; }

missing=()
for p in "${APT_PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then missing+=("$p"); fi
done
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null; then
  log "no apt-get here: install ${missing[*]} yourself, or the tests that need it skip"
  exit 0
fi
log "apt: installing ${missing[*]}"
if as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
  log "apt: installed ${missing[*]}"
else
  log "apt: could not install ${missing[*]} (no root or sudo?); the tests that need it skip"
fi
