#!/usr/bin/env bash
# A local single-node Apache Kafka (KRaft broker+controller) on 127.0.0.1, fetched from Maven Central.
#
#   deploy/kafka-local.sh start              fetch the jars (first time), format storage (first time), start, wait
#   deploy/kafka-local.sh stop               SIGTERM, wait for a clean exit
#   deploy/kafka-local.sh status             "running" (exit 0) or "not running" (exit 3)
#   deploy/kafka-local.sh topics [T[:P]]...  create topics (default: sieve's five) if they do not exist
#   deploy/kafka-local.sh fetch              only fetch the jars
#   deploy/kafka-local.sh reset              stop and delete the data directory
#   deploy/kafka-local.sh logs               tail of the broker log
#
# Needs only Java 17+ and Maven. Environment:
#   KAFKA_PORT             client listener port (default 9092)
#   KAFKA_CONTROLLER_PORT  KRaft controller port (default KAFKA_PORT + 1)
#   KAFKA_DATA_DIR         storage, rendered config, pid file and logs (default <repo>/.cache/kafka/data)
#   KAFKA_HOME_CACHE       jar cache (default <repo>/.cache/kafka; jars go to its jars/ folder)
#   KAFKA_HEAP_OPTS        JVM heap (default -Xmx512m -Xms128m)
#   KAFKA_START_TIMEOUT    seconds to wait for the broker to answer (default 90)
#   KAFKA_STOP_TIMEOUT     seconds to wait after SIGTERM before SIGKILL (default 30)
#   KAFKA_WATCH_PID        if set, the broker is stopped when that process exits (used by the tests)
#   KAFKA_TOPIC_PARTITIONS default partitions for `topics` (default 4)
#   SIEVE_TOPIC_RAW/CLEAN/SKIPPED/DLQ  the topic names `topics` creates by default
#   MVN_ARGS               extra arguments for mvn (e.g. -Dmaven.repo.local=/tmp/repo)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
CONF_DIR="$HERE/kafka"

PORT="${KAFKA_PORT:-9092}"
CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-$((PORT + 1))}"
CACHE="${KAFKA_HOME_CACHE:-$REPO/.cache/kafka}"
JARS="$CACHE/jars"
DATA="${KAFKA_DATA_DIR:-$REPO/.cache/kafka/data}"
HEAP="${KAFKA_HEAP_OPTS:--Xmx512m -Xms128m}"
START_TIMEOUT="${KAFKA_START_TIMEOUT:-90}"
STOP_TIMEOUT="${KAFKA_STOP_TIMEOUT:-30}"
PIDFILE="$DATA/kafka.pid"
LOGDIR="$DATA/logs"
PROPS="$DATA/server.properties"
MAX_MESSAGE_BYTES=16777216

die() { echo "kafka-local: $*" >&2; exit 1; }
say() { echo "kafka-local: $*" >&2; }

need() { command -v "$1" >/dev/null 2>&1 || die "$1 is not installed (needed: $2)"; }

# ---- jars -------------------------------------------------------------------------------------
jars_stamp() { sha256sum "$CONF_DIR/pom.xml" | cut -c1-16; }

fetch_jars() {
    local stamp
    stamp="$(jars_stamp)"
    if [[ -f "$JARS/.stamp" && "$(cat "$JARS/.stamp")" == "$stamp" ]]; then
        return 0
    fi
    need mvn "to fetch the Kafka jars from Maven Central"
    say "fetching Kafka jars with Maven into $JARS ..."
    rm -rf "$JARS.tmp"
    mkdir -p "$JARS.tmp"
    # shellcheck disable=SC2086
    if ! mvn -q -B -f "$CONF_DIR/pom.xml" dependency:copy-dependencies -DincludeScope=runtime \
            -DoutputDirectory="$JARS.tmp" ${MVN_ARGS:-} >"$CACHE/mvn.log" 2>&1; then
        tail -n 30 "$CACHE/mvn.log" >&2
        die "maven could not fetch the Kafka jars (full log: $CACHE/mvn.log)"
    fi
    ls "$JARS.tmp"/kafka_2.13-*.jar >/dev/null 2>&1 || die "maven ran but no kafka_2.13 jar in $JARS.tmp"
    rm -rf "$JARS"
    mv "$JARS.tmp" "$JARS"
    echo "$stamp" >"$JARS/.stamp"
    say "$(find "$JARS" -name '*.jar' | wc -l) jars cached"
}

