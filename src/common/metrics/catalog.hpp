#pragma once
// The server's metrics, by name (docs/METRICS.md#every-metric). Each layer
// keeps pointers to the series it updates; server_metrics() registers them
// all on its first call (the Hub's constructor), so that a scrape shows
// every family from the start, at zero.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/metrics/metrics.hpp"

namespace edgehub::metrics {

// What a byte on a device connection was for (docs/METRICS.md#bytes-by-feature).
enum class Feature : std::uint8_t { control, messaging, files, edge_data };
inline constexpr std::size_t kFeatures = 4;
std::string_view feature_name(Feature feature);

enum class LoginResult : std::uint8_t {
  ok,
  bad_password,    // wrong name or password (one answer for both)
  locked,          // the name is blocked after failures
  limit,           // the address used up its failed logins
  certificate,     // a device certificate refused
  bad_token,       // an invalid or expired resume token
  already_online,  // the name is logged in elsewhere
};
inline constexpr std::size_t kLoginResults = 7;
std::string_view login_result_name(LoginResult result);

enum class Transport : std::uint8_t { plaintext, tls };

struct ServerMetrics {
  std::array<Gauge*, 2> connections;  // by Transport
  Gauge* parked;                      // of those, parked (net/parking_lot.hpp)
  Counter* parks;                     // times a connection was parked
  Gauge* awaiting_login;
  Gauge* logged_in;
  std::array<Counter*, kLoginResults> logins;
  std::array<Counter*, kFeatures> bytes_in;
  std::array<Counter*, kFeatures> bytes_out;
  Counter* messages_routed;
  Counter* messages_stored;
  Counter* messages_delivered;
  Counter* unknown_commands;
  Gauge* store_queue_depth;
  Counter* store_jobs;
  Counter* store_start_overs;
  Counter* cluster_live_declined;    // live cross-node messages the recipient's node did not queue
  Counter* cluster_live_unanswered;  // ... nor answered in time
  Histogram* store_commit_seconds;

  Gauge& connections_of(Transport t) const { return *connections[static_cast<std::size_t>(t)]; }
  Counter& login(LoginResult r) const { return *logins[static_cast<std::size_t>(r)]; }
  Counter& received(Feature f) const { return *bytes_in[static_cast<std::size_t>(f)]; }
  Counter& sent(Feature f) const { return *bytes_out[static_cast<std::size_t>(f)]; }
};

const ServerMetrics& server_metrics();

// edgehub_commands_total{command="VERB"}: resolved once per command table entry.
Counter& command_counter(std::string_view verb);
// edgehub_limits_hit_total{limit="NAME"}: resolved once per limit.
Counter& limit_counter(std::string_view limit);

}  // namespace edgehub::metrics
