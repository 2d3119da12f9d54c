// What receivers rely on: AWS's string to sign for each message type, signatures
// that verify with the public key of the served certificate (and only for the
// message signed), a key that survives restarts, and a JavaScript receiver using
// sns-validator, AWS's validator for Node.js, accepting what Sluice signs.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <nlohmann/json.hpp>

#include "runtime/common/base64.h"
#include "runtime/common/digest.h"
#include "runtime/topic/signing.h"

namespace sluice::topic {
namespace {

namespace fs = std::filesystem;

constexpr char kTopicArn[] = "arn:aws:sns:us-west-2:123456789012:MyTopic";

SignedFields notification() {
  SignedFields f;
  f.type = "Notification";
  f.message = "Hello world!";
  f.message_id = "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324";
  f.subject = "My First Message";
  f.timestamp = "2012-05-02T00:54:06.655Z";
  f.topic_arn = kTopicArn;
  return f;
}

SignedFields confirmation(std::string type) {
  SignedFields f;
  f.type = std::move(type);
  f.message =
      "You have chosen to subscribe to the topic arn:aws:sns:us-west-2:123456789012:MyTopic.\n"
      "To confirm the subscription, visit the SubscribeURL included in this message.";
  f.message_id = "165545c9-2a5c-472c-8df2-7ff2be2b3b1b";
  f.subscribe_url = "https://sns.us-west-2.amazonaws.com/?Action=ConfirmSubscription&Token=2336412f37";
  f.timestamp = "2012-04-26T20:45:04.751Z";
  f.token = "2336412f37";
  f.topic_arn = kTopicArn;
  return f;
}

struct X509Deleter {
  void operator()(X509* p) const { X509_free(p); }
};
using CertPtr = std::unique_ptr<X509, X509Deleter>;

CertPtr parse_cert(const std::string& pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), int(pem.size())), BIO_free);
  return CertPtr(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

// What a receiver does: the public key from the certificate, then EVP_DigestVerify.
bool verifies(const std::string& cert_pem, std::string_view canonical, const std::string& signature, const EVP_MD* md) {
  CertPtr cert = parse_cert(cert_pem);
  auto raw = base64_decode(signature);
  if (!cert || !raw) return false;
  EVP_PKEY* key = X509_get0_pubkey(cert.get());
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  return EVP_DigestVerifyInit(ctx.get(), nullptr, md, nullptr, key) == 1 &&
         EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(raw->data()), raw->size(),
                          reinterpret_cast<const unsigned char*>(canonical.data()), canonical.size()) == 1;
}

std::unique_ptr<SigningKey> generated() {
  auto key = SigningKey::generate();
  EXPECT_TRUE(key.ok()) << (key.ok() ? "" : key.error().message);
  return key.ok() ? std::move(*key) : nullptr;
}

// RSA key generation takes a while on a busy machine: the tests that only sign
// share two keys made once.
const SigningKey* shared_key() {
  static const auto key = generated();
  return key.get();
}

