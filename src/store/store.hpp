#pragma once
// The storage interface the hub sees. SQLite (sqlite_store.hpp) and
// PostgreSQL (postgres/postgres_store.hpp) implement it. Calls are synchronous and run only on the store thread
// (StoreQueue), never on a network thread.
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace edgehub::store {

// Thrown by any Store call that needed disk space the disk does not have
// (SQLite's SQLITE_FULL, or ENOSPC/EDQUOT under it). Nothing of the failed
// transaction is stored; the hub answers such a command with 507 and keeps
// serving reads (docs/SECURITY.md#a-full-disk).
class DiskFull : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Thrown by a store whose transaction must be rolled back and run again
// from its start (PostgresStore's recipient locks, taken out of order).
// StoreQueue does that; nothing of the first attempt is kept.
class TransactionStartOver : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Account {
  std::string name;
  std::string password_hash;  // argon2id, libsodium's crypto_pwhash_str format
  // "file": the credentials file; "admin": `edgehubd user`; "cert":
  // `edgehubd ca issue`, no password (docs/SECURITY.md#device-certificates)
  std::string origin = "file";
  // The web console's operator role (`edgehubd user admin NAME on|off`,
  // docs/HTTP_API.md#admin); kept when the account is re-imported.
  bool admin = false;
};

// A device certificate issued by `edgehubd ca issue`
// (docs/SECURITY.md#device-certificates).
struct DeviceCertificate {
  std::string serial;       // upper-case hex, as `openssl x509 -serial` prints it
  std::string name;         // the account it names (CN and SAN)
  std::string fingerprint;  // "SHA256:..."
  std::int64_t issued_unix = 0;
  std::string not_after;  // "YYYY-MM-DD HH:MM:SS UTC"
  std::optional<std::int64_t> revoked_unix{};
};

struct LoginRecord {
  std::int64_t id = 0;
  std::string name;
  std::string ip;
  int udp_port = 0;
  std::int64_t login_unix = 0;
  std::optional<std::int64_t> logout_unix;
};

// A message waiting for a recipient who was offline (docs/MESSAGING.md).
struct OfflineMessage {
  std::int64_t id = 0;   // the row, never reused
  std::int64_t seq = 0;  // when the server accepted it: the delivery order
  std::string recipient;
  std::string sender;
  char kind = 'M';  // 'M' direct message, 'B' broadcast
  std::string text;
  std::int64_t sent_unix = 0;
};

// The kind as a store reads it back (a one-letter text column).
inline char message_kind(std::string_view stored) { return stored.empty() ? 'M' : stored.front(); }

// An unlock request of `edgehubd user unlock` not yet taken by a server.
struct UnlockRequest {
  std::string name;
  std::int64_t at_unix = 0;
};

// How many rows one table holds (count_rows).
struct TableCount {
  std::string table;
  std::int64_t rows = 0;
  bool operator==(const TableCount&) const = default;
};

// Rows as they are stored, ids and counters included: what `edgehubd
// migrate` reads from one store and writes into another
// (docs/CLUSTER.md#moving-a-single-node-hub-to-postgresql).
struct StoreRows {
  std::vector<std::pair<std::string, std::string>> meta;  // (key, value)
  std::vector<Account> accounts;
  std::vector<UnlockRequest> unlock_requests;
  std::vector<DeviceCertificate> certificates;
  std::vector<LoginRecord> logins;
  std::vector<OfflineMessage> offline_messages;
  std::vector<std::pair<std::string, std::int64_t>> offline_counts;  // (recipient, n)
  std::vector<std::pair<std::string, std::string>> blocks;           // (blocker, blocked)
};

class Store {
 public:
  virtual ~Store() = default;

  // Transactions. StoreQueue groups many jobs into one transaction (group
  // commit) and isolates each job with a savepoint.
  virtual void begin() = 0;
  virtual void commit() = 0;
  virtual void rollback() = 0;
  virtual void savepoint() = 0;
  virtual void release_savepoint() = 0;
  virtual void rollback_to_savepoint() = 0;

  virtual std::optional<std::string> meta(std::string_view key) = 0;
  virtual void set_meta(std::string_view key, std::string_view value) = 0;

  // Accounts (docs/SECURITY.md#accounts). When the credentials file changes,
  // its accounts replace the ones imported from it before; accounts set
  // with `edgehubd user` stay unless the file names them.
  virtual void replace_accounts(const std::vector<Account>& accounts) = 0;
  virtual std::vector<Account> load_accounts() = 0;
  // `edgehubd user add|passwd` (origin "admin") and `edgehubd ca issue`
  // ("cert"): creates or replaces one account.
  virtual void set_account(const Account& account) = 0;
  virtual bool delete_account(std::string_view name) = 0;  // false: no such account
  // `edgehubd user admin NAME on|off`; false: no such account.
  virtual bool set_admin(std::string_view name, bool admin) = 0;
  // `edgehubd user unlock`: asks the running server to lift a block.
  virtual void request_unlock(std::string_view name, std::int64_t at_unix) = 0;
  virtual std::vector<std::string> take_unlock_requests() = 0;
  // Changes when another process commits to the database (PRAGMA
  // data_version): how a running server notices `edgehubd user`.
  virtual std::int64_t data_version() = 0;

  // Device certificates (docs/SECURITY.md#device-certificates): recorded
  // when issued; `revoke` marks every certificate of a name not yet revoked
  // and returns their serials (empty: none to revoke).
  virtual void add_device_certificate(const DeviceCertificate& certificate) = 0;
  virtual std::vector<std::string> revoke_device_certificates(std::string_view name, std::int64_t at_unix) = 0;
  virtual std::vector<DeviceCertificate> load_device_certificates() = 0;  // by name, then issue time
  virtual std::vector<std::string> load_revoked_serials() = 0;

  // Login history (presence over time).
  virtual std::int64_t record_login(const LoginRecord& record) = 0;
  virtual void record_logout(std::int64_t id, std::int64_t logout_unix) = 0;
  // After a crash, sessions still marked open are closed at `at_unix`.
  virtual int close_dangling_logins(std::int64_t at_unix) = 0;
  virtual std::vector<LoginRecord> logins_since(std::int64_t since_unix) = 0;

  // Offline messages (issue 3). store_offline returns false, storing
  // nothing, when the recipient already has max_queued waiting (0 = no bound).
  virtual bool store_offline(const OfflineMessage& message, std::size_t max_queued) = 0;
  // The recipient's waiting messages with seq > after_seq, in seq order.
  virtual std::vector<OfflineMessage> offline_after(std::string_view recipient, std::int64_t after_seq,
                                                    std::size_t limit) = 0;
  // The highest seq waiting (0 if none): new messages get larger ones.
  virtual std::int64_t max_offline_seq() = 0;
  virtual std::size_t offline_count(std::string_view recipient) = 0;
  // Removes delivered messages (ids not waiting for recipient are ignored).
  virtual void delete_offline(std::string_view recipient, const std::vector<std::int64_t>& ids) = 0;

  // Blocks: blocker does not want to hear from blocked. False if nothing changed.
  virtual bool add_block(std::string_view blocker, std::string_view blocked) = 0;
  virtual bool remove_block(std::string_view blocker, std::string_view blocked) = 0;
  virtual std::vector<std::pair<std::string, std::string>> load_blocks() = 0;  // (blocker, blocked)

  // Bulk copy (`edgehubd migrate`): every table's rows as stored. The small
  // tables come whole; login history and offline messages in pages of
  // `limit` rows with id > after_id, by id.
  virtual std::vector<TableCount> count_rows() = 0;  // every data table, in one fixed order
  virtual std::vector<std::pair<std::string, std::string>> load_meta() = 0;
  virtual std::vector<UnlockRequest> load_unlock_requests() = 0;                        // by name
  virtual std::vector<std::pair<std::string, std::int64_t>> load_offline_counts() = 0;  // by recipient
  virtual std::vector<LoginRecord> logins_page(std::int64_t after_id, std::size_t limit) = 0;
  virtual std::vector<OfflineMessage> offline_page(std::int64_t after_id, std::size_t limit) = 0;
  // Inserts rows exactly as given (ids, origins, admin flags, revocations,
  // counts), into tables that do not hold them yet: a duplicate key throws.
  // New ids the store hands out afterwards are larger than any inserted.
  virtual void insert_rows(const StoreRows& rows) = 0;
};

// Ends a transaction whose statement or COMMIT failed. SQLite may have
// rolled it back already (it does for some disk-full failures), so a
// failing ROLLBACK is not an error here.
inline void rollback_after_failure(Store& store) noexcept {
  try {
    store.rollback();
  } catch (...) {  // no transaction left: nothing to undo
  }
}

}  // namespace edgehub::store
