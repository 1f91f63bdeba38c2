// What only the SQLite store does: its file, WAL mode, PRAGMA user_version.
#include "store/sqlite_store.hpp"

#include <gtest/gtest.h>

#include "store/sqlite_schema.hpp"
#include "temp_db.hpp"

namespace edgehub::store {
namespace {

std::int64_t user_version(SqliteStore& s) {
  auto st = s.db().prepare("PRAGMA user_version");
  st.step();
  return st.column_int(0);
}

TEST(SqliteStore, FreshFileIsMigratedAndInWalMode) {
  testing::TempDir dir;
  SqliteStore s(dir.file("edgehub.db"));
  EXPECT_EQ(user_version(s), static_cast<std::int64_t>(sqlite_migrations().size()));
  auto st = s.db().prepare("PRAGMA journal_mode");
  ASSERT_TRUE(st.step());
  EXPECT_EQ(st.column_text(0), "wal");
}

TEST(SqliteStore, ReopenIsIdempotentAndKeepsData) {
  testing::TempDir dir;
  {
    SqliteStore s(dir.file("edgehub.db"));
    s.begin();
    s.replace_accounts({{"alice", "hash-a"}});
    s.set_meta("credentials_digest", "abc");
    s.commit();
  }
  for (int i = 0; i < 3; ++i) {
    SqliteStore again(dir.file("edgehub.db"));  // must not re-run CREATE TABLE
    EXPECT_EQ(user_version(again), static_cast<std::int64_t>(sqlite_migrations().size()));
    ASSERT_EQ(again.load_accounts().size(), 1u);
    EXPECT_EQ(again.meta("credentials_digest"), "abc");
  }
}

TEST(SqliteStore, UnopenableFileThrowsReadably) {
  testing::TempDir dir;
  try {
    SqliteStore s(dir.file("no-such-dir") / "edgehub.db");
    FAIL() << "expected an exception";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("edgehub.db"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace edgehub::store