const SigningKey* other_key() {
  static const auto key = generated();
  return key.get();
}

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void write(const fs::path& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

unsigned mode_of(const fs::path& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

TEST(CanonicalString, NotificationWithSubject) {
  EXPECT_EQ(canonical_string(notification()),
            "Message\n"
            "Hello world!\n"
            "MessageId\n"
            "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324\n"
            "Subject\n"
            "My First Message\n"
            "Timestamp\n"
            "2012-05-02T00:54:06.655Z\n"
            "TopicArn\n"
            "arn:aws:sns:us-west-2:123456789012:MyTopic\n"
            "Type\n"
            "Notification\n");
}

TEST(CanonicalString, NotificationWithoutSubjectLeavesTheKeyOut) {
  SignedFields f = notification();
  f.subject.reset();
  EXPECT_EQ(canonical_string(f),
            "Message\n"
            "Hello world!\n"
            "MessageId\n"
            "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324\n"
            "Timestamp\n"
            "2012-05-02T00:54:06.655Z\n"
            "TopicArn\n"
            "arn:aws:sns:us-west-2:123456789012:MyTopic\n"
            "Type\n"
            "Notification\n");
}

TEST(CanonicalString, NotificationSignsNoConfirmationFields) {
  SignedFields f = notification();
  f.subscribe_url = "https://example.com/subscribe";
  f.token = "abc";
  EXPECT_EQ(canonical_string(f), canonical_string(notification()));
}

TEST(CanonicalString, SubscriptionConfirmation) {
  EXPECT_EQ(canonical_string(confirmation("SubscriptionConfirmation")),
            "Message\n"
            "You have chosen to subscribe to the topic arn:aws:sns:us-west-2:123456789012:MyTopic.\n"
            "To confirm the subscription, visit the SubscribeURL included in this message.\n"
            "MessageId\n"
            "165545c9-2a5c-472c-8df2-7ff2be2b3b1b\n"
            "SubscribeURL\n"
            "https://sns.us-west-2.amazonaws.com/?Action=ConfirmSubscription&Token=2336412f37\n"
            "Timestamp\n"
            "2012-04-26T20:45:04.751Z\n"
            "Token\n"
            "2336412f37\n"
            "TopicArn\n"
            "arn:aws:sns:us-west-2:123456789012:MyTopic\n"
            "Type\n"
            "SubscriptionConfirmation\n");
}

TEST(CanonicalString, UnsubscribeConfirmationSignsTokenAndSubscribeUrlButNoSubject) {
  SignedFields f = confirmation("UnsubscribeConfirmation");
  f.subject = "ignored";
  EXPECT_EQ(canonical_string(f),
            "Message\n"
            "You have chosen to subscribe to the topic arn:aws:sns:us-west-2:123456789012:MyTopic.\n"
            "To confirm the subscription, visit the SubscribeURL included in this message.\n"
            "MessageId\n"
            "165545c9-2a5c-472c-8df2-7ff2be2b3b1b\n"
            "SubscribeURL\n"
            "https://sns.us-west-2.amazonaws.com/?Action=ConfirmSubscription&Token=2336412f37\n"
            "Timestamp\n"
            "2012-04-26T20:45:04.751Z\n"
            "Token\n"
            "2336412f37\n"
            "TopicArn\n"
            "arn:aws:sns:us-west-2:123456789012:MyTopic\n"
            "Type\n"
            "UnsubscribeConfirmation\n");
}

TEST(Signing, Version1IsSha1WithRsa) {
  auto* key = shared_key();
  ASSERT_TRUE(key);
  const std::string canonical = canonical_string(notification());
  const std::string signature = key->sign(canonical, 1);
  EXPECT_TRUE(verifies(key->certificate_pem(), canonical, signature, EVP_sha1()));
  EXPECT_FALSE(verifies(key->certificate_pem(), canonical, signature, EVP_sha256()));
}

TEST(Signing, Version2IsSha256WithRsa) {
  auto* key = shared_key();
  ASSERT_TRUE(key);
  const std::string canonical = canonical_string(confirmation("SubscriptionConfirmation"));
  const std::string signature = key->sign(canonical, 2);
  EXPECT_TRUE(verifies(key->certificate_pem(), canonical, signature, EVP_sha256()));
  EXPECT_FALSE(verifies(key->certificate_pem(), canonical, signature, EVP_sha1()));
}

TEST(Signing, TamperedMessageDoesNotVerify) {
  auto* key = shared_key();
  ASSERT_TRUE(key);
  SignedFields f = notification();
  for (int version : {1, 2}) {
    const std::string signature = key->sign(canonical_string(f), version);
    SignedFields tampered = f;
    tampered.message = "Hello world?";
    const EVP_MD* md = version == 1 ? EVP_sha1() : EVP_sha256();
    EXPECT_FALSE(verifies(key->certificate_pem(), canonical_string(tampered), signature, md)) << version;
    tampered = f;
    tampered.subject.reset();
    EXPECT_FALSE(verifies(key->certificate_pem(), canonical_string(tampered), signature, md)) << version;
  }
}

TEST(Signing, AnotherKeysCertificateDoesNotVerify) {
  auto* key = shared_key();
  auto* other = other_key();
  ASSERT_TRUE(key && other);
  const std::string canonical = canonical_string(notification());
  EXPECT_FALSE(verifies(other->certificate_pem(), canonical, key->sign(canonical, 2), EVP_sha256()));
}

TEST(Signing, SignatureIsOneLineOfPaddedStandardBase64) {
  auto* key = shared_key();
  ASSERT_TRUE(key);
  const std::string signature = key->sign("Message\nx\n", 1);
  // 256 bytes of RSA-2048 signature: 344 characters, the last two padding.
  ASSERT_EQ(signature.size(), 344u);
  EXPECT_EQ(signature.substr(342), "==");
  EXPECT_EQ(signature.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="),
            std::string::npos);
}

TEST(Signing, UnknownVersionSignsNothing) {
  auto* key = shared_key();
  ASSERT_TRUE(key);
  EXPECT_EQ(key->sign("Message\nx\n", 3), "");
}

TEST(Certificate, IsASelfSignedV3CertificateForAn2048BitRsaKeyValidForTenYears) {
  auto* key = shared_key();
  ASSERT_TRUE(key);
  CertPtr cert = parse_cert(key->certificate_pem());
  ASSERT_TRUE(cert);
  EVP_PKEY* pub = X509_get0_pubkey(cert.get());
  EXPECT_TRUE(EVP_PKEY_is_a(pub, "RSA"));
  EXPECT_EQ(EVP_PKEY_get_bits(pub), 2048);
  EXPECT_EQ(X509_get_version(cert.get()), X509_VERSION_3);
  EXPECT_EQ(X509_verify(cert.get(), pub), 1);
  EXPECT_EQ(X509_NAME_cmp(X509_get_subject_name(cert.get()), X509_get_issuer_name(cert.get())), 0);
  char cn[64] = {};
  X509_NAME_get_text_by_NID(X509_get_subject_name(cert.get()), NID_commonName, cn, sizeof cn);
  EXPECT_STREQ(cn, "sns.amazonaws.com");

  EXPECT_EQ(X509_cmp_current_time(X509_get0_notBefore(cert.get())), -1);
  int days = 0, seconds = 0;
  ASSERT_EQ(ASN1_TIME_diff(&days, &seconds, nullptr, X509_get0_notAfter(cert.get())), 1);
  EXPECT_GE(days, 3649);
  EXPECT_LE(days, 3650);
  EXPECT_TRUE(key->certificate_pem().starts_with("-----BEGIN CERTIFICATE-----\n"));
}

TEST(Certificate, IdIsTheFirst32HexDigitsOfTheSha256OfItsDer) {
  auto* key = shared_key();
  ASSERT_TRUE(key);
  CertPtr cert = parse_cert(key->certificate_pem());
  ASSERT_TRUE(cert);
  unsigned char* der = nullptr;
  int size = i2d_X509(cert.get(), &der);
  ASSERT_GT(size, 0);
  const std::string expected = to_hex(sha256(std::string_view(reinterpret_cast<char*>(der), size_t(size))));
  OPENSSL_free(der);
  EXPECT_EQ(key->certificate_id(), expected.substr(0, 32));
}

TEST(Certificate, EachKeyHasItsOwnSerialAndId) {
  auto* a = shared_key();
  auto* b = other_key();
  ASSERT_TRUE(a && b);
  EXPECT_NE(a->certificate_id(), b->certificate_id());
  CertPtr ca = parse_cert(a->certificate_pem());
  CertPtr cb = parse_cert(b->certificate_pem());
  ASSERT_TRUE(ca && cb);
  EXPECT_NE(ASN1_INTEGER_cmp(X509_get0_serialNumber(ca.get()), X509_get0_serialNumber(cb.get())), 0);
}

class SigningKeyFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "sluice-signing-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    root_ = pattern;
    dir_ = root_ / "data" / "sns";  // absent: load_or_create makes it
  }
  void TearDown() override { fs::remove_all(root_); }

  std::unique_ptr<SigningKey> load() {
    auto key = SigningKey::load_or_create(dir_.string());
    EXPECT_TRUE(key.ok()) << (key.ok() ? "" : key.error().message);
    return key.ok() ? std::move(*key) : nullptr;
  }
  // The error load_or_create reports; fails the test if it succeeds.
  Error load_error() {
    auto key = SigningKey::load_or_create(dir_.string());
    EXPECT_FALSE(key.ok());
    return key.ok() ? Error{} : key.error();
  }
  fs::path key_file() const { return dir_ / "sns-signing-key.pem"; }
  fs::path cert_file() const { return dir_ / "sns-signing-cert.pem"; }

  fs::path root_;
  fs::path dir_;
};

