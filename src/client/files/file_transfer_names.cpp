#include "client/files/file_transfer_names.hpp"

#include "common/file_names.hpp"
#include "common/sha256.hpp"

namespace edgehub::client {
namespace {

// ".NAME.sha256" must fit in kMaxFileNameBytes too.
constexpr std::size_t kLongestPrefixable = kMaxFileNameBytes - 8;

}  // namespace

PartialPaths partial_paths(std::string_view name) {
  const std::string base =
      name.size() <= kLongestPrefixable ? std::string(name) : "edgehub-" + sha256_hex(name).substr(0, 32);
  return {"." + base + ".part", "." + base + ".sha256"};
}

}  // namespace edgehub::client
