#include "runtime/topic/signing.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "runtime/common/base64.h"
#include "runtime/common/digest.h"

namespace sluice::topic {
namespace {

namespace fs = std::filesystem;

constexpr char kKeyFile[] = "sns-signing-key.pem";
constexpr char kCertFile[] = "sns-signing-cert.pem";
constexpr int kKeyBits = 2048;
constexpr int kValidDays = 3650;
// Backdated a little, so that a receiver whose clock is behind ours does not see
// a brand-new certificate as not yet valid.
constexpr long kBackdateSeconds = 3600;

// unique_ptr's deleter for an OpenSSL object: its _free function.
template <auto free_fn>
struct Free {
  void operator()(auto* p) const { free_fn(p); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, Free<EVP_PKEY_free>>;
using CertPtr = std::unique_ptr<X509, Free<X509_free>>;
using BioPtr = std::unique_ptr<BIO, Free<BIO_free>>;

// Drains OpenSSL's error queue (so that a later call does not report this one's
// errors) and returns its first entry, which names the cause.
std::string openssl_error() {
  unsigned long first = ERR_get_error();
  while (ERR_get_error() != 0) {
  }
  if (first == 0) return "unknown OpenSSL error";
  char text[256];
  ERR_error_string_n(first, text, sizeof text);
  return text;
}

Failure<Error> storage_error(std::string message) { return fail(errc::storage_failure, "", std::move(message)); }

std::string bio_contents(BIO* bio) {
  char* data = nullptr;
  long size = BIO_get_mem_data(bio, &data);
  return std::string(data, size > 0 ? size_t(size) : 0);
}

// An encrypted key must fail to load rather than prompt on the terminal.
int no_passphrase(char*, int, int, void*) { return -1; }

bool add_extension(X509* cert, X509V3_CTX* ctx, int nid, const char* value) {
  std::unique_ptr<X509_EXTENSION, Free<X509_EXTENSION_free>> ext(X509V3_EXT_conf_nid(nullptr, ctx, nid, value));
  return ext && X509_add_ext(cert, ext.get(), -1) == 1;
}

// A self-signed X.509 v3 certificate for `key`. The subject names SNS, as AWS's
// certificates do, for receivers that check it; O=Sluice tells a human which it is.
Result<CertPtr, Error> make_certificate(EVP_PKEY* key) {
  CertPtr cert(X509_new());
  std::unique_ptr<BIGNUM, Free<BN_free>> serial(BN_new());
  if (!cert || !serial) return storage_error("cannot make the signing certificate: " + openssl_error());
  // 127 random bits with the top one set: positive, non-zero and 16 bytes in DER (RFC 5280).
  bool ok = X509_set_version(cert.get(), X509_VERSION_3) == 1 &&
            BN_rand(serial.get(), 127, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ANY) == 1 &&
            BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get())) != nullptr &&
            // Certificates live in wall-clock time, whatever clock the engine runs on.
            X509_gmtime_adj(X509_getm_notBefore(cert.get()), -kBackdateSeconds) != nullptr &&
            X509_time_adj_ex(X509_getm_notAfter(cert.get()), kValidDays, 0, nullptr) != nullptr;
  X509_NAME* name = X509_get_subject_name(cert.get());
  auto add_name = [&](const char* field, const char* value) {
    return X509_NAME_add_entry_by_txt(name, field, MBSTRING_ASC, reinterpret_cast<const unsigned char*>(value), -1, -1,
                                      0) == 1;
  };
  ok = ok && add_name("O", "Sluice") && add_name("CN", "sns.amazonaws.com") &&
       X509_set_issuer_name(cert.get(), name) == 1 && X509_set_pubkey(cert.get(), key) == 1;
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, cert.get(), cert.get(), nullptr, nullptr, 0);
  ok = ok && add_extension(cert.get(), &ctx, NID_basic_constraints, "critical,CA:FALSE") &&
       add_extension(cert.get(), &ctx, NID_key_usage, "critical,digitalSignature") &&
       add_extension(cert.get(), &ctx, NID_subject_key_identifier, "hash") &&
       X509_sign(cert.get(), key, EVP_sha256()) > 0;
  if (!ok) return storage_error("cannot make the signing certificate: " + openssl_error());
  return cert;
}

Result<KeyPtr, Error> make_key() {
  KeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{kKeyBits}));
  if (!key) return storage_error("cannot generate the signing key: " + openssl_error());
  return key;
}

// "cannot <what> <path>: <the OS's reason>", from errno.
Failure<Error> os_error(const char* what, const fs::path& path) {
  return storage_error(std::string("cannot ") + what + " " + path.string() + ": " + std::strerror(errno));
}

