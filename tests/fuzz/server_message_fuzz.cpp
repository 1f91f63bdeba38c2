// Fuzz target for the client's ServerMessageParser (src/protocol/
// server_message.*): whatever a (broken or hostile) server sends, the client
// must not crash, and the messages must not depend on how the bytes were
// split across reads. Each input is parsed four ways — at once, one byte a
// feed, in pieces sized by the input's own bytes, and as the client's
// downloads read (block payloads taken past the parser: take_block_header,
// take_buffered, the rest straight from the input) — and the results,
// including whether and where an error stopped the parser, must agree.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/server_message.hpp"

namespace {

using edgehub::protocol::Limits;
using edgehub::protocol::ServerMessage;
using edgehub::protocol::ServerMessageParser;

void require(bool ok) {
  if (!ok) std::abort();
}

struct Outcome {
  std::vector<ServerMessage> messages;
  std::string error;
};

void keep(ServerMessage m, Outcome& out) {
  require(m.kind != ServerMessage::Kind::Err || (m.code >= 100 && m.code <= 999));
  require(m.kind == ServerMessage::Kind::Event ? !m.name.empty() : m.name.empty());
  out.messages.push_back(std::move(m));
}

void drain(ServerMessageParser& p, Outcome& out) {
  while (auto m = p.next()) keep(std::move(*m), out);
}

template <typename NextPieceSize>
Outcome parse(std::string_view in, const Limits& limits, NextPieceSize next_size) {
  ServerMessageParser p(limits);
  Outcome out;
  while (!in.empty()) {
    const std::size_t n = std::min(in.size(), std::max<std::size_t>(1, next_size()));
    p.feed(in.substr(0, n));
    in.remove_prefix(n);
    drain(p, out);
  }
  out.error = p.error();
  // Once stopped by an error it stays stopped.
  if (!out.error.empty()) {
    p.feed("+OK more\n");
    require(!p.next().has_value());
  }
  return out;
}

// Like ServerLink with a download's sink: a block's payload goes past the
// parser, the part not yet buffered read straight from the input.
Outcome parse_streaming(std::string_view in, const Limits& limits, std::size_t piece) {
  ServerMessageParser p(limits);
  Outcome out;
  for (;;) {
    if (const auto size = p.take_block_header()) {
      ServerMessage block;
      block.kind = ServerMessage::Kind::Block;
      block.data = std::string(p.take_buffered(*size));
      require(block.data.size() <= *size);
      const std::size_t rest = std::min(*size - block.data.size(), in.size());
      block.data.append(in.substr(0, rest));
      in.remove_prefix(rest);
      if (block.data.size() < *size) break;  // the input ends inside the payload
      out.messages.push_back(std::move(block));
      continue;
    }
    if (auto m = p.next()) {
      keep(std::move(*m), out);
      continue;
    }
    if (in.empty() || !p.error().empty()) break;
    const std::size_t n = std::min(in.size(), piece);
    p.feed(in.substr(0, n));
    in.remove_prefix(n);
  }
  out.error = p.error();
  return out;
}

bool same(const Outcome& a, const Outcome& b) {
  if (a.error != b.error || a.messages.size() != b.messages.size()) return false;
  for (std::size_t i = 0; i < a.messages.size(); ++i) {
    const auto& x = a.messages[i];
    const auto& y = b.messages[i];
    if (x.kind != y.kind || x.code != y.code || x.name != y.name || x.text != y.text || x.lines != y.lines ||
        x.data != y.data)
      return false;
  }
  return true;
}

void check_with(std::string_view in, const Limits& limits) {
  const Outcome whole = parse(in, limits, [&] { return in.size(); });
  const Outcome bytes = parse(in, limits, [] { return std::size_t{1}; });
  std::size_t i = 0;
  const Outcome pieces = parse(in, limits, [&] { return static_cast<unsigned char>(in[i++ % in.size()]) % 17; });
  require(same(whole, bytes));
  require(same(whole, pieces));
  require(same(whole, parse_streaming(in, limits, 1)));
  require(same(whole, parse_streaming(in, limits, 7)));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 16 * 1024) return 0;  // byte-at-a-time feeding is quadratic in a long partial line
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  check_with(in, edgehub::protocol::kServerToClient);
  check_with(in, Limits{12, 16});
  return 0;
}
