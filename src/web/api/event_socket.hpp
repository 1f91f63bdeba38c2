#pragma once
// The WebSocket of GET /api/v1/events (docs/HTTP_API.md#events).
#include <chrono>
#include <cstddef>
#include <memory>

#include "web/core/route.hpp"

namespace edgehub::web::api {

struct EventSocketOptions {
  std::size_t read_message_max = 64 * 1024;
  // Silence after which Beast pings (at half of it) and then closes.
  std::chrono::seconds idle_timeout{60};
  std::size_t max_queued = 1024;  // events waiting for a slow browser; past it: closed
};

// Takes over an upgraded connection of a logged-in session.
void serve_events(std::unique_ptr<Upgraded> upgraded, EventSocketOptions options);

}  // namespace edgehub::web::api
