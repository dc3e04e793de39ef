# Quick start: `make run` and `make test` on a fresh Debian machine with Node 20 and npm.
SHELL := /bin/bash
PNPM_VERSION := 10.34.9
TOOLS := $(CURDIR)/.tools
PNPM := $(TOOLS)/node_modules/.bin/pnpm
export PATH := $(TOOLS)/node_modules/.bin:$(PATH)

.PHONY: run test test-unit test-int test-e2e install deps-test typecheck format format-check bench clean

$(PNPM):
	npm install --prefix $(TOOLS) --no-audit --no-fund --loglevel=error pnpm@$(PNPM_VERSION)

node_modules/.modules.yaml: $(PNPM) package.json pnpm-workspace.yaml $(wildcard packages/*/package.json services/*/package.json apps/*/package.json tools/*/package.json)
	$(PNPM) install --frozen-lockfile=false --reporter=append-only
	@touch $@

install: node_modules/.modules.yaml

## The main job on embedded defaults: a sample of households settled night by night into data/events.sqlite;
## ends with commands to try (./cli, the wrapper at the root: node runs the CLI directly).
run: install
	./cli --insecure-dev-key demo

## Every test: unit, integration (real Redis, Kafka mock cluster, SQLite) and end-to-end.
test: install deps-test
	$(PNPM) exec prettier --check --log-level=warn .
	$(PNPM) exec tsc -p tsconfig.json
	$(PNPM) exec vitest run --project unit --project int --project e2e
	$(PNPM) exec vitest run --project load

## One tier (vitest project by file suffix): *.unit.test.ts need nothing; *.int.test.ts and *.e2e.test.ts start
## their own Redis, Kafka mock and PostgreSQL, hence deps-test.
test-unit: install
	$(PNPM) exec vitest run --project unit

test-int: install deps-test
	$(PNPM) exec vitest run --project int

test-e2e: install deps-test
	$(PNPM) exec vitest run --project e2e
	$(PNPM) exec vitest run --project load

## Debian packages the integration tests need (redis-server, kcat); installed only when missing.
deps-test:
	@bash infra/scripts/ensure-test-deps.sh

## Benchmarks: issue #26's table for SQLite and PostgreSQL side by side (defaults: BENCH_STORES=sqlite,postgres,
## BENCH_HOUSEHOLDS=20000, BENCH_MONTHS=12, BENCH_REPLAY_HOUSEHOLDS=100; the other knobs at the top of
## tools/bench/src/bench.ts): prints it, writes BENCHMARKS.md. PostgreSQL runs in a throw-away cluster the bench
## starts itself; its histories are built in SQLite and copied in (BENCH_HISTORY_VIA=postgres: in PostgreSQL).
bench: install deps-test
	node tools/bench/bin/bench.mjs --insecure-dev-key

typecheck: install
	$(PNPM) exec tsc -p tsconfig.json

## The formatter (Prettier, 120 columns; what it leaves alone is in .prettierignore): `make test` checks it.
format: install
	$(PNPM) exec prettier --write --log-level=warn .

format-check: install
	$(PNPM) exec prettier --check --log-level=warn .

clean:
	rm -rf node_modules packages/*/node_modules services/*/node_modules apps/*/node_modules tools/*/node_modules data .tmp
