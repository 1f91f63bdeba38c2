#include "store/postgres/pg_connection.hpp"

#include <libpq-fe.h>

#include <stdexcept>
#include <utility>
#include <vector>

#include "common/strings.hpp"
#include "store/store.hpp"

namespace edgehub::store {
namespace {

// Class 53 is "insufficient resources"; 53100 is disk_full, what SQLite
// calls SQLITE_FULL: the hub answers 507 and keeps serving reads.
constexpr std::string_view kDiskFull = "53100";

// libpq's messages end with a line break.
std::string trimmed(const char* message) { return std::string(trim(message ? message : "")); }

// libpq prints NOTICEs on stderr by default ("relation already exists");
// they say nothing an operator must act on.
void ignore_notice(void*, const char*) {}

}  // namespace

PgResult::~PgResult() { PQclear(result_); }

int PgResult::rows() const { return PQntuples(result_); }

std::string PgResult::text(int row, int column) const {
  return std::string(PQgetvalue(result_, row, column), static_cast<std::size_t>(PQgetlength(result_, row, column)));
}

std::int64_t PgResult::int64(int row, int column) const {
  const std::string value = text(row, column);
  const auto number = parse_int64(value);
  if (!number) throw std::runtime_error("postgresql: not an integer: " + value);
  return *number;
}

std::vector<std::string> PgResult::column_texts(int column) const {
  std::vector<std::string> out;
  for (int row = 0; row < rows(); ++row) out.push_back(text(row, column));
  return out;
}

bool PgResult::is_null(int row, int column) const { return PQgetisnull(result_, row, column) != 0; }

std::optional<std::int64_t> PgResult::int64_or_null(int row, int column) const {
  if (is_null(row, column)) return std::nullopt;
  return int64(row, column);
}

std::int64_t PgResult::affected() const {
  const char* n = PQcmdTuples(result_);
  return n ? parse_int64(n).value_or(0) : 0;
}

std::string PgResult::command_status() const { return PQcmdStatus(result_); }

PgConnection::PgConnection(const std::string& conninfo) : conninfo_(conninfo) {
  // A constructor that throws gets no destructor call: a refused first
  // connection would leak its PGconn (libpq allocates one even then).
  try {
    connect();
  } catch (...) {
    PQfinish(conn_);
    throw;
  }
}

PgConnection::~PgConnection() { PQfinish(conn_); }

// A database host that vanishes without closing its connections (a
// network cut, a machine gone) must show as an error in seconds, not after
// TCP's retransmissions give up (about 15 minutes), so that a node notices
// it and reconnects by itself (docs/CLUSTER.md#node-failure-and-database-outages):
//   - an idle connection (the LISTEN thread's) is probed after 10 s, every
//     5 s, and dropped after 3 unanswered probes: 25 s;
//   - a statement whose bytes go unacknowledged for 15 s fails
//     (tcp_user_timeout);
//   - a new connection waits at most 10 s.
// Before "dbname" in the arrays: the URL's own settings, if any, win.
constexpr const char* kConnectionDefaults[][2] = {
    {"keepalives", "1"},       {"keepalives_idle", "10"},     {"keepalives_interval", "5"},
    {"keepalives_count", "3"}, {"tcp_user_timeout", "15000"}, {"connect_timeout", "10"},
};

void PgConnection::connect() {
  // expand_dbname: "dbname" may be a whole URL or conninfo string; the
  // application name shows the node in pg_stat_activity.
  std::vector<const char*> keys, values;
  for (const auto& [key, value] : kConnectionDefaults) {
    keys.push_back(key);
    values.push_back(value);
  }
  keys.insert(keys.end(), {"dbname", "fallback_application_name", nullptr});
  values.insert(values.end(), {conninfo_.c_str(), "edgehubd", nullptr});
  PQfinish(conn_);
  prepared_.clear();
  conn_ = PQconnectdbParams(keys.data(), values.data(), 1);
  if (!conn_) throw std::runtime_error("postgresql: out of memory");
  if (PQstatus(conn_) != CONNECTION_OK)
    throw std::runtime_error("cannot connect to the database: " + trimmed(PQerrorMessage(conn_)));
  PQsetNoticeProcessor(conn_, ignore_notice, nullptr);
  const Session old = std::exchange(session_, configure_session());
  if (!old.pid.empty()) end_abandoned_session(old);
  ++generation_;
}

// Times and text compare the same on every server, whatever its defaults.
PgConnection::Session PgConnection::configure_session() {
  exec("SET client_min_messages = warning; SET TIME ZONE 'UTC'");
  const auto self = exec("SELECT pid::text, backend_start::text FROM pg_stat_activity WHERE pid = pg_backend_pid()");
  if (self.rows() != 1) return {};
  return {self.text(0, 0), self.text(0, 1)};
}

// A connection given up as lost may live on at the server: after a network
// cut PostgreSQL keeps the session until its own TCP keepalive gives up
// (two hours by default). All that time it would hold its locks (a node's
// liveness lock, the rows of a transaction in flight) and, if it listened,
// the tail of the notification queue. So the new session ends the old one
// (docs/CLUSTER.md#node-failure-and-database-outages). Matched by its start
// too, since a pid may have been reused; waits up to 5 s for it to end, so
// that its locks are free when this returns. Ending a session of the same
// role needs no privilege; if it is refused, the server's keepalive still
// ends it.
void PgConnection::end_abandoned_session(const Session& old) {
  static constexpr PgStatement kEnd{"edgehub_end_abandoned_session",
                                    "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity "
                                    "WHERE pid = $1::int AND backend_start = $2::timestamptz"};
  try {
    run(kEnd, {old.pid, old.started});
  } catch (const std::runtime_error&) {  // refused, or the new connection lost too: nothing more to do
  }
}

void PgConnection::reconnect_if_lost() {
  if (PQstatus(conn_) == CONNECTION_OK) return;
  if (in_transaction_) fail_connection("the connection to the database was lost during a transaction");
  connect();
}

// libpq notices a server that went away only when a statement fails:
// BEGIN, which changes nothing, is then sent once more on a new connection,
// so a node recovers by itself when the database returns.
void PgConnection::begin() {
  in_transaction_ = false;
  try {
    exec("BEGIN");
  } catch (const std::runtime_error&) {
    if (!lost()) throw;
    exec("BEGIN");  // reconnects first
  }
  in_transaction_ = true;
}

void PgConnection::commit() {
  const auto result = exec("COMMIT");
  in_transaction_ = false;
  if (result.command_status() == "ROLLBACK") throw std::runtime_error("the transaction failed and was rolled back");
}

void PgConnection::rollback() {
  in_transaction_ = false;
  exec("ROLLBACK");
}

void PgConnection::rollback_after_failure() noexcept {
  in_transaction_ = false;
  if (lost()) return;
  try {
    exec("ROLLBACK");
  } catch (...) {  // as store::rollback_after_failure: no transaction left, nothing to undo
  }
}

bool PgConnection::lost() const { return PQstatus(conn_) != CONNECTION_OK; }

int PgConnection::socket() const { return PQsocket(conn_); }

std::vector<std::string> PgConnection::notifications() {
  if (PQconsumeInput(conn_) == 0) fail_connection("the connection to the database was lost");
  std::vector<std::string> payloads;
  while (PGnotify* notice = PQnotifies(conn_)) {
    payloads.emplace_back(notice->extra);
    PQfreemem(notice);
  }
  return payloads;
}

[[noreturn]] void PgConnection::fail_connection(std::string_view what) {
  throw std::runtime_error(std::string(what) + ": " + trimmed(PQerrorMessage(conn_)));
}

PgResult PgConnection::checked(pg_result* raw, std::string_view what) {
  PgResult result(raw);
  const auto status = PQresultStatus(raw);
  if (raw && (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY)) return result;
  if (PQstatus(conn_) != CONNECTION_OK) fail_connection("the connection to the database was lost");
  const char* state = raw ? PQresultErrorField(raw, PG_DIAG_SQLSTATE) : nullptr;
  std::string message = std::string(what) + ": " + trimmed(raw ? PQresultErrorMessage(raw) : PQerrorMessage(conn_));
  if (state && std::string_view(state) == kDiskFull) throw DiskFull(message);
  throw std::runtime_error(message);
}

PgResult PgConnection::exec(std::string_view sql) {
  reconnect_if_lost();
  return checked(PQexec(conn_, std::string(sql).c_str()), "sql");
}

PgResult PgConnection::run(const PgStatement& statement, const PgParams& params) {
  reconnect_if_lost();
  if (!prepared_.contains(statement.name)) {
    checked(PQprepare(conn_, statement.name, statement.sql, 0, nullptr), "prepare");
    prepared_.insert(statement.name);
  }
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) {
    // Text parameters end at a NUL byte: refused rather than cut short.
    if (p.find('\0') != std::string::npos) throw std::runtime_error("postgresql: text with a NUL byte");
    values.push_back(p.c_str());
  }
  return checked(
      PQexecPrepared(conn_, statement.name, static_cast<int>(values.size()), values.data(), nullptr, nullptr, 0),
      statement.name);
}

}  // namespace edgehub::store
