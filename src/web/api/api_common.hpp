#pragma once
// What every JSON endpoint of web/api/ shares (docs/HTTP_API.md): the hub,
// the session table, JSON bodies with limits, wire lines checked before the
// hub sees them, and the hub's -ERR replies as HTTP errors.
#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hub/core/hub.hpp"
#include "protocol/server_message.hpp"
#include "web/api/web_sessions.hpp"
#include "web/core/route.hpp"

// GCC 12 inlines Asio's coroutine frame allocation (aligned_alloc) into
// handlers that co_return before their first co_await and then reports the
// frame's own operator delete as mismatched: a false positive for every
// early-return handler here.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

namespace edgehub::web::api {

struct ApiContext {
  hub::Hub& hub;
  std::vector<boost::asio::any_io_executor> network;
  std::shared_ptr<SessionTable> sessions;
  std::atomic<std::size_t> next{0};

  // The network thread for the next browser device, round-robin.
  boost::asio::any_io_executor next_executor() { return network[next.fetch_add(1) % network.size()]; }
};

ApiResponse json_ok(const boost::json::value& body, unsigned status = 200);

// The request's body as a JSON object (at most 16 levels deep), or the 400
// to answer.
struct JsonBody {
  boost::json::object object;
  std::optional<ApiResponse> error;
};
JsonBody parse_object(const ApiRequest& request);
// A string member; nullopt (and error set to a 400) if missing or not a string.
std::optional<std::string> string_field(const boost::json::object& o, std::string_view key,
                                        std::optional<ApiResponse>& error);

// A word of a command line: non-empty, no spaces or control characters.
bool is_wire_word(std::string_view s);
// The last argument of a line (text): no control characters, may be empty
// of spaces but not empty.
bool is_wire_text(std::string_view s);
ApiResponse bad_request(std::string_view message);

// The hub's -ERR reply (or anything that is not the expected one) as an
// HTTP error with the same status.
ApiResponse from_reply(const protocol::ServerMessage& reply);
// The same for a refusal the hub's code gave directly (a FileRefusal, an
// EdgeFailure): status CODE, the hub's text.
ApiResponse hub_error(int code, std::string_view text);

// Runs a line as the request's browser device.
// Callers pass named objects, never temporaries: GCC 12 destroys a
// temporary made by an implicit conversion in a coroutine call's arguments
// twice (a std::function made from a lambda released its captures twice).
boost::asio::awaitable<protocol::ServerMessage> run_line(const ApiRequest& request, const std::string& line);
BrowserSession& browser_of(const ApiRequest& request);

// The ", "-separated fields of a listing line (AED, status).
std::vector<std::string_view> split_listing(std::string_view line);
// A line of `status`: "NAME, IP, connected TIME, disconnected TIME" or
// "..., still connected" (docs/PROTOCOL.md#7-core-commands), times as ISO.
struct LoginRecord {
  std::string name, ip, login;
  std::optional<std::string> logout;
};
std::optional<LoginRecord> parse_login_record(std::string_view line);
// Runs a listing command and answers {key: [to_json(line) for each line]}.
using LineToJson = std::function<std::optional<boost::json::object>(std::string_view line)>;
boost::asio::awaitable<ApiResponse> listing_reply(const ApiRequest& request, const std::string& line,
                                                  std::string_view key, const LineToJson& to_json);

// "30 September 2022 10:31:13" (server local time, listings) as ISO 8601 UTC.
std::optional<std::string> log_time_to_iso(std::string_view text);

}  // namespace edgehub::web::api
