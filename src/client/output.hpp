#pragma once
// Everything the client shows goes through Output, from any thread: plain
// text for people, or with --json one JSON object a line for programs. In
// interactive mode a redraw hook moves the prompt out of the way so that
// notifications never garble the line being typed.
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/server_message.hpp"

namespace edgehub::client {

class Output {
 public:
  explicit Output(bool json) : json_(json) {}

  bool json() const { return json_; }
  // Called around every print in interactive mode (hide prompt / redraw).
  void set_redraw_hooks(std::function<void()> before, std::function<void()> after);

  void reply(const protocol::ServerMessage& m);
  void event(const protocol::ServerMessage& m);
  // A client-side result or notice: text for people; JSON {"type":kind,...}.
  void info(std::string_view kind, std::string_view text);
  void error(std::string_view text);
  // Progress of a transfer (JSON: periodic events; text: caller draws bars).
  void progress(std::string_view what, std::uint64_t done, std::uint64_t total, double rate_bytes_per_s);
  // Raw text to stdout under the same lock (progress bars, prompts).
  void raw(std::string_view text);

  // Text for an event as a person reads it ("bob logged in").
  static std::string event_text(const protocol::ServerMessage& m);

 private:
  void emit(const std::string& line);

  const bool json_;
  std::mutex mutex_;
  std::function<void()> before_;
  std::function<void()> after_;
};

}  // namespace edgehub::client
