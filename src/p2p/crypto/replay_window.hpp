#pragma once
// Replay protection for the datagrams of one direction of an encrypted
// channel (docs/UDP.md#14-end-to-end-encryption): a sliding bitmap of the last
// kWindow counters, as IPsec's anti-replay window (RFC 4303 3.4.3, RFC 6479).
// A counter is accepted once; a repeat, or one more than kWindow behind the
// highest accepted, is rejected. Pure.
#include <array>
#include <cstddef>
#include <cstdint>

namespace edgehub::p2p::crypto {

class ReplayWindow {
 public:
  // Counters this far behind the highest still count as reordered, not
  // replayed: 4096 datagrams, 5.9 MB of 1432-byte chunks, more than the
  // receive window (docs/UDP.md#6-flow-control) can have in flight.
  static constexpr std::uint64_t kWindow = 4096;

  // Would accept() take this counter? (Checked before the costlier AEAD
  // open; accept() only after the datagram opened, so that a forgery never
  // moves the window.)
  bool fresh(std::uint64_t counter) const;
  // Records the counter; false (and nothing changes) if it is a repeat or too old.
  bool accept(std::uint64_t counter);

  std::uint64_t highest() const { return highest_; }

 private:
  static constexpr std::size_t kWords = kWindow / 64;
  bool seen(std::uint64_t counter) const;
  void advance(std::uint64_t counter);

  std::array<std::uint64_t, kWords> bits_{};  // bit c % kWindow: counter c was seen
  std::uint64_t highest_ = 0;
  bool any_ = false;
};

}  // namespace edgehub::p2p::crypto
