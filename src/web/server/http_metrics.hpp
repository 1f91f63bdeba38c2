#pragma once
// The HTTP listener's metrics (docs/HTTP_API.md#http-metrics): open
// connections, answers by status class, and the limits it enforced, in
// the server's registry (common/metrics/).
namespace edgehub::web {

// Registers every series at zero (called when the HttpServer is built).
void register_http_metrics();
void count_http_connection(int delta);
// An answer sent with this status; 408, 413, 431 and 503 also count as
// limits hit.
void count_http_response(unsigned status);

}  // namespace edgehub::web
