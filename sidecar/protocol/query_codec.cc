#include "sidecar/protocol/query_codec.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <vector>

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

AwsError bad_value(const std::string& name, const std::string& value, const char* what) {
  return invalid_parameter_value("Value " + value + " for parameter " + name + " is invalid. Reason: must be " + what +
                                 ".");
}

// AWS documents no code of its own for a repeated parameter; the common
// InvalidParameterValue (400) is the nearest.
AwsError repeated_parameter(const std::string& name) {
  return invalid_parameter_value("The parameter " + name + " was given more than once.");
}

AwsError too_many_parameters(size_t max_params) {
  return invalid_parameter_value("The request has more than " + std::to_string(max_params) + " parameters.");
}

// An index as the SDKs write it: decimal from 1, no sign, no leading zero, and no
// larger than kMaxFormParameters, since no client numbers past its entry count and
// a request cannot carry more entries than that.
bool parse_index(std::string_view digits, uint32_t& n) {
  if (digits.empty() || digits.size() > 9 || digits[0] == '0') return false;  // 9 digits cannot overflow
  n = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return false;
    n = n * 10 + uint32_t(c - '0');
  }
  return n <= kMaxFormParameters;
}

// The parameters a value is decoded from: all of them, or the run of one list
// element or map entry ("MessageAttribute.3" and "MessageAttribute.3.*"), which is
// contiguous in the sorted parameters. Every key a value is looked up by lies in
// its run, so a short run is searched in place (in cache, no long shared prefixes
// compared at every level of the tree) and a long one through the tree.
struct Span {
  static constexpr size_t kScanLimit = 16;
  const FormParams* all;
  FormParams::const_iterator begin, end;
  size_t size;

  static Span of(const FormParams& params) { return {&params, params.begin(), params.end(), params.size()}; }

  // The first parameter not before `key`, or one past the run; all->end() if none.
  FormParams::const_iterator lower_bound(std::string_view key) const {
    if (size > kScanLimit) return all->lower_bound(key);
    auto it = begin;
    while (it != end && it->first < key) ++it;
    return it == end ? all->end() : it;
  }
  FormParams::const_iterator find(std::string_view key) const {
    auto it = lower_bound(key);
    return it != all->end() && it->first == key ? it : all->end();
  }
};

struct Element {
  uint32_t index;
  Span span;
};

// The elements "<base>.N" (with their "<base>.N.*") in ascending N, or an error
// naming the first key under "<base>." whose N is malformed. One walk of the keys
// under "<base>.": those of one N are adjacent (a key that sorts between
// "<base>.1" and "<base>.1.x" has a malformed N), so each N is one run.
std::optional<AwsError> elements_under(const Span& span, const std::string& base, std::vector<Element>& out) {
  out.clear();
  const std::string head = base + ".";
  for (auto it = span.lower_bound(head); it != span.all->end() && it->first.starts_with(head); ++it) {
    const std::string_view rest = std::string_view(it->first).substr(head.size());
    uint32_t n = 0;
    if (!parse_index(rest.substr(0, rest.find('.')), n))
      return invalid_parameter_value("The index in parameter " + it->first +
                                     " is invalid. Reason: must be a whole number from 1 to " +
                                     std::to_string(kMaxFormParameters) + ", without a sign or leading zeros.");
    if (out.empty() || out.back().index != n) out.push_back({n, {span.all, it, it, 0}});
    out.back().span.end = std::next(it);
    ++out.back().span.size;
  }
  std::sort(out.begin(), out.end(), [](const Element& a, const Element& b) { return a.index < b.index; });
  return std::nullopt;
}

std::optional<AwsError> decode(const ShapeRef& ref, const std::string& prefix, const Span& params, json& out,
                               bool& present);

