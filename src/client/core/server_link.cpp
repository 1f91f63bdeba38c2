#include "client/core/server_link.hpp"

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <cstring>
#include <future>
#include <memory>
#include <stdexcept>
#include <utility>

namespace edgehub::client {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

void copy_to_sink(DownloadBlockSink& sink, std::string_view bytes) {
  while (!bytes.empty()) {
    const auto room = sink.room(bytes.size());
    std::memcpy(room.data(), bytes.data(), room.size());
    sink.filled(room.size());
    bytes.remove_prefix(room.size());
  }
}

// asio::async_read's default condition (transfer_all) lets each recv take
// at most 64 KiB, so a 1 MiB block cost 16 recv calls and 16 trips through
// epoll; this one lets every recv fill all the room that is left (recv
// calls per GiB: 17,400 -> 2,200; client system time about -25 %).
struct FillWhatIsLeft {
  std::size_t room;
  std::size_t operator()(const boost::system::error_code& ec, std::size_t done) const { return ec ? 0 : room - done; }
};

}  // namespace

tcp::socket ServerLink::open_socket(const std::string& host, std::uint16_t port) {
  tcp::resolver resolver(io_);
  boost::system::error_code ec;
  const auto endpoints = resolver.resolve(host, std::to_string(port), ec);
  if (ec) throw std::runtime_error("cannot resolve " + host + ": " + ec.message());
  tcp::socket socket(io_);
  asio::connect(socket, endpoints, ec);
  if (ec) throw std::runtime_error("cannot connect to " + host + ":" + std::to_string(port) + ": " + ec.message());
  socket.set_option(tcp::no_delay(true), ec);
  return socket;
}

// One more try when a loopback server took a late ClientHello for a
// plaintext client's silence (docs/SECURITY.md#tls).
std::unique_ptr<LinkStream> ServerLink::open_stream(const std::string& host, std::uint16_t port) {
  for (int attempt = 0;; ++attempt) {
    auto socket = open_socket(host, port);
    boost::system::error_code ec;
    const bool loopback = socket.remote_endpoint(ec).address().is_loopback() && !ec;
    try {
      auto stream = tls_->open(std::move(socket), host, port);
      private_path_.store(stream->tls() || loopback);
      return stream;
    } catch (const HandshakeFailed&) {
      if (attempt > 0 || !loopback) throw;
    }
  }
}

void ServerLink::connect(const std::string& host, std::uint16_t port) {
  stream_ = open_stream(host, port);
  start_read();
}

void ServerLink::reconnect(const std::string& host, std::uint16_t port) {
  auto fresh = open_stream(host, port);  // blocking, on this thread: touches nothing shared
  std::promise<void> adopted;
  asio::post(io_, [this, &fresh, &adopted] {
    adopt(std::move(fresh));
    adopted.set_value();
  });
  adopted.get_future().wait();
}

// I/O thread: the new connection starts with nothing of the old one. The
// old one's handlers still queued see another generation and do nothing.
void ServerLink::adopt(std::unique_ptr<LinkStream> fresh) {
  ++generation_;
  if (stream_) {
    boost::system::error_code ignored;
    stream_->socket().close(ignored);
  }
  retired_ = std::exchange(stream_, std::move(fresh));
  parser_ = protocol::ServerMessageParser{};
  outbox_.clear();
  streaming_to_.reset();
  {
    std::lock_guard lock(mutex_);
    closed_ = false;
    replies_.clear();
    held_events_.clear();
    replies_queued_ = replies_taken_ = replies_finished_ = 0;
    unsent_bytes_ = 0;
    sink_.reset();
  }
  start_read();
}

void ServerLink::start_read() {
  stream_->async_read_some(asio::buffer(read_buffer_),
                           [this, gen = generation_](const boost::system::error_code& ec, std::size_t n) {
                             if (gen == generation_) on_read(ec, n);
                           });
}

void ServerLink::on_read(const boost::system::error_code& ec, std::size_t n) {
  if (ec) return mark_closed(ec == asio::error::eof ? "closed by server" : ec.message());
  parser_.feed(std::string_view(read_buffer_.data(), n));
  process_buffered();
}

