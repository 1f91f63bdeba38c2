// The hub's registry of sessions (hub/core/session_registry.hpp): what the
// sweeper and the shutdown walk. Sessions leave by remove() in any order or
// by being destroyed, and one whose connection is gone is not handed out.
#include "hub/core/session_registry.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <vector>

#include "hub/core/session.hpp"
#include "unit/hub/fake_peer.hpp"

namespace edgehub::hub {
namespace {

using testing::FakePeer;

struct Conn {
  std::shared_ptr<FakePeer> peer = std::make_shared<FakePeer>();
  std::optional<Session> session{std::in_place, *peer, peer};
};

std::vector<Session*> live_sessions(const SessionRegistry& registry) {
  std::vector<Session*> out;
  for (const auto& [session, peer] : registry.live()) out.push_back(session);
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<Session*> sorted(std::vector<Session*> v) {
  std::sort(v.begin(), v.end());
  return v;
}

TEST(SessionRegistry, RemovalInAnyOrderKeepsTheOthers) {
  SessionRegistry registry;
  std::vector<Conn> conns(5);
  for (auto& c : conns) registry.add(*c.session);
  EXPECT_EQ(registry.size(), 5u);
  EXPECT_TRUE(registry.remove(*conns[1].session));   // from the middle
  EXPECT_TRUE(registry.remove(*conns[4].session));   // the last
  EXPECT_FALSE(registry.remove(*conns[4].session));  // not twice
  EXPECT_TRUE(registry.remove(*conns[0].session));   // the first
  EXPECT_EQ(live_sessions(registry), sorted({&*conns[2].session, &*conns[3].session}));
  registry.add(*conns[1].session);
  registry.add(*conns[1].session);  // once only
  EXPECT_EQ(live_sessions(registry), sorted({&*conns[1].session, &*conns[2].session, &*conns[3].session}));
  for (int i : {3, 2, 1}) EXPECT_TRUE(registry.remove(*conns[i].session));
  EXPECT_EQ(registry.size(), 0u);
}

TEST(SessionRegistry, ADestroyedSessionLeaves) {
  SessionRegistry registry;
  std::vector<Conn> conns(3);
  for (auto& c : conns) registry.add(*c.session);
  conns[0].session.reset();  // never unregistered by the hub
  EXPECT_EQ(registry.size(), 2u);
  EXPECT_EQ(live_sessions(registry), sorted({&*conns[1].session, &*conns[2].session}));
  EXPECT_TRUE(registry.remove(*conns[2].session));
  EXPECT_TRUE(registry.remove(*conns[1].session));
}

TEST(SessionRegistry, ASessionWhoseConnectionIsGoneIsNotHandedOut) {
  SessionRegistry registry;
  Conn kept;
  auto gone_peer = std::make_shared<FakePeer>();
  Session orphan(*gone_peer, gone_peer);
  registry.add(*kept.session);
  registry.add(orphan);
  gone_peer.reset();  // the session's handle no longer locks (its FakePeer lives on in nothing)
  EXPECT_EQ(live_sessions(registry), std::vector<Session*>{&*kept.session});
  EXPECT_EQ(registry.size(), 2u);
  EXPECT_TRUE(registry.remove(orphan));
}

}  // namespace
}  // namespace edgehub::hub
