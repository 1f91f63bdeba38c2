#pragma once
// The shared file repository (docs/FILES.md#how-the-server-does-it): one flat
// directory of regular files. Every name is checked (kRepositoryName in
// common/file_names.hpp) and then opened relative to the directory's descriptor
// with O_NOFOLLOW, so no name, link or race can reach a file outside it.
//
// Layout of the directory:
//   NAME                      a stored file, visible to list/get
//   .upload-RANDOM.part       an upload in progress (hidden; removed when
//                             the upload fails, and at start-up after a crash)
//   .meta/NAME                SHA-256 sidecar of NAME (repository_hash_cache.hpp)
//
// Thread-safe. Every method may touch the disk: call them through
// run_blocking on the worker pool, never on a network thread.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "hub/files/repository_fd.hpp"
#include "hub/files/repository_hash_cache.hpp"
#include "hub/files/upload_budget.hpp"

namespace edgehub::hub {

struct RepositoryLimits {
  std::uint64_t max_file_size = 0;   // bytes of one file
  std::uint64_t max_total_size = 0;  // bytes of all files, uploads in progress included
  UploadBudgetLimits uploads;        // what uploads in progress may hold of the disk
};

struct RepoEntry {
  std::string name;
  std::uint64_t size = 0;
};

// An open file ready to stream. The descriptor stays valid (and the content
// the same, since an upload replaces a name by a new inode) for as long as
// fd is held, even if the name is replaced meanwhile.
struct DownloadFile {
  std::shared_ptr<UniqueFd> fd;
  std::uint64_t size = 0;
  std::string sha256;
};

struct UploadRequest {
  std::string name;
  std::uint64_t size = 0;
  std::string sha256;  // lower-case hex, checked by the caller; empty: none declared (HTTP), none checked
  bool replace = false;
  std::string owner;  // the user uploading: the per-user budget
};

class Upload;

class Repository : public std::enable_shared_from_this<Repository> {
 public:
  static constexpr std::string_view kUploadPrefix = ".upload-";
  static constexpr std::string_view kUploadSuffix = ".part";

  // Creates dir if needed, removes uploads left by a crash. Throws
  // std::system_error if the directory cannot be opened.
  Repository(const std::filesystem::path& dir, RepositoryLimits limits);

  const std::filesystem::path& dir() const { return path_; }
  RepositoryLimits limits() const;  // the limits in force
  // New limits (SIGHUP), from the next upload on: uploads in progress keep
  // their reservation even past a lowered limit.
  void reconfigure(const RepositoryLimits& limits);

  // Servable files, sorted by name (hidden and non-regular entries left out).
  std::vector<RepoEntry> list() const;
  // Throws FileRefusal: bad name, unknown, link, not a regular file.
  DownloadFile open_for_download(std::string_view name);
  // Checks name, limits and an existing file, reserves the space and
  // creates the hidden temporary. Throws FileRefusal.
  std::unique_ptr<Upload> begin_upload(UploadRequest request);

  // For Upload.
  int dir_fd() const { return dir_.get(); }
  HashCache& hashes() { return hashes_; }
  void release(const std::string& owner, std::uint64_t reserved_bytes);
  const UploadBudget& budget() const { return budget_; }

  // Removes the temporaries of uploads a crash cut off. Run by the
  // constructor, and by edgehubd before it opens the database, since their
  // preallocated space may be what the database needs (docs/FILES.md#limits).
  static Removed remove_stale_uploads(int dir_fd);

 private:
  std::uint64_t stored_bytes() const;
  void reserve(const UploadRequest& request, std::uint64_t replaced_bytes);
  void claim_disk(int temp_fd, const UploadRequest& request);

  std::filesystem::path path_;
  RepositoryLimits limits_;  // under reserve_mutex_
  UniqueFd dir_;
  HashCache hashes_;
  mutable std::mutex reserve_mutex_;
  std::uint64_t reserved_ = 0;  // bytes promised to uploads in progress
  UploadBudget budget_;
  std::mutex disk_mutex_;  // free-space check and preallocation as one step
};

// Throws FileRefusal (StatusCode::BadRequest, suspicious) if name is not an acceptable name.
void check_file_name(std::string_view name);

}  // namespace edgehub::hub
