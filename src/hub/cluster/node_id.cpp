#include "hub/cluster/node_id.hpp"

#include <unistd.h>

#include <algorithm>
#include <cctype>
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

std::optional<std::string> node_id_problem(std::string_view id) {
  constexpr std::size_t kLongest = 63;
  if (id.empty()) return "a node id may not be empty";
  if (id.size() > kLongest) return "a node id is at most 63 characters";
  const bool plain = std::all_of(
      id.begin(), id.end(), [](unsigned char c) { return std::isalnum(c) != 0 || c == '.' || c == '_' || c == '-'; });
  if (!plain) return "a node id holds only letters, digits, '.', '_' and '-'";
  return std::nullopt;
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
