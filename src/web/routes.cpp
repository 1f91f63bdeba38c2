// One line per part that serves something over HTTP.
#include "web/routes.hpp"

namespace edgehub::web {

void build_routes(Router& /*router*/, WebServices& /*services*/) {}

}  // namespace edgehub::web
