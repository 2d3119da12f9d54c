// Queue manifests standalone: the documented example loads unchanged, errors name
// the file, resource and field, dead-letter queues are applied first, and a
// directory with any error applies nothing.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "runtime/common/arn.h"
#include "runtime/common/testing/manual_scheduler.h"
#include "runtime/queue/queue_resource.h"
#include "runtime/storage/memory_store.h"
#include "sidecar/manifests/manifest_loader.h"

namespace sluice::manifests {
namespace {

namespace fs = std::filesystem;

class ManifestLoaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("sluice-manifests-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  void write(const std::string& name, const std::string& text) { std::ofstream(dir_ / name) << text; }
  LoadResult load(std::string fixed_account = "000000000000") {
    LoadOptions options{admin::AdminConfig{"us-east-1", fixed_account, "http://localhost:4566", "{}"},
                        {"WorkerAutoscaler"}};
    return load_manifests(dir_.string(), {&resources}, options);
  }
  queue::QueuePtr find(const std::string& account, const std::string& name) {
    return queues.find("us-east-1", account, name);
  }
  std::string errors(const LoadResult& r) {
    std::string out;
    for (auto& e : r.errors) out += e + "\n";
    return out;
  }

  fs::path dir_;
  ManualClock clock;
  sluice::testing::ManualScheduler scheduler{clock};
  storage::MemoryStore durable, memory;
  queue::QueueService queues{queue::QueueServiceOptions{}, durable, memory, clock, scheduler};
  queue::QueueResources resources{queues};
};

constexpr const char* kExample = R"(apiVersion: sluice.io/v1alpha1
kind: Queue
metadata: {name: orders, namespace: shop}
spec:
  visibilityTimeout: 30
  messageRetentionPeriod: 345600
  receiveMessageWaitTimeSeconds: 20
  redrivePolicy: {deadLetterTargetQueue: orders-dlq, maxReceiveCount: 5}
---
apiVersion: sluice.io/v1alpha1
kind: Queue
metadata: {name: ledger.fifo, namespace: shop}
spec: {fifoQueue: true, contentBasedDeduplication: true}
)";

constexpr const char* kDlq = R"(apiVersion: sluice.io/v1alpha1
kind: Queue
metadata: {name: orders-dlq, namespace: shop}
spec: {messageRetentionPeriod: 1209600}
)";

TEST_F(ManifestLoaderTest, TheDocumentedExampleLoadsWithItsDeadLetterQueue) {
  write("a-shop.yaml", kExample);
  write("b-dlq.yml", kDlq);
  auto r = load();
  ASSERT_TRUE(r.ok()) << errors(r);
  EXPECT_EQ(r.loaded.size(), 3u);
  auto orders = find("000000000000", "orders");
  ASSERT_TRUE(orders);
  auto attrs = orders->attributes();
  EXPECT_EQ(attrs.receive_message_wait_time_seconds, 20);
  ASSERT_TRUE(attrs.redrive_policy);
  EXPECT_EQ(attrs.redrive_policy->dead_letter_target_arn, "arn:aws:sqs:us-east-1:000000000000:orders-dlq");
  EXPECT_TRUE(find("000000000000", "ledger.fifo")->fifo());
  // Loading again is idempotent.
  EXPECT_TRUE(load().ok());
}

TEST_F(ManifestLoaderTest, ErrorsNameTheFileTheResourceAndTheField) {
  write("bad.yaml", R"(apiVersion: sluice.io/v1alpha1
kind: Queue
metadata: {name: slow, namespace: shop}
spec: {visibilityTimeout: 50000}
)");
  auto r = load();
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].find("bad.yaml"), std::string::npos) << r.errors[0];
  EXPECT_NE(r.errors[0].find("Queue shop/slow"), std::string::npos) << r.errors[0];
  EXPECT_NE(r.errors[0].find("spec.visibilityTimeout"), std::string::npos) << r.errors[0];
}

