# Start the Kinesis peers bench/run-kinesis.sh compares; sourced by it after
# sqs/systems.sh, which starts sluice and moto and provides wait_ready,
# stop_system, print_log and STARTED_PIDS. Same contract: start_<system> PORT
# SECOND_PORT DIR starts one server in the background with its output in
# DIR/<system>.log and sets SYS_PID.

# Streams are ACTIVE at once instead of after kinesalite's default 500 ms, and
# the shard limit is not the benchmark's concern.
KINESALITE_FLAGS=(--createStreamMs 0 --deleteStreamMs 0 --updateStreamMs 0 --shardLimit 100)

# kinesalite keeps its data in LevelDB's API: memdown (in memory) by default,
# leveldown on disk with --path.
start_kinesalite() {
  local port=$1
  SYS_LOG=$3/kinesalite.log
  node "$BENCH_DIR/kinesis/kinesalite-server.mjs" --port "$port" "${KINESALITE_FLAGS[@]}" >"$SYS_LOG" 2>&1 &
  SYS_PID=$!
  STARTED_PIDS+=("$SYS_PID")
}

start_kinesalite-leveldb() {
  local port=$1
  mkdir -p "$3/kinesalite-db"
  SYS_LOG=$3/kinesalite-leveldb.log
  node "$BENCH_DIR/kinesis/kinesalite-server.mjs" --port "$port" --path "$3/kinesalite-db" "${KINESALITE_FLAGS[@]}" \
    >"$SYS_LOG" 2>&1 &
  SYS_PID=$!
  STARTED_PIDS+=("$SYS_PID")
}

# kinesis-local is kinesis-mock (Scala) compiled to one JavaScript file. It
# listens on a plain and a TLS port on every interface (it has no address
# setting); the benchmark talks to the plain one. Its certificate file is looked
# up in the working directory unless given. In memory: SHOULD_PERSIST_DATA is
# false by default.
start_kinesis-local() {
  local port=$1 tls_port=$2 pkg=$BENCH_DIR/node_modules/kinesis-local
  SYS_LOG=$3/kinesis-local.log
  KINESIS_MOCK_PLAIN_PORT=$port KINESIS_MOCK_TLS_PORT=$tls_port KINESIS_MOCK_CERT_PATH=$pkg/server.json \
    CREATE_STREAM_DURATION=0ms REGISTER_STREAM_CONSUMER_DURATION=0ms \
    node "$pkg/main.js" >"$SYS_LOG" 2>&1 &
  SYS_PID=$!
  STARTED_PIDS+=("$SYS_PID")
}
