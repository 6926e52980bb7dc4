#!/usr/bin/env bash
# Installs the peers of `npm run bench:intake` from Debian: poppler-utils (pdftotext),
# tesseract-ocr with its English data, and GNU time (peak RSS of each peer process). Benchmark
# peers only: Entity Lens itself reads PDFs and scans with pdf.js and tesseract.js from npm.
# Idempotent; without apt or root it says what is missing and exits 0, and the bench skips that peer.
set -uo pipefail

PKGS=(poppler-utils tesseract-ocr tesseract-ocr-eng time)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo"; else
    echo "install-intake-peers: not root: install ${missing[*]} yourself to compare with them" >&2
    exit 0
  fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-intake-peers: no apt-get: install ${missing[*]} yourself to compare with them" >&2
  exit 0
fi
echo "install-intake-peers: installing ${missing[*]} with apt-get" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >&2 || echo "install-intake-peers: apt-get update failed" >&2
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 ||
  echo "install-intake-peers: apt-get install ${missing[*]} failed; the bench skips those peers" >&2
exit 0