TEST_F(SigningKeyFiles, CreatesThenReloadsTheSameKey) {
  auto first = load();
  ASSERT_TRUE(first);
  EXPECT_EQ(read(cert_file()), first->certificate_pem());
  auto second = load();
  ASSERT_TRUE(second);
  EXPECT_EQ(second->certificate_id(), first->certificate_id());
  EXPECT_EQ(second->certificate_pem(), first->certificate_pem());
  const std::string canonical = canonical_string(notification());
  EXPECT_TRUE(verifies(first->certificate_pem(), canonical, second->sign(canonical, 1), EVP_sha1()));
  EXPECT_TRUE(verifies(first->certificate_pem(), canonical, second->sign(canonical, 2), EVP_sha256()));
}

TEST_F(SigningKeyFiles, KeyIsOwnerOnlyAndNoTemporaryFileRemains) {
  ASSERT_TRUE(load());
  EXPECT_EQ(mode_of(key_file()), 0600u);
  EXPECT_EQ(mode_of(cert_file()), 0644u);
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir_)) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"sns-signing-cert.pem", "sns-signing-key.pem"}));
  EXPECT_TRUE(read(key_file()).starts_with("-----BEGIN PRIVATE KEY-----\n"));
}

TEST_F(SigningKeyFiles, CorruptKeyFailsAndIsLeftAlone) {
  ASSERT_TRUE(load());
  write(key_file(), "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n");
  Error error = load_error();
  EXPECT_EQ(error.code, errc::storage_failure);
  EXPECT_EQ(error.field, "");
  EXPECT_NE(error.message.find("sns-signing-key.pem"), std::string::npos) << error.message;
  EXPECT_EQ(read(key_file()), "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n");
}

