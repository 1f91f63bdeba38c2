#pragma once
// Local file names for repository transfers. A name the server sends or the
// user types becomes a path in the client's current directory only if it
// follows kLocalName (common/file_names.hpp); the server checks the stricter
// kRepositoryName, this is the client's own guard.
#include <filesystem>
#include <string_view>

namespace edgehub::client {

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
