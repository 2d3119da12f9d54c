#!/usr/bin/env bash
# Quick start: install what is missing, build, and serve the example manifests
# on http://localhost:4566 (admin, health and metrics on :4567). Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh sluice-sidecar
exec build/sidecar/sluice-sidecar --manifests examples/ --data-dir "${SLUICE_DATA_DIR:-.sluice-data}" "$@"
