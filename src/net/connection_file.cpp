// The zero-copy file path of Connection (docs/FILES.md, "Downloads").
//
// A region goes out as "$N" blocks of at most 1 MiB: the header with
// send(MSG_MORE), then the bytes with sendfile(2), straight from the page
// cache to the socket, never through user memory. The socket is
// non-blocking: when it is full the pump waits for it to be writable, and
// after each block it yields (post) so that the other connections served
// by this thread get their turn: one large download never stalls them for
// more than one block's worth of work.
#include <sys/sendfile.h>
#include <sys/socket.h>

#include <spdlog/spdlog.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <cerrno>
#include <csignal>
#include <mutex>

#include "net/connection.hpp"
#include "protocol/limits.hpp"
#include "protocol/reply.hpp"

namespace edgehub::net {

using asio::ip::tcp;
using boost::system::error_code;

namespace {

// The zero-byte frame that stands for Busy::files.front() in Busy::queue.
const hub::SharedBytes& file_marker() {
  static const hub::SharedBytes marker = hub::make_bytes("");
  return marker;
}

// sendfile has no MSG_NOSIGNAL: a client that vanishes mid-download must
// cost an EPIPE, not the process.
void ignore_sigpipe() {
  static std::once_flag once;
  std::call_once(once, [] { std::signal(SIGPIPE, SIG_IGN); });
}

error_code last_error() { return {errno, boost::system::system_category()}; }

}  // namespace

void Connection::FileSend::report(bool complete) {
  if (!done_) return;
  auto done = std::move(done_);
  done_ = nullptr;
  done(sent, complete);
}

bool Connection::is_file_marker(const hub::SharedBytes& frame) { return frame == file_marker(); }

std::size_t Connection::frames_to_gather(std::size_t max) const {
  std::size_t n = 0;
  const auto& queue = busy_->queue;  // write_gathered's: there is output
  while (n < queue.size() && n < max && !is_file_marker(queue[n])) ++n;
  return n;
}

void Connection::send_file(hub::FileRegion region, hub::FileSent done) {
  ignore_sigpipe();
  asio::dispatch(socket_.get_executor(),
                 [self = shared_from_this(), region = std::move(region), done = std::move(done)]() mutable {
                   self->enqueue_file(std::move(region), std::move(done));
                 });
}

void Connection::enqueue_file(hub::FileRegion region, hub::FileSent done) {
  if (closed_) {
    if (done) done(0, false);
    return;
  }
  Busy& out = busy();
  out.files.emplace_back(std::move(region), std::move(done));
  out.queue.push_back(file_marker());
  if (!writing_) write_next();
}

asio::awaitable<void> Connection::pump_file([[maybe_unused]] std::shared_ptr<Connection> self) {
  FileSend& job = busy().files.front();  // a list: stays put while more is queued
  const error_code ec = co_await stream_region(job);
  metrics::server_metrics().sent(metrics::Feature::files).inc(job.sent);  // the blocks' headers are not counted
  const bool complete = !ec && job.sent == job.region.length;
  if (!complete && !closed_)
    spdlog::warn("{} ({}): file send stopped after {} of {} bytes: {}", session_->name, ip_, job.sent,
                 job.region.length, ec.message());
  job.report(complete);
  Busy& out = busy();  // not freed while writing_: an idle connection is not writing
  out.files.pop_front();
  if (!out.queue.empty() && is_file_marker(out.queue.front())) out.queue.erase(out.queue.begin());
  writing_ = false;
  // The stream promised N bytes it could not send: it cannot be framed
  // any more, so the connection ends (the client resumes later).
  if (!complete)
    shutdown_now();
  else if (!out.queue.empty())
    write_next();
  else if (closing_)
    shutdown_now();
  else
    release_busy_if_done();
}

asio::awaitable<error_code> Connection::stream_region(FileSend& job) {
  while (job.sent < job.region.length) {
    if (closed_) co_return asio::error::operation_aborted;
    const std::uint64_t block =
        std::min<std::uint64_t>(protocol::kServerToClient.max_block, job.region.length - job.sent);
    const std::string header = protocol::encode_block_header(block);
    if (const error_code ec = co_await send_header(header)) co_return ec;
    for (std::uint64_t left = block; left > 0;) {
      auto offset = static_cast<off_t>(job.region.offset + job.sent);
      const ssize_t n = ::sendfile(socket_.native_handle(), job.region.fd, &offset, left);
      if (n > 0) {
        left -= static_cast<std::uint64_t>(n);
        job.sent += static_cast<std::uint64_t>(n);
      } else if (n == 0) {
        co_return asio::error::eof;  // the file is shorter than announced
      } else if (errno != EINTR && errno != EAGAIN) {
        co_return last_error();
      } else if (errno == EAGAIN) {
        if (const error_code ec = co_await wait_ready(tcp::socket::wait_write)) co_return ec;
      }
    }
    // A client that keeps reading is alive: its answer to a PING would
    // otherwise wait behind the rest of the file (Hub::sweep).
    session_->last_received.store(hub::steady_now_ms());
    co_await asio::post(socket_.get_executor(), asio::use_awaitable);
  }
  co_return error_code{};
}

asio::awaitable<error_code> Connection::send_header(std::string_view bytes) {
  while (!bytes.empty()) {
    // MSG_MORE: the header leaves in the same segment as the data after it.
    const ssize_t n =
        ::send(socket_.native_handle(), bytes.data(), bytes.size(), MSG_MORE | MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n >= 0)
      bytes.remove_prefix(static_cast<std::size_t>(n));
    else if (errno == EAGAIN || errno == EWOULDBLOCK) {
      if (const error_code ec = co_await wait_ready(tcp::socket::wait_write)) co_return ec;
    } else if (errno != EINTR) {
      co_return last_error();
    }
  }
  co_return error_code{};
}

asio::awaitable<error_code> Connection::wait_ready(asio::socket_base::wait_type what) {
  error_code ec;
  co_await socket_.async_wait(what, asio::redirect_error(asio::use_awaitable, ec));
  if (!ec && closed_) ec = asio::error::operation_aborted;
  co_return ec;
}

}  // namespace edgehub::net
