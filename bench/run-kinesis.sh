#!/usr/bin/env bash
# The Kinesis Data Streams benchmark in one command: builds the load generator
# (and the sidecar) into build-bench/ (Release), starts each system on free
# loopback ports, runs the scenarios with the systems interleaved across
# repetitions, and prints one line per system and scenario with medians and the
# ratio to the fastest peer. Raw results: bench/results/<date>-kinesis.jsonl.
# See bench/README.md (Kinesis) for what is measured and how to read it.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(dirname "$BENCH_DIR")
BUILD_DIR=${BUILD_DIR:-$REPO_DIR/build-bench}

REPS=3
DURATION=10
WARMUP=2
CONNECTIONS=16
SCENARIOS=(put get subscribe retain)
SYSTEMS=(sluice kinesalite kinesalite-leveldb kinesis-local moto)
RECORDS=200000
MOTO_RECORDS=20000          # get backlog for moto, filled on one connection (README: it loses records otherwise)
KINESIS_LOCAL_RECORDS=5000  # get backlog for kinesis-local, which takes ~250 records/s
RETAIN_RECORDS=5000000
FANOUT_SECONDS=5
FANOUT_RATE=0
GEN_THREADS=1
SIDECAR_BIN=${SIDECAR_BIN:-}
SIDECAR_THREADS=${SIDECAR_THREADS:-}
KEEP=0

usage() {
  cat <<EOF
usage: bench/run-kinesis.sh [options]
  --reps N                  repetitions per system, interleaved [$REPS]
  --duration S              put: measured seconds (after a ${WARMUP} s warm-up);
                            subscribe: seconds of the paced (latency) phase [$DURATION]
  --only LIST               scenarios, comma-separated: put,get,subscribe,retain [all]
  --systems LIST            comma-separated from sluice,sluice-periodic,kinesalite,
                            kinesalite-leveldb,kinesis-local,moto
                            [sluice,kinesalite,kinesalite-leveldb,kinesis-local,moto]
  --connections N           PutRecords connections of put and of the fills [$CONNECTIONS]
  --records N               get: records filled, then read [$RECORDS]
  --moto-records N          the same for moto, filled on one connection [$MOTO_RECORDS]
  --kinesis-local-records N the same for kinesis-local [$KINESIS_LOCAL_RECORDS]
  --retain-records N        retain (sluice only): records retained [$RETAIN_RECORDS]
  --fanout-seconds S        subscribe: seconds of the closed-loop (throughput) phase [$FANOUT_SECONDS]
  --fanout-rate R           subscribe: paced records/s for every system [half of each
                            system's pushed throughput]
  --threads N               load generator threads [$GEN_THREADS]
  --sidecar PATH            sluice-sidecar binary to use instead of building it
  --sidecar-threads N       pass --threads N to the sidecar [its default]
  --keep                    keep the temporary directory (logs, data dirs)
EOF
}

while (($#)); do
  case $1 in
    --reps) REPS=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --only) IFS=, read -ra SCENARIOS <<<"$2"; shift 2 ;;
    --systems) IFS=, read -ra SYSTEMS <<<"$2"; shift 2 ;;
    --connections) CONNECTIONS=$2; shift 2 ;;
    --records) RECORDS=$2; shift 2 ;;
    --moto-records) MOTO_RECORDS=$2; shift 2 ;;
    --kinesis-local-records) KINESIS_LOCAL_RECORDS=$2; shift 2 ;;
    --retain-records) RETAIN_RECORDS=$2; shift 2 ;;
    --fanout-seconds) FANOUT_SECONDS=$2; shift 2 ;;
    --fanout-rate) FANOUT_RATE=$2; shift 2 ;;
    --threads) GEN_THREADS=$2; shift 2 ;;
    --sidecar) SIDECAR_BIN=$2; shift 2 ;;
    --sidecar-threads) SIDECAR_THREADS=$2; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
  esac
done
for s in "${SCENARIOS[@]}"; do
  [[ $s =~ ^(put|get|subscribe|retain)$ ]] || { echo "unknown scenario: $s" >&2; exit 2; }
