#pragma once
// A service's wire model, read from the compact JSON that tools/gen_service_model.py
// derives from the botocore models: shapes (types, members, required lists,
// query/XML names), operations (input, output, result wrapper) and errors (query
// code, HTTP status, fault side). The protocol codecs walk it; handlers never do.

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::protocol {

struct Shape;

struct ShapeRef {
  const Shape* shape = nullptr;
  std::string location_name;  // query/XML name, when it differs from the member name
  bool flattened = false;
};

struct Shape {
  enum class Type { structure, list, map, string, integer, long_, boolean, blob, timestamp, double_, float_ };
  std::string name;
  Type type = Type::string;
  bool flattened = false;
  std::string location_name;
  std::vector<std::pair<std::string, ShapeRef>> members;  // structures, in model order
  std::vector<std::string> required;
  ShapeRef member;  // lists
  ShapeRef key;     // maps
  ShapeRef value;

  const ShapeRef* find_member(std::string_view name) const;
};

struct Operation {
  std::string name;
  const Shape* input = nullptr;
  const Shape* output = nullptr;
  std::string result_wrapper;
};

struct ErrorInfo {
  std::string code;  // query-protocol code, e.g. AWS.SimpleQueueService.NonExistentQueue
  int status = 400;
  bool sender = true;
};

// The wire protocols a model names (botocore's metadata.protocols).
enum class Protocol : uint8_t { query, json, rest_json, rest_xml, cbor };

class ServiceModel {
 public:
  // Parses the compact model; throws std::runtime_error on a malformed model
  // (a build-time input, so failing at start-up is right).
  static std::unique_ptr<ServiceModel> parse(std::string_view json_text);

  const std::string& service() const { return service_; }
  const std::string& api_version() const { return api_version_; }
  // The SigV4 credential scope's service: what routes a signed request here.
  const std::string& signing_name() const { return signing_name_; }
  // X-Amz-Target is "<target prefix>.<Operation>" (JSON protocol).
  const std::string& target_prefix() const { return target_prefix_; }
  // "1.0" or "1.1": the JSON protocol's Content-Type, application/x-amz-json-<version>.
  const std::string& json_version() const { return json_version_; }
  const std::string& xml_namespace() const { return xml_namespace_; }
  // Prefixed to an error's shape name in the JSON protocol's "__type".
  const std::string& error_namespace() const { return error_namespace_; }
  // JSON errors also carry the query code (x-amzn-query-error), for SDKs that map
  // them to the query protocol's exceptions (SQS).
  bool query_compatible() const { return query_compatible_; }
  bool speaks(Protocol p) const;
  const Operation* operation(std::string_view name) const;
  const ErrorInfo* error(std::string_view shape_name) const;
  const std::map<std::string, Operation, std::less<>>& operations() const { return operations_; }

 private:
  std::string service_, api_version_, signing_name_, target_prefix_, json_version_, xml_namespace_, error_namespace_;
  bool query_compatible_ = false;
  std::vector<Protocol> protocols_;
  std::map<std::string, std::unique_ptr<Shape>, std::less<>> shapes_;
  std::map<std::string, Operation, std::less<>> operations_;
  std::map<std::string, ErrorInfo, std::less<>> errors_;
};

}  // namespace sluice::protocol
