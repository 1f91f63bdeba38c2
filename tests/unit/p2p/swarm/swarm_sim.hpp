#pragma once
// A virtual-time swarm for DownloadScheduler (docs/SWARM.md#3-piece-selection):
// seeders with fixed uplinks serve the scheduler's requests, each seeder
// sharing its uplink equally between the requests it is serving (as its
// concurrent EHT transfers do), chunks of a request in order, after a
// request latency (REQUEST + SYN). Nothing depends on the machine's speed.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "p2p/swarm/download_scheduler.hpp"

namespace edgehub::p2p::swarm::sim {

struct SimSeeder {
  std::string name;
  double bytes_per_second = 0;
  double killed_at = -1;  // seconds; < 0: never
  double slows_at = -1;   // seconds; from then on it sends at slow_rate
  double slow_rate = 0;
};

struct SimSetup {
  std::uint64_t file_size = 256ull << 20;
  std::uint32_t chunk_size = 256 * 1024;
  std::vector<SimSeeder> seeders;
  double request_latency = 0.002;  // s from sending a request to its first byte
  double tick = 0.1;               // s between timer calls of next_requests
  double peer_list_delay = 2.0;    // s until a killed seeder leaves swarmpeers
  double transport_give_up = 5.0;  // s until a request to a dead seeder fails
  // Each seeder's rate is multiplied by a factor drawn uniformly from
  // [1 - jitter, 1 + jitter], a new one every tick (cross traffic).
  double jitter = 0;
  std::uint64_t seed = 1;
  double time_limit = 600;
};

struct SimResult {
  bool complete = false;
  double seconds = 0;
  std::uint64_t requests = 0;
  std::uint64_t duplicate_requests = 0;
  std::uint64_t cancelled = 0;
  std::uint64_t duplicate_bytes = 0;
  std::uint32_t longest_request = 0;
  std::map<std::string, std::uint64_t> bytes_from;
  std::map<std::string, std::uint32_t> requests_to;
};

class SwarmSim {
 public:
  explicit SwarmSim(const SimSetup& setup)
      : setup_(setup), sched_(setup.file_size, setup.chunk_size, HaveSet(chunk_count()), config(setup)) {
    for (const auto& s : setup.seeders) sched_.update_peer_all(s.name, 0);
  }

  static SchedulerConfig config(const SimSetup& setup) {
    SchedulerConfig c;
    c.seed = setup.seed;
    return c;
  }

  std::uint32_t chunk_count() const {
    return static_cast<std::uint32_t>((setup_.file_size + setup_.chunk_size - 1) / setup_.chunk_size);
  }

  SimResult run() {
    issue();
    while (!sched_.complete() && now_ < setup_.time_limit) step();
    SimResult r;
    r.complete = sched_.complete();
    r.seconds = now_;
    r.requests = sched_.stats().requests;
    r.duplicate_requests = sched_.stats().duplicate_requests;
    r.cancelled = sched_.stats().cancelled;
    r.duplicate_bytes = sched_.stats().duplicate_bytes;
    r.longest_request = longest_;
    for (const auto& c : sched_.contributions()) r.bytes_from[c.peer] = c.bytes;
    r.requests_to = requests_to_;
    return r;
  }

  DownloadScheduler& scheduler() { return sched_; }

 private:
  struct Active {
    PeerRequest req;
    double starts = 0;  // first byte may flow from here
    std::uint32_t next = 0;
    double into_chunk = 0;
    double fails_at = std::numeric_limits<double>::infinity();
  };

  Micros micros() const { return static_cast<Micros>(std::llround(now_ * 1e6)); }
  std::uint32_t len(std::uint32_t chunk) const {
    const std::uint64_t start = std::uint64_t{chunk} * setup_.chunk_size;
    return static_cast<std::uint32_t>(std::min<std::uint64_t>(setup_.chunk_size, setup_.file_size - start));
  }
  const SimSeeder& seeder(const std::string& name) const {
    return *std::find_if(setup_.seeders.begin(), setup_.seeders.end(), [&](auto& s) { return s.name == name; });
  }
  bool alive(const SimSeeder& s) const { return s.killed_at < 0 || now_ < s.killed_at; }

  void issue() {
    for (auto& req : sched_.next_requests(micros())) {
      Active a{req, now_ + setup_.request_latency};
      if (!alive(seeder(req.peer))) a.fails_at = now_ + setup_.transport_give_up;
      longest_ = std::max(longest_, req.count);
      ++requests_to_[req.peer];
      active_.push_back(a);
    }
  }

