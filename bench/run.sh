#!/usr/bin/env bash
# make bench — measures the receiver as a clinic would run it. See bench/README.md.
# The server is pinned to CPU 0 and the load to CPU 1 (taskset), so the server's figures
# are those of one core, the size of the small VMs clinics rent.
set -euo pipefail
cd "$(dirname "$0")/.."

JAR=build/clinic-relay.jar
JAVA_OPTS=${JAVA_OPTS:-"-XX:+UseSerialGC -Xmx96m -Xmn16m -Xss512k -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=16m -XX:+ExitOnOutOfMemoryError"}
# Below the ephemeral range (32768+), so no client socket of the run can hold it (or PORT+1).
PORT=${BENCH_PORT:-18123}
SECONDS_MEASURED=${BENCH_SECONDS:-10}
CONNECTIONS=32
OPEN_LOOP_RATE=2000
SERVER_CPU=0
LOAD_CPU=1
WORK=build/bench-run

if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && apt-get install -y -qq wrk) >/dev/null
  else
    echo "bench: wrk is missing (Debian: sudo apt-get install wrk)"; exit 1
  fi
fi

rm -rf "$WORK" build/bench
mkdir -p "$WORK" build/bench
javac --release 17 -encoding UTF-8 -cp "$JAR:build/test-classes" -d build/bench bench/*.java
CP="$JAR:build/bench:build/test-classes"
SECRET=$(head -c 32 /dev/urandom | base64)
PHI_KEY=$(head -c 32 /dev/urandom | base64)
CLK_TCK=$(getconf CLK_TCK)

echo "bench: signing events..."
java -cp "$CP" BenchEvents "$SECRET" 300000 warm- "$WORK/warmup.events"
java -cp "$CP" BenchEvents "$SECRET" 400000 load- "$WORK/load.events"

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

sync # let the event files reach the disk now, not during the start-up being measured

# start_server DATA_DIR PHI_KEY PREPARE: three starts, each after PREPARE (a command that readies
# DATA_DIR), the median time to healthy in STARTUP_MS; the third server keeps running.
start_server() {
  local data=$1 key=$2 prepare=$3 starts=() attempt startup
  for attempt in 1 2 3; do
    $prepare
    # shellcheck disable=SC2086
    # DRY_RUN: every event's confirmations are sent (to the outbox) and its reminders planned, as
    # with Twilio and SendGrid set up; without it both channels are off and nothing is planned.
    startup=$(env -i PATH="$PATH" ZOCDOC_WEBHOOK_SECRET="$SECRET" PHI_ENCRYPTION_KEY="$key" \
      DATA_DIR="$data" PORT="$PORT" DRY_RUN=true QUIET_HOURS=off \
      taskset -c "$LOAD_CPU" java -cp build/bench StartupProbe "$PORT" "$WORK/server.pid" "$WORK/server.log" -- \
      taskset -c "$SERVER_CPU" java $JAVA_OPTS -jar "$JAR" serve)
    echo "$startup"
    starts+=("$(echo "$startup" | sed -E 's/.*ms_to_healthy=([0-9]+).*/\1/')")
    if [ "$attempt" -lt 3 ]; then
      kill "$(cat "$WORK/server.pid")"
      while kill -0 "$(cat "$WORK/server.pid")" 2>/dev/null; do sleep 0.1; done
    fi
  done
  STARTUP_MS=$(printf '%s\n' "${starts[@]}" | sort -n | sed -n 2p)
}

# Start-up: three fresh starts on empty data dirs.
empty_data() { rm -rf "$WORK/data"; }
start_server "$WORK/data" "$PHI_KEY" empty_data
BASE_STARTUP_MS=$STARTUP_MS
echo "bench: server on CPU $SERVER_CPU ($JAVA_OPTS)"
PID=$(cat "$WORK/server.pid")
trap 'kill "$PID" 2>/dev/null || true' EXIT

echo "bench: warming up (${WARMUP_SECONDS:-5} s)"
taskset -c "$LOAD_CPU" wrk -t1 -c"$CONNECTIONS" -d"${WARMUP_SECONDS:-5}s" -s bench/wrk-events.lua "http://127.0.0.1:$PORT/webhook" -- "$WORK/warmup.events" >/dev/null

