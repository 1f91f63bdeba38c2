// What only the PostgreSQL store does: schema_version, its error kinds
// (SQLSTATE 53100 is DiskFull, as SQLITE_FULL is), and a connection lost
// between transactions opened again at the next one.
#include "store/postgres/postgres_store.hpp"

#include <gtest/gtest.h>

#include "store/postgres/postgres_schema.hpp"
#include "unit/store/store_backends.hpp"

namespace edgehub::store {
namespace {

class PostgresStoreTest : public ::testing::Test {
 protected:
  std::unique_ptr<PostgresStore> open() { return std::make_unique<PostgresStore>(backend_.url()); }
  // Ends store's connection from another one, as a restarted server would.
  void kill_connection_of(PostgresStore& store) {
    const auto pid = store.connection().exec("SELECT pg_backend_pid()").text(0, 0);
    PostgresStore admin(backend_.url());
    admin.connection().exec("SELECT pg_terminate_backend(" + pid + ")");
  }
  testing::PostgresBackend backend_;
};

using testing::login;

TEST_F(PostgresStoreTest, FreshDatabaseIsMigratedAndReopenKeepsData) {
  {
    auto s = open();
    EXPECT_EQ(s->schema_version(), static_cast<std::int64_t>(postgres_migrations().size()));
    s->set_meta("credentials_digest", "abc");
  }
  for (int i = 0; i < 2; ++i) {
    auto again = open();  // must not run CREATE TABLE again
    EXPECT_EQ(again->schema_version(), static_cast<std::int64_t>(postgres_migrations().size()));
    EXPECT_EQ(again->meta("credentials_digest"), "abc");
  }
}

TEST_F(PostgresStoreTest, ANewerSchemaIsRefused) {
  open()->connection().exec("UPDATE schema_version SET version = 99");
  try {
    open();
    FAIL() << "expected an exception";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("newer"), std::string::npos) << e.what();
  }
}

TEST_F(PostgresStoreTest, DiskFullFromTheServerIsDiskFull) {
  auto s = open();
  EXPECT_THROW(s->connection().exec("DO $$ BEGIN RAISE EXCEPTION 'no room' USING ERRCODE = 'disk_full'; END $$"),
               DiskFull);
  EXPECT_THROW(s->connection().exec("SELECT no_such_column FROM meta"), std::runtime_error);
}

TEST_F(PostgresStoreTest, AnUnreachableServerIsSaidReadably) {
  try {
    PostgresStore s("postgresql://edgehub@127.0.0.1:1/nothing?connect_timeout=5");
    FAIL() << "expected an exception";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("cannot connect to the database"), std::string::npos) << e.what();
  }
}

TEST_F(PostgresStoreTest, AConnectionLostBetweenTransactionsIsOpenedAgain) {
  auto s = open();
  kill_connection_of(*s);
  s->begin();
  s->record_login(login("after-restart"));
  s->commit();
  ASSERT_EQ(s->logins_since(0).size(), 1u);
}

TEST_F(PostgresStoreTest, AConnectionLostInATransactionFailsItThenRecovers) {
  auto s = open();
  s->begin();
  s->record_login(login("lost"));
  kill_connection_of(*s);
  EXPECT_THROW(
      {
        s->record_login(login("lost too"));
        s->commit();
      },
      std::runtime_error);
  rollback_after_failure(*s);
  s->begin();
  s->record_login(login("kept"));
  s->commit();
  const auto rows = s->logins_since(0);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].name, "kept");
}

TEST_F(PostgresStoreTest, CommittingAFailedTransactionThrows) {
  auto s = open();
  s->begin();
  s->record_login(login("undone"));
  EXPECT_THROW(s->connection().exec("SELECT no_such_column FROM meta"), std::runtime_error);
  EXPECT_THROW(s->commit(), std::runtime_error);  // PostgreSQL rolled it back
  EXPECT_TRUE(s->logins_since(0).empty());
}

TEST_F(PostgresStoreTest, TextWithANulByteIsRefused) {
  auto s = open();
  EXPECT_THROW(s->set_meta("k", std::string("a\0b", 3)), std::runtime_error);
  EXPECT_FALSE(s->meta("k").has_value());
}

}  // namespace
}  // namespace edgehub::store
