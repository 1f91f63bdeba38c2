// One line per part that serves something over HTTP.
#include "web/routes.hpp"

#include "web/api/api_routes.hpp"
#include "web/console/console_routes.hpp"
#include "web/metrics/metrics_routes.hpp"

namespace edgehub::web {

void build_routes(Router& router, WebServices& services) {
  api::register_api_routes(router, services);
  register_console_routes(router, services);
  register_metrics_routes(router, services);
}

}  // namespace edgehub::web
