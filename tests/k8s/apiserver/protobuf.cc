#include "tests/k8s/apiserver/protobuf.h"

#include <cstdint>
#include <functional>

namespace sluice::test_apiserver {

namespace {

struct Field {
  uint32_t number = 0;
  uint32_t wire = 0;
  uint64_t varint = 0;
  std::string_view bytes;
};

class Reader {
 public:
  explicit Reader(std::string_view data) : d_(data) {}
  bool done() const { return pos_ >= d_.size(); }

  bool next(Field& f, std::string& error) {
    uint64_t tag;
    if (!varint(tag)) return fail(error, "truncated tag");
    f = Field{};
    f.number = static_cast<uint32_t>(tag >> 3);
    f.wire = static_cast<uint32_t>(tag & 7);
    switch (f.wire) {
      case 0:
        if (!varint(f.varint)) return fail(error, "truncated varint");
        return true;
      case 1:
        if (pos_ + 8 > d_.size()) return fail(error, "truncated fixed64");
        pos_ += 8;
        return true;
      case 2: {
        uint64_t len;
        if (!varint(len) || pos_ + len > d_.size()) return fail(error, "truncated length-delimited field");
        f.bytes = d_.substr(pos_, len);
        pos_ += len;
        return true;
      }
      case 5:
        if (pos_ + 4 > d_.size()) return fail(error, "truncated fixed32");
        pos_ += 4;
        return true;
      default:
        return fail(error, "unsupported wire type " + std::to_string(f.wire));
    }
  }

 private:
  bool varint(uint64_t& out) {
    out = 0;
    for (int shift = 0; shift < 64 && pos_ < d_.size(); shift += 7) {
      auto b = static_cast<uint8_t>(d_[pos_++]);
      out |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) return true;
    }
    return false;
  }
  static bool fail(std::string& error, std::string why) {
    error = std::move(why);
    return false;
  }

