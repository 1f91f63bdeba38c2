#pragma once
// This node's id in the cluster tables (docs/CLUSTER.md#the-node-registry-and-its-lease):
// HOST-RANDOM, made once and kept in DATA_DIR/cluster-node-id, so that a
// node restarted on the same data directory (after kill -9, say) is known
// as the same node and takes its previous run's row and logins back at
// once, instead of refusing its own devices until that run's lease ends.
// The data directory's lock file guarantees that the previous run is gone.
#include <filesystem>
#include <string>

namespace edgehub::hub {

std::string node_id_of(const std::filesystem::path& data_dir);
// A fresh HOST-RANDOM id (what node_id_of keeps); readable in the tables and
// the logs: which host.
std::string new_node_id();

}  // namespace edgehub::hub
