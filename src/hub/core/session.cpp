#include "hub/core/session.hpp"

#include <chrono>

namespace edgehub::hub {

SteadyMillis steady_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace edgehub::hub
