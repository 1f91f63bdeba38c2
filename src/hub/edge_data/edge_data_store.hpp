#pragma once
// Where uploaded edge data lives: DATA_DIR/uploads/NAME/NAME-FILEID.txt,
// one directory per device, so one device can never name another's file
// (FILEIDs are digits only). Beside each data file, a statistics record
// whose name carries the data file's inode number:
//   .NAME-FILEID.stats.<inode>
// It is written (durably) BEFORE the data file is renamed into place, so
// after a crash at any point the data file under its final name always has
// its matching record: the old pair or the new pair, never a mix.
// The device's directory is opened relative to uploads/ with O_NOFOLLOW and
// every name in it relative to that descriptor (openat, renameat, unlinkat),
// as the file repository does: a symbolic link put in place of uploads/NAME
// or of a file in it is refused, never followed
// (docs/EDGE_DATA.md#storage-and-crash-consistency).
// One instance, owned by the Hub (Hub::edge_data()). Thread-safe: it holds
// only its root. All methods block on disk: call them through run_blocking
// on the worker pool, never on a network thread.
#include <filesystem>
#include <optional>
#include <string>

#include "data/file_id.hpp"
#include "data/stats.hpp"
#include "hub/files/repository_fd.hpp"

namespace edgehub::hub {

class EdgeDataStore {
 public:
  explicit EdgeDataStore(std::filesystem::path root) : root_(std::move(root)) {}

  // The device's directory, created if `create`; an invalid descriptor when
  // it does not exist and !create. Throws std::runtime_error ("uploads/NAME
  // is not a plain directory (a symbolic link?)") for a link or a non-directory.
  UniqueFd open_device_dir(const std::string& device, bool create) const;
  // A fresh name for an upload's temporary (".upload-PID-N").
  static std::string temp_name();

  // Makes the temporary `temp` (open as temp_fd) in the device's directory
  // `dir` the device's file `id` with statistics `stats`: fsync, record,
  // rename, fsync directory; then removes stale records.
  void install(int dir, const std::string& device, data::FileId id, const std::string& temp, int temp_fd,
               const data::Stats& stats) const;
  // The statistics of the stored file, nullopt if there is no such file.
  std::optional<data::Stats> stats(const std::string& device, data::FileId id) const;
  // The stored file opened for reading, invalid if there is no such file.
  UniqueFd open_data(const std::string& device, data::FileId id) const;
  // Deletes file and record; returns the statistics it had, nullopt if absent.
  std::optional<data::Stats> remove(const std::string& device, data::FileId id) const;
  // Removes temporaries left by uploads that a crash interrupted.
  Removed remove_leftovers() const;

 private:
  std::optional<data::Stats> stats_in(int dir, const std::string& device, data::FileId id) const;
  void remove_records(int dir, const std::string& device, data::FileId id, std::optional<std::uint64_t> keep) const;

  std::filesystem::path root_;
};

}  // namespace edgehub::hub
