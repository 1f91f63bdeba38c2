#include "hub/presence/device_log.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

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

OnlineDevice dev(std::string name, std::string ip, int udp, SystemTime since) {
  return OnlineDevice{std::move(name), std::move(ip), udp, since, 0, nullptr};
}

TEST_F(DeviceLogFormat, SpecFormatNumberedFromOne) {
  const std::string text =
      format_device_log({dev("alice", "127.0.0.1", 6100, sep30), dev("bob", "10.1.2.3", 6101, sep30 + 61s)});
  EXPECT_EQ(text,
            "1; 30 September 2022 10:31:13; alice; 127.0.0.1; 6100\n"
            "2; 30 September 2022 10:32:14; bob; 10.1.2.3; 6101\n");
}

TEST_F(DeviceLogFormat, EmptyWhenNobodyIsOnline) { EXPECT_EQ(format_device_log({}), ""); }

TEST_F(DeviceLogFormat, RenumbersAfterARemovalInTheMiddle) {
  Directory dir;
  std::vector<std::shared_ptr<testing::FakePeer>> peers;
  for (const char* n : {"a", "b", "c"}) {
    peers.push_back(std::make_shared<testing::FakePeer>());
    dir.add(OnlineDevice{n, "127.0.0.1", 1, sep30, 0, peers.back()});
  }
  dir.remove("b", peers[1].get(), sep30);
  EXPECT_EQ(format_device_log(dir.online()),
            "1; 30 September 2022 10:31:13; a; 127.0.0.1; 1\n"
            "2; 30 September 2022 10:31:13; c; 127.0.0.1; 1\n");
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST_F(DeviceLogFormat, WriterEndsWithTheLatestSnapshot) {
  const auto dir = std::filesystem::temp_directory_path() / ("devlog-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::vector<OnlineDevice> current;
  // Post runs jobs inline: the test needs no threads.
  DeviceLog log(
      dir / "edge-device-log.txt", [&] { return current; }, [](std::function<void()> job) { job(); });
  log.write_now();
  EXPECT_EQ(read_file(dir / "edge-device-log.txt"), "");
  current.push_back(dev("alice", "127.0.0.1", 7, sep30));
  log.changed();
  EXPECT_EQ(read_file(dir / "edge-device-log.txt"), "1; 30 September 2022 10:31:13; alice; 127.0.0.1; 7\n");
  current.clear();
  log.changed();
  EXPECT_EQ(read_file(dir / "edge-device-log.txt"), "");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace edgehub::hub