done
for s in "${SYSTEMS[@]}"; do
  [[ $s =~ ^(sluice|sluice-periodic|kinesalite|kinesalite-leveldb|kinesis-local|moto)$ ]] ||
    { echo "unknown system: $s" >&2; exit 2; }
done

source "$BENCH_DIR/sqs/systems.sh"
source "$BENCH_DIR/kinesis/systems.sh"

say() { echo "run-kinesis: $*" >&2; }
has_system() { local s; for s in "${SYSTEMS[@]}"; do [[ $s == "$1" ]] && return 0; done; return 1; }
drop_system() {
  local keep=() s
  for s in "${SYSTEMS[@]}"; do [[ $s == "$1" ]] || keep+=("$s"); done
  SYSTEMS=("${keep[@]}")
}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/sluice-bench-kinesis.XXXXXX")
cleanup() {
  set +e  # best effort: a process may already be gone
  local pid
  for pid in "${STARTED_PIDS[@]}"; do
    kill -TERM "$pid" 2>/dev/null
  done
  for pid in "${STARTED_PIDS[@]}"; do
    for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null
    { wait "$pid"; } 2>/dev/null
  done
  if ((KEEP)); then say "kept $WORK"; else rm -rf "$WORK"; fi
  return 0
}
trap cleanup EXIT
trap 'say interrupted; exit 130' INT TERM

# ---- build -------------------------------------------------------------------
configure() {
  local try
  for try in 1 2 3; do
    if cmake -S "$REPO_DIR" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release >"$WORK/configure.log" 2>&1; then
      return 0
    fi
    # Someone else's in-progress change can break the shared configure for a while.
    say "configure failed (try $try/3); see below, retrying in 60 s"
    tail -n 15 "$WORK/configure.log" >&2
    sleep 60
  done
  return 1
}
if [[ ! -f $BUILD_DIR/build.ninja ]] || ! cmake --build "$BUILD_DIR" --target help >/dev/null 2>&1; then
  configure || { say "cannot configure $BUILD_DIR"; exit 1; }
fi
say "building sluice-kinesis-loadgen in $BUILD_DIR"
if ! cmake --build "$BUILD_DIR" --target sluice-kinesis-loadgen >"$WORK/build-loadgen.log" 2>&1; then
  # A stale build.ninja may predate bench/CMakeLists.txt: configure once more.
  configure && cmake --build "$BUILD_DIR" --target sluice-kinesis-loadgen >"$WORK/build-loadgen.log" 2>&1 ||
    { tail -n 40 "$WORK/build-loadgen.log" >&2; say "cannot build the load generator"; exit 1; }
fi
LOADGEN=$BUILD_DIR/bench/sluice-kinesis-loadgen

drop_sluice() { drop_system sluice; drop_system sluice-periodic; }
if has_system sluice || has_system sluice-periodic; then
  if [[ -n $SIDECAR_BIN ]]; then
    [[ -x $SIDECAR_BIN ]] || { say "--sidecar $SIDECAR_BIN is not executable"; exit 1; }
  elif ! cmake --build "$BUILD_DIR" --target help 2>/dev/null | grep -q '^sluice-sidecar:'; then
    say "SKIPPING sluice: the build has no sluice-sidecar target yet"
    drop_sluice
  else
    say "building sluice-sidecar in $BUILD_DIR (log: $WORK/build-sidecar.log)"
    if cmake --build "$BUILD_DIR" --target sluice-sidecar >"$WORK/build-sidecar.log" 2>&1; then
      SIDECAR_BIN=$BUILD_DIR/sidecar/sluice-sidecar
    else
      tail -n 30 "$WORK/build-sidecar.log" >&2
      say "SKIPPING sluice: sluice-sidecar does not build yet"
      drop_sluice
    fi
  fi
  # The engine may not have landed in the tree this binary was built from.
  if [[ -n $SIDECAR_BIN && ! -d $REPO_DIR/sidecar/kinesis ]]; then
    say "NOTE: sidecar/kinesis/ does not exist in this tree; unless $SIDECAR_BIN has the engine, its runs will fail"
  fi
