#pragma once
// Where `edgehubd backup` and `edgehubd restore` write: a fresh sibling
// directory DEST.partial-XXXXXX, renamed to DEST only when everything is in
// it and on disk. A failure removes it; a crash leaves a name that says it
// is incomplete. Nothing that looks complete is ever half-written.
#include <filesystem>

namespace edgehub::app {

// Refuses (AdminRefused) unless dir does not exist or is an empty
// directory; what names the option or argument in the message.
void require_absent_or_empty(const std::filesystem::path& dir, const char* what);

class StagingDir {
 public:
  explicit StagingDir(std::filesystem::path final_dir);
  ~StagingDir();  // removes the directory unless published
  StagingDir(const StagingDir&) = delete;
  StagingDir& operator=(const StagingDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // Renames it to the final name (an empty directory there is replaced;
  // anything else refuses), durably.
  void publish();

 private:
  std::filesystem::path final_;
  std::filesystem::path path_;
  bool published_ = false;
};

}  // namespace edgehub::app
