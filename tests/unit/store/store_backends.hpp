#pragma once
// The stores every contract test runs against (typed tests): SQLite in a
// temporary file, and PostgreSQL in a fresh database of the test server
// (postgres_server.sh; one server for all store tests, started by the ctest
// fixture, or by the first PostgreSQL test when the binary runs alone).
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "store/store.hpp"
#include "temp_db.hpp"

namespace edgehub::store::testing {

// Each backend is one empty database; open() connects to it again (a
// "reopen" in SQLite terms, or a second connection while the first lives).
class SqliteBackend {
 public:
  std::unique_ptr<Store> open();

 private:
  TempDir dir_;
};

class PostgresBackend {
 public:
  PostgresBackend();   // CREATE DATABASE
  ~PostgresBackend();  // DROP DATABASE
  PostgresBackend(const PostgresBackend&) = delete;
  PostgresBackend& operator=(const PostgresBackend&) = delete;
  std::unique_ptr<Store> open();
  const std::string& url() const { return url_; }

 private:
  std::string name_;
  std::string url_;
};

using Backends = ::testing::Types<SqliteBackend, PostgresBackend>;

struct BackendNames {
  template <typename T>
  static std::string GetName(int) {
    return std::is_same_v<T, SqliteBackend> ? "Sqlite" : "Postgres";
  }
};

// The fixture of a typed contract test: backend_ is a fresh database.
template <typename Backend>
class StoreTest : public ::testing::Test {
 protected:
  std::unique_ptr<Store> open() { return backend_.open(); }
  Backend backend_;
};

// A login record whose details do not matter to the test.
inline LoginRecord login(std::string name) {
  return LoginRecord{0, std::move(name), "127.0.0.1", 1, 100, std::nullopt};
}

}  // namespace edgehub::store::testing
