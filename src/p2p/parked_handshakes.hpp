#pragma once
// Handshakes waiting for their ticket
// (docs/UDP.md#2-handshake-connection-ids-authorisation). The server tells the
// receiver about a ticket and gives it to the sender at about the same time,
// over two different connections; the sender's SYN may win the race. The
// receiver then holds the SYN briefly instead of refusing it, and tries again
// when a ticket arrives. Bounded, so a flood of bogus SYNs costs a fixed amount
// of memory (the oldest is refused when full).
#include <boost/asio/ip/udp.hpp>

#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "p2p/clock.hpp"
#include "p2p/packet.hpp"

namespace edgehub::p2p {

class ParkedHandshakes {
 public:
  struct Entry {
    boost::asio::ip::udp::endpoint from;
    Syn syn;
    Micros until = 0;  // refused after this
    // A sealed SYN (docs/UDP.md#14-end-to-end-encryption) is held as it came,
    // since its keys are not known yet: then syn is empty and sealed_id (the
    // ticket and salt) tells its retransmissions apart from other SYNs.
    std::vector<std::uint8_t> sealed;
    std::string sealed_id;
  };

  explicit ParkedHandshakes(std::size_t capacity = 64) : capacity_(capacity) {}

  // Holds a SYN; a retransmission of one already held keeps the first
  // deadline. Returns the entry pushed out to make room, if any.
  std::optional<Entry> park(Entry e);
  std::vector<Entry> take_all();
  std::vector<Entry> take_expired(Micros now);
  Micros next_expiry() const;
  std::size_t size() const { return entries_.size(); }

 private:
  std::size_t capacity_;
  std::deque<Entry> entries_;  // oldest first
};

}  // namespace edgehub::p2p
