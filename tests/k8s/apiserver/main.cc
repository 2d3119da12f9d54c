// sluice-test-apiserver: the Kubernetes API test server as a program.
//   sluice-test-apiserver --port 6443 --kubeconfig-out /tmp/kc
// Prints the URL on the first line of stdout and the kubeconfig path on the second,
// then serves until SIGTERM or SIGINT.
#include <pthread.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <iostream>
#include <string>

#include "tests/k8s/apiserver/test_apiserver.h"

namespace {

constexpr const char* kUsage = R"(usage: sluice-test-apiserver [options]
  --port N                  listen on 127.0.0.1:N (default 0: a free port)
  --kubeconfig-out FILE     write a kubeconfig for the server to FILE
                            (default: a new file in a temporary directory)
  --token NAME=TOKEN        accept bearer TOKEN as user NAME (repeatable; the first
                            is the kubeconfig's current context; default
                            admin=sluice-test-admin-token)
  --tls                     serve HTTPS with a fresh self-signed certificate (the
                            kubeconfig trusts it). kubectl and helm send bearer
                            tokens over TLS only: without --tls their requests are
                            recorded as system:anonymous
  --no-fake-status          do not fake Deployment/StatefulSet status
  --fake-status-delay-ms N  write the fake status N ms after a spec change (default 0)
  --event-window N          events kept for watches (default 10000)
  --bookmark-interval-ms N  watch bookmark period (default 10000)
)";

bool number(const std::string& text, long& out) {
  char* end = nullptr;
  out = std::strtol(text.c_str(), &end, 10);
  return !text.empty() && *end == '\0' && out >= 0;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace sluice::test_apiserver;
  ServerOptions options;
  std::string kubeconfig_out;
  bool custom_tokens = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::cerr << "sluice-test-apiserver: " << arg << " needs a value\n" << kUsage;
        std::exit(2);
      }
      return argv[++i];
    };
    long n = 0;
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return 0;
    } else if (arg == "--port" && number(value(), n) && n <= 65535) {
      options.port = static_cast<uint16_t>(n);
    } else if (arg == "--kubeconfig-out") {
      kubeconfig_out = value();
    } else if (arg == "--token") {
      std::string v = value();
      size_t eq = v.find('=');
      if (eq == std::string::npos || eq == 0 || eq + 1 == v.size()) {
        std::cerr << "sluice-test-apiserver: --token wants NAME=TOKEN, got " << v << "\n";
        return 2;
      }
      if (!custom_tokens) options.api.users.clear();
      custom_tokens = true;
      options.api.users.emplace_back(v.substr(0, eq), v.substr(eq + 1));
    } else if (arg == "--tls") {
      options.tls = true;
    } else if (arg == "--no-fake-status") {
      options.api.fake_status = false;
    } else if (arg == "--fake-status-delay-ms" && number(value(), n)) {
      options.api.fake_status_delay = std::chrono::milliseconds(n);
    } else if (arg == "--event-window" && number(value(), n) && n > 0) {
      options.api.event_window = static_cast<size_t>(n);
    } else if (arg == "--bookmark-interval-ms" && number(value(), n) && n > 0) {
      options.api.bookmark_interval = std::chrono::milliseconds(n);
    } else {
      std::cerr << "sluice-test-apiserver: bad argument " << arg << "\n" << kUsage;
      return 2;
    }
  }

  // Signals are taken by sigwait below, never by a server thread.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  try {
    TestApiServer server(options);
    if (kubeconfig_out.empty()) {
      char dir[] = "/tmp/sluice-test-apiserver-XXXXXX";
      if (!mkdtemp(dir)) {
        std::cerr << "sluice-test-apiserver: cannot create a temporary directory\n";
        return 1;
      }
      kubeconfig_out = std::string(dir) + "/kubeconfig";
    }
    server.write_kubeconfig(kubeconfig_out);
    std::cout << server.url() << "\n"
              << "kubeconfig: " << kubeconfig_out << std::endl;
    int sig = 0;
    sigwait(&signals, &sig);
    server.stop();
  } catch (const std::exception& e) {
    std::cerr << "sluice-test-apiserver: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
