// POST /api/v1/login, POST /api/v1/logout, GET /api/v1/session
// (docs/HTTP_API.md#browser-sessions). Login runs the hub's own `login` (or
// `resume`) line on a new browser device, so argon2id, the lockout, the abuse
// limits and the one answer for a bad name or password are the hub's.
#include <boost/json/object.hpp>

#include "common/time_format.hpp"
#include "web/api/api_routes.hpp"

namespace edgehub::web::api {

namespace asio = boost::asio;

namespace {

std::string cookie_header(const ApiRequest& request, std::string_view value, std::int64_t max_age) {
  std::string c = std::string(kSessionCookie) + "=" + std::string(value) +
                  "; HttpOnly; SameSite=Strict; Path=/; Max-Age=" + std::to_string(max_age);
  if (request.tls) c += "; Secure";
  return c;
}

boost::json::object session_json(const BrowserSession& s) {
  return {
      {"name", s.name()}, {"admin", s.is_admin()}, {"csrf", s.csrf_token()}, {"expires", format_iso_utc(s.expires())}};
}

bool is_json(const ApiRequest& request) {
  if (request.http == nullptr) return false;
  const auto type = (*request.http)[http::field::content_type];
  return type.substr(0, 16) == "application/json";
}

struct Credentials {
  std::string line;  // "login NAME PASSWORD" or "resume NAME TOKEN"
  std::string name;
  std::optional<ApiResponse> error;
  static Credentials refused(ApiResponse response) {
    Credentials c;
    c.error = std::move(response);
    return c;
  }
};

Credentials read_credentials(const ApiRequest& request) {
  Credentials c;
  if (!is_json(request)) {
    c.error = json_error(415, "unsupported_media_type", "Log in with Content-Type: application/json");
    return c;
  }
  auto body = parse_object(request);
  if (body.error) return Credentials::refused(*body.error);
  const bool resume = body.object.contains("token");
  auto name = string_field(body.object, "name", c.error);
  auto secret = string_field(body.object, resume ? "token" : "password", c.error);
  if (c.error) return c;
  if (!is_wire_word(*name) || !is_wire_word(*secret))
    return Credentials::refused(json_error(401, "unauthorized", "Invalid username or password. Please try again"));
  c.name = *name;
  c.line = (resume ? "resume " : "login ") + *name + " " + *secret;
  return c;
}

ApiResponse login_refused(const protocol::ServerMessage& reply) {
  if (reply.kind == protocol::ServerMessage::Kind::Err && reply.code == 409)
    return json_error(409, "already_online", reply.text);
  return from_reply(reply);
}

std::shared_ptr<WebDevice> new_device(ApiContext& ctx, const ApiRequest& request) {
  std::weak_ptr<SessionTable> weak_table = ctx.sessions;
  auto kind_of = [weak_table](const std::string& name) {
    auto table = weak_table.lock();
    return table ? table->kind_of(name) : std::string("terminal");
  };
  return WebDevice::create(ctx.hub, ctx.next_executor(), request.remote_ip, kind_of);
}

// The logged-in device becomes a browser session: the answer with its cookie.
ApiResponse open_session(ApiContext& ctx, const ApiRequest& request, const std::string& name,
                         const std::shared_ptr<WebDevice>& device) {
  auto created = ctx.sessions->create(name, ctx.hub.accounts()->is_admin(name), device);
  if (!created.session) {
    device->stop("Too many browser sessions");
    return json_error(503, "unavailable", "Too many browser sessions; try again later");
  }
  std::weak_ptr<SessionTable> weak_table = ctx.sessions;
  std::weak_ptr<BrowserSession> weak_session = created.session;
  // The hub may end the device itself (heartbeat, account deleted,
  // shutdown): the browser session ends with it.
  device->on_ended([weak_table, weak_session] {
    auto table = weak_table.lock();
    auto session = weak_session.lock();
    if (table && session) table->end(*session, "");
  });
  // The hub's heartbeat asks the session, so an expired one logs out even
  // if its cookie never comes back.
  device->set_liveness([weak_table, weak_session] {
    auto table = weak_table.lock();
    auto session = weak_session.lock();
    return table && session && table->is_live(*session);
  });
  auto response = json_ok(session_json(*created.session));
  response.headers.emplace_back("Set-Cookie",
                                cookie_header(request, created.cookie, ctx.sessions->limits().lifetime.count()));
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

asio::awaitable<ApiResponse> login(ApiContext& ctx, ApiRequest& request) {
  auto credentials = read_credentials(request);
  if (credentials.error) co_return *credentials.error;
  auto device = new_device(ctx, request);
  if (auto refused = co_await device->connect()) co_return login_refused(*refused);
  ctx.sessions->login_starting(credentials.name);
  const auto reply = co_await device->run(credentials.line);
  if (reply.kind != protocol::ServerMessage::Kind::Ok) {
    ctx.sessions->login_failed(credentials.name);
    device->stop("Login failed");
    co_return login_refused(reply);
  }
  co_return open_session(ctx, request, credentials.name, device);
}

asio::awaitable<ApiResponse> logout(ApiContext& ctx, ApiRequest& request) {
  ctx.sessions->end(browser_of(request), "Logged out");
  ApiResponse response;
  response.status = 204;
  response.headers.emplace_back("Set-Cookie", cookie_header(request, "", 0));
  co_return response;
}

asio::awaitable<ApiResponse> session(ApiContext& /*ctx*/, ApiRequest& request) {
  auto response = json_ok(session_json(browser_of(request)));
  response.headers.emplace_back("Cache-Control", "no-store");
  co_return response;
}

}  // namespace

void add_auth_routes(Router& router, const std::shared_ptr<ApiContext>& ctx) {
  router.add(json_route(http::verb::post, "/api/v1/login", Access::Public, with(ctx, login), 4096));
  router.add(json_route(http::verb::post, "/api/v1/logout", Access::LoggedIn, with(ctx, logout)));
  router.add(json_route(http::verb::get, "/api/v1/session", Access::LoggedIn, with(ctx, session)));
}

}  // namespace edgehub::web::api
