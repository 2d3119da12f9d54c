// JSON patch, RFC 6902: add, remove, replace, move, copy and test over JSON pointers.
#include "tests/k8s/apiserver/patch.h"

namespace sluice::test_apiserver {

namespace {

struct Pointer {
  std::vector<std::string> tokens;
};

bool parse_pointer(const std::string& text, Pointer& out) {
  out.tokens.clear();
  if (text.empty()) return true;
  if (text[0] != '/') return false;
  std::string cur;
  for (size_t i = 1; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == '/') {
      out.tokens.push_back(cur);
      cur.clear();
    } else if (text[i] == '~' && i + 1 < text.size() && (text[i + 1] == '0' || text[i + 1] == '1')) {
      cur += text[i + 1] == '0' ? '~' : '/';
      ++i;
    } else {
      cur += text[i];
    }
  }
  return true;
}

bool array_index(const std::string& tok, size_t size, bool allow_end, size_t& out) {
  if (allow_end && tok == "-") {
    out = size;
    return true;
  }
  if (tok.empty() || (tok.size() > 1 && tok[0] == '0')) return false;
  for (char c : tok) {
    if (c < '0' || c > '9') return false;
  }
  out = std::stoul(tok);
  return allow_end ? out <= size : out < size;
}

// The container holding the last token, or nullptr.
Json* parent_of(Json& doc, const Pointer& p) {
  Json* cur = &doc;
  for (size_t i = 0; i + 1 < p.tokens.size(); ++i) {
    const std::string& t = p.tokens[i];
    if (cur->is_object()) {
      auto it = cur->find(t);
      if (it == cur->end()) return nullptr;
      cur = &*it;
    } else if (cur->is_array()) {
      size_t idx;
      if (!array_index(t, cur->size(), false, idx)) return nullptr;
      cur = &(*cur)[idx];
    } else {
      return nullptr;
    }
  }
  return cur;
}

Json* resolve(Json& doc, const Pointer& p) {
  if (p.tokens.empty()) return &doc;
  Json* parent = parent_of(doc, p);
  if (!parent) return nullptr;
  const std::string& last = p.tokens.back();
  if (parent->is_object()) {
    auto it = parent->find(last);
    return it == parent->end() ? nullptr : &*it;
  }
  size_t idx;
  if (parent->is_array() && array_index(last, parent->size(), false, idx)) return &(*parent)[idx];
  return nullptr;
}

std::string missing(const std::string& op, const std::string& path) {
  return op + " operation does not apply: doc is missing path: \"" + path + "\": missing value";
}

bool add(Json& doc, const Pointer& p, Json value, std::string& err, const std::string& path) {
  if (p.tokens.empty()) {
    doc = std::move(value);
    return true;
  }
  Json* parent = parent_of(doc, p);
  if (!parent) {
    err = missing("add", path);
    return false;
  }
  if (parent->is_object()) {
    (*parent)[p.tokens.back()] = std::move(value);
    return true;
  }
  size_t idx;
  if (parent->is_array() && array_index(p.tokens.back(), parent->size(), true, idx)) {
    parent->insert(parent->begin() + static_cast<long>(idx), std::move(value));
    return true;
  }
  err = "add operation does not apply: doc is missing path: \"" + path + "\": invalid index";
  return false;
}

bool remove(Json& doc, const Pointer& p, std::string& err, const std::string& path, const std::string& op) {
  if (p.tokens.empty()) {
    err = op + " operation does not apply: cannot remove the document root";
    return false;
  }
  Json* parent = parent_of(doc, p);
  if (parent && parent->is_object() && parent->contains(p.tokens.back())) {
    parent->erase(p.tokens.back());
    return true;
  }
  size_t idx;
  if (parent && parent->is_array() && array_index(p.tokens.back(), parent->size(), false, idx)) {
    parent->erase(parent->begin() + static_cast<long>(idx));
    return true;
  }
  err = missing(op, path);
  return false;
}

}  // namespace

Result<Json, PatchError> json_patch(const Json& target, const Json& operations) {
  if (!operations.is_array()) {
    return Failure(PatchError{true, "json: cannot unmarshal object into Go value of type jsonpatch.Patch"});
  }
  Json doc = target;
  for (const auto& op : operations) {
    std::string name = string_at(op, {"op"});
    std::string path_text = string_at(op, {"path"});
    Pointer path;
    if (!op.is_object() || !find(op, "path") || !parse_pointer(path_text, path)) {
      return Failure(PatchError{true, "invalid JSON patch operation: " + op.dump()});
    }
    const Json* value = find(op, "value");
    std::string err;
    if (name == "add" || name == "replace") {
      if (!value) return Failure(PatchError{true, name + " operation has no value: " + op.dump()});
      if (name == "replace") {
        if (!resolve(doc, path)) return Failure(PatchError{false, missing("replace", path_text)});
        if (path.tokens.empty()) {
          doc = *value;
          continue;
        }
        *resolve(doc, path) = *value;
      } else if (!add(doc, path, *value, err, path_text)) {
        return Failure(PatchError{false, err});
      }
    } else if (name == "remove") {
      if (!remove(doc, path, err, path_text, "remove")) return Failure(PatchError{false, err});
    } else if (name == "move" || name == "copy") {
      std::string from_text = string_at(op, {"from"});
      Pointer from;
      if (!find(op, "from") || !parse_pointer(from_text, from)) {
        return Failure(PatchError{true, name + " operation has no valid from: " + op.dump()});
      }
      Json* src = resolve(doc, from);
      if (!src) return Failure(PatchError{false, missing(name, from_text)});
      Json moved = *src;
      if (name == "move") {
        if (path_text.rfind(from_text + "/", 0) == 0) {
          return Failure(PatchError{false, "move operation does not apply: from is a prefix of path"});
        }
        if (!remove(doc, from, err, from_text, "move")) return Failure(PatchError{false, err});
      }
      if (!add(doc, path, std::move(moved), err, path_text)) return Failure(PatchError{false, err});
    } else if (name == "test") {
      Json* cur = resolve(doc, path);
      Json expected = value ? *value : Json();
      if (!(cur ? *cur == expected : expected.is_null())) {
        return Failure(PatchError{false, "testing value " + path_text + " failed: test failed"});
      }
    } else {
      return Failure(PatchError{true, "Unexpected kind: " + name});
    }
  }
  return doc;
}

}  // namespace sluice::test_apiserver
