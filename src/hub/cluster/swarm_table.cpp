#include "hub/cluster/swarm_table.hpp"

#include <map>

#include "common/strings.hpp"

namespace edgehub::hub {
namespace {

using p2p::swarm::Manifest;
using store::PgStatement;

constexpr PgStatement kStoreManifest{"swarm_store_manifest",
                                     "INSERT INTO cluster_swarm_manifests (root, size, chunk_size, digests) "
                                     "VALUES (decode($1, 'hex'), $2::bigint, $3::integer, decode($4, 'hex')) "
                                     "ON CONFLICT (root) DO UPDATE SET stored_at = now()"};
// Only for an account logged in on the cluster: its announcements go with
// its login (ON DELETE CASCADE).
constexpr PgStatement kStoreShare{
    "swarm_store_share",
    "INSERT INTO cluster_swarm_shares (account, file, root, complete, held) "
    "SELECT $1, $2, decode($3, 'hex'), $4::boolean, decode($5, 'hex') WHERE EXISTS "
    "(SELECT 1 FROM cluster_sessions WHERE account = $1) "
    "ON CONFLICT (account, file) DO UPDATE SET root = excluded.root, complete = excluded.complete, "
    "held = excluded.held"};
// Every name the account downloads root under (one, as a rule).
constexpr PgStatement kStoreHeld{"swarm_store_held",
                                 "UPDATE cluster_swarm_shares SET held = decode($3, 'hex') "
                                 "WHERE account = $1 AND root = decode($2, 'hex') AND NOT complete"};
constexpr PgStatement kReadHeld{"swarm_held",
                                "SELECT encode(held, 'hex') FROM cluster_swarm_shares "
                                "WHERE account = $1 AND file = $2 AND root = decode($3, 'hex') AND NOT complete"};
constexpr PgStatement kEraseShare{"swarm_erase_share",
                                  "DELETE FROM cluster_swarm_shares WHERE account = $1 AND file = $2"};
constexpr PgStatement kManifest{
    "swarm_manifest",
    "SELECT size, chunk_size, encode(digests, 'hex') FROM cluster_swarm_manifests WHERE root = decode($1, 'hex')"};
constexpr PgStatement kOthers{
    "swarm_others",
    "SELECT s.account, c.node_id, s.file, encode(s.root, 'hex'), s.complete, encode(s.held, 'hex') "
    "FROM cluster_swarm_shares s "
    "JOIN cluster_sessions c ON c.account = s.account WHERE c.node_id <> $1 ORDER BY c.login_at, s.file"};
constexpr PgStatement kReapManifests{
    "swarm_reap_manifests",
    "DELETE FROM cluster_swarm_manifests m WHERE stored_at < now() - interval '1 minute' "
    "AND NOT EXISTS (SELECT 1 FROM cluster_swarm_shares s WHERE s.root = m.root)"};

std::string digests_hex(const Manifest& m) {
  return to_hex(reinterpret_cast<const unsigned char*>(m.chunks.data()), m.chunks.size() * sizeof(Sha256Digest));
}

}  // namespace

bool SwarmTable::record(const SwarmShare& share) {
  const Manifest& m = *share.manifest;
  const std::string root = m.root_hex();
  return db_.in_transaction([&] {
    db_.run(kStoreManifest, {root, std::to_string(m.size), std::to_string(m.chunk_size), digests_hex(m)});
    return db_.run(kStoreShare, {share.account, share.file, root, share.complete ? "true" : "false", share.held_hex})
               .affected() == 1;
  });
}

void SwarmTable::record_held(const std::string& account, const std::string& root_hex, const std::string& held_hex) {
  db_.run(kStoreHeld, {account, root_hex, held_hex});
}

std::string SwarmTable::held(const std::string& account, const std::string& file, const std::string& root_hex) {
  const auto rows = db_.run(kReadHeld, {account, file, root_hex});
  return rows.rows() == 1 ? rows.text(0, 0) : std::string();
}

void SwarmTable::erase(const std::string& account, const std::string& file) { db_.run(kEraseShare, {account, file}); }

std::shared_ptr<const Manifest> SwarmTable::manifest(const std::string& root_hex) {
  const auto rows = db_.run(kManifest, {root_hex});
  if (rows.rows() != 1) return nullptr;
  auto m = std::make_shared<Manifest>();
  m->size = static_cast<std::uint64_t>(rows.int64(0, 0));
  m->chunk_size = static_cast<std::uint32_t>(rows.int64(0, 1));
  const std::string hex = rows.text(0, 2);
  m->chunks.resize(hex.size() / 64);
  if (!from_hex(hex, reinterpret_cast<unsigned char*>(m->chunks.data()), m->chunks.size() * sizeof(Sha256Digest)) ||
      !from_hex(root_hex, m->root.data(), m->root.size()) || !p2p::swarm::manifest_problem(*m).empty())
    return nullptr;
  return m;
}

std::vector<SwarmShare> SwarmTable::others(const std::string& self) {
  const auto rows = db_.run(kOthers, {self});
  std::map<std::string, std::shared_ptr<const Manifest>> manifests;  // each read once
  std::vector<SwarmShare> out;
  for (int r = 0; r < rows.rows(); ++r) {
    const std::string root = rows.text(r, 3);
    auto& m = manifests[root];
    if (!m) m = manifest(root);
    if (!m) continue;  // not stored (or inconsistent): never announced to anyone
    out.push_back({rows.text(r, 1), rows.text(r, 0), rows.text(r, 2), rows.text(r, 4) == "t", m, rows.text(r, 5)});
  }
  return out;
}

void SwarmTable::reap_unused_manifests() { db_.run(kReapManifests); }

}  // namespace edgehub::hub
