# sluice-sidecar, the runtime server. Build from the repository root:
#   docker build -f images/sidecar.Dockerfile -t sluice-sidecar:0.1.0 .
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
 && cmake --build build --target sluice-sidecar \
 && strip build/sidecar/sluice-sidecar

FROM debian:bookworm-slim
# The shared libraries sluice-sidecar links (ldd), by Debian package.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libboost-program-options1.74.0 libjemalloc2 libnghttp2-14 libprometheus-cpp-core1.0 librocksdb7.8 libssl3 \
      libyaml-cpp0.7 \
 && rm -rf /var/lib/apt/lists/*
# A fixed numeric UID, the one the chart's securityContext runs as (runAsUser).
RUN groupadd --system --gid 65532 sluice \
 && useradd --system --uid 65532 --gid 65532 --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin sluice \
 && mkdir /data && chown 65532:65532 /data
COPY --from=build /src/build/sidecar/sluice-sidecar /usr/local/bin/sluice-sidecar
USER 65532:65532
# 4566: the AWS APIs; 4567: admin (/healthz, /readyz, /metrics, the operator's API).
EXPOSE 4566 4567
ENTRYPOINT ["/usr/local/bin/sluice-sidecar"]
# The chart passes its own arguments; these make `docker run -p 4566:4566 IMAGE` work.
CMD ["--bind", "0.0.0.0", "--data-dir", "/data"]
