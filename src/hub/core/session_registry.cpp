#include "hub/core/session_registry.hpp"

#include "hub/core/session.hpp"

namespace edgehub::hub {

void SessionRegistry::add(Session& s) {
  std::lock_guard lock(mutex_);
  if (s.registry_ != nullptr) return;
  s.registry_ = this;
  s.registry_index_ = static_cast<std::uint32_t>(sessions_.size());
  sessions_.push_back(&s);
}

bool SessionRegistry::remove(Session& s) {
  std::lock_guard lock(mutex_);
  if (s.registry_ != this) return false;
  Session* last = sessions_.back();
  sessions_[s.registry_index_] = last;
  last->registry_index_ = s.registry_index_;  // (s itself, when it was the last)
  sessions_.pop_back();
  s.registry_ = nullptr;
  return true;
}

std::size_t SessionRegistry::size() const {
  std::lock_guard lock(mutex_);
  return sessions_.size();
}

std::vector<std::pair<Session*, std::shared_ptr<Peer>>> SessionRegistry::live() const {
  std::vector<std::pair<Session*, std::shared_ptr<Peer>>> out;
  std::lock_guard lock(mutex_);
  out.reserve(sessions_.size());
  // A session is owned by its connection: one being destroyed (waiting in
  // remove() for this lock) has no connection left, shared_peer() is null
  // and it is skipped.
  for (Session* s : sessions_)
    if (auto peer = s->shared_peer()) out.emplace_back(s, std::move(peer));
  return out;
}

}  // namespace edgehub::hub
