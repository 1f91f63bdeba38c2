// GET /api/v1/devices (AED) and GET /api/v1/devices/history (whoelsesince
// with the times of `status`), docs/HTTP_API.md#presence.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <chrono>
#include <unordered_set>

#include "common/strings.hpp"
#include "common/time_format.hpp"
#include "web/api/api_routes.hpp"

namespace edgehub::web::api {

namespace asio = boost::asio;
using protocol::ServerMessage;

namespace {

// "NAME, IP, UDPPORT, active since TIME" (docs/PROTOCOL.md#7-core-commands)
std::optional<boost::json::object> device_json(std::string_view line, const SessionTable& sessions) {
  const auto f = split_listing(line);
  constexpr std::string_view kSince = "active since ";
  if (f.size() != 4 || !f[3].starts_with(kSince)) return std::nullopt;
  const auto port = parse_uint64(f[2]);
  const auto since = log_time_to_iso(f[3].substr(kSince.size()));
  const std::string name(f[0]);
  boost::json::object o{{"name", name}, {"kind", sessions.kind_of(name)}, {"ip", f[1]}};
  o["udp_port"] = port ? boost::json::value(*port) : boost::json::value(nullptr);
  o["since"] = since ? boost::json::value(*since) : boost::json::value(nullptr);
  return o;
}

asio::awaitable<ApiResponse> devices(ApiContext& ctx, ApiRequest& request) {
  auto sessions = ctx.sessions;
  const std::string line = "AED";
  const LineToJson to_json = [sessions](std::string_view l) { return device_json(l, *sessions); };
  co_return co_await listing_reply(request, line, "devices", to_json);
}

std::optional<boost::json::object> history_json(std::string_view line) {
  auto r = parse_login_record(line);
  if (!r) return std::nullopt;
  boost::json::object o{{"name", r->name}, {"login", r->login}, {"logout", nullptr}};
  if (r->logout) o["logout"] = *r->logout;
  return o;
}

asio::awaitable<ApiResponse> history(ApiContext& /*ctx*/, ApiRequest& request) {
  const std::string since = request.query_value("since").value_or("86400");
  if (!is_decimal_integer(since) || since.front() == '-' || since.size() > 12)
    co_return bad_request("since must be a non-negative number of seconds");
  const std::string names_line = "whoelsesince " + since;
  const auto names_reply = co_await run_line(request, names_line);
  if (names_reply.kind == ServerMessage::Kind::Err) co_return from_reply(names_reply);
  const std::unordered_set<std::string> names(names_reply.lines.begin(), names_reply.lines.end());
  boost::json::array events;
  if (!names.empty()) {
    const std::string status_line = "status 200000";
    const auto status = co_await run_line(request, status_line);
    if (status.kind == ServerMessage::Kind::Err) co_return from_reply(status);
    const auto cutoff = format_iso_utc(std::chrono::system_clock::now() - std::chrono::seconds(std::stoll(since) + 1));
    for (const auto& line : status.lines) {
      auto o = history_json(line);
      if (!o || !names.contains(std::string((*o)["name"].as_string()))) continue;
      // ISO 8601 UTC strings of one width order as their times do.
      const auto& logout = (*o)["logout"];
      if (logout.is_string() && std::string(logout.as_string()) < cutoff) continue;
      events.push_back(std::move(*o));
    }
  }
  co_return json_ok(boost::json::object{{"events", std::move(events)}});
}

}  // namespace

void add_presence_routes(Router& router, const std::shared_ptr<ApiContext>& ctx) {
  router.add(json_route(http::verb::get, "/api/v1/devices", Access::LoggedIn, with(ctx, devices)));
  router.add(json_route(http::verb::get, "/api/v1/devices/history", Access::LoggedIn, with(ctx, history)));
}

}  // namespace edgehub::web::api
