#pragma once
// One process at a time per directory: an exclusive flock(2) on a lock file
// that holds the owner's pid (README.md#the-data-directory). The kernel
// drops the lock when the process exits, however it exits, so a crash never
// leaves a stale lock; the file itself stays and is reused.
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>

namespace edgehub {

// Another process holds the lock.
class LockBusy : public std::runtime_error {
 public:
  LockBusy(const std::string& what, std::optional<long> holder) : std::runtime_error(what), holder_pid(holder) {}
  // The pid in the file; empty if the holder has not written it yet.
  std::optional<long> holder_pid;
};

class LockFile {
 public:
  // Takes the lock without waiting and writes this process's pid into the
  // file. Throws LockBusy if another process (or another LockFile in this
  // one) holds it, std::system_error if the file cannot be opened.
  explicit LockFile(const std::filesystem::path& path);
  ~LockFile();
  LockFile(const LockFile&) = delete;
  LockFile& operator=(const LockFile&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace edgehub
