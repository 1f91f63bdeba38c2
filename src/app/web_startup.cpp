#include "app/web_startup.hpp"

#include <cstdio>

#include "web/routes.hpp"

namespace edgehub::app {

std::optional<net::Listener> listen_http(const web::HttpOptions& options) {
  if (options.port == 0) return std::nullopt;
  return net::Listener(options.bind_address, options.port);
}

std::unique_ptr<web::HttpServer> start_web(web::HttpOptions options, std::optional<net::Listener> listener,
                                           net::Server& server, hub::Hub& hub) {
  if (!listener) return nullptr;
  web::WebServices services{.hub = hub,
                            .network = server.executors(),
                            .sessions = nullptr,
                            .session_idle = options.session_idle,
                            .session_max = options.session_max};
  auto router = std::make_shared<web::Router>();
  web::build_routes(*router, services);
  const std::string address = options.bind_address;
  auto http = std::make_unique<web::HttpServer>(std::move(options), std::move(*listener), services.network,
                                                std::move(router), services.sessions);
  http->start();
  server.on_shutdown([raw = http.get()] { raw->stop(); });
  // Tests and scripts read this line to learn the port chosen for --http-port.
  std::printf("edgehubd http listening on %s\n", net::endpoint_text(address, http->port()).c_str());
  return http;
}

}  // namespace edgehub::app
