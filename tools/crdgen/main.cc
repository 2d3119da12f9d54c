// sluice-crdgen: writes every kind's CustomResourceDefinition (crds/) and
// reference page (docs/) from the kind registries, so the limits the API
// server enforces are exactly the ones the engines enforce.
//
//   sluice-crdgen write .        # regenerate crds/*.yaml and docs/*-resource.md
//   sluice-crdgen check .        # fail, naming them, if committed files differ (a ctest)
//   sluice-crdgen crd queues     # one CRD on stdout
//   sluice-crdgen doc queues     # one reference page on stdout
//   sluice-crdgen list

#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "operator/kinds.h"
#include "tools/crdgen/crd_writer.h"

namespace {

using sluice::resource::KindDef;

struct Generated {
  std::filesystem::path path;  // relative to the repository
  std::string text;
};

std::vector<Generated> generated(const std::vector<const KindDef*>& kinds) {
  std::vector<Generated> out;
  for (const auto* k : kinds) {
    out.push_back({std::filesystem::path("crds") / (k->plural + ".sluice.io.yaml"), sluice::crdgen::crd_yaml(*k)});
    out.push_back({std::filesystem::path("docs") / (k->singular + "-resource.md"), sluice::crdgen::reference_doc(*k)});
  }
  return out;
}

std::string read(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

int write_all(const std::filesystem::path& root, const std::vector<Generated>& files) {
  for (const auto& f : files) {
    std::ofstream out(root / f.path, std::ios::binary);
    out << f.text;
    if (!out) {
      std::cerr << "sluice-crdgen: cannot write " << (root / f.path) << "\n";
      return 1;
    }
  }
  return 0;
}

int check_all(const std::filesystem::path& root, const std::vector<Generated>& files) {
  int stale = 0;
  std::set<std::filesystem::path> known;
  for (const auto& f : files) {
    known.insert(f.path);
    if (read(root / f.path) != f.text) {
      std::cerr << f.path.string() << " differs from what the kind's table gives\n";
      ++stale;
    }
  }
  // A CRD left behind by a kind that is gone would still be installed by the chart.
  for (const auto& e : std::filesystem::directory_iterator(root / "crds"))
    if (e.path().extension() == ".yaml" && !known.count(std::filesystem::path("crds") / e.path().filename())) {
      std::cerr << "crds/" << e.path().filename().string() << " belongs to no registered kind\n";
      ++stale;
    }
  if (stale) std::cerr << "regenerate with: build/tools/crdgen/sluice-crdgen write .\n";
  return stale ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace sluice;
  const std::vector<const KindDef*> kinds = operator_kinds::all_kinds();
  const std::string what = argc > 1 ? argv[1] : "", arg = argc > 2 ? argv[2] : "";
  if (what == "list") {
    for (const auto* k : kinds) std::cout << k->plural << " " << k->singular << "\n";
    return 0;
  }
  if ((what == "write" || what == "check") && !arg.empty())
    return what == "write" ? write_all(arg, generated(kinds)) : check_all(arg, generated(kinds));
  for (const auto* k : kinds) {
    if (k->plural != arg) continue;
    if (what == "crd") {
      std::cout << crdgen::crd_yaml(*k);
      return 0;
    }
    if (what == "doc") {
      std::cout << crdgen::reference_doc(*k);
      return 0;
    }
  }
  std::cerr << "usage: sluice-crdgen write|check <repository> | crd|doc <plural> | list\n";
  return 2;
}
