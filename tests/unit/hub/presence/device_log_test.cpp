#include "hub/presence/device_log.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <utility>

#include <unistd.h>

#include "unit/hub/fake_peer.hpp"

namespace edgehub::hub {
namespace {

using namespace std::chrono_literals;

class DeviceLogFormat : public ::testing::Test {
 protected:
  void SetUp() override {
    setenv("TZ", "UTC", 1);
    tzset();
  }
};

const SystemTime sep30 = std::chrono::system_clock::from_time_t(1664533873);  // 30 Sep 2022 10:31:13 UTC

LoggedDevice dev(std::string name, std::string ip, int udp, SystemTime since) {
  return LoggedDevice{std::move(name), std::move(ip), since, 0, udp};
}

TEST_F(DeviceLogFormat, SpecFormatNumberedFromOne) {
  const auto text =
      format_device_log({dev("alice", "127.0.0.1", 6100, sep30), dev("bob", "10.1.2.3", 6101, sep30 + 61s)});
  EXPECT_EQ(std::string_view(text),
            "1; 30 September 2022 10:31:13; alice; 127.0.0.1; 6100\n"
            "2; 30 September 2022 10:32:14; bob; 10.1.2.3; 6101\n");
}

TEST_F(DeviceLogFormat, EmptyWhenNobodyIsOnline) { EXPECT_EQ(std::string_view(format_device_log({})), ""); }

TEST_F(DeviceLogFormat, RenumbersAfterARemovalInTheMiddle) {
  Directory dir;
  std::vector<std::shared_ptr<testing::FakePeer>> peers;
  for (const char* n : {"a", "b", "c"}) {
    peers.push_back(std::make_shared<testing::FakePeer>());
    dir.add(OnlineDevice{n, "127.0.0.1", 1, sep30, 0, peers.back()});
  }
  dir.remove("b", peers[1].get(), sep30);
  EXPECT_EQ(std::string_view(format_device_log(dir.logged())),
            "1; 30 September 2022 10:31:13; a; 127.0.0.1; 1\n"
            "2; 30 September 2022 10:31:13; c; 127.0.0.1; 1\n");
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A device log whose worker is the test itself: jobs wait in a queue, and
// the clock moves only when a job's delay is waited out.
class DeviceLogWriter : public DeviceLogFormat {
 protected:
  struct Job {
    DeviceLog::Clock::duration delay;
    std::function<void()> run;
  };

  void SetUp() override {
    DeviceLogFormat::SetUp();
    dir_ = std::filesystem::temp_directory_path() / ("devlog-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    log_ = std::make_unique<DeviceLog>(
        dir_ / "edge-device-log.txt",
        [this] {
          auto snapshot = current_;
          if (on_snapshot_) std::exchange(on_snapshot_, nullptr)();
          return snapshot;
        },
        [this](DeviceLog::Clock::duration delay, std::function<void()> job) {
          jobs_.push_back({delay, std::move(job)});
        },
        250ms, [this] { return now_; });
    log_->write_now();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Runs the next job, first waiting out its delay; the delay it had.
  DeviceLog::Clock::duration run_next() {
    EXPECT_FALSE(jobs_.empty());
    if (jobs_.empty()) return {};
    Job job = std::move(jobs_.front());
    jobs_.erase(jobs_.begin());
    now_ += job.delay;
    job.run();
    return job.delay;
  }
  std::string file() const { return read_file(dir_ / "edge-device-log.txt"); }

  std::filesystem::path dir_;
  LoggedDevices current_;
  std::function<void()> on_snapshot_;  // once, right after the next snapshot
  std::vector<Job> jobs_;
  DeviceLog::Clock::time_point now_{std::chrono::hours(1)};
  std::unique_ptr<DeviceLog> log_;
};

const std::string kAlice = "1; 30 September 2022 10:31:13; alice; 127.0.0.1; 7\n";

TEST_F(DeviceLogWriter, AFirstChangeIsWrittenAtOnce) {
  EXPECT_EQ(file(), "");
  current_.push_back(dev("alice", "127.0.0.1", 7, sep30));
  log_->changed();
  ASSERT_EQ(jobs_.size(), 1U);
  EXPECT_EQ(run_next(), DeviceLog::Clock::duration::zero());
  EXPECT_EQ(file(), kAlice);
  EXPECT_TRUE(jobs_.empty()) << "nothing changed since";
}

TEST_F(DeviceLogWriter, ChangesSoonAfterARewriteWaitOutTheIntervalAndCoalesce) {
  current_.push_back(dev("alice", "127.0.0.1", 7, sep30));
  log_->changed();
  run_next();
  now_ += 100ms;
  for (const char* name : {"bob", "carol", "dave"}) {
    current_.push_back(dev(name, "127.0.0.1", 7, sep30));
    log_->changed();
  }
  ASSERT_EQ(jobs_.size(), 1U) << "one writer for the three changes";
  EXPECT_EQ(run_next(), DeviceLog::Clock::duration::zero());
  ASSERT_EQ(jobs_.size(), 1U) << "the writer waits for the rest of the interval";
  EXPECT_EQ(file(), kAlice) << "not yet rewritten";
  EXPECT_EQ(run_next(), 150ms);
  const std::string text = file();
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 4) << text;
  EXPECT_TRUE(jobs_.empty());
}

TEST_F(DeviceLogWriter, AChangeDuringARewriteIsWrittenByTheNextOne) {
  current_.push_back(dev("alice", "127.0.0.1", 7, sep30));
  // The first rewrite's snapshot sees alice; bob logs in while that
  // rewrite formats the file.
  on_snapshot_ = [this] {
    current_.push_back(dev("bob", "127.0.0.1", 8, sep30));
    log_->changed();
  };
  log_->changed();
  run_next();
  EXPECT_EQ(file(), kAlice);
  ASSERT_EQ(jobs_.size(), 1U) << "the writer took its job back";
  EXPECT_EQ(run_next(), 250ms);
  EXPECT_EQ(file(), kAlice + "2; 30 September 2022 10:31:13; bob; 127.0.0.1; 8\n");
  EXPECT_TRUE(jobs_.empty());
}

TEST_F(DeviceLogWriter, TheFileEndsWithTheLatestPresence) {
  current_.push_back(dev("alice", "127.0.0.1", 7, sep30));
  log_->changed();
  current_.clear();
  log_->changed();
  while (!jobs_.empty()) run_next();
  EXPECT_EQ(file(), "");
}

}  // namespace
}  // namespace edgehub::hub
