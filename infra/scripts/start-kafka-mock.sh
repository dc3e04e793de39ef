#!/usr/bin/env bash
# Starts librdkafka's mock Kafka cluster (through kcat) for local development and prints its
# bootstrap address. Runs in the foreground until Ctrl-C.
#
#   infra/scripts/start-kafka-mock.sh [BROKERS] [TOPIC ...]
#     BROKERS  number of mock brokers (default 3)
#     TOPIC    topics to create up front (default: the service topics and their dead-letter topics)
#
# The mock is NOT Kafka: it lives in memory, has no CreateTopics API (topics are auto-created on
# first use, always with 4 partitions), and is meant for tests and demos only. Production uses
# infra/docker-compose.yml (Kafka in KRaft mode).
set -euo pipefail

brokers="${1:-3}"
shift || true
topics=("$@")
if [ ${#topics[@]} -eq 0 ]; then
  topics=(polis.income-statements case.events polis.income-statements.dlq case.events.dlq)
fi

if ! command -v kcat >/dev/null 2>&1; then
  echo "kcat is not installed (Debian: apt-get install kcat, or run infra/scripts/ensure-test-deps.sh)" >&2
  exit 1
fi

work="$(mktemp -d)"
mkfifo "$work/stdin"
kcat_pid=""
cleanup() {
  exec 3>&- 2>/dev/null || true # closing kcat's stdin makes it exit
  if [ -n "$kcat_pid" ] && kill -0 "$kcat_pid" 2>/dev/null; then
    sleep 0.5
    kill "$kcat_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# kcat as a producer of topic "keepalive" reading the FIFO: it stays alive while we hold the FIFO
# open (fd 3), and librdkafka replaces the bogus bootstrap with an in-process mock cluster.
kcat -X "test.mock.num.brokers=$brokers" -b unused:9092 -P -t keepalive <"$work/stdin" 2>"$work/stderr" &
kcat_pid=$!
exec 3>"$work/stdin"

bootstrap=""
for _ in $(seq 1 100); do
  bootstrap="$(sed -n 's/.*Mock cluster enabled:.*replaced with \([^ ]*\).*/\1/p' "$work/stderr" | head -n1)"
  [ -n "$bootstrap" ] && break
  kill -0 "$kcat_pid" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$bootstrap" ]; then
  echo "kcat did not start a mock cluster:" >&2
  cat "$work/stderr" >&2
  exit 1
fi

# Create the topics: a metadata request that allows auto-creation (the mock's only way).
for t in "${topics[@]}"; do
  kcat -b "$bootstrap" -X allow.auto.create.topics=true -X topic.metadata.refresh.interval.ms=100 \
    -L -t "$t" -m 5 >/dev/null 2>&1 || echo "warning: could not create topic $t" >&2
done

echo "Kafka mock cluster with $brokers broker(s); topics (4 partitions each): ${topics[*]}"
echo "KAFKA_BROKERS=$bootstrap"
echo "Press Ctrl-C to stop."
wait "$kcat_pid"
