// Login, logout, the session and its expiry (docs/HTTP_API.md#browser-sessions).
#include <gtest/gtest.h>

#include "protocol/reply.hpp"
#include "unit/web/api/api_harness.hpp"

namespace edgehub::web::api::testing {
namespace {

using boost::json::value;

class AuthRoutes : public ApiHarness {};

TEST_F(AuthRoutes, LoginGivesAnHttpOnlyStrictCookieAndTheCsrfToken) {
  auto reply = call(http::verb::post, "/api/v1/login", R"({"name":"bob","password":"wonder1and"})");
  ASSERT_EQ(reply.status, 200u) << reply.raw.body;
  EXPECT_EQ(reply.json.at("name"), value("bob"));
  EXPECT_EQ(reply.json.at("admin"), value(false));
  EXPECT_EQ(reply.json.at("csrf").as_string().size(), 64u);
  const std::string cookie = reply.header("Set-Cookie");
  EXPECT_TRUE(cookie.starts_with("edgehub_session=")) << cookie;
  EXPECT_NE(cookie.find("; HttpOnly; SameSite=Strict; Path=/; Max-Age=600"), std::string::npos) << cookie;
  EXPECT_EQ(cookie.find("Secure"), std::string::npos) << "not over TLS";
}

TEST_F(AuthRoutes, ABrowserLoginIsADeviceOfKindWebThatTerminalsSee) {
  auto& alice = logged_in("alice");
  Browser bob = login("bob");
  ASSERT_FALSE(bob.cookie.empty());
  drain();
  EXPECT_EQ(alice.take(), std::vector<std::string>{"!LOGIN bob"});
  const auto aed = send(alice, "AED");
  ASSERT_EQ(aed.size(), 1u);
  EXPECT_NE(aed[0].find("\nbob, 127.0.0.1, -, active since "), std::string::npos) << aed[0];
  auto devices = call(http::verb::get, "/api/v1/devices", {}, &bob);
  ASSERT_EQ(devices.status, 200u);
  const auto& list = devices.json.at("devices").as_array();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].at("name"), value("alice"));
  EXPECT_EQ(list[0].at("kind"), value("terminal"));
  EXPECT_TRUE(list[0].at("udp_port").is_null());
  EXPECT_TRUE(list[0].at("since").as_string().ends_with("Z"));
}

TEST_F(AuthRoutes, OneAnswerForABadPasswordAndAnUnknownName) {
  auto wrong = call(http::verb::post, "/api/v1/login", R"({"name":"bob","password":"nope"})");
  auto unknown = call(http::verb::post, "/api/v1/login", R"({"name":"nobody","password":"nope"})");
  EXPECT_EQ(wrong.status, 401u);
  EXPECT_EQ(wrong.json.at("code"), value("unauthorized"));
  EXPECT_EQ(unknown.raw.body, wrong.raw.body);
  EXPECT_EQ(table_->size(), 0u);
}

TEST_F(AuthRoutes, ANameAlreadyOnlineIsAConflict) {
  logged_in("alice");
  auto reply = call(http::verb::post, "/api/v1/login", R"({"name":"alice","password":"wonder1and"})");
  EXPECT_EQ(reply.status, 409u);
  EXPECT_EQ(reply.json.at("code"), value("already_online"));
}

TEST_F(AuthRoutes, RefusesBodiesThatAreNotJsonObjectsOfStrings) {
  EXPECT_EQ(call(http::verb::post, "/api/v1/login", "name=bob", nullptr, "application/x-www-form-urlencoded").status,
            415u);
  EXPECT_EQ(call(http::verb::post, "/api/v1/login", "{\"name\":").json.at("code"), value("invalid_json"));
  EXPECT_EQ(call(http::verb::post, "/api/v1/login", "[1]").json.at("code"), value("invalid_json"));
  EXPECT_EQ(call(http::verb::post, "/api/v1/login", R"({"name":7,"password":"x"})").json.at("code"),
            value("invalid_field"));
  const std::string deep = std::string(40, '[') + std::string(40, ']');
  EXPECT_EQ(call(http::verb::post, "/api/v1/login", R"({"name":)" + deep + "}").status, 400u);
  EXPECT_EQ(call(http::verb::post, "/api/v1/login", R"({"name":"bob","password":"a\nlogin x"})").status, 401u);
  EXPECT_EQ(table_->size(), 0u);
}

