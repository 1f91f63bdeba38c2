#pragma once
// Thin RAII over the SQLite C API: a connection and prepared statements.
// Errors become std::runtime_error carrying SQLite's message, or
// store::DiskFull when the disk had no room (store.hpp).
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace edgehub::store {

class SqliteStatement {
 public:
  SqliteStatement(sqlite3* db, std::string_view sql);
  ~SqliteStatement();
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  SqliteStatement& bind(int index, std::int64_t value);
  SqliteStatement& bind(int index, std::string_view value);
  SqliteStatement& bind_null(int index);
  bool step();  // true while a row is available
  void run();   // step to completion, then reset
  void reset();

  std::int64_t column_int(int index) const;
  std::string column_text(int index) const;
  bool column_is_null(int index) const;
  std::optional<std::int64_t> column_int_or_null(int index) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

class SqliteDb {
 public:
  explicit SqliteDb(const std::filesystem::path& file);
  ~SqliteDb();
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;
  // Closes this connection and takes other's: SqliteStore reopens the file
  // in another locking mode when the disk is full.
  SqliteDb& operator=(SqliteDb&& other) noexcept;

  void exec(std::string_view sql);
  SqliteStatement prepare(std::string_view sql) { return SqliteStatement(db_, sql); }
  std::int64_t last_insert_id() const;
  int changes() const;

 private:
  sqlite3* db_ = nullptr;
};

}  // namespace edgehub::store
