#include "common/metrics/catalog.hpp"

#include "common/metrics/registry.hpp"

namespace edgehub::metrics {

namespace {

constexpr std::string_view kCommands = "Commands run (past the access and arity checks), by verb";
constexpr std::string_view kLimits = "Refusals by an abuse or resource limit, by limit";

constexpr std::array<std::string_view, kFeatures> kFeatureNames = {"control", "messaging", "files", "edge_data"};
constexpr std::array<std::string_view, kLoginResults> kLoginNames = {
    "ok", "bad_password", "locked", "limit", "certificate", "bad_token", "already_online"};

// 100 µs to 2.5 s: a commit is an fsync, from a fast SSD to a slow SD card.
std::vector<double> commit_bounds() {
  return {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};
}

ServerMetrics register_all() {
  Registry& r = registry();
  ServerMetrics m{};
  constexpr std::string_view conn = "Open device-port TCP connections past the first-byte check, by transport";
  m.connections = {&r.gauge("edgehub_connections", conn, "transport", "plaintext"),
                   &r.gauge("edgehub_connections", conn, "transport", "tls")};
  m.parked = &r.gauge("edgehub_connections_parked",
                      "Idle connections watched outside the event loop's per-socket state (--park-idle)");
  m.parks = &r.counter("edgehub_connection_parks_total", "Times an idle connection was parked (--park-idle)");
  constexpr std::string_view sessions = "Device sessions (TCP and web) by login state";
  m.awaiting_login = &r.gauge("edgehub_sessions", sessions, "state", "awaiting_login");
  m.logged_in = &r.gauge("edgehub_sessions", sessions, "state", "logged_in");
  for (std::size_t i = 0; i < kLoginResults; ++i)
    m.logins[i] = &r.counter("edgehub_logins_total", "Login attempts (login, resume, certlogin) by result", "result",
                             kLoginNames[i]);
  for (std::size_t i = 0; i < kFeatures; ++i) {
    m.bytes_in[i] = &r.counter("edgehub_received_bytes_total", "Application bytes received from devices, by feature",
                               "feature", kFeatureNames[i]);
    m.bytes_out[i] = &r.counter("edgehub_sent_bytes_total", "Application bytes sent to devices, by feature", "feature",
                                kFeatureNames[i]);
  }
  m.messages_routed = &r.counter("edgehub_messages_routed_total",
                                 "Messages and broadcast copies handed to an online recipient's connection");
  m.messages_stored = &r.counter("edgehub_messages_stored_total", "Messages stored offline for a later login");
  m.messages_delivered =
      &r.counter("edgehub_messages_delivered_total", "Messages written to a recipient's TCP connection");
  m.unknown_commands = &r.counter("edgehub_commands_total", kCommands, "command", "unknown");
  // net/'s one limit (--high-water); the hub's register with their LimitLog.
  limit_counter("high_water");
  m.store_queue_depth = &r.gauge("edgehub_store_queue_depth", "Database jobs waiting for the store thread");
  m.store_jobs = &r.counter("edgehub_store_jobs_total", "Database jobs run by the store thread");
  m.store_start_overs = &r.counter("edgehub_store_start_overs_total",
                                   "Store transactions rolled back and run again (PostgreSQL lock order)");
  m.cluster_live_declined = &r.counter("edgehub_cluster_live_messages_total",
                                       "Live cross-node direct messages stored instead", "outcome", "declined");
  m.cluster_live_unanswered = &r.counter("edgehub_cluster_live_messages_total",
                                         "Live cross-node direct messages stored instead", "outcome", "unanswered");
  m.store_commit_seconds =
      &r.histogram("edgehub_store_commit_seconds", "Time of one store transaction (group commit), fsync included",
                   commit_bounds(), 1e-6);
  return m;
}

}  // namespace

std::string_view feature_name(Feature feature) { return kFeatureNames[static_cast<std::size_t>(feature)]; }
std::string_view login_result_name(LoginResult result) { return kLoginNames[static_cast<std::size_t>(result)]; }

const ServerMetrics& server_metrics() {
  static const ServerMetrics metrics = register_all();
  return metrics;
}

Counter& command_counter(std::string_view verb) {
  return registry().counter("edgehub_commands_total", kCommands, "command", verb);
}
Counter& limit_counter(std::string_view limit) {
  return registry().counter("edgehub_limits_hit_total", kLimits, "limit", limit);
}

}  // namespace edgehub::metrics
