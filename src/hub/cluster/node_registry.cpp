#include "hub/cluster/node_registry.hpp"

#include <string>

namespace edgehub::hub {
namespace {

using store::PgStatement;

// Times as text in UTC (the connection's time zone), to the millisecond.
#define EDGEHUB_NODE_COLUMNS                                                                               \
  "node_id, addresses, to_char(started_at, 'YYYY-MM-DD HH24:MI:SS.MS'), to_char(lease_until, 'YYYY-MM-DD " \
  "HH24:MI:SS.MS')"

constexpr PgStatement kEnter{"cluster_enter",
                             "INSERT INTO cluster_nodes (node_id, addresses, started_at, lease_until) "
                             "VALUES ($1, $2, now(), now() + make_interval(secs => $3::float8))"};
constexpr PgStatement kRenew{"cluster_renew",
                             "UPDATE cluster_nodes SET lease_until = now() + make_interval(secs => $2::float8) "
                             "WHERE node_id = $1"};
constexpr PgStatement kReap{"cluster_reap",
                            "DELETE FROM cluster_nodes WHERE lease_until < now() RETURNING " EDGEHUB_NODE_COLUMNS};
constexpr PgStatement kLive{
    "cluster_live", "SELECT " EDGEHUB_NODE_COLUMNS " FROM cluster_nodes WHERE lease_until >= now() ORDER BY node_id"};
constexpr PgStatement kHoldLiveness{"cluster_hold_liveness",
                                    "SELECT pg_try_advisory_lock(" EDGEHUB_LIVENESS_LOCK_SPACE ", hashtext($1))"};
constexpr PgStatement kLeave{"cluster_leave", "DELETE FROM cluster_nodes WHERE node_id = $1"};

std::vector<NodeInfo> nodes_of(const store::PgResult& rows) {
  std::vector<NodeInfo> out;
  for (int r = 0; r < rows.rows(); ++r)
    out.push_back({rows.text(r, 0), rows.text(r, 1), rows.text(r, 2), rows.text(r, 3)});
  return out;
}

std::string seconds_of(std::chrono::seconds lease) { return std::to_string(lease.count()); }

}  // namespace

bool NodeRegistry::hold_liveness_lock(const std::string& id) { return db_.run(kHoldLiveness, {id}).text(0, 0) == "t"; }

void NodeRegistry::enter(const NodeInfo& self, std::chrono::seconds lease) {
  db_.run(kEnter, {self.id, self.addresses, seconds_of(lease)});
}

bool NodeRegistry::renew(const std::string& id, std::chrono::seconds lease) {
  return db_.run(kRenew, {id, seconds_of(lease)}).affected() == 1;
}

std::vector<NodeInfo> NodeRegistry::reap_expired() { return nodes_of(db_.run(kReap)); }

std::vector<NodeInfo> NodeRegistry::live_nodes() { return nodes_of(db_.run(kLive)); }

bool NodeRegistry::leave(const std::string& id) { return db_.run(kLeave, {id}).affected() > 0; }

}  // namespace edgehub::hub
