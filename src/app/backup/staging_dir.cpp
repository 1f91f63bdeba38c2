#include "app/backup/staging_dir.hpp"

#include <cstdio>
#include <cstdlib>
#include <string>
#include <system_error>

#include <fmt/format.h>

#include "app/admin/admin_cli.hpp"
#include "common/atomic_file.hpp"
#include "common/errno_error.hpp"

namespace edgehub::app {

namespace fs = std::filesystem;

void require_absent_or_empty(const fs::path& dir, const char* what) {
  std::error_code ec;
  const auto status = fs::symlink_status(dir, ec);
  if (!fs::exists(status)) return;
  if (!fs::is_directory(status))
    throw AdminRefused{fmt::format("{} {} exists and is not a directory", what, dir.string())};
  if (!fs::is_empty(dir, ec))
    throw AdminRefused{fmt::format("{} {} is not empty: give a new or empty directory (nothing is ever overwritten)",
                                   what, dir.string())};
}

StagingDir::StagingDir(fs::path final_dir) : final_(fs::absolute(final_dir).lexically_normal()) {
  if (final_.filename().empty()) final_ = final_.parent_path();  // "dir/" names dir
  std::string pattern = final_.string() + ".partial-XXXXXX";
  if (!::mkdtemp(pattern.data())) throw_errno("create " + pattern);
  path_ = pattern;
}

StagingDir::~StagingDir() {
  if (published_) return;
  std::error_code ec;
  fs::remove_all(path_, ec);
}

void StagingDir::publish() {
  fsync_directory(path_);
  if (std::rename(path_.c_str(), final_.c_str()) != 0) {
    if (errno == ENOTEMPTY || errno == EEXIST)
      throw AdminRefused{fmt::format("{} was filled meanwhile; nothing was written there", final_.string())};
    throw_errno("rename " + path_.string() + " to " + final_.string());
  }
  published_ = true;
  fsync_directory(final_.parent_path());
}

}  // namespace edgehub::app
