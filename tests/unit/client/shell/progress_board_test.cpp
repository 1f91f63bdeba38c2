// The one status line of every running transfer, and the --json events
// (docs/CLIENT.md#progress-bars).
#include "client/shell/progress_board.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "client/core/output.hpp"

namespace edgehub::client {
namespace {

using Mode = ProgressBoard::Mode;

std::vector<boost::json::object> json_lines(const std::string& text) {
  std::vector<boost::json::object> out;
  std::size_t start = 0;
  for (auto end = text.find('\n'); end != std::string::npos; start = end + 1, end = text.find('\n', start))
    out.push_back(boost::json::parse(text.substr(start, end - start)).as_object());
  return out;
}

TEST(ProgressBoard, JsonEndsACompletedTransferAtItsTotal) {
  Output out(true);
  ProgressBoard board(out, Mode::Json, 80);
  ::testing::internal::CaptureStdout();
  const auto id = board.add("UVF a.bin to bob", 5'000'000);
  board.update(id, 657'288);  // too soon after the first event: none
  board.remove(id, true);
  board.update(id, 4'000'000);  // the endpoint reports a lingering file late: ignored
  const auto events = json_lines(::testing::internal::GetCapturedStdout());
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].at("done").as_int64(), 0);
  EXPECT_EQ(events[1].at("what").as_string(), "UVF a.bin to bob");
  EXPECT_EQ(events[1].at("done").as_int64(), 5'000'000);
  EXPECT_EQ(events[1].at("total").as_int64(), 5'000'000);
}

// What the board printed for one transfer that stopped at 40 of 100 bytes.
std::string failed_transfer(Output& out, Mode mode) {
  ProgressBoard board(out, mode, 80);
  ::testing::internal::CaptureStdout();
  const auto id = board.add("get a", 100);
  board.update(id, 40);
  board.remove(id, false);
  return ::testing::internal::GetCapturedStdout();
}

TEST(ProgressBoard, JsonEndsAFailedTransferWhereItStopped) {
  Output out(true);
  const auto events = json_lines(failed_transfer(out, Mode::Json));
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].at("done").as_int64(), 40);
}

TEST(ProgressBoard, OneLineForAllTransfersGoneWithTheLast) {
  Output out(false);
  ProgressBoard board(out, Mode::Bar, 80);
  ::testing::internal::CaptureStdout();
  const auto a = board.add("get a.iso", 1000);
  EXPECT_EQ(out.status().rfind("get a.iso    0% [", 0), 0u) << out.status();
  const auto b = board.add("UVF b.bin to bob", 3000);
  EXPECT_EQ(out.status().rfind("2 transfers    0% [", 0), 0u) << out.status();
  EXPECT_NE(out.status().find("0 B/3.9 KiB"), std::string::npos) << out.status();
  board.remove(a, true);
  EXPECT_EQ(out.status().rfind("UVF b.bin to bob", 0), 0u) << out.status();
  board.remove(b, false);
  board.update(b, 3000);  // late: must not bring the line back
  EXPECT_EQ(out.status(), "");
  EXPECT_EQ(board.running(), 0u);
  ::testing::internal::GetCapturedStdout();
}

TEST(ProgressBoard, SilentDrawsNothing) {
  Output out(false);
  EXPECT_EQ(failed_transfer(out, Mode::Silent), "");
  EXPECT_EQ(out.status(), "");
}

}  // namespace
}  // namespace edgehub::client