fi
npm_packages=()
has_system kinesalite || has_system kinesalite-leveldb && npm_packages+=(kinesalite)
has_system kinesis-local && npm_packages+=(kinesis-local)
for s in "${SCENARIOS[@]}"; do [[ $s == subscribe ]] && npm_packages+=(@aws-sdk/client-kinesis @smithy/node-http-handler); done
for p in "${npm_packages[@]}"; do
  [[ -d $BENCH_DIR/node_modules/$p ]] && continue
  say "installing the npm packages (npm ci in bench/)"
  (cd "$BENCH_DIR" && npm ci --no-audit --no-fund >"$WORK/npm.log" 2>&1) ||
    { tail -n 20 "$WORK/npm.log" >&2; say "npm ci failed"; }
  break
done
if { has_system kinesalite || has_system kinesalite-leveldb; } && [[ ! -d $BENCH_DIR/node_modules/kinesalite ]]; then
  say "SKIPPING kinesalite: not installed (npm ci in bench/)"; drop_system kinesalite; drop_system kinesalite-leveldb
fi
if has_system kinesis-local && [[ ! -f $BENCH_DIR/node_modules/kinesis-local/main.js ]]; then
  say "SKIPPING kinesis-local: not installed (npm ci in bench/)"; drop_system kinesis-local
fi
if has_system moto && ! command -v moto_server >/dev/null; then
  say "SKIPPING moto: moto_server not installed (pip install 'moto[server]')"; drop_system moto
