// What a seeder offers: files by name and root, sharing a name again
// replaces it, and the tracker's tickets.
#include <gtest/gtest.h>

#include "client/p2p/swarm_shared.hpp"

namespace edgehub::client::swarm {
namespace {

std::shared_ptr<const p2p::swarm::Manifest> manifest_with_root(unsigned char first_byte) {
  auto m = std::make_shared<p2p::swarm::Manifest>();
  m->root[0] = first_byte;
  return m;
}

TEST(SharedFiles, ByNameAndRootSharingAgainReplaces) {
  SharedFiles files;
  files.put(SharedFile{"a.bin", "/x/a.bin", {10, 1}, manifest_with_root(1)});
  files.put(SharedFile{"b.bin", "/x/b.bin", {20, 2}, manifest_with_root(2)});
  const auto root1 = manifest_with_root(1)->root_hex();
  ASSERT_TRUE(files.by_root(root1));
  EXPECT_EQ(files.by_root(root1)->name, "a.bin");
  files.put(SharedFile{"a.bin", "/x/a.bin", {11, 3}, manifest_with_root(3)});  // the file changed
  EXPECT_FALSE(files.by_root(root1));
  EXPECT_EQ(files.by_name("a.bin")->stamp.size, 11u);
  EXPECT_TRUE(files.remove("a.bin"));
  EXPECT_FALSE(files.remove("a.bin"));
  EXPECT_EQ(files.names(), std::vector<std::string>{"b.bin"});
}

TEST(SharedFiles, TicketsComeAndGo) {
  SharedFiles files;
  const std::string root(64, 'a');
  files.add_ticket(TicketEvent{"bob", "t1", root});
  ASSERT_TRUE(files.ticket("t1"));
  EXPECT_EQ(files.ticket("t1")->asker, "bob");
  EXPECT_FALSE(files.ticket("t2"));
  files.drop_ticket("t1");
  EXPECT_FALSE(files.ticket("t1"));
}

TEST(SharedFiles, TicketsAreBounded) {
  SharedFiles files;
  const std::string root(64, 'a');
  for (std::size_t i = 0; i < SharedFiles::kMaxTickets + 10; ++i)
    files.add_ticket(TicketEvent{"bob", std::to_string(i), root});
  EXPECT_TRUE(files.ticket("0"));
  EXPECT_FALSE(files.ticket(std::to_string(SharedFiles::kMaxTickets + 5)));
}

TEST(SharedFiles, StampOfARegularFileOnly) {
  EXPECT_FALSE(stamp_if_file("/nonexistent/file"));
  EXPECT_FALSE(stamp_if_file("/tmp"));
}

}  // namespace
}  // namespace edgehub::client::swarm
