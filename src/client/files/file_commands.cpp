#include "client/core/command_registry.hpp"

#include <fmt/format.h>

#include "client/core/client_app.hpp"
#include "client/files/background_downloads.hpp"
#include "client/files/file_transfer_download.hpp"
#include "client/files/file_transfer_upload.hpp"
#include "client/shell/shell_words.hpp"
#include "common/strings.hpp"

namespace edgehub::client {
namespace {

// The words other than -f/--replace, joined by spaces; and whether the flag was there.
std::pair<std::string, bool> name_and_flag(const ClientArgs& args) {
  bool replace = false;
  std::string name;
  for (const auto word : args) {
    if (is_replace_flag(word))
      replace = true;
    else
      name += (name.empty() ? "" : " ") + std::string(word);
  }
  return {name, replace};
}

// get NAME [-f | --replace]; a repository name has no spaces. In the
// background in the interactive shell; in batch mode it ends before the
// next line is read.
void get(ClientApp& app, const ClientArgs& args) {
  const auto [name, replace] = name_and_flag(args);
  if (name.empty() || name.find(' ') != std::string::npos)
    return app.out().error("Usage: get NAME [-f]  (-f or --replace: replace a local file of the same name)");
  if (!app.interactive()) return download_file(app, name, replace);
  if (const auto refusal = refuse_existing_file(name, replace)) return app.out().error(*refusal);  // said at once
  app.downloads().start(name, replace);
}

// put PATH [-f | --replace]; PATH may contain spaces, and -f may come first.
void put(ClientApp& app, const ClientArgs& args) {
  const auto [path, replace] = name_and_flag(args);
  if (path.empty()) return app.out().error("Usage: put PATH [-f]  (-f or --replace: replace a file of the same name)");
  upload_file(app, path, replace);
}

}  // namespace

void register_file_commands(ClientCommandTable& table) {
  // A repository name has no spaces: "get a b" is a usage error.
  table.add({.name = "get", .min_args = 1, .max_args = 2, .usage = "get NAME [-f]", .run = get});
  table.add({.name = "put", .min_args = 1, .max_args = kAnyArgCount, .usage = "put PATH [-f]", .run = put});
}

}  // namespace edgehub::client
