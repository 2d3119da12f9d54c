#pragma once
// A throwaway self-signed certificate for 127.0.0.1, made at start-up. kubectl and
// client-go send bearer tokens only over TLS, so per-identity request recording with
// kubectl needs the server's --tls mode; the kubeconfig then trusts this certificate.

#include <string>

namespace sluice::test_apiserver {

struct TlsIdentity {
  std::string certificate_pem;
  std::string private_key_pem;
};

// Throws std::runtime_error if OpenSSL fails (start-up only).
TlsIdentity make_self_signed_identity();

}  // namespace sluice::test_apiserver
