#pragma once
// Messaging limits (docs/MESSAGING.md, "Limits"). Anything over a limit is
// refused with a clear error; nothing is dropped silently.
#include <chrono>
#include <cstddef>

namespace edgehub::hub {

struct MessagingLimits {
  // Bytes of TEXT in "message USER TEXT", "broadcast TEXT" (UTF-8). Well
  // under the 4096-byte line limit, so the error is a reply, not a hang-up.
  std::size_t max_text_bytes = 2048;
  // Messages kept for one offline recipient (--max-offline), those handed
  // back by a connection that closed before writing them included.
  std::size_t max_offline_per_recipient = 10'000;
  // Bytes of one sender's broadcasts queued at recipients' connections
  // (--broadcast-budget, hub/messaging/broadcast_budget.hpp); past it the
  // sender waits, at most broadcast_wait_ceiling per broadcast.
  std::size_t broadcast_budget_bytes = 8 * 1024 * 1024;
  std::chrono::milliseconds broadcast_wait_ceiling{1000};
  // Stored messages handed to a connection at a time (flow control): at
  // most this many, and at most this many bytes, which is half the smallest
  // --high-water, so a batch never gets its receiver disconnected.
  std::size_t delivery_batch = 256;
  std::size_t delivery_batch_bytes = 32 * 1024;
};

}  // namespace edgehub::hub
