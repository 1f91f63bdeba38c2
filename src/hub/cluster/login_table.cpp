#include "hub/cluster/login_table.hpp"

#include "hub/cluster/node_registry.hpp"

namespace edgehub::hub {
namespace {

using store::PgStatement;

constexpr PgStatement kClaim{"cluster_claim",
                             "INSERT INTO cluster_sessions (account, node_id, ip, udp_port, login_at, udp_key) "
                             "VALUES ($1, $2, $3, $4::integer, now(), $5) ON CONFLICT (account) DO NOTHING"};
// The holder is dead if its lease ran out, or if its liveness lock is free
// (its database session is gone: node_registry.hpp). The probe is a
// transaction-level lock, released as this statement ends; a holder whose
// id hashes like this node's own ($2) is never probed, since this session
// holds that lock itself.
constexpr PgStatement kReapHolder{
    "cluster_reap_holder",
    "DELETE FROM cluster_nodes WHERE node_id = (SELECT node_id FROM cluster_sessions WHERE account = $1) "
    "AND (lease_until < now() OR (hashtext(node_id) <> hashtext($2) "
    "AND pg_try_advisory_xact_lock(" EDGEHUB_LIVENESS_LOCK_SPACE ", hashtext(node_id))))"};
constexpr PgStatement kRelease{"cluster_release", "DELETE FROM cluster_sessions WHERE account = $1 AND node_id = $2"};
constexpr PgStatement kReleaseAll{"cluster_release_all", "DELETE FROM cluster_sessions WHERE node_id = $1"};

constexpr PgStatement kSetKey{"cluster_set_udp_key",
                              "UPDATE cluster_sessions SET udp_key = $3 WHERE account = $1 AND node_id = $2"};

constexpr PgStatement kHeld{"cluster_held", "SELECT account FROM cluster_sessions WHERE node_id = $1"};

}  // namespace

LoginTable::Claim LoginTable::claim(const DeviceClaim& device) {
  if (insert(device)) return {.won = true};
  if (db_.run(kReapHolder, {device.account, node_id_}).affected() == 0) return {};  // held by a live node
  return {.won = insert(device), .reaped = true};
}

bool LoginTable::insert(const DeviceClaim& device) {
  return db_.run(kClaim, {device.account, node_id_, device.ip, std::to_string(device.udp_port), device.udp_key})
             .affected() == 1;
}

void LoginTable::release(const std::string& account) { db_.run(kRelease, {account, node_id_}); }

void LoginTable::release_all() { db_.run(kReleaseAll, {node_id_}); }

void LoginTable::set_udp_key(const std::string& account, const std::string& key) {
  db_.run(kSetKey, {account, node_id_, key});
}

std::vector<std::string> LoginTable::held() { return db_.run(kHeld, {node_id_}).column_texts(0); }

}  // namespace edgehub::hub
