#include "hub/messaging/messaging_private.hpp"

namespace edgehub::hub {

bool PrivateRegistry::request(const std::string& from, const std::string& to) {
  std::lock_guard lock(mutex_);
  if (active_.count(ordered(from, to)) > 0) return false;
  pending_.emplace(from, to);
  return true;
}

bool PrivateRegistry::take_request(const std::string& from, const std::string& to) {
  std::lock_guard lock(mutex_);
  return pending_.erase(Pair{from, to}) > 0;
}

void PrivateRegistry::activate(const std::string& a, const std::string& b) {
  std::lock_guard lock(mutex_);
  pending_.erase(Pair{b, a});  // crossed requests: one session is enough
  active_.insert(ordered(a, b));
}

bool PrivateRegistry::active(const std::string& a, const std::string& b) const {
  std::lock_guard lock(mutex_);
  return active_.count(ordered(a, b)) > 0;
}

bool PrivateRegistry::stop(const std::string& a, const std::string& b) {
  std::lock_guard lock(mutex_);
  return active_.erase(ordered(a, b)) > 0;
}

std::vector<std::string> PrivateRegistry::drop(const std::string& name) {
  std::lock_guard lock(mutex_);
  std::vector<std::string> partners;
  for (auto it = pending_.begin(); it != pending_.end();)
    it = it->first == name || it->second == name ? pending_.erase(it) : std::next(it);
  for (auto it = active_.begin(); it != active_.end();) {
    if (it->first != name && it->second != name) {
      ++it;
      continue;
    }
    partners.push_back(it->first == name ? it->second : it->first);
    it = active_.erase(it);
  }
  return partners;
}

}  // namespace edgehub::hub
