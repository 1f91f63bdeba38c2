// Messages between browsers and terminals, events, blocks
// (docs/HTTP_API.md#messages, docs/HTTP_API.md#events).
#include <gtest/gtest.h>

#include "unit/web/api/api_harness.hpp"

namespace edgehub::web::api::testing {
namespace {

using boost::json::value;

class MessagingRoutes : public ApiHarness {
 protected:
  std::vector<value> events_of(SinkRecorder& sink) {
    drain();
    std::vector<value> out;
    for (const auto& e : sink.events) out.push_back(boost::json::parse(e));
    sink.events.clear();
    return out;
  }
  std::shared_ptr<SinkRecorder> attach(const Browser& browser) {
    auto sink = std::make_shared<SinkRecorder>();
    session_of(browser)->device().attach(sink);
    drain();
    return sink;
  }
};

TEST_F(MessagingRoutes, ABrowserAndATerminalExchangeMessagesBothWays) {
  auto& alice = logged_in("alice");
  Browser bob = login("bob");
  auto sink = attach(bob);
  auto sent = call(http::verb::post, "/api/v1/messages", R"({"to":"alice","text":"hi from the web"})", &bob);
  ASSERT_EQ(sent.status, 200u) << sent.raw.body;
  EXPECT_EQ(sent.json.at("delivered"), value("live"));
  const auto frames = alice.take();
  ASSERT_FALSE(frames.empty());
  EXPECT_EQ(frames.back(), "!MSG bob hi from the web");
  send(alice, "message bob hello browser");
  auto events = events_of(*sink);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].at("type"), value("message"));
  EXPECT_EQ(events[0].at("from"), value("alice"));
  EXPECT_EQ(events[0].at("text"), value("hello browser"));
  EXPECT_EQ(events[0].at("stored"), value(false));
}

TEST_F(MessagingRoutes, OfflineMessagesAreBufferedUntilTheWebSocketOpens) {
  auto& alice = logged_in("alice");
  send(alice, "message bob while you were out");
  Browser bob = login("bob");
  auto session = session_of(bob);
  ASSERT_TRUE(wait_until([&] { return session->device().buffered_events() == 1; }));
  auto sink = attach(bob);
  auto events = events_of(*sink);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].at("type"), value("message"));
  EXPECT_EQ(events[0].at("text"), value("while you were out"));
  EXPECT_EQ(events[0].at("stored"), value(true));
}

TEST_F(MessagingRoutes, PresenceEventsSayTheKind) {
  Browser bob = login("bob");
  auto sink = attach(bob);
  auto& alice = logged_in("alice");
  Browser carol = login("carol");
  send(alice, "OUT");
  hub().on_disconnect(alice.session);
  auto events = events_of(*sink);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].at("type"), value("login"));
  EXPECT_EQ(events[0].at("name"), value("alice"));
  EXPECT_EQ(events[0].at("kind"), value("terminal"));
  EXPECT_EQ(events[1].at("name"), value("carol"));
  EXPECT_EQ(events[1].at("kind"), value("web"));
  EXPECT_EQ(events[2].at("type"), value("logout"));
}

TEST_F(MessagingRoutes, MessageErrorsKeepTheHubsStatus) {
  Browser bob = login("bob");
  auto unknown = call(http::verb::post, "/api/v1/messages", R"({"to":"nobody","text":"x"})", &bob);
  EXPECT_EQ(unknown.status, 404u);
  EXPECT_EQ(unknown.json.at("code"), value("not_found"));
  auto spaced = call(http::verb::post, "/api/v1/messages", R"({"to":"a b","text":"x"})", &bob);
  EXPECT_EQ(spaced.status, 400u);
  auto multiline = call(http::verb::post, "/api/v1/messages", R"({"to":"alice","text":"x\nOUT"})", &bob);
  EXPECT_EQ(multiline.status, 400u);
  auto typed = call(http::verb::post, "/api/v1/messages", R"({"to":"alice","text":5})", &bob);
  EXPECT_EQ(typed.json.at("code"), value("invalid_field"));
  auto stored = call(http::verb::post, "/api/v1/messages", R"({"to":"alice","text":"later"})", &bob);
  EXPECT_EQ(stored.json.at("delivered"), value("stored"));
}

TEST_F(MessagingRoutes, BlocksAreListedAddedAndRemoved) {
  Browser bob = login("bob");
  auto& alice = logged_in("alice");
  EXPECT_EQ(call(http::verb::post, "/api/v1/blocks", R"({"name":"alice"})", &bob).status, 200u);
  EXPECT_EQ(call(http::verb::post, "/api/v1/blocks", R"({"name":"alice"})", &bob).status, 409u);
  auto list = call(http::verb::get, "/api/v1/blocks", {}, &bob);
  EXPECT_EQ(boost::json::serialize(list.json), R"({"blocked":["alice"]})");
  const auto refused = send(alice, "message bob hi");
  ASSERT_FALSE(refused.empty());
  EXPECT_TRUE(refused.back().starts_with("-ERR 403")) << refused.back();
  EXPECT_EQ(call(http::verb::delete_, "/api/v1/blocks/alice", {}, &bob).status, 200u);
  EXPECT_EQ(call(http::verb::delete_, "/api/v1/blocks/alice", {}, &bob).status, 409u);
}

TEST_F(MessagingRoutes, BroadcastReachesTerminals) {
  auto& alice = logged_in("alice");
  Browser bob = login("bob");
  drain();
  alice.take();
  EXPECT_EQ(call(http::verb::post, "/api/v1/broadcast", R"({"text":"all hands"})", &bob).status, 200u);
  EXPECT_EQ(alice.take(), std::vector<std::string>{"!BCAST bob all hands"});
}

TEST_F(MessagingRoutes, AnEndedDeviceSaysByeToItsSockets) {
  Browser bob = login("bob");
  auto sink = attach(bob);
  call(http::verb::post, "/api/v1/logout", {}, &bob);
  drain();
  ASSERT_TRUE(sink->ended.has_value());
  EXPECT_EQ(*sink->ended, "Logged out");
}

}  // namespace
}  // namespace edgehub::web::api::testing
