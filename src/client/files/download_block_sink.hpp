#pragma once
// Where ServerLink puts the payload of data blocks ("$N", N > 0) while a
// download is under way: read straight from the socket into the sink's
// memory on the I/O thread, instead of each block being copied into a reply.
// The "$0" that ends a window still arrives as a reply, after every byte
// before it has been handed to the sink and after window_end().
#include <cstddef>
#include <span>

namespace edgehub::client {

class DownloadBlockSink {
 public:
  virtual ~DownloadBlockSink() = default;
  // Room for up to `want` (> 0) payload bytes: maybe less, never empty.
  // May block while the sink is full; that is the download's back-pressure.
  virtual std::span<char> room(std::size_t want) = 0;
  // n bytes were written at the start of the room last given.
  virtual void filled(std::size_t n) = 0;
  // The current block's payload is complete.
  virtual void block_end() = 0;
  // A "$0" arrived: the end of a window. Called before it is queued as a
  // reply, so the sink can tell which bytes came before it.
  virtual void window_end() = 0;
};

}  // namespace edgehub::client
