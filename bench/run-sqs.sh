#!/usr/bin/env bash
# The SQS benchmark in one command: builds the load generator (and the sidecar)
# into build-bench/ (Release), starts each system on free loopback ports, runs the
# scenarios with the systems interleaved across repetitions, and prints one line
# per system with medians. Raw results: bench/results/<date>-sqs.jsonl.
# See bench/README.md for what is measured and how to read it.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(dirname "$BENCH_DIR")
BUILD_DIR=${BUILD_DIR:-$REPO_DIR/build-bench}

REPS=3
DURATION=10
WARMUP=2
SCENARIOS=(send drain stall bulk-create memory)
SYSTEMS=(nginx sluice sluice-periodic fauxqs moto)
SYSTEMS_GIVEN=0
MESSAGES=200000
MEMORY_MESSAGES=1000000
MOTO_MESSAGES=2000     # drain backlog for moto: it slows as its queue grows (README)
STALL_QUEUES=1000
CREATE_MIX=create
MOTO_QUEUES=20         # stall queues for moto: ~2 CreateQueue/s next to 16 senders
MOTO_BULK_QUEUES=1000  # bulk-create queues for moto (--bulk-peers): ~250/s
BULK_QUEUES=10000
BULK_CONNECTIONS=4
BULK_PEERS=0
GEN_THREADS=1
SIDECAR_BIN=${SIDECAR_BIN:-}
SIDECAR_B_BIN=${SIDECAR_B_BIN:-}
SIDECAR_THREADS=${SIDECAR_THREADS:-}
KEEP=0

usage() {
  cat <<EOF
usage: bench/run-sqs.sh [options]
  --reps N             repetitions per system, interleaved [$REPS]
  --duration S         send: measured seconds per run (after a ${WARMUP} s warm-up);
                       stall: seconds of sends before the creates [$DURATION]
  --only LIST          scenarios, comma-separated: send,drain,stall,bulk-create,memory [all]
  --systems LIST       comma-separated from nginx,sluice,sluice-periodic,fauxqs,moto,
                       sluice-b,sluice-b-periodic [all; the sluice-b ones with --sidecar-b]
  --messages N         drain backlog [$MESSAGES]
  --memory-messages N  memory backlog (sluice, sluice-b only) [$MEMORY_MESSAGES]
  --moto-messages N    drain backlog for moto, which slows down as its queue
                       grows and would take hours at 200,000 [$MOTO_MESSAGES]
  --stall-queues N     stall: queues created during the sends [$STALL_QUEUES]
  --create-mix LIST    stall / bulk-create: calls per queue, create[,attributes][,tags]
                       (SetQueueAttributes, TagQueue after each CreateQueue) [$CREATE_MIX]
  --moto-queues N      stall queues for moto, which makes ~2 a second while it
                       serves the senders [$MOTO_QUEUES]
  --bulk-queues N      bulk-create: queues [$BULK_QUEUES]
  --bulk-connections N bulk-create: connections doing CreateQueue [$BULK_CONNECTIONS]
  --bulk-peers         bulk-create on fauxqs and moto too [sluice systems only]
  --moto-bulk-queues N bulk-create queues for moto (with --bulk-peers) [$MOTO_BULK_QUEUES]
  --threads N          load generator threads [$GEN_THREADS]
  --sidecar PATH       sluice-sidecar binary to use instead of building it
  --sidecar-b PATH     a second sluice-sidecar (say, the one before a change): adds the
                       systems sluice-b and sluice-b-periodic, started with the same
                       flags, interleaved with the others; the report sets them side by side
  --sidecar-threads N  pass --threads N to the sidecar [its default]
  --keep               keep the temporary directory (logs, data dirs)
EOF
}

