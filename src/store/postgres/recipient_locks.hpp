#pragma once
// Per-recipient locks on the offline counts (PostgresStore), which let the
// nodes' group commits change the counts of different recipients at the
// same time, where one lock for all of them made every node wait for the
// others' commits (docs/CLUSTER.md, "Offline messages across nodes").
//
// Two transactions that each lock the count rows of several recipients,
// in the order their jobs happen to come, can deadlock, and PostgreSQL
// only notices after deadlock_timeout (1 s). So every change of a
// recipient's count first takes a transaction-level advisory lock on the
// recipient's key, and a transaction WAITS only for a key above every key
// it holds: along any chain of waits the highest held key then rises, so
// no chain can close into a cycle. A key below one it holds is only TRIED;
// when another transaction holds it, this attempt is doomed: the count
// changes after it are not run, only their keys noted, and its commit
// throws TransactionStartOver (StoreQueue rolls back and runs the batch
// again). The next attempt takes every key the doomed one met at its
// start, in ascending order, so a second attempt is normally the last.
//
// The lock is taken by the statement that changes the count (the
// functions of schema step 6, postgres_schema.cpp), so it costs no round
// trip of its own: this class says which way (mode_for) and keeps account.
#include <cstdint>
#include <set>
#include <string_view>

#include "store/postgres/pg_connection.hpp"

namespace edgehub::store {

class RecipientLocks {
 public:
  explicit RecipientLocks(PgConnection& db) : db_(db) {}

  // How the next statement on RECIPIENT's count takes its lock: "held"
  // (not at all), "wait" or "try" (answers 'busy' if taken elsewhere);
  // nullptr in a doomed attempt, where the statement must not run.
  const char* mode_for(std::string_view recipient);
  // After that statement: it took the lock, or it was busy (dooms the attempt).
  void taken(std::string_view recipient) { held_.insert(key_of(recipient)); }
  void busy(std::string_view recipient);
  // Throws TransactionStartOver when the attempt is doomed.
  void check_before_commit() const;

  // The transaction's boundaries, which release or keep the locks as
  // PostgreSQL does. begin() takes what an attempt that started over needed.
  void begin();
  void end();  // commit or rollback
  void savepoint() { held_at_savepoint_ = held_; }
  void rollback_to_savepoint() { held_ = held_at_savepoint_; }  // locks since the savepoint are released

  // The advisory lock key of a recipient (the second of the two int4 keys;
  // the first is kRecipientLockClass): a stable hash of the name. Two
  // names with one key only wait for each other.
  static std::int32_t key_of(std::string_view recipient);

 private:
  void wait_for(std::int32_t key);

  PgConnection& db_;
  std::set<std::int32_t> held_;
  std::set<std::int32_t> held_at_savepoint_;
  std::set<std::int32_t> needed_at_start_;  // by the next attempt, after a start-over
  bool doomed_ = false;
};

}  // namespace edgehub::store
