#pragma once
// Messaging limits (docs/MESSAGING.md, "Limits"). Anything over a limit is
// refused with a clear error; nothing is dropped silently.
#include <cstddef>

namespace edgehub::hub {

struct MessagingLimits {
  // Bytes of TEXT in "message USER TEXT", "broadcast TEXT" (UTF-8). Well
  // under the 4096-byte line limit, so the error is a reply, not a hang-up.
  std::size_t max_text_bytes = 2048;
  // Messages kept for one offline recipient (--max-offline). Messages
  // returned by a connection that closed before writing them are kept even
  // past this bound: they were already acknowledged to their senders.
  std::size_t max_offline_per_recipient = 10'000;
  // Stored messages handed to a connection at a time (flow control): at
  // most this many, and at most this many bytes, which is half the smallest
  // --high-water, so a batch never gets its receiver disconnected.
  std::size_t delivery_batch = 256;
  std::size_t delivery_batch_bytes = 32 * 1024;
};

}  // namespace edgehub::hub