TEST_F(ManifestLoaderTest, NothingIsAppliedWhenAnyDocumentIsWrong) {
  write("good.yaml", kDlq);
  write("bad.yaml", "apiVersion: sluice.io/v1alpha1\nkind: Topic\nmetadata: {name: t}\n");
  auto r = load();
  EXPECT_FALSE(r.ok());
  EXPECT_NE(errors(r).find("unsupported kind 'Topic' (this sidecar serves: Queue)"), std::string::npos) << errors(r);
  EXPECT_TRUE(queues.all().empty());
}

TEST_F(ManifestLoaderTest, ADeadLetterQueueOfTheOtherTypeIsRefusedBeforeAnythingIsApplied) {
  write("a.yaml", R"(apiVersion: sluice.io/v1alpha1
kind: Queue
metadata: {name: src.fifo}
spec: {redrivePolicy: {deadLetterTargetQueue: plain-dlq, maxReceiveCount: 3}}
---
apiVersion: sluice.io/v1alpha1
kind: Queue
metadata: {name: plain-dlq}
)");
  auto r = load();
  EXPECT_NE(errors(r).find("same type"), std::string::npos) << errors(r);
  EXPECT_TRUE(queues.all().empty());
}

TEST_F(ManifestLoaderTest, AnExistingQueueKeepsItsType) {
  write("a.yaml", kDlq);
  ASSERT_TRUE(load().ok());
  write("a.yaml",
        "apiVersion: sluice.io/v1alpha1\nkind: Queue\nmetadata: {name: orders-dlq, namespace: shop}\n"
        "spec: {durability: memory}\n");
  auto r = load();
  EXPECT_NE(errors(r).find("durability cannot change"), std::string::npos) << errors(r);
}

TEST_F(ManifestLoaderTest, OperatorOnlyKindsAreSkippedNotRefused) {
  write("a.yaml", std::string(kDlq) +
                      "---\napiVersion: sluice.io/v1alpha1\nkind: WorkerAutoscaler\n"
                      "metadata: {name: w, namespace: shop}\nspec: {maxReplicas: 3}\n");
  auto r = load();
  ASSERT_TRUE(r.ok()) << errors(r);
  EXPECT_EQ(r.loaded.size(), 1u);
  ASSERT_EQ(r.skipped.size(), 1u);
  EXPECT_EQ(r.skipped[0].resource, "WorkerAutoscaler shop/w");
}

TEST_F(ManifestLoaderTest, MissingDeadLetterQueuesAndDuplicatesAreReported) {
  write("a.yaml", R"(apiVersion: sluice.io/v1alpha1
kind: Queue
metadata: {name: orders}
spec: {redrivePolicy: {deadLetterTargetQueue: nowhere, maxReceiveCount: 3}}
---
apiVersion: sluice.io/v1alpha1
kind: Queue
metadata: {name: twin-a}
spec: {queueName: twin}
---
apiVersion: sluice.io/v1alpha1
kind: Queue
metadata: {name: twin-b}
spec: {queueName: twin}
)");
  auto r = load();
  std::string all = errors(r);
  EXPECT_NE(all.find("spec.redrivePolicy.deadLetterTargetQueue: Queue nowhere is not defined"), std::string::npos)
      << all;
  EXPECT_NE(all.find("Queue twin is also defined"), std::string::npos) << all;
  EXPECT_TRUE(queues.all().empty());
}

TEST_F(ManifestLoaderTest, RejectsBadYamlBadApiVersionsAndBadNames) {
  write("a.yaml", "apiVersion: v1\nkind: Queue\nmetadata: {name: x}\n");
  write("b.yaml", "{ not: yaml: at all");
  write("c.yaml", "apiVersion: sluice.io/v1alpha1\nkind: Queue\nmetadata: {name: Upper_Case}\n");
  auto r = load();
  EXPECT_EQ(r.errors.size(), 3u) << errors(r);
}

TEST_F(ManifestLoaderTest, NamespacesMapToTheirOwnAccountsWhenAsked) {
  write("a.yaml", kDlq);
  auto r = load("");
  ASSERT_TRUE(r.ok()) << errors(r);
  EXPECT_TRUE(find(account_for_namespace("shop"), "orders-dlq"));
}

}  // namespace
}  // namespace sluice::manifests
