#pragma once
// Swarm serves from this seeder to one peer cross the same path, each with
// its own congestion controller (docs/UDP.md#13-swarm-requests, "One path, several serves").
// Left alone, a transfer that starts while another is running spends its
// start-up overfilling the bottleneck queue, and the one left when the other
// ends needs several rounds to find the capacity it frees. PathShares keeps
// what the transfers to each peer measured together and splits it over the
// live ones whenever one starts or ends.
//
// Bounded: a rate older than kMemory is not used, and at most kMaxPeers are
// kept (the stalest go first). A peer whose path changed gets a stale rate for
// at most kMemory; loss lowers it through BbrLite's loss bound.
#include <boost/asio/ip/udp.hpp>

#include <map>
#include <span>

#include "p2p/bbr_lite.hpp"

namespace edgehub::p2p {

class PathShares {
 public:
  using Peer = boost::asio::ip::udp::endpoint;
  static constexpr Micros kMemory = 10 * kSeconds;
  static constexpr std::size_t kMaxPeers = 256;

  // A transfer to `peer` ends well: remembers the sum of what `transfers`
  // (every transfer to that peer, the ending one included) measured.
  void remember(const Peer& peer, std::span<BbrLite* const> transfers, Micros now);
  // Splits the path's rate (the remembered sum, or what `live` measure
  // together if that is more) evenly over `live`. Nothing remembered: no change.
  void share(const Peer& peer, std::span<BbrLite* const> live, Micros now) const;
  std::size_t size() const { return paths_.size(); }

 private:
  struct Rate {
    double bw = 0;  // packets per second, all transfers together
    Micros min_rtt = kNever;
    Micros at = 0;
  };
  void forget_stale(Micros now);
  std::map<Peer, Rate> paths_;
};

}  // namespace edgehub::p2p
