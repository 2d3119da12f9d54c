#include "sidecar/manifests/manifest_loader.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>
#include <set>

#include "runtime/common/arn.h"
#include "runtime/queue/spec.h"

namespace sluice::manifests {
namespace {

namespace fs = std::filesystem;
constexpr const char* kApiVersion = "sluice.io/v1alpha1";

struct QueueDoc {
  LoadedResource where;
  queue::QueueSpec spec;
  std::string account;
};

// Kubernetes object names: DNS-1123 subdomains (lower case alphanumerics, '-', '.').
bool valid_object_name(const std::string& s) {
  if (s.empty() || s.size() > 253) return false;
  for (char c : s)
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '-' ||
          c == '.'))
      return false;
  return std::isalnum(static_cast<unsigned char>(s.front())) && std::isalnum(static_cast<unsigned char>(s.back()));
}

}  // namespace

std::string account_for(const LoadOptions& options, const std::string& ns) {
  return options.fixed_account.empty() ? account_for_namespace(ns) : options.fixed_account;
}

LoadResult load_manifests(const std::string& dir, queue::QueueService& queues, const LoadOptions& options) {
  LoadResult result;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    result.errors.push_back(dir + ": not a directory");
    return result;
  }
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    auto ext = entry.path().extension().string();
    if (entry.is_regular_file() && (ext == ".yaml" || ext == ".yml")) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());

  std::vector<QueueDoc> docs;
  for (const auto& path : files) {
    const std::string file = path.string();
    std::vector<YAML::Node> nodes;
    try {
      nodes = YAML::LoadAllFromFile(file);
    } catch (const YAML::Exception& e) {
      result.errors.push_back(file + ": invalid YAML: " + e.what());
      continue;
    }
    int index = 0;
    for (const auto& node : nodes) {
      ++index;
      if (!node || node.IsNull()) continue;  // empty document between "---"
      const std::string at = file + " (document " + std::to_string(index) + ")";
      if (!node.IsMap()) {
        result.errors.push_back(at + ": not a mapping");
        continue;
      }
      const std::string api = node["apiVersion"] && node["apiVersion"].IsScalar() ? node["apiVersion"].Scalar() : "";
      const std::string kind = node["kind"] && node["kind"].IsScalar() ? node["kind"].Scalar() : "";
      if (api != kApiVersion) {
        result.errors.push_back(at + ": apiVersion must be " + std::string(kApiVersion) + ", got '" + api + "'");
        continue;
      }
      if (kind == "WorkerAutoscaler") {
        // Scales Deployments: there are none without a cluster. Same files, nothing to do here.
        const YAML::Node m = node["metadata"];
        const std::string n = m && m["name"] ? m["name"].as<std::string>() : "";
        const std::string s_ns = m && m["namespace"] ? m["namespace"].as<std::string>() : "default";
        result.skipped.push_back({file, kind, s_ns, n, kind + " " + s_ns + "/" + n, "reconciled by the operator"});
        continue;
      }
      if (kind != "Queue") {
        result.errors.push_back(at + ": unsupported kind '" + kind + "' (this sidecar serves: Queue)");
        continue;
      }
      const YAML::Node meta = node["metadata"];
      const std::string name = meta && meta["name"] && meta["name"].IsScalar() ? meta["name"].Scalar() : "";
      const std::string ns =
          meta && meta["namespace"] && meta["namespace"].IsScalar() ? meta["namespace"].Scalar() : "default";
      if (!valid_object_name(name)) {
        result.errors.push_back(at + ": metadata.name '" + name +
                                "' must be a lower-case DNS name (use spec.queueName for other queue names)");
        continue;
      }
      QueueDoc doc;
      doc.where = {file, kind, ns, name, kind + " " + ns + "/" + name, ""};
      std::vector<queue::SpecError> errors;
      doc.spec = queue::parse_queue_spec(node["spec"], name, errors);
      for (const auto& e : errors) result.errors.push_back(file + ": " + doc.where.resource + ": " + e.str());
      for (const auto& key : node) {
        const std::string k = key.first.as<std::string>();
        if (k != "apiVersion" && k != "kind" && k != "metadata" && k != "spec" && k != "status")
          result.errors.push_back(file + ": " + doc.where.resource + ": unknown field " + k);
      }
      if (!errors.empty()) continue;
      doc.account = account_for(options, ns);
      docs.push_back(std::move(doc));
    }
  }

  // References and conflicts, checked before anything is applied.
  std::map<std::pair<std::string, std::string>, QueueDoc*> by_queue;  // (account, queue name)
  for (auto& d : docs) {
    auto [it, inserted] = by_queue.emplace(std::make_pair(d.account, d.spec.queue_name), &d);
    if (!inserted)
      result.errors.push_back(d.where.file + ": " + d.where.resource + ": queue " + d.spec.queue_name +
                              " is also defined by " + it->second->where.file + " (" + it->second->where.resource + ")");
  }
  for (auto& d : docs) {
    const auto& target = d.spec.dead_letter_target_queue;
    if (!target.empty()) {
      auto in_set = by_queue.find({d.account, target});
      auto existing = queues.find(d.account, target);
      bool fifo = in_set != by_queue.end() ? in_set->second->spec.attributes.fifo_queue : existing && existing->fifo();
      if (in_set == by_queue.end() && !existing) {
        result.errors.push_back(d.where.file + ": " + d.where.resource +
                                ": spec.redrivePolicy.deadLetterTargetQueue: queue " + target +
                                " is not defined in these manifests and does not exist");
      } else if (fifo != d.spec.attributes.fifo_queue) {
        result.errors.push_back(d.where.file + ": " + d.where.resource +
                                ": spec.redrivePolicy.deadLetterTargetQueue: a dead-letter queue must be of the "
                                "same type (FIFO or standard) as its source");
      }
    }
    if (auto existing = queues.find(d.account, d.spec.queue_name)) {
      auto current = existing->attributes();
      if (current.fifo_queue != d.spec.attributes.fifo_queue)
        result.errors.push_back(d.where.file + ": " + d.where.resource +
                                ": spec.fifoQueue: the existing queue's type cannot change");
      if ((current.durability == storage::Durability::memory) !=
          (d.spec.attributes.durability == storage::Durability::memory))
        result.errors.push_back(d.where.file + ": " + d.where.resource +
                                ": spec.durability: cannot change between memory and a durable mode");
    }
  }
  if (!result.errors.empty()) return result;

  // Dead-letter targets first, so every redrive policy finds its queue.
  std::vector<QueueDoc*> order;
  std::set<QueueDoc*> placed, visiting;
  std::function<void(QueueDoc*)> place = [&](QueueDoc* d) {
    if (placed.count(d) || visiting.count(d)) return;
    visiting.insert(d);
    if (auto t = by_queue.find({d->account, d->spec.dead_letter_target_queue}); t != by_queue.end()) place(t->second);
    visiting.erase(d);
    placed.insert(d);
    order.push_back(d);
  };
  for (auto& d : docs) place(&d);

  for (QueueDoc* d : order) {
    auto attrs = queue::resolve_queue_spec(d->spec, d->account, options.region);
    auto q = queues.apply_queue(d->account, d->spec.queue_name, attrs, d->spec.tags);
    if (!q.ok()) {
      result.errors.push_back(d->where.file + ": " + d->where.resource + ": " + q.error().message);
      return result;
    }
    d->where.detail = "/" + d->account + "/" + d->spec.queue_name;
    result.loaded.push_back(d->where);
  }
  return result;
}

}  // namespace sluice::manifests
