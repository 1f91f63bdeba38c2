// Dispatch through Hub::on_line (docs/PROTOCOL.md, "Core commands"): unknown
// words, who may call what, the generated usage errors, and what a client
// sees when a handler throws.
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <regex>
#include <sstream>
#include <stdexcept>

#include "hub/core/run_command.hpp"
#include "unit/hub/core/hub_harness.hpp"

namespace edgehub::hub::testing {
namespace {

using Replies = std::vector<std::string>;

class DispatchTest : public HubHarness {};

TEST_F(DispatchTest, UnknownCommandNamesTheWord) {
  Device& alice = logged_in("alice");
  EXPECT_EQ(send(alice, "frobnicate the widgets"),
            Replies{"-ERR 400 Unknown command 'frobnicate'. Type 'help' for the list"});
}

TEST_F(DispatchTest, UnknownCommandBeforeLoginIsAlsoUnknown) {
  Device& device = connect();
  EXPECT_EQ(send(device, "frobnicate"), Replies{"-ERR 400 Unknown command 'frobnicate'. Type 'help' for the list"});
}

TEST_F(DispatchTest, BlankLineGetsNoReply) {
  Device& alice = logged_in("alice");
  EXPECT_EQ(send(alice, "   "), Replies{});
}

TEST_F(DispatchTest, CommandWordsAndAliasesIgnoreCase) {
  Device& alice = logged_in("alice");
  EXPECT_EQ(send(alice, "WhoElse"), Replies{"+OK no other active edge devices"});
  EXPECT_EQ(send(alice, "eCHo hi"), Replies{"+OK hi ACK"});
}

TEST_F(DispatchTest, LoggedInCommandBeforeLoginIsForbidden) {
  Device& device = connect();
  for (const char* line : {"AED", "message bob hi", "list", "SCS 7 SUM", "uvf bob 10 f.txt"})
    EXPECT_EQ(send(device, line), Replies{"-ERR 403 Please log in first: login NAME PASSWORD [UDPPORT]"}) << line;
}

TEST_F(DispatchTest, LoggedOutCommandAfterLoginIsRefused) {
  Device& alice = logged_in("alice");
  EXPECT_EQ(send(alice, "login bob wonder1and"), Replies{"-ERR 400 Already logged in as alice"});
  EXPECT_EQ(send(alice, "resume alice 00"), Replies{"-ERR 400 Already logged in as alice"});
  // notify takes effect when the device joins the directory, so only before login.
  // The answer says what notify is for and when it works (issue 13).
  EXPECT_EQ(send(alice, "notify off"),
            Replies{"-ERR 400 notify on|off works only before login: it chooses whether this device gets presence "
                    "events (NAME logged in, NAME logged out); you are already logged in as alice"});
  EXPECT_EQ(hub().directory().online().size(), 1u) << "the refused login changed nothing";
}

TEST_F(DispatchTest, AnyoneCommandsWorkBeforeAndAfterLogin) {
  Device& device = connect();
  EXPECT_EQ(send(device, "ping"), Replies{"+OK pong"});
  Device& alice = logged_in("alice");
  EXPECT_EQ(send(alice, "ping"), Replies{"+OK pong"});
}

TEST_F(DispatchTest, TooFewArgumentsGetTheUsage) {
  Device& device = connect();
  EXPECT_EQ(send(device, "login alice"), Replies{"-ERR 400 Usage: login NAME PASSWORD [UDPPORT]"});
  Device& alice = logged_in("alice");
  EXPECT_EQ(send(alice, "whoelsesince"), Replies{"-ERR 400 Usage: whoelsesince SECONDS"});
  EXPECT_EQ(send(alice, "message bob"), Replies{"-ERR 400 Usage: message USER TEXT"});
  EXPECT_EQ(send(alice, "UED 7 12"), Replies{"-ERR 400 Usage: UED FILEID SIZE SHA256|-"});
  EXPECT_EQ(send(alice, "uvf bob 10"), Replies{"-ERR 400 Usage: uvf USER SIZE FILE"});
}

TEST_F(DispatchTest, TooManyArgumentsGetTheUsage) {
  Device& alice = logged_in("alice");
  EXPECT_EQ(send(alice, "AED now"), Replies{"-ERR 400 Usage: AED"});
  EXPECT_EQ(send(alice, "ping me"), Replies{"-ERR 400 Usage: ping"});
  EXPECT_EQ(send(alice, "list all files"), Replies{"-ERR 400 Usage: list"});
}

TEST_F(DispatchTest, LastArgumentTakesTheRestOfTheLine) {
  Device& alice = logged_in("alice");
  EXPECT_EQ(send(alice, "echo two   words"), Replies{"+OK two   words ACK"});
  EXPECT_EQ(send(alice, "DTE 7 8"), Replies{"-ERR 400 FILEID must be a non-negative integer, got '7 8'"})
      << "DTE's one argument is '7 8'";
}

HubConfig guest_mode() {
  HubConfig config;
  config.guest_mode = true;
  return config;
}

class GuestDispatchTest : public HubHarness {
 protected:
  GuestDispatchTest() : HubHarness(guest_mode()) {}
};

TEST_F(GuestDispatchTest, NonCommandIsEchoedInGuestMode) {
  Device& guest = connect();
  EXPECT_TRUE(guest.session.logged_in()) << "guests are logged in by the greeting";
  EXPECT_EQ(send(guest, "hello   there"), Replies{"+OK hello   there ACK"});
}

// ---------------------------------------------------------------- handlers that throw

// Captures what the hub logs while it lives.
class LogCapture {
 public:
  LogCapture() : previous_(spdlog::default_logger()) {
    spdlog::set_default_logger(
        std::make_shared<spdlog::logger>("capture", std::make_shared<spdlog::sinks::ostream_sink_mt>(text_)));
  }
  ~LogCapture() { spdlog::set_default_logger(previous_); }
  std::string text() const { return text_.str(); }

