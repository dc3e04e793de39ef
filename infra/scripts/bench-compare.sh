#!/usr/bin/env bash
# Side-by-side benchmark of HEAD against a base commit (default HEAD~1) in one session: the runs
# alternate (base, head, base, head, …) so that this VM's drift (±20 %) hits both alike. Prints each
# run's SQLite figures and the medians as a Markdown table. Sizes: the usual BENCH_* variables
# (defaults here: 6000 households × 12 months, 40 replay households), BENCH_ROUNDS (default 3).
# Usage: infra/scripts/bench-compare.sh [BASE]
set -euo pipefail
base=${1:-HEAD~1}
rounds=${BENCH_ROUNDS:-3}
root=$(git rev-parse --show-toplevel)
cd "$root"
export BENCH_HOUSEHOLDS=${BENCH_HOUSEHOLDS:-6000} BENCH_MONTHS=${BENCH_MONTHS:-12} BENCH_REPLAY_HOUSEHOLDS=${BENCH_REPLAY_HOUSEHOLDS:-40}
export BENCH_STORES=sqlite BENCH_SCALEOUT=0
# Both sides from commits, in worktrees of their own: editing the working tree meanwhile changes neither.
head=$(git rev-parse HEAD)
base_dir=$root/.tmp/bench-base
head_dir=$root/.tmp/bench-head
for d in "$base_dir" "$head_dir"; do git worktree remove --force "$d" 2>/dev/null || rm -rf "$d"; done
git worktree add --force --detach "$base_dir" "$base" >/dev/null
git worktree add --force --detach "$head_dir" "$head" >/dev/null
trap 'for d in "$base_dir" "$head_dir"; do git -C "$root" worktree remove --force "$d" 2>/dev/null || true; done' EXIT
(cd "$base_dir" && make install >/dev/null)
(cd "$head_dir" && make install >/dev/null)
results=$(mktemp)
for round in $(seq "$rounds"); do
  for side in base head; do
    dir=$head_dir; [ "$side" = base ] && dir=$base_dir
    (cd "$dir" && .tools/node_modules/.bin/pnpm --silent cli --insecure-dev-key bench >/dev/null 2>&1)
    # The SQLite row of the table the run wrote: statements ingest households nightly 100k p50 / p95 cpu50 / cpu95 disk rss
    row=$(grep -m1 '^SQLite (WAL)' "$dir/BENCHMARKS.md" | sed 's/^SQLite (WAL) *//; s# / # #g')
    echo "$side $round $row" | tee -a "$results" >&2
  done
done
node - "$results" "$(git rev-parse --short "$base")" "$(git rev-parse --short "$head")" <<'JS'
const [file, baseRef, headRef] = process.argv.slice(2);
const rows = require('fs').readFileSync(file, 'utf8').trim().split('\n').map((l) => l.trim().split(/\s+/));
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
// columns after side and round: statements ingest households nightly 100k p50 p95 cpu50 cpu95 disk rss
const col = { ingest: 3, nightly: 5, p50: 7, p95: 8, rss: 12 };
const of = (side, c) => median(rows.filter((r) => r[0] === side).map((r) => Number(r[c])));
console.log(`| figure (median of ${rows.length / 2} runs each, alternating) | ${baseRef} (base) | ${headRef} (head) | head / base |`);
console.log('|---|---|---|---|');
for (const [name, c] of [['ingest, statements/s', col.ingest], ['nightly run, households/s', col.nightly], ['replay p50, ms', col.p50], ['replay p95, ms', col.p95], ['peak RSS, MiB', col.rss]]) {
  const a = of('base', c), b = of('head', c);
  console.log(`| ${name} | ${a} | ${b} | ${(b / a).toFixed(2)} |`);
}
JS
