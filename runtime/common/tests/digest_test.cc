#include "runtime/common/digest.h"

#include <gtest/gtest.h>

namespace sluice {
namespace {

TEST(Digest, Md5MatchesKnownVector) {
  EXPECT_EQ(to_hex(md5("hello world")), "5eb63bbbe01eeed093cb22bb8f5acdc3");
  EXPECT_EQ(to_hex(md5("")), "d41d8cd98f00b204e9800998ecf8427e");
}

TEST(Digest, IncrementalMd5EqualsOneShot) {
  Md5Builder b;
  b.update("hello ");
  b.update("world");
  EXPECT_EQ(b.finish(), md5("hello world"));
}

TEST(Digest, Sha256MatchesKnownVector) {
  EXPECT_EQ(to_hex(sha256("hello world")), "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9");
}

}  // namespace
}  // namespace sluice
