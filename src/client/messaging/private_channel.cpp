#include "client/messaging/private_channel.hpp"

#include <fmt/format.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "client/messaging/private_wire.hpp"

namespace edgehub::client {

namespace asio = boost::asio;

PrivateChannel::PrivateChannel(asio::ip::tcp::socket socket, std::string peer, PrivateCipher cipher,
                               std::string leftover)
    : socket_(std::move(socket)),
      peer_(std::move(peer)),
      cipher_(std::move(cipher)),
      sas_(cipher_.sas()),
      input_(std::move(leftover)) {}

void PrivateChannel::start(OnText on_text, OnClosed on_closed) {
  on_text_ = std::move(on_text);
  on_closed_ = std::move(on_closed);
  asio::co_spawn(socket_.get_executor(), read_loop(shared_from_this()), asio::detached);
}

asio::awaitable<void> PrivateChannel::read_loop(std::shared_ptr<PrivateChannel> self) {
  std::string why;
  char chunk[4096];
  while (!closed_) {
    auto result = cipher_.open(input_);
    if (auto* line = std::get_if<PrivateCipher::Opened>(&result)) {
      if (auto end = on_line(*line)) {
        why = std::move(*end);
        break;
      }
      continue;
    }
    if (auto* bad = std::get_if<PrivateCipher::Bad>(&result)) {
      why = rejected(bad->why);
      break;
    }
    const auto [ec, n] = co_await socket_.async_read_some(asio::buffer(chunk), asio::as_tuple(asio::use_awaitable));
    if (ec) break;  // end of stream or error
    input_.append(chunk, n);
  }
  const bool report = !silent_;
  if (!finished_) finished_ = [] {};    // what is still queued (a BYE "rejected") goes first,
  if (outbox_.empty()) close_socket();  // then write_front closes
  if (report && on_closed_) on_closed_(self, why);
}

// Nothing of a record that fails to open is shown; the peer is told (a BYE
// the attacker cannot forge either) and the session ends on both sides
// (docs/SECURITY.md#end-to-end-encryption-private-sessions-and-verify).
std::string PrivateChannel::rejected(const std::string& what) {
  finished_ = [] {};  // close once the BYE is written
  enqueue("BYE rejected");
  return fmt::format("a record from {} {} (changed on the way?); nothing of it was shown", peer_, what);
}

std::optional<std::string> PrivateChannel::on_line(std::string_view line) {
  if (line.substr(0, 4) == "MSG " && on_text_) on_text_(peer_, line.substr(4));
  if (line == "BYE") return std::string();
  if (line == "BYE rejected") return fmt::format("{} received a record from you that failed authentication", peer_);
  if (line.substr(0, 4) == "BYE ") return std::string();
  return std::nullopt;  // READY, or from a newer version of the protocol: ignored
}

void PrivateChannel::write_line(std::string line) {
  asio::dispatch(socket_.get_executor(),
                 [self = shared_from_this(), line = std::move(line)]() mutable { self->enqueue(std::move(line)); });
}

// Sealed here, on the I/O thread, in the order written: the record numbers
// follow the order on the wire.
void PrivateChannel::enqueue(std::string line) {
  if (closed_ || (finished_ && line.substr(0, 3) != "BYE")) return;
  outbox_.push_back(cipher_.seal(line));
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
    self->finished_ = std::move(done);
    self->enqueue("BYE");
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
