#pragma once
// The contract between the HTTP server (web/server/) and what it serves: the
// JSON API and its sessions (web/api/), /metrics, the console's assets
// (docs/HTTP_API.md). The server parses, limits and answers bad requests; a
// route's handler sees only a request that passed those checks.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/verb.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace edgehub::web {

namespace http = boost::beast::http;
using HttpRequest = http::request<http::string_body>;

// Who may call a route. The server resolves the session cookie
// (kSessionCookie) before the handler runs: LoggedIn and Admin routes get a
// non-null session, or the client gets 401 (403 for Admin without the role).
// On those routes a state-changing method (POST, PUT, PATCH, DELETE) must
// carry the session's CSRF token in the X-CSRF-Token header, or gets 403.
enum class Access { Public, LoggedIn, Admin };

inline constexpr std::string_view kSessionCookie = "edgehub_session";
inline constexpr std::string_view kCsrfHeader = "X-CSRF-Token";

// A browser's login, as the server needs to see it (web/api/ implements it).
class WebSession {
 public:
  virtual ~WebSession() = default;
  virtual const std::string& name() const = 0;
  virtual bool is_admin() const = 0;
  virtual const std::string& csrf_token() const = 0;
  // Marks the session used now (idle expiry).
  virtual void touch() = 0;
};

// Finds the live session of a cookie value (web/api/ implements it).
class SessionResolver {
 public:
  virtual ~SessionResolver() = default;
  // Null for an unknown or expired value. Any thread.
  virtual std::shared_ptr<WebSession> find(std::string_view cookie_value) = 0;
};

struct ApiRequest {
  http::verb method = http::verb::get;
  std::string path;                               // percent-decoded, without the query
  std::vector<std::string> params;                // the "{...}" segments of the pattern, decoded
  std::multimap<std::string, std::string> query;  // decoded
  const HttpRequest* http = nullptr;              // headers (and body) as received
  std::string body;                               // at most Route::max_body bytes
  std::string remote_ip;
  bool tls = false;
  std::shared_ptr<WebSession> session;  // non-null on LoggedIn and Admin routes

  // The first value of a query parameter, or nullopt.
  std::optional<std::string> query_value(const std::string& key) const {
    auto it = query.find(key);
    if (it == query.end()) return std::nullopt;
    return it->second;
  }
};

// A whole file as the response body. The server answers Range (206 / 416),
// If-None-Match (304), If-Range and HEAD itself, and streams the bytes
// (sendfile(2) on plaintext) without holding them in memory.
struct FileBody {
  int fd = -1;                        // open for reading while `owner` lives
  std::shared_ptr<const void> owner;  // kept until the response is sent
  std::uint64_t size = 0;
  std::string etag;  // strong, quoted: "\"<sha256 hex>\""; empty: none
  std::string content_type = "application/octet-stream";
  std::string download_name;  // Content-Disposition: attachment; filename=...; empty: none
};

struct ApiResponse {
  unsigned status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // Set-Cookie, Cache-Control, ...
  std::optional<FileBody> file;                              // if set, `body` is ignored
};

// An error in the API's one shape: {"status": 404, "code": "not_found",
// "message": "..."}; `code` is a short snake_case word scripts can test.
ApiResponse json_error(unsigned status, std::string_view code, std::string_view message);

// A request body streamed in pieces (uploads of any size in constant memory).
// The server reads the next piece only after write() returns, and calls
// finish() after the last piece, or abort() if the client went away or sent
// fewer bytes than its Content-Length.
class UploadSink {
 public:
  virtual ~UploadSink() = default;
  virtual boost::asio::awaitable<void> write(std::string_view piece) = 0;
  virtual boost::asio::awaitable<ApiResponse> finish() = 0;
  virtual void abort() = 0;
};
// Called with the headers only (the body not read yet): an ApiResponse
// refuses the upload before any byte is read (413, 409, 404...).
using UploadOpen = std::variant<ApiResponse, std::unique_ptr<UploadSink>>;

// A connection handed over after an HTTP Upgrade request (the WebSocket of
// /api/v1/events): the route owns it from then on.
using PlainStream = boost::beast::tcp_stream;
using TlsStream = boost::asio::ssl::stream<boost::beast::tcp_stream>;
struct Upgraded {
  ApiRequest request;
  HttpRequest http;  // what websocket::stream::async_accept wants
  std::variant<std::monostate, PlainStream, TlsStream> stream;
};

using ApiHandler = std::function<boost::asio::awaitable<ApiResponse>(ApiRequest&)>;
using UploadHandler = std::function<boost::asio::awaitable<UploadOpen>(ApiRequest&)>;
using UpgradeHandler = std::function<void(std::unique_ptr<Upgraded>)>;

// One entry of the routing table. Exactly one of handler, upload, upgrade
// is set. A pattern is a path whose segments may be "{name}": such a segment
// matches one non-empty segment, which the server has percent-decoded and
// refused (400) if it held '/', NUL, or was "." or "..".
struct Route {
  http::verb method = http::verb::get;
  std::string pattern;  // "/api/v1/files/{name}"
  Access access = Access::Public;
  std::size_t max_body = 64 * 1024;  // over it: 413 before the body is read
  ApiHandler handler;
  UploadHandler upload;
  UpgradeHandler upgrade;
};

class Router {
 public:
  // Throws std::logic_error for a second route with the same method and pattern.
  void add(Route route);
  struct Match {
    const Route* route = nullptr;
    std::vector<std::string> params;  // raw (still percent-encoded) segments
  };
  // The route for a method and a raw path; route == nullptr if none.
  // `path_known` tells 404 (no pattern matches the path) from 405.
  Match find(http::verb method, std::string_view raw_path, bool* path_known = nullptr) const;

 private:
  std::vector<Route> routes_;
};

}  // namespace edgehub::web
