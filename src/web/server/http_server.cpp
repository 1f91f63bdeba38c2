// The HTTP acceptor (docs/HTTP_API.md#the-http-server).
#include "web/server/http_server.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace edgehub::web {

namespace asio = boost::asio;
using asio::ip::tcp;

HttpServer::HttpServer(HttpOptions options, net::Listener listener, std::vector<asio::any_io_executor> executors,
                       std::shared_ptr<const Router> router, std::shared_ptr<SessionResolver> sessions)
    : shared_(std::make_shared<HttpShared>()), executors_(std::move(executors)) {
  shared_->options = std::move(options);
  shared_->router = std::move(router);
  shared_->sessions = std::move(sessions);
  port_ = listener.port();
  const auto protocol = listener.ipv6() ? tcp::v6() : tcp::v4();
  acceptor_ = std::make_unique<tcp::acceptor>(executors_.at(0), protocol, listener.take());
}

HttpServer::~HttpServer() = default;

void HttpServer::start() { asio::co_spawn(executors_[0], accept_loop(), asio::detached); }

void HttpServer::stop() {
  asio::post(executors_[0], [this] {
    boost::system::error_code ignored;
    acceptor_->close(ignored);
  });
}

asio::awaitable<void> HttpServer::accept_loop() {
  for (;;) {
    const auto& target = executors_[next_++ % executors_.size()];
    boost::system::error_code ec;
    tcp::socket socket = co_await acceptor_->async_accept(target, asio::redirect_error(asio::use_awaitable, ec));
    if (ec == asio::error::operation_aborted || !acceptor_->is_open()) co_return;
    if (ec) {
      // EMFILE and friends: say so, back off briefly, keep serving.
      spdlog::warn("http accept failed: {}", ec.message());
      asio::steady_timer pause(executors_[0], std::chrono::milliseconds(100));
      co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      continue;
    }
    asio::co_spawn(target, serve_socket(std::move(socket), shared_), asio::detached);
  }
}

}  // namespace edgehub::web
