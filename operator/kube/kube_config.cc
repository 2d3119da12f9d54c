#include "operator/kube/kube_config.h"

#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "runtime/common/base64.h"

namespace sluice::kube {
namespace {

namespace fs = std::filesystem;

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Relative paths in a kubeconfig are relative to the file.
std::string resolve(const fs::path& base, const std::string& p) {
  if (p.empty() || fs::path(p).is_absolute()) return p;
  return (base.parent_path() / p).string();
}

// A "<name>-data" field (base64) or a "<name>" file path.
bool read_data_or_file(const YAML::Node& n, const std::string& name, const fs::path& base, std::string* out,
                       std::string* error) {
  if (n[name + "-data"]) {
    auto decoded = base64_decode(n[name + "-data"].as<std::string>());
    if (!decoded) {
      *error = name + "-data is not valid base64";
      return false;
    }
    *out = *decoded;
  } else if (n[name]) {
    auto path = resolve(base, n[name].as<std::string>());
    auto text = read_file(path);
    if (!text) {
      *error = "cannot read " + name + " " + path;
      return false;
    }
    *out = *text;
  }
  return true;
}

std::optional<YAML::Node> named(const YAML::Node& list, const std::string& name, const char* inner) {
  if (!list || !list.IsSequence()) return std::nullopt;
  for (const auto& item : list)
    if (item["name"] && item["name"].as<std::string>() == name && item[inner] && item[inner].IsMap())
      return item[inner];
  return std::nullopt;
}

}  // namespace

std::optional<KubeConfig> parse_kubeconfig(const std::string& path, std::string* error) {
  YAML::Node doc;
  try {
    doc = YAML::LoadFile(path);
  } catch (const YAML::Exception& e) {
    *error = path + ": " + e.what();
    return std::nullopt;
  }
  const std::string current = doc["current-context"] ? doc["current-context"].as<std::string>() : "";
  if (current.empty()) {
    *error = path + ": no current-context";
    return std::nullopt;
  }
  auto found_context = named(doc["contexts"], current, "context");
  if (!found_context) {
    *error = path + ": context " + current + " not found";
    return std::nullopt;
  }
  const YAML::Node context = *found_context;
  const std::string cluster_name = context["cluster"] ? context["cluster"].as<std::string>() : "";
  const std::string user_name = context["user"] ? context["user"].as<std::string>() : "";
  auto found_cluster = named(doc["clusters"], cluster_name, "cluster");
  if (!found_cluster || !(*found_cluster)["server"]) {
    *error = path + ": cluster " + cluster_name + " has no server";
    return std::nullopt;
  }
  const YAML::Node cluster = *found_cluster;
  KubeConfig cfg;
  cfg.source = path + " (context " + current + ")";
  cfg.server = cluster["server"].as<std::string>();
  while (!cfg.server.empty() && cfg.server.back() == '/') cfg.server.pop_back();
  cfg.insecure_skip_verify = cluster["insecure-skip-tls-verify"] && cluster["insecure-skip-tls-verify"].as<bool>();
  cfg.namespace_ = context["namespace"] ? context["namespace"].as<std::string>() : "default";
  const fs::path base(path);
  if (!read_data_or_file(cluster, "certificate-authority", base, &cfg.ca_pem, error)) return std::nullopt;
  if (auto found_user = named(doc["users"], user_name, "user")) {
    const YAML::Node user = *found_user;
    if (user["token"]) cfg.token = user["token"].as<std::string>();
    if (user["tokenFile"]) cfg.token_file = resolve(base, user["tokenFile"].as<std::string>());
    if (!read_data_or_file(user, "client-certificate", base, &cfg.client_cert_pem, error)) return std::nullopt;
    if (!read_data_or_file(user, "client-key", base, &cfg.client_key_pem, error)) return std::nullopt;
    if (user["exec"] || user["auth-provider"]) {
      *error = path + ": user " + user_name +
               " uses an exec or auth-provider plugin, which sluice-operator does "
               "not run; use a token or a client certificate";
      return std::nullopt;
    }
  }
  return cfg;
}

std::optional<KubeConfig> load_kube_config(const std::string& explicit_path, std::string* error) {
  if (!explicit_path.empty()) return parse_kubeconfig(explicit_path, error);
  const char* host = std::getenv("KUBERNETES_SERVICE_HOST");
  const char* port = std::getenv("KUBERNETES_SERVICE_PORT");
  const std::string sa = "/var/run/secrets/kubernetes.io/serviceaccount";
  if (host && port && fs::exists(sa + "/token")) {
    KubeConfig cfg;
    std::string h = host;
    if (h.find(':') != std::string::npos) h = "[" + h + "]";  // IPv6
    cfg.server = "https://" + h + ":" + port;
    cfg.token_file = sa + "/token";
    cfg.ca_pem = read_file(sa + "/ca.crt").value_or("");
    cfg.namespace_ = read_file(sa + "/namespace").value_or("default");
    cfg.source = "in-cluster service account";
    return cfg;
  }
  std::string tried = "in-cluster (KUBERNETES_SERVICE_HOST unset or no service account token)";
  if (const char* env = std::getenv("KUBECONFIG"); env && *env) {
    std::string first = env;
    first = first.substr(0, first.find(':'));
    return parse_kubeconfig(first, error);
  }
  if (const char* home = std::getenv("HOME")) {
    std::string path = std::string(home) + "/.kube/config";
    if (fs::exists(path)) return parse_kubeconfig(path, error);
    tried += ", $KUBECONFIG (unset), " + path + " (missing)";
  }
  *error = "no Kubernetes configuration found: tried --kubeconfig (not given), " + tried;
  return std::nullopt;
}

}  // namespace sluice::kube