fi
((${#SYSTEMS[@]})) || { say "no system left to measure"; exit 1; }
FANOUT_OK=1
if [[ ! -d $BENCH_DIR/node_modules/@aws-sdk/client-kinesis || ! -d $BENCH_DIR/node_modules/@smithy/node-http-handler ]]; then
  FANOUT_OK=0
fi

# ---- runs --------------------------------------------------------------------
mkdir -p "$BENCH_DIR/results"
RESULTS=$BENCH_DIR/results/$(date +%F)-kinesis.jsonl
RUN_ID=$(date +%Y%m%dT%H%M%S)-$$
# "-dirty": the sidecar was built from uncommitted changes on top of that commit.
GIT_REV=$(git -C "$REPO_DIR" describe --always --dirty 2>/dev/null || echo unknown)
load1() { cut -d' ' -f1 /proc/loadavg; }
START_LOAD=$(load1)

say "run $RUN_ID: systems ${SYSTEMS[*]}; scenarios ${SCENARIOS[*]}; $REPS reps; load average $(cut -d' ' -f1-3 /proc/loadavg)"
if awk "BEGIN{exit !($(load1) >= 0.5)}"; then
  say "WARNING: load average >= 0.5; someone else is using the cores, figures will not be final"
fi

# Records a result line for a run that produced none (start failure and such).
record_failure() {
  local scenario=$1 system=$2 rep=$3 status=$4 why=$5
  printf '{"scenario":"%s","system":"%s","rep":%s,"run_id":"%s","status":"%s","errors":1,"error_samples":[{"count":1,"error":"%s"}]}\n' \
    "$scenario" "$system" "$rep" "$RUN_ID" "$status" "$why" >>"$RESULTS"
  say "$scenario $system rep $rep: $status ($why)"
}

# CPU ticks (1/100 s) the machine spent busy, and those of a process and its
# children. Their difference over a run is what *other* processes took: the load
# average cannot tell, since it counts our own runs.
machine_ticks() { awk '/^cpu /{print $2 + $3 + $4 + $7 + $8; exit}' /proc/stat; }
process_ticks() {
  local total=0 p t
  for p in "$1" $(pgrep -P "$1"); do
    t=$(awk '{sub(/.*\) /, ""); print $12 + $13}' "/proc/$p/stat" 2>/dev/null) || t=0
    total=$((total + ${t:-0}))
  done
  echo "$total"
}

# run_tool SCENARIO SYSTEM REP COMMAND...: runs a generator (the C++ one or
# fanout.mjs) that prints one JSON line, adds the run's labels and the CPU others
# took, appends it to RESULTS and prints it. In the background + wait, so that
# Ctrl-C or TERM reaches the trap at once instead of after the run.
run_tool() {
  local scenario=$1 system=$2 rep=$3 out=$WORK/loadgen.out pid rc=0
  shift 3
  local machine0 server0 start_ns line gen_ticks other_ticks wall_ticks binary
  machine0=$(machine_ticks)
  server0=$(process_ticks "$SYS_PID")
  start_ns=$(date +%s%N)
  binary=$(sidecar_of "$system")
  "$@" --label system="$system" --label rep="$rep" --label run_id="$RUN_ID" ${binary:+--label sidecar="$binary"} \
    --label load1="$(load1)" --label load_at_start="$START_LOAD" --label git="$GIT_REV" \
    --label date="$(date -Iseconds)" >"$out" &
  pid=$!
  STARTED_PIDS+=("$pid")
  wait "$pid" || rc=$?
  forget_pid "$pid"
  ((rc == 0)) || return 1
  line=$(<"$out")
  [[ $line == \{* ]] || return 1
  gen_ticks=$(grep -o '"generator_cpu_seconds":[0-9.e+-]*' <<<"$line" | awk -F: '{printf "%d", $2 * 100}')
  other_ticks=$(($(machine_ticks) - machine0 - ($(process_ticks "$SYS_PID") - server0) - ${gen_ticks:-0}))
  wall_ticks=$((($(date +%s%N) - start_ns) / 10000000))
  # Share of the machine's cores that other processes used during the run.
  line="${line%\}},\"other_cpu_pct\":$(awk -v o="$other_ticks" -v w="$wall_ticks" -v n="$(nproc)" \
    'BEGIN{v = w > 0 ? 100 * o / (w * n) : 0; printf "%.1f", v < 0 ? 0 : v}')}"
  echo "$line" >>"$RESULTS"
  echo "$line"
}

run_loadgen() {
  local scenario=$1 system=$2 rep=$3
  shift 3
  run_tool "$scenario" "$system" "$rep" "$LOADGEN" "$scenario" --threads "$GEN_THREADS" "$@"
}

# start_and_wait SYSTEM RUN_DIR PORT SECOND_PORT: 0 when serving; prints the log if not.
start_and_wait() {
  local system=$1 dir=$2 port=$3 second=$4
  mkdir -p "$dir"
  "start_$system" "$port" "$second" "$dir"
  if ! wait_ready "$system" "$port" "$second"; then
    say "$system did not start"
    print_log
    stop_system KILL
    return 1
  fi
}

# The get backlog of a system: moto and kinesis-local take hours at 200,000.
records_of() {
  case $1 in
    moto) echo "$MOTO_RECORDS" ;;
    kinesis-local) echo "$KINESIS_LOCAL_RECORDS" ;;
    *) echo "$RECORDS" ;;
  esac
}

# run_one SCENARIO SYSTEM REP: a fresh server (and data dir), one run, stop.
run_one() {
  local scenario=$1 system=$2 rep=$3 dir=$WORK/$1-$2-$3 port second
  read -r port second < <("$LOADGEN" ports 2)
  start_and_wait "$system" "$dir" "$port" "$second" ||
    { record_failure "$scenario" "$system" "$rep" start-failed "did not start; log in run output"; return 0; }
  local ok=1
  case $scenario in
    put)
      run_loadgen put "$system" "$rep" --port "$port" --connections "$CONNECTIONS" \
        --duration "$DURATION" --warmup "$WARMUP" >/dev/null || ok=0 ;;
    get)
      local connections=$CONNECTIONS
      # moto's PutRecords is not safe under concurrency: two puts to one shard can
      # take the same sequence number and one record is lost though acknowledged.
      [[ $system == moto ]] && connections=1
      run_loadgen get "$system" "$rep" --port "$port" --connections "$connections" \
        --records "$(records_of "$system")" >/dev/null || ok=0 ;;
    subscribe)
      local args=(--port "$port" --duration "$DURATION" --throughput-seconds "$FANOUT_SECONDS")
      [[ $FANOUT_RATE != 0 ]] && args+=(--rate "$FANOUT_RATE")
      run_tool subscribe "$system" "$rep" node "$BENCH_DIR/kinesis/fanout.mjs" "${args[@]}" >/dev/null || ok=0 ;;
  esac
  ((ok)) || record_failure "$scenario" "$system" "$rep" loadgen-failed "load generator exited non-zero"
  if ! kill -0 "$SYS_PID" 2>/dev/null; then
    say "$system exited during the run"
    print_log
  fi
  stop_system
  ((KEEP)) || rm -rf "$dir"
}

