#pragma once
// Everything the client shows goes through Output, from any thread: plain
// text for people, or with --json one JSON object a line for programs.
//
// Who writes to the terminal, and when (no data race, no garbled prompt):
// every write happens under mutex_, except while an interactive prompt is
// active. Then the editing thread (the command thread, inside the shell's
// line editor) owns the terminal alone: emit() from any thread only queues
// the line and calls the shell's wake function, and the editor prints queued
// lines above its prompt (take_queued). prompt_active_ changes only under
// mutex_, and only from the editing thread.
#include <atomic>
#include <boost/json/object.hpp>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/time_format.hpp"
#include "protocol/server_message.hpp"

namespace edgehub::client {

class ProgressBoard;  // client/shell/progress_board.hpp

class Output {
 public:
  explicit Output(bool json);
  ~Output();
  Output(const Output&) = delete;
  Output& operator=(const Output&) = delete;

  bool json() const { return json_; }
  // Interactive shell (see interactive_source.cpp). wake is called under the
  // lock when a line is queued: it must only signal (write to a pipe).
  void begin_prompt(std::function<void()> wake);
  std::vector<std::string> take_queued();
  // Prints what is still queued, in order, and returns to direct printing.
  void end_prompt();
  // One status line (the progress bar) kept below everything printed; text
  // without newline, "" removes it. While a prompt is active the shell
  // draws it above the prompt: a change wakes the shell.
  void set_status(std::string text);
  std::string status() const;
  // Where every transfer reports its progress; it draws the status line.
  ProgressBoard& progress_board() { return *board_; }

  void reply(const protocol::ServerMessage& m);
  void event(const protocol::ServerMessage& m);
  // A client-side result or notice: text for people; JSON {"type":kind,...}.
  void info(std::string_view kind, std::string_view text);
  void error(std::string_view text);
  // Progress of a transfer (JSON: periodic events; text: caller draws bars).
  void progress(std::string_view what, std::uint64_t done, std::uint64_t total, double rate_bytes_per_s);
  // One line as it is, in either mode (p2pDownload --json events, already
  // JSON); shown above the prompt like any other.
  void line(std::string_view text) { emit(std::string(text)); }
  // Raw text to stdout under the same lock (progress bars, prompts).
  void raw(std::string_view text);
  // How many errors were shown: -ERR replies and error() calls, from any
  // thread (a background UVF failure counts too). Batch mode's exit status
  // and --stop-on-error count on it (docs/CLIENT.md#batch-mode).
  std::size_t failures() const { return failures_.load(); }

  // Text for an event as a person reads it ("bob logged in").
  static std::string event_text(const protocol::ServerMessage& m);
  // The --json object for an event, its parts in fields of their own
  // ({"type":"event","event":"message","from":"alice","text":"hi","time":"..."});
  // docs/CLIENT.md#json-output---json. A live message's time is `arrived`.
  static boost::json::object event_json(const protocol::ServerMessage& m, SystemTime arrived);

 private:
  void emit(const std::string& line);
  void write_locked(const std::string& line);

  const bool json_;
  mutable std::mutex mutex_;
  bool prompt_active_ = false;
  std::function<void()> wake_;
  std::vector<std::string> queued_;
  std::string status_;
  std::atomic<std::size_t> failures_{0};
  std::unique_ptr<ProgressBoard> board_;
};

}  // namespace edgehub::client
