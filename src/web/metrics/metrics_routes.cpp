#include "web/metrics/metrics_routes.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "common/metrics/catalog.hpp"
#include "common/metrics/registry.hpp"

namespace edgehub::web {

namespace {

std::uint64_t total(const std::array<metrics::Counter*, metrics::kFeatures>& by_feature) {
  std::uint64_t sum = 0;
  for (const metrics::Counter* c : by_feature) sum += c->value();
  return sum;
}

}  // namespace

ApiResponse metrics_response() {
  ApiResponse response;
  response.content_type = std::string(kPrometheusContentType);
  response.body = metrics::registry().render();
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

ApiResponse admin_stats_response(const hub::Hub& hub, SystemTime now) {
  const metrics::ServerMetrics& m = metrics::server_metrics();
  boost::json::object body;
  body["time"] = format_iso_utc(now);
  body["connections"] = hub.connection_count();
  body["logged_in"] = m.logged_in->value();
  body["messages_routed"] = m.messages_routed->value();
  body["bytes_in"] = total(m.bytes_in);
  body["bytes_out"] = total(m.bytes_out);
  ApiResponse response;
  response.body = boost::json::serialize(body);
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

// /metrics is Public: Prometheus scrapes without a browser session, and the
// numbers are totals that name no device, account or address. Off loopback
// the listener speaks only HTTPS (docs/METRICS.md#over-http).
void register_metrics_routes(Router& router, WebServices& services) {
  metrics::server_metrics();  // every family present from the first scrape
  Route scrape;
  scrape.method = http::verb::get;
  scrape.pattern = "/metrics";
  scrape.access = Access::Public;
  scrape.max_body = 0;
  scrape.handler = [](ApiRequest&) -> boost::asio::awaitable<ApiResponse> { co_return metrics_response(); };
  router.add(std::move(scrape));

  Route stats;
  stats.method = http::verb::get;
  stats.pattern = "/api/v1/admin/stats";
  stats.access = Access::Admin;
  stats.max_body = 0;
  stats.handler = [&hub = services.hub](ApiRequest&) -> boost::asio::awaitable<ApiResponse> {
    co_return admin_stats_response(hub, std::chrono::system_clock::now());
  };
  router.add(std::move(stats));
}

}  // namespace edgehub::web
