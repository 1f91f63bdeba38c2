#include "client/core/command_registry.hpp"

#include <fmt/format.h>

#include "client/core/client_app.hpp"
#include "client/files/file_transfer_download.hpp"
#include "client/files/file_transfer_upload.hpp"
#include "common/strings.hpp"

namespace edgehub::client {
namespace {

void get(ClientApp& app, const ClientArgs& args) { download_file(app, std::string(args[0])); }

// put PATH [-f | --replace]; PATH may contain spaces, and -f may come first.
void put(ClientApp& app, const ClientArgs& args) {
  bool replace = false;
  std::string path;
  for (const auto word : args) {
    if (word == "-f" || word == "--replace")
      replace = true;
    else
      path += (path.empty() ? "" : " ") + std::string(word);
  }
  if (path.empty()) return app.out().error("Usage: put PATH [-f]  (-f or --replace: replace a file of the same name)");
  upload_file(app, path, replace);
}

}  // namespace

void register_file_commands(ClientCommandTable& table) {
  // A repository name has no spaces: "get a b" is a usage error.
  table.add({.name = "get", .min_args = 1, .max_args = 1, .usage = "get NAME", .run = get});
  table.add({.name = "put", .min_args = 1, .max_args = kAnyArgCount, .usage = "put PATH [-f]", .run = put});
}

}  // namespace edgehub::client
