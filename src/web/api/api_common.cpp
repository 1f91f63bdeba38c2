// Shared pieces of the JSON endpoints (docs/HTTP_API.md#errors).
#include "web/api/api_common.hpp"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <ctime>

#include "common/time_format.hpp"

namespace edgehub::web::api {

ApiResponse json_ok(const boost::json::value& body, unsigned status) {
  ApiResponse r;
  r.status = status;
  r.body = boost::json::serialize(body);
  return r;
}

ApiResponse bad_request(std::string_view message) { return json_error(400, "bad_request", message); }

JsonBody parse_object(const ApiRequest& request) {
  JsonBody out;
  boost::json::parse_options options;
  options.max_depth = 16;
  boost::system::error_code ec;
  auto value = boost::json::parse(request.body, ec, {}, options);
  if (ec) {
    out.error = json_error(400, "invalid_json", "The body is not valid JSON (at most 16 levels deep): " + ec.message());
  } else if (!value.is_object()) {
    out.error = json_error(400, "invalid_json", "The body must be a JSON object");
  } else {
    out.object = std::move(value.as_object());
  }
  return out;
}

std::optional<std::string> string_field(const boost::json::object& o, std::string_view key,
                                        std::optional<ApiResponse>& error) {
  const auto* v = o.if_contains(key);
  if (v != nullptr && v->is_string()) return std::string(v->as_string());
  if (!error) error = json_error(400, "invalid_field", "\"" + std::string(key) + "\" must be a string");
  return std::nullopt;
}

bool is_wire_text(std::string_view s) {
  if (s.empty()) return false;
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7f) return false;
  return true;
}

bool is_wire_word(std::string_view s) { return is_wire_text(s) && s.find(' ') == std::string_view::npos; }

namespace {

std::string_view code_word(int code) {
  switch (code) {
    case 400:
      return "bad_request";
    case 401:
      return "unauthorized";
    case 403:
      return "forbidden";
    case 404:
      return "not_found";
    case 408:
      return "timeout";
    case 409:
      return "conflict";
    case 413:
      return "too_large";
    case 423:
      return "locked";
    case 429:
      return "rate_limited";
    case 503:
      return "unavailable";
    case 507:
      return "disk_full";
    default:
      return "internal";
  }
}

}  // namespace

ApiResponse from_reply(const protocol::ServerMessage& reply) {
  if (reply.kind != protocol::ServerMessage::Kind::Err)
    return json_error(500, "internal", "Unexpected reply from the hub");
  return hub_error(reply.code, reply.text);
}

ApiResponse hub_error(int code, std::string_view text) {
  if (code < 400 || code > 599) code = 500;
  return json_error(static_cast<unsigned>(code), code_word(code), text);
}

BrowserSession& browser_of(const ApiRequest& request) { return static_cast<BrowserSession&>(*request.session); }

boost::asio::awaitable<protocol::ServerMessage> run_line(const ApiRequest& request, const std::string& line) {
  auto device = browser_of(request).shared_device();
  std::string copy = line;
  co_return co_await device->run(std::move(copy));
}

std::vector<std::string_view> split_listing(std::string_view line) {
  std::vector<std::string_view> out;
  for (std::size_t start = 0;;) {
    const auto comma = line.find(", ", start);
    out.push_back(line.substr(start, comma - start));
    if (comma == std::string_view::npos) return out;
    start = comma + 2;
  }
}

std::optional<LoginRecord> parse_login_record(std::string_view line) {
  const auto f = split_listing(line);
  constexpr std::string_view kConnected = "connected ", kDisconnected = "disconnected ";
  if (f.size() != 4 || !f[2].starts_with(kConnected)) return std::nullopt;
  const auto login = log_time_to_iso(f[2].substr(kConnected.size()));
  if (!login) return std::nullopt;
  LoginRecord r{std::string(f[0]), std::string(f[1]), *login, std::nullopt};
  if (f[3].starts_with(kDisconnected)) r.logout = log_time_to_iso(f[3].substr(kDisconnected.size()));
  return r;
}

boost::asio::awaitable<ApiResponse> listing_reply(const ApiRequest& request, const std::string& line,
                                                  std::string_view key, const LineToJson& to_json) {
  const auto reply = co_await run_line(request, line);
  if (reply.kind == protocol::ServerMessage::Kind::Err) co_return from_reply(reply);
  boost::json::array list;
  for (const auto& l : reply.lines)
    if (auto o = to_json(l)) list.push_back(std::move(*o));
  co_return json_ok(boost::json::object{{key, std::move(list)}});
}

std::optional<std::string> log_time_to_iso(std::string_view text) {
  std::tm tm{};
  const std::string copy(text);
  const char* end = strptime(copy.c_str(), "%d %B %Y %H:%M:%S", &tm);
  if (end == nullptr || *end != '\0') return std::nullopt;
  tm.tm_isdst = -1;
  const std::time_t t = std::mktime(&tm);
  if (t == -1) return std::nullopt;
  return format_iso_utc(std::chrono::system_clock::from_time_t(t));
}

}  // namespace edgehub::web::api
