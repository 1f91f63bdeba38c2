// Which version a name query gets, and what the asker sees
// (docs/SWARM.md#searchfile-searchchunk-swarmget).
#include "hub/p2p/swarm_versions.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace edgehub::hub {
namespace {

using protocol::StatusCode;

// A version whose root starts with the bytes of root_start.
SwarmVersion version(std::vector<unsigned char> root_start, std::vector<SwarmHolder> holders) {
  auto m = std::make_shared<SwarmManifest>();
  m->size = 100;
  m->chunk_size = 16384;
  m->chunks.resize(1);
  std::copy(root_start.begin(), root_start.end(), m->root.begin());
  return {m, std::move(holders)};
}

std::string root_head(const SwarmVersion& v) { return v.manifest->root_hex().substr(0, 4); }

TEST(SwarmVersions, MostHoldersFirstThenMostChunksThenLowestRoot) {
  std::vector<SwarmVersion> v{
      version({0x30}, {{"a", 5}}), version({0x10}, {{"a", 1}, {"b", 1}}),
      version({0x20}, {{"a", 3}}), version({0x05}, {{"a", 5}}),
      version({0x01}, {}),
  };
  sort_versions(v);
  ASSERT_EQ(v.size(), 4u) << "a version nobody visible holds is left out";
  EXPECT_EQ(root_head(v[0]), "1000");
  EXPECT_EQ(root_head(v[1]), "0500");
  EXPECT_EQ(root_head(v[2]), "3000");
  EXPECT_EQ(root_head(v[3]), "2000");
}

TEST(SwarmVersions, VisibleHoldersLeaveOutTheAskerTheHiddenAndTheEmpty) {
  const auto seen = visible_holders({{"me", 9}, {"blocker", 9}, {"empty", 0}, {"b", 2}, {"a", 2}, {"c", 7}}, "me",
                                    [](const std::string& h) { return h == "blocker"; });
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0].device, "c");
  EXPECT_EQ(seen[1].device, "a");
  EXPECT_EQ(seen[2].device, "b");
}

TEST(SwarmVersions, PrefixChoosesOneVersionOrSaysWhy) {
  std::vector<SwarmVersion> v{version({0xab, 0xcd, 0x01}, {{"a", 1}}), version({0xab, 0xcd, 0x02}, {{"b", 1}})};
  EXPECT_EQ(root_head(*choose_version(v, {"f", ""}).version), "abcd");
  EXPECT_EQ(choose_version(v, {"f", "abcd01"}).version->manifest->root[2], 0x01);
  const auto ambiguous = choose_version(v, {"f", "abcd"});
  EXPECT_EQ(ambiguous.refusal->code, StatusCode::Conflict);
  EXPECT_EQ(ambiguous.refusal->text, "abcd matches several versions of f");
  EXPECT_EQ(choose_version(v, {"f", "ffff"}).refusal->text, "f@ffff is not available");
  EXPECT_EQ(choose_version({}, {"f", ""}).refusal->code, StatusCode::NotFound);
}

TEST(SwarmVersions, QueriesSplitAtTheLastAt) {
  EXPECT_EQ(split_version_query("my file@abcd").name, "my file");
  EXPECT_EQ(split_version_query("my file@abcd").root_prefix, "abcd");
  EXPECT_EQ(split_version_query("plain").root_prefix, "");
  EXPECT_TRUE(root_prefix_problem("abcd").empty());
  EXPECT_FALSE(root_prefix_problem("abc").empty());
  EXPECT_FALSE(root_prefix_problem("ABCD").empty());
  EXPECT_FALSE(root_prefix_problem(std::string(65, 'a')).empty());
}

TEST(SwarmVersions, VersionLine) {
  const auto v = version({0xff}, {{"alice", 3}, {"bob", 1}});
  EXPECT_EQ(version_line(v), v.manifest->root_hex() + " 100 16384 1 alice:3,bob:1");
}

TEST(SwarmVersions, AVersionLineListsAtMostTheFirstThousandHolders) {
  std::vector<SwarmHolder> many;
  for (int i = 0; i < 1500; ++i)
    many.push_back({"device-with-a-name-of-32-bytes" + std::to_string(i % 10) + "x", 65536});
  const std::string line = version_line(version({0x01}, many));
  EXPECT_EQ(std::count(line.begin(), line.end(), ','), 999);
  EXPECT_LT(line.size(), 64u * 1024);
}

}  // namespace
}  // namespace edgehub::hub
