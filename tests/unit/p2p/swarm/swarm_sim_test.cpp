// Drives DownloadScheduler through a simulated swarm in virtual time and
// checks the download reaches the seeders' summed uplink
// (docs/SWARM.md#3-piece-selection).
#include <gtest/gtest.h>

#include <cstdio>

#include "unit/p2p/swarm/swarm_sim.hpp"

namespace edgehub::p2p::swarm::sim {
namespace {

SimSetup seeders_at(const std::vector<double>& mbits) {
  SimSetup setup;
  for (std::size_t i = 0; i < mbits.size(); ++i) {
    setup.seeders.push_back({"seeder" + std::to_string(i), mbit(mbits[i])});
  }
  return setup;
}

double summed_rate(const SimSetup& setup) {
  double sum = 0;
  for (const auto& s : setup.seeders) sum += s.bytes_per_second;
  return sum;
}

void report(const char* name, const SimResult& r, double ideal) {
  std::printf(
      "[sim] %s: %.3f s, ideal %.3f s (%.1f%% of summed uplink), %llu requests (%llu duplicate, %llu cancelled), "
      "longest %u chunks, %.1f MiB received twice\n",
      name, r.seconds, ideal, 100 * ideal / r.seconds, static_cast<unsigned long long>(r.requests),
      static_cast<unsigned long long>(r.duplicate_requests), static_cast<unsigned long long>(r.cancelled),
      r.longest_request, static_cast<double>(r.duplicate_bytes) / (1 << 20));
  for (const auto& [peer, bytes] : r.bytes_from) {
    std::printf("[sim]   %s: %.1f MiB\n", peer.c_str(), static_cast<double>(bytes) / (1 << 20));
  }
}

void expect_near_ideal(const char* name, const SimSetup& setup, double ideal) {
  SimResult r = SwarmSim(setup).run();
  report(name, r, ideal);
  ASSERT_TRUE(r.complete);
  EXPECT_GE(r.seconds, ideal * 0.999);
  EXPECT_LE(r.seconds, ideal * 1.10) << name;
}

TEST(SwarmSim, OneSeederAt100Mbit) {
  SimSetup setup = seeders_at({100});
  expect_near_ideal("1 x 100 Mbit/s", setup, static_cast<double>(setup.file_size) / summed_rate(setup));
}

TEST(SwarmSim, FourEqualSeeders) {
  SimSetup setup = seeders_at({100, 100, 100, 100});
  expect_near_ideal("4 x 100 Mbit/s", setup, static_cast<double>(setup.file_size) / summed_rate(setup));
}

TEST(SwarmSim, EightEqualSeeders) {
  SimSetup setup = seeders_at({100, 100, 100, 100, 100, 100, 100, 100});
  expect_near_ideal("8 x 100 Mbit/s", setup, static_cast<double>(setup.file_size) / summed_rate(setup));
}

TEST(SwarmSim, UnequalSeeders) {
  SimSetup setup = seeders_at({200, 100, 50, 25});
  expect_near_ideal("200/100/50/25 Mbit/s", setup, static_cast<double>(setup.file_size) / summed_rate(setup));
}

// Ideal with a seeder killed at half-time: full capacity until then, the
// rest at the capacity that remains.
TEST(SwarmSim, SeederKilledHalfway) {
  SimSetup setup = seeders_at({100, 100, 100, 100});
  const double full = summed_rate(setup);
  const double kill = static_cast<double>(setup.file_size) / full / 2;
  setup.seeders[1].killed_at = kill;
  const double ideal =
      kill + (static_cast<double>(setup.file_size) - full * kill) / (full - setup.seeders[1].bytes_per_second);
  expect_near_ideal("4 x 100 Mbit/s, one killed at half-time", setup, ideal);
}

TEST(SwarmSim, FastestSeederKilledHalfwayWithUnequalUplinks) {
  SimSetup setup = seeders_at({200, 100, 50, 25});
  const double full = summed_rate(setup);
  const double kill = static_cast<double>(setup.file_size) / full / 2;
  setup.seeders[0].killed_at = kill;
  const double ideal =
      kill + (static_cast<double>(setup.file_size) - full * kill) / (full - setup.seeders[0].bytes_per_second);
  expect_near_ideal("200/100/50/25 Mbit/s, 200 killed at half-time", setup, ideal);
}

// Robustness: the same goals when rates wander, requests take a WAN round
// trip to start, or a seeder slows down to a tenth mid-way (its rate
// estimate lags; the endgame must not wait for it).
TEST(SwarmSim, UnequalSeedersWithJitteryRates) {
  SimSetup setup = seeders_at({200, 100, 50, 25});
  setup.jitter = 0.4;
  expect_near_ideal("200/100/50/25 Mbit/s, +-40% jitter", setup,
                    static_cast<double>(setup.file_size) / summed_rate(setup));
}

TEST(SwarmSim, FourSeedersAcrossAWan) {
  SimSetup setup = seeders_at({100, 100, 100, 100});
  setup.request_latency = 0.05;
  expect_near_ideal("4 x 100 Mbit/s, 50 ms request latency", setup,
                    static_cast<double>(setup.file_size) / summed_rate(setup));
}

TEST(SwarmSim, SeederSlowsDownHalfway) {
  SimSetup setup = seeders_at({100, 100, 100, 100});
  const double full = summed_rate(setup);
  const double at = static_cast<double>(setup.file_size) / full / 2;
  setup.seeders[2].slows_at = at;
  setup.seeders[2].slow_rate = mbit(10);
  const double ideal = at + (static_cast<double>(setup.file_size) - full * at) / (full - mbit(90));
  expect_near_ideal("4 x 100 Mbit/s, one down to 10 at half-time", setup, ideal);
}

TEST(SwarmSim, SmallFileFromFourSeeders) {
  SimSetup setup = seeders_at({100, 100, 100, 100});
  setup.file_size = 20 * 1000;
  setup.chunk_size = 16 * 1024;
  SimResult r = SwarmSim(setup).run();
  ASSERT_TRUE(r.complete);
  EXPECT_EQ(r.bytes_from.size(), 2u);  // two chunks, from two different seeders
  EXPECT_LT(r.seconds, 0.05);
}

}  // namespace
}  // namespace edgehub::p2p::swarm::sim
