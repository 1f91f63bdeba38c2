#pragma once
// Everything the HTTP listener serves, built once at start-up
// (docs/HTTP_API.md). Each part adds its routes in build_routes().
#include <boost/asio/any_io_executor.hpp>
#include <chrono>
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
  // Browser sessions end after this long without a request
  // (--http-session-idle) and this long after login at the latest
  // (--http-session-max), docs/HTTP_API.md#browser-sessions.
  std::chrono::seconds session_idle{30 * 60};
  std::chrono::seconds session_max{12 * 3600};
};

void build_routes(Router& router, WebServices& services);

}  // namespace edgehub::web
