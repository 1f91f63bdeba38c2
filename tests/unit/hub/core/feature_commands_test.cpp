// One case per feature through Hub::on_line, on a real Hub: auth, presence,
// messaging, edge data, files, p2p and the basic commands. The features'
// full behaviour is in tests/integration/; these show each one is wired in.
#include <gtest/gtest.h>

#include <regex>

#include "unit/hub/core/hub_harness.hpp"

namespace edgehub::hub::testing {
namespace {

using Replies = std::vector<std::string>;

class FeatureCommandsTest : public HubHarness {};

bool matches(const std::string& text, const std::string& pattern) {
  return std::regex_match(text, std::regex(pattern));
}

// ---------------------------------------------------------------- auth

TEST_F(FeatureCommandsTest, LoginWelcomesAndIssuesAResumeToken) {
  Device& device = connect();
  const Replies replies = send(device, "login alice wonder1and 5000");
  ASSERT_EQ(replies.size(), 2u);
  EXPECT_EQ(replies[0], "+OK Welcome to edgehub, alice!");
  EXPECT_TRUE(matches(replies[1], "!TOKEN [0-9a-f]{64}")) << replies[1];
  EXPECT_TRUE(device.session.logged_in());
  EXPECT_EQ(device.session.udp_port, 5000);
}

TEST_F(FeatureCommandsTest, WrongPasswordIsRefused) {
  Device& device = connect();
  EXPECT_EQ(send(device, "login alice nope"), Replies{"-ERR 401 Invalid username or password. Please try again"});
  EXPECT_FALSE(device.session.logged_in());
}

// ---------------------------------------------------------------- presence

TEST_F(FeatureCommandsTest, ActiveDevicesListsTheOthers) {
  Device& alice = logged_in("alice");
  logged_in("bob", 6001);
  EXPECT_EQ(alice.take(), Replies{"!LOGIN bob"});
  const Replies replies = send(alice, "AED");
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_TRUE(matches(replies[0], "\\*1 1 other active edge device\nbob, 127\\.0\\.0\\.1, 6001, active since .+"))
      << replies[0];
}

TEST_F(FeatureCommandsTest, NotifyOffBeforeLoginOptsOutOfPresenceEvents) {
  Device& carol = connect();
  EXPECT_EQ(send(carol, "notify off"), Replies{"+OK presence notifications off"});
  EXPECT_EQ(send(carol, "notify maybe"), Replies{"-ERR 400 Usage: notify on|off"});
  EXPECT_EQ(send(carol, "login carol wonder1and").front(), "+OK Welcome to edgehub, carol!");
  carol.take();
  Device& alice = logged_in("alice");
  logged_in("bob");
  EXPECT_EQ(carol.take(), Replies{}) << "carol said notify off";
  EXPECT_EQ(alice.take(), Replies{"!LOGIN bob"});
}

TEST_F(FeatureCommandsTest, LogoutSaysByeAndCloses) {
  Device& alice = logged_in("alice");
  EXPECT_EQ(send(alice, "logout"), Replies{"+OK Bye, alice!"});
  EXPECT_TRUE(alice.peer->closed());
}

// ---------------------------------------------------------------- messaging

TEST_F(FeatureCommandsTest, MessageReachesAnOnlineUser) {
  Device& alice = logged_in("alice");
  Device& bob = logged_in("bob");
  alice.take();
  EXPECT_EQ(send(alice, "message bob hello   there"), Replies{"+OK Message sent to bob"});
  EXPECT_EQ(bob.take(), Replies{"!MSG alice hello   there"});
}

// ---------------------------------------------------------------- edge data

TEST_F(FeatureCommandsTest, EdgeDataCommandsOnAFileNeverUploaded) {
  Device& alice = logged_in("alice");
  EXPECT_EQ(send(alice, "SCS 7 SUM"), Replies{"-ERR 404 file 7 does not exist on the server"});
  EXPECT_EQ(send(alice, "DTE 7"), Replies{"-ERR 404 file 7 does not exist on the server"});
}

// ---------------------------------------------------------------- files

TEST_F(FeatureCommandsTest, ListShowsAnEmptyRepository) {
  Device& alice = logged_in("alice");
  EXPECT_EQ(send(alice, "list"), Replies{"+OK The repository is empty"});
}

// ---------------------------------------------------------------- p2p

TEST_F(FeatureCommandsTest, UvfHandsTheSameTicketToBothDevices) {
  Device& alice = logged_in("alice", 6000);
  Device& bob = logged_in("bob", 6001);
  alice.take();
  const Replies replies = send(alice, "uvf bob 10 notes from today.txt");
  ASSERT_EQ(replies.size(), 1u);
  std::smatch ok;
  ASSERT_TRUE(
      std::regex_match(replies[0], ok, std::regex("\\+OK 127\\.0\\.0\\.1 6001 ([0-9a-f]{32}) " + udp_key_of("bob"))))
      << replies[0];
  EXPECT_EQ(bob.take(), Replies{"!UVF alice 10 " + ok[1].str() + " " + udp_key_of("alice") + " notes from today.txt"});
}

TEST_F(FeatureCommandsTest, UvfNeedsBothDevicesKeys) {
  Device& old_client = logged_in("alice");  // no udpkey
  Device& bob = logged_in("bob", 6001);
  old_client.take();
  EXPECT_EQ(send(old_client, "uvf bob 10 f.txt"),
            Replies{"-ERR 409 UVF and swarm transfers are encrypted end to end and your client gave no udpkey: "
                    "upgrade it"});
  EXPECT_EQ(send(bob, "uvf alice 10 f.txt"), Replies{"-ERR 409 alice has no UDP port to receive files on"});
  EXPECT_EQ(send(bob, "udpkey xyz"), Replies{"-ERR 400 PUBLICKEY must be 64 hex digits (an X25519 public key)"});
}

TEST_F(FeatureCommandsTest, UvfToAnOfflineUserIsRefused) {
  Device& alice = logged_in("alice", 6000);
  EXPECT_EQ(send(alice, "uvf carol 10 f.txt"), Replies{"-ERR 404 carol is offline"});
  EXPECT_EQ(send(alice, "uvf alice 10 f.txt"), Replies{"-ERR 400 You cannot send a file to yourself"});
}

// ---------------------------------------------------------------- basic

TEST_F(FeatureCommandsTest, EchoAnswersAck) {
  Device& device = connect();
  EXPECT_EQ(send(device, "echo hello"), Replies{"+OK hello ACK"});
}

TEST_F(FeatureCommandsTest, HelpListsEveryCommandsWireUsage) {
  Device& device = connect();
  const Replies replies = send(device, "help");
  ASSERT_EQ(replies.size(), 1u);
  const std::size_t count = hub().commands().all().size();
  EXPECT_EQ(replies[0].substr(0, replies[0].find(' ')), "*" + std::to_string(count));
  for (const auto& spec : hub().commands().all())
    EXPECT_NE(replies[0].find("\n" + spec.usage + " "), std::string::npos) << spec.name;
  EXPECT_NE(replies[0].find("(aliases: whoelse, who)"), std::string::npos);
}

}  // namespace
}  // namespace edgehub::hub::testing
