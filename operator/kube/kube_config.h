#pragma once
// Where the API server is and how to authenticate to it, from the sources
// kubectl uses, in kubectl's order: an explicit kubeconfig file, the in-cluster
// service account (KUBERNETES_SERVICE_HOST/PORT + the mounted token and CA),
// $KUBECONFIG, ~/.kube/config.

#include <optional>
#include <string>

namespace sluice::kube {

struct KubeConfig {
  std::string server;  // https://host:port (or http:// for test servers)
  std::string ca_pem;  // CA bundle to verify the server; empty: system roots
  bool insecure_skip_verify = false;
  std::string token;            // bearer token
  std::string token_file;       // re-read on every request (projected tokens rotate)
  std::string client_cert_pem;  // client certificate authentication
  std::string client_key_pem;
  std::string namespace_;  // the context's (or service account's) namespace
  std::string source;      // where this came from, for logs
};

// `explicit_path` is --kubeconfig ("" when not given). On failure returns
// nullopt with *error saying what was tried.
std::optional<KubeConfig> load_kube_config(const std::string& explicit_path, std::string* error);

// Parses one kubeconfig file (current-context); exposed for tests.
std::optional<KubeConfig> parse_kubeconfig(const std::string& path, std::string* error);

}  // namespace sluice::kube
