// Who sees whom, and what the others are told when a device goes (issue 13):
// status hides who blocked you as AED does; shutdown announces no logouts;
// a private-session request nobody can answer any more is reported; a guest
// gives its UDP port after the greeting. Through Hub::on_line on a real Hub.
#include <gtest/gtest.h>

#include <algorithm>

#include "unit/hub/core/hub_harness.hpp"

namespace edgehub::hub::testing {
namespace {

using Replies = std::vector<std::string>;
const std::string kKey(64, 'a');  // a public key as the client sends it

class PresenceRulesTest : public HubHarness {
 protected:
  struct Everyone {
    Device& alice;
    Device& bob;
    Device& carol;
  };
  // alice, bob and carol online, their LOGIN events read.
  Everyone everyone() {
    Everyone e{logged_in("alice"), logged_in("bob"), logged_in("carol")};
    for (Device* d : {&e.alice, &e.bob, &e.carol}) d->take();
    return e;
  }
};

bool mentions(const Replies& replies, const std::string& text) {
  return std::any_of(replies.begin(), replies.end(), [&](const auto& r) { return r.find(text) != std::string::npos; });
}

TEST_F(PresenceRulesTest, StatusHidesWhoBlockedYouAsAedDoes) {
  auto [alice, bob, carol] = everyone();
  EXPECT_EQ(send(bob, "block alice").front().substr(0, 3), "+OK");
  const Replies aed = send(alice, "AED");
  ASSERT_EQ(aed.size(), 1u);
  EXPECT_FALSE(mentions(aed, "bob"));
  const Replies status = send(alice, "status");
  ASSERT_EQ(status.size(), 1u);
  EXPECT_EQ(status[0].substr(0, status[0].find('\n')), "*2 2 connections since start-up") << status[0];
  EXPECT_FALSE(mentions(status, "bob")) << status[0];
  EXPECT_TRUE(mentions(send(carol, "status"), "bob")) << "only the blocked one is kept from seeing bob";
}

TEST_F(PresenceRulesTest, ShutdownAnnouncesNoLogout) {
  Device& alice = logged_in("alice");
  Device& bob = logged_in("bob");
  alice.take();
  hub().shutdown_all("Server shutting down");
  EXPECT_EQ(alice.take(), Replies{"!BYE Server shutting down"});
  hub().on_disconnect(bob.session);  // bob's connection closes first
  EXPECT_EQ(alice.take(), Replies{}) << "no \"bob logged out\" after the goodbye";
}

TEST_F(PresenceRulesTest, PendingPrivateRequestIsCancelledWhenEitherSideLeaves) {
  auto [alice, bob, carol] = everyone();
  EXPECT_EQ(send(alice, "startprivate bob " + kKey).front().substr(0, 3), "+OK");
  EXPECT_EQ(send(carol, "startprivate alice " + kKey).front().substr(0, 3), "+OK");
  alice.take();
  hub().on_disconnect(bob.session);  // the invitee leaves: alice is told
  EXPECT_EQ(alice.take(), (Replies{"!PRIVCANCEL bob", "!LOGOUT bob"}));
  carol.take();
  hub().on_disconnect(alice.session);  // the asked one leaves: carol is told
  EXPECT_EQ(carol.take(), (Replies{"!PRIVCANCEL alice", "!LOGOUT alice"}));
  EXPECT_EQ(send(carol, "startprivate alice " + kKey), Replies{"-ERR 404 alice is offline"});
}

TEST_F(PresenceRulesTest, UdpPortCanBeGivenOnceAfterLogin) {
  Device& alice = logged_in("alice");
  Device& bob = logged_in("bob", 6001);
  alice.take();  // bob's LOGIN
  EXPECT_EQ(send(alice, "udpport 0"), Replies{"-ERR 400 UDPPORT must be an integer from 1 to 65535"});
  EXPECT_EQ(send(alice, "udpport 7000"), Replies{"+OK UDP port 7000 registered"});
  EXPECT_EQ(alice.session.udp_port, 7000);
  EXPECT_EQ(send(alice, "udpport 7001"), Replies{"-ERR 409 Your UDP port is already 7000"});
  EXPECT_EQ(send(bob, "udpport 7002"), Replies{"-ERR 409 Your UDP port is already 6001"});
  bob.take();
  EXPECT_TRUE(mentions(send(bob, "AED"), "alice, 127.0.0.1, 7000, active since")) << "peers see it at once";
}

}  // namespace
}  // namespace edgehub::hub::testing
