// SqliteStore: offline messages and blocks (issue 3, docs/MESSAGING.md).
// The statements are prepared once and reused: storing an offline message is
// the hot write path, and preparing costs more than the insert itself.
#include "store/sqlite_store.hpp"

namespace edgehub::store {

struct SqliteStore::MessageStatements {
  explicit MessageStatements(SqliteDb& db)
      : count(db.prepare("SELECT n FROM offline_counts WHERE recipient = ?")),
        insert(db.prepare("INSERT INTO offline_messages(seq, recipient, sender, kind, body, sent_unix) "
                          "VALUES(?, ?, ?, ?, ?, ?)")),
        add_count(db.prepare("INSERT INTO offline_counts(recipient, n) VALUES(?, ?) "
                             "ON CONFLICT(recipient) DO UPDATE SET n = n + excluded.n")),
        select_after(db.prepare("SELECT id, seq, sender, kind, body, sent_unix FROM offline_messages "
                                "WHERE recipient = ? AND seq > ? ORDER BY seq LIMIT ?")),
        remove(db.prepare("DELETE FROM offline_messages WHERE id = ? AND recipient = ?")),
        drop_empty_count(db.prepare("DELETE FROM offline_counts WHERE recipient = ? AND n <= 0")) {}

  SqliteStatement count;
  SqliteStatement insert;
  SqliteStatement add_count;
  SqliteStatement select_after;
  SqliteStatement remove;
  SqliteStatement drop_empty_count;
};

SqliteStore::~SqliteStore() = default;

SqliteStore::MessageStatements& SqliteStore::message_statements() {
  if (!message_statements_) message_statements_ = std::make_shared<MessageStatements>(db_);
  return *message_statements_;
}

std::size_t SqliteStore::offline_count(std::string_view recipient) {
  auto& st = message_statements().count;
  st.bind(1, recipient);
  const std::size_t n = st.step() ? static_cast<std::size_t>(st.column_int(0)) : 0;
  st.reset();
  return n;
}

bool SqliteStore::store_offline(const OfflineMessage& m, std::size_t max_queued) {
  if (max_queued > 0 && offline_count(m.recipient) >= max_queued) return false;
  auto& st = message_statements();
  st.insert.bind(1, m.seq)
      .bind(2, m.recipient)
      .bind(3, m.sender)
      .bind(4, std::string_view(&m.kind, 1))
      .bind(5, m.text)
      .bind(6, m.sent_unix)
      .run();
  st.add_count.bind(1, m.recipient).bind(2, std::int64_t{1}).run();
  return true;
}

std::vector<OfflineMessage> SqliteStore::offline_after(std::string_view recipient, std::int64_t after_seq,
                                                       std::size_t limit) {
  auto& st = message_statements().select_after;
  st.bind(1, recipient).bind(2, after_seq).bind(3, static_cast<std::int64_t>(limit));
  std::vector<OfflineMessage> out;
  while (st.step())
    out.push_back({st.column_int(0), st.column_int(1), std::string(recipient), st.column_text(2),
                   message_kind(st.column_text(3)), st.column_text(4), st.column_int(5)});
  st.reset();
  return out;
}

std::int64_t SqliteStore::max_offline_seq() {
  auto st = db_.prepare("SELECT COALESCE(MAX(seq), 0) FROM offline_messages");
  return st.step() ? st.column_int(0) : 0;
}

void SqliteStore::delete_offline(std::string_view recipient, const std::vector<std::int64_t>& ids) {
  auto& st = message_statements();
  std::int64_t removed = 0;
  for (const std::int64_t id : ids) {
    st.remove.bind(1, id).bind(2, recipient).run();
    removed += db_.changes();
  }
  if (removed == 0) return;
  st.add_count.bind(1, recipient).bind(2, -removed).run();
  st.drop_empty_count.bind(1, recipient).run();
}

bool SqliteStore::add_block(std::string_view blocker, std::string_view blocked) {
  db_.prepare("INSERT OR IGNORE INTO blocks(blocker, blocked) VALUES(?, ?)").bind(1, blocker).bind(2, blocked).run();
  return db_.changes() > 0;
}

bool SqliteStore::remove_block(std::string_view blocker, std::string_view blocked) {
  db_.prepare("DELETE FROM blocks WHERE blocker = ? AND blocked = ?").bind(1, blocker).bind(2, blocked).run();
  return db_.changes() > 0;
}

std::vector<std::pair<std::string, std::string>> SqliteStore::load_blocks() {
  std::vector<std::pair<std::string, std::string>> out;
  auto st = db_.prepare("SELECT blocker, blocked FROM blocks ORDER BY blocker, blocked");
  while (st.step()) out.emplace_back(st.column_text(0), st.column_text(1));
  return out;
}

}  // namespace edgehub::store
