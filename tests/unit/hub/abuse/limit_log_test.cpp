#include "hub/abuse/limit_log.hpp"

#include <gtest/gtest.h>

#include "unit/hub/injected_time.hpp"

#include <string>
#include <vector>

namespace edgehub::hub {
namespace {

using namespace std::chrono_literals;
using Clock = LimitLog::Clock;

using test::t0;  // injected time, never the real clock

struct Lines {
  std::vector<std::string> all;
  LimitLog::Sink sink() {
    return [this](const std::string& line) { all.push_back(line); };
  }
};

TEST(LimitLog, FirstHitIsLoggedAtOnceTheRestSummarised) {
  Lines lines;
  LimitLog log(10s, 100, lines.sink());
  for (int i = 0; i < 500; ++i) log.hit(Limit::per_address, 64, "192.0.2.7", t0 + std::chrono::milliseconds(i));
  ASSERT_EQ(lines.all.size(), 1u);
  EXPECT_EQ(lines.all[0], "security: event=limit addr=192.0.2.7 user=- detail=per_address limit=64");
  log.flush(t0 + 9s);  // the window has not ended
  EXPECT_EQ(lines.all.size(), 1u);
  log.flush(t0 + 10s);
  ASSERT_EQ(lines.all.size(), 2u);
  EXPECT_EQ(lines.all[1],
            "security: event=limit addr=192.0.2.7 user=- detail=per_address limit=64 refused=499 more in 10 s");
  log.flush(t0 + 30s);  // nothing new: nothing logged
  EXPECT_EQ(lines.all.size(), 2u);
  log.hit(Limit::per_address, 64, "192.0.2.7", t0 + 31s);  // a new window: logged at once again
  EXPECT_EQ(lines.all.size(), 3u);
}

TEST(LimitLog, EachLimitAndAddressHasItsOwnFirstLine) {
  Lines lines;
  LimitLog log(10s, 100, lines.sink());
  log.hit(Limit::connect_rate, 20, "192.0.2.7", t0);
  log.hit(Limit::connect_rate, 20, "192.0.2.8", t0);
  log.hit(Limit::failed_logins, 300, "192.0.2.7", t0);
  log.hit(Limit::connect_rate, 20, "192.0.2.7", t0);
  ASSERT_EQ(lines.all.size(), 3u);
  EXPECT_NE(lines.all[2].find("detail=failed_logins limit=300"), std::string::npos);
}

TEST(LimitLog, PastMaxKeysNewAddressesAreCountedTogether) {
  Lines lines;
  LimitLog log(10s, 2, lines.sink());
  for (int i = 0; i < 50; ++i) log.hit(Limit::unauthenticated, 10, "10.0.0." + std::to_string(i), t0);
  EXPECT_EQ(lines.all.size(), 2u);
  log.flush(t0 + 10s);
  ASSERT_EQ(lines.all.size(), 3u);
  EXPECT_EQ(
      lines.all[2],
      "security: event=limit addr=- user=- detail=unauthenticated limit=10 refused=48 from other addresses in 10 s");
}

}  // namespace
}  // namespace edgehub::hub
