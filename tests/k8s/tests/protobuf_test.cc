// The protobuf decoder, on bodies encoded by hand the way client-go encodes them.
#include <gtest/gtest.h>

#include "tests/k8s/apiserver/protobuf.h"

namespace sluice::test_apiserver {
namespace {

std::string varint(uint64_t v) {
  std::string out;
  while (v >= 0x80) {
    out += static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  out += static_cast<char>(v);
  return out;
}
std::string bytes_field(int n, const std::string& b) {
  return varint(static_cast<uint64_t>(n) << 3 | 2) + varint(b.size()) + b;
}
std::string varint_field(int n, uint64_t v) { return varint(static_cast<uint64_t>(n) << 3) + varint(v); }
std::string entry(int n, const std::string& k, const std::string& v) {
  return bytes_field(n, bytes_field(1, k) + bytes_field(2, v));
}

std::string envelope(const std::string& api_version, const std::string& kind, const std::string& raw) {
  std::string unknown = bytes_field(1, bytes_field(1, api_version) + bytes_field(2, kind)) + bytes_field(2, raw) +
                        bytes_field(3, "") + bytes_field(4, "");
  return std::string("k8s\0", 4) + unknown;
}

// ObjectMeta as generated marshalers write it: empty strings and an empty Time included.
std::string meta(const std::string& name, const std::string& ns) {
  return bytes_field(1, name) + bytes_field(2, "") + bytes_field(3, ns) + bytes_field(4, "") + bytes_field(5, "") +
         bytes_field(6, "") + varint_field(7, 0) + bytes_field(8, "") + entry(11, "owner", "helm") +
         entry(12, "note", "x");
}

TEST(Protobuf, SecretAsHelmWritesIt) {
  std::string raw = bytes_field(1, meta("sh.helm.release.v1.r.v1", "team")) +
                    entry(2, "release", std::string("\x1f\x8b\x00", 3)) + bytes_field(3, "helm.sh/release.v1");
  auto obj = decode_k8s_protobuf(envelope("v1", "Secret", raw));
  ASSERT_TRUE(obj.ok()) << obj.error();
  EXPECT_EQ((*obj)["kind"], "Secret");
  EXPECT_EQ((*obj)["metadata"]["name"], "sh.helm.release.v1.r.v1");
  EXPECT_EQ((*obj)["metadata"]["namespace"], "team");
  EXPECT_EQ((*obj)["metadata"]["labels"]["owner"], "helm");
  EXPECT_EQ((*obj)["data"]["release"], "H4sA");
  EXPECT_EQ((*obj)["type"], "helm.sh/release.v1");
}

TEST(Protobuf, NamespaceConfigMapDeleteOptions) {
  auto ns = decode_k8s_protobuf(
      envelope("v1", "Namespace", bytes_field(1, meta("team-a", "")) + bytes_field(2, "") + bytes_field(3, "")));
  ASSERT_TRUE(ns.ok()) << ns.error();
  EXPECT_EQ((*ns)["metadata"]["name"], "team-a");
  auto cm = decode_k8s_protobuf(envelope("v1", "ConfigMap", bytes_field(1, meta("c", "d")) + entry(2, "k", "v")));
  ASSERT_TRUE(cm.ok()) << cm.error();
  EXPECT_EQ((*cm)["data"]["k"], "v");
  auto opts = decode_k8s_protobuf(
      envelope("v1", "DeleteOptions",
               bytes_field(4, "Background") + bytes_field(5, "All") + bytes_field(2, bytes_field(1, "uid-1"))));
  ASSERT_TRUE(opts.ok()) << opts.error();
  EXPECT_EQ((*opts)["propagationPolicy"], "Background");
  EXPECT_EQ((*opts)["dryRun"], Json::parse(R"(["All"])"));
  EXPECT_EQ((*opts)["preconditions"]["uid"], "uid-1");
}

TEST(Protobuf, RefusesOtherKindsUnknownFieldsAndGarbage) {
  auto deploy = decode_k8s_protobuf(envelope("apps/v1", "Deployment", ""));
  ASSERT_FALSE(deploy.ok());
  EXPECT_NE(deploy.error().find("not supported"), std::string::npos);
  auto unknown = decode_k8s_protobuf(envelope("v1", "Secret", bytes_field(9, "x")));
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().find("field 9 of Secret"), std::string::npos);
  EXPECT_FALSE(decode_k8s_protobuf("{\"kind\":\"Secret\"}").ok());
  EXPECT_FALSE(decode_k8s_protobuf(std::string("k8s\0\x0a\xff", 6)).ok());
}

}  // namespace
}  // namespace sluice::test_apiserver
