#pragma once
// Wire limits (docs/PROTOCOL.md, "Limits"). A peer that exceeds one gets a
// clear error; the line/block-size limits close the connection because the
// rest of the stream can no longer be framed.
#include <cstddef>

namespace edgehub::protocol {

struct Limits {
  std::size_t max_line = 4096;          // bytes, excluding the "\n"
  std::size_t max_block = 1024 * 1024;  // payload bytes of one "$N" block
};

inline constexpr Limits kClientToServer{4096, 1024 * 1024};
// Replies can carry long listings; still bounded so a broken server cannot
// make a client grow without limit.
inline constexpr Limits kServerToClient{64 * 1024, 1024 * 1024};

inline constexpr int kProtocolVersion = 1;

}  // namespace edgehub::protocol
