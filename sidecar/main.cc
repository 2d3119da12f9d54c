// sluice-sidecar: the runtime server. See sidecar/README.md and `--help`.

#include "sidecar/options.h"
#include "sidecar/sidecar.h"

int main(int argc, char** argv) {
  int exit_code = 0;
  auto options = sluice::parse_options(argc, argv, &exit_code);
  if (!options) return exit_code;
  sluice::Sidecar sidecar(std::move(*options));
  if (int rc = sidecar.start(); rc != 0) return rc;
  sidecar.run();
  return 0;
}
