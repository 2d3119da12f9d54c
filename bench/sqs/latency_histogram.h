#pragma once

// Log-linear latency histogram (HdrHistogram-like, 64 sub-buckets per power of
// two, so any percentile is within ~1.6% of the true value). Recording is an
// increment, so every request can be recorded on the hot path; one histogram per
// connection, merged at the end, keeps it lock-free.

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>

namespace sluice::bench {

class LatencyHistogram {
 public:
  void record(uint64_t nanos) {
    ++counts_[index_of(nanos)];
    ++total_;
  }

  void merge(const LatencyHistogram& other) {
    for (size_t i = 0; i < counts_.size(); ++i) counts_[i] += other.counts_[i];
    total_ += other.total_;
  }

  uint64_t count() const { return total_; }

  // Upper bound of the bucket holding the q-quantile (q in [0,1]), in nanoseconds.
  uint64_t percentile(double q) const {
    if (total_ == 0) return 0;
    uint64_t rank = static_cast<uint64_t>(q * static_cast<double>(total_ - 1)) + 1;
    uint64_t seen = 0;
    for (size_t i = 0; i < counts_.size(); ++i) {
      seen += counts_[i];
      if (seen >= rank) return upper_bound_of(i);
    }
    return upper_bound_of(counts_.size() - 1);
  }

 private:
  static constexpr unsigned kSubBits = 6;  // 64 sub-buckets per power of two
  static constexpr unsigned kSub = 1u << kSubBits;
  static constexpr unsigned kMaxExp = 40;  // up to ~1100 s in ns

  static size_t index_of(uint64_t v) {
    if (v < kSub) return v;
    unsigned exp = std::bit_width(v) - 1;  // >= kSubBits
    if (exp > kMaxExp) return (kMaxExp - kSubBits + 2) * kSub - 1;
    unsigned shift = exp - kSubBits;
    return (shift + 1) * kSub + ((v >> shift) - kSub);
  }

  static uint64_t upper_bound_of(size_t index) {
    if (index < kSub) return index;
    size_t shift = index / kSub - 1;
    uint64_t base = (static_cast<uint64_t>(index % kSub) + kSub) << shift;
    return base + ((uint64_t{1} << shift) - 1);
  }

  std::array<uint64_t, (kMaxExp - kSubBits + 2) * kSub> counts_{};
  uint64_t total_ = 0;
};

}  // namespace sluice::bench
