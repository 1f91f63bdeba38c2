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
  void feed(std::string_view bytes) {
    if (offset_ == buffer_.size()) {  // everything taken: start afresh
      buffer_.clear();
      offset_ = 0;
    }
    buffer_.append(bytes);
  }
  // The next complete message, or nullopt if more bytes are needed (or on error).
  std::optional<ServerMessage> next();
  const std::string& error() const { return error_; }

  // Streaming a large block's payload past the parser (the client's
  // downloads): if the next frame is a block header "$N" with N > 0, and no
  // list is being assembled, consumes the header and returns N. Otherwise
  // returns nullopt and consumes nothing; next() then handles the frame
  // ("$0", lines, errors). The caller takes the payload: first what is
  // already buffered, via take_buffered(), then the rest from the socket.
  std::optional<std::size_t> take_block_header();
  // Up to max buffered bytes, consumed; valid until the next feed().
  std::string_view take_buffered(std::size_t max);
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
