#pragma once
// Where uploaded edge data lives: DATA_DIR/uploads/NAME/NAME-FILEID.txt,
// one directory per device, so one device can never name another's file
// (FILEIDs are digits only). Beside each data file, a statistics record
// whose name carries the data file's inode number:
//   .NAME-FILEID.stats.<inode>
// It is written (durably) BEFORE the data file is renamed into place, so
// after a crash at any point the data file under its final name always has
// its matching record: the old pair or the new pair, never a mix.
// One instance, owned by the Hub (Hub::edge_data()). Thread-safe: it holds
// only its root. All methods block on disk: call them through run_blocking
// on the worker pool, never on a network thread.
#include <filesystem>
#include <optional>
#include <string>

#include "data/file_id.hpp"
#include "data/stats.hpp"

namespace edgehub::hub {

class EdgeDataStore {
 public:
  explicit EdgeDataStore(std::filesystem::path root) : root_(std::move(root)) {}

  std::filesystem::path device_dir(const std::string& device) const { return root_ / device; }
  std::filesystem::path data_path(const std::string& device, data::FileId id) const;
  // A fresh temporary in the device's directory (created with the directory).
  std::filesystem::path temp_path(const std::string& device) const;

  // Makes `temp` the device's file `id` with statistics `stats`: fsync,
  // record, rename, fsync directory; then removes stale records.
  void install(const std::string& device, data::FileId id, const std::filesystem::path& temp,
               const data::Stats& stats) const;
  // The statistics of the stored file, nullopt if there is no such file.
  std::optional<data::Stats> stats(const std::string& device, data::FileId id) const;
  // Deletes file and record; returns the statistics it had, nullopt if absent.
  std::optional<data::Stats> remove(const std::string& device, data::FileId id) const;
  // Removes temporaries left by uploads that a crash interrupted.
  void remove_leftovers() const;

 private:
  std::filesystem::path record_path(const std::string& device, data::FileId id, std::uint64_t inode) const;
  void remove_records(const std::string& device, data::FileId id, std::optional<std::uint64_t> keep) const;

  std::filesystem::path root_;
};

}  // namespace edgehub::hub
