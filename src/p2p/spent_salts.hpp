#pragma once
// Handshakes whose conversation is over (docs/UDP.md#14-end-to-end-encryption):
// the endpoint forgets a handshake's channel some time after its transfer
// ends, and remembers only its peer and salt here, so that a recorded SYN or
// REQUEST replayed later is dropped as a replay instead of opening a new
// conversation. Bounded: the oldest are forgotten first. Pure.
#include <boost/asio/ip/udp.hpp>

#include <cstddef>
#include <deque>
#include <set>
#include <utility>

#include "p2p/crypto/channel.hpp"

namespace edgehub::p2p {

class SpentSalts {
 public:
  using Key = std::pair<boost::asio::ip::udp::endpoint, crypto::Salt>;
  explicit SpentSalts(std::size_t capacity = 16384) : capacity_(capacity) {}

  void add(const Key& k) {
    if (!set_.insert(k).second) return;
    order_.push_back(k);
    if (order_.size() > capacity_) {
      set_.erase(order_.front());
      order_.pop_front();
    }
  }
  bool contains(const Key& k) const { return set_.contains(k); }

 private:
  std::size_t capacity_;
  std::set<Key> set_;
  std::deque<Key> order_;
};

}  // namespace edgehub::p2p
