#!/usr/bin/env bash
# Installs the Debian packages the integration and browser tests use, when they are missing.
# Tests that need one of them say so and are skipped only when this script could not install it.
set -u
need=()
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v kcat >/dev/null 2>&1 || need+=(kcat)
# The PostgreSQL adapter's tests start throw-away clusters of their own with these binaries; the
# system cluster Debian's package may start is not used. `make bench` (BENCH_STORES=postgres) starts one
# too. Any installed major version will do (the testkit takes 15, else the newest).
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || need+=(postgresql)
# The workplace's browser tests (playwright-core) and PDF output drive Debian's chromium; nothing is downloaded.
command -v chromium >/dev/null 2>&1 || need+=(chromium)
# PDF pages to PNG and text (document tests), XML Schema validation (payment files).
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
command -v xmllint >/dev/null 2>&1 || need+=(libxml2-utils)
[ ${#need[@]} -eq 0 ] && exit 0
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; else
    echo "ensure-test-deps: missing ${need[*]} and not root; the tests that need them will report it" >&2; exit 0
  fi
fi
echo "ensure-test-deps: installing ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null 2>&1 || true
$SUDO apt-get install -y -qq "${need[@]}" >/dev/null 2>&1 || echo "ensure-test-deps: could not install ${need[*]}" >&2
exit 0
