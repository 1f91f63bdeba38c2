#pragma once
// GET / and GET /assets/{file}: the web console (docs/CONSOLE.md).
#include "web/console/assets.hpp"
#include "web/routes.hpp"

namespace edgehub::web {

void register_console_routes(Router& router, WebServices& services);
// The same routes; they need no service (the unit tests call this).
void add_console_routes(Router& router);

// The answer for one embedded asset: 200 with its bytes, or 304 when the
// request's If-None-Match names its ETag. Public for the unit tests.
ApiResponse asset_response(const Asset& asset, const ApiRequest& request);

}  // namespace edgehub::web
