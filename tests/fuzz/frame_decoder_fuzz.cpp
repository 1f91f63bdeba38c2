// Fuzz target for the pure frame decoder (src/protocol/frame_decoder.*).
// Properties checked on any input, with the real limits and with tiny ones:
//  - decoding never reads past the input and always makes progress or stops;
//  - a Line/Block payload lies inside the consumed bytes; a Line payload is
//    within max_line, valid UTF-8 and free of control characters; a Block
//    within max_block;
//  - NeedMore consumes nothing, and feeding the same bytes in two pieces
//    gives the same frames as feeding them at once (split invariance).
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/frame_decoder.hpp"
#include "protocol/utf8.hpp"

namespace {

using namespace edgehub::protocol;

void require(bool ok) {
  if (!ok) std::abort();
}

struct Decoded {
  FrameKind kind;
  FrameError error;
  std::string payload;
};

void check_frame(std::string_view in, const Frame& f, const Limits& limits) {
  require(f.consumed <= in.size());
  if (f.kind == FrameKind::NeedMore) return require(f.consumed == 0);
  if (f.kind == FrameKind::Error) return require(f.fatal() || f.consumed > 0);
  require(f.consumed > 0);
  require(f.payload.data() >= in.data() && f.payload.data() + f.payload.size() <= in.data() + f.consumed);
  if (f.kind == FrameKind::Block) return require(f.payload.size() <= limits.max_block);
  require(f.payload.size() <= limits.max_line);
  require(is_valid_utf8(f.payload) && !has_control_chars(f.payload));
}

// All frames of `in`, as a stream reader would see them; stops at NeedMore
// or a fatal error.
std::vector<Decoded> decode_stream(std::string_view in, const Limits& limits, std::size_t* rest) {
  std::vector<Decoded> out;
  for (;;) {
    const Frame f = decode_frame(in, limits);
    check_frame(in, f, limits);
    if (f.kind == FrameKind::NeedMore) break;
    out.push_back({f.kind, f.error, std::string(f.payload)});
    if (f.fatal()) break;
    in.remove_prefix(f.consumed);
  }
  *rest = in.size();
  return out;
}

// Feeding the input as two pieces (a reader's buffer: append, decode, drop
// the consumed part) must give the same frames.
std::vector<Decoded> decode_in_two_feeds(std::string_view in, std::size_t cut, const Limits& limits) {
  std::vector<Decoded> out;
  std::string buffer;
  for (std::string_view piece : {in.substr(0, cut), in.substr(cut)}) {
    buffer.append(piece);
    std::size_t rest = 0;
    auto frames = decode_stream(buffer, limits, &rest);
    const bool fatal = !frames.empty() && frames.back().kind == FrameKind::Error &&
                       Frame{FrameKind::Error, {}, 0, frames.back().error}.fatal();
    out.insert(out.end(), frames.begin(), frames.end());
    if (fatal) return out;
    buffer.erase(0, buffer.size() - rest);
  }
  return out;
}

bool same(const std::vector<Decoded>& a, const std::vector<Decoded>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].kind != b[i].kind || a[i].error != b[i].error || a[i].payload != b[i].payload) return false;
  return true;
}

void check_with(std::string_view in, const Limits& limits) {
  std::size_t rest = 0;
  const auto whole = decode_stream(in, limits, &rest);
  const std::size_t cut = in.empty() ? 0 : static_cast<unsigned char>(in[0]) % (in.size() + 1);
  require(same(whole, decode_in_two_feeds(in, cut, limits)));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  check_with(in, kClientToServer);
  check_with(in, Limits{8, 16});
  return 0;
}
