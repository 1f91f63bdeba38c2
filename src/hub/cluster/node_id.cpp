#include "hub/cluster/node_id.hpp"

#include <unistd.h>

#include <fstream>
#include <random>

#include <fmt/format.h>

#include "common/atomic_file.hpp"

namespace edgehub::hub {
namespace {

constexpr const char* kFileName = "cluster-node-id";

}  // namespace

std::string new_node_id() {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  std::random_device random;
  return fmt::format("{}-{:08x}{:08x}", host[0] ? host : "node", random(), random());
}

std::string node_id_of(const std::filesystem::path& data_dir) {
  const auto path = data_dir / kFileName;
  std::string id;
  if (std::ifstream in(path); in) std::getline(in, id);
  if (!id.empty() && id.size() <= 255) return id;
  id = new_node_id();
  write_file_atomically(path, id + "\n");
  return id;
}

}  // namespace edgehub::hub
