#pragma once
// What edgehubd checks in a --database value before connecting
// (docs/CLUSTER.md#choosing-the-database).
#include <optional>
#include <string>
#include <string_view>

namespace edgehub::store {

// postgresql://... or postgres://... (libpq's two URL schemes).
bool is_postgres_url(std::string_view text);

// Why libpq cannot parse it (nullopt: it can).
std::optional<std::string> postgres_url_problem(const std::string& url);

// True when the URL carries a password (postgresql://user:secret@host or
// ?password=...), which must not come from a command line: other users
// see it in ps and /proc.
bool postgres_url_has_password(const std::string& url);

// The URL for a log line: user@host:port/dbname, never a password.
std::string postgres_url_for_log(const std::string& url);

}  // namespace edgehub::store
