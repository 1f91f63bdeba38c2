// OfflineDelivery against a real SQLite store: batches in order, deletion
// once written, the next batch only after the last one is written, kicks,
// nothing after stop, and a store that fails a read or a delete.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <mutex>
#include <random>
#include <stdexcept>

#include "hub/messaging/messaging_offline.hpp"
#include "store/sqlite_store.hpp"
#include "unit/hub/fake_peer.hpp"
#include "unit/store/delegating_store.hpp"

namespace edgehub::hub {
namespace {

using namespace std::chrono_literals;

using testing::FakePeer;

// A real store whose reads or deletes of offline messages fail while
// asked to, as a store that lost its database or disk does.
class FlakyStore final : public store::testing::DelegatingStore {
 public:
  using DelegatingStore::DelegatingStore;
  std::atomic<bool> failing_reads{false};
  std::atomic<bool> failing_deletes{false};

  std::vector<store::OfflineMessage> offline_after(std::string_view r, std::int64_t after, std::size_t limit) override {
    if (failing_reads) throw std::runtime_error("the database is gone");
    return DelegatingStore::offline_after(r, after, limit);
  }
  void delete_offline(std::string_view r, const std::vector<std::int64_t>& ids) override {
    if (failing_deletes) throw std::runtime_error("the database is gone");
    DelegatingStore::delete_offline(r, ids);
  }
};

class OfflineDeliveryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("edgehub-offline-" + std::to_string(std::random_device{}()));
    std::filesystem::create_directories(dir_);
    auto flaky = std::make_unique<FlakyStore>(std::make_unique<store::SqliteStore>(dir_ / "t.db"));
    flaky_ = flaky.get();
    queue_ = std::make_unique<store::StoreQueue>(std::move(flaky));
  }
  void TearDown() override {
    queue_->stop();
    std::filesystem::remove_all(dir_);
  }

  // Runs f on the store thread and waits for its commit.
  template <typename F>
  void in_store(F f) {
    std::mutex m;
    std::condition_variable cv;
    bool done = false;
    queue_->submit({std::move(f), [&](std::exception_ptr) {
                      std::lock_guard lock(m);
                      done = true;
                      cv.notify_all();
                    }});
    std::unique_lock lock(m);
    cv.wait_for(lock, 10s, [&] { return done; });
  }
  void store_messages(const std::string& to, int n) {
    in_store([this, to, n](store::Store& st) {
      for (int i = 0; i < n; ++i) st.store_offline({0, ++seq_, to, "alice", 'M', "m" + std::to_string(i), 0}, 0);
    });
  }
  // Every job submitted so far has run and reported (store jobs and their
  // completions run in order on the store thread): what the peer has now is
  // all it will get until the next call.
  std::vector<LetterPtr> settled(FakePeer& peer) {
    in_store([](store::Store&) {});
    return peer.letters();
  }
  // The directory's part: who is online, for kicks and drained().
  OfflineDelivery::FindPeer finder() {
    return [this](const std::string& name) -> std::shared_ptr<Peer> {
      std::lock_guard lock(online_mutex_);
      const auto it = online_.find(name);
      return it == online_.end() ? nullptr : it->second;
    };
  }
  void log_in(OfflineDelivery& delivery, const std::string& name, const std::shared_ptr<FakePeer>& peer) {
    {
      std::lock_guard lock(online_mutex_);
      online_[name] = peer;
    }
    delivery.start(name, peer);
  }
  void log_out(OfflineDelivery& delivery, const std::string& name, const Peer* peer) {
    {
      std::lock_guard lock(online_mutex_);
      online_.erase(name);
    }
    delivery.stop(name, peer);
  }
  std::size_t waiting(const std::string& name) {
    std::size_t n = 0;
    in_store([&](store::Store& st) { n = st.offline_count(name); });
    return n;
  }

  std::filesystem::path dir_;
  FlakyStore* flaky_ = nullptr;  // owned by queue_
  std::unique_ptr<store::StoreQueue> queue_;
  std::int64_t seq_ = 0;
  std::mutex online_mutex_;
  std::map<std::string, std::shared_ptr<FakePeer>> online_;
};

