#!/usr/bin/env bash
# Configures (once) and builds into build/: everything, or the targets named.
#   scripts/build.sh                  # all
#   scripts/build.sh sluice-sidecar   # one target
set -euo pipefail
cd "$(dirname "$0")/.."
[[ -f build/build.ninja ]] || cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}"
if (($#)); then
  cmake --build build --target "$@"
else
  cmake --build build
fi
