#include "p2p/parked_handshakes.hpp"

#include <algorithm>

namespace edgehub::p2p {

std::optional<ParkedHandshakes::Entry> ParkedHandshakes::park(Entry e) {
  for (auto& held : entries_) {
    if (held.from == e.from && held.syn.src_conn == e.syn.src_conn && held.sealed_id == e.sealed_id) {
      e.until = held.until;
      held = std::move(e);
      return std::nullopt;
    }
  }
  std::optional<Entry> out;
  if (entries_.size() >= capacity_) {
    out = std::move(entries_.front());
    entries_.pop_front();
  }
  entries_.push_back(std::move(e));
  return out;
}

std::vector<ParkedHandshakes::Entry> ParkedHandshakes::take_all() {
  std::vector<Entry> out(std::make_move_iterator(entries_.begin()), std::make_move_iterator(entries_.end()));
  entries_.clear();
  return out;
}

std::vector<ParkedHandshakes::Entry> ParkedHandshakes::take_expired(Micros now) {
  std::vector<Entry> out;
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (now < it->until) {
      ++it;
      continue;
    }
    out.push_back(std::move(*it));
    it = entries_.erase(it);
  }
  return out;
}

Micros ParkedHandshakes::next_expiry() const {
  Micros next = kNever;
  for (const auto& e : entries_) next = std::min(next, e.until);
  return next;
}

}  // namespace edgehub::p2p
