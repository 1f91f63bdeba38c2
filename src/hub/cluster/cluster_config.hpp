#pragma once
// --cluster-lease and what follows from it
// (docs/CLUSTER.md#the-node-registry-and-its-lease). Apart from cluster.hpp
// so that HubConfig does not pull in the interface.
#include <chrono>
#include <string>

namespace edgehub::hub {

struct ClusterConfig {
  // How long a node's row stays valid after its last renewal. A node renews
  // every lease/3, so two renewals may fail before the others consider it
  // dead.
  std::chrono::seconds lease{10};
  // This node's id (node_id.hpp); empty: a new one for this run only.
  std::string node_id{};
  // --cluster-node-id: the operator chose the id, so another running node
  // may have been given the same one by mistake. Such a node refuses to
  // start while the id's liveness lock is held, rather than take that
  // node's row and logins (docs/CLUSTER.md#choosing-node-ids).
  bool node_id_chosen = false;
  // How long a resume token stays valid (--token-lifetime, HubConfig's):
  // the shared table's expiry (docs/CLUSTER.md#resume-tokens-across-nodes).
  std::chrono::seconds token_lifetime{std::chrono::hours(24)};

  std::chrono::milliseconds renew_every() const { return std::chrono::milliseconds(lease) / 3; }
  // The longest a killed node is still shown as alive to the others: its
  // lease, then at most one renewal period until the next node looks.
  std::chrono::milliseconds death_bound() const { return std::chrono::milliseconds(lease) + renew_every(); }
};

}  // namespace edgehub::hub