while (($#)); do
  case $1 in
    --reps) REPS=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --only) IFS=, read -ra SCENARIOS <<<"$2"; shift 2 ;;
    --systems) IFS=, read -ra SYSTEMS <<<"$2"; SYSTEMS_GIVEN=1; shift 2 ;;
    --messages) MESSAGES=$2; shift 2 ;;
    --memory-messages) MEMORY_MESSAGES=$2; shift 2 ;;
    --moto-messages) MOTO_MESSAGES=$2; shift 2 ;;
    --stall-queues) STALL_QUEUES=$2; shift 2 ;;
    --create-mix) CREATE_MIX=$2; shift 2 ;;
    --moto-queues) MOTO_QUEUES=$2; shift 2 ;;
    --moto-bulk-queues) MOTO_BULK_QUEUES=$2; shift 2 ;;
    --bulk-queues) BULK_QUEUES=$2; shift 2 ;;
    --bulk-connections) BULK_CONNECTIONS=$2; shift 2 ;;
    --bulk-peers) BULK_PEERS=1; shift ;;
    --threads) GEN_THREADS=$2; shift 2 ;;
    --sidecar) SIDECAR_BIN=$2; shift 2 ;;
    --sidecar-b) SIDECAR_B_BIN=$2; shift 2 ;;
    --sidecar-threads) SIDECAR_THREADS=$2; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
  esac
done
for s in "${SCENARIOS[@]}"; do
  [[ $s =~ ^(send|drain|stall|bulk-create|memory)$ ]] || { echo "unknown scenario: $s" >&2; exit 2; }
done
if [[ -n $SIDECAR_B_BIN ]] && ((!SYSTEMS_GIVEN)); then
  # Each B next to its A, so that the two run as close in time as they can.
  SYSTEMS=(nginx sluice sluice-b sluice-periodic sluice-b-periodic fauxqs moto)
fi
for s in "${SYSTEMS[@]}"; do
  [[ $s =~ ^(nginx|sluice|sluice-periodic|sluice-b|sluice-b-periodic|fauxqs|moto)$ ]] ||
    { echo "unknown system: $s" >&2; exit 2; }
done

source "$BENCH_DIR/sqs/systems.sh"

say() { echo "run-sqs: $*" >&2; }
has_system() { local s; for s in "${SYSTEMS[@]}"; do [[ $s == "$1" ]] && return 0; done; return 1; }
drop_system() {
  local keep=() s
  for s in "${SYSTEMS[@]}"; do [[ $s == "$1" ]] || keep+=("$s"); done
  SYSTEMS=("${keep[@]}")
}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/sluice-bench.XXXXXX")
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
say "building sluice-sqs-loadgen in $BUILD_DIR"
if ! cmake --build "$BUILD_DIR" --target sluice-sqs-loadgen >"$WORK/build-loadgen.log" 2>&1; then
  # A stale build.ninja may predate bench/CMakeLists.txt: configure once more.
  configure && cmake --build "$BUILD_DIR" --target sluice-sqs-loadgen >"$WORK/build-loadgen.log" 2>&1 ||
    { tail -n 40 "$WORK/build-loadgen.log" >&2; say "cannot build the load generator"; exit 1; }
fi
LOADGEN=$BUILD_DIR/bench/sluice-sqs-loadgen

drop_sluice() { drop_system sluice; drop_system sluice-periodic; }
if has_system sluice-b || has_system sluice-b-periodic; then
  if [[ -z $SIDECAR_B_BIN ]]; then
    say "SKIPPING sluice-b: no --sidecar-b PATH"
    drop_system sluice-b; drop_system sluice-b-periodic
  elif [[ ! -x $SIDECAR_B_BIN ]]; then
    say "--sidecar-b $SIDECAR_B_BIN is not executable"; exit 1
  fi
fi
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
fi
if has_system fauxqs && [[ ! -d $BENCH_DIR/node_modules/fauxqs ]]; then
  say "installing fauxqs (npm ci in bench/)"
  (cd "$BENCH_DIR" && npm ci --no-audit --no-fund >"$WORK/npm.log" 2>&1) ||
    { tail -n 20 "$WORK/npm.log" >&2; say "SKIPPING fauxqs: npm ci failed"; drop_system fauxqs; }
fi
if has_system nginx && ! command -v nginx >/dev/null; then
  say "SKIPPING nginx: not installed (apt-get install nginx-light)"; drop_system nginx
fi
if has_system moto && ! command -v moto_server >/dev/null; then
  say "SKIPPING moto: moto_server not installed (pip install 'moto[server]')"; drop_system moto
