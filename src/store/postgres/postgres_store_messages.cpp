// PostgresStore: offline messages and blocks (issue 3, docs/MESSAGING.md),
// with the same per-recipient count table as SQLite for the queue bound.
#include "store/postgres/postgres_store.hpp"

namespace edgehub::store {
namespace {

// {1,2,3}: one bigint[] parameter instead of a statement per id.
std::string array_text(const std::vector<std::int64_t>& ids) {
  std::string text = "{";
  for (std::size_t i = 0; i < ids.size(); ++i) text += (i ? "," : "") + std::to_string(ids[i]);
  return text + "}";
}

}  // namespace

std::size_t PostgresStore::offline_count(std::string_view recipient) {
  static constexpr PgStatement kCount{"offline_count", "SELECT n FROM offline_counts WHERE recipient = $1"};
  const auto r = db_.run(kCount, {std::string(recipient)});
  return r.rows() ? static_cast<std::size_t>(r.int64(0, 0)) : 0;
}

bool PostgresStore::store_offline(const OfflineMessage& m, std::size_t max_queued) {
  static constexpr PgStatement kStore{"offline_store",
                                      "SELECT edgehub_store_offline($1, $2, $3, $4, $5, $6, $7, $8, $9)"};
  // Under the recipient's lock, the --max-offline check and the insert
  // after it are one step across nodes too.
  const char* lock_mode = recipient_locks_.mode_for(m.recipient);
  if (!lock_mode) return true;  // a doomed attempt: its commit starts the transaction over
  const std::string answer = db_.run(kStore, {lock_mode, std::to_string(RecipientLocks::key_of(m.recipient)),
                                              std::to_string(max_queued), std::to_string(m.seq), m.recipient, m.sender,
                                              std::string(1, m.kind), m.text, std::to_string(m.sent_unix)})
                                 .text(0, 0);
  if (answer == "busy") {
    recipient_locks_.busy(m.recipient);
    return true;
  }
  recipient_locks_.taken(m.recipient);
  return answer == "stored";
}

std::vector<OfflineMessage> PostgresStore::offline_after(std::string_view recipient, std::int64_t after_seq,
                                                         std::size_t limit) {
  static constexpr PgStatement kAfter{"offline_after",
                                      "SELECT id, seq, sender, kind, body, sent_unix FROM offline_messages "
                                      "WHERE recipient = $1 AND seq > $2 ORDER BY seq LIMIT $3"};
  const auto r = db_.run(kAfter, {std::string(recipient), std::to_string(after_seq), std::to_string(limit)});
  std::vector<OfflineMessage> out;
  for (int i = 0; i < r.rows(); ++i)
    out.push_back({r.int64(i, 0), r.int64(i, 1), std::string(recipient), r.text(i, 2), message_kind(r.text(i, 3)),
                   r.text(i, 4), r.int64(i, 5)});
  return out;
}

std::int64_t PostgresStore::max_offline_seq() {
  static constexpr PgStatement kMax{"offline_max_seq", "SELECT COALESCE(MAX(seq), 0) FROM offline_messages"};
  return db_.run(kMax).int64(0, 0);
}

void PostgresStore::delete_offline(std::string_view recipient, const std::vector<std::int64_t>& ids) {
  static constexpr PgStatement kDelete{"offline_delete", "SELECT edgehub_delete_offline($1, $2, $3, $4::bigint[])"};
  if (ids.empty()) return;
  const std::string name(recipient);
  const char* lock_mode = recipient_locks_.mode_for(name);
  if (!lock_mode) return;  // a doomed attempt: its commit starts the transaction over
  const std::string answer =
      db_.run(kDelete, {lock_mode, std::to_string(RecipientLocks::key_of(name)), name, array_text(ids)}).text(0, 0);
  if (answer == "busy")
    recipient_locks_.busy(name);
  else
    recipient_locks_.taken(name);
}

bool PostgresStore::add_block(std::string_view blocker, std::string_view blocked) {
  static constexpr PgStatement kAdd{"block_add",
                                    "INSERT INTO blocks(blocker, blocked) VALUES($1, $2) ON CONFLICT DO NOTHING"};
  return db_.run(kAdd, {std::string(blocker), std::string(blocked)}).affected() > 0;
}

bool PostgresStore::remove_block(std::string_view blocker, std::string_view blocked) {
  static constexpr PgStatement kRemove{"block_remove", "DELETE FROM blocks WHERE blocker = $1 AND blocked = $2"};
  return db_.run(kRemove, {std::string(blocker), std::string(blocked)}).affected() > 0;
}

std::vector<std::pair<std::string, std::string>> PostgresStore::load_blocks() {
  static constexpr PgStatement kAll{"blocks_all", "SELECT blocker, blocked FROM blocks ORDER BY blocker, blocked"};
  const auto r = db_.run(kAll);
  std::vector<std::pair<std::string, std::string>> out;
  for (int i = 0; i < r.rows(); ++i) out.emplace_back(r.text(i, 0), r.text(i, 1));
  return out;
}

}  // namespace edgehub::store
