#!/usr/bin/env bash
# The SNS benchmark in one command: builds the load generator (and the sidecar)
# into build-bench/ (Release), starts each system on free loopback ports, runs the
# scenarios with the systems interleaved across repetitions, and prints one line
# per system (and subscription count) with medians. Raw results:
# bench/results/<date>-sns.jsonl. See bench/README.md for what is measured and
# how to read it.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(dirname "$BENCH_DIR")
BUILD_DIR=${BUILD_DIR:-$REPO_DIR/build-bench}

REPS=3
DURATION=10
WARMUP=2
CONNECTIONS=64
SCENARIOS=(publish http-fanout)
SYSTEMS=(sluice sluice-periodic fauxqs moto)
SUBSCRIPTIONS=(1 4 16)
FANOUT_MESSAGES=10000
MOTO_FANOUT_MESSAGES=200  # moto delivers ~20 publishes/s to 16 HTTP endpoints
FANOUT_CONNECTIONS=16
FANOUT_RATE=0
GEN_THREADS=1
SIDECAR_BIN=${SIDECAR_BIN:-}
SIDECAR_THREADS=${SIDECAR_THREADS:-}
KEEP=0

usage() {
  cat <<EOF2
usage: bench/run-sns.sh [options]
  --reps N                 repetitions per system, interleaved [$REPS]
  --duration S             publish: measured seconds per run (after a ${WARMUP} s warm-up);
                           http-fanout: seconds of the paced (latency) phase [$DURATION]
  --only LIST              scenarios, comma-separated: publish,http-fanout [all]
  --systems LIST           comma-separated from sluice,sluice-periodic,fauxqs,moto [all]
  --subscriptions LIST     publish: SQS subscriptions of the topic, one run each [1,4,16]
  --connections N          publish: closed-loop connections; http-fanout: the paced
                           phase's connections at most [$CONNECTIONS]
  --fanout-messages N      http-fanout: publishes of the throughput phase [$FANOUT_MESSAGES]
  --moto-fanout-messages N the same for moto, which delivers them one POST at a time
                           inside Publish [$MOTO_FANOUT_MESSAGES]
  --fanout-connections N   http-fanout: connections of the throughput phase [$FANOUT_CONNECTIONS]
  --fanout-rate R          http-fanout: paced publishes/s for every system [half of each
                           system's own throughput]
  --threads N              load generator threads [$GEN_THREADS]
  --sidecar PATH           sluice-sidecar binary to use instead of building it
  --sidecar-threads N      pass --threads N to the sidecar [its default]
  --keep                   keep the temporary directory (logs, data dirs)
EOF2
}

while (($#)); do
  case $1 in
    --reps) REPS=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --only) IFS=, read -ra SCENARIOS <<<"$2"; shift 2 ;;
    --systems) IFS=, read -ra SYSTEMS <<<"$2"; shift 2 ;;
    --subscriptions) IFS=, read -ra SUBSCRIPTIONS <<<"$2"; shift 2 ;;
    --connections) CONNECTIONS=$2; shift 2 ;;
    --fanout-messages) FANOUT_MESSAGES=$2; shift 2 ;;
    --moto-fanout-messages) MOTO_FANOUT_MESSAGES=$2; shift 2 ;;
    --fanout-connections) FANOUT_CONNECTIONS=$2; shift 2 ;;
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
  [[ $s =~ ^(publish|http-fanout)$ ]] || { echo "unknown scenario: $s" >&2; exit 2; }
done
for s in "${SYSTEMS[@]}"; do
  [[ $s =~ ^(sluice|sluice-periodic|fauxqs|moto)$ ]] || { echo "unknown system: $s" >&2; exit 2; }
done
for n in "${SUBSCRIPTIONS[@]}"; do
  [[ $n =~ ^[0-9]+$ ]] && ((n >= 1 && n <= 100)) || { echo "bad subscription count: $n (1..100)" >&2; exit 2; }
done

source "$BENCH_DIR/sqs/systems.sh"

say() { echo "run-sns: $*" >&2; }
has_system() { local s; for s in "${SYSTEMS[@]}"; do [[ $s == "$1" ]] && return 0; done; return 1; }
drop_system() {
  local keep=() s
  for s in "${SYSTEMS[@]}"; do [[ $s == "$1" ]] || keep+=("$s"); done
  SYSTEMS=("${keep[@]}")
}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/sluice-bench-sns.XXXXXX")
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
say "building sluice-sns-loadgen in $BUILD_DIR"
if ! cmake --build "$BUILD_DIR" --target sluice-sns-loadgen >"$WORK/build-loadgen.log" 2>&1; then
  # A stale build.ninja may predate bench/CMakeLists.txt: configure once more.
  configure && cmake --build "$BUILD_DIR" --target sluice-sns-loadgen >"$WORK/build-loadgen.log" 2>&1 ||
    { tail -n 40 "$WORK/build-loadgen.log" >&2; say "cannot build the load generator"; exit 1; }
fi
LOADGEN=$BUILD_DIR/bench/sluice-sns-loadgen

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
fi
if has_system fauxqs && [[ ! -d $BENCH_DIR/node_modules/fauxqs ]]; then
  say "installing fauxqs (npm ci in bench/)"
  (cd "$BENCH_DIR" && npm ci --no-audit --no-fund >"$WORK/npm.log" 2>&1) ||
    { tail -n 20 "$WORK/npm.log" >&2; say "SKIPPING fauxqs: npm ci failed"; drop_system fauxqs; }
fi
if has_system moto && ! command -v moto_server >/dev/null; then
  say "SKIPPING moto: moto_server not installed (pip install 'moto[server]')"; drop_system moto
