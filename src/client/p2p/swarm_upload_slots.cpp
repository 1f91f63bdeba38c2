#include "client/p2p/swarm_upload_slots.hpp"

#include <algorithm>

namespace edgehub::client::swarm {

std::size_t UploadSlots::held_by(const std::string& downloader) const {
  const auto it = held_.find(downloader);
  return it == held_.end() ? 0 : it->second;
}

std::size_t UploadSlots::queued() const {
  std::size_t n = 0;
  for (const auto& [name, q] : queues_) n += q.size();
  return n;
}

UploadSlots::Admission UploadSlots::admit(const std::string& downloader, std::uint64_t request) {
  if (in_use_ < capacity_ && queues_.empty()) {
    ++held_[downloader];
    ++in_use_;
    return Admission::start;
  }
  auto& queue = queues_[downloader];
  if (queue.size() >= kMaxQueuedPerDownloader) return Admission::busy;
  queue.push_back(request);
  return Admission::queued;
}

std::optional<UploadSlots::Next> UploadSlots::release(const std::string& downloader) {
  if (const auto it = held_.find(downloader); it != held_.end()) {
    --in_use_;
    if (--it->second == 0) held_.erase(it);
  }
  if (queues_.empty() || in_use_ >= capacity_) return std::nullopt;
  // The waiting downloader holding the fewest slots; among equals, the
  // first after the one served last, wrapping round.
  auto turn = queues_.end();
  auto start = queues_.upper_bound(last_served_);
  for (std::size_t i = 0; i < queues_.size(); ++i, ++start) {
    if (start == queues_.end()) start = queues_.begin();
    if (turn == queues_.end() || held_by(start->first) < held_by(turn->first)) turn = start;
  }
  Next next{turn->first, turn->second.front()};
  turn->second.pop_front();
  if (turn->second.empty()) queues_.erase(turn);
  last_served_ = next.downloader;
  ++held_[next.downloader];
  ++in_use_;
  return next;
}

bool UploadSlots::unqueue(const std::string& downloader, std::uint64_t request) {
  const auto it = queues_.find(downloader);
  if (it == queues_.end()) return false;
  const auto at = std::find(it->second.begin(), it->second.end(), request);
  if (at == it->second.end()) return false;
  it->second.erase(at);
  if (it->second.empty()) queues_.erase(it);
  return true;
}

}  // namespace edgehub::client::swarm
