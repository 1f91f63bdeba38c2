#pragma once
// Validation and statistics of a file already on disk, through the same
// streaming validator as an upload (the file is mapped, not copied). For
// recomputing a lost or damaged stats record, e.g. after a crash between
// storing an upload and recording its statistics.
#include <filesystem>

#include "data/outcome.hpp"
#include "data/stats.hpp"

namespace edgehub::data {

// Errors: the file cannot be read, or "line 3: empty line".
Outcome<Stats> stats_of_file(const std::filesystem::path& path);

}  // namespace edgehub::data
