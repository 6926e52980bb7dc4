#!/usr/bin/env bash
# Redis for the queue's tests and for trying `entity-lens queue` / `worker` on one machine:
# Debian's redis-server, run on loopback only, on a free port, with its own data folder, never
# as a system service.
#
#   scripts/redis.sh install         install redis-server with apt-get if it is missing (root or sudo)
#   scripts/redis.sh start DIR       start a server whose files live in DIR; prints its URL
#                                    (redis://127.0.0.1:PORT); DIR/redis.pid holds its process id
#   scripts/redis.sh stop DIR        stop the server started in DIR (its data is not saved)
#   scripts/redis.sh run DIR PORT    run a server in the foreground (for a caller that manages it)
#
# .ci/run calls `install`; the tests call `install`, then `run` with a port they picked.
set -euo pipefail

die() {
  echo "redis.sh: $*" >&2
  exit 1
}

install() {
  command -v redis-server >/dev/null 2>&1 && return 0
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo"; else
      die "redis-server is not installed and this is not root: run 'apt-get install redis-server' as root"
    fi
  fi
  command -v apt-get >/dev/null 2>&1 || die "redis-server is not installed and there is no apt-get; install Redis 6.2 or later"
  echo "redis.sh: installing redis-server with apt-get" >&2
  export DEBIAN_FRONTEND=noninteractive
  # a package's post-install script must not start a system-wide server on port 6379
  local policy=/usr/sbin/policy-rc.d created=""
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null && $sudo chmod +x "$policy" && created=1
  fi
  $sudo apt-get update -qq >&2 || echo "redis.sh: apt-get update failed; trying the install anyway" >&2
  local status=0
  $sudo apt-get install -y -qq --no-install-recommends redis-server >&2 || status=$?
  [ -n "$created" ] && $sudo rm -f "$policy"
  [ "$status" -eq 0 ] || die "apt-get install redis-server failed"
  command -v redis-server >/dev/null 2>&1 || die "redis-server is still missing after apt-get install"
}

# the server's settings: loopback only, no persistence, files in DIR
run() {
  local dir=$1 port=$2
  mkdir -p "$dir"
  exec redis-server --bind 127.0.0.1 --port "$port" --dir "$dir" --save '' --appendonly no \
    --protected-mode yes --daemonize no --logfile "$dir/redis.log" --pidfile "$dir/redis.pid"
}

free_port() {
  node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

start() {
  local dir=$1
  install
  mkdir -p "$dir"
  local port
  for _ in 1 2 3 4 5; do
    port=$(free_port)
    (run "$dir" "$port" >/dev/null 2>&1 &)
    for _ in $(seq 1 50); do
      if redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null | grep -q PONG; then
        echo "redis://127.0.0.1:$port"
        return 0
      fi
      sleep 0.1
    done
  done
  die "redis-server did not start (see $dir/redis.log)"
}

stop() {
  local dir=$1
  [ -f "$dir/redis.pid" ] || die "no server started in $dir (no redis.pid)"
  local pid
  pid=$(cat "$dir/redis.pid")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
}

case "${1:-}" in
  install) install ;;
  start) [ $# -eq 2 ] || die "usage: redis.sh start DIR"; start "$2" ;;
  stop) [ $# -eq 2 ] || die "usage: redis.sh stop DIR"; stop "$2" ;;
  run) [ $# -eq 3 ] || die "usage: redis.sh run DIR PORT"; run "$2" "$3" ;;
  *) die "usage: redis.sh install | start DIR | stop DIR | run DIR PORT" ;;
esac
