// When the server goes away (docs/CLIENT.md#when-the-server-goes-away): the
// interactive client says so and comes back when the server does, logging
// in again with its resume token (or, after a server restart, which forgets
// every token, with the password typed at login). Batch mode does not
// reconnect: a script's later commands may depend on the earlier ones, and
// it cannot know which ran; it stops with a message and status 1.
#include <cstdio>
#include <random>
#include <thread>

#include <fmt/format.h>

#include "client/core/backoff.hpp"
#include "client/core/client_app.hpp"
#include "common/strings.hpp"

namespace edgehub::client {
namespace {

using Kind = protocol::ServerMessage::Kind;

// The server's goodbye when it stops (docs/PROTOCOL.md#6-liveness); any
// other goodbye (idle timeout, heartbeat) ended this session on purpose.
constexpr std::string_view kShutdownBye = "Server shutting down";

}  // namespace

bool ClientApp::server_went_away() {
  if (!link_.is_closed()) return false;
  std::lock_guard lock(token_mutex_);
  return bye_text_.empty() || bye_text_ == kShutdownBye;
}

int ClientApp::connection_gone() {
  if (!server_went_away()) return server_said_bye_ ? kExitOk : kExitError;
  if (!input_->interactive())
    std::fprintf(stderr, "edgehub: the server closed the connection; batch mode does not reconnect\n");
  return kExitError;
}

// Tries until the server is back, waiting longer each time (Backoff);
// Ctrl-C ends the client meanwhile. False if the server refused the login.
bool ClientApp::reconnect() {
  out_->info("reconnecting", fmt::format("Reconnecting to {}:{} (Ctrl-C to quit)", options_.host, options_.port));
  Backoff backoff;
  std::mt19937 random(std::random_device{}());
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (;;) {
    std::this_thread::sleep_for(backoff.next(unit(random)));
    const auto turn = link_.take_turn();  // background requests wait for the login
    switch (try_reconnect()) {
      case Reconnect::Done:
        out_->info("reconnected", fmt::format("Reconnected to {}:{} as {}", options_.host, options_.port, name_));
        return true;
      case Reconnect::Refused:
        link_.close();
        return false;
      case Reconnect::Retry:
        continue;
    }
  }
}

ClientApp::Reconnect ClientApp::try_reconnect() {
  try {
    link_.reconnect(options_.host, options_.port);
  } catch (const std::exception&) {
    return Reconnect::Retry;  // not back yet
  }
  {
    std::lock_guard lock(token_mutex_);
    bye_text_.clear();  // a new connection: the old one's goodbye is history
    server_said_bye_ = false;
  }
  const auto greeting = link_.next_reply();
  if (!greeting || greeting->kind == Kind::Err) return Reconnect::Retry;  // closed again, or full
  try {
    give_udp_key();  // as at the first greeting
  } catch (const std::exception&) {
    return Reconnect::Retry;
  }
  const auto words = split_words(greeting->text, 4);  // EDGEHUB/1 MODE [NAME] TEXT
  if (words.size() >= 3 && words[1] == "guest") {
    name_ = std::string(words[2]);  // a guest gets whatever name is free now
    try {
      give_udp_port();  // as at the first greeting: UVF keeps working
    } catch (const std::exception&) {
      return Reconnect::Retry;  // closed again
    }
    return Reconnect::Done;
  }
  return log_in_again();
}

// The resume token first: no password needed, no argon2 work on the server.
// Never in clear over a network: only over TLS or to loopback
// (docs/SECURITY.md#tls).
ClientApp::Reconnect ClientApp::log_in_again() {
  const std::uint16_t udp_port = udp_port_;
  std::string token;
  {
    std::lock_guard lock(token_mutex_);
    token = resume_token_;
  }
  try {
    // A certificate always comes with TLS, where tokens are sent (docs/SECURITY.md#tls).
    const std::string fresh_login = options_.cert ? fmt::format("certlogin {} {}", name_, udp_port)
                                                  : fmt::format("login {} {} {}", name_, password_, udp_port);
    // No token yet (the connection was lost before it arrived): the password.
    const bool resumes = link_.private_path() && !token.empty();
    auto reply =
        resumes ? link_.request(fmt::format("resume {} {} {}", name_, token, udp_port)) : link_.request(fresh_login);
    // A restarted server forgot the token.
    if (reply.kind == Kind::Err && reply.code == 401 && resumes && (options_.cert || !password_.empty()))
      reply = link_.request(fresh_login);
    if (reply.kind != Kind::Err) return Reconnect::Done;
    if (reply.code == 409) return Reconnect::Retry;  // the server has not yet seen the old connection close
    out_->reply(reply);
    return Reconnect::Refused;
  } catch (const std::exception&) {
    return Reconnect::Retry;  // closed during the login
  }
}

}  // namespace edgehub::client
