#pragma once
// A virtual-time swarm with several downloaders (docs/SWARM.md#3-piece-selection):
// every node has an uplink shared equally by the requests it is serving;
// downloaders run their own DownloadScheduler, serve the chunks they have
// verified, and learn what the other downloaders hold only every
// `have_refresh` seconds (the client's `have` batches and its 2 s
// `swarmpeers` poll). Full seeders are known from the start.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "p2p/swarm/download_scheduler.hpp"

namespace edgehub::p2p::swarm::sim {

struct NetNode {
  std::string name;
  double uplink = 0;  // bytes/s
  bool downloader = false;
};

struct NetSetup {
  std::uint64_t file_size = 256ull << 20;
  std::uint32_t chunk_size = 256 * 1024;
  std::vector<NetNode> nodes;
  double request_latency = 0.002;
  double tick = 0.1;
  double have_refresh = 2.0;
  std::uint64_t seed = 1;
  double time_limit = 600;
};

struct NetResult {
  std::map<std::string, double> finished_at;                               // downloader → s
  std::map<std::string, std::map<std::string, std::uint64_t>> bytes_from;  // downloader → peer → bytes
};

class SwarmNet {
 public:
  explicit SwarmNet(const NetSetup& setup) : setup_(setup) {
    const auto count = static_cast<std::uint32_t>((setup.file_size + setup.chunk_size - 1) / setup.chunk_size);
    std::uint64_t seed = setup.seed;
    for (const auto& node : setup.nodes) {
      if (!node.downloader) continue;
      SchedulerConfig config;
      config.seed = seed++;
      auto d = std::make_unique<Downloader>(Downloader{
          node.name, DownloadScheduler(setup.file_size, setup.chunk_size, HaveSet(count), config), HaveSet(count)});
      for (const auto& other : setup.nodes) {
        if (!other.downloader) d->sched.update_peer_all(other.name, 0);
      }
      downloaders_.push_back(std::move(d));
    }
  }

  NetResult run() {
    issue();
    while (!all_done() && now_ < setup_.time_limit) step();
    NetResult r;
    for (const auto& d : downloaders_) {
      if (d->sched.complete()) r.finished_at[d->name] = d->finished_at;
      for (const auto& c : d->sched.contributions()) r.bytes_from[d->name][c.peer] = c.bytes;
    }
    return r;
  }

 private:
  struct Downloader {
    std::string name;
    DownloadScheduler sched;
    HaveSet verified;
    double finished_at = 0;
  };
  struct Active {
    Downloader* to = nullptr;
    PeerRequest req;
    double starts = 0;
    std::uint32_t next = 0;
    double into_chunk = 0;
  };

  Micros micros() const { return static_cast<Micros>(std::llround(now_ * 1e6)); }
  std::uint32_t len(std::uint32_t chunk) const {
    const std::uint64_t start = std::uint64_t{chunk} * setup_.chunk_size;
    return static_cast<std::uint32_t>(std::min<std::uint64_t>(setup_.chunk_size, setup_.file_size - start));
  }
  double uplink(const std::string& name) const {
    for (const auto& n : setup_.nodes) {
      if (n.name == name) return n.uplink;
    }
    return 0;
  }
  bool all_done() const {
    return std::all_of(downloaders_.begin(), downloaders_.end(), [](auto& d) { return d->sched.complete(); });
  }

  void issue() {
    for (auto& d : downloaders_) {
      for (auto& req : d->sched.next_requests(micros())) {
        active_.push_back(Active{d.get(), req, now_ + setup_.request_latency});
      }
    }
  }

  std::size_t serving(const std::string& name) const {
    return static_cast<std::size_t>(std::count_if(active_.begin(), active_.end(), [&](const Active& a) {
      return a.req.peer == name && a.starts <= now_ + 1e-12;
    }));
  }
  double share(const Active& a) const {
    if (a.starts > now_ + 1e-12) return 0;
    return uplink(a.req.peer) / static_cast<double>(serving(a.req.peer));
  }

  double next_event() const {
    double t = std::floor(now_ / setup_.tick + 1e-9) * setup_.tick + setup_.tick;
    for (const auto& a : active_) {
      if (a.starts > now_) t = std::min(t, a.starts);
      const double rate = share(a);
      if (rate > 0) t = std::min(t, now_ + (len(a.req.first_chunk + a.next) - a.into_chunk) / rate);
    }
    return std::max(t, now_ + 1e-7);
  }

  // Each downloader hears what the other downloaders hold, as the tracker
  // would list it (holders of at least one chunk).
  void refresh_haves() {
    for (auto& d : downloaders_) {
      for (auto& other : downloaders_) {
        if (other != d && other->verified.count() > 0) d->sched.update_peer(other->name, other->verified, micros());
      }
    }
  }

  void step() {
    const double t = next_event();
    for (auto& a : active_) a.into_chunk += share(a) * (t - now_);
    const bool refresh = std::floor(t / setup_.have_refresh + 1e-9) > std::floor(now_ / setup_.have_refresh + 1e-9);
    now_ = t;
    if (refresh) refresh_haves();
    deliver();
    issue();
  }

  void deliver() {
    for (std::size_t i = 0; i < active_.size(); ++i) {
      Active& a = active_[i];
      const std::uint32_t chunk = a.req.first_chunk + a.next;
      if (a.next >= a.req.count || a.into_chunk + 1e-6 < len(chunk)) continue;
      Downloader* d = a.to;
      const PeerRequest req = a.req;
      a.into_chunk = 0;
      ++a.next;
      const bool ended = a.next == req.count;
      ChunkDoneResult done = d->sched.on_chunk_done(req.peer, chunk, len(chunk), micros());
      d->verified.set(chunk);
      if (ended) d->sched.on_request_finished(req.id, micros());
      for (RequestId id : done.cancel) drop(d, id);
      if (ended) drop(d, req.id);
      if (d->sched.complete() && d->finished_at == 0) d->finished_at = now_;
      i = static_cast<std::size_t>(-1);
    }
  }

  void drop(const Downloader* d, RequestId id) {
    std::erase_if(active_, [&](const Active& a) { return a.to == d && a.req.id == id; });
  }

  NetSetup setup_;
  std::vector<std::unique_ptr<Downloader>> downloaders_;
  std::vector<Active> active_;
  double now_ = 0;
};

}  // namespace edgehub::p2p::swarm::sim
