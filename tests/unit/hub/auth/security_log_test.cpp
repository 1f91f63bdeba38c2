// docs/SECURITY.md#security-log: one parseable line, address first, a
// client-chosen name never able to look like an address.
#include "hub/auth/security_log.hpp"

#include <gtest/gtest.h>

namespace edgehub::hub {
namespace {

TEST(SecurityLog, OneLineAddressFirst) {
  EXPECT_EQ(security_line(SecurityEvent::login_failed, "192.0.2.7", "bob"),
            "security: event=login_failed addr=192.0.2.7 user=bob");
  EXPECT_EQ(security_line(SecurityEvent::path_refused, "::1", "alice", "get '../x': bad name"),
            "security: event=path_refused addr=::1 user=alice detail=get '../x': bad name");
}

TEST(SecurityLog, AttackerChosenNamesAreReduced) {
  EXPECT_EQ(loggable_user("x addr=10.0.0.1"), "x?addr?10.0.0.1");
  EXPECT_EQ(loggable_user(""), "-");
  EXPECT_EQ(loggable_user(std::string(100, 'a')).size(), 32u);
  const auto line = security_line(SecurityEvent::lockout, "10.0.0.2\nsecurity: x", "n");
  EXPECT_EQ(line.find('\n'), std::string::npos);
  EXPECT_EQ(line.find(' ', line.find("addr=")), line.find(" user=n"));  // the address is one word
  EXPECT_EQ(security_line(SecurityEvent::path_refused, "1.2.3.4", "a", "line\nbreak").find('\n'), std::string::npos);
}

}  // namespace
}  // namespace edgehub::hub
