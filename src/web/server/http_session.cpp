// The request loop of one HTTP connection (docs/HTTP_API.md#the-http-server):
// read a header block within --http-header-timeout and 8 KiB, check it,
// read a body within the route's max_body, run the route, answer; keep the
// connection for the next request unless either side said close.
#include "web/server/http_session.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include "web/server/deadline.hpp"

namespace edgehub::web {

namespace asio = boost::asio;
namespace beast = boost::beast;
using boost::system::error_code;

namespace {

// The one answer to a request that could not be read; the connection closes.
std::optional<ApiResponse> read_error_answer(const error_code& ec, bool timed_out, bool got_some) {
  if (timed_out) {
    if (!got_some) return std::nullopt;  // an idle keep-alive connection: close quietly
    return json_error(408, "request_timeout", "the request's headers did not arrive in time");
  }
  if (ec == http::error::end_of_stream || ec == asio::error::eof || ec == asio::error::connection_reset)
    return std::nullopt;
  if (ec == http::error::header_limit)
    return json_error(431, "headers_too_large", "the request line and headers exceed 8 KiB");
  if (ec.category() != error_code(http::error::end_of_stream).category()) return std::nullopt;  // a socket error
  return json_error(400, "bad_request", "malformed HTTP request: " + ec.message());
}

asio::awaitable<ApiResponse> call_handler(const Route& route, ApiRequest& api) {
  try {
    co_return co_await route.handler(api);
  } catch (const std::exception& e) {
    spdlog::error("http {} {}: {}", std::string(http::to_string(api.method)), api.path, e.what());
  }
  co_return json_error(500, "internal_error", "the server failed to answer; see its log");
}

bool is_websocket_upgrade(const RequestHeader& header) { return beast::websocket::is_upgrade(header); }

template <class Stream>
After hand_over(Stream& stream, HeaderParser& parser, Prepared& p) {
  auto up = std::make_unique<Upgraded>();
  up->http = HttpRequest(RequestHeader(parser.get().base()));
  up->request = std::move(p.api);
  up->request.http = &up->http;
  up->stream.template emplace<Stream>(std::move(stream));
  p.route->upgrade(std::move(up));
  return After::HandedOver;
}

// The body of an ordinary route, within max_body and --http-body-timeout.
template <class Stream>
asio::awaitable<std::optional<ApiResponse>> read_body(Stream& stream, Conn& conn,
                                                      http::request_parser<http::string_body>& parser) {
  Deadline deadline(beast::get_lowest_layer(stream).socket());
  while (!parser.is_done()) {
    deadline.arm(conn.shared->options.body_timeout);
    error_code ec;
    co_await http::async_read_some(stream, conn.buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
    if (deadline.fired()) co_return json_error(408, "request_timeout", "the request body stopped arriving");
    if (ec == http::error::body_limit) co_return json_error(413, "body_too_large", "the request body is too large");
    if (ec) co_return json_error(400, "bad_request", "the request body could not be read: " + ec.message());
  }
  co_return std::nullopt;
}

template <class Stream>
asio::awaitable<bool> answer(Stream& stream, Conn& conn, ApiResponse response, const RequestHeader& request,
                             bool keep_alive) {
  const bool head = request.method() == http::verb::head;
  if (response.file) co_return co_await write_file(stream, conn, std::move(response), request, keep_alive);
  co_return co_await write_response(stream, conn, std::move(response), head, keep_alive);
}

}  // namespace

template <class Stream>
asio::awaitable<After> handle_request(Stream& stream, Conn& conn, HeaderParser& parser) {
  const RequestHeader& header = parser.get().base();
  const bool head = header.method() == http::verb::head;
  bool keep_alive = parser.get().keep_alive();
  Prepared p = prepare_request(header, conn);
  if (!p.refusal && p.route->upgrade && !is_websocket_upgrade(header))
    p.refusal = json_error(400, "websocket_required", "this path takes only a WebSocket upgrade");
  if (p.refusal) {
    // An unread body would be taken for the next request; a refused
    // upgrade's client expects no other answer.
    keep_alive = keep_alive && parser.is_done() && !is_websocket_upgrade(header);
    const bool ok = co_await write_response(stream, conn, std::move(*p.refusal), head, keep_alive);
    co_return ok&& keep_alive ? After::KeepAlive : After::Close;
  }
  if (p.route->upgrade) co_return hand_over(stream, parser, p);
  if (p.route->upload) co_return co_await run_upload(stream, conn, parser, p, keep_alive);
  if (parser.content_length() && *parser.content_length() > p.route->max_body) {
    co_await write_response(stream, conn, json_error(413, "body_too_large", "the request body is too large"), head,
                            false);
    co_return After::Close;
  }
  if (!parser.is_done() && !co_await send_continue(stream, conn, header)) co_return After::Close;
  http::request_parser<http::string_body> body_parser(std::move(parser));
  body_parser.body_limit(p.route->max_body);
  if (auto refusal = co_await read_body(stream, conn, body_parser)) {
    co_await write_response(stream, conn, std::move(*refusal), head, false);
    co_return After::Close;
  }
  HttpRequest request = body_parser.release();
  p.api.http = &request;
  p.api.body = request.body();
  ApiResponse response = co_await call_handler(*p.route, p.api);
  const bool ok = co_await answer(stream, conn, std::move(response), request.base(), keep_alive);
  co_return ok&& keep_alive ? After::KeepAlive : After::Close;
}

template <class Stream>
asio::awaitable<void> run_session(Stream& stream, Conn& conn) {
  Deadline deadline(beast::get_lowest_layer(stream).socket());
  for (;;) {
    HeaderParser parser;
    parser.header_limit(static_cast<std::uint32_t>(conn.shared->options.header_limit));
    parser.body_limit(boost::none);  // each route's own limit applies (handle_request)
    deadline.arm(conn.shared->options.header_timeout);
    error_code ec;
    co_await http::async_read_header(stream, conn.buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
    deadline.disarm();
    if (ec) {
      const bool got_some = parser.got_some() || conn.buffer.size() > 0;
      if (auto answer = read_error_answer(ec, deadline.fired(), got_some))
        co_await write_response(stream, conn, std::move(*answer), false, false);
      co_return;
    }
    if (co_await handle_request(stream, conn, parser) != After::KeepAlive) co_return;
  }
}

template <class Stream>
asio::awaitable<bool> write_response(Stream& stream, Conn& conn, ApiResponse r, bool head, bool keep_alive) {
  http::response<http::string_body> res{static_cast<http::status>(r.status), 11};
  const bool bodyless = r.status < 200 || r.status == 204 || r.status == 304;
  for (auto& [name, value] : r.headers) res.insert(name, value);
  res.set("X-Content-Type-Options", "nosniff");
  res.keep_alive(keep_alive);
  if (!bodyless) {
    res.set(http::field::content_type, r.content_type);
    const std::size_t size = r.body.size();
    if (!head) res.body() = std::move(r.body);
    res.content_length(size);
  }
  Deadline deadline(beast::get_lowest_layer(stream).socket());
  deadline.arm(conn.shared->options.body_timeout);
  error_code ec;
  co_await http::async_write(stream, res, asio::redirect_error(asio::use_awaitable, ec));
  co_return !ec;
}

template <class Stream>
asio::awaitable<bool> send_continue(Stream& stream, Conn& conn, const RequestHeader& header) {
  if (!beast::iequals(header[http::field::expect], "100-continue")) co_return true;
  http::response<http::empty_body> res{http::status::continue_, 11};
  Deadline deadline(beast::get_lowest_layer(stream).socket());
  deadline.arm(conn.shared->options.body_timeout);
  error_code ec;
  co_await http::async_write(stream, res, asio::redirect_error(asio::use_awaitable, ec));
  co_return !ec;
}

template asio::awaitable<void> run_session<PlainStream>(PlainStream&, Conn&);
template asio::awaitable<void> run_session<TlsStream>(TlsStream&, Conn&);
template asio::awaitable<bool> write_response<PlainStream>(PlainStream&, Conn&, ApiResponse, bool, bool);
template asio::awaitable<bool> write_response<TlsStream>(TlsStream&, Conn&, ApiResponse, bool, bool);
template asio::awaitable<bool> send_continue<PlainStream>(PlainStream&, Conn&, const RequestHeader&);
template asio::awaitable<bool> send_continue<TlsStream>(TlsStream&, Conn&, const RequestHeader&);

}  // namespace edgehub::web
