#include "net/connection.hpp"

#include "net/first_byte.hpp"
#include "net/parking_lot.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <array>
#include <utility>

#include "common/thread_check.hpp"
#include "hub/messaging/messaging_service.hpp"
#include "protocol/frame_decoder.hpp"

namespace edgehub::net {

using asio::ip::tcp;

namespace {
constexpr std::size_t kReadChunk = 64 * 1024;
constexpr auto kFlushGrace = std::chrono::seconds(5);
}  // namespace

// Moves an accepted socket onto its io_context's concrete executor type.
Connection::Socket Connection::adopt(tcp::socket socket) {
  const auto* executor = socket.get_executor().target<asio::io_context::executor_type>();
  if (executor == nullptr) throw std::logic_error("connection sockets must belong to an io_context");
  Socket typed(*executor);
  // On failure the socket stays closed and the connection ends at once.
  boost::system::error_code ec;
  const auto local = socket.local_endpoint(ec);
  if (!ec) {
    const auto fd = socket.release(ec);
    if (!ec) typed.assign(local.protocol(), fd, ec);
  }
  return typed;
}

Connection::Connection(tcp::socket socket, hub::Hub& hub, std::size_t high_water, std::string remote_ip)
    : Connection(adopt(std::move(socket)), hub, high_water, std::move(remote_ip)) {}

Connection::Connection(Socket socket, hub::Hub& hub, std::size_t high_water, std::string remote_ip)
    : socket_(std::move(socket)), hub_(hub), high_water_(high_water), ip_(std::move(remote_ip)) {
  metrics::server_metrics().connections_of(transport_).add();
}

void Connection::count_as(metrics::Transport transport) {
  const auto& counts = metrics::server_metrics();
  counts.connections_of(transport_).sub();
  transport_ = transport;
  counts.connections_of(transport_).add();
}

// Letters still held release their senders' broadcast budgets
// (hub/messaging/broadcast_budget.hpp); normally settle_letters has.
Connection::~Connection() {
  if (busy_) {
    for (const auto& pending : busy_->letters) hub::letter_settled(*pending.letter);
    hub_.abuse().release_output(busy_->queued_bytes);
  }
  metrics::server_metrics().connections_of(transport_).sub();
}

void Connection::prepare_socket() {
  boost::system::error_code ec;
  socket_.non_blocking(true, ec);
  socket_.set_option(tcp::no_delay(true), ec);
}

void Connection::start() {
  session_.emplace(*this, weak_from_this());
  prepare_socket();
  if (auto& lot = ParkingLot::of(socket_.get_executor()); lot.enabled()) {
    lot_ = &lot;
    boost::system::error_code ec;  // (unknown: v4, and unparking such a socket fails and closes it)
    ipv6_ = socket_.local_endpoint(ec).protocol() == tcp::v6();
  }
  // The handler owns the connection from before it runs (possibly on
  // another thread); from then on, the pending wait or read loop does.
  asio::dispatch(socket_.get_executor(), [self = shared_from_this()] {
    if (self->hub_.on_connect(*self->session_))
      self->wait_readable();
    else
      self->begin_close();
  });
}

// An idle connection waits with a plain callback, not inside a coroutine: a
// suspended coroutine would keep its frames (about 1 KiB) for as long as the
// device stays idle. A read loop coroutine runs only while there is input.
void Connection::wait_readable() {
  const auto what = std::exchange(wait_for_, tcp::socket::wait_read);
  waiting_ = what == tcp::socket::wait_read;
  touched_ = true;
  if (lot_ != nullptr && !candidate_ && waiting_) {
    candidate_ = true;
    lot_->watch(shared_from_this());
  }
  socket_.async_wait(what, [self = shared_from_this(), epoch = park_epoch_](const boost::system::error_code& ec) {
    if (epoch != self->park_epoch_) return;  // aborted by a park: the lot watches the descriptor now
    self->waiting_ = false;
    asio::co_spawn(self->socket_.get_executor(), self->read_loop(self, !ec), asio::detached);
  });
}

asio::awaitable<void> Connection::read_loop([[maybe_unused]] std::shared_ptr<Connection> self, bool readable) {
  while (readable && !closed_) {
    const ReadResult r = read_available();
    if (r == ReadResult::Closed) break;
    // Edge-triggered readiness: keep reading until the kernel says
    // would-block, or a later wait could sleep on buffered data.
    if (r == ReadResult::WouldBlock) {
      wait_readable();
      co_return;
    }
    if (!co_await process_input()) break;
    // A short read of a plain socket took all the kernel held, so the read
    // that would only say would-block is skipped (a system call per wake-up,
    // docs/BENCHMARKS.md#routing-cost). Nothing is missed: the wait re-arms
    // the descriptor (epoll_ctl), which reports bytes that came meanwhile.
    if (r == ReadResult::Drained && !closed_) {
      wait_readable();
      co_return;
    }
  }
  if (!closing_) shutdown_now();
  // Closing aborted any write in progress; its completion is queued before
  // this post, so messages it did not write are handed back (and stored
  // offline) before the device is logged out and could log in again.
  co_await asio::post(socket_.get_executor(), asio::use_awaitable);
  hub_.on_disconnect(*session_);
}

Connection::ReadResult Connection::read_available() {
  // One buffer per thread, not per connection: bytes are copied out (only
  // an unfinished frame) before anything else can run on this thread.
  static thread_local std::array<char, kReadChunk> buffer;
  boost::system::error_code ec;
  const std::size_t n = read_bytes(buffer.data(), buffer.size(), ec);
  if (ec == asio::error::would_block || ec == asio::error::try_again) return ReadResult::WouldBlock;
  if (ec || closed_) return ReadResult::Closed;
  if (std::exchange(greeted_on_silence_, false) && n > 0 && static_cast<unsigned char>(buffer[0]) == 0x16) {
    // Its TLS stack has the plaintext greeting in place of a ServerHello and
    // fails; nothing it sends can be read as commands (docs/SECURITY.md#tls).
    spdlog::warn(
        "{}: a TLS ClientHello came after the plaintext greeting (the client was silent for 250 ms): "
        "closed; the client must connect again",
        ip_);
    return ReadResult::Closed;
  }
  busy().input.append(buffer.data(), n);
  return n < buffer.size() && short_read_drains() ? ReadResult::Drained : ReadResult::Data;
}

std::size_t Connection::read_bytes(char* data, std::size_t size, boost::system::error_code& ec) {
  return socket_.read_some(asio::buffer(data, size), ec);
}

asio::awaitable<bool> Connection::process_input() {
  EDGEHUB_ASSERT_OWN_THREAD(on_own_thread(), "Connection::process_input");
  // While a handler runs, input holds at least its frame (consumed input
  // is erased only after the loop), so release_busy_if_done keeps the block.
  std::string& input = busy().input;
  std::size_t offset = 0;
  bool keep_reading = true;
  while (!closing_) {
    // input does not change while a handler runs: only this loop appends.
    const std::string_view view(input.data() + offset, input.size() - offset);
    const protocol::Frame frame = protocol::decode_frame(view, protocol::kClientToServer);
    if (frame.kind == protocol::FrameKind::NeedMore) break;
    if (frame.kind == protocol::FrameKind::Error) {
      metrics::server_metrics().received(metrics::Feature::control).inc(frame.consumed);
      offset += frame.consumed;
      if (!hub_.on_frame_error(*session_, frame.error)) {
        keep_reading = false;
        close_after_flush();
        break;
      }
      continue;
    }
    if (frame.kind == protocol::FrameKind::Line)
      co_await hub_.on_line(*session_, frame.payload);
    else
      co_await hub_.on_block(*session_, frame.payload);
    metrics::server_metrics().received(session_->feature).inc(frame.consumed);
    offset += frame.consumed;
  }
  input.erase(0, offset);
  if (input.empty()) std::string().swap(input);  // idle connections hold no buffer
  release_busy_if_done();
  co_return keep_reading && !closed_;
}

void Connection::close_after_flush() {
  asio::dispatch(socket_.get_executor(), [self = shared_from_this()] { self->begin_close(); });
}

void Connection::begin_close() {
  if (closing_ || closed_) return;
  closing_ = true;
  session_->closing.store(true);
  if (!writing_ && (!busy_ || busy_->queue.empty())) return shutdown_now();
  // A peer that never reads must not keep us waiting for the flush.
  auto& deadline = busy().flush_deadline;
  deadline = std::make_unique<asio::steady_timer>(socket_.get_executor(), kFlushGrace);
  deadline->async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
    if (!ec) self->shutdown_now();
  });
}

void Connection::shutdown_now() {
  if (closed_) return;
  ensure_unparked();  // so that the close ends a wait, whose handler logs the device out
  closed_ = true;
  close_transport();   // wakes the read loop, which logs the device out
  if (!busy_) return;  // nothing queued, nothing to settle
  if (busy_->flush_deadline) busy_->flush_deadline->cancel();
  // Frames still queued will never be written: drop them now.
  if (!writing_) {
    hub_.abuse().release_output(std::exchange(busy_->queued_bytes, 0));
    std::vector<hub::SharedBytes>().swap(busy_->queue);
  }
  settle_letters();
}

void Connection::close_transport() {
  boost::system::error_code ignored;
  socket_.shutdown(tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
}

}  // namespace edgehub::net
