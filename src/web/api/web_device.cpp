// A browser login as a hub device (docs/HTTP_API.md#browser-sessions).
#include "web/api/web_device.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>

#include "common/strings.hpp"
#include "common/time_format.hpp"
#include "hub/messaging/messaging_letter.hpp"
#include "hub/messaging/messaging_service.hpp"

namespace edgehub::web::api {

namespace asio = boost::asio;
using protocol::ServerMessage;

namespace {

ServerMessage error_message(int code, std::string text) {
  ServerMessage m;
  m.kind = ServerMessage::Kind::Err;
  m.code = code;
  m.text = std::move(text);
  return m;
}

std::string now_iso() { return format_iso_utc(std::chrono::system_clock::now()); }

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return s;
}

}  // namespace

std::shared_ptr<WebDevice> WebDevice::create(hub::Hub& hub, asio::any_io_executor executor, std::string ip,
                                             KindOf kind_of) {
  std::shared_ptr<WebDevice> device(new WebDevice(hub, std::move(executor), std::move(ip), std::move(kind_of)));
  device->session_ = std::make_unique<hub::Session>(*device, device->weak_from_this());
  return device;
}

WebDevice::WebDevice(hub::Hub& hub, asio::any_io_executor executor, std::string ip, KindOf kind_of)
    : hub_(hub), executor_(std::move(executor)), ip_(std::move(ip)), kind_of_(std::move(kind_of)) {}

WebDevice::~WebDevice() = default;

bool WebDevice::on_own_thread() const {
  if (const auto* io = executor_.target<asio::io_context::executor_type>()) return io->running_in_this_thread();
  return true;
}

// Both hop onto the device's executor with co_spawn of a coroutine that
// holds the device (no capturing lambda: its captures would not outlive
// the coroutine frame).
asio::awaitable<std::optional<ServerMessage>> WebDevice::connect() {
  co_return co_await asio::co_spawn(executor_, connect_here(shared_from_this()), asio::use_awaitable);
}

asio::awaitable<std::optional<ServerMessage>> WebDevice::connect_here(std::shared_ptr<WebDevice> self) {
  self->capturing_ = true;
  const bool accepted = self->hub_.on_connect(*self->session_);
  self->capturing_ = false;
  auto greeting = std::exchange(self->reply_, std::nullopt);
  if (accepted) co_return std::nullopt;
  self->finish("Refused");
  co_return greeting ? *greeting : error_message(503, "The server refused the connection");
}

asio::awaitable<ServerMessage> WebDevice::run(std::string line) {
  co_return co_await asio::co_spawn(executor_, run_here(shared_from_this(), std::move(line)), asio::use_awaitable);
}

asio::awaitable<ServerMessage> WebDevice::run_here(std::shared_ptr<WebDevice> self, std::string line) {
  co_return co_await self->run_line(std::move(line));
}

asio::awaitable<ServerMessage> WebDevice::run_line(std::string line) {
  co_await acquire();
  if (ended_ || close_requested_) {
    release();
    co_return error_message(503, "This browser session has ended; log in again");
  }
  capturing_ = true;
  try {
    co_await hub_.on_line(*session_, line);
  } catch (const std::exception& e) {
    reply_ = error_message(500, "Internal error");
  }
  capturing_ = false;
  auto reply = std::exchange(reply_, std::nullopt);
  release();
  if (close_requested_ && !busy_) finish(end_reason_);
  co_return reply ? *reply : error_message(500, "No reply from the hub");
}

// One command at a time, in arrival order: a waiting command parks on a
// timer that release() cancels.
asio::awaitable<void> WebDevice::acquire() {
  if (!busy_) {
    busy_ = true;
    co_return;
  }
  auto timer = std::make_shared<asio::steady_timer>(executor_, asio::steady_timer::time_point::max());
  waiters_.push_back(timer);
  boost::system::error_code ec;
  co_await timer->async_wait(asio::redirect_error(asio::use_awaitable, ec));
  // busy_ stays true: release() handed the turn straight to this command.
}

void WebDevice::release() {
  if (waiters_.empty()) {
    busy_ = false;
    return;
  }
  waiters_.front()->cancel();
  waiters_.pop_front();
}

void WebDevice::send(hub::SharedBytes bytes) {
  asio::dispatch(executor_, [self = shared_from_this(), bytes = std::move(bytes)] { self->on_bytes(*bytes); });
}

