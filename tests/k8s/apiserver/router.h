#pragma once
// Parses a request target the way Kubernetes' RequestInfoFactory does: API prefix,
// group, version, namespace, resource, name, subresource and verb. Pure, so request
// recording and tests can use it too.

#include <map>
#include <string>
#include <vector>

namespace sluice::test_apiserver {

struct RequestInfo {
  bool resource_request = false;
  std::string path;  // decoded, without the query
  std::string raw_query;
  std::map<std::string, std::string> query;  // decoded; the last value wins
  std::vector<std::string> parts;            // decoded path segments
  std::string verb;        // get list watch create update patch delete deletecollection; else the lower-case method
  std::string api_prefix;  // "api" or "apis"
  std::string group;
  std::string version;
  std::string ns;
  std::string resource;
  std::string subresource;
  std::string name;
  bool deprecated_watch_path = false;  // /apis/g/v/watch/...
  bool too_many_parts = false;         // e.g. proxy paths: not served
};

RequestInfo parse_request_info(const std::string& method, const std::string& target);

std::string url_decode(const std::string& s, bool plus_is_space);

}  // namespace sluice::test_apiserver
