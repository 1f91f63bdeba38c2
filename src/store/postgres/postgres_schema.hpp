#pragma once
// PostgreSQL's schema as versioned migrations: step i (0-based) moves the
// database from version i to i + 1, recorded in the table schema_version.
#include <string_view>
#include <vector>

namespace edgehub::store {

const std::vector<std::string_view>& postgres_migrations();

}  // namespace edgehub::store
