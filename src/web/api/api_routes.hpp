#pragma once
// The JSON API under /api/v1/ and its WebSocket (docs/HTTP_API.md): one
// endpoint per command of the terminal client, each a translation to the
// hub's command line and back.
#include <limits>
#include <memory>

#include "web/api/api_common.hpp"
#include "web/routes.hpp"

namespace edgehub::web::api {

// Adds every route of web/api/ and sets services.sessions.
void register_api_routes(Router& router, WebServices& services);
// The same with a given session table (tests give one with their own clock).
void register_api_routes(Router& router, WebServices& services, std::shared_ptr<SessionTable> sessions);

// Each feature's routes (auth_routes.cpp, presence_routes.cpp, ...).
void add_auth_routes(Router& router, const std::shared_ptr<ApiContext>& ctx);
void add_presence_routes(Router& router, const std::shared_ptr<ApiContext>& ctx);
void add_messaging_routes(Router& router, const std::shared_ptr<ApiContext>& ctx);
void add_files_routes(Router& router, const std::shared_ptr<ApiContext>& ctx);
void add_admin_routes(Router& router, const std::shared_ptr<ApiContext>& ctx);
void add_edge_data_routes(Router& router, const std::shared_ptr<ApiContext>& ctx);
void add_event_routes(Router& router, const std::shared_ptr<ApiContext>& ctx);

// A JSON route (Route's designated initialisers would have to name every member).
inline Route json_route(http::verb method, std::string pattern, Access access, ApiHandler handler,
                        std::size_t max_body = 64 * 1024) {
  Route route;
  route.method = method;
  route.pattern = std::move(pattern);
  route.access = access;
  route.max_body = max_body;
  route.handler = std::move(handler);
  return route;
}

// A streamed upload route (web/core/route.hpp, UploadSink). No size limit of
// the server's own: the handler refuses from the headers with the hub's
// limits and texts (the same as `put` / `UED`).
inline Route upload_route(std::string pattern, UploadHandler upload) {
  Route route;
  route.method = http::verb::put;
  route.pattern = std::move(pattern);
  route.access = Access::LoggedIn;
  route.max_body = std::numeric_limits<std::size_t>::max();
  route.upload = std::move(upload);
  return route;
}

// A handler that gets the context: a Route's handler (or upload handler)
// from a plain function.
template <typename F>
auto with(const std::shared_ptr<ApiContext>& ctx, F f) {
  return [ctx, f](ApiRequest& request) { return f(*ctx, request); };
}

}  // namespace edgehub::web::api
