#pragma once
// The files of a data directory, copied for `edgehubd backup` and put back by
// `edgehubd restore` (docs/OPERATIONS.md#backup-and-restore) while the server
// may be writing them.
//
// Edge data (uploads/), which the server never changes in place (an upload
// or a replacement is a new inode renamed into place, a deletion an
// unlink), is hard-linked when source and target share a filesystem.
// Everything else is copied: the file repository (it serves only files
// with one link, docs/FILES.md, so a link would stop the live server from
// serving them; its hash sidecars .meta/ are left out: they name the
// original's inode and are made again at the first download), the logs the
// server appends to, the CA and TLS keys (modes kept), and the database
// file when restoring. Upload temporaries are left out.
//
// An edge-data file and its statistics record (.NAME-ID.stats.INODE, named
// by the data file's inode: hub/edge_data/edge_data_store.hpp) are taken as
// a pair: the record of the very inode that was linked or copied, renamed to
// the copy's inode, taken again if the server replaced the file meanwhile.
#include <cstdint>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

namespace edgehub::app {

struct TreeCopyOptions {
  std::set<std::string> left_out;  // names at the top level not copied (the lock file, the database...)
  bool allow_links = true;         // false: --copy, every file copied
};

struct TreeCopyReport {
  std::uint64_t linked = 0;
  std::uint64_t copied = 0;
  std::uint64_t copied_bytes = 0;
  std::uint64_t linked_bytes = 0;
  std::vector<std::string> warnings;  // entries not copied, said to the operator
};

// Copies from's tree into the existing, empty directory to. Throws
// std::system_error (with the path) when a file cannot be read or written.
TreeCopyReport copy_data_tree(const std::filesystem::path& from, const std::filesystem::path& to,
                              const TreeCopyOptions& options);

}  // namespace edgehub::app
