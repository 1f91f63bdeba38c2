#pragma once
// GET /metrics (Prometheus text format 0.0.4) and GET /api/v1/admin/stats
// (the console's live charts): docs/METRICS.md#over-http.
#include <string>

#include "common/time_format.hpp"
#include "hub/core/hub.hpp"
#include "web/core/route.hpp"
#include "web/routes.hpp"

namespace edgehub::web {

inline constexpr std::string_view kPrometheusContentType = "text/plain; version=0.0.4; charset=utf-8";

void register_metrics_routes(Router& router, WebServices& services);

// What the two routes answer (their handlers only wrap these).
ApiResponse metrics_response();
ApiResponse admin_stats_response(const hub::Hub& hub, SystemTime now);

}  // namespace edgehub::web
