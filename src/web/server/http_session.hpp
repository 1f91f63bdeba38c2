#pragma once
// One HTTP connection's request loop and its parts
// (docs/HTTP_API.md#the-http-server). Each is a template over the stream,
// instantiated for PlainStream and TlsStream in its own .cpp.
#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <memory>
#include <optional>
#include <string>

#include "web/core/route.hpp"
#include "web/server/http_server.hpp"

namespace edgehub::web {

struct Conn {
  std::shared_ptr<HttpShared> shared;
  std::string remote_ip;
  bool tls = false;
  boost::beast::flat_buffer buffer;  // bytes read and not yet parsed
};

enum class After { KeepAlive, Close, HandedOver };

using HeaderParser = http::request_parser<http::empty_body>;
using RequestHeader = http::request_header<>;

// A request whose target, route and access have been checked; `refusal`
// set: answer it instead.
struct Prepared {
  std::optional<ApiResponse> refusal;
  const Route* route = nullptr;
  ApiRequest api;
};
Prepared prepare_request(const RequestHeader& header, const Conn& conn);

// The session cookie's value in a Cookie header, or empty.
std::string session_cookie(std::string_view cookie_header);

template <class Stream>
boost::asio::awaitable<void> run_session(Stream& stream, Conn& conn);

template <class Stream>
boost::asio::awaitable<After> handle_request(Stream& stream, Conn& conn, HeaderParser& parser);

template <class Stream>
boost::asio::awaitable<After> run_upload(Stream& stream, Conn& conn, HeaderParser& parser, Prepared& prepared,
                                         bool keep_alive);

// Writes a whole response; false if the client is gone or too slow.
// `head`: headers only, with the Content-Length the body would have.
template <class Stream>
boost::asio::awaitable<bool> write_response(Stream& stream, Conn& conn, ApiResponse response, bool head,
                                            bool keep_alive);

// A FileBody response with Range, ETag and HEAD handled (file_response.cpp).
template <class Stream>
boost::asio::awaitable<bool> write_file(Stream& stream, Conn& conn, ApiResponse response, const RequestHeader& request,
                                        bool keep_alive);

// "100 Continue" when the client waits for it before sending a body.
template <class Stream>
boost::asio::awaitable<bool> send_continue(Stream& stream, Conn& conn, const RequestHeader& header);

// The bytes [offset, offset+length) of fd, after the headers.
boost::asio::awaitable<bool> send_file_bytes(PlainStream& stream, Conn& conn, int fd, std::uint64_t offset,
                                             std::uint64_t length);
boost::asio::awaitable<bool> send_file_bytes(TlsStream& stream, Conn& conn, int fd, std::uint64_t offset,
                                             std::uint64_t length);

}  // namespace edgehub::web
