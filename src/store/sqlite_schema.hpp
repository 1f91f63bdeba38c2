#pragma once
// Schema migrations, applied in order; PRAGMA user_version records how many
// have run. Append new steps; never edit an old one.
#include <string_view>
#include <vector>

namespace edgehub::store {

const std::vector<std::string_view>& sqlite_migrations();

}  // namespace edgehub::store
