#include "store/store_copy.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace edgehub::store {
namespace {

// A small table: read whole, written in one insert_rows.
template <typename Rows>
TableCount copy_whole(Store& to, std::string_view table, Rows rows, Rows StoreRows::*field,
                      const CopyProgress& progress) {
  const TableCount count{std::string(table), static_cast<std::int64_t>(rows.size())};
  StoreRows batch;
  batch.*field = std::move(rows);
  to.insert_rows(batch);
  progress(count, true);
  return count;
}

// A long table, in pages by id, so memory stays bounded.
template <typename Row>
TableCount copy_paged(Store& to, std::string_view table,
                      const std::function<std::vector<Row>(std::int64_t)>& page_after,
                      std::vector<Row> StoreRows::*field, const CopyProgress& progress) {
  TableCount count{std::string(table), 0};
  std::int64_t last_id = 0;
  for (auto rows = page_after(last_id); !rows.empty(); rows = page_after(last_id)) {
    last_id = rows.back().id;
    count.rows += static_cast<std::int64_t>(rows.size());
    StoreRows batch;
    batch.*field = std::move(rows);
    to.insert_rows(batch);
    progress(count, false);
  }
  progress(count, true);
  return count;
}

}  // namespace

bool holds_data(const std::vector<TableCount>& counts) {
  return std::any_of(counts.begin(), counts.end(), [](const TableCount& c) { return c.rows > 0; });
}

// In the order of kDataTables, which is also an order the tables' meanings
// allow (accounts before what names them, though no foreign key asks it).
std::vector<TableCount> copy_store(Store& from, Store& to, const CopyProgress& progress, std::size_t page) {
  std::vector<TableCount> copied;
  copied.push_back(copy_whole(to, "meta", from.load_meta(), &StoreRows::meta, progress));
  copied.push_back(copy_whole(to, "accounts", from.load_accounts(), &StoreRows::accounts, progress));
  copied.push_back(
      copy_whole(to, "account_unlocks", from.load_unlock_requests(), &StoreRows::unlock_requests, progress));
  copied.push_back(
      copy_whole(to, "device_certificates", from.load_device_certificates(), &StoreRows::certificates, progress));
  copied.push_back(copy_paged<LoginRecord>(
      to, "logins", [&](std::int64_t after) { return from.logins_page(after, page); }, &StoreRows::logins, progress));
  copied.push_back(copy_paged<OfflineMessage>(
      to, "offline_messages", [&](std::int64_t after) { return from.offline_page(after, page); },
      &StoreRows::offline_messages, progress));
  copied.push_back(copy_whole(to, "offline_counts", from.load_offline_counts(), &StoreRows::offline_counts, progress));
  copied.push_back(copy_whole(to, "blocks", from.load_blocks(), &StoreRows::blocks, progress));
  return copied;
}

std::string count_differences(const std::vector<TableCount>& from, const std::vector<TableCount>& to) {
  std::string out;
  for (const auto& f : from) {
    const auto t = std::find_if(to.begin(), to.end(), [&](const TableCount& c) { return c.table == f.table; });
    const std::int64_t there = t == to.end() ? -1 : t->rows;
    if (there != f.rows)
      out += fmt::format("{}{}: {} in the source, {} in the target", out.empty() ? "" : "; ", f.table, f.rows, there);
  }
  return out;
}

}  // namespace edgehub::store
