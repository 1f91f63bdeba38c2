#pragma once
// Local file names for repository transfers. A name the server sends or the
// user types becomes a path in the client's current directory only if it is
// one plain file name (local_name_problem); the server checks the same and
// more (hub/repository_name.hpp), this is the client's own guard.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace edgehub::client {

// Why name must not become a local file name, or nullopt if it may.
std::optional<std::string> local_name_problem(std::string_view name);

// Hidden files of a download in progress, beside the final name:
//   .NAME.part    the bytes received so far
//   .NAME.sha256  "SIZE SHA256" of the file being fetched, to resume safely
// For names too long to prefix, a digest of the name stands in for it.
struct PartialPaths {
  std::filesystem::path part;
  std::filesystem::path info;
};
PartialPaths partial_paths(std::string_view name);

}  // namespace edgehub::client
