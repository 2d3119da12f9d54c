#include "tests/k8s/apiserver/table.h"

#include "tests/k8s/apiserver/jsonpath.h"

namespace sluice::test_apiserver {

namespace {

std::string age_of(const Json* timestamp, Clock::time_point now) {
  Clock::time_point t;
  if (!timestamp || !timestamp->is_string() || !parse_rfc3339(timestamp->get<std::string>(), t)) return "<unknown>";
  return human_duration(std::chrono::duration_cast<std::chrono::seconds>(now - t));
}

std::string plain(const Json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

// Built-in column forms beyond plain JSONPath: "{.a}/{.b}" and "#.data".
Json builtin_cell(const PrinterColumn& c, const Json& object) {
  const std::string& p = c.json_path;
  if (!p.empty() && p[0] == '#') {
    auto path = JsonPath::parse(p.substr(1));
    const Json* v = path.ok() ? path->first(object) : nullptr;
    return v && (v->is_object() || v->is_array()) ? v->size() : 0;
  }
  if (p.find("}/{") != std::string::npos) {
    std::string out;
    size_t i = 0;
    while (i < p.size()) {
      if (p[i] == '{') {
        size_t end = p.find('}', i);
        auto path = JsonPath::parse(p.substr(i + 1, end - i - 1));
        const Json* v = path.ok() ? path->first(object) : nullptr;
        out += v ? plain(*v) : "0";
        i = end + 1;
      } else {
        out += p[i++];
      }
    }
    return out;
  }
  auto path = JsonPath::parse(p);
  const Json* v = path.ok() ? path->first(object) : nullptr;
  if (v) return *v;
  return c.type == "integer" ? Json(0) : Json("<none>");
}

Json column_definition(const std::string& name, const std::string& type, const std::string& format,
                       const std::string& description, int priority) {
  return {{"name", name}, {"type", type}, {"format", format}, {"description", description}, {"priority", priority}};
}

}  // namespace

std::string human_duration(std::chrono::seconds d) {
  long long seconds = d.count();
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 60 * 2) return std::to_string(seconds) + "s";
  long long minutes = seconds / 60;
  if (minutes < 10) {
    long long s = seconds % 60;
    return s == 0 ? std::to_string(minutes) + "m" : std::to_string(minutes) + "m" + std::to_string(s) + "s";
  }
  if (minutes < 60 * 3) return std::to_string(minutes) + "m";
  long long hours = minutes / 60;
  if (hours < 8) {
    long long m = minutes % 60;
    return m == 0 ? std::to_string(hours) + "h" : std::to_string(hours) + "h" + std::to_string(m) + "m";
  }
  if (hours < 48) return std::to_string(hours) + "h";
  if (hours < 24 * 8) {
    long long h = hours % 24;
    return h == 0 ? std::to_string(hours / 24) + "d" : std::to_string(hours / 24) + "d" + std::to_string(h) + "h";
  }
  if (hours < 24 * 365 * 2) return std::to_string(hours / 24) + "d";
  if (hours < 24 * 365 * 8) {
    long long dy = (hours / 24) % 365;
    return dy == 0 ? std::to_string(hours / 24 / 365) + "y"
                   : std::to_string(hours / 24 / 365) + "y" + std::to_string(dy) + "d";
  }
  return std::to_string(hours / 24 / 365) + "y";
}

Json table_cells(const ResourceType& type, const Json& object, Clock::time_point now) {
  Json cells = Json::array();
  cells.push_back(string_at(object, {"metadata", "name"}));
  for (const auto& c : type.columns) {
    if (type.builtin) {
      cells.push_back(builtin_cell(c, object));
      continue;
    }
    auto path = JsonPath::parse(c.json_path);
    const Json* v = path.ok() ? path->first(object) : nullptr;
    if (!v) {
      cells.push_back(nullptr);
    } else if (c.type == "date") {
      cells.push_back(age_of(v, now));
    } else {
      cells.push_back(*v);
    }
  }
  if (type.builtin) cells.push_back(age_of(find_path(object, {"metadata", "creationTimestamp"}), now));
  return cells;
}

Json make_table(const ResourceType& type, const std::vector<Json>& objects, const std::string& resource_version,
                const std::string& include_object, Clock::time_point now) {
  Json columns = Json::array();
  columns.push_back(column_definition("Name", "string", "name",
                                      "Name must be unique within a namespace. More info: "
                                      "http://kubernetes.io/docs/user-guide/identifiers#names",
                                      0));
  for (const auto& c : type.columns) {
    columns.push_back(
        column_definition(c.name, c.type == "date" ? "date" : c.type, c.format, c.description, c.priority));
  }
  if (type.builtin) {
    columns.push_back(column_definition(
        "Age", "string", "",
        "CreationTimestamp is a timestamp representing the server time when this object was created.", 0));
  }
  Json rows = Json::array();
  for (const auto& o : objects) {
    Json row = {{"cells", table_cells(type, o, now)}};
    if (include_object == "Object") {
      row["object"] = o;
    } else if (include_object != "None") {
      row["object"] = {{"kind", "PartialObjectMetadata"},
                       {"apiVersion", "meta.k8s.io/v1"},
                       {"metadata", o.contains("metadata") ? o["metadata"] : Json::object()}};
    }
    rows.push_back(std::move(row));
  }
  return {{"kind", "Table"},
          {"apiVersion", "meta.k8s.io/v1"},
          {"metadata", {{"resourceVersion", resource_version}}},
          {"columnDefinitions", columns},
          {"rows", rows}};
}

}  // namespace sluice::test_apiserver
