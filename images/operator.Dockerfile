# sluice-operator. Build from the repository root:
#   docker build -f images/operator.Dockerfile -t sluice-operator:0.1.0 .
# tests/helm/test_images.py checks what can be checked without a Docker engine.

FROM debian:bookworm AS build
# The build packages of scripts/setup.sh.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      cmake ninja-build g++ pkg-config libboost-all-dev libcpprest-dev libyaml-cpp-dev \
      prometheus-cpp-dev nlohmann-json3-dev librocksdb-dev libgtest-dev libgmock-dev libssl-dev \
      libjemalloc-dev libnghttp2-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Only what CMake configures and builds; of tests/, its CMakeLists.txt (which
# adds only the suites that are present), the API test server the operator's
# unit tests link, and the fuzz corpus replayer.
COPY CMakeLists.txt ./
COPY cmake cmake
COPY runtime runtime
COPY sidecar sidecar
COPY operator operator
COPY tools tools
COPY bench/CMakeLists.txt bench/
COPY bench/sqs bench/sqs
COPY bench/sns bench/sns
COPY bench/kinesis bench/kinesis
COPY bench/autoscaler bench/autoscaler
COPY tests/CMakeLists.txt tests/
COPY tests/k8s tests/k8s
COPY tests/fuzz tests/fuzz
RUN cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release \
 && cmake --build build --target sluice-operator \
 && strip build/operator/sluice-operator

FROM debian:bookworm-slim
# The shared libraries sluice-operator links (ldd), by Debian package.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libboost-program-options1.74.0 libcpprest2.10 libnghttp2-14 libprometheus-cpp-core1.0 libssl3 libyaml-cpp0.7 \
 && rm -rf /var/lib/apt/lists/*
# A fixed numeric UID, the one the chart's securityContext runs as (runAsUser).
RUN groupadd --system --gid 65532 sluice \
 && useradd --system --uid 65532 --gid 65532 --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin sluice
COPY --from=build /src/build/operator/sluice-operator /usr/local/bin/sluice-operator
USER 65532:65532
# /metrics, /healthz, /readyz.
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/sluice-operator"]
