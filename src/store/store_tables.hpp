#pragma once
// The data tables both stores hold, in the order count_rows() reports them
// and `edgehubd migrate` prints them. Bookkeeping tables (SQLite's
// sqlite_sequence, PostgreSQL's schema_version and data_changes) are not
// data and are left out.
#include <array>
#include <string_view>

namespace edgehub::store {

inline constexpr std::array<std::string_view, 8> kDataTables = {
    "meta",   "accounts",         "account_unlocks", "device_certificates",
    "logins", "offline_messages", "offline_counts",  "blocks"};

}  // namespace edgehub::store
