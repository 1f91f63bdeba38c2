#include "app/backup/backup_manifest.hpp"

#include <fstream>
#include <string_view>

#include <fmt/format.h>

#include "app/admin/admin_cli.hpp"
#include "common/atomic_file.hpp"

namespace edgehub::app {

namespace fs = std::filesystem;

std::optional<std::string> Manifest::get(const std::string& key) const {
  for (const auto& [k, v] : fields)
    if (k == key) return v;
  return std::nullopt;
}

void write_manifest(const fs::path& dir, const Manifest& manifest) {
  std::string text = fmt::format("edgehub-backup {}\n", kManifestVersion);
  for (const auto& [key, value] : manifest.fields) text += fmt::format("{}: {}\n", key, value);
  write_file_atomically(dir / kManifestName, text);
}

Manifest read_manifest(const fs::path& dir) {
  std::ifstream in(dir / kManifestName);
  std::string line;
  if (!in || !std::getline(in, line) || !line.starts_with("edgehub-backup "))
    throw AdminRefused{fmt::format("{} is not an edgehubd backup (no {} in it)", dir.string(), kManifestName)};
  if (line != fmt::format("edgehub-backup {}", kManifestVersion))
    throw AdminRefused{fmt::format("{}: '{}' is a backup format this edgehubd does not know (it reads version {})",
                                   (dir / kManifestName).string(), line, kManifestVersion)};
  Manifest manifest;
  while (std::getline(in, line)) {
    const auto colon = line.find(": ");
    if (colon != std::string::npos) manifest.add(line.substr(0, colon), line.substr(colon + 2));
  }
  return manifest;
}

}  // namespace edgehub::app
