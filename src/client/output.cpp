#include "client/output.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <cstdio>

namespace edgehub::client {

namespace json = boost::json;
using Kind = protocol::ServerMessage::Kind;

void Output::set_redraw_hooks(std::function<void()> before, std::function<void()> after) {
  std::lock_guard lock(mutex_);
  before_ = std::move(before);
  after_ = std::move(after);
}

void Output::emit(const std::string& line) {
  std::lock_guard lock(mutex_);
  if (before_) before_();
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fputc('\n', stdout);
  std::fflush(stdout);
  if (after_) after_();
}

void Output::raw(std::string_view text) {
  std::lock_guard lock(mutex_);
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
}

void Output::reply(const protocol::ServerMessage& m) {
  if (json_) {
    json::object o{{"type", "reply"}, {"ok", m.kind != Kind::Err}, {"code", m.code}, {"text", m.text}};
    if (m.kind == Kind::List) {
      json::array lines;
      for (const auto& l : m.lines) lines.emplace_back(l);
      o["lines"] = std::move(lines);
    }
    return emit(json::serialize(o));
  }
  if (m.kind == Kind::List) {
    for (const auto& l : m.lines) emit(l);
    return;
  }
  emit(m.text);
}

std::string Output::event_text(const protocol::ServerMessage& m) {
  if (m.name == "LOGIN") return m.text + " logged in";
  if (m.name == "LOGOUT") return m.text + " logged out";
  return m.text;
}

void Output::event(const protocol::ServerMessage& m) {
  if (json_) return emit(json::serialize(json::object{{"type", "event"}, {"event", m.name}, {"text", m.text}}));
  emit(event_text(m));
}

void Output::info(std::string_view kind, std::string_view text) {
  if (json_) return emit(json::serialize(json::object{{"type", kind}, {"text", text}}));
  emit(std::string(text));
}

void Output::error(std::string_view text) {
  if (json_) return emit(json::serialize(json::object{{"type", "error"}, {"text", text}}));
  emit(std::string(text));
}

void Output::progress(std::string_view what, std::uint64_t done, std::uint64_t total, double rate_bytes_per_s) {
  if (!json_) return;
  emit(json::serialize(json::object{{"type", "progress"}, {"what", what}, {"done", done}, {"total", total},
                                    {"rate", rate_bytes_per_s}}));
}

}  // namespace edgehub::client
