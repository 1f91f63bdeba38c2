// Streamed request bodies (docs/HTTP_API.md#streamed-uploads): the route's
// UploadSink gets the body in pieces of at most 1 MiB, the next piece read
// only after it took the last, so an upload of any size uses one piece of
// memory. A Content-Length (or chunked encoding) is required; a length over
// the route's max_body is refused before any byte is read.
#include <spdlog/spdlog.h>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/read.hpp>
#include <vector>

#include "web/server/deadline.hpp"
#include "web/server/http_session.hpp"

// GCC 12 reports the coroutine frames' own operator new/delete pair as
// mismatched once run_upload is inlined into its instantiations (a false
// positive: both are awaitable_frame_base's).
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

namespace edgehub::web {

namespace asio = boost::asio;
namespace beast = boost::beast;
using boost::system::error_code;

namespace {

constexpr std::size_t kPiece = 1024 * 1024;

asio::awaitable<UploadOpen> open_upload(const Route& route, ApiRequest& api) {
  try {
    co_return co_await route.upload(api);
  } catch (const std::exception& e) {
    spdlog::error("http upload {}: {}", api.path, e.what());
  }
  co_return json_error(500, "internal_error", "the server failed to start the upload; see its log");
}

// Reads the body into the sink; an error answer if it stopped short.
template <class Stream>
asio::awaitable<std::optional<ApiResponse>> pump_body(Stream& stream, Conn& conn,
                                                      http::request_parser<http::buffer_body>& parser,
                                                      UploadSink& sink) {
  std::vector<char> piece(kPiece);
  Deadline deadline(beast::get_lowest_layer(stream).socket());
  while (!parser.is_done()) {
    parser.get().body().data = piece.data();
    parser.get().body().size = piece.size();
    deadline.arm(conn.shared->options.body_timeout);
    error_code ec;
    co_await http::async_read_some(stream, conn.buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
    deadline.disarm();
    if (ec == http::error::need_buffer) ec = {};
    if (deadline.fired()) co_return json_error(408, "request_timeout", "the upload stopped arriving");
    if (ec == http::error::body_limit) co_return json_error(413, "body_too_large", "the upload is too large");
    if (ec) co_return json_error(400, "bad_request", "the upload could not be read: " + ec.message());
    const std::size_t n = piece.size() - parser.get().body().size;
    if (n > 0) co_await sink.write(std::string_view(piece.data(), n));
  }
  co_return std::nullopt;
}

template <class Stream>
asio::awaitable<std::optional<ApiResponse>> guarded_pump(Stream& stream, Conn& conn,
                                                         http::request_parser<http::buffer_body>& parser,
                                                         UploadSink& sink, const std::string& path) {
  try {
    co_return co_await pump_body(stream, conn, parser, sink);
  } catch (const std::exception& e) {
    spdlog::error("http upload {}: {}", path, e.what());
  }
  co_return json_error(500, "internal_error", "the server failed to store the upload; see its log");
}

asio::awaitable<ApiResponse> guarded_finish(UploadSink& sink, const std::string& path) {
  try {
    co_return co_await sink.finish();
  } catch (const std::exception& e) {
    spdlog::error("http upload {}: {}", path, e.what());
  }
  co_return json_error(500, "internal_error", "the server failed to store the upload; see its log");
}

}  // namespace

template <class Stream>
asio::awaitable<After> run_upload(Stream& stream, Conn& conn, HeaderParser& parser, Prepared& p, bool keep_alive) {
  HttpRequest request{RequestHeader(parser.get().base())};
  p.api.http = &request;
  const auto length = parser.content_length();
  const bool head = false;
  if (!length && !parser.chunked()) {
    co_await write_response(stream, conn, json_error(411, "length_required", "send a Content-Length"), head, false);
    co_return After::Close;
  }
  if (length && *length > p.route->max_body) {
    co_await write_response(stream, conn, json_error(413, "body_too_large", "the upload is too large"), head, false);
    co_return After::Close;
  }
  UploadOpen opened = co_await open_upload(*p.route, p.api);
  if (auto* refusal = std::get_if<ApiResponse>(&opened)) {
    const bool keep = keep_alive && parser.is_done();
    const bool ok = co_await write_response(stream, conn, std::move(*refusal), head, keep);
    co_return ok&& keep ? After::KeepAlive : After::Close;
  }
  auto sink = std::move(std::get<std::unique_ptr<UploadSink>>(opened));
  if (!co_await send_continue(stream, conn, request.base())) {
    sink->abort();
    co_return After::Close;
  }
  http::request_parser<http::buffer_body> body(std::move(parser));
  body.body_limit(p.route->max_body);
  auto failed = co_await guarded_pump(stream, conn, body, *sink, p.api.path);
  if (failed) {
    sink->abort();
    co_await write_response(stream, conn, std::move(*failed), head, false);
    co_return After::Close;
  }
  ApiResponse response = co_await guarded_finish(*sink, p.api.path);
  const bool ok = co_await write_response(stream, conn, std::move(response), head, keep_alive);
  co_return ok&& keep_alive ? After::KeepAlive : After::Close;
}

template asio::awaitable<After> run_upload<PlainStream>(PlainStream&, Conn&, HeaderParser&, Prepared&, bool);
template asio::awaitable<After> run_upload<TlsStream>(TlsStream&, Conn&, HeaderParser&, Prepared&, bool);

}  // namespace edgehub::web