fi
((${#SYSTEMS[@]})) || { say "no system left to measure"; exit 1; }

# ---- runs --------------------------------------------------------------------
mkdir -p "$BENCH_DIR/results"
RESULTS=$BENCH_DIR/results/$(date +%F)-sqs.jsonl
RUN_ID=$(date +%Y%m%dT%H%M%S)-$$
GIT_REV=$(git -C "$REPO_DIR" rev-parse --short HEAD 2>/dev/null || echo unknown)
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
# children (nginx's workers). Their difference over a run is what *other*
# processes took: the load average cannot tell, since it counts our own runs.
machine_ticks() { awk '/^cpu /{print $2 + $3 + $4 + $7 + $8; exit}' /proc/stat; }
process_ticks() {
  local total=0 p t
  for p in "$1" $(pgrep -P "$1"); do
    t=$(awk '{sub(/.*\) /, ""); print $12 + $13}' "/proc/$p/stat" 2>/dev/null) || t=0
    total=$((total + ${t:-0}))
  done
  echo "$total"
}

# run_loadgen SCENARIO SYSTEM REP [loadgen args...]: one JSON line into RESULTS,
# and on stdout for the caller. In the background + wait, so that Ctrl-C or TERM
# reaches the trap at once instead of after the run.
run_loadgen() {
  local scenario=$1 system=$2 rep=$3 out=$WORK/loadgen.out pid rc=0
  shift 3
  local machine0 server0 start_ns line gen_ticks other_ticks wall_ticks
  machine0=$(machine_ticks)
  server0=$(process_ticks "$SYS_PID")
  start_ns=$(date +%s%N)
  local binary
  binary=$(sidecar_of "$system")
  "$LOADGEN" "$scenario" --threads "$GEN_THREADS" "$@" \
    --label system="$system" --label rep="$rep" --label run_id="$RUN_ID" ${binary:+--label sidecar="$binary"} \
    --label load1="$(load1)" --label load_at_start="$START_LOAD" --label git="$GIT_REV" \
    --label date="$(date -Iseconds)" >"$out" &
  pid=$!
  STARTED_PIDS+=("$pid")
  wait "$pid" || rc=$?
  forget_pid "$pid"
  ((rc == 0)) || return 1
  line=$(<"$out")
  gen_ticks=$(grep -o '"generator_cpu_seconds":[0-9.e+-]*' <<<"$line" | awk -F: '{printf "%d", $2 * 100}')
  other_ticks=$(($(machine_ticks) - machine0 - ($(process_ticks "$SYS_PID") - server0) - ${gen_ticks:-0}))
  wall_ticks=$((($(date +%s%N) - start_ns) / 10000000))
  # Share of the machine's cores that other processes used during the run.
  line="${line%\}},\"other_cpu_pct\":$(awk -v o="$other_ticks" -v w="$wall_ticks" -v n="$(nproc)" \
    'BEGIN{v = w > 0 ? 100 * o / (w * n) : 0; printf "%.1f", v < 0 ? 0 : v}')}"
  echo "$line" >>"$RESULTS"
  echo "$line"
}

# start_and_wait SYSTEM RUN_DIR PORT ADMIN: 0 when serving; prints the log if not.
start_and_wait() {
  local system=$1 dir=$2 port=$3 admin=$4
  mkdir -p "$dir"
  "start_$system" "$port" "$admin" "$dir"
  if ! wait_ready "$system" "$port" "$admin"; then
    say "$system did not start"
    print_log
    stop_system KILL
    return 1
  fi
}

run_throughput() {  # send | drain | stall | bulk-create
  local scenario=$1 system=$2 rep=$3 dir=$WORK/$1-$2-$3 port admin
  read -r port admin < <("$LOADGEN" ports 2)
  start_and_wait "$system" "$dir" "$port" "$admin" ||
    { record_failure "$scenario" "$system" "$rep" start-failed "did not start; log in run output"; return 0; }
  local args=(--port "$port") n
  case $scenario in
    send) args+=(--duration "$DURATION" --warmup "$WARMUP") ;;
    drain)
      n=$MESSAGES
      [[ $system == moto ]] && n=$MOTO_MESSAGES
      args+=(--messages "$n") ;;
    stall)
      n=$STALL_QUEUES
      [[ $system == moto ]] && n=$MOTO_QUEUES
      args+=(--duration "$DURATION" --warmup "$WARMUP" --queues "$n" --mix "$CREATE_MIX") ;;
    bulk-create)
      n=$BULK_QUEUES
      # moto: ten blocks of what it makes in reasonable time.
      [[ $system == moto ]] && { n=$MOTO_BULK_QUEUES; args+=(--block "$(((n + 9) / 10))"); }
      args+=(--queues "$n" --create-connections "$BULK_CONNECTIONS" --mix "$CREATE_MIX") ;;
  esac
  run_loadgen "$scenario" "$system" "$rep" "${args[@]}" >/dev/null ||
    record_failure "$scenario" "$system" "$rep" loadgen-failed "load generator exited non-zero"
  if ! kill -0 "$SYS_PID" 2>/dev/null; then
    say "$system exited during the run"
    print_log
  fi
  stop_system
}