  // Requests being served by this seeder now.
  std::size_t serving(const std::string& name) const {
    return static_cast<std::size_t>(std::count_if(active_.begin(), active_.end(), [&](const Active& a) {
      return a.req.peer == name && a.starts <= now_ + 1e-12;
    }));
  }

  double uplink(const SimSeeder& s) const {
    double rate = s.slows_at >= 0 && now_ >= s.slows_at - 1e-12 ? s.slow_rate : s.bytes_per_second;
    if (setup_.jitter > 0) {
      // A deterministic draw per (seeder, tick): the same run every time.
      const auto period = static_cast<std::uint64_t>(std::floor(now_ / setup_.tick + 1e-9));
      std::uint64_t x =
          setup_.seed * 0x9e3779b97f4a7c15ull ^ (period * 0xbf58476d1ce4e5b9ull) ^ std::hash<std::string>{}(s.name);
      x = (x ^ (x >> 31)) * 0x94d049bb133111ebull;
      const double unit = static_cast<double>(x >> 11) / static_cast<double>(1ull << 53);
      rate *= 1 - setup_.jitter + 2 * setup_.jitter * unit;
    }
    return rate;
  }

  double share(const Active& a) const {
    const SimSeeder& s = seeder(a.req.peer);
    if (!alive(s) || a.starts > now_ + 1e-12) return 0;
    return uplink(s) / static_cast<double>(serving(a.req.peer));
  }

  double next_event() const {
    double t = std::floor(now_ / setup_.tick + 1e-9) * setup_.tick + setup_.tick;
    for (const auto& s : setup_.seeders) {
      if (s.killed_at > now_) t = std::min(t, s.killed_at);
      if (s.slows_at > now_) t = std::min(t, s.slows_at);
      if (s.killed_at >= 0 && s.killed_at + setup_.peer_list_delay > now_)
        t = std::min(t, s.killed_at + setup_.peer_list_delay);
    }
    for (const auto& a : active_) {
      if (a.starts > now_) t = std::min(t, a.starts);
      t = std::min(t, a.fails_at);
      const double rate = share(a);
      if (rate > 0) t = std::min(t, now_ + (len(a.req.first_chunk + a.next) - a.into_chunk) / rate);
    }
    return std::max(t, now_ + 1e-7);
  }

  void step() {
    const double t = next_event();
    for (auto& a : active_) a.into_chunk += share(a) * (t - now_);
    now_ = t;
    for (auto& a : active_) {
      const SimSeeder& s = seeder(a.req.peer);
      if (!alive(s)) a.fails_at = std::min(a.fails_at, s.killed_at + setup_.transport_give_up);
    }
    for (const auto& s : setup_.seeders) {
      if (s.killed_at >= 0 && std::abs(s.killed_at + setup_.peer_list_delay - now_) < 1e-9) {
        for (RequestId id : sched_.remove_peer(s.name)) drop(id);
      }
    }
    deliver();
    for (std::size_t i = 0; i < active_.size();) {
      if (active_[i].fails_at <= now_ + 1e-9) {
        sched_.on_request_failed(active_[i].req.id, micros());
        active_.erase(active_.begin() + static_cast<std::ptrdiff_t>(i));
      } else {
        ++i;
      }
    }
    issue();
  }

  void deliver() {
    for (std::size_t i = 0; i < active_.size(); ++i) {
      Active& a = active_[i];
      const std::uint32_t chunk = a.req.first_chunk + a.next;
      if (a.next >= a.req.count || a.into_chunk + 1e-6 < len(chunk)) continue;
      const PeerRequest req = a.req;
      a.into_chunk = 0;
      ++a.next;
      const bool ended = a.next == req.count;
      ChunkDoneResult done = sched_.on_chunk_done(req.peer, chunk, len(chunk), micros());
      if (ended) sched_.on_request_finished(req.id, micros());
      for (RequestId id : done.cancel) drop(id);
      if (ended) drop(req.id);
      i = static_cast<std::size_t>(-1);  // the list may have changed: rescan
    }
  }

  void drop(RequestId id) {
    std::erase_if(active_, [&](const Active& a) { return a.req.id == id; });
  }

  SimSetup setup_;
  DownloadScheduler sched_;
  std::vector<Active> active_;
  double now_ = 0;
  std::uint32_t longest_ = 0;
  std::map<std::string, std::uint32_t> requests_to_;
};

inline double mbit(double m) { return m * 1e6 / 8; }

}  // namespace edgehub::p2p::swarm::sim
