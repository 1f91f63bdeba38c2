#pragma once
// SHA-256 of the repository's files, so that a download can announce the
// hash without reading a large file first. A hash is remembered for one
// version of a file (FileStamp: a new upload is a new inode; an edit in
// place changes the size or the modification time) in memory and in a
// hidden sidecar .meta/NAME that survives restarts. Files placed in the
// directory by hand are hashed once, on their first download.
// Thread-safe; hash_of may read a whole file: call it on a worker thread.
#include <sys/stat.h>

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "hub/files/repository_fd.hpp"

namespace edgehub::hub {

struct FileStamp {
  std::uint64_t dev = 0;
  std::uint64_t ino = 0;
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;
  bool operator==(const FileStamp&) const = default;
};

FileStamp stamp_of(const struct stat& st);

class HashCache {
 public:
  static constexpr const char* kMetaDir = ".meta";

  // repo_dir must outlive the cache. Without a usable .meta directory the
  // cache still works, in memory only.
  explicit HashCache(int repo_dir);

  // The hex SHA-256 of fd, an open regular file called name whose fstat
  // gave stamp; reads the file only if neither memory nor sidecar knows it.
  std::string hash_of(const std::string& name, int fd, const FileStamp& stamp);
  // Records a hash computed elsewhere (an upload hashes what it writes).
  void remember(const std::string& name, const FileStamp& stamp, const std::string& sha256_hex);
  // Forgets sidecars of files that no longer exist (start-up tidy).
  void prune_sidecars();

 private:
  struct Entry {
    FileStamp stamp;
    std::string sha256;
  };
  std::optional<std::string> known(const std::string& name, const FileStamp& stamp);
  std::optional<std::string> read_sidecar(const std::string& name, const FileStamp& stamp) const;
  void write_sidecar(const std::string& name, const FileStamp& stamp, const std::string& sha256_hex) const;

  const int repo_dir_;
  UniqueFd meta_dir_;
  std::mutex mutex_;
  std::unordered_map<std::string, Entry> memory_;
  std::mutex hashing_;  // one whole-file hash at a time: two downloads of a new file hash it once
};

// Reads fd from offset 0 to size with pread and returns its hex SHA-256.
std::string hash_open_file(int fd, std::uint64_t size);

}  // namespace edgehub::hub
