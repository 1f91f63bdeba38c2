#pragma once
// Sends encoded cluster events (cluster_event.hpp) to every node: one
// NOTIFY each on edgehub_cluster, all in one transaction, committed without
// waiting for the disk (synchronous_commit off). An event only points at
// data that is durable already (a stored message, a login row), so a
// database crash that loses the commit loses nothing but the news, as a
// lost event connection does. One NOTIFY per commit and fsync made the
// cluster thread the bottleneck of cross-node messages
// (docs/BENCHMARKS.md#cluster). Used by the CLUSTER thread for this node's
// events and by the LISTEN thread for its live answers
// (docs/CLUSTER.md#messages-across-nodes). Broadcasts and failed logins
// are also logged, in the same transaction (event_log.hpp).
#include <string>
#include <string_view>
#include <vector>

#include "store/postgres/pg_connection.hpp"

namespace edgehub::hub {

inline constexpr const char* kClusterChannel = "edgehub_cluster";

// Sends payloads and empties it. Never throws: a failure (nothing is sent
// then) is logged as "could not <what> (N event(s))", and not retried.
void notify_cluster(store::PgConnection& db, std::vector<std::string>& payloads, std::string_view what) noexcept;

}  // namespace edgehub::hub
