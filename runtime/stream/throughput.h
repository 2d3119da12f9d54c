#pragma once
// AWS's per-shard throughput limits, for streams in fidelity mode: a token
// bucket per limit, refilled continuously, holding at most one second of rate.
// Byte buckets may go into debt (a 10 MiB read is served, and the shard's reads
// are refused until the debt is paid, as on AWS); count buckets may not.

#include <algorithm>
#include <cstdint>

#include "runtime/common/clock.h"

namespace sluice::stream {

class TokenBucket {
 public:
  explicit TokenBucket(double per_second) : rate_(per_second), level_(per_second) {}

  // Whether `amount` may pass now; if so it is taken.
  bool take(TimeMs now, double amount, bool allow_debt = false) {
    refill(now);
    if (allow_debt ? level_ <= 0 : level_ < amount) return false;
    level_ -= amount;
    return true;
  }
  // Charges what was used without asking (bytes read, known only afterwards).
  void charge(TimeMs now, double amount) {
    refill(now);
    level_ -= amount;
  }

 private:
  void refill(TimeMs now) {
    if (now > last_) level_ = std::min(rate_, level_ + rate_ * double(now - last_) / 1000.0);
    last_ = std::max(last_, now);
  }

  double rate_;
  double level_;
  TimeMs last_ = 0;
};

// The limits of one shard (docs.aws.amazon.com/streams/latest/dev/service-sizes-and-limits.html).
struct ShardLimits {
  TokenBucket write_bytes{1024.0 * 1024.0};
  TokenBucket write_records{1000.0};
  TokenBucket read_bytes{2.0 * 1024.0 * 1024.0};
  TokenBucket read_calls{5.0};
};

}  // namespace sluice::stream