  std::string_view d_;
  size_t pos_ = 0;
};

using Handler = std::function<bool(const Field&, std::string&)>;

bool parse(std::string_view data, const char* message, const Handler& h, std::string& error) {
  Reader r(data);
  Field f;
  while (!r.done()) {
    if (!r.next(f, error)) return false;
    if (!h(f, error)) {
      if (error.empty()) {
        error = std::string("field ") + std::to_string(f.number) + " of " + message +
                " is not supported by the Sluice test API server's protobuf decoder; send JSON";
      }
      return false;
    }
  }
  return true;
}

bool want(const Field& f, uint32_t wire, std::string& error) {
  if (f.wire == wire) return true;
  error = "field " + std::to_string(f.number) + " has wire type " + std::to_string(f.wire);
  return false;
}

// map<string, string|bytes> entry {key=1, value=2}.
bool map_entry(const Field& f, Json& map, bool base64, std::string& error) {
  if (!want(f, 2, error)) return false;
  std::string key, value;
  bool ok = parse(
      f.bytes, "map entry",
      [&](const Field& e, std::string& err) {
        if (!want(e, 2, err)) return false;
        if (e.number == 1) key = e.bytes;
        else if (e.number == 2) value = e.bytes;
        else return false;
        return true;
      },
      error);
  if (!ok) return false;
  map[key] = base64 ? base64_encode(value) : value;
  return true;
}

bool time_of(const Field& f, Json& out, std::string& error) {
  if (!want(f, 2, error)) return false;
  int64_t seconds = 0;
  bool ok = parse(
      f.bytes, "Time",
      [&](const Field& e, std::string& err) {
        if (e.number == 1 && want(e, 0, err)) seconds = static_cast<int64_t>(e.varint);
        else if (e.number != 2) return false;
        return true;
      },
      error);
  if (ok) out = rfc3339(Clock::from_time_t(static_cast<std::time_t>(seconds)));
  return ok;
}

bool owner_reference(std::string_view data, Json& out, std::string& error) {
  out = Json::object();
  return parse(
      data, "OwnerReference",
      [&](const Field& e, std::string& err) {
        static const char* kStrings[] = {nullptr, "kind", nullptr, "name", "uid", "apiVersion"};
        if (e.number >= 1 && e.number <= 5 && kStrings[e.number] && want(e, 2, err)) {
          out[kStrings[e.number]] = std::string(e.bytes);
        } else if ((e.number == 6 || e.number == 7) && want(e, 0, err)) {
          out[e.number == 6 ? "controller" : "blockOwnerDeletion"] = e.varint != 0;
        } else {
          return false;
        }
        return true;
      },
      error);
}

bool object_meta(std::string_view data, Json& meta, std::string& error) {
  meta = Json::object();
  return parse(
      data, "ObjectMeta",
      [&](const Field& f, std::string& err) {
        switch (f.number) {
          case 1:
          case 2:
          case 3:
          case 5:
          case 6: {
            static const char* kNames[] = {nullptr, "name", "generateName",   "namespace",
                                           nullptr, "uid",  "resourceVersion"};
            if (!want(f, 2, err)) return false;
            if (!f.bytes.empty()) meta[kNames[f.number]] = std::string(f.bytes);
            return true;
          }
          case 4:         // selfLink
          case 9:         // deletionTimestamp
          case 10:        // deletionGracePeriodSeconds
            return true;  // server-managed: the API server ignores them on writes too
          case 7:
            if (!want(f, 0, err)) return false;
            if (f.varint) meta["generation"] = static_cast<int64_t>(f.varint);
            return true;
          case 8: {
            Json ignored;  // creationTimestamp is set by the server
            return time_of(f, ignored, err);
          }
          case 17:
            if (!f.bytes.empty()) {
              err = "managedFields in protobuf bodies are not supported by the Sluice test API server; send JSON";
              return false;
            }
            return true;
          case 11:
            return map_entry(f, object_member(meta, "labels"), false, err);
          case 12:
            return map_entry(f, object_member(meta, "annotations"), false, err);
          case 13: {
            if (!want(f, 2, err)) return false;
            Json ref;
            if (!owner_reference(f.bytes, ref, err)) return false;
            meta["ownerReferences"].push_back(ref);
            return true;
          }
          case 14:
            if (!want(f, 2, err)) return false;
            meta["finalizers"].push_back(std::string(f.bytes));
            return true;
          default:
            return false;
        }
      },
      error);
}

bool decode_secret(std::string_view raw, Json& obj, std::string& error) {
  return parse(
      raw, "Secret",
      [&](const Field& f, std::string& err) {
        switch (f.number) {
          case 1:
            return want(f, 2, err) && object_meta(f.bytes, obj["metadata"], err);
          case 2:
            return map_entry(f, object_member(obj, "data"), true, err);
          case 3:
            if (!want(f, 2, err)) return false;
            if (!f.bytes.empty()) obj["type"] = std::string(f.bytes);
            return true;
          case 4:
            return map_entry(f, object_member(obj, "stringData"), false, err);
          case 5:
            if (!want(f, 0, err)) return false;
            obj["immutable"] = f.varint != 0;
            return true;
          default:
            return false;
        }
      },
      error);
}

bool decode_config_map(std::string_view raw, Json& obj, std::string& error) {
  return parse(
      raw, "ConfigMap",
      [&](const Field& f, std::string& err) {
        switch (f.number) {
          case 1:
            return want(f, 2, err) && object_meta(f.bytes, obj["metadata"], err);
          case 2:
            return map_entry(f, object_member(obj, "data"), false, err);
          case 3:
            return map_entry(f, object_member(obj, "binaryData"), true, err);
          case 4:
            if (!want(f, 0, err)) return false;
            obj["immutable"] = f.varint != 0;
            return true;
          default:
            return false;
        }
      },
      error);
}

bool decode_namespace(std::string_view raw, Json& obj, std::string& error) {
  return parse(
      raw, "Namespace",
      [&](const Field& f, std::string& err) {
        switch (f.number) {
          case 1:
            return want(f, 2, err) && object_meta(f.bytes, obj["metadata"], err);
          case 2:  // NamespaceSpec {finalizers=1}
            if (!want(f, 2, err)) return false;
            return parse(
                f.bytes, "NamespaceSpec",
                [&](const Field& s, std::string& e2) {
                  if (s.number != 1 || !want(s, 2, e2)) return false;
                  obj["spec"]["finalizers"].push_back(std::string(s.bytes));
                  return true;
                },
                err);
          case 3:  // NamespaceStatus: ignored on create, as the server sets it
            return want(f, 2, err);
          default:
            return false;
        }
      },
      error);
}

bool decode_delete_options(std::string_view raw, Json& obj, std::string& error) {
  return parse(
      raw, "DeleteOptions",
      [&](const Field& f, std::string& err) {
        switch (f.number) {
          case 1:
            if (!want(f, 0, err)) return false;
            obj["gracePeriodSeconds"] = static_cast<int64_t>(f.varint);
            return true;
          case 2:
            if (!want(f, 2, err)) return false;
            return parse(
                f.bytes, "Preconditions",
                [&](const Field& p, std::string& e2) {
                  if ((p.number != 1 && p.number != 2) || !want(p, 2, e2)) return false;
                  obj["preconditions"][p.number == 1 ? "uid" : "resourceVersion"] = std::string(p.bytes);
                  return true;
                },
                err);
          case 3:
            if (!want(f, 0, err)) return false;
            obj["orphanDependents"] = f.varint != 0;
            return true;
          case 4:
            if (!want(f, 2, err)) return false;
            obj["propagationPolicy"] = std::string(f.bytes);
            return true;
          case 5:
            if (!want(f, 2, err)) return false;
            obj["dryRun"].push_back(std::string(f.bytes));
            return true;
          default:
            return false;
        }
      },
      error);
}

}  // namespace

