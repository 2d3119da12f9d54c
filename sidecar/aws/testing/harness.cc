#include "sidecar/aws/testing/harness.h"

#include <memory>
#include <optional>

#include "runtime/common/text.h"
#include "sidecar/protocol/query_codec.h"

namespace sluice::aws::testing {
namespace {

std::string xml_text(const std::string& xml, const std::string& tag) {
  auto open = xml.find("<" + tag + ">");
  if (open == std::string::npos) return "";
  auto start = open + tag.size() + 2;
  auto close = xml.find("</" + tag + ">", start);
  return close == std::string::npos ? "" : xml.substr(start, close - start);
}

}  // namespace

std::string Reply::header(const std::string& name) const {
  for (const auto& [k, v] : headers)
    if (k == name) return v;
  return "";
}

Harness::Harness(std::vector<Service*> services, EndpointOptions options, std::function<void()> pump)
    : services_(services), endpoint_(std::move(services), std::move(options), nullptr), pump_(std::move(pump)) {}

std::string Harness::form(const Params& params) {
  std::string out;
  for (const auto& [k, v] : params) out += (out.empty() ? "" : "&") + url_encode(k) + "=" + url_encode(v);
  return out;
}

std::string Harness::authorization(const Identity& who, const std::string& service) {
  return "AWS4-HMAC-SHA256 Credential=" + who.access_key + "/20251203/" + who.region + "/" + service +
         "/aws4_request, SignedHeaders=host;x-amz-date, Signature=0000";
}

Reply Harness::call(const std::string& action, const nlohmann::json& input, const Identity& who) {
  const auto& model = services_.at(0)->model();
  server::HttpRequest req;
  req.method = "POST";
  req.path = "/";
  req.headers = {{"host", "localhost:4566"},
                 {"content-type", "application/x-amz-json-" + model.json_version()},
                 {"x-amz-target", model.target_prefix() + "." + action},
                 {"authorization", authorization(who, model.signing_name())}};
  req.body = input.dump();
  return raw(std::move(req));
}

Reply Harness::query(const std::string& action, const Params& params, const Identity& who, const std::string& path) {
  const auto& model = services_.at(0)->model();
  Params all = {{"Action", action}, {"Version", model.api_version()}};
  all.insert(all.end(), params.begin(), params.end());
  server::HttpRequest req;
  req.method = "POST";
  req.path = path;
  req.headers = {{"host", "localhost:4566"},
                 {"content-type", "application/x-www-form-urlencoded"},
                 {"authorization", authorization(who, model.signing_name())}};
  req.body = form(all);
  return raw(std::move(req));
}

Reply Harness::raw(server::HttpRequest request) {
  auto slot = std::make_shared<std::optional<server::HttpResponse>>();
  endpoint_.handle(std::move(request), [slot](server::HttpResponse r) { *slot = std::move(r); });
  for (int i = 0; !*slot && pump_ && i < 1000; ++i) pump_();
  Reply out;
  if (!*slot) {
    out.code = "NoAnswer";
    return out;
  }
  server::HttpResponse& r = **slot;
  out.status = r.status;
  out.text = r.body;
  out.headers = r.headers;
  out.content_type = r.content_type;
  out.stream = r.stream;
  if (r.content_type.find("json") != std::string::npos) {
    out.body = nlohmann::json::parse(r.body, nullptr, false);
    if (r.status != 200 && out.body.is_object()) {
      if (auto q = out.header("x-amzn-query-error"); !q.empty()) {
        out.code = q.substr(0, q.find(';'));
      } else if (out.body.contains("__type")) {
        std::string type = out.body["__type"];
        out.code = type.substr(type.find('#') == std::string::npos ? 0 : type.find('#') + 1);
      } else if (out.body.contains("Error")) {
        out.code = out.body["Error"].value("Code", "");
      }
      out.message = out.body.contains("message")
                        ? out.body.value("message", "")
                        : out.body.value("Error", nlohmann::json::object()).value("Message", "");
    }
  } else if (r.status != 200) {
    out.code = xml_text(r.body, "Code");
    out.message = xml_text(r.body, "Message");
  }
  return out;
}

}  // namespace sluice::aws::testing