java_cmd() {
    need java "to run the broker (Java 17+)"
    java -cp "$JARS/*" "$@"
}

# ---- process ----------------------------------------------------------------------------------
# The pid in the pid file, if that process is alive and is our broker (guards against pid reuse).
running_pid() {
    [[ -f "$PIDFILE" ]] || return 1
    local pid
    pid="$(cat "$PIDFILE" 2>/dev/null || true)"
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    kill -0 "$pid" 2>/dev/null || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "kafka.Kafka $PROPS" || return 1
    echo "$pid"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

log_tail() {
    echo "---- last lines of $LOGDIR/server.log and $LOGDIR/stdout.log ----" >&2
    tail -n 25 "$LOGDIR/server.log" >&2 2>/dev/null || true
    tail -n 15 "$LOGDIR/stdout.log" >&2 2>/dev/null || true
}

render_props() {
    mkdir -p "$DATA" "$LOGDIR"
    sed -e "s|@PORT@|$PORT|g" -e "s|@CONTROLLER_PORT@|$CONTROLLER_PORT|g" -e "s|@DATA_DIR@|$DATA|g" \
        "$CONF_DIR/server.properties" >"$PROPS"
}

format_storage() {
    if [[ -f "$DATA/kraft/meta.properties" ]]; then
        local formatted
        formatted="$(cat "$DATA/controller.port" 2>/dev/null || echo "?")"
        [[ "$formatted" == "$CONTROLLER_PORT" ]] || die "$DATA was formatted for controller port $formatted," \
            "not $CONTROLLER_PORT: use the same KAFKA_PORT/KAFKA_CONTROLLER_PORT, another KAFKA_DATA_DIR, or 'reset'"
        return 0
    fi
    local cluster_id
    cluster_id="$(java_cmd kafka.tools.StorageTool random-uuid 2>>"$LOGDIR/stdout.log" | tail -n 1)"
    [[ -n "$cluster_id" ]] || { log_tail; die "StorageTool random-uuid printed nothing"; }
    say "formatting KRaft storage in $DATA/kraft (cluster $cluster_id)"
    java_cmd -Dlog4j2.configurationFile="$CONF_DIR/log4j2.properties" -Dkafka.logs.dir="$LOGDIR" \
        kafka.tools.StorageTool format --standalone -t "$cluster_id" -c "$PROPS" \
        >>"$LOGDIR/stdout.log" 2>&1 || { log_tail; die "formatting storage failed"; }
    echo "$CONTROLLER_PORT" >"$DATA/controller.port"
}

cmd_start() {
    local pid
    if pid="$(running_pid)"; then
        say "already running (pid $pid, 127.0.0.1:$PORT)"
        return 0
    fi
    fetch_jars
    if port_open "$PORT"; then die "port $PORT is taken by another process (set KAFKA_PORT)"; fi
    if port_open "$CONTROLLER_PORT"; then die "port $CONTROLLER_PORT is taken (set KAFKA_CONTROLLER_PORT)"; fi
    render_props
    format_storage
    # A fresh server.log, so the "started" line we wait for is this run's.
    [[ -f "$LOGDIR/server.log" ]] && mv -f "$LOGDIR/server.log" "$LOGDIR/server.log.prev"
    # shellcheck disable=SC2086
    setsid java $HEAP -XX:+UseG1GC -Djava.awt.headless=true \
        -Dlog4j2.configurationFile="$CONF_DIR/log4j2.properties" -Dkafka.logs.dir="$LOGDIR" \
        -cp "$JARS/*" kafka.Kafka "$PROPS" >>"$LOGDIR/stdout.log" 2>&1 </dev/null &
    pid=$!
    echo "$pid" >"$PIDFILE"
    if [[ -n "${KAFKA_WATCH_PID:-}" ]]; then
        # Stop the broker when the watched process (e.g. a pytest run) goes away without stopping it.
        (
            trap '' HUP INT
            while kill -0 "$KAFKA_WATCH_PID" 2>/dev/null && kill -0 "$pid" 2>/dev/null; do sleep 2; done
            kill -TERM "$pid" 2>/dev/null || true
        ) >/dev/null 2>&1 </dev/null &
        disown
    fi
    local deadline=$((SECONDS + START_TIMEOUT))
    until port_open "$PORT" && grep -q "Kafka Server started" "$LOGDIR/server.log" 2>/dev/null; do
        if ! kill -0 "$pid" 2>/dev/null; then
            rm -f "$PIDFILE"
            log_tail
            die "the broker exited during start-up"
        fi
        if ((SECONDS >= deadline)); then
            log_tail
            kill -TERM "$pid" 2>/dev/null || true
            rm -f "$PIDFILE"
            die "the broker did not answer on 127.0.0.1:$PORT within ${START_TIMEOUT}s"
        fi
        sleep 0.2
    done
    say "running (pid $pid) on 127.0.0.1:$PORT, data in $DATA"
}

cmd_stop() {
    local pid
    if ! pid="$(running_pid)"; then
        say "not running"
        rm -f "$PIDFILE"
        return 0
    fi
    kill -TERM "$pid"
    local deadline=$((SECONDS + STOP_TIMEOUT))
    while kill -0 "$pid" 2>/dev/null; do
        if ((SECONDS >= deadline)); then
            say "no clean exit within ${STOP_TIMEOUT}s: SIGKILL"
            kill -KILL "$pid" 2>/dev/null || true
            break
        fi
        sleep 0.2
    done
    rm -f "$PIDFILE"
    say "stopped"
}

cmd_status() {
    local pid
    if pid="$(running_pid)"; then
        echo "running (pid $pid) on 127.0.0.1:$PORT, data in $DATA"
        return 0
    fi
    echo "not running (data in $DATA)"
    return 3
}

cmd_topics() {
    running_pid >/dev/null || die "the broker is not running (start it first)"
    fetch_jars
    local partitions="${KAFKA_TOPIC_PARTITIONS:-4}"
    local specs=("$@")
    if ((${#specs[@]} == 0)); then
        specs=("${SIEVE_TOPIC_RAW:-pages.raw}" "${SIEVE_TOPIC_CLEAN:-articles.clean}"
            "${SIEVE_TOPIC_SKIPPED:-pages.skipped}" "${SIEVE_TOPIC_DLQ:-pages.dlq}"
            "${SIEVE_TOPIC_LINKS:-links.discovered}")
    fi
    local spec name parts
    for spec in "${specs[@]}"; do
        name="${spec%%:*}"
        parts="$partitions"
        [[ "$spec" == *:* ]] && parts="${spec##*:}"
        local out
        if ! out="$(java_cmd -Dlog4j2.configurationFile="$CONF_DIR/log4j2.properties" \
                -Dkafka.logs.dir="$LOGDIR" org.apache.kafka.tools.TopicCommand \
                --bootstrap-server "127.0.0.1:$PORT" --create --if-not-exists --topic "$name" \
                --partitions "$parts" --replication-factor 1 --config "max.message.bytes=$MAX_MESSAGE_BYTES" 2>&1)"; then
            echo "$out" >&2
            die "could not create topic $name"
        fi
        say "topic $name ($parts partitions, max.message.bytes=$MAX_MESSAGE_BYTES)"
    done
}

cmd_reset() {
    cmd_stop
    [[ "$DATA" == / ]] && die "refusing to delete /"
    rm -rf "$DATA"
    say "deleted $DATA"
}

case "${1:-}" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    topics) shift; cmd_topics "$@" ;;
    fetch) fetch_jars ;;
    reset) cmd_reset ;;
    logs) tail -n "${2:-50}" "$LOGDIR/server.log" ;;
    *) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
