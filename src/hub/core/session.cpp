#include "hub/core/session.hpp"

#include <chrono>

#include "hub/core/session_registry.hpp"

namespace edgehub::hub {

SteadyMillis steady_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// A session its owner destroys without the hub's unregister_session (an
// abandoned connection at the end of a shutdown) leaves the registry here.
Session::~Session() {
  if (registry_ != nullptr) registry_->remove(*this);
}

}  // namespace edgehub::hub
