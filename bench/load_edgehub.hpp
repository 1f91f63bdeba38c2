#pragma once
// The edgehub side of the load tool: optional "notify off", then "login NAME
// PASSWORD" (phase "login") or "resume NAME TOKEN" (phase "resume"), sent
// at once, then the greeting and the replies; or only the greeting (phase
// "guest": it already logged us in).
// While idle it answers !PING with an empty line and discards other events,
// counting them so that a presence fan-out shows up in the report.
#include <fmt/format.h>

#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "load_fleet.hpp"

namespace edgehub::bench {

struct Accounts {
  std::string name_prefix = "dev";
  std::string password_prefix = "pw";
  std::string name(std::size_t i) const { return fmt::format("{}{:06}", name_prefix, i); }
  std::string password(std::size_t i) const { return fmt::format("{}{:06}x", password_prefix, i); }
};

class EdgehubProtocol final : public LoadProtocol {
 public:
  EdgehubProtocol(Accounts accounts, bool notify_off) : accounts_(std::move(accounts)), notify_off_(notify_off) {}

  // The commands go out before the greeting is read, as a client that knows
  // the server does: edgehubd tells a plaintext client on loopback from a TLS
  // one by its first byte, and one that waits for the greeting in silence is
  // greeted only after 250 ms (src/net/first_byte.cpp), which would make
  // this tool measure that timer (256 connections in flight: ~1,000 logins/s).
  asio::awaitable<bool> handshake(Conn& c, const std::string& phase) override {
    if (phase == "guest") {
      const auto greeting = co_await read_line(c);
      co_return greeting && greeting->starts_with("+OK EDGEHUB/1 guest ");
    }
    std::string request = notify_off_ ? "notify off\n" : "";
    if (phase == "login")
      request += fmt::format("login {} {}\n", accounts_.name(c.index), accounts_.password(c.index));
    else if (phase == "resume" && !c.token.empty())
      request += fmt::format("resume {} {}\n", accounts_.name(c.index), c.token);
    else
      co_return false;
    c.token.clear();
    if (!co_await write(c, request)) co_return false;
    const auto greeting = co_await read_line(c);
    if (!greeting || !greeting->starts_with("+OK EDGEHUB/1 login ")) co_return false;
    // One reply per command, in order; the last must be +OK, then !TOKEN.
    for (int replies = notify_off_ ? 2 : 1; replies > 0;) {
      const auto line = co_await read_line(c);
      if (!line) co_return false;
      if (line->starts_with("!")) {
        co_await on_event(c, *line);
        continue;
      }
      if (!line->starts_with("+OK")) co_return false;
      --replies;
    }
    while (c.token.empty()) {
      const auto line = co_await read_line(c);
      if (!line || !line->starts_with("!")) co_return false;
      co_await on_event(c, *line);
    }
    co_return true;
  }

  asio::awaitable<void> idle(Conn& c) override {
    while (auto line = co_await read_line(c)) {
      if (line->starts_with("!")) co_await on_event(c, *line);
    }
  }

  std::string stats() const override { return fmt::format("events={} pings={}", events_, pings_); }

 private:
  asio::awaitable<std::optional<std::string>> read_line(Conn& c) {
    boost::system::error_code ec;
    const std::size_t n = co_await asio::async_read_until(c.socket, asio::dynamic_buffer(c.input), '\n',
                                                          asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return std::nullopt;
    std::string line = c.input.substr(0, n - 1);
    c.input.erase(0, n);
    if (c.input.empty()) std::string().swap(c.input);  // thousands of idle clients: keep no buffer
    co_return line;
  }

  asio::awaitable<bool> write(Conn& c, const std::string& bytes) {
    boost::system::error_code ec;
    co_await asio::async_write(c.socket, asio::buffer(bytes), asio::redirect_error(asio::use_awaitable, ec));
    co_return !ec;
  }

  asio::awaitable<void> on_event(Conn& c, std::string_view line) {
    ++events_;
    if (line.starts_with("!TOKEN ")) {
      c.token = std::string(line.substr(7));
    } else if (line == "!PING") {
      ++pings_;
      co_await write(c, "\n");  // the heartbeat answer: an empty line
    }
  }

  Accounts accounts_;
  bool notify_off_;
  std::size_t events_ = 0;
  std::size_t pings_ = 0;
};

}  // namespace edgehub::bench
