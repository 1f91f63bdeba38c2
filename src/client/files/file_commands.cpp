#include "client/files/file_commands.hpp"

#include <fmt/format.h>

#include "client/core/client_app.hpp"
#include "client/files/file_transfer_download.hpp"
#include "client/files/file_transfer_upload.hpp"
#include "common/strings.hpp"

namespace edgehub::client {
namespace {

void get(ClientApp& app, std::string_view args) {
  const auto words = split_words(args, 2);
  if (words.size() != 1) return app.out().error("Usage: get NAME (names have no spaces; see 'list')");
  download_file(app, std::string(words[0]));
}

// put PATH [-f | --replace]; PATH may contain spaces.
void put(ClientApp& app, std::string_view args) {
  bool replace = false;
  std::string path;
  for (const auto word : split_words(args, SIZE_MAX)) {
    if (word == "-f" || word == "--replace") replace = true;
    else path += (path.empty() ? "" : " ") + std::string(word);
  }
  if (path.empty()) return app.out().error("Usage: put PATH [-f]  (-f or --replace: replace a file of the same name)");
  upload_file(app, path, replace);
}

}  // namespace

void register_file_commands(ClientCommandTable& table) {
  table.add({"get", {}, "get NAME", get});
  table.add({"put", {}, "put PATH [-f]", put});
}

}  // namespace edgehub::client
