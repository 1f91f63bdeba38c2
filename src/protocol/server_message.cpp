#include "protocol/server_message.hpp"

#include <algorithm>

#include "common/strings.hpp"

namespace edgehub::protocol {
namespace {

constexpr std::size_t kMaxListLines = 1'000'000;

ServerMessage make(ServerMessage::Kind kind, std::string_view text) {
  ServerMessage m;
  m.kind = kind;
  m.text = std::string(text);
  return m;
}

}  // namespace

std::optional<ServerMessage> parse_status_line(std::string_view line, std::size_t& list_count) {
  list_count = 0;
  if (line.empty()) return std::nullopt;
  auto [head, rest] = split_first_word(line);
  if (head == "+OK") return make(ServerMessage::Kind::Ok, rest);
  if (head == "-ERR") {
    auto [code_text, text] = split_first_word(rest);
    const auto code = parse_int64(code_text);
    if (!code || *code < 100 || *code > 999) return std::nullopt;
    auto m = make(ServerMessage::Kind::Err, text);
    m.code = static_cast<int>(*code);
    return m;
  }
  if (head.size() > 1 && head.front() == '!') {
    auto m = make(ServerMessage::Kind::Event, rest);
    m.name = std::string(head.substr(1));
    return m;
  }
  if (head.size() > 1 && head.front() == '*') {
    const auto n = parse_uint64(head.substr(1));
    if (!n || *n > kMaxListLines) return std::nullopt;
    list_count = static_cast<std::size_t>(*n);
    return make(ServerMessage::Kind::List, rest);
  }
  return std::nullopt;
}

std::optional<ServerMessage> ServerMessageParser::next() {
  while (error_.empty()) {
    const std::string_view view(buffer_.data() + offset_, buffer_.size() - offset_);
    const Frame frame = decode_frame(view, limits_);
    if (frame.kind == FrameKind::NeedMore) break;
    offset_ += frame.consumed;
    if (frame.kind == FrameKind::Error) {
      error_ = std::string(describe(frame.error));
      break;
    }
    if (frame.kind == FrameKind::Block) {
      auto m = make(ServerMessage::Kind::Block, {});
      m.data = std::string(frame.payload);
      compact();
      return m;
    }
    auto message = on_line(frame.payload);
    if (message) {
      compact();
      return message;
    }
  }
  compact();
  return std::nullopt;
}

std::optional<ServerMessage> ServerMessageParser::on_line(std::string_view line) {
  if (pending_list_) {
    pending_list_->lines.emplace_back(line);
    if (--list_remaining_ > 0) return std::nullopt;
    auto done = std::move(pending_list_);
    pending_list_.reset();
    return done;
  }
  std::size_t count = 0;
  auto message = parse_status_line(line, count);
  if (!message) {
    if (!line.empty()) error_ = "unexpected line from server: " + std::string(line.substr(0, 80));
    return std::nullopt;
  }
  if (message->kind == ServerMessage::Kind::List && count > 0) {
    pending_list_ = std::move(message);
    list_remaining_ = count;
    return std::nullopt;
  }
  return message;
}

std::optional<std::size_t> ServerMessageParser::take_block_header() {
  if (!error_.empty() || pending_list_) return std::nullopt;
  const std::string_view view(buffer_.data() + offset_, buffer_.size() - offset_);
  const auto header = decode_block_header(view, limits_);
  if (!header || header->size == 0) return std::nullopt;
  offset_ += header->header_length;
  return header->size;
}

std::string_view ServerMessageParser::take_buffered(std::size_t max) {
  const std::size_t n = std::min(max, buffered());
  const std::string_view taken(buffer_.data() + offset_, n);
  offset_ += n;
  return taken;
}

void ServerMessageParser::compact() {
  // Drop consumed bytes once they dominate, keeping appends amortised O(1).
  if (offset_ > 0 && offset_ * 2 >= buffer_.size()) {
    buffer_.erase(0, offset_);
    offset_ = 0;
  }
}

}  // namespace edgehub::protocol
