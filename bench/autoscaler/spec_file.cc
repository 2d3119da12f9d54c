#include "bench/autoscaler/spec_file.h"

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <stdexcept>

namespace sluice::bench {
namespace {

using json = nlohmann::json;

// Plain scalars become numbers or booleans where YAML would read them so;
// quoted ones stay strings.
json scalar(const YAML::Node& n) {
  const std::string& s = n.Scalar();
  if (n.Tag() == "!") return s;
  int64_t i = 0;
  if (auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), i); ec == std::errc() && p == s.data() + s.size())
    return i;
  double d = 0;
  if (auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), d); ec == std::errc() && p == s.data() + s.size())
    return d;
  if (s == "true") return true;
  if (s == "false") return false;
  if (s == "null" || s == "~") return nullptr;
  return s;
}

json to_json(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Map: {
      json o = json::object();
      for (const auto& kv : n) o[kv.first.as<std::string>()] = to_json(kv.second);
      return o;
    }
    case YAML::NodeType::Sequence: {
      json a = json::array();
      for (const auto& item : n) a.push_back(to_json(item));
      return a;
    }
    case YAML::NodeType::Scalar:
      return scalar(n);
    default:
      return nullptr;
  }
}

}  // namespace

autoscaler::Spec load_spec_file(const std::string& path) {
  YAML::Node doc;
  try {
    doc = YAML::LoadFile(path);
  } catch (const YAML::Exception& e) {
    throw std::runtime_error(path + ": " + e.what());
  }
  const json manifest = to_json(doc);
  if (manifest.value("kind", "") != "WorkerAutoscaler")
    throw std::runtime_error(path + ": not a WorkerAutoscaler manifest");
  std::vector<autoscaler::SpecError> errors;
  autoscaler::Spec spec = autoscaler::parse_spec(manifest.value("spec", json::object()), errors);
  if (!errors.empty()) {
    std::string message = path + ":";
    for (const auto& e : errors) message += " " + e.str() + ";";
    throw std::runtime_error(message);
  }
  return spec;
}

}  // namespace sluice::bench