TEST_F(AuthRoutes, LogoutClearsTheCookieAndLogsTheDeviceOut) {
  auto& alice = logged_in("alice");
  Browser bob = login("bob");
  drain();
  alice.take();
  auto reply = call(http::verb::post, "/api/v1/logout", {}, &bob);
  EXPECT_EQ(reply.status, 204u);
  EXPECT_NE(reply.header("Set-Cookie").find("edgehub_session=; "), std::string::npos);
  EXPECT_NE(reply.header("Set-Cookie").find("Max-Age=0"), std::string::npos);
  drain();
  EXPECT_EQ(alice.take(), std::vector<std::string>{"!LOGOUT bob"});
  EXPECT_EQ(table_->find(bob.cookie), nullptr);
  EXPECT_EQ(login("bob").cookie.empty(), false) << "the name is free again";
}

TEST_F(AuthRoutes, AnIdleSessionExpiresAndItsDeviceLogsOut) {
  auto& alice = logged_in("alice");
  Browser bob = login("bob");
  drain();
  alice.take();
  clock_ms_ += 59'000;
  EXPECT_NE(table_->find(bob.cookie), nullptr) << "used within the idle time";
  clock_ms_ += 59'000;
  EXPECT_NE(table_->find(bob.cookie), nullptr) << "touched by the last find";
  clock_ms_ += 60'000;
  EXPECT_EQ(table_->find(bob.cookie), nullptr);
  drain();
  EXPECT_EQ(alice.take(), std::vector<std::string>{"!LOGOUT bob"});
}

// The hub's heartbeat PING is answered by the session's own expiry: an
// expired session whose cookie never comes back still logs out, and its
// WebSockets get "bye".
TEST_F(AuthRoutes, TheHeartbeatEndsAnExpiredSessionWithoutARequest) {
  auto& alice = logged_in("alice");
  Browser bob = login("bob");
  auto session = session_of(bob);
  auto socket = std::make_shared<SinkRecorder>();
  session->device().attach(socket);
  drain();
  alice.take();
  const auto ping = hub::make_bytes(protocol::encode_event("PING", ""));
  clock_ms_ += 59'000;
  session->device().send(ping);
  drain();
  EXPECT_FALSE(socket->ended.has_value()) << "within the idle time: answered";
  EXPECT_EQ(table_->size(), 1u);
  clock_ms_ += 2'000;  // 61 s without a request
  session->device().send(ping);
  drain();
  EXPECT_EQ(socket->ended, std::optional<std::string>("Session expired"));
  EXPECT_EQ(alice.take(), std::vector<std::string>{"!LOGOUT bob"});
  EXPECT_EQ(table_->size(), 0u);
}

TEST_F(AuthRoutes, ASessionEndsAtItsAbsoluteExpiryEvenWhenUsed) {
  Browser bob = login("bob");
  for (int i = 0; i < 10; ++i) {
    clock_ms_ += 50'000;
    ASSERT_NE(table_->find(bob.cookie), nullptr) << i;
  }
  clock_ms_ += 100'000;
  EXPECT_EQ(table_->find(bob.cookie), nullptr);
}

TEST_F(AuthRoutes, ForgedCookiesFindNothingAndTheTableIsBounded) {
  EXPECT_EQ(table_->find(""), nullptr);
  EXPECT_EQ(table_->find(std::string(64, 'a')), nullptr);
  for (const char* name : {"alice", "bob", "carol"}) ASSERT_FALSE(login(name).cookie.empty());
  EXPECT_EQ(table_->size(), 3u);
}

TEST_F(AuthRoutes, TheSessionEndpointRepeatsTheLoginAnswer) {
  Browser bob = login("bob");
  auto reply = call(http::verb::get, "/api/v1/session", {}, &bob);
  ASSERT_EQ(reply.status, 200u);
  EXPECT_EQ(reply.json.at("name"), value("bob"));
  EXPECT_EQ(reply.json.at("csrf"), value(bob.csrf));
}

}  // namespace
}  // namespace edgehub::web::api::testing