Result<Json, std::string> decode_k8s_protobuf(std::string_view body) {
  if (body.size() < 4 || body.substr(0, 4) != std::string_view("k8s\0", 4)) {
    return Failure(std::string("protobuf body lacks the k8s\\0 magic prefix"));
  }
  std::string api_version, kind, encoding, error;
  std::string_view raw;
  bool ok = parse(
      body.substr(4), "runtime.Unknown",
      [&](const Field& f, std::string& err) {
        if (!want(f, 2, err)) return false;
        switch (f.number) {
          case 1:
            return parse(
                f.bytes, "TypeMeta",
                [&](const Field& t, std::string& e2) {
                  if (!want(t, 2, e2)) return false;
                  if (t.number == 1) api_version = t.bytes;
                  else if (t.number == 2) kind = t.bytes;
                  else return false;
                  return true;
                },
                err);
          case 2:
            raw = f.bytes;
            return true;
          case 3:
            encoding = f.bytes;
            return true;
          case 4:
            return true;
          default:
            return false;
        }
      },
      error);
  if (!ok) return Failure(error);
  if (!encoding.empty()) return Failure("protobuf contentEncoding \"" + encoding + "\" is not supported");
  Json obj = {{"apiVersion", api_version}, {"kind", kind}};
  bool decoded;
  if (api_version == "v1" && kind == "Secret") {
    decoded = decode_secret(raw, obj, error);
  } else if (api_version == "v1" && kind == "ConfigMap") {
    decoded = decode_config_map(raw, obj, error);
  } else if (api_version == "v1" && kind == "Namespace") {
    decoded = decode_namespace(raw, obj, error);
  } else if (kind == "DeleteOptions") {
    decoded = decode_delete_options(raw, obj, error);
  } else {
    return Failure("protobuf bodies of " + (api_version.empty() ? std::string("?") : api_version) + " " +
                   (kind.empty() ? std::string("?") : kind) +
                   " are not supported by the Sluice test API server (only v1 Namespace, Secret, ConfigMap and "
                   "DeleteOptions); send application/json");
  }
  if (!decoded) return Failure(kind + ": " + error);
  if (!obj.contains("metadata") && kind != "DeleteOptions") obj["metadata"] = Json::object();
  return obj;
}

}  // namespace sluice::test_apiserver
