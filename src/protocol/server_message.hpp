#pragma once
// The client's view of what the server sent, assembled from frames by
// ServerMessageParser (pure, fuzzable).
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/frame_decoder.hpp"

namespace edgehub::protocol {

struct ServerMessage {
  enum class Kind { Ok, Err, List, Event, Block };
  Kind kind = Kind::Ok;
  int code = 0;                    // for Err
  std::string name;                // event name for Event ("LOGIN", "MSG", ...)
  std::string text;                // the line's text after the prefix
  std::vector<std::string> lines;  // for List
  std::string data;                // for Block

  bool is_reply() const { return kind != Kind::Event; }
};

// Feed it bytes; it hands back complete messages. A malformed stream sets
// error() and stops.
class ServerMessageParser {
 public:
  explicit ServerMessageParser(Limits limits = kServerToClient) : limits_(limits) {}

  // Appends bytes to the internal buffer.
  void feed(std::string_view bytes) { buffer_.append(bytes); }
  // The next complete message, or nullopt if more bytes are needed (or on error).
  std::optional<ServerMessage> next();
  const std::string& error() const { return error_; }
  std::size_t buffered() const { return buffer_.size() - offset_; }

 private:
  std::optional<ServerMessage> on_line(std::string_view line);
  void compact();

  Limits limits_;
  std::string buffer_;
  std::size_t offset_ = 0;
  std::optional<ServerMessage> pending_list_;
  std::size_t list_remaining_ = 0;
  std::string error_;
};

// Parses one status line ("+OK ...", "-ERR 401 ...", "!LOGIN bob", "*3 ...").
// For "*N", lines is resized to N empty slots' worth of count in `code`.
std::optional<ServerMessage> parse_status_line(std::string_view line, std::size_t& list_count);

}  // namespace edgehub::protocol