echo "bench: closed loop, $CONNECTIONS connections, ${SECONDS_MEASURED} s"
BEFORE=$(cpu_ticks "$PID")
WRK=$(taskset -c "$LOAD_CPU" wrk -t1 -c"$CONNECTIONS" -d"${SECONDS_MEASURED}s" -s bench/wrk-events.lua \
  "http://127.0.0.1:$PORT/webhook" -- "$WORK/load.events" | grep '^WRK')
AFTER=$(cpu_ticks "$PID")
echo "$WRK"
REQUESTS=$(echo "$WRK" | sed -E 's/.*accepted=([0-9]+) duplicate=([0-9]+) other=([0-9]+).*/\1 \2 \3/' | awk '{print $1 + $2 + $3}')
CPU_US=$(awk -v t=$((AFTER - BEFORE)) -v hz="$CLK_TCK" -v n="$REQUESTS" 'BEGIN {printf "%.1f", t * 1e6 / hz / n}')

echo "bench: open loop, $OPEN_LOOP_RATE req/s for ${SECONDS_MEASURED} s"
OPEN=$(taskset -c "$LOAD_CPU" java -XX:+UseSerialGC -cp "$CP" OpenLoop "$PORT" "$SECRET" "$OPEN_LOOP_RATE" \
  "$SECONDS_MEASURED" "$CONNECTIONS" open-)
echo "$OPEN"

RSS_KB=$(awk '/VmHWM/ {print $2}' "/proc/$PID/status")
RECORDS=$(curl -s "http://127.0.0.1:$PORT/health" | sed -E 's/.*"events_stored":([0-9]+).*/\1/')
kill "$PID"
wait "$PID" 2>/dev/null || true
trap - EXIT

echo "bench: reference, a trivial JDK HttpServer handler on CPU $SERVER_CPU"
# shellcheck disable=SC2086
taskset -c "$SERVER_CPU" java $JAVA_OPTS -cp build/bench TrivialServer "$((PORT + 1))" &
TRIVIAL=$!
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$((PORT + 1))/" && break; sleep 0.05; done
taskset -c "$LOAD_CPU" wrk -t1 -c"$CONNECTIONS" -d3s "http://127.0.0.1:$((PORT + 1))/" >/dev/null
TRIVIAL_RPS=$(taskset -c "$LOAD_CPU" wrk -t1 -c"$CONNECTIONS" -d"${SECONDS_MEASURED}s" "http://127.0.0.1:$((PORT + 1))/" \
  | awk '/Requests\/sec/ {printf "%.0f", $2}')
kill "$TRIVIAL"; wait "$TRIVIAL" 2>/dev/null || true

echo "bench: delivery engine (replay, memory, sends through the Twilio client to a local fake)"
# shellcheck disable=SC2086
DELIVERY=$(taskset -c "$SERVER_CPU" java $JAVA_OPTS -cp "$CP" clinicrelay.delivery.DeliveryBench "$WORK/delivery")
echo "$DELIVERY"
REPLAY_LINE=$(echo "$DELIVERY" | grep replay_records)
SENDS_LINE=$(echo "$DELIVERY" | grep sends_per_second)

echo "bench: forwarding (a backlog of ~20 000 events caught up: to a webhook receiver, then to a Kafka REST proxy)"
# shellcheck disable=SC2086
FORWARD=$(taskset -c "$SERVER_CPU" java $JAVA_OPTS -cp "$CP" ForwardBench "$WORK/forward" "$LOAD_CPU")
echo "$FORWARD"

echo "bench: dashboard (a year: 100 000 appointments, 20 providers)"
# shellcheck disable=SC2086
DASHBOARD=$(taskset -c "$SERVER_CPU" java $JAVA_OPTS -cp "$CP" clinicrelay.dashboard.DashboardBench)
echo "$DASHBOARD"

