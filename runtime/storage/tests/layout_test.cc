// LAYOUT.md and key_space.h name the same record kinds with the same tag bytes,
// so the document cannot drift from the code (LevelDB's log_format.md rule).

#include "runtime/storage/key_space.h"

#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>

namespace sluice::storage {
namespace {

TEST(Layout, TheDocumentListsEveryTagOfTheRegistry) {
  std::ifstream in(SLUICE_LAYOUT_MD);
  ASSERT_TRUE(in) << SLUICE_LAYOUT_MD;
  // Table rows of the tag table: | `Q` | ...
  std::set<char> documented;
  const std::regex row(R"(^\| `(.)` \|.*)");
  std::smatch m;
  for (std::string line; std::getline(in, line);)
    if (std::regex_match(line, m, row)) documented.insert(m[1].str()[0]);
  std::set<char> registered;
  for (const auto& t : kTags) EXPECT_TRUE(registered.insert(char(t.tag)).second) << "tag used twice: " << char(t.tag);
  EXPECT_EQ(documented, registered);
}

}  // namespace
}  // namespace sluice::storage
