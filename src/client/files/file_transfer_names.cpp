#include "client/files/file_transfer_names.hpp"

#include "common/sha256.hpp"

namespace edgehub::client {
namespace {

constexpr std::size_t kNameMax = 255;
// ".NAME.sha256" must fit in kNameMax too.
constexpr std::size_t kLongestPrefixable = kNameMax - 8;

}  // namespace

std::optional<std::string> local_name_problem(std::string_view name) {
  if (name.empty()) return "empty file name";
  if (name.size() > kNameMax) return "file name longer than 255 bytes";
  if (name.front() == '.') return "file names starting with '.' are not allowed";
  for (const char ch : name) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '/' || c == '\\') return "a file name cannot contain '/' or '\\'";
    if (c < 0x20 || c == 0x7f) return "a file name cannot contain control characters or NUL";
  }
  return std::nullopt;
}

PartialPaths partial_paths(std::string_view name) {
  const std::string base = name.size() <= kLongestPrefixable ? std::string(name) : "edgehub-" + sha256_hex(name).substr(0, 32);
  return {"." + base + ".part", "." + base + ".sha256"};
}

}  // namespace edgehub::client