echo "bench: at scale (200 000 future appointments and 1 000 000 events of history)"
# The history is written once (about 8 minutes) and kept in build/bench-history; each run
# works on a copy. Bump HISTORY_VERSION when the generator or the storage format changes.
HISTORY=build/bench-history
HISTORY_VERSION=1
if [ ! -f "$HISTORY/ready-$HISTORY_VERSION" ]; then
  rm -rf "$HISTORY"
  mkdir -p "$HISTORY"
  head -c 32 /dev/urandom | base64 > "$HISTORY/phi-key"
  chmod 600 "$HISTORY/phi-key"
  echo "bench: writing the history once (PracticeHistory, through the production ingest and engine)"
  java -Xmx2g -cp "$CP" clinicrelay.delivery.PracticeHistory "$HISTORY/data" "$(cat "$HISTORY/phi-key")" 200000 1000000
  touch "$HISTORY/ready-$HISTORY_VERSION"
fi
# One start and clean stop on the history itself: the first replays it all (or a checkpoint of
# an older format), and the stop writes the checkpoint the measured starts read; later it is quick.
# shellcheck disable=SC2086
env -i PATH="$PATH" ZOCDOC_WEBHOOK_SECRET="$SECRET" PHI_ENCRYPTION_KEY="$(cat "$HISTORY/phi-key")" \
  DATA_DIR="$HISTORY/data" PORT="$PORT" DRY_RUN=true QUIET_HOURS=off \
  java -Dstartup.timeout.seconds=900 -cp build/bench StartupProbe "$PORT" "$WORK/server.pid" "$WORK/server.log" -- \
  java $JAVA_OPTS -jar "$JAR" serve >/dev/null
kill "$(cat "$WORK/server.pid")"
while kill -0 "$(cat "$WORK/server.pid")" 2>/dev/null; do sleep 0.1; done
# Three starts, each on a fresh copy of the history.
history_copy() { rm -rf "$WORK/history"; cp -a "$HISTORY/data" "$WORK/history"; sync; }
start_server "$WORK/history" "$(cat "$HISTORY/phi-key")" history_copy
SCALE_STARTUP_MS=$STARTUP_MS
PID=$(cat "$WORK/server.pid")
trap 'kill "$PID" 2>/dev/null || true' EXIT
grep -o 'started from a checkpoint.*' "$WORK/server.log" | head -1 || true
# Live heap: what a full collection leaves (old and young generation in use after it).
jcmd "$PID" GC.run >/dev/null
LIVE_HEAP_MB=$(jcmd "$PID" GC.heap_info | awk '/generation +total/ && match($0, /used [0-9]+K/) {
  used += substr($0, RSTART + 5, RLENGTH - 6) } END {printf "%.1f", used / 1024}')
