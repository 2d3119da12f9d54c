# Start and stop the systems bench/run-sqs.sh compares; sourced by it.
#
# start_<system> PORT ADMIN_PORT DIR starts one server in the background with its
# stdout/stderr in DIR/<system>.log and sets SYS_PID. wait_ready then waits until
# it serves (or dies) and stop_system ends it. Every pid started is also kept in
# STARTED_PIDS so the caller's trap can end them on Ctrl-C.

STARTED_PIDS=()
SYS_PID=""
SYS_LOG=""

# Canned SQS JSON replies of the sizes the real ones have, for the nginx ceiling.
# nginx caps one config token at 4 KiB, so the 10-message ReceiveMessage reply is
# assembled from one canned message variable.
write_nginx_conf() {
  local dir=$1 port=$2 workers=${NGINX_WORKERS:-auto}
  local body md5='0f2c2a1b9d8e7f6a5b4c3d2e1f0a9b8c' handle
  body=$(head -c 1024 /dev/zero | tr '\0' 'x')
  handle="AQEB$(head -c 120 /dev/zero | tr '\0' 'h')"
  local entries="" deletes="" i
  for i in 0 1 2 3 4 5 6 7 8 9; do
    entries+="${entries:+,}{\"Id\":\"$i\",\"MessageId\":\"5fea7756-0ea4-451a-a703-a558b933e27$i\",\"MD5OfMessageBody\":\"$md5\"}"
    deletes+="${deletes:+,}{\"Id\":\"$i\"}"
  done
  local messages='$canned_message'
  for i in 1 2 3 4 5 6 7 8 9; do messages+=',$canned_message'; done
  mkdir -p "$dir/logs" "$dir/tmp"
  cat > "$dir/nginx.conf" <<EOF
worker_processes $workers;
daemon off;
pid $dir/nginx.pid;
error_log $dir/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $dir/tmp/body;
  proxy_temp_path $dir/tmp/proxy;
  fastcgi_temp_path $dir/tmp/fastcgi;
  uwsgi_temp_path $dir/tmp/uwsgi;
  scgi_temp_path $dir/tmp/scgi;
  keepalive_requests 100000000;
  keepalive_timeout 300s;
  client_body_buffer_size 64k;
  default_type application/x-amz-json-1.0;

  map \$http_x_amz_target \$canned_message {
    default '{"MessageId":"5fea7756-0ea4-451a-a703-a558b933e270","ReceiptHandle":"$handle","MD5OfBody":"$md5","Body":"$body"}';
  }
  map \$http_x_amz_target \$sqs_reply {
    default '{"__type":"com.amazonaws.sqs#InvalidAction","message":"not canned"}';
    AmazonSQS.SendMessage '{"MD5OfMessageBody":"$md5","MessageId":"5fea7756-0ea4-451a-a703-a558b933e270"}';
    AmazonSQS.SendMessageBatch '{"Successful":[$entries],"Failed":[]}';
    AmazonSQS.ReceiveMessage '{"Messages":[$messages]}';
    AmazonSQS.DeleteMessageBatch '{"Successful":[$deletes],"Failed":[]}';
    AmazonSQS.CreateQueue '{"QueueUrl":"http://127.0.0.1:$port/000000000000/canned"}';
    AmazonSQS.GetQueueUrl '{"QueueUrl":"http://127.0.0.1:$port/000000000000/canned"}';
    AmazonSQS.GetQueueAttributes '{"Attributes":{"ApproximateNumberOfMessages":"0","ApproximateNumberOfMessagesNotVisible":"0"}}';
  }
  server {
    listen 127.0.0.1:$port reuseport;
    location / { return 200 \$sqs_reply; }
  }
}
EOF
}

start_nginx() {
  local port=$1 dir=$3/nginx
  mkdir -p "$dir"
  write_nginx_conf "$dir" "$port"
  SYS_LOG=$3/nginx.log
  nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/logs/error.log" >"$SYS_LOG" 2>&1 &
  SYS_PID=$!
  STARTED_PIDS+=("$SYS_PID")
}

