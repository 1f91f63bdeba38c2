// Messaging events for people and for --json (docs/MESSAGING.md#events,
// docs/CLIENT.md#json-output---json).
#include "client/messaging/messaging_events.hpp"

#include <gtest/gtest.h>

#include "client/core/json_line.hpp"
#include "client/core/output.hpp"
#include "unit/common/utc_time_zone.hpp"

namespace edgehub::client {
namespace {

using Kind = protocol::ServerMessage::Kind;

protocol::ServerMessage event(std::string name, std::string text) {
  protocol::ServerMessage m;
  m.kind = Kind::Event;
  m.name = std::move(name);
  m.text = std::move(text);
  return m;
}

const SystemTime kArrived = std::chrono::sys_days{std::chrono::year{2026} / 12 / 4} + std::chrono::hours{15};

// The text form shows local time; pinned to UTC here.
using MessagingEvents = testing::UtcTimeZone;

TEST_F(MessagingEvents, AStoredMessageSaysWhenItWasSent) {
  const auto m = event("STOREDMSG", "2026-12-04T13:56:28Z alice see  you");
  EXPECT_EQ(messaging_event_text(m), "alice: see  you (sent 04 December 2026 13:56:28)");
  EXPECT_EQ(json_line(Output::event_json(m, kArrived)),
            R"({"type":"event","event":"message","from":"alice","text":"see  you","time":"2026-12-04T13:56:28Z",)"
            R"("stored":true})");
  EXPECT_EQ(messaging_event_text(event("STOREDBCAST", "2026-12-04T13:56:28Z bob all")),
            "bob (broadcast): all (sent 04 December 2026 13:56:28)");
}

TEST_F(MessagingEvents, ALiveMessageHasItsFieldsAndTheTimeItArrived) {
  const auto m = event("MSG", "alice hi there");
  EXPECT_EQ(messaging_event_text(m), "alice: hi there");
  EXPECT_EQ(json_line(Output::event_json(m, kArrived)),
            R"({"type":"event","event":"message","from":"alice","text":"hi there","time":"2026-12-04T15:00:00Z"})");
  EXPECT_EQ(json_line(Output::event_json(event("PRIVATE", "bob psst"), kArrived)),
            R"({"type":"event","event":"private","from":"bob","text":"psst","time":"2026-12-04T15:00:00Z"})");
}

TEST_F(MessagingEvents, OtherEventsHaveFieldsToo) {
  EXPECT_EQ(json_line(Output::event_json(event("LOGIN", "bob"), kArrived)),
            R"({"type":"event","event":"login","user":"bob"})");
  EXPECT_EQ(json_line(Output::event_json(event("OFFLINE", "3"), kArrived)),
            R"({"type":"event","event":"offline","count":3})");
  // The request's public key is for the client, not for the person.
  const auto request = event("PRIVREQ", "alice " + std::string(64, 'a'));
  EXPECT_EQ(json_line(Output::event_json(request, kArrived)),
            R"({"type":"event","event":"private_request","from":"alice"})");
  EXPECT_EQ(messaging_event_text(request), "alice asks for a private session: type 'accept alice' or 'decline alice'");
  EXPECT_EQ(json_line(Output::event_json(event("BYE", "Server shutting down"), kArrived)),
            R"({"type":"event","event":"bye","text":"Server shutting down"})");
}

}  // namespace
}  // namespace edgehub::client
