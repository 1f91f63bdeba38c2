// What every request passes before its route runs
// (docs/HTTP_API.md#the-http-server): a decodable target, a route for its
// path and method, decodable parameters, and the route's access rule with
// the session cookie and, for state-changing methods, the CSRF token; on
// plain HTTP, a Host of this machine (web/server/host_check.hpp).
#include <boost/beast/http/field.hpp>

#include "web/server/host_check.hpp"
#include "web/server/http_session.hpp"
#include "web/server/request_target.hpp"

namespace edgehub::web {
namespace {

bool changes_state(http::verb method) {
  return method == http::verb::post || method == http::verb::put || method == http::verb::patch ||
         method == http::verb::delete_;
}

// Compares without stopping at the first difference (the token is a secret).
bool same_secret(std::string_view a, std::string_view b) {
  if (a.size() != b.size() || a.empty()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

// The route for the method; HEAD is served by the GET route.
const Route* find_route(const Router& router, http::verb method, std::string_view raw_path,
                        std::vector<std::string>& raw_params, bool& path_known) {
  auto match = router.find(method, raw_path, &path_known);
  if (!match.route && method == http::verb::head) match = router.find(http::verb::get, raw_path, &path_known);
  raw_params = std::move(match.params);
  return match.route;
}

std::optional<ApiResponse> check_access(const Route& route, const RequestHeader& header, const Conn& conn,
                                        ApiRequest& api) {
  if (conn.shared->sessions) {
    const std::string cookie = session_cookie(header[http::field::cookie]);
    if (!cookie.empty()) api.session = conn.shared->sessions->find(cookie);
  }
  if (route.access == Access::Public) return std::nullopt;
  if (!api.session) return json_error(401, "unauthorized", "log in first (POST /api/v1/login)");
  if (route.access == Access::Admin && !api.session->is_admin())
    return json_error(403, "forbidden", "this needs an administrator's account");
  if (changes_state(api.method) && !same_secret(header[kCsrfHeader], api.session->csrf_token()))
    return json_error(403, "csrf", "missing or wrong X-CSRF-Token header");
  api.session->touch();
  return std::nullopt;
}

}  // namespace

std::string session_cookie(std::string_view header) {
  const std::string_view name = kSessionCookie;
  std::size_t start = 0;
  while (start < header.size()) {
    std::size_t end = header.find(';', start);
    if (end == std::string_view::npos) end = header.size();
    std::string_view pair = header.substr(start, end - start);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    if (pair.size() > name.size() && pair.starts_with(name) && pair[name.size()] == '=')
      return std::string(pair.substr(name.size() + 1));
    start = end + 1;
  }
  return {};
}

Prepared prepare_request(const RequestHeader& header, const Conn& conn) {
  Prepared p;
  // Plain HTTP is loopback's only (TLS elsewhere); without a TLS context
  // (unit tests) it is served from anywhere and Host is not checked.
  const auto& options = conn.shared->options;
  if (!conn.tls && options.tls && !is_allowed_plain_host(header[http::field::host], options.bind_address)) {
    p.refusal = json_error(421, "misdirected_request",
                           "plain HTTP answers only Host localhost, a loopback address or the --http-bind address");
    return p;
  }
  auto target = decode_target(header.target());
  if (!target) {
    p.refusal = json_error(400, "bad_path", "the path is malformed or names something outside its folder");
    return p;
  }
  std::vector<std::string> raw_params;
  bool path_known = false;
  p.route = find_route(*conn.shared->router, header.method(), target->raw_path, raw_params, path_known);
  if (!p.route) {
    p.refusal = path_known ? json_error(405, "method_not_allowed", "this path does not take that method")
                           : json_error(404, "not_found", "no such path");
    return p;
  }
  for (const auto& raw : raw_params) {
    auto value = decode_param(raw);
    if (!value) {
      p.refusal = json_error(400, "bad_path", "a name in the path is malformed, or is '.', '..' or holds '/'");
      return p;
    }
    p.api.params.push_back(std::move(*value));
  }
  p.api.method = header.method();
  p.api.path = std::move(target->path);
  p.api.query = std::move(target->query);
  p.api.remote_ip = conn.remote_ip;
  p.api.tls = conn.tls;
  p.refusal = check_access(*p.route, header, conn, p.api);
  return p;
}

}  // namespace edgehub::web
