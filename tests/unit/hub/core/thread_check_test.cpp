// The hub's entry points refuse to run on a thread that does not own the
// session (debug and sanitizer builds; common/thread_check.hpp).
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "common/thread_check.hpp"
#include "hub/core/hub.hpp"
#include "store/sqlite_store.hpp"
#include "unit/store/temp_db.hpp"

namespace edgehub::hub {
namespace {

namespace asio = boost::asio;

// A connection whose owning thread is never the caller's.
class ForeignPeer final : public Peer {
 public:
  void send(SharedBytes) override {}
  void send_letter(LetterPtr) override {}
  void close_after_flush() override {}
  const std::string& remote_ip() const override { return ip_; }
  bool on_own_thread() const override { return false; }

 private:
  std::string ip_ = "127.0.0.1";
};

enum class Entry { Line, Block };

// Runs one entry point of a fresh hub for a session owned by another thread.
void call_from_foreign_thread(const std::filesystem::path& dir, Entry entry) {
  HubConfig config;
  config.data_dir = dir / "data";
  config.argon2 = {1, 8 * 1024};  // the cheapest cost libsodium allows
  std::filesystem::create_directories(config.data_dir);
  store::StoreQueue store(std::make_unique<store::SqliteStore>(dir / "hub.db"));
  asio::thread_pool workers(1);
  Hub hub(config, store, workers, std::make_unique<Accounts>(std::vector<store::Account>{}, config.argon2));
  auto peer = std::make_shared<ForeignPeer>();
  Session session(*peer, peer);
  asio::io_context io;
  if (entry == Entry::Line)
    asio::co_spawn(io, hub.on_line(session, "echo hello"), asio::detached);
  else
    asio::co_spawn(io, hub.on_block(session, "42\n"), asio::detached);
  io.run();
}

TEST(HubThreadCheck, OnLineFromAForeignThreadAborts) {
  if (!kThreadChecks) GTEST_SKIP() << "thread checks are off in this build (release)";
  store::testing::TempDir dir;
  EXPECT_DEATH(call_from_foreign_thread(dir.file(""), Entry::Line), "thread check failed: Hub::on_line");
}

TEST(HubThreadCheck, OnBlockFromAForeignThreadAborts) {
  if (!kThreadChecks) GTEST_SKIP() << "thread checks are off in this build (release)";
  store::testing::TempDir dir;
  EXPECT_DEATH(call_from_foreign_thread(dir.file(""), Entry::Block), "thread check failed: Hub::on_block");
}

}  // namespace
}  // namespace edgehub::hub
