#pragma once
// Copying one Store's rows into another, as they are: `edgehubd migrate`
// (docs/CLUSTER.md#moving-a-single-node-hub-to-postgresql). Works on the
// Store interface only, so any pair of stores can be copied; the caller
// owns the transactions (one on each side, so that the copy is one
// consistent snapshot, committed whole or not at all).
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "store/store.hpp"

namespace edgehub::store {

// Told after each table, and after each page of a long one: the table and
// the rows copied so far; `done` on the table's last call.
using CopyProgress = std::function<void(const TableCount& so_far, bool done)>;

// Rows per page of login history and offline messages (each message is at
// most 4 KiB: a page holds at most about 20 MiB).
inline constexpr std::size_t kCopyPage = 5000;

// True when any data table of counts has a row.
bool holds_data(const std::vector<TableCount>& counts);

// Copies every row of from into to; returns the rows copied per table.
std::vector<TableCount> copy_store(Store& from, Store& to, const CopyProgress& progress, std::size_t page = kCopyPage);

// What differs between the two stores' counts, one "table: N here, M there"
// per table; empty when they agree.
std::string count_differences(const std::vector<TableCount>& from, const std::vector<TableCount>& to);

}  // namespace edgehub::store
