#include "client/messaging/private_channel.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "client/messaging/private_wire.hpp"

namespace edgehub::client {

namespace asio = boost::asio;

PrivateChannel::PrivateChannel(asio::ip::tcp::socket socket, std::string peer, std::string leftover)
    : socket_(std::move(socket)), peer_(std::move(peer)), input_(std::move(leftover)) {}

void PrivateChannel::start(OnText on_text, OnClosed on_closed) {
  on_text_ = std::move(on_text);
  on_closed_ = std::move(on_closed);
  asio::co_spawn(socket_.get_executor(), read_loop(shared_from_this()), asio::detached);
}

asio::awaitable<void> PrivateChannel::read_loop(std::shared_ptr<PrivateChannel> self) {
  auto buffer = asio::dynamic_buffer(input_, kPrivateMaxLine);
  while (!closed_) {
    const auto [ec, n] = co_await asio::async_read_until(socket_, buffer, '\n', asio::as_tuple(asio::use_awaitable));
    if (ec) break;  // end of stream, error, or a line over the limit
    std::string line = input_.substr(0, n - 1);
    input_.erase(0, n);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line == "BYE") break;
    on_line(line);
  }
  const bool report = !silent_;
  close_socket();
  if (report && on_closed_) on_closed_(self);
}

void PrivateChannel::on_line(std::string_view line) {
  if (line.substr(0, 4) == "MSG " && on_text_) on_text_(peer_, line.substr(4));
  // Anything else is from a newer version of the protocol: ignored.
}

void PrivateChannel::write_line(std::string line) {
  line.push_back('\n');
  asio::dispatch(socket_.get_executor(),
                 [self = shared_from_this(), line = std::move(line)]() mutable { self->enqueue(std::move(line)); });
}

void PrivateChannel::enqueue(std::string bytes) {
  if (closed_ || finished_) return;
  outbox_.push_back(std::move(bytes));
  if (outbox_.size() == 1) write_front();
}

void PrivateChannel::write_front() {
  asio::async_write(socket_, asio::buffer(outbox_.front()),
                    [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
                      self->outbox_.pop_front();
                      if (ec) self->outbox_.clear();
                      if (!self->outbox_.empty()) return self->write_front();
                      if (ec || self->finished_) self->close_socket();  // a failed write ends the read loop too
                    });
}

void PrivateChannel::finish(std::function<void()> done) {
  asio::dispatch(socket_.get_executor(), [self = shared_from_this(), done = std::move(done)]() mutable {
    if (self->closed_ || self->finished_) return done();
    self->silent_ = true;
    self->outbox_.push_back("BYE\n");
    self->finished_ = std::move(done);
    if (self->outbox_.size() == 1) self->write_front();
  });
}

void PrivateChannel::abandon() {
  silent_ = true;
  close_socket();
}

void PrivateChannel::close_socket() {
  if (closed_) return;
  closed_ = true;
  boost::system::error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
  if (finished_) std::exchange(finished_, {})();
}

}  // namespace edgehub::client