// Hands out every complete message in the parser; a block bound for the
// sink is read past the parser, and reading resumes after it.
void ServerLink::process_buffered() {
  for (;;) {
    if (auto sink = block_sink()) {
      if (const auto size = parser_.take_block_header()) {
        streaming_to_ = std::move(sink);
        if (!stream_block(*size)) return;  // the rest of the payload is being read
        continue;
      }
    }
    auto message = parser_.next();
    if (!message) break;
    dispatch(std::move(*message));
  }
  if (!parser_.error().empty()) return mark_closed("protocol error: " + parser_.error());
  start_read();
}

void ServerLink::dispatch(protocol::ServerMessage message) {
  if (message.kind == protocol::ServerMessage::Kind::Event) {
    if (!hold_event(message) && on_event_) on_event_(message);
    return;
  }
  if (message.kind == protocol::ServerMessage::Kind::Block) {
    if (auto sink = block_sink()) {
      if (message.data.empty()) {
        sink->window_end();
      } else {  // a whole block the parser assembled itself
        copy_to_sink(*sink, message.data);
        sink->block_end();
        return;
      }
    }
  }
  std::lock_guard lock(mutex_);
  replies_.push_back(std::move(message));
  ++replies_queued_;
  ready_.notify_all();
}

// I/O thread: true if the event must wait behind a reply (or behind
// events already waiting). Events never shown only need to be handled, and
// at once: a swarm ticket held behind a long command would leave its
// downloader unserved (docs/SWARM.md#5-downloader-and-seeder).
bool ServerLink::hold_event(protocol::ServerMessage& message) {
  if (message.name == "SWARMTICKET" || message.name == "SWARMUNTICKET") return false;
  std::lock_guard lock(mutex_);
  if (held_events_.empty() && replies_finished_ == replies_queued_) return false;
  held_events_.push_back({std::move(message), replies_queued_});
  return true;
}

// Command thread: the replies taken so far (all queued ones, when `all`)
// are done with; the events behind them are shown on the I/O thread.
void ServerLink::finish_taken_replies(bool all) {
  replies_finished_ = std::max(replies_finished_, all ? replies_queued_ : replies_taken_);
  if (!held_events_.empty() && held_events_.front().after <= replies_finished_)
    asio::post(io_, [this] { show_released_events(); });
}

void ServerLink::show_released_events() {
  for (;;) {
    std::unique_lock lock(mutex_);
    if (held_events_.empty() || (held_events_.front().after > replies_finished_ && !closed_)) return;
    auto message = std::move(held_events_.front().message);
    held_events_.pop_front();
    lock.unlock();
    if (on_event_) on_event_(message);
  }
}

void ServerLink::replies_handled() {
  std::lock_guard lock(mutex_);
  finish_taken_replies(true);
}

// Into streaming_to_: the payload's first bytes came with the header and
// are copied; true if that was all of it. Otherwise the rest is read
// straight into the sink.
bool ServerLink::stream_block(std::size_t size) {
  const auto buffered = parser_.take_buffered(size);
  copy_to_sink(*streaming_to_, buffered);
  const std::size_t remaining = size - buffered.size();
  if (remaining > 0) {
    read_payload(remaining);
    return false;
  }
  streaming_to_->block_end();
  streaming_to_.reset();
  return true;
}

void ServerLink::read_payload(std::size_t remaining) {
  const auto room = streaming_to_->room(remaining);
  asio::async_read(*stream_, asio::buffer(room.data(), room.size()), FillWhatIsLeft{room.size()},
                   [this, remaining, gen = generation_](const boost::system::error_code& ec, std::size_t n) {
                     if (gen != generation_) return;  // a connection given up (reconnect)
                     if (ec) return mark_closed(ec == asio::error::eof ? "closed by server" : ec.message());
                     streaming_to_->filled(n);
                     if (n < remaining) return read_payload(remaining - n);
                     streaming_to_->block_end();
                     streaming_to_.reset();
                     process_buffered();
                   });
}

std::shared_ptr<DownloadBlockSink> ServerLink::block_sink() const {
  std::lock_guard lock(mutex_);
  return sink_;
}

void ServerLink::set_block_sink(std::shared_ptr<DownloadBlockSink> sink) {
  std::lock_guard lock(mutex_);
  sink_ = std::move(sink);
}