void WebDevice::on_bytes(const std::string& bytes) {
  parser_.feed(bytes);
  while (auto message = parser_.next()) {
    if (!message->is_reply())
      on_event(*message);
    else if (capturing_ && !reply_)
      reply_ = std::move(*message);
  }
  if (!parser_.error().empty()) parser_ = protocol::ServerMessageParser();
}

void WebDevice::on_event(const ServerMessage& event) {
  if (event.name == "PING") {
    // The browser is the other end: its session being alive is the answer.
    if (liveness_ && !liveness_()) return stop("Session expired");
    session_->last_received.store(hub::steady_now_ms());
    session_->ping_outstanding.store(false);
  } else if (event.name == "LOGIN" || event.name == "LOGOUT") {
    boost::json::object o{{"type", lower(event.name)},
                          {"name", event.text},
                          {"kind", kind_of_ ? kind_of_(event.text) : "terminal"},
                          {"time", now_iso()}};
    publish(boost::json::serialize(o));
  } else if (event.name == "BYE") {
    end_reason_ = event.text;
  }
}

void WebDevice::send_letter(hub::LetterPtr letter) {
  asio::dispatch(executor_, [self = shared_from_this(), letter = std::move(letter)] { self->on_letter(letter); });
}

// A letter in the session's queue counts as written, as one in a TCP
// socket does; after the device ended it goes back to the hub, which stores
// it (docs/MESSAGING.md#slow-receivers).
void WebDevice::on_letter(const hub::LetterPtr& letter) {
  hub::letter_settled(*letter);
  if (ended_) {
    hub_.messaging().letters_unsent(*session_, {letter});
    return;
  }
  const auto sent = std::chrono::system_clock::from_time_t(static_cast<std::time_t>(letter->sent_unix));
  boost::json::object o{{"type", letter->kind == 'B' ? "broadcast" : "message"},
                        {"from", letter->sender()},
                        {"text", letter->text()},
                        {"time", format_iso_utc(sent)},
                        {"stored", letter->stored_id != 0}};
  publish(boost::json::serialize(o));
  if (letter->stored_id != 0) hub_.messaging().letters_written(*session_, {letter});
}

void WebDevice::publish(std::string json) {
  auto event = std::make_shared<const std::string>(std::move(json));
  if (sinks_.empty()) {
    buffered_.push_back(std::move(event));
    if (buffered_.size() > kMaxBufferedEvents) {
      buffered_.pop_front();
      dropped_.fetch_add(1);
    }
    return;
  }
  for (const auto& sink : sinks_) sink->deliver(event);
}

void WebDevice::attach(std::shared_ptr<EventSink> sink) {
  asio::dispatch(executor_, [self = shared_from_this(), sink = std::move(sink)] {
    if (self->ended_) return sink->end(self->end_reason_);
    for (auto& event : self->buffered_) sink->deliver(std::move(event));
    self->buffered_.clear();
    self->sinks_.push_back(sink);
  });
}

void WebDevice::detach(const EventSink* sink) {
  asio::dispatch(executor_, [self = shared_from_this(), sink] {
    std::erase_if(self->sinks_, [sink](const auto& s) { return s.get() == sink; });
  });
}

void WebDevice::set_liveness(std::function<bool()> live) {
  asio::dispatch(executor_,
                 [self = shared_from_this(), live = std::move(live)]() mutable { self->liveness_ = std::move(live); });
}

void WebDevice::close_after_flush() { stop(""); }

void WebDevice::stop(std::string reason) {
  asio::dispatch(executor_, [self = shared_from_this(), reason = std::move(reason)] {
    if (!reason.empty()) self->end_reason_ = reason;
    self->close_requested_ = true;
    if (!self->busy_) self->finish(self->end_reason_);
  });
}

void WebDevice::on_ended(std::function<void()> callback) {
  asio::dispatch(executor_, [self = shared_from_this(), callback = std::move(callback)]() mutable {
    if (self->ended_)
      callback();
    else
      self->ended_callback_ = std::move(callback);
  });
}

void WebDevice::finish(const std::string& reason) {
  if (ended_) return;
  ended_ = true;
  session_->closing.store(true);
  hub_.on_disconnect(*session_);
  for (const auto& sink : sinks_) sink->end(reason);
  sinks_.clear();
  buffered_.clear();
  if (auto callback = std::exchange(ended_callback_, nullptr)) callback();
}

}  // namespace edgehub::web::api
