#include "store/sqlite_schema.hpp"

namespace edgehub::store {

const std::vector<std::string_view>& sqlite_migrations() {
  static const std::vector<std::string_view> steps = {
      // 1: accounts, meta, login history
      R"sql(
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE accounts (name TEXT PRIMARY KEY, password_hash TEXT NOT NULL);
        CREATE TABLE logins (
          id INTEGER PRIMARY KEY,
          name TEXT NOT NULL,
          ip TEXT NOT NULL,
          udp_port INTEGER NOT NULL,
          login_unix INTEGER NOT NULL,
          logout_unix INTEGER);
        CREATE INDEX logins_by_time ON logins (login_unix);
        CREATE INDEX logins_open ON logins (logout_unix) WHERE logout_unix IS NULL;
      )sql",
  };
  return steps;
}

}  // namespace edgehub::store
