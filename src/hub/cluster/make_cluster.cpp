#include "hub/cluster/make_cluster.hpp"

#include "hub/cluster/postgres_cluster.hpp"
#include "hub/cluster/single_node.hpp"

namespace edgehub::hub {

std::unique_ptr<Cluster> make_cluster(const std::string& database_url, const ClusterConfig& config) {
  if (database_url.empty()) return std::make_unique<SingleNode>();
  return std::make_unique<PostgresCluster>(database_url, config);
}

}  // namespace edgehub::hub