 private:
  std::shared_ptr<spdlog::logger> previous_;
  std::ostringstream text_;
};

// A command that fails the way a disk fault does: with a server path in what().
CommandSpec throwing_command() {
  return {.name = "explode",
          .aliases = {},
          .min_args = 0,
          .max_args = 0,
          .access = Access::Anyone,
          .usage = "explode",
          .help = "throws",
          .handler = [](CommandContext&) -> boost::asio::awaitable<void> {
            throw std::runtime_error("cannot open /srv/edgehub-data/uploads/alice-7.txt: Input/output error");
            co_return;
          }};
}

TEST_F(DispatchTest, HandlerThatThrowsGivesAGenericErrorWithAnId) {
  Device& alice = logged_in("alice");
  const CommandSpec spec = throwing_command();
  LogCapture log;
  CommandContext ctx(hub(), alice.session, spec, {});
  run(run_command(ctx));
  const Replies replies = alice.take();
  ASSERT_EQ(replies.size(), 1u);
  std::smatch match;
  ASSERT_TRUE(std::regex_match(replies[0], match, std::regex(R"(-ERR 500 Internal error \(id ([0-9a-f]{8})\))")))
      << replies[0];
  EXPECT_EQ(replies[0].find("/srv"), std::string::npos) << "no server path reaches the client";
  const std::string id = match[1];
  const std::string logged = log.text();
  EXPECT_NE(logged.find("error id " + id), std::string::npos) << logged;
  EXPECT_NE(logged.find("/srv/edgehub-data/uploads/alice-7.txt: Input/output error"), std::string::npos)
      << "the operator finds the details under the id: " << logged;

  // The next failure has an id of its own, and the connection goes on.
  run(run_command(ctx));
  const Replies again = alice.take();
  ASSERT_EQ(again.size(), 1u);
  EXPECT_NE(again[0], replies[0]);
  EXPECT_EQ(send(alice, "ping"), Replies{"+OK pong"});
}

TEST_F(DispatchTest, HandlerThatThrowsANonStandardExceptionGivesTheSameError) {
  Device& device = connect();
  CommandSpec spec = throwing_command();
  spec.handler = [](CommandContext&) -> boost::asio::awaitable<void> {
    throw 42;
    co_return;
  };
  LogCapture log;
  CommandContext ctx(hub(), device.session, spec, {});
  run(run_command(ctx));
  const Replies replies = device.take();
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_TRUE(std::regex_match(replies[0], std::regex(R"(-ERR 500 Internal error \(id [0-9a-f]{8}\))"))) << replies[0];
}

TEST_F(DispatchTest, HandlerThatSucceedsSendsOnlyItsOwnReply) {
  Device& device = connect();
  CommandSpec spec = throwing_command();
  spec.handler = [](CommandContext& c) -> boost::asio::awaitable<void> {
    c.ok("fine");
    co_return;
  };
  CommandContext ctx(hub(), device.session, spec, {});
  run(run_command(ctx));
  EXPECT_EQ(device.take(), Replies{"+OK fine"});
}

}  // namespace
}  // namespace edgehub::hub::testing
