#pragma once
// DEST/edgehub-backup.txt: what makes a directory an edgehubd backup, and
// what it holds (docs/OPERATIONS.md#backup-and-restore). Text, one
// "key: value" a line after the first line "edgehub-backup 1", so that
// an operator can read it.
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace edgehub::app {

inline constexpr const char* kManifestName = "edgehub-backup.txt";
inline constexpr int kManifestVersion = 1;

struct Manifest {
  std::vector<std::pair<std::string, std::string>> fields;  // in order

  void add(std::string key, std::string value) { fields.emplace_back(std::move(key), std::move(value)); }
  std::optional<std::string> get(const std::string& key) const;
};

void write_manifest(const std::filesystem::path& dir, const Manifest& manifest);

// Refuses (AdminRefused) a directory without a manifest or with another
// format version: not a backup this edgehubd can restore.
Manifest read_manifest(const std::filesystem::path& dir);

}  // namespace edgehub::app
