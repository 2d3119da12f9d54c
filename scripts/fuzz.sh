#!/usr/bin/env bash
# Builds the fuzz targets (sluice_fuzz_target in cmake/sluice.cmake) with Debian's
# clang, libFuzzer, ASan and UBSan into build-fuzz/, and runs each in turn.
#   scripts/fuzz.sh                                  # every target, 60 s each
#   scripts/fuzz.sh query_decoder --seconds 600      # one target, 10 minutes
#   scripts/fuzz.sh json_reader -- -max_len=65536    # extra libFuzzer flags after --
# Each run is seeded from the target's committed corpus and its crashes/; new
# corpus entries go to build-fuzz/corpus/<target>/ (scratch, kept between runs).
# An input that crashes, leaks, runs out of memory or takes over FUZZ_TIMEOUT
# seconds (default 1) is copied to <corpus>/crashes/, where the fuzz_replay.<target>
# test of every build runs it from then on; commit it with the fix. Timeouts are
# wall-clock: on a busy machine, replay a timeout input before believing it.
# FUZZ_BUILD_DIR overrides build-fuzz/. Exits 1 if anything was found.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=60
targets=()
extra=()
while (($#)); do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --seconds=*) seconds="${1#*=}"; shift ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "fuzz.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
# (libFuzzer reads -max_total_time=0 as "forever")
[[ $seconds =~ ^[1-9][0-9]*$ ]] || { echo "fuzz.sh: --seconds takes a positive whole number, not '$seconds'" >&2; exit 2; }

command -v clang++ >/dev/null ||
  { echo "fuzz.sh: clang++ not found: apt-get install clang libclang-rt-14-dev" >&2; exit 1; }
build="${FUZZ_BUILD_DIR:-build-fuzz}"
# Configures the first time; later, refreshes fuzz_targets/ (CC and CXX are then ignored).
CC=clang CXX=clang++ cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSLUICE_FUZZ=ON >/dev/null
if ((${#targets[@]} == 0)); then
  for f in "$build"/fuzz_targets/*; do targets+=("$(basename "$f")"); done
fi
for t in "${targets[@]}"; do
  [[ -f $build/fuzz_targets/$t ]] || { echo "fuzz.sh: no fuzz target '$t' (see $build/fuzz_targets/)" >&2; exit 2; }
done
cmake --build "$build" --target "${targets[@]}"

found=0
for t in "${targets[@]}"; do
  { read -r binary; read -r corpus; } <"$build/fuzz_targets/$t"
  scratch="$build/corpus/$t"
  artifacts="$build/artifacts/$t"
  rm -rf "$artifacts"
  mkdir -p "$scratch" "$artifacts" "$corpus/crashes"
  echo "== $t: $seconds s, seeds $corpus"
  # The first directory receives new entries; the committed ones are only read.
  set +e +o pipefail
  "$binary" -max_total_time="$seconds" -timeout="${FUZZ_TIMEOUT:-1}" -rss_limit_mb=2048 \
    -artifact_prefix="$artifacts/" -print_final_stats=1 "${extra[@]}" \
    "$scratch" "$corpus" "$corpus/crashes" 2>&1 | tee "$build/$t.log" |
    grep -E '^(#[0-9]+[[:space:]]+(INITED|pulse|DONE)|INFO: seed|stat::(number_of_executed_units|peak_rss_mb))'
  status=${PIPESTATUS[0]}
  set -e -o pipefail
  ((status == 0)) || tail -n 40 "$build/$t.log" >&2
  saved=0
  shopt -s nullglob
  for a in "$artifacts"/*; do
    cp "$a" "$corpus/crashes/"
    echo "fuzz.sh: $t: $(basename "$a") saved to $corpus/crashes/ (log: $build/$t.log)" >&2
    saved=1
  done
  shopt -u nullglob
  if ((status != 0 && saved == 0)); then
    echo "fuzz.sh: $t exited with $status without an artifact (log: $build/$t.log)" >&2
  fi
  ((status == 0 && saved == 0)) || found=1
done
exit "$found"
