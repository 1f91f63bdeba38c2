#include "protocol/frame_decoder.hpp"

#include "protocol/utf8.hpp"

namespace edgehub::protocol {
namespace {

constexpr std::size_t kMaxBlockHeader = 12;  // "$" + up to 10 digits + "\n"

Frame error_frame(FrameError e, std::size_t consumed) {
  Frame f;
  f.kind = FrameKind::Error;
  f.error = e;
  f.consumed = consumed;
  return f;
}

// The "$N\n" at the start of input. kind is NeedMore, Error, or Block with
// payload empty and consumed = the header's length; size gets N.
Frame decode_block_start(std::string_view input, const Limits& limits, std::size_t& size) {
  const std::size_t nl = input.find('\n');
  if (nl == std::string_view::npos) {
    return input.size() > kMaxBlockHeader ? error_frame(FrameError::BadBlockHeader, 0) : Frame{};
  }
  std::string_view digits = input.substr(1, nl - 1);
  if (!digits.empty() && digits.back() == '\r') digits.remove_suffix(1);
  if (digits.empty() || digits.size() > kMaxBlockHeader - 2) return error_frame(FrameError::BadBlockHeader, 0);
  size = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return error_frame(FrameError::BadBlockHeader, 0);
    size = size * 10 + static_cast<std::size_t>(c - '0');
  }
  if (size > limits.max_block) return error_frame(FrameError::BlockTooLarge, 0);
  Frame f;
  f.kind = FrameKind::Block;
  f.consumed = nl + 1;
  return f;
}

Frame decode_block(std::string_view input, const Limits& limits) {
  std::size_t size = 0;
  Frame f = decode_block_start(input, limits, size);
  if (f.kind != FrameKind::Block) return f;
  const std::size_t total = f.consumed + size;
  if (input.size() < total) return Frame{};
  f.payload = input.substr(f.consumed, size);
  f.consumed = total;
  return f;
}

Frame decode_line(std::string_view input, const Limits& limits) {
  const std::size_t nl = input.find('\n');
  if (nl == std::string_view::npos) {
    // One extra byte of slack for a "\r" that may precede the "\n".
    return input.size() > limits.max_line + 1 ? error_frame(FrameError::LineTooLong, 0) : Frame{};
  }
  std::string_view text = input.substr(0, nl);
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  if (text.size() > limits.max_line) return error_frame(FrameError::LineTooLong, 0);
  if (!is_valid_utf8(text)) return error_frame(FrameError::BadUtf8, nl + 1);
  if (has_control_chars(text)) return error_frame(FrameError::ControlChar, nl + 1);
  Frame f;
  f.kind = FrameKind::Line;
  f.payload = text;
  f.consumed = nl + 1;
  return f;
}

}  // namespace

Frame decode_frame(std::string_view input, const Limits& limits) {
  if (input.empty()) return Frame{};
  if (input.front() == '$') return decode_block(input, limits);
  return decode_line(input, limits);
}

std::optional<BlockHeader> decode_block_header(std::string_view input, const Limits& limits) {
  if (input.empty() || input.front() != '$') return std::nullopt;
  std::size_t size = 0;
  const Frame f = decode_block_start(input, limits, size);
  if (f.kind != FrameKind::Block) return std::nullopt;
  return BlockHeader{size, f.consumed};
}

std::string_view describe(FrameError e) {
  switch (e) {
    case FrameError::None:
      return "no error";
    case FrameError::LineTooLong:
      return "line too long";
    case FrameError::BadUtf8:
      return "line is not valid UTF-8";
    case FrameError::ControlChar:
      return "line holds control characters (send binary as a $N block)";
    case FrameError::BadBlockHeader:
      return "malformed block header (expected $SIZE)";
    case FrameError::BlockTooLarge:
      return "block too large";
  }
  return "unknown error";
}

}  // namespace edgehub::protocol
