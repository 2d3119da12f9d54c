#include "operator/kube/kube_config.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "runtime/common/base64.h"

namespace sluice::kube {
namespace {

namespace fs = std::filesystem;

class KubeConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("sluice-kubeconfig-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return (dir_ / name).string();
  }
  fs::path dir_;
};

TEST_F(KubeConfigTest, ReadsTheCurrentContextWithATokenAndInlineCa) {
  auto path = write("config",
                    "apiVersion: v1\nkind: Config\ncurrent-context: b\n"
                    "clusters:\n- name: c1\n  cluster: {server: 'https://one:6443/'}\n"
                    "- name: c2\n  cluster: {server: 'https://two:6443', certificate-authority-data: " +
                        base64_encode("CA-PEM") +
                        "}\n"
                        "users:\n- name: u2\n  user: {token: secret}\n"
                        "contexts:\n- name: a\n  context: {cluster: c1, user: u2}\n"
                        "- name: b\n  context: {cluster: c2, user: u2, namespace: shop}\n");
  std::string error;
  auto cfg = parse_kubeconfig(path, &error);
  ASSERT_TRUE(cfg) << error;
  EXPECT_EQ(cfg->server, "https://two:6443");
  EXPECT_EQ(cfg->ca_pem, "CA-PEM");
  EXPECT_EQ(cfg->token, "secret");
  EXPECT_EQ(cfg->namespace_, "shop");
}

TEST_F(KubeConfigTest, FilesAreRelativeToTheKubeconfig) {
  write("ca.crt", "FROM-FILE");
  write("client.crt", "CERT");
  write("client.key", "KEY");
  auto path = write("config",
                    "current-context: x\nclusters:\n- name: c\n  cluster: {server: 'http://127.0.0.1:1', "
                    "certificate-authority: ca.crt}\nusers:\n- name: u\n  user: {client-certificate: "
                    "client.crt, client-key: client.key}\ncontexts:\n- name: x\n  context: {cluster: c, user: u}\n");
  std::string error;
  auto cfg = parse_kubeconfig(path, &error);
  ASSERT_TRUE(cfg) << error;
  EXPECT_EQ(cfg->ca_pem, "FROM-FILE");
  EXPECT_EQ(cfg->client_cert_pem, "CERT");
  EXPECT_EQ(cfg->client_key_pem, "KEY");
  EXPECT_EQ(cfg->namespace_, "default");
}

TEST_F(KubeConfigTest, RefusesWhatItCannotUseWithAReason) {
  std::string error;
  EXPECT_FALSE(parse_kubeconfig(write("a", "current-context: nope\ncontexts: []\n"), &error));
  EXPECT_NE(error.find("context nope not found"), std::string::npos);
  EXPECT_FALSE(parse_kubeconfig(write("b",
                                      "current-context: x\nclusters:\n- name: c\n  cluster: {server: s}\n"
                                      "users:\n- name: u\n  user: {exec: {command: aws}}\n"
                                      "contexts:\n- name: x\n  context: {cluster: c, user: u}\n"),
                                &error));
  EXPECT_NE(error.find("exec"), std::string::npos);
  EXPECT_FALSE(parse_kubeconfig((dir_ / "missing").string(), &error));
}

}  // namespace
}  // namespace sluice::kube