TEST_F(SigningKeyFiles, CorruptCertificateFailsAndIsLeftAlone) {
  ASSERT_TRUE(load());
  write(cert_file(), "garbage");
  Error error = load_error();
  EXPECT_EQ(error.code, errc::storage_failure);
  EXPECT_NE(error.message.find("sns-signing-cert.pem"), std::string::npos) << error.message;
  EXPECT_EQ(read(cert_file()), "garbage");
}

TEST_F(SigningKeyFiles, UnreadableKeyFails) {
  fs::create_directories(key_file());  // reading a directory fails even as root
  EXPECT_EQ(load_error().code, errc::storage_failure);
}

TEST_F(SigningKeyFiles, CertificateOfAnotherKeyFails) {
  auto* other = other_key();
  ASSERT_TRUE(other && load());
  write(cert_file(), other->certificate_pem());
  Error error = load_error();
  EXPECT_EQ(error.code, errc::storage_failure);
  EXPECT_NE(error.message.find("does not certify"), std::string::npos) << error.message;
}

TEST_F(SigningKeyFiles, CertificateWithoutItsKeyFailsRatherThanReplacingIt) {
  ASSERT_TRUE(load());
  const std::string pinned = read(cert_file());
  fs::remove(key_file());
  EXPECT_EQ(load_error().code, errc::storage_failure);
  EXPECT_EQ(read(cert_file()), pinned);
  EXPECT_FALSE(fs::exists(key_file()));
}

TEST_F(SigningKeyFiles, KeyWithoutCertificateGetsANewCertificateForTheSameKey) {
  auto first = load();
  ASSERT_TRUE(first);
  const std::string canonical = canonical_string(notification());
  const std::string signature = first->sign(canonical, 2);
  fs::remove(cert_file());
  auto second = load();
  ASSERT_TRUE(second);
  EXPECT_EQ(read(cert_file()), second->certificate_pem());
  EXPECT_TRUE(verifies(second->certificate_pem(), canonical, signature, EVP_sha256()));
}

TEST_F(SigningKeyFiles, DirectoryThatCannotBeMadeFails) {
  fs::create_directories(root_ / "data");
  write(root_ / "data" / "sns", "a file, not a directory");
  EXPECT_EQ(load_error().code, errc::storage_failure);
}

// ---- a Node.js receiver: tests/js/sns-validator-check.mjs runs sns-validator ----

