#pragma once
// The pure frame decoder shared by server, client and fuzzers. It never
// touches a socket: give it the bytes received so far, it says what the
// first frame is and how many bytes it used.
//
// Frames (docs/PROTOCOL.md):
//   line   := TEXT "\n"            (a "\r" before "\n" is dropped)
//   block  := "$" DIGITS "\n" BYTES  (exactly DIGITS bytes, any content)
#include <cstddef>
#include <optional>
#include <string_view>

#include "protocol/limits.hpp"

namespace edgehub::protocol {

enum class FrameKind { NeedMore, Line, Block, Error };

enum class FrameError {
  None,
  LineTooLong,     // fatal: no "\n" within max_line bytes
  BadUtf8,         // the line is skipped
  ControlChar,     // the line is skipped
  BadBlockHeader,  // fatal: "$" not followed by digits and "\n"
  BlockTooLarge,   // fatal: declared size over max_block
};

struct Frame {
  FrameKind kind = FrameKind::NeedMore;
  std::string_view payload;  // line text without terminator, or block bytes
  std::size_t consumed = 0;  // bytes of the input this frame used
  FrameError error = FrameError::None;

  // After a fatal error the stream cannot be re-synchronised: close it.
  bool fatal() const {
    return error == FrameError::LineTooLong || error == FrameError::BadBlockHeader ||
           error == FrameError::BlockTooLarge;
  }
};

Frame decode_frame(std::string_view input, const Limits& limits);

// A block's header ("$N\n") at the start of input, before its payload has
// arrived: for a receiver that reads large payloads straight into their
// destination. nullopt unless input starts with a complete, valid header
// (decode_frame then says what it is).
struct BlockHeader {
  std::size_t size = 0;           // N, within limits.max_block
  std::size_t header_length = 0;  // bytes of "$N\n"
};
std::optional<BlockHeader> decode_block_header(std::string_view input, const Limits& limits);

// Human text for an error, used in "-ERR 400 ..." replies.
std::string_view describe(FrameError e);

}  // namespace edgehub::protocol
