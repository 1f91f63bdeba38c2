#pragma once
// This node's id in the cluster tables (docs/CLUSTER.md#the-node-registry-and-its-lease):
// HOST-RANDOM, made once and kept in DATA_DIR/cluster-node-id, so that a
// node restarted on the same data directory (after kill -9, say) is known
// as the same node and takes its previous run's row and logins back at
// once, instead of refusing its own devices until that run's lease ends.
// The data directory's lock file guarantees that the previous run is gone.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace edgehub::hub {

std::string node_id_of(const std::filesystem::path& data_dir);
// A fresh HOST-RANDOM id (what node_id_of keeps); readable in the tables and
// the logs: which host.
std::string new_node_id();
// Why id cannot be a --cluster-node-id, or nullopt: 1 to 63 letters,
// digits, '.', '_' and '-' (it is shown in logs and `psql` output, and
// names a PostgreSQL session: "edgehub events ID").
std::optional<std::string> node_id_problem(std::string_view id);

}  // namespace edgehub::hub
