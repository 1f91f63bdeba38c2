// docs/HTTP_API.md#http-metrics
#include "web/server/http_metrics.hpp"

#include <array>
#include <string_view>

#include "common/metrics/catalog.hpp"
#include "common/metrics/registry.hpp"

namespace edgehub::web {
namespace {

struct HttpMetrics {
  metrics::Gauge* connections;
  std::array<metrics::Counter*, 5> responses;  // 1xx .. 5xx
  metrics::Counter* headers_too_large;
  metrics::Counter* body_too_large;
  metrics::Counter* timeouts;
  metrics::Counter* too_many_connections;
};

const HttpMetrics& http_metrics() {
  static const HttpMetrics m = [] {
    auto& r = metrics::registry();
    constexpr std::string_view help = "HTTP answers sent by the web listener, by status class";
    HttpMetrics out{};
    out.connections = &r.gauge("edgehub_http_connections", "Open connections of the HTTP listener");
    const std::array<std::string_view, 5> classes = {"1xx", "2xx", "3xx", "4xx", "5xx"};
    for (std::size_t i = 0; i < classes.size(); ++i)
      out.responses[i] = &r.counter("edgehub_http_responses_total", help, "class", classes[i]);
    out.headers_too_large = &metrics::limit_counter("http_headers");
    out.body_too_large = &metrics::limit_counter("http_body");
    out.timeouts = &metrics::limit_counter("http_timeout");
    out.too_many_connections = &metrics::limit_counter("http_connections");
    return out;
  }();
  return m;
}

}  // namespace

void register_http_metrics() { (void)http_metrics(); }

void count_http_connection(int delta) { http_metrics().connections->add(delta); }

void count_http_response(unsigned status) {
  const auto& m = http_metrics();
  if (status >= 100 && status < 600) m.responses[status / 100 - 1]->inc();
  if (status == 431) m.headers_too_large->inc();
  if (status == 413) m.body_too_large->inc();
  if (status == 408) m.timeouts->inc();
  if (status == 503) m.too_many_connections->inc();
}

}  // namespace edgehub::web
