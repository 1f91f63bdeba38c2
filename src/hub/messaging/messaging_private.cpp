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

namespace {

// Removes every pair that holds name; returns the other name of each.
std::vector<std::string> take_pairs(std::set<std::pair<std::string, std::string>>& pairs, const std::string& name) {
  std::vector<std::string> others;
  for (auto it = pairs.begin(); it != pairs.end();) {
    if (it->first != name && it->second != name) {
      ++it;
      continue;
    }
    others.push_back(it->first == name ? it->second : it->first);
    it = pairs.erase(it);
  }
  return others;
}

}  // namespace

void PrivateRegistry::heard(std::string_view event, const std::string& from, const std::string& to) {
  if (event == "PRIVREQ") {
    request(from, to);
  } else if (event == "PRIVSTART") {  // from accepted to's request
    take_request(to, from);
    activate(from, to);
  } else if (event == "PRIVDECLINED") {
    take_request(to, from);
  } else if (event == "PRIVSTOP") {
    stop(to, from);
  } else if (event == "PRIVCANCEL") {  // from logged out: its requests, both ways, are over
    take_request(from, to);
    take_request(to, from);
  }
}

PrivateRegistry::Dropped PrivateRegistry::drop(const std::string& name) {
  std::lock_guard lock(mutex_);
  return {take_pairs(active_, name), take_pairs(pending_, name)};
}

}  // namespace edgehub::hub
