#include "hub/auth/login_gate.hpp"

namespace edgehub::hub {

void LoginGate::admit_or_queue(const std::string& address, std::function<void()> grant) {
  {
    std::lock_guard lock(mutex_);
    Address& a = addresses_[address];
    // Nobody can be waiting for a free slot this address may take:
    // dispatch() runs whenever one frees.
    if (running_ >= slots_ || a.running >= per_address_) {
      if (a.waiting.empty()) turns_.push_back(address);
      a.waiting.push_back(std::move(grant));
      return;
    }
    ++running_;
    ++a.running;
  }
  grant();
}

void LoginGate::leave(const std::string& address) {
  std::vector<std::function<void()>> grants;
  {
    std::lock_guard lock(mutex_);
    const auto it = addresses_.find(address);
    if (it == addresses_.end() || it->second.running == 0) return;  // not entered: nothing to give back
    --it->second.running;
    --running_;
    if (it->second.running == 0 && it->second.waiting.empty()) addresses_.erase(it);
    grants = dispatch();
  }
  for (auto& grant : grants) grant();
}

std::vector<std::function<void()>> LoginGate::dispatch() {
  std::vector<std::function<void()>> grants;
  // One pass over the addresses in turn order; an address at its own cap
  // keeps its place at the back.
  for (std::size_t turns = turns_.size(); turns > 0 && running_ < slots_; --turns) {
    const std::string address = std::move(turns_.front());
    turns_.pop_front();
    Address& a = addresses_[address];
    if (a.running < per_address_ && !a.waiting.empty()) {
      grants.push_back(std::move(a.waiting.front()));
      a.waiting.pop_front();
      ++a.running;
      ++running_;
    }
    if (!a.waiting.empty()) turns_.push_back(address);
  }
  return grants;
}

}  // namespace edgehub::hub