std::optional<AwsError> decode_structure(const Shape& shape, const std::string& prefix, const Span& params, json& out,
                                         bool& present) {
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

std::optional<AwsError> decode(const ShapeRef& ref, const std::string& prefix, const Span& params, json& out,
                               bool& present) {
  const Shape& shape = *ref.shape;
  const auto none = params.all->end();
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
      if (auto it = params.find(prefix); it != none && it->second.empty()) present = true;  // "Name=" is []
      std::vector<Element> elements;
      if (auto e = elements_under(params, base, elements)) return e;
      for (const Element& element : elements) {
        json value;
        bool here = false;
        if (auto e = decode(shape.member, base + "." + std::to_string(element.index), element.span, value, here))
          return e;
        if (here) {
          out.push_back(std::move(value));
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
      std::vector<Element> entries;
      if (auto e = elements_under(params, base, entries)) return e;
      for (const Element& element : entries) {
        const std::string entry = base + "." + std::to_string(element.index);
        auto k = element.span.find(entry + "." + key_name);
        if (k == none) continue;
        json value;
        bool here = false;
        if (auto e = decode(shape.value, entry + "." + value_name, element.span, value, here)) return e;
        out[k->second] = here ? std::move(value) : json();
        present = true;
      }
      return std::nullopt;
    }
    default:
      break;
  }
  auto it = params.find(prefix);
  if (it == none) return std::nullopt;
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
  size_t run = 0;  // start of the pending run of bytes copied as they are
  for (size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c == '+') {
      out.append(in, run, i - run).push_back(' ');
      run = i + 1;
    } else if (c == '%' && i + 2 < in.size() && hex_value(in[i + 1]) >= 0 && hex_value(in[i + 2]) >= 0) {
      out.append(in, run, i - run).push_back(char(hex_value(in[i + 1]) * 16 + hex_value(in[i + 2])));
      i += 2;
      run = i + 1;
    }
  }
  return out.append(in, run, in.size() - run);
}

std::optional<AwsError> parse_form(std::string_view text, FormParams& out, size_t max_params) {
  // Counted first, so that an over-limit request costs one scan and no allocation.
  size_t pairs = 0;
  for (size_t at = 0; at <= text.size();) {
    const size_t amp = std::min(text.find('&', at), text.size());
    pairs += amp > at;
    at = amp + 1;
  }
  if (pairs > max_params || out.size() > max_params - pairs) return too_many_parameters(max_params);
  while (!text.empty()) {
    auto amp = text.find('&');
    std::string_view pair = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view() : text.substr(amp + 1);
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    std::string key = url_decode(pair.substr(0, eq));
    std::string value = eq == std::string_view::npos ? std::string() : url_decode(pair.substr(eq + 1));
    // try_emplace leaves `key` alone when the key is already there.
    if (!out.try_emplace(std::move(key), std::move(value)).second) return repeated_parameter(key);
  }
  return std::nullopt;
}

std::optional<AwsError> merge_form(FormParams& into, FormParams&& from, size_t max_params) {
  if (from.size() > max_params || into.size() > max_params - from.size()) return too_many_parameters(max_params);
  into.merge(from);  // moves the entries whose keys `into` lacks; repeats stay behind in `from`
  if (!from.empty()) return repeated_parameter(from.begin()->first);
  return std::nullopt;
}

std::optional<AwsError> decode_query(const Shape& input, const FormParams& params, json& out) {
  bool present = false;
  return decode_structure(input, "", Span::of(params), out, present);
}

void append_xml_escaped(std::string& out, std::string_view text) {
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      case '\r':
        out += "&#xD;";
        break;
      default:
        out.push_back(c);
    }
  }
}

std::string encode_query_response(const ServiceModel& model, const Operation& op, const json& output,
                                  const std::string& request_id) {
  std::string out = "<?xml version=\"1.0\"?>\n<" + op.name + "Response xmlns=\"" + model.xml_namespace() + "\">";
  if (op.output) {
    open_tag(out, op.result_wrapper);
    const size_t empty = out.size();
    encode_value(out, *op.output, output);
    if (out.size() == empty) {
      out.insert(out.size() - 1, "/");  // an empty result as AWS writes it: <ReceiveMessageResult/>
    } else {
      close_tag(out, op.result_wrapper);
    }
  }
  out += "<ResponseMetadata><RequestId>" + request_id + "</RequestId></ResponseMetadata>";
  close_tag(out, op.name + "Response");
  return out;
}

std::string encode_query_error(const ServiceModel& model, const AwsError& error, const std::string& request_id) {
  // Errors no service claims (a wrong Version) have no namespace to name.
  std::string out = "<?xml version=\"1.0\"?>\n<ErrorResponse";
  if (!model.xml_namespace().empty()) out += " xmlns=\"" + model.xml_namespace() + "\"";
  out += "><Error><Type>";
  out += error.sender ? "Sender" : "Receiver";
  out += "</Type><Code>";
  append_xml_escaped(out, error.code);
  out += "</Code><Message>";
  append_xml_escaped(out, error.message);
  out += "</Message><Detail/></Error><RequestId>" + request_id + "</RequestId></ErrorResponse>";
  return out;
}

}  // namespace sluice::protocol
