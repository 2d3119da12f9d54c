#!/usr/bin/env bash
# The Helm chart on a real cluster, for people who have one: the steps
# tests/helm/test_install.py proves against the Kubernetes API test server.
#
#   tests/e2e/kind.sh                      a kind cluster "sluice" (created if missing), images loaded into it
#   REGISTRY=reg.example/sluice tests/e2e/kind.sh   the current kubectl context; images pushed to REGISTRY
#
# Needs docker, helm, kubectl, aws (any credentials), and kind unless REGISTRY is set.
# KEEP=1 keeps the kind cluster afterwards.
set -euo pipefail
cd "$(dirname "$0")/../.."

CLUSTER=${CLUSTER:-sluice}
TAG=${TAG:-dev}
NS=sluice-system
REGISTRY=${REGISTRY:-}
PORT=${PORT:-14566}
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1
step() { echo "== $*"; }
wait_until() {  # wait_until SECONDS DESCRIPTION COMMAND...
  local deadline=$((SECONDS + $1)) what=$2; shift 2
  until "$@"; do
    ((SECONDS < deadline)) || { echo "timed out waiting for $what" >&2; return 1; }
    sleep 2
  done
}

step "build the images"
operator=${REGISTRY:+$REGISTRY/}sluice-operator
sidecar=${REGISTRY:+$REGISTRY/}sluice-sidecar
docker build -f images/operator.Dockerfile -t "$operator:$TAG" .
docker build -f images/sidecar.Dockerfile -t "$sidecar:$TAG" .
if [[ -z "$REGISTRY" ]]; then
  kind get clusters | grep -qx "$CLUSTER" || kind create cluster --name "$CLUSTER"
  kubectl config use-context "kind-$CLUSTER"
  kind load docker-image --name "$CLUSTER" "$operator:$TAG" "$sidecar:$TAG"
else
  docker push "$operator:$TAG"
  docker push "$sidecar:$TAG"
fi

step "helm install"
helm install sluice helm/sluice -n "$NS" --create-namespace --wait --timeout 5m \
  --set operator.image.repository="$operator" --set operator.image.tag="$TAG" \
  --set runtime.image.repository="$sidecar" --set runtime.image.tag="$TAG"

step "examples/: Queues Ready"
kubectl create namespace shop --dry-run=client -o yaml | kubectl apply -f -
kubectl apply -f examples/
kubectl wait --for=condition=Ready queues --all -n shop --timeout=2m

step "send and receive through a port-forward"
kubectl port-forward -n "$NS" svc/sluice "$PORT:4566" >/dev/null &
forward=$!
trap 'kill $forward 2>/dev/null || true' EXIT
endpoint=http://localhost:$PORT
wait_until 30 "the port-forward" curl -s -o /dev/null "$endpoint"
url=$(kubectl get queue orders -n shop -o jsonpath='{.status.queueUrl}')
aws --endpoint-url "$endpoint" sqs send-message --queue-url "$url" --message-body hello
aws --endpoint-url "$endpoint" sqs receive-message --queue-url "$url" --wait-time-seconds 5 | grep -q '"hello"'

step "the WorkerAutoscaler scales resize-worker: 250 messages at 100 per replica"
# pause is on every kind node: the workers need not work for the scale to show.
kubectl create deployment resize-worker -n shop --image=registry.k8s.io/pause:3.9 --replicas=0 \
  --dry-run=client -o yaml | kubectl apply -f -
kubectl patch workerautoscaler resize-workers -n shop --type=merge \
  -p '{"spec":{"behavior":{"pollingIntervalSeconds":2}}}'
jobs=$(kubectl get queue resize-jobs -n shop -o jsonpath='{.status.queueUrl}')
entries=$(for i in $(seq 0 9); do printf '{"Id":"%s","MessageBody":"image %s"},' "$i" "$i"; done)
for _ in $(seq 25); do
  aws --endpoint-url "$endpoint" sqs send-message-batch --queue-url "$jobs" --entries "[${entries%,}]" >/dev/null
done
replicas() { [[ $(kubectl get deployment resize-worker -n shop -o jsonpath='{.spec.replicas}') == 3 ]]; }
wait_until 60 "resize-worker at 3 replicas" replicas
kubectl get workerautoscalers -n shop

step "uninstall, leaving nothing stuck"
# Queues first, while the operator runs: their finalizer deletes the messages.
kubectl delete workerautoscalers,queues --all -n shop --timeout=2m
helm uninstall sluice -n "$NS" --wait --timeout 2m
left=$(kubectl get all,serviceaccounts,roles,rolebindings -n "$NS" -o name | grep sluice || true)
[[ -z "$left" ]] || { echo "left behind: $left" >&2; exit 1; }
kubectl delete -f crds/ --timeout=1m  # helm never deletes CRDs
kubectl delete pvc -n "$NS" -l app.kubernetes.io/instance=sluice --timeout=1m  # the queues' volumes
kubectl delete namespace shop "$NS" --timeout=2m
if [[ -z "$REGISTRY" && "${KEEP:-0}" != 1 ]]; then kind delete cluster --name "$CLUSTER"; fi
echo "kind.sh: passed"
