#include "hub/cluster/login_table.hpp"

namespace edgehub::hub {
namespace {

using store::PgStatement;

constexpr PgStatement kClaim{"cluster_claim",
                             "INSERT INTO cluster_sessions (account, node_id, ip, udp_port, login_at, udp_key) "
                             "VALUES ($1, $2, $3, $4::integer, now(), $5) ON CONFLICT (account) DO NOTHING"};
constexpr PgStatement kReapHolder{"cluster_reap_holder",
                                  "DELETE FROM cluster_nodes WHERE lease_until < now() AND node_id = "
                                  "(SELECT node_id FROM cluster_sessions WHERE account = $1)"};
constexpr PgStatement kRelease{"cluster_release", "DELETE FROM cluster_sessions WHERE account = $1 AND node_id = $2"};

constexpr PgStatement kSetKey{"cluster_set_udp_key",
                              "UPDATE cluster_sessions SET udp_key = $3 WHERE account = $1 AND node_id = $2"};

constexpr PgStatement kHeld{"cluster_held", "SELECT account FROM cluster_sessions WHERE node_id = $1"};

}  // namespace

bool LoginTable::claim(const DeviceClaim& device) {
  if (insert(device)) return true;
  if (db_.run(kReapHolder, {device.account}).affected() == 0) return false;  // held by a live node
  return insert(device);
}

bool LoginTable::insert(const DeviceClaim& device) {
  return db_.run(kClaim, {device.account, node_id_, device.ip, std::to_string(device.udp_port), device.udp_key})
             .affected() == 1;
}

void LoginTable::release(const std::string& account) { db_.run(kRelease, {account, node_id_}); }

void LoginTable::set_udp_key(const std::string& account, const std::string& key) {
  db_.run(kSetKey, {account, node_id_, key});
}

std::vector<std::string> LoginTable::held() { return db_.run(kHeld, {node_id_}).column_texts(0); }

}  // namespace edgehub::hub
