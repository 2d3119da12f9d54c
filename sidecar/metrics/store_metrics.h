#pragma once
// The embedded store's group commit, computed at scrape time:
//   sluice_store_commits_total  batches the engines asked to commit
//   sluice_store_writes_total   RocksDB writes they were merged into
//   sluice_store_syncs_total    fsyncs of the write-ahead log
// commits / syncs is the mean group size: how many acknowledgements share an fsync.

#include <memory>

namespace prometheus {
class Collectable;
}
namespace sluice::storage {
class RocksStore;
}

namespace sluice::metrics {

std::shared_ptr<prometheus::Collectable> make_store_collector(const storage::RocksStore& store);

}  // namespace sluice::metrics
