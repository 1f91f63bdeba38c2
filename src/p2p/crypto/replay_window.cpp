#include "p2p/crypto/replay_window.hpp"

namespace edgehub::p2p::crypto {

bool ReplayWindow::seen(std::uint64_t c) const {
  const std::uint64_t slot = c % kWindow;
  return (bits_[slot / 64] >> (slot % 64) & 1) != 0;
}

bool ReplayWindow::fresh(std::uint64_t c) const {
  if (!any_ || c > highest_) return true;
  if (highest_ - c >= kWindow) return false;  // fell behind the window
  return !seen(c);
}

// Clears the slots between the old and the new highest counter: they now
// stand for counters not seen yet.
void ReplayWindow::advance(std::uint64_t c) {
  const std::uint64_t gap = any_ ? c - highest_ : kWindow;
  if (gap >= kWindow) {
    bits_.fill(0);
  } else {
    for (std::uint64_t k = highest_ + 1; k <= c; ++k) {
      const std::uint64_t slot = k % kWindow;
      bits_[slot / 64] &= ~(std::uint64_t{1} << (slot % 64));
    }
  }
  highest_ = c;
  any_ = true;
}

bool ReplayWindow::accept(std::uint64_t c) {
  if (!fresh(c)) return false;
  if (!any_ || c > highest_) advance(c);
  const std::uint64_t slot = c % kWindow;
  bits_[slot / 64] |= std::uint64_t{1} << (slot % 64);
  return true;
}

}  // namespace edgehub::p2p::crypto
