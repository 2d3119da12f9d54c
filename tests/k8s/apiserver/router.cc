#include "tests/k8s/apiserver/router.h"

#include <algorithm>
#include <cctype>

namespace sluice::test_apiserver {

std::string url_decode(const std::string& s, bool plus_is_space) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

RequestInfo parse_request_info(const std::string& method, const std::string& target) {
  RequestInfo info;
  size_t q = target.find('?');
  std::string raw_path = target.substr(0, q);
  if (q != std::string::npos) {
    info.raw_query = target.substr(q + 1);
    size_t start = 0;
    while (start <= info.raw_query.size()) {
      size_t amp = info.raw_query.find('&', start);
      std::string kv = info.raw_query.substr(start, amp == std::string::npos ? std::string::npos : amp - start);
      start = amp == std::string::npos ? info.raw_query.size() + 1 : amp + 1;
      if (kv.empty()) continue;
      size_t eq = kv.find('=');
      std::string k = url_decode(kv.substr(0, eq), true);
      std::string v = eq == std::string::npos ? std::string() : url_decode(kv.substr(eq + 1), true);
      info.query[k] = v;
    }
  }
  size_t start = 0;
  while (start < raw_path.size()) {
    size_t slash = raw_path.find('/', start);
    std::string seg = raw_path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (!seg.empty()) info.parts.push_back(url_decode(seg, false));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  info.path = "/";
  for (size_t i = 0; i < info.parts.size(); ++i) info.path += (i ? "/" : "") + info.parts[i];

  std::string lower = method;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  info.verb = lower;

  std::vector<std::string> p = info.parts;
  if (p.empty() || (p[0] != "api" && p[0] != "apis")) return info;
  info.api_prefix = p[0];
  p.erase(p.begin());
  if (info.api_prefix == "apis") {
    if (p.size() < 3) return info;  // /apis, /apis/g, /apis/g/v: discovery
    info.group = p[0];
    info.version = p[1];
    p.erase(p.begin(), p.begin() + 2);
  } else {
    if (p.size() < 2) return info;  // /api, /api/v1
    info.version = p[0];
    p.erase(p.begin());
  }
  info.resource_request = true;
  if (!p.empty() && p[0] == "watch") {
    info.deprecated_watch_path = true;
    p.erase(p.begin());
  }
  if (p.size() >= 2 && p[0] == "namespaces") {
    info.ns = p[1];
    // namespaces/{name}/status and /finalize are subresources of the namespace itself.
    if (p.size() >= 3 && p[2] != "status" && p[2] != "finalize") {
      p.erase(p.begin(), p.begin() + 2);
    }
  }
  if (!p.empty()) info.resource = p[0];
  if (p.size() >= 2) info.name = p[1];
  if (p.size() >= 3) info.subresource = p[2];
  if (p.size() >= 4) info.too_many_parts = true;

  bool watch = info.deprecated_watch_path;
  if (auto it = info.query.find("watch"); it != info.query.end()) {
    const std::string& v = it->second;
    watch = watch || v == "1" || v == "t" || v == "T" || v == "TRUE" || v == "true" || v == "True";
  }
  if (lower == "get" || lower == "head") {
    info.verb = watch ? "watch" : info.name.empty() ? "list" : "get";
  } else if (lower == "post") {
    info.verb = "create";
  } else if (lower == "put") {
    info.verb = "update";
  } else if (lower == "patch") {
    info.verb = "patch";
  } else if (lower == "delete") {
    info.verb = info.name.empty() ? "deletecollection" : "delete";
  }
  return info;
}

}  // namespace sluice::test_apiserver
