// The operator's endpoints (docs/HTTP_API.md#admin): `status`, the
// accounts (unlock, reset password, delete: what `edgehubd user` does), the
// limits. Only sessions of admin accounts reach them (Access::Admin: the web
// server answers 403 to others).
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <chrono>

#include "common/time_format.hpp"
#include "hub/auth/password_hasher.hpp"
#include "hub/auth/security_log.hpp"
#include "hub/core/async.hpp"
#include "web/api/api_routes.hpp"

namespace edgehub::web::api {

namespace asio = boost::asio;
using protocol::ServerMessage;

namespace {

asio::awaitable<ApiResponse> status(ApiContext& ctx, ApiRequest& request) {
  auto sessions = ctx.sessions;
  const std::string line = "status 1000";
  const LineToJson to_json = [sessions](std::string_view listed) -> std::optional<boost::json::object> {
    auto r = parse_login_record(listed);
    if (!r) return std::nullopt;
    boost::json::object o{{"name", r->name},
                          {"kind", sessions->kind_of(r->name)},
                          {"ip", r->ip},
                          {"connected", r->login},
                          {"disconnected", nullptr}};
    if (r->logout) o["disconnected"] = *r->logout;
    return o;
  };
  co_return co_await listing_reply(request, line, "connections", to_json);
}

asio::awaitable<ApiResponse> accounts(ApiContext& ctx, ApiRequest& /*request*/) {
  const auto all = ctx.hub.accounts();
  const auto now = std::chrono::steady_clock::now();
  boost::json::array list;
  for (const auto& name : all->names())
    list.push_back(boost::json::object{{"name", name},
                                       {"admin", all->is_admin(name)},
                                       {"locked", ctx.hub.lockout().is_blocked(name, now)},
                                       {"online", ctx.hub.directory().find(name).has_value()}});
  co_return json_ok(boost::json::object{{"accounts", std::move(list)}});
}

// "security: event=... addr=ADMIN'S IP user=ACCOUNT by=ADMIN"
// (docs/SECURITY.md#security-log); never a password.
void log_account_change(hub::SecurityEvent event, const ApiRequest& request, const std::string& name) {
  hub::log_admin_action(event, request.remote_ip, name, request.session->name());
}

ApiResponse no_account(const std::string& name) { return json_error(404, "not_found", "There is no account " + name); }

asio::awaitable<ApiResponse> unlock(ApiContext& ctx, ApiRequest& request) {
  const std::string& name = request.params.at(0);
  if (!ctx.hub.accounts()->exists(name)) co_return no_account(name);
  ctx.hub.lockout().unlock(name);
  log_account_change(hub::SecurityEvent::unlock, request, name);
  co_return json_ok(boost::json::object{});
}

// POST .../accounts/NAME/password {"password": ...}: `edgehubd user passwd`.
// argon2id runs on a worker; devices logged in stay logged in, as with
// the command; the old password no longer logs in.
asio::awaitable<ApiResponse> reset_password(ApiContext& ctx, ApiRequest& request) {
  const std::string& name = request.params.at(0);
  auto body = parse_object(request);
  if (body.error) co_return *body.error;
  std::optional<ApiResponse> error;
  auto password = string_field(body.object, "password", error);
  if (error) co_return *error;
  if (auto problem = hub::password_problem(*password))
    co_return json_error(400, "invalid_field", "Refused: " + *problem + "; nothing changed");
  if (!ctx.hub.accounts()->exists(name)) co_return no_account(name);
  const hub::Argon2Cost cost = ctx.hub.config().argon2;
  const std::string hash =
      co_await hub::run_blocking(ctx.hub.workers(), [&] { return hub::hash_password(*password, cost); });
  if (!co_await ctx.hub.set_password_hash(name, hash)) co_return no_account(name);
  log_account_change(hub::SecurityEvent::reset_password, request, name);
  co_return json_ok(boost::json::object{});
}

// DELETE .../accounts/NAME: `edgehubd user del`; a device logged in as NAME,
// terminal or browser, is logged out.
asio::awaitable<ApiResponse> delete_account(ApiContext& ctx, ApiRequest& request) {
  const std::string& name = request.params.at(0);
  if (!co_await ctx.hub.delete_account(name)) co_return no_account(name);
  log_account_change(hub::SecurityEvent::delete_account, request, name);
  co_return json_ok(boost::json::object{});
}

boost::json::object limit(std::string_view option, std::uint64_t value, std::string_view description) {
  return {{"name", option}, {"value", value}, {"description", description}};
}

asio::awaitable<ApiResponse> limits(ApiContext& ctx, ApiRequest& /*request*/) {
  const auto& c = ctx.hub.config();
  const hub::AbuseConfig abuse = ctx.hub.abuse().config();  // a SIGHUP may have changed it
  const auto seconds = [](auto d) { return static_cast<std::uint64_t>(d.count()); };
  boost::json::array list;
  for (const auto& entry : {
           limit("--max-clients", abuse.max_connections, "connections open at once"),
           limit("--max-attempts", static_cast<std::uint64_t>(c.max_attempts), "failed logins that lock a name"),
           limit("--block-seconds", seconds(c.block_time), "how long a locked name stays locked"),
           limit("--max-failed-logins", abuse.failed_logins_per_minute, "failed logins per minute from one address"),
           limit("--login-timeout", seconds(c.login_timeout), "seconds to log in after connecting"),
           limit("--idle-timeout", seconds(c.idle_timeout), "seconds without a command before logout (0: never)"),
           limit("--heartbeat", seconds(c.heartbeat), "seconds of silence before a ping (0: off)"),
           limit("--max-file-size", c.max_file_size, "bytes of one repository file"),
           limit("--max-repo-size", c.max_repo_size, "bytes of all repository files"),
           limit("--max-offline", c.max_offline_messages, "stored messages per recipient"),
           limit("--http-session-idle", seconds(ctx.sessions->limits().idle),
                 "seconds a browser session may stay unused"),
           limit("--http-session-max", seconds(ctx.sessions->limits().lifetime),
                 "seconds a browser session lasts at most"),
       })
    list.push_back(entry);
  co_return json_ok(boost::json::object{{"limits", std::move(list)}});
}

}  // namespace

void add_admin_routes(Router& router, const std::shared_ptr<ApiContext>& ctx) {
  router.add(json_route(http::verb::get, "/api/v1/admin/status", Access::Admin, with(ctx, status)));
  router.add(json_route(http::verb::get, "/api/v1/admin/accounts", Access::Admin, with(ctx, accounts)));
  router.add(json_route(http::verb::post, "/api/v1/admin/accounts/{name}/unlock", Access::Admin, with(ctx, unlock)));
  router.add(json_route(http::verb::post, "/api/v1/admin/accounts/{name}/password", Access::Admin,
                        with(ctx, reset_password), 4096));
  router.add(
      json_route(http::verb::delete_, "/api/v1/admin/accounts/{name}", Access::Admin, with(ctx, delete_account)));
  router.add(json_route(http::verb::get, "/api/v1/admin/limits", Access::Admin, with(ctx, limits)));
}

}  // namespace edgehub::web::api
