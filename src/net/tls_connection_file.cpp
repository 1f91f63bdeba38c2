// The file path of TlsConnection (docs/FILES.md, "Downloads"): without
// kernel TLS there is no sendfile, so each "$N" block is read with pread(2)
// in large chunks and encrypted straight from that buffer, the header in
// the same write as the first chunk. The buffer exists only while a file
// streams. As on plain TCP, the pump yields after each block so the
// thread's other connections get their turn (docs/BENCHMARKS.md#tls).
#include <openssl/err.h>
#include <unistd.h>

#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <cerrno>
#include <cstring>
#include <memory>

#include "net/tls_connection.hpp"
#include "protocol/limits.hpp"
#include "protocol/reply.hpp"

namespace edgehub::net {

using asio::ip::tcp;
using boost::system::error_code;

namespace {
constexpr std::size_t kChunk = 256 * 1024;  // 16 records of 16 KiB per read
}  // namespace

asio::awaitable<error_code> TlsConnection::stream_region(FileSend& job) {
  const auto buffer = std::make_unique<char[]>(kChunk);
  while (job.sent < job.region.length) {
    if (closed_) co_return asio::error::operation_aborted;
    const std::uint64_t block =
        std::min<std::uint64_t>(protocol::kServerToClient.max_block, job.region.length - job.sent);
    const std::string header = protocol::encode_block_header(block);
    std::memcpy(buffer.get(), header.data(), header.size());
    std::size_t used = header.size();
    for (std::uint64_t left = block; left > 0;) {
      const std::size_t want = std::min<std::uint64_t>(kChunk - used, left);
      const ssize_t n =
          ::pread(job.region.fd, buffer.get() + used, want, static_cast<off_t>(job.region.offset + job.sent));
      if (n == 0) co_return asio::error::eof;  // the file is shorter than announced
      if (n < 0) {
        if (errno == EINTR) continue;
        co_return error_code(errno, boost::system::system_category());
      }
      if (const error_code ec = co_await write_all(buffer.get(), used + static_cast<std::size_t>(n))) co_return ec;
      used = 0;
      left -= static_cast<std::uint64_t>(n);
      job.sent += static_cast<std::uint64_t>(n);
    }
    // A client that keeps reading is alive (Hub::sweep), as in connection_file.cpp.
    session_->last_received.store(hub::steady_now_ms());
    co_await asio::post(socket_.get_executor(), asio::use_awaitable);
  }
  co_return error_code{};
}

asio::awaitable<error_code> TlsConnection::write_all(const char* data, std::size_t size) {
  std::size_t done = 0;
  while (done < size) {
    if (closed_) co_return asio::error::operation_aborted;
    ERR_clear_error();
    errno = 0;
    std::size_t n = 0;
    const int result = SSL_write_ex(ssl_.get(), data + done, size - done, &n);
    write_pending_ = result != 1;
    if (result == 1) {
      done += n;
      continue;
    }
    const error_code ec = ssl_error(result);
    if (ec != asio::error::would_block) co_return ec;
    if (const error_code wait_ec = co_await wait_ready(std::exchange(wait_for_, tcp::socket::wait_read)))
      co_return wait_ec;
  }
  co_return error_code{};
}

}  // namespace edgehub::net