proc_kib() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; }

run_memory() {  # sluice | sluice-b
  local system=$1 rep=$2 dir=$WORK/memory-$1-$2 port admin fill acked rss hwm since
  read -r port admin < <("$LOADGEN" ports 2)
  start_and_wait "$system" "$dir" "$port" "$admin" ||
    { record_failure fill "$system" "$rep" start-failed "did not start"; return 0; }
  fill=$(run_loadgen fill "$system" "$rep" --port "$port" --messages "$MEMORY_MESSAGES") ||
    { record_failure fill "$system" "$rep" loadgen-failed "load generator exited non-zero"; stop_system KILL; return 0; }
  acked=$(grep -o '"acknowledged":[0-9]*' <<<"$fill" | cut -d: -f2)
  rss=$(proc_kib "$SYS_PID" VmRSS)
  hwm=$(proc_kib "$SYS_PID" VmHWM)
  say "memory $system rep $rep: $acked acknowledged, VmRSS $((rss / 1024)) MiB, VmHWM $((hwm / 1024)) MiB; kill -9"
  stop_system KILL
  since=$(date +%s%N)
  "start_$system" "$port" "$admin" "$dir"
  run_loadgen recover "$system" "$rep" --port "$port" --expect "${acked:-0}" --since-ns "$since" \
    --timeout 120 --label vmrss_kib="${rss:-0}" --label vmhwm_kib="${hwm:-0}" >/dev/null ||
    record_failure recover "$system" "$rep" loadgen-failed "load generator exited non-zero"
  if ! kill -0 "$SYS_PID" 2>/dev/null; then say "$system exited after restart"; print_log; fi
  stop_system
}

# The selected systems a scenario runs on, in the order given.
scenario_systems() {
  local s
  for s in "${SYSTEMS[@]}"; do
    case $1 in
      # The durable store's footprint: the peers keep everything in memory.
      memory) [[ $s == sluice || $s == sluice-b ]] || continue ;;
      # nginx's canned CreateQueue does no work, so it has nothing to stall or to slow.
      stall) [[ $s != nginx ]] || continue ;;
      bulk-create) [[ $s == sluice* ]] || { ((BULK_PEERS)) && [[ $s != nginx ]]; } || continue ;;
    esac
    echo "$s"
  done
}

for scenario in "${SCENARIOS[@]}"; do
  mapfile -t systems < <(scenario_systems "$scenario")
  if ((${#systems[@]} == 0)); then
    case $scenario in
      memory) say "memory: measures the sidecar's durable store only, and sluice is not selected or not available" ;;
      bulk-create) say "bulk-create: runs on the sluice systems (--bulk-peers for fauxqs and moto), none selected" ;;
      *) say "$scenario: no selected system runs it" ;;
    esac
    continue
  fi
  for ((rep = 1; rep <= REPS; rep++)); do
    for system in "${systems[@]}"; do
      if [[ $scenario == memory ]]; then
        run_memory "$system" "$rep"
      else
        run_throughput "$scenario" "$system" "$rep"
      fi
    done
  done
done

echo
"$LOADGEN" report --results "$RESULTS" --run-id "$RUN_ID"
echo
say "raw results: $RESULTS (run_id $RUN_ID)"