TEST_F(OfflineDeliveryTest, BatchesInOrderAndDeletesOnlyWhatWasWritten) {
  store_messages("bob", 5);
  OfflineDelivery delivery(*queue_, 2, 1 << 20, finder());
  auto peer = std::make_shared<FakePeer>();
  log_in(delivery, "bob", peer);
  auto letters = settled(*peer);
  ASSERT_EQ(letters.size(), 2u);  // one batch, nothing more until it is written
  EXPECT_EQ(letters[0]->text(), "m0");
  EXPECT_FALSE(letters[0]->last_in_batch);
  EXPECT_TRUE(letters[1]->last_in_batch);
  EXPECT_EQ(peer->events(), std::vector<std::string>{"!OFFLINE 5\n"});
  delivery.written("bob", peer.get(), {letters[0]});
  EXPECT_EQ(waiting("bob"), 4u);
  EXPECT_EQ(settled(*peer).size(), 2u);  // still no second batch
  delivery.written("bob", peer.get(), {letters[1]});
  letters = settled(*peer);
  ASSERT_EQ(letters.size(), 4u);
  EXPECT_EQ(letters[3]->text(), "m3");
  delivery.written("bob", peer.get(), {letters[2], letters[3]});
  letters = settled(*peer);
  ASSERT_EQ(letters.size(), 5u);
  EXPECT_EQ(letters[4]->text(), "m4");
  delivery.written("bob", peer.get(), {letters[4]});
  EXPECT_EQ(waiting("bob"), 0u);
}

TEST_F(OfflineDeliveryTest, ByteLimitCutsBatches) {
  store_messages("bob", 4);
  OfflineDelivery delivery(*queue_, 100, 1, finder());  // every batch is one letter
  auto peer = std::make_shared<FakePeer>();
  log_in(delivery, "bob", peer);
  auto letters = settled(*peer);
  ASSERT_EQ(letters.size(), 1u);
  EXPECT_TRUE(letters[0]->last_in_batch);
  delivery.written("bob", peer.get(), {letters[0]});
  letters = settled(*peer);
  ASSERT_EQ(letters.size(), 2u);
  EXPECT_EQ(letters[1]->text(), "m1");
}

TEST_F(OfflineDeliveryTest, KickDeliversWhatWasStoredAfterLogin) {
  OfflineDelivery delivery(*queue_, 10, 1 << 20, finder());
  auto peer = std::make_shared<FakePeer>();
  log_in(delivery, "bob", peer);
  store_messages("bob", 1);  // raced with the login's first fetch
  delivery.kick("bob");
  auto letters = settled(*peer);
  ASSERT_EQ(letters.size(), 1u);
  EXPECT_EQ(letters[0]->text(), "m0");
  delivery.kick("carol");  // offline: nothing happens
}

TEST_F(OfflineDeliveryTest, StopEndsDeliveryAndKeepsTheRest) {
  store_messages("bob", 3);
  OfflineDelivery delivery(*queue_, 1, 1 << 20, finder());
  auto peer = std::make_shared<FakePeer>();
  log_in(delivery, "bob", peer);
  auto letters = settled(*peer);
  ASSERT_EQ(letters.size(), 1u);
  log_out(delivery, "bob", peer.get());
  delivery.written("bob", peer.get(), {letters[0]});  // written just before the logout
  EXPECT_EQ(waiting("bob"), 2u);
  EXPECT_EQ(settled(*peer).size(), 1u);
  // The next login starts again from the first message still waiting.
  auto again = std::make_shared<FakePeer>();
  log_in(delivery, "bob", again);
  letters = settled(*again);
  ASSERT_EQ(letters.size(), 1u);
  EXPECT_EQ(letters[0]->text(), "m1");
}

TEST_F(OfflineDeliveryTest, AFailedDeleteIsRetriedAndItsMessagesAreNeverDeliveredTwice) {
  store_messages("bob", 3);
  OfflineDelivery delivery(*queue_, 10, 1 << 20, finder());
  auto peer = std::make_shared<FakePeer>();
  log_in(delivery, "bob", peer);
  auto letters = settled(*peer);
  ASSERT_EQ(letters.size(), 3u);
  flaky_->failing_deletes = true;
  delivery.written("bob", peer.get(), letters);
  EXPECT_EQ(waiting("bob"), 3u);
  EXPECT_EQ(settled(*peer).size(), 3u) << "the next read skips the rows whose delete failed";
  EXPECT_TRUE(delivery.drained("bob"));
  // A message stored now is delivered; the three are not, though still there.
  store_messages("bob", 1);
  delivery.kick("bob");
  letters = settled(*peer);
  ASSERT_EQ(letters.size(), 4u);
  EXPECT_EQ(letters[3]->text(), "m0");
  delivery.written("bob", peer.get(), {letters[3]});
  EXPECT_EQ(waiting("bob"), 4u);
  EXPECT_EQ(settled(*peer).size(), 4u);
  // The next login, with the store well again: the deletes are retried
  // before its read, and nothing comes twice.
  log_out(delivery, "bob", peer.get());
  flaky_->failing_deletes = false;
  auto again = std::make_shared<FakePeer>();
  log_in(delivery, "bob", again);
  EXPECT_TRUE(settled(*again).empty());
  EXPECT_EQ(waiting("bob"), 0u);
  EXPECT_TRUE(delivery.drained("bob"));
}