Result<std::string, Error> read_file(const fs::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return os_error("open", path);
  std::string out;
  char buffer[4096];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      auto error = os_error("read", path);
      ::close(fd);
      return error;
    }
    if (n == 0) break;
    out.append(buffer, size_t(n));
  }
  ::close(fd);
  return out;
}

// Makes a rename in `directory` durable.
Status<Error> sync_directory(const fs::path& directory) {
  int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return os_error("open", directory);
  if (::fsync(fd) != 0) {
    auto error = os_error("sync", directory);
    ::close(fd);
    return error;
  }
  ::close(fd);
  return {};
}

// Writes `bytes` to a temporary file beside `path`, syncs it and renames it over
// `path`, so that a crash leaves either the whole file or none.
Status<Error> write_file_atomically(const fs::path& path, std::string_view bytes, mode_t mode) {
  const fs::path temp = path.string() + ".tmp";
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return os_error("create", temp);
  auto abandon = [&](const char* what) {
    auto error = os_error(what, temp);
    if (fd >= 0) ::close(fd);
    ::unlink(temp.c_str());
    return error;
  };
  // The umask may have narrowed `mode`, and a stale temporary file keeps its own.
  if (::fchmod(fd, mode) != 0) return abandon("set the mode of");
  for (size_t done = 0; done < bytes.size();) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return abandon("write");
    done += size_t(n);
  }
  if (::fsync(fd) != 0) return abandon("sync");
  int closed = ::close(fd);
  fd = -1;
  if (closed != 0) return abandon("close");
  if (::rename(temp.c_str(), path.c_str()) != 0) return abandon("rename");
  return sync_directory(path.parent_path());
}

Result<KeyPtr, Error> parse_key(const std::string& pem, const fs::path& path) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), int(pem.size())));
  KeyPtr key(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, no_passphrase, nullptr) : nullptr);
  if (!key) return storage_error(path.string() + " holds no readable private key: " + openssl_error());
  // SNS signatures are RSA (SHA1withRSA, SHA256withRSA); another kind would sign in a way no receiver checks.
  if (!EVP_PKEY_is_a(key.get(), "RSA")) return storage_error(path.string() + " holds a key that is not RSA");
  return key;
}

Result<CertPtr, Error> parse_certificate(const std::string& pem, const fs::path& path) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), int(pem.size())));
  CertPtr cert(bio ? PEM_read_bio_X509(bio.get(), nullptr, no_passphrase, nullptr) : nullptr);
  if (!cert) return storage_error(path.string() + " holds no readable certificate: " + openssl_error());
  return cert;
}

Result<std::string, Error> key_pem(EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return storage_error("cannot encode the signing key: " + openssl_error());
  }
  return bio_contents(bio.get());
}

// Writes the key, owner-only. Its buffer is wiped afterwards.
Status<Error> write_key(const fs::path& path, EVP_PKEY* key) {
  auto pem = key_pem(key);
  if (!pem) return Failure<Error>{pem.error()};
  auto written = write_file_atomically(path, *pem, 0600);
  OPENSSL_cleanse(pem->data(), pem->size());
  return written;
}

}  // namespace

std::string canonical_string(const SignedFields& fields) {
  std::string out;
  auto add = [&out](std::string_view key, std::string_view value) {
    out.append(key).append("\n").append(value).append("\n");
  };
  add("Message", fields.message);
  add("MessageId", fields.message_id);
  // AWS's keys, sorted: a Notification signs its Subject when it has one; the
  // confirmations sign their SubscribeURL and Token instead, and never a Subject.
  if (fields.type == "Notification") {
    if (fields.subject) add("Subject", *fields.subject);
  } else {
    add("SubscribeURL", fields.subscribe_url);
  }
  add("Timestamp", fields.timestamp);
  if (fields.type != "Notification") add("Token", fields.token);
  add("TopicArn", fields.topic_arn);
  add("Type", fields.type);
  return out;
}

// Owns the private key and the certificate's encodings; immutable once made, so
// any thread may sign at once (OpenSSL allows concurrent use of a read-only key).
struct SigningKey::Impl {
  KeyPtr key;
  std::string certificate_pem;
  std::string certificate_id;

  static Result<std::unique_ptr<Impl>, Error> make(KeyPtr key, X509* cert) {
    BioPtr bio(BIO_new(BIO_s_mem()));
    unsigned char* der = nullptr;
    int der_size = i2d_X509(cert, &der);
    if (!bio || PEM_write_bio_X509(bio.get(), cert) != 1 || der_size <= 0) {
      OPENSSL_free(der);
      return storage_error("cannot encode the signing certificate: " + openssl_error());
    }
    auto impl = std::make_unique<Impl>();
    impl->key = std::move(key);
    impl->certificate_pem = bio_contents(bio.get());
    impl->certificate_id =
        to_hex(sha256(std::string_view(reinterpret_cast<char*>(der), size_t(der_size)))).substr(0, 32);
    OPENSSL_free(der);
    return impl;
  }
};

