#!/usr/bin/env bash
# The whole pipeline on one machine: local broker, one worker, the sample pages in, clean events out.
# Stops what it started (the broker only if it was not already running).
#   deploy/demo-pipeline.sh [PAGE.html ...]     (default: tests/fixtures/pages/*.html)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
SIEVE="${SIEVE_BIN:-$REPO/.venv/bin/sieve}"
PORT="${KAFKA_PORT:-9092}"
export SIEVE_KAFKA_BOOTSTRAP="127.0.0.1:$PORT"
export SIEVE_WEB_PORT="${SIEVE_WEB_PORT:-6066}"
export SIEVE_DATA_DIR="${SIEVE_DATA_DIR:-$REPO/.cache/sieve-demo}"

pages=("$@")
if ((${#pages[@]} == 0)); then
    shopt -s nullglob
    pages=("$REPO"/tests/fixtures/pages/*.html)
fi
((${#pages[@]} > 0)) || { echo "demo: no pages to send" >&2; exit 1; }

started_broker=0
if ! "$HERE/kafka-local.sh" status >/dev/null; then
    "$HERE/kafka-local.sh" start
    started_broker=1
fi
worker_pid=""
cleanup() {
    if [[ -n "$worker_pid" ]] && kill -0 "$worker_pid" 2>/dev/null; then
        kill -TERM "$worker_pid"
        wait "$worker_pid" 2>/dev/null || true
    fi
    if ((started_broker)); then "$HERE/kafka-local.sh" stop; fi
}
trap cleanup EXIT

"$HERE/kafka-local.sh" topics
"$SIEVE" worker >"$REPO/.cache/demo-worker.log" 2>&1 &
worker_pid=$!
echo "demo: worker started (pid $worker_pid, log .cache/demo-worker.log); waiting until ready" >&2
for _ in $(seq 1 120); do
    if curl -fs "http://127.0.0.1:$SIEVE_WEB_PORT/readyz" >/dev/null 2>&1; then break; fi
    kill -0 "$worker_pid" 2>/dev/null || { tail -n 30 "$REPO/.cache/demo-worker.log" >&2; exit 1; }
    sleep 0.5
done
"$SIEVE" produce --crawl-id demo "${pages[@]}"
echo "demo: clean events (articles.clean):" >&2
"$SIEVE" tail --from-beginning --idle-timeout 5 --pretty
echo "demo: skipped pages and dead letters:" >&2
"$SIEVE" tail --topic "${SIEVE_TOPIC_SKIPPED:-pages.skipped}" --from-beginning --idle-timeout 2
"$SIEVE" tail --topic "${SIEVE_TOPIC_DLQ:-pages.dlq}" --from-beginning --idle-timeout 2
curl -fs "http://127.0.0.1:$SIEVE_WEB_PORT/metrics" | grep -E '^sieve_(pages_in|articles_out|skipped|unchanged|dead_letters)' >&2 || true
