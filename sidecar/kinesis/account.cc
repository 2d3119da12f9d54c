// DescribeLimits, and the account-level settings of 2025 (minimum throughput
// billing commitment, warm throughput), which have nothing to bill here.
#include "sidecar/kinesis/actions.h"
#include "sidecar/kinesis/stream_lookup.h"

namespace sluice::kinesis {

void describe_limits(Kinesis& k, const aws::CallPtr& call) {
  const auto l = k.streams.limits(call->context().region, call->context().account);
  call->succeed({{"ShardLimit", l.shard_limit},
                 {"OpenShardCount", l.open_shards},
                 {"OnDemandStreamCount", l.on_demand_streams},
                 {"OnDemandStreamCountLimit", l.on_demand_limit}});
}

void describe_account_settings(Kinesis&, const aws::CallPtr& call) {
  call->succeed({{"MinimumThroughputBillingCommitment", {{"Status", "DISABLED"}}}});
}

// Billing commitments and warm throughput are about AWS's capacity planning and
// bills; Sluice has neither, and says so rather than pretend to store them.
void not_supported(Kinesis&, const aws::CallPtr& call) {
  call->fail({errc::unsupported, "",
              call->operation().name + " manages AWS billing and capacity commitments, which Sluice does not have.",
              std::nullopt});
}

}  // namespace sluice::kinesis