proc_kib() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; }

# retain (sluice systems): fill with RSS sampled, kill -9, restart on the same
# data dir, time until it serves, read everything back.
run_retain() {
  local system=$1 rep=$2 dir=$WORK/retain-$1-$2 port second fill acked since
  read -r port second < <("$LOADGEN" ports 2)
  start_and_wait "$system" "$dir" "$port" "$second" ||
    { record_failure retain-fill "$system" "$rep" start-failed "did not start"; return 0; }
  fill=$(run_loadgen retain-fill "$system" "$rep" --port "$port" --connections "$CONNECTIONS" \
    --records "$RETAIN_RECORDS" --server-pid "$SYS_PID" --timeout 1800) ||
    { record_failure retain-fill "$system" "$rep" loadgen-failed "load generator exited non-zero"; stop_system KILL; return 0; }
  acked=$(grep -o '"acknowledged":[0-9]*' <<<"$fill" | cut -d: -f2)
  if ((${acked:-0} == 0)); then
    record_failure recover "$system" "$rep" skipped "nothing was acknowledged, so there is nothing to recover"
    stop_system KILL
    return 0
  fi
  say "retain $system rep $rep: $acked records acknowledged, VmRSS now $(($(proc_kib "$SYS_PID" VmRSS) / 1024)) MiB; kill -9"
  stop_system KILL
  since=$(date +%s%N)
  "start_$system" "$port" "$second" "$dir"
  run_loadgen recover "$system" "$rep" --port "$port" --expect "${acked:-0}" --since-ns "$since" \
    --timeout 600 >/dev/null ||
    record_failure recover "$system" "$rep" loadgen-failed "load generator exited non-zero"
  if ! kill -0 "$SYS_PID" 2>/dev/null; then say "$system exited after restart"; print_log; fi
  stop_system
  # Five million records are ~5 GiB in the store: drop them now.
  ((KEEP)) || rm -rf "$dir"
}

# The selected systems a scenario runs on, in the order given.
scenario_systems() {
  local s
  for s in "${SYSTEMS[@]}"; do
    # The durable store's footprint and recovery: the peers keep everything in memory.
    [[ $1 == retain && $s != sluice* ]] && continue
    echo "$s"
  done
}

for scenario in "${SCENARIOS[@]}"; do
  if [[ $scenario == subscribe ]] && ((!FANOUT_OK)); then
    say "SKIPPING subscribe: @aws-sdk/client-kinesis is not installed (npm ci in bench/)"
    continue
  fi
  mapfile -t systems < <(scenario_systems "$scenario")
  if ((${#systems[@]} == 0)); then
    case $scenario in
      retain) say "retain: measures the sidecar's durable store only, and sluice is not selected or not available" ;;
      *) say "$scenario: no selected system runs it" ;;
    esac
    continue
  fi
  for ((rep = 1; rep <= REPS; rep++)); do
    for system in "${systems[@]}"; do
      if [[ $scenario == retain ]]; then
        run_retain "$system" "$rep"
      else
        run_one "$scenario" "$system" "$rep"
      fi
    done
  done
done

echo
"$LOADGEN" report --results "$RESULTS" --run-id "$RUN_ID"
echo
say "raw results: $RESULTS (run_id $RUN_ID)"