fi
((${#SYSTEMS[@]})) || { say "no system left to measure"; exit 1; }

# ---- runs --------------------------------------------------------------------
mkdir -p "$BENCH_DIR/results"
RESULTS=$BENCH_DIR/results/$(date +%F)-sns.jsonl
RUN_ID=$(date +%Y%m%dT%H%M%S)-$$
# "-dirty": the sidecar was built from uncommitted changes on top of that commit.
GIT_REV=$(git -C "$REPO_DIR" describe --always --dirty 2>/dev/null || echo unknown)
load1() { cut -d' ' -f1 /proc/loadavg; }
START_LOAD=$(load1)

say "run $RUN_ID: systems ${SYSTEMS[*]}; scenarios ${SCENARIOS[*]}; subscriptions ${SUBSCRIPTIONS[*]}; $REPS reps; load average $(cut -d' ' -f1-3 /proc/loadavg)"
if awk "BEGIN{exit !($(load1) >= 0.5)}"; then
  say "WARNING: load average >= 0.5; someone else is using the cores, figures will not be final"
fi

# Records a result line for a run that produced none (start failure and such).
record_failure() {
  local scenario=$1 system=$2 rep=$3 subs=$4 status=$5 why=$6
  printf '{"scenario":"%s","system":"%s","rep":%s,"subscriptions":%s,"run_id":"%s","status":"%s","errors":1,"error_samples":[{"count":1,"error":"%s"}]}\n' \
    "$scenario" "$system" "$rep" "$subs" "$RUN_ID" "$status" "$why" >>"$RESULTS"
  say "$scenario $system rep $rep: $status ($why)"
}

# CPU ticks (1/100 s) the machine spent busy, and those of a process and its
# children. Their difference over a run is what *other* processes took.
machine_ticks() { awk '/^cpu /{print $2 + $3 + $4 + $7 + $8; exit}' /proc/stat; }
process_ticks() {
  local total=0 p t
  for p in "$1" $(pgrep -P "$1"); do
    t=$(awk '{sub(/.*\) /, ""); print $12 + $13}' "/proc/$p/stat" 2>/dev/null) || t=0
    total=$((total + ${t:-0}))
  done
  echo "$total"
}

# run_loadgen SCENARIO SYSTEM REP [loadgen args...]: one JSON line into RESULTS.
# In the background + wait, so that Ctrl-C or TERM reaches the trap at once.
run_loadgen() {
  local scenario=$1 system=$2 rep=$3 out=$WORK/loadgen.out pid rc=0
  shift 3
  local machine0 server0 start_ns line gen_ticks other_ticks wall_ticks binary
  machine0=$(machine_ticks)
  server0=$(process_ticks "$SYS_PID")
  start_ns=$(date +%s%N)
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

# run_one SCENARIO SYSTEM REP SUBS: a fresh server (and data dir), one run, stop.
run_one() {
  local scenario=$1 system=$2 rep=$3 subs=$4 dir=$WORK/$1-$2-$4-$3 port admin
  read -r port admin < <("$LOADGEN" ports 2)
  start_and_wait "$system" "$dir" "$port" "$admin" ||
    { record_failure "$scenario" "$system" "$rep" "$subs" start-failed "did not start; log in run output"; return 0; }
  local args=(--port "$port" --connections "$CONNECTIONS" --duration "$DURATION")
  case $scenario in
    publish) args+=(--warmup "$WARMUP" --subscriptions "$subs") ;;
    http-fanout)
      local n=$FANOUT_MESSAGES
      [[ $system == moto ]] && n=$MOTO_FANOUT_MESSAGES
      args+=(--endpoints "$subs" --fanout-messages "$n" --fanout-connections "$FANOUT_CONNECTIONS")
      [[ $FANOUT_RATE != 0 ]] && args+=(--fanout-rate "$FANOUT_RATE") ;;
  esac
  run_loadgen "$scenario" "$system" "$rep" "${args[@]}" ||
    record_failure "$scenario" "$system" "$rep" "$subs" loadgen-failed "load generator exited non-zero"
  if ! kill -0 "$SYS_PID" 2>/dev/null; then
    say "$system exited during the run"
    print_log
  fi
  stop_system
  # 16 subscriptions x 10 s of publishes is ~1 GB of queues in sluice's store: drop it now.
  ((KEEP)) || rm -rf "$dir"
}

# The selected systems a scenario runs on, in the order given.
scenario_systems() {
  local s
  for s in "${SYSTEMS[@]}"; do
    # fauxqs 1.9 fans out to sqs subscriptions only: an http one stays unconfirmed and gets nothing.
    [[ $1 == http-fanout && $s == fauxqs ]] && continue
    echo "$s"
  done
}

for scenario in "${SCENARIOS[@]}"; do
  mapfile -t systems < <(scenario_systems "$scenario")
  if [[ $scenario == http-fanout ]] && has_system fauxqs; then
    say "http-fanout: SKIPPING fauxqs: fauxqs 1.9 delivers to sqs subscriptions only (an http subscription stays unconfirmed)"
  fi
  if ((${#systems[@]} == 0)); then
    say "$scenario: no selected system runs it"
    continue
  fi
  subs_list=("${SUBSCRIPTIONS[@]}")
  [[ $scenario == http-fanout ]] && subs_list=(16)
  for ((rep = 1; rep <= REPS; rep++)); do
    for subs in "${subs_list[@]}"; do
      for system in "${systems[@]}"; do
        run_one "$scenario" "$system" "$rep" "$subs"
      done
    done
  done
done

echo
"$LOADGEN" report --results "$RESULTS" --run-id "$RUN_ID"
echo
say "raw results: $RESULTS (run_id $RUN_ID)"