SCALE_RSS_MB=$(awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$PID/status")
SCALE_SECONDS=${BENCH_SCALE_SECONDS:-60}
echo "bench: open loop on that data, $OPEN_LOOP_RATE req/s for $SCALE_SECONDS s"
SCALE_OPEN=$(taskset -c "$LOAD_CPU" java -XX:+UseSerialGC -cp "$CP" OpenLoop "$PORT" "$SECRET" "$OPEN_LOOP_RATE" \
  "$SCALE_SECONDS" "$CONNECTIONS" scale-)
echo "$SCALE_OPEN"
SCALE_HWM_MB=$(awk '/VmHWM/ {printf "%.1f", $2 / 1024}' "/proc/$PID/status")
SCALE_ALIVE=$(kill -0 "$PID" 2>/dev/null && echo yes || echo "NO (exited)")
SCALE_OOM=$(grep -c OutOfMemoryError "$WORK/server.log" || true)
kill "$PID" 2>/dev/null || true
wait "$PID" 2>/dev/null || true
trap - EXIT

get() { echo "$1" | sed -E "s/.*$2=([0-9.]+).*/\\1/"; }
echo
echo "== clinic-relay bench ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, server on 1 core, $(java -version 2>&1 | head -1))"
printf '%-52s %12s   %s\n' "measure" "result" "target"
printf '%-52s %12s   %s\n' "durably acknowledged events/s ($CONNECTIONS connections)" "$(get "$WRK" durable_per_second)" ">= 9000"
printf '%-52s %12s   %s\n' "server CPU per request (us)" "$CPU_US" "<= 110"
printf '%-52s %12s   %s\n' "closed-loop latency p50 / p99 (ms)" "$(get "$WRK" p50_ms) / $(get "$WRK" p99_ms)" ""
printf '%-52s %12s   %s\n' "open loop $OPEN_LOOP_RATE req/s: p50 (ms)" "$(get "$OPEN" p50_ms)" ""
printf '%-52s %12s   %s\n' "open loop $OPEN_LOOP_RATE req/s: p99 (ms)" "$(get "$OPEN" p99_ms)" "<= 5"
printf '%-52s %12s   %s\n' "open loop $OPEN_LOOP_RATE req/s: max (ms)" "$(get "$OPEN" max_ms)" ""
printf '%-52s %12s   %s\n' "process start to 200 on /health (ms, median of 3)" "$BASE_STARTUP_MS" "<= 400"
printf '%-52s %12s   %s\n' "peak RSS (MB)" "$(awk -v k="$RSS_KB" 'BEGIN {printf "%.1f", k / 1024}')" "<= 100"
printf '%-52s %12s   %s\n' "jar size (KB)" "$(awk -v b="$(wc -c < "$JAR")" 'BEGIN {printf "%.1f", b / 1024}')" "<= 200"
printf '%-52s %12s   %s\n' "events stored in the run" "$RECORDS" ""
printf '%-52s %12s   %s\n' "reference: trivial JDK handler, req/s" "$TRIVIAL_RPS" "(~25000)"
printf '%-52s %12s   %s\n' "journal replay at start-up (ms per 100 000 records)" \
  "$(awk -v ms="$(get "$REPLAY_LINE" replay_ms)" -v n="$(get "$REPLAY_LINE" replay_records)" 'BEGIN {printf "%.0f", ms * 100000 / n}')" ""
printf '%-52s %12s   %s\n' "engine memory per pending delivery (bytes)" "$(get "$REPLAY_LINE" state_bytes_per_pending)" ""
printf '%-52s %12s   %s\n' "SMS sends/s (Twilio client, local fake)" "$(get "$SENDS_LINE" sends_per_second)" ""
printf '%-52s %12s   %s\n' "forwarding to a webhook receiver, signed (events/s)" "$(get "$FORWARD" webhook_per_second)" ""
printf '%-52s %12s   %s\n' "forwarding to a Kafka REST proxy (events/s)" "$(get "$FORWARD" kafka_per_second)" ""
printf '%-52s %12s   %s\n' "forwarding to Kafka: mean records per request" "$(get "$FORWARD" kafka_mean_batch)" ""
printf '%-52s %12s   %s\n' "dashboard render, 1 year, 20 providers (ms, median)" "$(get "$DASHBOARD" render_ms)" "< 50"
printf '%-52s %12s   %s\n' "dashboard figures in memory (MB)" "$(get "$DASHBOARD" stats_mb)" "< 20"
printf '%-52s %12s   %s\n' "at scale: live heap after full GC (MB)" "$LIVE_HEAP_MB" "<= 48"
printf '%-52s %12s   %s\n' "at scale: RSS after start (MB)" "$SCALE_RSS_MB" ""
printf '%-52s %12s   %s\n' "at scale: start to 200 on /health (ms, median of 3)" "$SCALE_STARTUP_MS" "<= 1000"
printf '%-52s %12s   %s\n' "at scale: open loop $OPEN_LOOP_RATE req/s ${SCALE_SECONDS} s: p50 (ms)" "$(get "$SCALE_OPEN" p50_ms)" ""
printf '%-52s %12s   %s\n' "at scale: open loop $OPEN_LOOP_RATE req/s ${SCALE_SECONDS} s: p99 (ms)" "$(get "$SCALE_OPEN" p99_ms)" "<= 5"
printf '%-52s %12s   %s\n' "at scale: open loop max (ms)" "$(get "$SCALE_OPEN" max_ms)" ""
printf '%-52s %12s   %s\n' "at scale: open loop failures (not 200)" "$(get "$SCALE_OPEN" failures)" "0"
printf '%-52s %12s   %s\n' "at scale: peak RSS (MB)" "$SCALE_HWM_MB" ""
printf '%-52s %12s   %s\n' "at scale: still running after the load, OOM lines" "$SCALE_ALIVE, $SCALE_OOM" "yes, 0"
echo "(JAVA_OPTS=$JAVA_OPTS; every event signed zocdoc-v1, for an appointment 2-57 days ahead (80 % created,"
echo " 12 % updated, 8 % cancelled, 5 % exact redeliveries), PHI encrypted, fsynced before its 200)"
