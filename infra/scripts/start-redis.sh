#!/usr/bin/env bash
# Starts a throw-away redis-server on 127.0.0.1 (no persistence) for local development and prints
# its URL. Runs in the foreground until Ctrl-C.
#
#   infra/scripts/start-redis.sh [PORT]     (default: a free port chosen by the kernel)
#
# Production Redis runs with appendonly yes (see infra/docker-compose.yml); this one keeps nothing.
set -euo pipefail

if ! command -v redis-server >/dev/null 2>&1; then
  echo "redis-server is not installed (Debian: apt-get install redis-server, or run infra/scripts/ensure-test-deps.sh)" >&2
  exit 1
fi

port="${1:-}"
if [ -z "$port" ]; then
  # Bind port 0 on loopback, read the port the kernel picked, release it.
  port="$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
fi

# PING over bash's /dev/tcp (no redis-cli needed).
answers_ping() {
  local reply=""
  { exec 4<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null || return 1
  printf 'PING\r\n' >&4
  read -r -t 1 reply <&4 || true
  exec 4>&-
  [[ "$reply" == +PONG* ]]
}

redis_pid=""
cleanup() {
  if [ -n "$redis_pid" ] && kill -0 "$redis_pid" 2>/dev/null; then
    kill "$redis_pid" 2>/dev/null || true
    wait "$redis_pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no --loglevel warning &
redis_pid=$!

for _ in $(seq 1 100); do
  if answers_ping; then break; fi
  kill -0 "$redis_pid" 2>/dev/null || { echo "redis-server exited" >&2; exit 1; }
  sleep 0.1
done

echo "REDIS_URL=redis://127.0.0.1:$port"
echo "Press Ctrl-C to stop."
wait "$redis_pid"