TEST_F(OfflineDeliveryTest, AFailedReadLeavesTheBacklogUndrainedUntilTheNextKick) {
  store_messages("bob", 2);
  flaky_->failing_reads = true;
  OfflineDelivery delivery(*queue_, 10, 1 << 20, finder());
  auto peer = std::make_shared<FakePeer>();
  log_in(delivery, "bob", peer);
  EXPECT_TRUE(settled(*peer).empty());
  EXPECT_FALSE(delivery.drained("bob")) << "a live message would overtake the two stored ones";
  flaky_->failing_reads = false;
  delivery.kick("bob");
  const auto letters = settled(*peer);
  ASSERT_EQ(letters.size(), 2u);
  EXPECT_EQ(letters[0]->text(), "m0");
  delivery.written("bob", peer.get(), letters);
  EXPECT_EQ(waiting("bob"), 0u);
  EXPECT_TRUE(delivery.drained("bob"));
}

TEST_F(OfflineDeliveryTest, AnIdleDeviceHoldsNoPumpOnceItsBacklogIsDelivered) {
  store_messages("bob", 2);
  OfflineDelivery delivery(*queue_, 10, 1 << 20, finder());
  auto peer = std::make_shared<FakePeer>();
  log_in(delivery, "bob", peer);
  const auto letters = settled(*peer);
  ASSERT_EQ(letters.size(), 2u);
  EXPECT_FALSE(delivery.drained("bob")) << "written, not yet confirmed";
  EXPECT_EQ(delivery.pumps(), 1u);
  delivery.written("bob", peer.get(), letters);
  settled(*peer);
  EXPECT_TRUE(delivery.drained("bob"));
  EXPECT_EQ(delivery.pumps(), 0u);
  auto quiet = std::make_shared<FakePeer>();
  OfflineDelivery empty(*queue_, 10, 1 << 20, finder());
  log_in(empty, "carol", quiet);
  EXPECT_TRUE(settled(*quiet).empty());
  EXPECT_TRUE(empty.drained("carol"));
  EXPECT_EQ(empty.pumps(), 0u) << "nothing stored: no pump past the first read";
}

TEST_F(OfflineDeliveryTest, AKickForAnIdleDeviceDeliversLiveThroughAPumpThatThenGoes) {
  OfflineDelivery delivery(*queue_, 10, 1 << 20, finder());
  auto peer = std::make_shared<FakePeer>();
  log_in(delivery, "bob", peer);
  settled(*peer);
  ASSERT_EQ(delivery.pumps(), 0u);
  store_messages("bob", 1);  // stored while bob was online (another node's, say)
  delivery.kick("bob");
  EXPECT_FALSE(delivery.drained("bob")) << "a live message would overtake the stored one";
  const auto letters = settled(*peer);
  ASSERT_EQ(letters.size(), 1u);
  EXPECT_EQ(letters[0]->frame, "!MSG alice m0\n") << "stored while online: it arrives as a live message";
  EXPECT_EQ(peer->events(), std::vector<std::string>{}) << "no !OFFLINE notice after the login's backlog";
  EXPECT_EQ(delivery.pumps(), 1u);
  delivery.written("bob", peer.get(), letters);
  settled(*peer);
  EXPECT_EQ(waiting("bob"), 0u);
  EXPECT_EQ(delivery.pumps(), 0u);
  EXPECT_TRUE(delivery.drained("bob"));
}

TEST_F(OfflineDeliveryTest, AKickBeforeTheLoginsFirstReadLeavesTheReadToTheLogin) {
  store_messages("bob", 1);
  OfflineDelivery delivery(*queue_, 10, 1 << 20, finder());
  auto peer = std::make_shared<FakePeer>();
  {
    std::lock_guard lock(online_mutex_);
    online_["bob"] = peer;  // listed in the directory, start() not called yet
  }
  delivery.kick("bob");
  EXPECT_TRUE(settled(*peer).empty());
  EXPECT_EQ(delivery.pumps(), 0u);
  EXPECT_FALSE(delivery.drained("bob"));
  delivery.start("bob", peer);
  ASSERT_EQ(settled(*peer).size(), 1u);
}

}  // namespace
}  // namespace edgehub::hub
