// sluice-crdgen: writes every kind's CustomResourceDefinition (crds/) and
// reference page (docs/) from the kind registries, so the limits the API
// server enforces are exactly the ones the engines enforce.
// `ctest -R crds_up_to_date` fails when a committed file differs.
//
//   sluice-crdgen crd queues > crds/queues.sluice.io.yaml
//   sluice-crdgen doc queues > docs/queue-resource.md
//   sluice-crdgen list

#include <iostream>
#include <string>
#include <vector>

#include "operator/kinds.h"
#include "tools/crdgen/crd_writer.h"

int main(int argc, char** argv) {
  using namespace sluice;
  std::vector<const resource::KindDef*> kinds(operator_kinds::hosted_kinds().begin(), operator_kinds::hosted_kinds().end());
  kinds.push_back(&operator_kinds::workerautoscaler());
  const std::string what = argc > 1 ? argv[1] : "", plural = argc > 2 ? argv[2] : "";
  if (what == "list") {
    for (const auto* k : kinds) std::cout << k->plural << " " << k->singular << "\n";
    return 0;
  }
  for (const auto* k : kinds) {
    if (k->plural != plural) continue;
    if (what == "crd") {
      std::cout << crdgen::crd_yaml(*k);
      return 0;
    }
    if (what == "doc") {
      std::cout << crdgen::reference_doc(*k);
      return 0;
    }
  }
  std::cerr << "usage: sluice-crdgen crd|doc <plural> | list\n";
  return 2;
}
