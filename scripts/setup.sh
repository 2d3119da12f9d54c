#!/usr/bin/env bash
# Installs what Sluice needs on a fresh Debian machine; safe to run twice.
#   scripts/setup.sh          packages to build and run the sidecar
#   scripts/setup.sh --test   also the clients and tools the tests drive
set -euo pipefail
cd "$(dirname "$0")/.."

build_pkgs=(cmake ninja-build g++ pkg-config libboost-all-dev libcpprest-dev libyaml-cpp-dev
            prometheus-cpp-dev nlohmann-json3-dev librocksdb-dev libgtest-dev libgmock-dev libssl-dev
            libjemalloc-dev libnghttp2-dev)
test_pkgs=(awscli python3-boto3 unzip nginx-light wrk procps curl clang-format)

want=("${build_pkgs[@]}")
[[ "${1:-}" == "--test" ]] && want+=("${test_pkgs[@]}")
command -v node >/dev/null && command -v npm >/dev/null || want+=(nodejs npm)

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=""; [[ $(id -u) -ne 0 ]] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if [[ "${1:-}" == "--test" ]]; then
  # JavaScript clients and tools, pinned by each folder's package-lock.json.
  for dir in tests/js bench tests/k8s tests/helm; do
    if [[ -f "$dir/package-lock.json" ]]; then
      if [[ ! -d "$dir/node_modules" || "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]]; then
        echo "setup: npm ci in $dir"
        (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
      fi
    fi
  done
  [[ -x scripts/install-kube-tools.sh ]] && scripts/install-kube-tools.sh
fi
exit 0
