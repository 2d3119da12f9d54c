#include "runtime/topic/filter/wildcard.h"

#include <algorithm>
#include <set>
#include <utility>

namespace sluice::topic::filter {
namespace {

constexpr int kComplexityLimit = 10;
// Sets of live states explored before a field counts as too complex: enough for
// any pattern a person writes, and a bound on the work a hostile one can cause.
constexpr size_t kMaxExplored = 20000;

// One state of the automaton of a field's patterns.
struct State {
  std::vector<std::pair<uint8_t, int>> on_byte;  // transitions consuming that byte
  int star = -1;                                 // a '*' state reached without consuming
  bool loops = false;                            // a '*' state: stays on any byte
  int weight = 0;                                // patterns through this state
};

// The patterns of one field as one automaton, built and measured once while a
// policy is parsed, on the parsing thread.
class Automaton {
 public:
  Automaton() : states_(1) {}

  // As AWS's matcher sees a string value: between quotes. Patterns share their
  // states up to and including the first '*'; after it every pattern has its own.
  void add(const Wildcard& pattern) {
    std::vector<int16_t> tokens{'"'};
    tokens.insert(tokens.end(), pattern.tokens().begin(), pattern.tokens().end());
    tokens.push_back('"');
    int at = 0;
    bool shared = true;
    for (int16_t token : tokens) {
      int next = -1;
      if (token == Wildcard::kStar) {
        if (shared) next = states_[at].star;
        if (next < 0) {
          next = fresh();
          states_[next].loops = true;
          states_[at].star = next;
        }
        shared = false;
      } else {
        const auto byte = static_cast<uint8_t>(token);
        if (shared)
          for (auto [b, to] : states_[at].on_byte)
            if (b == byte) next = to;
        if (next < 0) {
          next = fresh();
          states_[at].on_byte.emplace_back(byte, next);
        }
      }
      ++states_[next].weight;
      at = next;
    }
  }

  // The heaviest set of states any input makes live at once, up to the limit
  // (anything over it reports as limit + 1).
  int heaviest() const {
    std::set<std::vector<int>> seen;
    std::vector<std::vector<int>> pending{closure({0})};
    int worst = 0;
    while (!pending.empty()) {
      const std::vector<int> live = std::move(pending.back());
      pending.pop_back();
      for (int byte : bytes_leaving(live)) {
        std::vector<int> next = step(live, byte);
        if (next.empty()) continue;
        int weight = 0;
        for (int s : next) weight += states_[s].weight;
        if (weight > kComplexityLimit) return kComplexityLimit + 1;
        worst = std::max(worst, weight);
        if (seen.insert(next).second) pending.push_back(std::move(next));
        if (seen.size() > kMaxExplored) return kComplexityLimit + 1;
      }
    }
    return worst;
  }

 private:
  int fresh() {
    states_.emplace_back();
    return static_cast<int>(states_.size() - 1);
  }

  std::vector<int> closure(std::vector<int> live) const {
    for (size_t i = 0; i < live.size(); ++i) {
      const int star = states_[live[i]].star;
      if (star >= 0 && std::find(live.begin(), live.end(), star) == live.end()) live.push_back(star);
    }
    std::sort(live.begin(), live.end());
    return live;
  }

  // -1 stands for every byte no live state has a transition on.
  std::vector<int> bytes_leaving(const std::vector<int>& live) const {
    std::vector<int> bytes{-1};
    for (int s : live)
      for (auto [b, to] : states_[s].on_byte) bytes.push_back(b);
    std::sort(bytes.begin(), bytes.end());
    bytes.erase(std::unique(bytes.begin(), bytes.end()), bytes.end());
    return bytes;
  }

  std::vector<int> step(const std::vector<int>& live, int byte) const {
    std::vector<int> next;
    for (int s : live) {
      if (states_[s].loops) next.push_back(s);
      for (auto [b, to] : states_[s].on_byte)
        if (b == byte) next.push_back(to);
    }
    std::sort(next.begin(), next.end());
    next.erase(std::unique(next.begin(), next.end()), next.end());
    return closure(std::move(next));
  }

  std::vector<State> states_;
};

}  // namespace

Result<Wildcard, std::string> Wildcard::parse(std::string_view pattern) {
  Wildcard w;
  for (size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '*') {
      if (i + 1 < pattern.size() && pattern[i + 1] == '*')
        return Failure{"Consecutive wildcard characters at pos " + std::to_string(i + 1)};
      w.tokens_.push_back(kStar);
    } else if (c == '\\') {
      if (i + 1 >= pattern.size() || (pattern[i + 1] != '*' && pattern[i + 1] != '\\'))
        return Failure{"Invalid escape character at pos " + std::to_string(i + 1)};
      w.tokens_.push_back(static_cast<uint8_t>(pattern[++i]));
    } else {
      w.tokens_.push_back(static_cast<uint8_t>(c));
    }
  }
  return w;
}

// Greedy, going back only to the last '*': linear in practice, and never worse
// than text length times pattern length.
bool Wildcard::matches(std::string_view text) const {
  size_t p = 0, t = 0;
  size_t star = std::string_view::npos, resume = 0;
  while (t < text.size()) {
    if (p < tokens_.size() && tokens_[p] == kStar) {
      star = p++;
      resume = t;
    } else if (p < tokens_.size() && tokens_[p] == static_cast<uint8_t>(text[t])) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < tokens_.size() && tokens_[p] == kStar) ++p;
  return p == tokens_.size();
}

bool within_wildcard_complexity(const std::vector<const Wildcard*>& patterns) {
  if (patterns.empty()) return true;
  Automaton automaton;
  for (const Wildcard* w : patterns) automaton.add(*w);
  return automaton.heaviest() <= kComplexityLimit;
}

}  // namespace sluice::topic::filter
