// Builds the API's routes and its session table (docs/HTTP_API.md).
#include "web/api/api_routes.hpp"

namespace edgehub::web::api {

void register_api_routes(Router& router, WebServices& services) {
  SessionLimits limits;
  limits.idle = services.session_idle;
  limits.lifetime = services.session_max;
  register_api_routes(router, services, std::make_shared<SessionTable>(limits));
}

void register_api_routes(Router& router, WebServices& services, std::shared_ptr<SessionTable> sessions) {
  services.sessions = sessions;
  auto ctx = std::make_shared<ApiContext>(services.hub, services.network, sessions);
  add_auth_routes(router, ctx);
  add_presence_routes(router, ctx);
  add_messaging_routes(router, ctx);
  add_files_routes(router, ctx);
  add_admin_routes(router, ctx);
  add_edge_data_routes(router, ctx);
  add_event_routes(router, ctx);
}

}  // namespace edgehub::web::api