# sluice: queues made by CreateQueue are durable (fsync group commit, the default);
# sluice-periodic: acknowledged once in the OS, fsynced every 200 ms (--durability periodic).
# sluice-b, sluice-b-periodic: the same flags for the --sidecar-b binary (A/B runs).
# Only flags every sidecar since the first benchmark accepts, so that an older
# binary can be the B side.
start_sidecar() {
  local binary=$1 port=$2 admin=$3 dir=$4 durability=$5
  mkdir -p "$dir/sluice-data"
  SYS_LOG=$dir/sluice.log
  local args=(--port "$port" --admin-port "$admin" --data-dir "$dir/sluice-data" --bind 127.0.0.1
              --durability "$durability")
  [[ -n ${SIDECAR_THREADS:-} ]] && args+=(--threads "$SIDECAR_THREADS")
  "$binary" "${args[@]}" >>"$SYS_LOG" 2>&1 &
  SYS_PID=$!
  STARTED_PIDS+=("$SYS_PID")
}

start_sluice() { start_sidecar "$SIDECAR_BIN" "$1" "$2" "$3" sync; }
start_sluice-periodic() { start_sidecar "$SIDECAR_BIN" "$1" "$2" "$3" periodic; }
start_sluice-b() { start_sidecar "$SIDECAR_B_BIN" "$1" "$2" "$3" sync; }
start_sluice-b-periodic() { start_sidecar "$SIDECAR_B_BIN" "$1" "$2" "$3" periodic; }

# The binary a sluice system runs (empty for the others), for the results.
sidecar_of() {
  case $1 in
    sluice|sluice-periodic) echo "$SIDECAR_BIN" ;;
    sluice-b|sluice-b-periodic) echo "$SIDECAR_B_BIN" ;;
  esac
}

start_fauxqs() {
  local port=$1
  SYS_LOG=$3/fauxqs.log
  FAUXQS_PORT=$port node "$BENCH_DIR/sqs/fauxqs-server.mjs" >"$SYS_LOG" 2>&1 &
  SYS_PID=$!
  STARTED_PIDS+=("$SYS_PID")
}

start_moto() {
  local port=$1
  SYS_LOG=$3/moto.log
  # Werkzeug logs every request to stderr; that is part of how moto_server runs.
  moto_server -H 127.0.0.1 -p "$port" >"$SYS_LOG" 2>&1 &
  SYS_PID=$!
  STARTED_PIDS+=("$SYS_PID")
}

# wait_ready SYSTEM PORT ADMIN_PORT: 0 once it serves, 1 if it died or took > 60 s.
wait_ready() {
  local system=$1 port=$2 admin=$3 deadline=$((SECONDS + 60))
  while ((SECONDS < deadline)); do
    kill -0 "$SYS_PID" 2>/dev/null || return 1
    if [[ $system == sluice* ]]; then
      curl -sf -o /dev/null "http://127.0.0.1:$admin/readyz" && return 0
    elif (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      return 0
    fi
    sleep 0.1
  done
  return 1
}

# stop_system [SIGNAL]: TERM (or the given signal), then KILL after 10 s.
stop_system() {
  local signal=${1:-TERM} pid=$SYS_PID i
  [[ -z $pid ]] && return 0
  # stderr off for the whole block: bash reports a killed job ("Killed") at
  # whichever command it notices the death in, not only at wait.
  {
    kill "-$signal" "$pid" || true
    for ((i = 0; i < 100; i++)); do
      kill -0 "$pid" || break
      sleep 0.1
    done
    kill -KILL "$pid" || true
    wait "$pid" || true
  } 2>/dev/null
  forget_pid "$pid"
  SYS_PID=""
}

# Drops an ended pid from STARTED_PIDS, so the exit trap never signals a pid the
# kernel has reused.
forget_pid() {
  local keep=() p
  for p in "${STARTED_PIDS[@]}"; do [[ $p == "$1" ]] || keep+=("$p"); done
  STARTED_PIDS=("${keep[@]}")
}

print_log() {
  echo "---- ${SYS_LOG} (last 40 lines) ----" >&2
  tail -n 40 "$SYS_LOG" >&2 || true
  local nginx_errors
  nginx_errors=$(dirname "$SYS_LOG")/nginx/logs/error.log
  if [[ $SYS_LOG == */nginx.log && -f $nginx_errors ]]; then tail -n 20 "$nginx_errors" >&2; fi
  echo "----" >&2
}
