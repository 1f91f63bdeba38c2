// FileBody responses (docs/HTTP_API.md#ranges-and-etags): the status and
// headers from file_plan, then the bytes. On plaintext they go with
// sendfile(2), in blocks of at most 1 MiB with a yield between blocks, so a
// download never holds its network thread for longer than one block (as
// net/connection_file.cpp does for devices). Over TLS they are read into a
// buffer (pread from the page cache, like sendfile's own read) and written
// as large TLS writes.
#include <netinet/tcp.h>
#include <sys/sendfile.h>
#include <unistd.h>

#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/write.hpp>
#include <cerrno>
#include <vector>

#include "web/server/deadline.hpp"
#include "web/server/file_plan.hpp"
#include "web/server/http_metrics.hpp"
#include "web/server/http_session.hpp"
#include "web/server/request_target.hpp"

namespace edgehub::web {

namespace asio = boost::asio;
namespace beast = boost::beast;
using asio::ip::tcp;
using boost::system::error_code;

namespace {

constexpr std::uint64_t kBlock = 1024 * 1024;
constexpr std::size_t kTlsChunk = 256 * 1024;

// TCP_CORK while sendfile runs, as nginx's tcp_nopush does: the kernel then
// sends only full segments, not a short one at the end of every sendfile
// call. On loopback that took a 1 GiB download from 87 % to 101-104 % of
// nginx's rate (docs/BENCHMARKS.md#http-download). Uncorking flushes the
// rest; a failed setsockopt only costs that speed.
class TcpCork {
 public:
  explicit TcpCork(int fd) : fd_(fd) { set(1); }
  ~TcpCork() { set(0); }
  TcpCork(const TcpCork&) = delete;
  TcpCork& operator=(const TcpCork&) = delete;

 private:
  void set(int on) const { ::setsockopt(fd_, IPPROTO_TCP, TCP_CORK, &on, sizeof on); }
  int fd_;
};

// 304 and 416 carry no file bytes.
ApiResponse bodyless_answer(const FilePlan& plan, std::uint64_t size) {
  ApiResponse r;
  if (plan.status == 416)
    r = json_error(416, "range_not_satisfiable",
                   "the requested range starts past the end of the file (" + std::to_string(size) + " bytes)");
  else
    r.status = plan.status;
  r.headers = plan.headers;
  return r;
}

}  // namespace

template <class Stream>
asio::awaitable<bool> write_file(Stream& stream, Conn& conn, ApiResponse response, const RequestHeader& request,
                                 bool keep_alive) {
  const FileBody& file = *response.file;
  const FileRequestHeaders conditions{.range = request[http::field::range],
                                      .if_range = request[http::field::if_range],
                                      .if_none_match = request[http::field::if_none_match]};
  const FilePlan plan = plan_file(file.size, file.etag, conditions);
  const bool head = request.method() == http::verb::head;
  if (plan.status == 304 || plan.status == 416)
    co_return co_await write_response(stream, conn, bodyless_answer(plan, file.size), head, keep_alive);
  count_http_response(plan.status);
  http::response<http::empty_body> res{static_cast<http::status>(plan.status), 11};
  for (const auto& [name, value] : response.headers) res.insert(name, value);
  for (const auto& [name, value] : plan.headers) res.set(name, value);
  res.set(http::field::content_type, file.content_type);
  if (!file.download_name.empty()) res.set(http::field::content_disposition, content_disposition(file.download_name));
  res.set("X-Content-Type-Options", "nosniff");
  res.keep_alive(keep_alive);
  res.content_length(plan.length);
  http::response_serializer<http::empty_body> serializer{res};
  Deadline deadline(beast::get_lowest_layer(stream).socket());
  deadline.arm(conn.shared->options.body_timeout);
  error_code ec;
  co_await http::async_write_header(stream, serializer, asio::redirect_error(asio::use_awaitable, ec));
  deadline.disarm();
  if (ec) co_return false;
  if (head || plan.length == 0) co_return true;
  co_return co_await send_file_bytes(stream, conn, file.fd, plan.offset, plan.length);
}

asio::awaitable<bool> send_file_bytes(PlainStream& stream, Conn& conn, int fd, std::uint64_t offset,
                                      std::uint64_t length) {
  tcp::socket& socket = stream.socket();
  error_code ec;
  socket.native_non_blocking(true, ec);
  if (ec) co_return false;
  Deadline deadline(socket);
  const TcpCork cork(socket.native_handle());
  while (length > 0) {
    for (std::uint64_t left = std::min(kBlock, length); left > 0;) {
      auto at = static_cast<off_t>(offset);
      const ssize_t n = ::sendfile(socket.native_handle(), fd, &at, left);
      if (n > 0) {
        offset += static_cast<std::uint64_t>(n);
        left -= static_cast<std::uint64_t>(n);
        length -= static_cast<std::uint64_t>(n);
      } else if (n == 0) {
        co_return false;  // the file is shorter than announced
      } else if (errno == EAGAIN) {
        // A reader that stops reading for --http-body-timeout is dropped.
        deadline.arm(conn.shared->options.body_timeout);
        co_await socket.async_wait(tcp::socket::wait_write, asio::redirect_error(asio::use_awaitable, ec));
        deadline.disarm();
        if (ec || deadline.fired()) co_return false;
      } else if (errno != EINTR) {
        co_return false;
      }
    }
    co_await asio::post(socket.get_executor(), asio::use_awaitable);
  }
  co_return true;
}

asio::awaitable<bool> send_file_bytes(TlsStream& stream, Conn& conn, int fd, std::uint64_t offset,
                                      std::uint64_t length) {
  std::vector<char> chunk(static_cast<std::size_t>(std::min<std::uint64_t>(kTlsChunk, length)));
  Deadline deadline(stream.next_layer().socket());
  while (length > 0) {
    const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(chunk.size(), length));
    const ssize_t n = ::pread(fd, chunk.data(), want, static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) co_return false;
    deadline.arm(conn.shared->options.body_timeout);
    error_code ec;
    co_await asio::async_write(stream, asio::buffer(chunk.data(), static_cast<std::size_t>(n)),
                               asio::redirect_error(asio::use_awaitable, ec));
    deadline.disarm();
    if (ec) co_return false;
    offset += static_cast<std::uint64_t>(n);
    length -= static_cast<std::uint64_t>(n);
  }
  co_return true;
}

template asio::awaitable<bool> write_file<PlainStream>(PlainStream&, Conn&, ApiResponse, const RequestHeader&, bool);
template asio::awaitable<bool> write_file<TlsStream>(TlsStream&, Conn&, ApiResponse, const RequestHeader&, bool);

}  // namespace edgehub::web