SigningKey::SigningKey(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SigningKey::~SigningKey() = default;

const std::string& SigningKey::certificate_pem() const { return impl_->certificate_pem; }
const std::string& SigningKey::certificate_id() const { return impl_->certificate_id; }

Result<std::unique_ptr<SigningKey>, Error> SigningKey::generate() {
  auto key = make_key();
  if (!key) return Failure<Error>{key.error()};
  auto cert = make_certificate(key->get());
  if (!cert) return Failure<Error>{cert.error()};
  auto impl = Impl::make(std::move(*key), cert->get());
  if (!impl) return Failure<Error>{impl.error()};
  return std::unique_ptr<SigningKey>(new SigningKey(std::move(*impl)));
}

Result<std::unique_ptr<SigningKey>, Error> SigningKey::load_or_create(const std::string& directory) {
  std::error_code ec;
  fs::create_directories(directory, ec);
  if (ec) return storage_error("cannot create " + directory + ": " + ec.message());
  const fs::path key_path = fs::path(directory) / kKeyFile;
  const fs::path cert_path = fs::path(directory) / kCertFile;
  const bool have_key = fs::exists(key_path, ec);
  if (ec) return storage_error("cannot look for " + key_path.string() + ": " + ec.message());
  const bool have_cert = fs::exists(cert_path, ec);
  if (ec) return storage_error("cannot look for " + cert_path.string() + ": " + ec.message());
  // Receivers may have pinned the certificate: never replace one whose key is gone.
  if (have_cert && !have_key) {
    return storage_error(cert_path.string() + " has no key beside it: restore " + key_path.string() +
                         ", or remove both files to make a new key");
  }

  // The key is written first, so a crash can leave a key without its certificate
  // but never the reverse.
  KeyPtr key;
  if (have_key) {
    auto pem = read_file(key_path);
    if (!pem) return Failure<Error>{pem.error()};
    auto parsed = parse_key(*pem, key_path);
    OPENSSL_cleanse(pem->data(), pem->size());
    if (!parsed) return Failure<Error>{parsed.error()};
    key = std::move(*parsed);
  } else {
    auto made = make_key();
    if (!made) return Failure<Error>{made.error()};
    key = std::move(*made);
    if (auto written = write_key(key_path, key.get()); !written) return Failure<Error>{written.error()};
  }

  CertPtr cert;
  if (have_cert) {
    auto pem = read_file(cert_path);
    if (!pem) return Failure<Error>{pem.error()};
    auto parsed = parse_certificate(*pem, cert_path);
    if (!parsed) return Failure<Error>{parsed.error()};
    cert = std::move(*parsed);
    if (X509_check_private_key(cert.get(), key.get()) != 1) {
      openssl_error();
      return storage_error(cert_path.string() + " does not certify the key in " + key_path.string());
    }
  } else {
    // A new certificate for an existing key keeps every signature it made verifiable.
    auto made = make_certificate(key.get());
    if (!made) return Failure<Error>{made.error()};
    cert = std::move(*made);
  }
  auto impl = Impl::make(std::move(key), cert.get());
  if (!impl) return Failure<Error>{impl.error()};
  if (!have_cert) {
    auto written = write_file_atomically(cert_path, (*impl)->certificate_pem, 0644);
    if (!written) return Failure<Error>{written.error()};
  }
  return std::unique_ptr<SigningKey>(new SigningKey(std::move(*impl)));
}

std::string SigningKey::sign(std::string_view canonical, int signature_version) const {
  // Any other version has no algorithm: an empty signature, which every receiver refuses.
  const EVP_MD* md = signature_version == 1 ? EVP_sha1() : signature_version == 2 ? EVP_sha256() : nullptr;
  if (md == nullptr) return {};
  std::unique_ptr<EVP_MD_CTX, Free<EVP_MD_CTX_free>> ctx(EVP_MD_CTX_new());
  size_t size = 0;
  // RSA keys sign with PKCS#1 v1.5 padding unless told otherwise.
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, md, nullptr, impl_->key.get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &size, reinterpret_cast<const unsigned char*>(canonical.data()),
                     canonical.size()) != 1) {
    openssl_error();
    return {};
  }
  std::string signature(size, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &size,
                     reinterpret_cast<const unsigned char*>(canonical.data()), canonical.size()) != 1) {
    openssl_error();
    return {};
  }
  signature.resize(size);
  return base64_encode(signature);
}

}  // namespace sluice::topic
