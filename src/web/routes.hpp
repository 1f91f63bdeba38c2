#pragma once
// Everything the HTTP listener serves, built once at start-up
// (docs/HTTP_API.md). Each part adds its routes in build_routes().
#include <boost/asio/any_io_executor.hpp>
#include <memory>
#include <vector>

#include "hub/core/hub.hpp"
#include "web/core/route.hpp"

namespace edgehub::web {

struct WebServices {
  hub::Hub& hub;
  // The server's network threads (one io_context each), where a browser's
  // device session lives like a TCP connection does.
  std::vector<boost::asio::any_io_executor> network;
  // Set by the API's routes; the server asks it for every request's cookie.
  std::shared_ptr<SessionResolver> sessions;
};

void build_routes(Router& router, WebServices& services);

}  // namespace edgehub::web
