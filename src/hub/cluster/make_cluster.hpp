#pragma once
// The cluster implementation a database calls for
// (docs/CLUSTER.md#the-node-registry-and-its-lease): SingleNode for SQLite
// (an empty URL), PostgresCluster for a postgresql:// URL.
#include <memory>
#include <string>

#include "hub/cluster/cluster.hpp"

namespace edgehub::hub {

std::unique_ptr<Cluster> make_cluster(const std::string& database_url, const ClusterConfig& config);

}  // namespace edgehub::hub