#ifndef SLUICE_SOURCE_DIR
#error "SLUICE_SOURCE_DIR must name the repository root (runtime/topic/CMakeLists.txt)"
#endif

// A port nothing listens on now, for the checker's certificate server.
int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof addr;
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &size) == 0) {
    port = ntohs(addr.sin_port);
  }
  ::close(fd);
  return port;
}

class SnsValidator : public SigningKeyFiles {
 protected:
  void SetUp() override {
    const fs::path js = fs::path(SLUICE_SOURCE_DIR) / "tests" / "js";
    if (std::system("command -v node >/dev/null 2>&1") != 0) GTEST_SKIP() << "node is not on PATH";
    if (!fs::exists(js / "node_modules" / "sns-validator")) {
      GTEST_SKIP() << "sns-validator is not installed: cd tests/js && npm ci";
    }
    script_ = js / "sns-validator-check.mjs";
    SigningKeyFiles::SetUp();
    key_ = load();
    ASSERT_TRUE(key_);
    write(root_ / "cert.pem", key_->certificate_pem());
    port_ = free_port();
    ASSERT_NE(port_, 0);
  }

  // An envelope as SNS posts it to an HTTP endpoint, signed with `version`.
  nlohmann::json envelope(const SignedFields& f, int version) const {
    nlohmann::json e = {{"Type", f.type},
                        {"MessageId", f.message_id},
                        {"TopicArn", f.topic_arn},
                        {"Message", f.message},
                        {"Timestamp", f.timestamp},
                        {"SignatureVersion", std::to_string(version)},
                        {"Signature", key_->sign(canonical_string(f), version)},
                        {"SigningCertURL", "http://127.0.0.1:" + std::to_string(port_) + "/SimpleNotificationService-" +
                                               key_->certificate_id() + ".pem"}};
    if (f.type == "Notification") {
      if (f.subject) e["Subject"] = *f.subject;
      e["UnsubscribeURL"] = "http://127.0.0.1:" + std::to_string(port_) +
                            "/?Action=Unsubscribe&SubscriptionArn=" + f.topic_arn + ":c9135db0";
    } else {
      e["SubscribeURL"] = f.subscribe_url;
      e["Token"] = f.token;
    }
    return e;
  }

  // The checker's exit status: 0 valid, 1 refused by sns-validator, 2 could not check.
  int check(const nlohmann::json& e) {
    const fs::path path = root_ / ("envelope-" + std::to_string(++count_) + ".json");
    write(path, e.dump());
    const std::string command =
        "node '" + script_.string() + "' '" + path.string() + "' '" + (root_ / "cert.pem").string() + "'";
    int status = std::system(command.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  fs::path script_;
  std::unique_ptr<SigningKey> key_;
  int port_ = 0;
  int count_ = 0;
};

TEST_F(SnsValidator, AcceptsSignedNotificationsForBothVersions) {
  SignedFields f = notification();
  f.message = "{\"order\": 17,\n \"note\": \"caf\xc3\xa9 \xe2\x9c\x93\"}";  // JSON-escaped in the envelope
  EXPECT_EQ(check(envelope(f, 1)), 0);
  EXPECT_EQ(check(envelope(f, 2)), 0);
  f.subject.reset();
  EXPECT_EQ(check(envelope(f, 2)), 0);
}

TEST_F(SnsValidator, AcceptsASignedSubscriptionConfirmation) {
  EXPECT_EQ(check(envelope(confirmation("SubscriptionConfirmation"), 2)), 0);
}

TEST_F(SnsValidator, RefusesTamperedNotifications) {
  for (int version : {1, 2}) {
    nlohmann::json e = envelope(notification(), version);
    e["Message"] = "Hello world?";
    EXPECT_EQ(check(e), 1) << version;
    e = envelope(notification(), version);
    e.erase("Subject");
    EXPECT_EQ(check(e), 1) << version;
  }
}

TEST_F(SnsValidator, RefusesASignatureFromAnotherKey) {
  auto* other = other_key();
  ASSERT_TRUE(other);
  nlohmann::json e = envelope(notification(), 2);
  e["Signature"] = other->sign(canonical_string(notification()), 2);
  EXPECT_EQ(check(e), 1);
}

}  // namespace
}  // namespace sluice::topic
