#pragma once
// The table cluster_sessions (migration 2, store/postgres/postgres_schema.cpp;
// docs/CLUSTER.md#logins-across-nodes): one row per logged-in account,
// with the node that holds it. The primary key decides a duplicate login
// between nodes; the rows go with their node's row (ON DELETE CASCADE), so
// reaping a dead node frees its accounts. Written at login and logout
// only, never per heartbeat.
#include <string>
#include <vector>

#include "hub/cluster/cluster.hpp"
#include "store/postgres/pg_connection.hpp"

namespace edgehub::hub {

class LoginTable {
 public:
  LoginTable(store::PgConnection& db, std::string node_id) : db_(db), node_id_(std::move(node_id)) {}

  // True if this node now holds the account. A holder whose lease has run
  // out but that nobody reaped yet is reaped here, so the account is free
  // as soon as the lease is over.
  // The holder counts as dead once its liveness lock is free too
  // (node_registry.hpp): a killed node's accounts are free at once.
  struct Claim {
    bool won = false;
    bool reaped = false;  // the holder's node was dead: its row and logins are gone
  };
  Claim claim(const DeviceClaim& device);
  void release(const std::string& account);
  void release_all();  // every login of this node
  // The account's new udpkey, on this node's row of it.
  void set_udp_key(const std::string& account, const std::string& key);
  // The accounts this node holds (at start-up: its previous run's).
  std::vector<std::string> held();

 private:
  bool insert(const DeviceClaim& device);

  store::PgConnection& db_;
  const std::string node_id_;
};

}  // namespace edgehub::hub
