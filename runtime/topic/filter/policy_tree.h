#pragma once
// A parsed filter policy as a tree the matchers walk: what the JSON policy says,
// with the keys resolved and every condition compiled.
//
//   {"store": ["example_corp"], "$or": [{"a": [1]}, {"b": {"c": [2]}}]}
//   root: children store -> [exact "example_corp"]
//         any_of [ node(children a -> [1]), node(children b -> node(children c -> [2])) ]
//
// In attribute scope the root's children are attribute names and hold
// conditions only. In body scope a child is one step of a path into the body:
// keys are split at '.', so {"a.b": ...} and {"a": {"b": ...}} are the same path
// (AWS matches both against {"a": {"b": ...}} and {"a.b": ...} alike).

#include <string>
#include <vector>

#include "runtime/topic/filter/condition.h"

namespace sluice::topic::filter {

struct Node {
  std::string key;  // the attribute name or path step this node is under; "" for the root
  // The value here matches one of these; empty when no condition ends here.
  std::vector<Condition> conditions;
  // Keys below this one, in the policy's order; a key set twice keeps its last conditions.
  std::vector<Node> children;
  // "$or": the node matches only if, for each group, one of its nodes matches here too.
  std::vector<std::vector<Node>> any_of;

  bool empty() const { return conditions.empty() && children.empty() && any_of.empty(); }

  Node& child(const std::string& name) {
    for (Node& c : children)
      if (c.key == name) return c;
    Node& added = children.emplace_back();
    added.key = name;
    return added;
  }
};

}  // namespace sluice::topic::filter
