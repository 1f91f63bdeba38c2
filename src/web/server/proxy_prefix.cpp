#include "web/server/proxy_prefix.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <span>
#include <string>

#include "net/first_byte.hpp"
#include "net/proxy_header.hpp"
#include "net/proxy_reader.hpp"
#include "web/server/deadline.hpp"

namespace edgehub::web {

namespace asio = boost::asio;

namespace {

constexpr std::size_t kReadChunk = 4096;

std::span<const std::uint8_t> buffered(const Conn& conn) {
  return {static_cast<const std::uint8_t*>(conn.buffer.data().data()), conn.buffer.size()};
}

ApiResponse bad_header(const std::string& proxy, const std::string& why) {
  spdlog::warn("http: PROXY protocol header from trusted proxy {} refused: {}", proxy, why);
  return json_error(400, "bad_proxy_header", "Bad PROXY protocol header: " + why);
}

}  // namespace

asio::awaitable<bool> read_more(PlainStream& stream, Conn& conn, std::chrono::milliseconds limit) {
  Deadline deadline(stream.socket());
  deadline.arm(limit);
  boost::system::error_code ec;
  const std::size_t n =
      co_await stream.async_read_some(conn.buffer.prepare(kReadChunk), asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return false;
  conn.buffer.commit(n);
  co_return true;
}

asio::awaitable<std::optional<ApiResponse>> take_proxy_header(PlainStream& stream, Conn& conn,
                                                              const HttpOptions& options, asio::ip::address& client) {
  if (!options.proxies || !options.proxies->contains(client)) {
    if (!net::starts_with_proxy_signature(buffered(conn))) co_return std::nullopt;
    spdlog::info("http: PROXY protocol header from {} refused: not a trusted proxy (--proxy-protocol)", conn.remote_ip);
    co_return json_error(403, "proxy_header_refused",
                         "PROXY protocol header refused: " + conn.remote_ip + " is not a trusted proxy");
  }
  // The decoder's need_more bounds the buffer: at most a v2 header's
  // maximum and one read more.
  while (true) {
    const net::ProxyHeader decoded = net::decode_proxy_header(buffered(conn));
    if (decoded.status == net::ProxyHeader::Status::invalid) co_return bad_header(conn.remote_ip, decoded.error);
    if (decoded.status == net::ProxyHeader::Status::complete) {
      conn.buffer.consume(decoded.length);
      if (decoded.source) client = net::proxy_source_address(*decoded.source);
      conn.remote_ip = net::address_text(client);
      co_return std::nullopt;
    }
    if (!co_await read_more(stream, conn, options.handshake_timeout))
      co_return bad_header(conn.remote_ip, "no whole PROXY protocol header in time");
  }
}

}  // namespace edgehub::web
