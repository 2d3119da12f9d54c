#pragma once
// Decodes the few Kubernetes protobuf bodies clients send without asking: kubectl's
// typed generators (create namespace/secret/configmap) and helm's release Secrets and
// DeleteOptions. The envelope is the magic "k8s\0" followed by a runtime.Unknown
// {typeMeta=1 {apiVersion=1, kind=2}, raw=2, contentEncoding=3, contentType=4}.
// Anything else (another kind, an unknown field) is an error: the caller answers 415.

#include <string>
#include <string_view>

#include "runtime/common/result.h"
#include "tests/k8s/apiserver/json_util.h"

namespace sluice::test_apiserver {

inline constexpr std::string_view kProtobufContentType = "application/vnd.kubernetes.protobuf";

// v1 Namespace, Secret, ConfigMap or DeleteOptions → the JSON object, with apiVersion and kind.
Result<Json, std::string> decode_k8s_protobuf(std::string_view body);

}  // namespace sluice::test_apiserver
