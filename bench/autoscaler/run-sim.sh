#!/usr/bin/env bash
# The WorkerAutoscaler simulation from one command: builds sluice-autoscaler-sim
# into build-sim/, runs every profile, writes bench/results/autoscaler-<profile>.csv
# (not committed), prints the figures, and draws docs/autoscaling-*.png.
#
#   bench/autoscaler/run-sim.sh                      # everything (a few seconds after the build)
#   bench/autoscaler/run-sim.sh --only burst,noise   # some profiles
#   bench/autoscaler/run-sim.sh --no-plot            # figures only
#   bench/autoscaler/run-sim.sh -- --startup 30      # pass flags to every simulator run
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${BUILD_DIR:-$root/build-sim}
only=burst,noise,steady
plot=1
extra=()
while [[ $# -gt 0 ]]; do
  case $1 in
    --only) only=$2; shift 2 ;;
    --no-plot) plot=0; shift ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
wants() { [[ ",$only," == *",$1,"* ]]; }

# Two cores are shared: build only this target.
[[ -f $build/build.ninja ]] || cmake -S "$root" -B "$build" -G Ninja >/dev/null
cmake --build "$build" --target sluice-autoscaler-sim -j2
sim=$build/bench/autoscaler/sluice-autoscaler-sim
results=$root/bench/results
mkdir -p "$results"
levels=(150 250 400 650 1000 1500 1900)  # held backlogs: 1.5 to 19 replicas' worth at target 100
restart_seed=2                            # a seed whose restart shows the effect (the sweep counts all)

run() { echo; echo "\$ sluice-autoscaler-sim $*"; "$sim" "$@" "${extra[@]}"; }
if wants burst; then
  run --profile burst --what-if-in-flight 10 --csv "$results/autoscaler-burst.csv"
fi
if wants noise; then
  run --profile noise --csv "$results/autoscaler-noise.csv" --sweep "${levels[@]}"
  run --profile noise --restart-at 3600 --seed "$restart_seed" --csv "$results/autoscaler-noise-restart.csv" \
      --sweep "${levels[@]}"
fi
if wants steady; then
  run --profile steady --what-if-in-flight 10 --csv "$results/autoscaler-steady.csv" --sweep 15 25 40 65 100 150 190 \
      --sweep-seeds 3
fi

[[ $plot == 1 ]] || exit 0
# Debian's matplotlib, installed once; nothing is installed if it is already there.
if ! /usr/bin/python3 -c 'import matplotlib' 2>/dev/null; then
  sudo=()
  [[ $(id -u) == 0 ]] || sudo=(sudo)
  echo "installing python3-matplotlib (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get install -y --no-install-recommends python3-matplotlib >/dev/null ||
    { "${sudo[@]}" apt-get update >/dev/null && "${sudo[@]}" apt-get install -y --no-install-recommends python3-matplotlib >/dev/null; }
fi
plot() { /usr/bin/python3 "$here/plot.py" "$@" && echo "wrote ${3#"$root"/}"; }
echo
wants burst && plot burst "$results/autoscaler-burst.csv" "$root/docs/autoscaling-burst.png"
wants noise && plot noise "$results/autoscaler-noise.csv" "$root/docs/autoscaling-noise.png" \
  --restart-csv "$results/autoscaler-noise-restart.csv" --restart-seed "$restart_seed"
wants steady && plot steady "$results/autoscaler-steady.csv" "$root/docs/autoscaling-steady.png"
exit 0
