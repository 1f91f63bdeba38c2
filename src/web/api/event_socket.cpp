// GET /api/v1/events: the session's events over a WebSocket
// (docs/HTTP_API.md#events). Beast's websocket::stream over the upgraded
// connection, plain or TLS: messages over 64 KiB (a fragmented message
// counts whole) and unmasked client frames close it; the server pings and
// closes a browser that stops answering.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <deque>

#include "web/api/api_routes.hpp"
#include "web/api/event_socket.hpp"

namespace edgehub::web::api {

namespace asio = boost::asio;
namespace websocket = boost::beast::websocket;

namespace {

template <typename Stream>
class EventSocket final : public EventSink, public std::enable_shared_from_this<EventSocket<Stream>> {
 public:
  EventSocket(Stream stream, std::shared_ptr<BrowserSession> session, EventSocketOptions options)
      : ws_(std::move(stream)), session_(std::move(session)), options_(options) {}

  asio::awaitable<void> run(HttpRequest request) {
    auto self = this->shared_from_this();
    boost::beast::get_lowest_layer(ws_).expires_never();
    websocket::stream_base::timeout timeout{};
    timeout.handshake_timeout = std::chrono::seconds(10);
    timeout.idle_timeout = options_.idle_timeout;
    timeout.keep_alive_pings = true;
    ws_.set_option(timeout);
    ws_.read_message_max(options_.read_message_max);
    boost::system::error_code ec;
    co_await ws_.async_accept(request, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;
    queue(std::make_shared<const std::string>(
        boost::json::serialize(boost::json::object{{"type", "hello"}, {"name", session_->name()}})));
    session_->device().attach(self);
    co_await read_loop();
    session_->device().detach(this);
  }

  void deliver(std::shared_ptr<const std::string> json) override {
    asio::post(ws_.get_executor(), [self = this->shared_from_this(), json = std::move(json)] { self->queue(json); });
  }

  void end(std::string reason) override {
    asio::post(ws_.get_executor(), [self = this->shared_from_this(), reason = std::move(reason)] {
      if (self->ending_) return;
      self->queue(std::make_shared<const std::string>(
          boost::json::serialize(boost::json::object{{"type", "bye"}, {"reason", reason}})));
      self->ending_ = true;
    });
  }

 private:
  // The browser sends nothing we need; reading answers pings and sees the close.
  asio::awaitable<void> read_loop() {
    boost::beast::flat_buffer buffer;
    boost::system::error_code ec;
    while (!ec) {
      co_await ws_.async_read(buffer, asio::redirect_error(asio::use_awaitable, ec));
      buffer.clear();
    }
    closed_ = true;
  }

  void queue(std::shared_ptr<const std::string> json) {
    if (closed_ || ending_) return;
    if (outbox_.size() >= options_.max_queued) {  // a browser that does not read
      ending_ = true;
      outbox_.clear();
    } else {
      outbox_.push_back(std::move(json));
    }
    if (!writing_) {
      writing_ = true;
      asio::co_spawn(ws_.get_executor(), write_loop(this->shared_from_this()), asio::detached);
    }
  }

  asio::awaitable<void> write_loop(std::shared_ptr<EventSocket> /*self*/) {
    boost::system::error_code ec;
    ws_.text(true);
    while (!outbox_.empty() && !ec) {
      auto next = std::move(outbox_.front());
      outbox_.pop_front();
      co_await ws_.async_write(asio::buffer(*next), asio::redirect_error(asio::use_awaitable, ec));
    }
    writing_ = false;
    if (ending_ && !closed_ && !ec) {
      closed_ = true;
      co_await ws_.async_close(websocket::close_code::normal, asio::redirect_error(asio::use_awaitable, ec));
    }
  }

  websocket::stream<Stream> ws_;
  std::shared_ptr<BrowserSession> session_;
  EventSocketOptions options_;
  std::deque<std::shared_ptr<const std::string>> outbox_;
  bool writing_ = false;
  bool ending_ = false;
  bool closed_ = false;
};

template <typename Stream>
void start(Stream&& stream, std::shared_ptr<BrowserSession> session, HttpRequest request, EventSocketOptions options) {
  auto executor = stream.get_executor();
  auto socket = std::make_shared<EventSocket<std::decay_t<Stream>>>(std::move(stream), std::move(session), options);
  asio::co_spawn(executor, socket->run(std::move(request)), asio::detached);
}

}  // namespace

void serve_events(std::unique_ptr<Upgraded> upgraded, EventSocketOptions options) {
  auto session = std::dynamic_pointer_cast<BrowserSession>(upgraded->request.session);
  if (!session) return;
  if (auto* plain = std::get_if<PlainStream>(&upgraded->stream))
    start(std::move(*plain), session, std::move(upgraded->http), options);
  else if (auto* tls = std::get_if<TlsStream>(&upgraded->stream))
    start(std::move(*tls), session, std::move(upgraded->http), options);
}

void add_event_routes(Router& router, const std::shared_ptr<ApiContext>& /*ctx*/) {
  Route route;
  route.pattern = "/api/v1/events";
  route.access = Access::LoggedIn;
  route.upgrade = [](std::unique_ptr<Upgraded> upgraded) { serve_events(std::move(upgraded), {}); };
  router.add(std::move(route));
}

}  // namespace edgehub::web::api
