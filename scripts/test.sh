#!/usr/bin/env bash
# Installs what is missing, builds everything and runs every test (unit,
# integration with the real AWS clients, end-to-end with kubectl).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
scripts/build.sh
cd build
ctest --output-on-failure --timeout 900 -j "${TEST_JOBS:-2}" "$@"
