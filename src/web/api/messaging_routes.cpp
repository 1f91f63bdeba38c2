// POST /api/v1/messages, POST /api/v1/broadcast, /api/v1/blocks
// (docs/HTTP_API.md#messages): `message`, `broadcast`, `block`, `unblock`.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "hub/messaging/messaging_service.hpp"
#include "web/api/api_routes.hpp"

namespace edgehub::web::api {

namespace asio = boost::asio;
using protocol::ServerMessage;

namespace {

bool failed(const ServerMessage& reply) { return reply.kind == ServerMessage::Kind::Err; }

asio::awaitable<ApiResponse> message(ApiContext& /*ctx*/, ApiRequest& request) {
  auto body = parse_object(request);
  if (body.error) co_return *body.error;
  std::optional<ApiResponse> error;
  auto to = string_field(body.object, "to", error);
  auto text = string_field(body.object, "text", error);
  if (error) co_return *error;
  if (!is_wire_word(*to)) co_return bad_request("\"to\" must be a user name (no spaces)");
  if (!is_wire_text(*text)) co_return bad_request("\"text\" must be one line of text, not empty");
  const std::string line = "message " + *to + " " + *text;
  const auto reply = co_await run_line(request, line);
  if (failed(reply)) co_return from_reply(reply);
  const bool stored = reply.text.find("is offline") != std::string::npos;
  co_return json_ok(boost::json::object{{"delivered", stored ? "stored" : "live"}});
}

asio::awaitable<ApiResponse> broadcast(ApiContext& /*ctx*/, ApiRequest& request) {
  auto body = parse_object(request);
  if (body.error) co_return *body.error;
  std::optional<ApiResponse> error;
  auto text = string_field(body.object, "text", error);
  if (error) co_return *error;
  if (!is_wire_text(*text)) co_return bad_request("\"text\" must be one line of text, not empty");
  const std::string line = "broadcast " + *text;
  const auto reply = co_await run_line(request, line);
  if (failed(reply)) co_return from_reply(reply);
  co_return json_ok(boost::json::object{});
}

asio::awaitable<ApiResponse> list_blocks(ApiContext& ctx, ApiRequest& request) {
  boost::json::array names;
  for (const auto& name : ctx.hub.messaging().blocks().blocked_by(browser_of(request).name()))
    names.push_back(boost::json::string(name));
  co_return json_ok(boost::json::object{{"blocked", std::move(names)}});
}

asio::awaitable<ApiResponse> block_line(ApiRequest& request, std::string_view verb, const std::string& name) {
  if (!is_wire_word(name)) co_return bad_request("\"name\" must be a user name (no spaces)");
  const std::string line = std::string(verb) + " " + name;
  const auto reply = co_await run_line(request, line);
  if (failed(reply)) co_return from_reply(reply);
  co_return json_ok(boost::json::object{});
}

asio::awaitable<ApiResponse> block(ApiContext& /*ctx*/, ApiRequest& request) {
  auto body = parse_object(request);
  if (body.error) co_return *body.error;
  std::optional<ApiResponse> error;
  auto name = string_field(body.object, "name", error);
  if (error) co_return *error;
  co_return co_await block_line(request, "block", *name);
}

asio::awaitable<ApiResponse> unblock(ApiContext& /*ctx*/, ApiRequest& request) {
  co_return co_await block_line(request, "unblock", request.params.at(0));
}

}  // namespace

void add_messaging_routes(Router& router, const std::shared_ptr<ApiContext>& ctx) {
  router.add(json_route(http::verb::post, "/api/v1/messages", Access::LoggedIn, with(ctx, message)));
  router.add(json_route(http::verb::post, "/api/v1/broadcast", Access::LoggedIn, with(ctx, broadcast)));
  router.add(json_route(http::verb::get, "/api/v1/blocks", Access::LoggedIn, with(ctx, list_blocks)));
  router.add(json_route(http::verb::post, "/api/v1/blocks", Access::LoggedIn, with(ctx, block)));
  router.add(json_route(http::verb::delete_, "/api/v1/blocks/{name}", Access::LoggedIn, with(ctx, unblock)));
}

}  // namespace edgehub::web::api
