// Output's hand-over to the interactive shell: while a prompt is active,
// lines from any thread are queued and the shell woken, never printed.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "client/core/output.hpp"

namespace edgehub::client {
namespace {

TEST(OutputPrompt, QueuesWhileThePromptIsActiveAndWakesTheShell) {
  Output out(false);
  std::atomic<int> wakes{0};
  out.begin_prompt([&] { ++wakes; });
  std::thread other([&] {
    out.info("notice", "bob logged in");
    out.info("notice", "bob logged out");
  });
  other.join();
  EXPECT_EQ(wakes.load(), 2);
  EXPECT_EQ(out.take_queued(), (std::vector<std::string>{"bob logged in", "bob logged out"}));
  EXPECT_TRUE(out.take_queued().empty());
  out.info("notice", "carol logged in");
  testing::internal::CaptureStdout();
  out.end_prompt();  // what is left is printed, in order
  EXPECT_EQ(testing::internal::GetCapturedStdout(), "carol logged in\n");
  testing::internal::CaptureStdout();
  out.info("notice", "direct");
  EXPECT_EQ(testing::internal::GetCapturedStdout(), "direct\n");
  EXPECT_EQ(wakes.load(), 3);
}

TEST(OutputPrompt, StatusLineStaysBelowPrintedLines) {
  Output out(false);
  testing::internal::CaptureStdout();
  out.set_status("get a  50%");
  out.info("notice", "bob logged in");
  out.set_status("");
  EXPECT_EQ(testing::internal::GetCapturedStdout(),
            "get a  50%"
            "\r\033[Kbob logged in\nget a  50%"
            "\r\033[K");
}

TEST(OutputPrompt, StatusChangesDuringThePromptWakeTheShellInsteadOfPrinting) {
  Output out(false);
  std::atomic<int> wakes{0};
  out.begin_prompt([&] { ++wakes; });
  testing::internal::CaptureStdout();
  out.set_status("UVF a.bin from bob  50%");
  out.set_status("UVF a.bin from bob  50%");  // unchanged: no wake
  EXPECT_EQ(testing::internal::GetCapturedStdout(), "");
  EXPECT_EQ(wakes.load(), 1);
  EXPECT_EQ(out.status(), "UVF a.bin from bob  50%");  // the shell draws it above the prompt
  out.set_status("");
  EXPECT_EQ(wakes.load(), 2);
  out.end_prompt();
}

TEST(OutputPrompt, JsonModeQueuesObjectsToo) {
  Output out(true);
  out.begin_prompt([] {});
  out.info("notice", "x");
  EXPECT_EQ(out.take_queued(), (std::vector<std::string>{R"({"type":"notice","text":"x"})"}));
  out.end_prompt();
}

}  // namespace
}  // namespace edgehub::client
