#pragma once
// Thin RAII over libpq: one connection, its prepared statements and query
// results. Errors become std::runtime_error carrying PostgreSQL's message,
// or store::DiskFull when the server had no room (SQLSTATE 53100), the same
// kinds the SQLite store reports (store.hpp).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_set>
#include <vector>

struct pg_conn;
struct pg_result;

namespace edgehub::store {

class PgResult {
 public:
  explicit PgResult(pg_result* result) : result_(result) {}
  ~PgResult();
  PgResult(PgResult&& other) noexcept : result_(other.result_) { other.result_ = nullptr; }
  PgResult(const PgResult&) = delete;
  PgResult& operator=(const PgResult&) = delete;
  PgResult& operator=(PgResult&&) = delete;

  int rows() const;
  std::string text(int row, int column) const;
  std::int64_t int64(int row, int column) const;
  std::vector<std::string> column_texts(int column) const;  // every row's
  bool is_null(int row, int column) const;
  std::optional<std::int64_t> int64_or_null(int row, int column) const;
  std::int64_t affected() const;  // rows an INSERT/UPDATE/DELETE touched
  std::string command_status() const;

 private:
  pg_result* result_;
};

// A statement prepared once per connection under its name, on first use.
struct PgStatement {
  const char* name;
  const char* sql;
};

using PgParams = std::vector<std::string>;  // all sent as text; PostgreSQL casts them

class PgConnection {
 public:
  // conninfo: a postgresql:// URL or "key=value" pairs, as libpq takes them.
  explicit PgConnection(const std::string& conninfo);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // One or more statements without parameters (simple query protocol).
  PgResult exec(std::string_view sql);
  PgResult run(const PgStatement& statement, const PgParams& params = {});

  // A connection lost while no transaction was open is opened again here
  // (begin() and calls outside a transaction); inside a transaction a lost
  // connection is an error, since the transaction's work is gone.
  void reconnect_if_lost();
  bool lost() const;
  // How many times this object has connected: a session-level state (an
  // advisory lock) taken at one generation is gone at the next.
  std::uint64_t generation() const { return generation_; }

  // LISTEN (docs/CLUSTER.md#events-between-nodes): the socket to wait on,
  // and the NOTIFY payloads that have arrived, read without waiting. Throws
  // if the connection is lost.
  int socket() const;
  std::vector<std::string> notifications();

  // A transaction: begin() opens a lost connection again first (below);
  // commit() throws if PostgreSQL had failed the transaction (it answers
  // COMMIT with ROLLBACK), so no caller acknowledges work that was undone.
  void begin();
  void commit();
  void rollback();
  // Ends a transaction whose statement failed: ROLLBACK, or nothing if the
  // connection is gone (PostgreSQL undid it; the next call opens a new
  // one). Never throws: a failing ROLLBACK had nothing left to undo.
  void rollback_after_failure() noexcept;
  // begin(), work(), commit(); work's (or commit's) exception ends the
  // transaction with rollback_after_failure() and goes on to the caller.
  template <typename F>
  auto in_transaction(F&& work) -> decltype(work()) {
    begin();
    try {
      if constexpr (std::is_void_v<decltype(work())>) {
        work();
        commit();
      } else {
        auto result = work();
        commit();
        return result;
      }
    } catch (...) {
      rollback_after_failure();
      throw;
    }
  }

 private:
  // The server's session behind a connection, as pg_stat_activity shows it.
  struct Session {
    std::string pid;
    std::string started;  // backend_start, to tell a reused pid apart
  };
  void connect();
  // Session settings; returns the new session.
  Session configure_session();
  void end_abandoned_session(const Session& old);
  PgResult checked(pg_result* result, std::string_view what);
  [[noreturn]] void fail_connection(std::string_view what);

  std::string conninfo_;
  pg_conn* conn_ = nullptr;
  std::uint64_t generation_ = 0;
  Session session_;                           // the current connection's
  std::unordered_set<std::string> prepared_;  // names prepared on this connection
  bool in_transaction_ = false;
};

}  // namespace edgehub::store
