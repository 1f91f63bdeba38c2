#pragma once
// Starts the HTTP listener beside the device port (docs/HTTP_API.md#the-http-server).
#include <memory>
#include <optional>

#include "hub/core/hub.hpp"
#include "net/listener.hpp"
#include "net/server.hpp"
#include "web/server/http_server.hpp"

namespace edgehub::app {

// Opened with the device port, before the slow part of start-up; nullopt
// for --http-port 0. Throws net::ListenError.
std::optional<net::Listener> listen_http(const web::HttpOptions& options);

// Builds the routes, serves them on the server's network threads, and
// stops accepting when the server shuts down. Null without a listener.
std::unique_ptr<web::HttpServer> start_web(web::HttpOptions options, std::optional<net::Listener> listener,
                                           net::Server& server, hub::Hub& hub);

}  // namespace edgehub::app
