// Several downloaders of one file feed each other through their schedulers
// (docs/SWARM.md#3-piece-selection), in virtual time.
#include <gtest/gtest.h>

#include <cstdio>

#include "unit/p2p/swarm/swarm_net.hpp"

namespace edgehub::p2p::swarm::sim {
namespace {

NetSetup one_seeder_and_downloaders(int downloaders) {
  NetSetup setup;
  setup.nodes.push_back({"seeder", 100e6 / 8, false});
  for (int i = 1; i <= downloaders; ++i) setup.nodes.push_back({"d" + std::to_string(i), 100e6 / 8, true});
  return setup;
}

// The seeder must send every chunk at least once: size / its uplink is the
// best any downloader can do. Without feeding each other, N downloaders
// would share the seeder and need N times that.
void expect_fed(int n, double slack) {
  NetSetup setup = one_seeder_and_downloaders(n);
  const double ideal = static_cast<double>(setup.file_size) / setup.nodes[0].uplink;
  NetResult r = SwarmNet(setup).run();
  ASSERT_EQ(r.finished_at.size(), static_cast<std::size_t>(n));
  for (const auto& [name, at] : r.finished_at) {
    const auto& from = r.bytes_from[name];
    std::uint64_t others = 0;
    for (const auto& [peer, bytes] : from) others += peer == "seeder" ? 0 : bytes;
    const double share = static_cast<double>(others) / static_cast<double>(setup.file_size);
    std::printf(
        "[net] %d downloaders, 1 seeder, all 100 Mbit/s: %s done at %.2f s (seeder-bound ideal %.2f s), "
        "%.0f%% from other downloaders\n",
        n, name.c_str(), at, ideal, 100 * share);
    EXPECT_LE(at, ideal * slack) << name;
    EXPECT_GE(share, 0.3) << name;
  }
}

TEST(SwarmNet, TwoDownloadersFeedEachOther) { expect_fed(2, 1.3); }

TEST(SwarmNet, FourDownloadersFeedEachOther) { expect_fed(4, 1.4); }

}  // namespace
}  // namespace edgehub::p2p::swarm::sim
