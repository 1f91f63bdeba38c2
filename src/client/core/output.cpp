#include "client/core/output.hpp"

#include <boost/json/value.hpp>
#include <cstdio>
#include <utility>

#include "client/core/json_line.hpp"
#include "client/messaging/messaging_events.hpp"
#include "client/shell/progress_board.hpp"
#include "common/strings.hpp"

namespace edgehub::client {

namespace json = boost::json;
using Kind = protocol::ServerMessage::Kind;

Output::Output(bool json) : json_(json), board_(std::make_unique<ProgressBoard>(*this)) {}

Output::~Output() = default;

void Output::begin_prompt(std::function<void()> wake) {
  std::lock_guard lock(mutex_);
  if (!status_.empty()) std::fputs("\r\033[K", stdout);  // the prompt takes the status line's place
  std::fflush(stdout);
  prompt_active_ = true;
  wake_ = std::move(wake);
}

std::vector<std::string> Output::take_queued() {
  std::lock_guard lock(mutex_);
  return std::exchange(queued_, {});
}

void Output::end_prompt() {
  std::lock_guard lock(mutex_);
  prompt_active_ = false;
  wake_ = nullptr;
  for (const auto& line : std::exchange(queued_, {})) write_locked(line);
  if (!status_.empty()) {
    std::fwrite(status_.data(), 1, status_.size(), stdout);  // begin_prompt erased it
    std::fflush(stdout);
  }
}

void Output::set_status(std::string text) {
  std::lock_guard lock(mutex_);
  const bool was_shown = !status_.empty();
  if (status_ == text) return;
  status_ = std::move(text);
  if (prompt_active_) {
    if (wake_) wake_();  // the shell redraws it above the prompt
    return;
  }
  if (was_shown) std::fputs("\r\033[K", stdout);
  std::fwrite(status_.data(), 1, status_.size(), stdout);
  std::fflush(stdout);
}

std::string Output::status() const {
  std::lock_guard lock(mutex_);
  return status_;
}

void Output::emit(const std::string& line) {
  std::lock_guard lock(mutex_);
  if (prompt_active_) {
    queued_.push_back(line);
    if (wake_) wake_();
    return;
  }
  write_locked(line);
}

// Prints line above the status line (if any), which is then drawn again.
void Output::write_locked(const std::string& line) {
  std::string text;
  if (!status_.empty()) text = "\r\033[K";
  text += line;
  text += '\n';
  text += status_;
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
}

void Output::raw(std::string_view text) {
  std::lock_guard lock(mutex_);
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
}

void Output::reply(const protocol::ServerMessage& m) {
  if (m.kind == Kind::Err) ++failures_;
  if (json_) {
    json::object o{{"type", "reply"}, {"ok", m.kind != Kind::Err}, {"code", m.code}, {"text", m.text}};
    if (m.kind == Kind::List) {
      json::array lines;
      for (const auto& l : m.lines) lines.emplace_back(l);
      o["lines"] = std::move(lines);
    }
    return emit(json_line(o));
  }
  // A list's header says what the lines are and how many ("1 other active
  // edge device", "3 files, 250000104 bytes"): people see it too, above the
  // lines (docs/CLIENT.md#interactive-mode). A caller that has nothing to
  // add there (help) clears it.
  if (!m.text.empty() || m.kind != Kind::List) emit(m.text);
  for (const auto& l : m.lines) emit(l);
}

std::string Output::event_text(const protocol::ServerMessage& m) {
  if (m.name == "LOGIN") return m.text + " logged in";
  if (m.name == "LOGOUT") return m.text + " logged out";
  if (auto text = messaging_event_text(m)) return *text;
  return m.text;
}

json::object Output::event_json(const protocol::ServerMessage& m, SystemTime arrived) {
  json::object o{{"type", "event"}};
  if (m.name == "LOGIN" || m.name == "LOGOUT") {
    o["event"] = to_lower(m.name);
    o["user"] = m.text;
  } else if (auto fields = messaging_event_json(m, arrived)) {
    for (auto& [key, value] : *fields) o[key] = std::move(value);
  } else {  // BYE and any event this client does not know yet: its text as sent
    o["event"] = to_lower(m.name);
    o["text"] = m.text;
  }
  return o;
}

void Output::event(const protocol::ServerMessage& m) {
  if (json_) return emit(json_line(event_json(m, std::chrono::system_clock::now())));
  emit(event_text(m));
}

void Output::info(std::string_view kind, std::string_view text) {
  if (json_) return emit(json_line(json::object{{"type", kind}, {"text", text}}));
  emit(std::string(text));
}

void Output::error(std::string_view text) {
  ++failures_;
  if (json_) return emit(json_line(json::object{{"type", "error"}, {"text", text}}));
  emit(std::string(text));
}

void Output::progress(std::string_view what, std::uint64_t done, std::uint64_t total, double rate_bytes_per_s) {
  if (!json_) return;
  emit(json_line(json::object{
      {"type", "progress"}, {"what", what}, {"done", done}, {"total", total}, {"rate", rate_bytes_per_s}}));
}

}  // namespace edgehub::client
