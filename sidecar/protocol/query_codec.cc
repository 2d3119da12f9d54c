#include "sidecar/protocol/query_codec.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <set>

namespace sluice::protocol {
namespace {

using json = nlohmann::json;
using Type = Shape::Type;

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A member's query/XML name: its own locationName, else its shape's, else the
// member name (botocore reads shape.serialization the same way).
std::string serialized_name(const ShapeRef& ref, const std::string& member) {
  if (!ref.location_name.empty()) return ref.location_name;
  if (!ref.shape->location_name.empty()) return ref.shape->location_name;
  return member;
}

std::string join(const std::string& prefix, const std::string& name) {
  return prefix.empty() ? name : prefix + "." + name;
}

// Indices N of keys that start with "<base>.N" (N >= 1), ascending.
std::vector<int> indices_under(const FormParams& params, const std::string& base) {
  std::set<int> found;
  const std::string head = base + ".";
  for (const auto& [key, value] : params) {
    if (key.compare(0, head.size(), head) != 0) continue;
    const char* begin = key.data() + head.size();
    const char* end = key.data() + key.size();
    int n = 0;
    auto [ptr, ec] = std::from_chars(begin, end, n);
    if (ec == std::errc() && n >= 1 && (ptr == end || *ptr == '.')) found.insert(n);
  }
  return {found.begin(), found.end()};
}

AwsError bad_value(const std::string& name, const std::string& value, const char* what) {
  return invalid_parameter_value("Value " + value + " for parameter " + name + " is invalid. Reason: must be " +
                                 what + ".");
}

std::optional<AwsError> decode(const ShapeRef& ref, const std::string& prefix, const FormParams& params,
                               json& out, bool& present);

std::optional<AwsError> decode_structure(const Shape& shape, const std::string& prefix, const FormParams& params,
                                         json& out, bool& present) {
  out = json::object();
  present = false;
  for (const auto& [name, mref] : shape.members) {
    json value;
    bool here = false;
    if (auto e = decode(mref, join(prefix, serialized_name(mref, name)), params, value, here)) return e;
    if (here) {
      out[name] = std::move(value);
      present = true;
    }
  }
  return std::nullopt;
}

std::optional<AwsError> decode(const ShapeRef& ref, const std::string& prefix, const FormParams& params, json& out,
                               bool& present) {
  const Shape& shape = *ref.shape;
  present = false;
  switch (shape.type) {
    case Type::structure:
      return decode_structure(shape, prefix, params, out, present);
    case Type::list: {
      std::string base;
      if (ref.flattened || shape.flattened) {
        base = prefix;
        if (!shape.member.location_name.empty()) {
          auto dot = prefix.rfind('.');
          base = (dot == std::string::npos ? "" : prefix.substr(0, dot + 1)) + shape.member.location_name;
        }
      } else {
        base = prefix + "." + (shape.member.location_name.empty() ? "member" : shape.member.location_name);
      }
      out = json::array();
      if (auto it = params.find(prefix); it != params.end() && it->second.empty()) present = true;  // "Name=" is []
      for (int i : indices_under(params, base)) {
        json element;
        bool here = false;
        if (auto e = decode(shape.member, base + "." + std::to_string(i), params, element, here)) return e;
        if (here) {
          out.push_back(std::move(element));
          present = true;
        }
      }
      return std::nullopt;
    }
    case Type::map: {
      const std::string base = (ref.flattened || shape.flattened) ? prefix : prefix + ".entry";
      const std::string key_name = shape.key.location_name.empty() ? "key" : shape.key.location_name;
      const std::string value_name = shape.value.location_name.empty() ? "value" : shape.value.location_name;
      out = json::object();
      for (int i : indices_under(params, base)) {
        const std::string entry = base + "." + std::to_string(i);
        auto k = params.find(entry + "." + key_name);
        if (k == params.end()) continue;
        json value;
        bool here = false;
        if (auto e = decode(shape.value, entry + "." + value_name, params, value, here)) return e;
        out[k->second] = here ? std::move(value) : json();
        present = true;
      }
      return std::nullopt;
    }
    default:
      break;
  }
  auto it = params.find(prefix);
  if (it == params.end()) return std::nullopt;
  const std::string& text = it->second;
  present = true;
  switch (shape.type) {
    case Type::integer:
    case Type::long_: {
      int64_t v = 0;
      auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
      if (ec != std::errc() || ptr != text.data() + text.size() || text.empty())
        return bad_value(prefix, text, "an integer");
      out = v;
      return std::nullopt;
    }
    case Type::boolean: {
      std::string lower(text);
      std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
      if (lower != "true" && lower != "false") return bad_value(prefix, text, "a boolean");
      out = lower == "true";
      return std::nullopt;
    }
    case Type::double_:
    case Type::float_: {
      double v = 0;
      auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
      if (ec != std::errc() || ptr != text.data() + text.size()) return bad_value(prefix, text, "a number");
      out = v;
      return std::nullopt;
    }
    default:
      out = text;  // strings, base64 blobs, timestamps
      return std::nullopt;
  }
}

// --- XML ---------------------------------------------------------------------------

void open_tag(std::string& out, const std::string& name) {
  out += '<';
  out += name;
  out += '>';
}
void close_tag(std::string& out, const std::string& name) {
  out += "</";
  out += name;
  out += '>';
}

void encode_value(std::string& out, const Shape& shape, const json& value);

void encode_member(std::string& out, const ShapeRef& ref, const std::string& member_name, const json& value) {
  const Shape& shape = *ref.shape;
  const bool flattened = ref.flattened || shape.flattened;
  if (shape.type == Type::list) {
    std::string name = serialized_name(ref, member_name);
    if (flattened) {
      if (!shape.member.location_name.empty()) name = shape.member.location_name;
      for (const auto& element : value) {
        open_tag(out, name);
        encode_value(out, *shape.member.shape, element);
        close_tag(out, name);
      }
      return;
    }
    const std::string item = shape.member.location_name.empty() ? "member" : shape.member.location_name;
    open_tag(out, name);
    for (const auto& element : value) {
      open_tag(out, item);
      encode_value(out, *shape.member.shape, element);
      close_tag(out, item);
    }
    close_tag(out, name);
    return;
  }
  if (shape.type == Type::map) {
    const std::string name = serialized_name(ref, member_name);
    const std::string key = shape.key.location_name.empty() ? "key" : shape.key.location_name;
    const std::string val = shape.value.location_name.empty() ? "value" : shape.value.location_name;
    if (!flattened) open_tag(out, name);
    for (const auto& [k, v] : value.items()) {
      open_tag(out, flattened ? name : "entry");
      open_tag(out, key);
      append_xml_escaped(out, k);
      close_tag(out, key);
      open_tag(out, val);
      encode_value(out, *shape.value.shape, v);
      close_tag(out, val);
      close_tag(out, flattened ? name : "entry");
    }
    if (!flattened) close_tag(out, name);
    return;
  }
  const std::string name = serialized_name(ref, member_name);
  open_tag(out, name);
  encode_value(out, shape, value);
  close_tag(out, name);
}

void encode_value(std::string& out, const Shape& shape, const json& value) {
  switch (shape.type) {
    case Type::structure:
      for (const auto& [name, mref] : shape.members) {
        auto it = value.find(name);
        if (it != value.end() && !it->is_null()) encode_member(out, mref, name, *it);
      }
      return;
    case Type::boolean:
      out += value.get<bool>() ? "true" : "false";
      return;
    default:
      if (value.is_string()) {
        append_xml_escaped(out, value.get_ref<const std::string&>());
      } else {
        out += value.dump();
      }
  }
}

}  // namespace

std::string url_decode(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%' && i + 2 < in.size() && hex_value(in[i + 1]) >= 0 && hex_value(in[i + 2]) >= 0) {
      out.push_back(char(hex_value(in[i + 1]) * 16 + hex_value(in[i + 2])));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

FormParams parse_form(std::string_view text) {
  FormParams params;
  while (!text.empty()) {
    auto amp = text.find('&');
    std::string_view pair = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view() : text.substr(amp + 1);
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    std::string key = url_decode(pair.substr(0, eq));
    std::string value = eq == std::string_view::npos ? std::string() : url_decode(pair.substr(eq + 1));
    params[std::move(key)] = std::move(value);
  }
  return params;
}

std::optional<AwsError> decode_query(const Shape& input, const FormParams& params, json& out) {
  bool present = false;
  return decode_structure(input, "", params, out, present);
}

void append_xml_escaped(std::string& out, std::string_view text) {
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      case '\r': out += "&#xD;"; break;
      default: out.push_back(c);
    }
  }
}

std::string encode_query_response(const ServiceModel& model, const Operation& op, const json& output,
                                  const std::string& request_id) {
  std::string out = "<?xml version=\"1.0\"?>\n<" + op.name + "Response xmlns=\"" + model.xml_namespace() + "\">";
  if (op.output) {
    open_tag(out, op.result_wrapper);
    encode_value(out, *op.output, output);
    close_tag(out, op.result_wrapper);
  }
  out += "<ResponseMetadata><RequestId>" + request_id + "</RequestId></ResponseMetadata>";
  close_tag(out, op.name + "Response");
  return out;
}

std::string encode_query_error(const ServiceModel& model, const AwsError& error, const std::string& request_id) {
  std::string out = "<?xml version=\"1.0\"?>\n<ErrorResponse xmlns=\"" + model.xml_namespace() + "\"><Error><Type>";
  out += error.sender ? "Sender" : "Receiver";
  out += "</Type><Code>";
  append_xml_escaped(out, error.code);
  out += "</Code><Message>";
  append_xml_escaped(out, error.message);
  out += "</Message><Detail/></Error><RequestId>" + request_id + "</RequestId></ErrorResponse>";
  return out;
}

}  // namespace sluice::protocol