void ServerLink::mark_closed(const std::string& /*why*/) {
  boost::system::error_code ignored;
  if (stream_) stream_->socket().close(ignored);
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
    ready_.notify_all();
  }
  show_released_events();  // nothing more will come: what is held is shown
}

void ServerLink::send_line(std::string line) {
  line.push_back('\n');
  send_bytes(std::move(line));
}

void ServerLink::send_bytes(std::string bytes) {
  auto data = std::make_shared<std::string>(std::move(bytes));
  {
    std::lock_guard lock(mutex_);
    unsent_bytes_ += data->size();
  }
  asio::post(io_, [this, data]() mutable {
    outbox_.push_back(std::move(data));
    if (outbox_.size() == 1) write_front();
  });
}

void ServerLink::write_front() {
  // One write at a time, in call order, all on the I/O thread. Up to a MiB
  // per system call (Asio's default is 64 KiB): a 1 GB UED made 16,000
  // sendto calls instead of 1,000.
  asio::async_write(
      *stream_, asio::buffer(*outbox_.front()),
      [](const boost::system::error_code& ec, std::size_t) -> std::size_t { return ec ? 0 : 1 << 20; },
      [this, gen = generation_](const boost::system::error_code& ec, std::size_t) {
        if (gen != generation_) return;  // a connection given up (reconnect): its outbox is gone
        {
          std::lock_guard lock(mutex_);
          unsent_bytes_ -= outbox_.front()->size();
          ready_.notify_all();
        }
        outbox_.pop_front();
        if (ec) {
          outbox_.clear();
          return mark_closed(ec.message());
        }
        if (!outbox_.empty()) write_front();
      });
}

bool ServerLink::wait_unsent_below(std::size_t max_unsent) {
  std::unique_lock lock(mutex_);
  ready_.wait(lock, [&] { return unsent_bytes_ <= max_unsent || closed_; });
  return !closed_;
}

std::optional<protocol::ServerMessage> ServerLink::take_reply() {
  if (replies_.empty()) return std::nullopt;
  auto message = std::move(replies_.front());
  replies_.pop_front();
  ++replies_taken_;
  return message;
}

std::optional<protocol::ServerMessage> ServerLink::poll_reply() {
  std::lock_guard lock(mutex_);
  finish_taken_replies(false);
  return take_reply();
}

bool ServerLink::wait_for_reply(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  finish_taken_replies(false);
  return ready_.wait_for(lock, timeout, [this] { return !replies_.empty() || closed_; });
}

std::optional<protocol::ServerMessage> ServerLink::next_reply() {
  std::unique_lock lock(mutex_);
  finish_taken_replies(false);
  ready_.wait(lock, [this] { return !replies_.empty() || closed_; });
  return take_reply();
}

std::unique_lock<std::recursive_mutex> ServerLink::take_turn() {
  ++turn_waiters_;
  std::unique_lock turn(turn_);
  --turn_waiters_;
  std::lock_guard lock(mutex_);
  ++turns_granted_;
  ready_.notify_all();
  return turn;
}

void ServerLink::yield_turn(std::unique_lock<std::recursive_mutex>& turn) {
  std::unique_lock lock(mutex_);
  const std::uint64_t granted = turns_granted_;
  turn.unlock();
  // recursive_mutex is not fair: without waiting here this thread could take
  // the turn straight back.
  ready_.wait_for(lock, std::chrono::seconds(1), [&] { return turns_granted_ != granted || closed_; });
  lock.unlock();
  turn.lock();
}

protocol::ServerMessage ServerLink::request(std::string line) {
  const auto turn = take_turn();
  send_line(std::move(line));
  auto reply = next_reply();
  if (!reply) throw std::runtime_error("connection to the server was closed");
  return std::move(*reply);
}

void ServerLink::close() {
  asio::post(io_, [this] { mark_closed("closed by client"); });
}

bool ServerLink::is_closed() const {
  std::lock_guard lock(mutex_);
  return closed_;
}

std::string ServerLink::local_address() const {
  boost::system::error_code ec;
  if (!stream_) return {};
  const auto ep = stream_->socket().local_endpoint(ec);
  return ec ? std::string() : ep.address().to_string();
}

}  // namespace edgehub::client
