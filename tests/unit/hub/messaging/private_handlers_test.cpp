// The server's part in end-to-end encrypted private sessions
// (docs/MESSAGING.md#private-sessions): it relays each side's public key
// unchanged, and refuses a request or an answer without one (a client from
// before the encryption) before anything is recorded. Through Hub::on_line.
#include <gtest/gtest.h>

#include "unit/hub/core/hub_harness.hpp"

namespace edgehub::hub::testing {
namespace {

using Replies = std::vector<std::string>;
const std::string kAliceKey(64, 'a');
const std::string kBobKey(64, 'b');
const std::string kToken = "0123456789abcdef0123456789abcdef";

class PrivateHandlersTest : public HubHarness {};

TEST_F(PrivateHandlersTest, PublicKeysAreRelayedBothWays) {
  Device& alice = logged_in("alice");
  Device& bob = logged_in("bob");
  alice.take();
  bob.take();
  EXPECT_EQ(send(alice, "startprivate bob " + kAliceKey).front().substr(0, 3), "+OK");
  EXPECT_EQ(bob.take(), Replies{"!PRIVREQ alice " + kAliceKey});
  EXPECT_EQ(send(bob, "accept alice 40123 " + kToken + " " + kBobKey).front().substr(0, 3), "+OK");
  const Replies offer = alice.take();
  ASSERT_EQ(offer.size(), 1u);
  EXPECT_TRUE(offer[0].starts_with("!PRIVSTART bob ")) << offer[0];
  EXPECT_TRUE(offer[0].ends_with(" 40123 " + kToken + " " + kBobKey)) << offer[0];
}

TEST_F(PrivateHandlersTest, RequestWithoutKeyIsRefusedAndNotRecorded) {
  Device& alice = logged_in("alice");
  Device& bob = logged_in("bob");
  alice.take();
  bob.take();
  const Replies old = send(alice, "startprivate bob");
  ASSERT_EQ(old.size(), 1u);
  EXPECT_EQ(old[0],
            "-ERR 400 Usage: startprivate USER PUBLICKEY [CIPHERS]: private sessions are end-to-end encrypted: the "
            "edgehub client adds its public key (update an older client)");
  EXPECT_EQ(send(alice, "startprivate bob 1234"), Replies{"-ERR 400 PUBLICKEY must be 64 lower-case hex digits"});
  EXPECT_EQ(send(alice, "startprivate bob " + std::string(64, 'A')),
            Replies{"-ERR 400 PUBLICKEY must be 64 lower-case hex digits"});
  EXPECT_EQ(bob.take(), Replies{}) << "nothing reaches bob";
  EXPECT_EQ(send(bob, "accept alice 40123 " + kToken + " " + kBobKey),
            Replies{"-ERR 404 alice has not asked you for a private session"});
}

TEST_F(PrivateHandlersTest, AnswerWithoutKeyIsRefusedAndKeepsTheRequest) {
  Device& alice = logged_in("alice");
  Device& bob = logged_in("bob");
  alice.take();
  bob.take();
  EXPECT_EQ(send(alice, "startprivate bob " + kAliceKey).front().substr(0, 3), "+OK");
  bob.take();
  const Replies old = send(bob, "accept alice 40123 " + kToken);
  ASSERT_EQ(old.size(), 1u);
  EXPECT_TRUE(
      old[0].starts_with("-ERR 400 Usage: accept USER PORT TOKEN PUBLICKEY [CIPHERS]: private sessions are end-to-end"))
      << old[0];
  EXPECT_EQ(send(bob, "accept alice 40123 " + kToken + " xyz"),
            Replies{"-ERR 400 PUBLICKEY must be 64 lower-case hex digits"});
  EXPECT_EQ(alice.take(), Replies{}) << "no offer without a key";
  EXPECT_EQ(send(bob, "accept alice 40123 " + kToken + " " + kBobKey).front().substr(0, 3), "+OK")
      << "the request is still there";
}

}  // namespace
}  // namespace edgehub::hub::testing
