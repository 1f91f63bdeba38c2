// One line per part that serves something over HTTP.
#include "web/routes.hpp"

#include "web/api/api_routes.hpp"

namespace edgehub::web {

void build_routes(Router& router, WebServices& services) { api::register_api_routes(router, services); }

}  // namespace edgehub::web
