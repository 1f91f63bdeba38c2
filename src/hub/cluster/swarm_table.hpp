#pragma once
// The tables cluster_swarm_manifests and cluster_swarm_shares (migration 5,
// store/postgres/postgres_schema.cpp; docs/CLUSTER.md#the-swarm-tracker-across-nodes):
// what each logged-in device of the cluster announced to the swarm
// tracker, so that a node that starts (or loses its events) later can read
// it (with a downloader's progress, migration 8), and each version's
// manifest, which is too large for a NOTIFY payload. Plain calls on the caller's connection; PostgresCluster writes
// on its CLUSTER thread, the EventListener reads on its own.
#include <memory>
#include <string>
#include <vector>

#include "hub/cluster/cluster.hpp"
#include "store/postgres/pg_connection.hpp"

namespace edgehub::hub {

class SwarmTable {
 public:
  explicit SwarmTable(store::PgConnection& db) : db_(db) {}

  // Stores the manifest (once per root) and the account's announcement of
  // share.file, replacing an older one; false if the account holds no login
  // on this cluster (then nothing is stored). One transaction.
  bool record(const SwarmShare& share);
  void erase(const std::string& account, const std::string& file);
  // A downloader's progress (SwarmShare::held_hex) in root, and where
  // account announces it as file ("" if nothing, or not as a downloader).
  void record_held(const std::string& account, const std::string& root_hex, const std::string& held_hex);
  std::string held(const std::string& account, const std::string& file, const std::string& root_hex);
  // The manifest of root (64 hex digits), or nullptr if none is stored or
  // the stored one is inconsistent.
  std::shared_ptr<const p2p::swarm::Manifest> manifest(const std::string& root_hex);
  // Every announcement of the devices logged in on other nodes than self.
  std::vector<SwarmShare> others(const std::string& self);
  // Deletes the manifests no announcement has named for a while.
  void reap_unused_manifests();

 private:
  store::PgConnection& db_;
};

}  // namespace edgehub::hub
