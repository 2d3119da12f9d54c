// The seams, proved by a service that is not SQS: a toy module with one action
// and one kind is reached through the same endpoint, admin API and manifest
// loader as SQS, with nothing in them that knows it (docs/adding-an-engine.md).

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "sidecar/admin/admin_api.h"
#include "sidecar/aws/testing/harness.h"
#include "sidecar/aws/tests/toy_service.h"
#include "sidecar/manifests/manifest_loader.h"
#include "sidecar/metrics/metrics.h"

namespace sluice::toy {
namespace {

using nlohmann::json;

class ToyModuleTest : public ::testing::Test {
 protected:
  Toys toys;
  ToyService service{toys};
  ToyResources resources{toys};
  metrics::Metrics metrics;
  admin::AdminApi admin{{&resources}, metrics, admin::AdminConfig{"us-east-1", "", "http://h:4566", "{}"}};

  server::HttpResponse admin_call(const std::string& method, const std::string& path, const std::string& body = "") {
    server::HttpRequest req;
    req.method = method;
    req.path = path;
    req.body = body;
    server::HttpResponse out;
    admin.handle(std::move(req), [&](server::HttpResponse r) { out = std::move(r); });
    return out;
  }
};

TEST_F(ToyModuleTest, ItsActionIsServedByTheGenericEndpoint) {
  aws::testing::Harness h({&service});
  EXPECT_EQ(h.call("Ping", {{"Name", "toy"}}).body["Greeting"], "hello toy");
  EXPECT_EQ(h.query("Ping", {{"Name", "missing"}}).code, "NoSuchToy");
}

TEST_F(ToyModuleTest, ItsKindIsServedByTheGenericAdminApi) {
  auto put = admin_call("PUT", "/v1/namespaces/play/toys/teddy", R"({"loudness": 2, "color": "red"})");
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(json::parse(put.body)["loudness"], 2);
  EXPECT_EQ(admin_call("GET", "/v1/namespaces/play/toys/teddy").status, 200);
  auto invalid = admin_call("PUT", "/v1/namespaces/play/toys/teddy", R"({"loudness": 4, "color": "red"})");
  EXPECT_EQ(invalid.status, 422);
  EXPECT_NE(invalid.body.find("spec.loudness"), std::string::npos) << invalid.body;
  EXPECT_EQ(admin_call("PUT", "/v1/namespaces/play/toys/teddy", R"({"loudness": 9})").status, 422);
  EXPECT_EQ(admin_call("GET", "/v1/namespaces/play/queues/teddy").status, 404) << "only kinds that are served";
  EXPECT_EQ(admin_call("DELETE", "/v1/namespaces/play/toys/teddy").status, 200);
  EXPECT_EQ(admin_call("GET", "/v1/namespaces/play/toys/teddy").status, 404);
  auto help = admin_call("GET", "/help");
  EXPECT_NE(help.body.find("{plural}: toys"), std::string::npos) << help.body;
  auto runtime = json::parse(admin_call("GET", "/v1/runtime").body);
  EXPECT_EQ(runtime["resources"]["toys"], 0);
}

TEST_F(ToyModuleTest, ItsManifestsAreLoadedByTheGenericLoader) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("sluice-toy-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "toys.yaml")
      << "apiVersion: sluice.io/v1alpha1\nkind: Toy\nmetadata: {name: rex, namespace: play}\n"
         "spec: {loudness: 5, color: blue}\n";
  manifests::LoadOptions options{admin::AdminConfig{"us-east-1", "000000000000", "http://h:4566", "{}"}, {}};
  auto r = manifests::load_manifests(dir.string(), {&resources}, options);
  ASSERT_TRUE(r.ok()) << (r.errors.empty() ? "" : r.errors[0]);
  ASSERT_EQ(r.loaded.size(), 1u);
  EXPECT_EQ(r.loaded[0].detail, "rex");
  EXPECT_EQ(resources.size(), 1u);
  std::ofstream(dir / "toys.yaml")
      << "apiVersion: sluice.io/v1alpha1\nkind: Toy\nmetadata: {name: rex, namespace: play}\n"
         "spec: {loudness: 5, color: red}\n";
  auto bad = manifests::load_manifests(dir.string(), {&resources}, options);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.errors[0].find("Toy play/rex: spec.loudness: a red toy is at most 3 loud"), std::string::npos)
      << bad.errors[0];
  fs::remove_all(dir);
}

}  // namespace
}  // namespace sluice::toy
