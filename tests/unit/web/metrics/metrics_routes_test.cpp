// /metrics and /api/v1/admin/stats, called through the router as the HTTP
// server calls them, over a real Hub whose commands move the counters
// (docs/METRICS.md#every-metric).
#include "web/metrics/metrics_routes.hpp"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <map>
#include <regex>

#include "common/metrics/catalog.hpp"
#include "unit/hub/core/hub_harness.hpp"

namespace edgehub::web {
namespace {

using hub::testing::HubHarness;

class MetricsRoutes : public HubHarness {
 protected:
  MetricsRoutes() : services_{hub(), {}, nullptr} { build_routes(router_, services_); }

  ApiResponse call(std::string_view path) {
    const Router::Match match = router_.find(http::verb::get, path);
    EXPECT_NE(match.route, nullptr) << path;
    ApiRequest request;
    request.path = std::string(path);
    ApiResponse response;
    run([&]() -> boost::asio::awaitable<void> { response = co_await match.route->handler(request); }());
    return response;
  }

  // Every sample line "name{labels} value" of a scrape.
  std::map<std::string, double> scrape() {
    const ApiResponse r = call("/metrics");
    EXPECT_EQ(r.content_type, kPrometheusContentType);
    std::map<std::string, double> samples;
    static const std::regex line(R"(^([a-z_]+(?:\{[^}]*\})?) (\S+)$)");
    std::smatch m;
    std::string::size_type start = 0;
    while (start < r.body.size()) {
      const auto end = r.body.find('\n', start);
      const std::string text = r.body.substr(start, end - start);
      if (!text.starts_with('#')) {
        EXPECT_TRUE(std::regex_match(text, m, line)) << text;
        samples[m[1]] = std::stod(m[2]);
      }
      start = end + 1;
    }
    return samples;
  }

  Router router_;
  WebServices services_;
};

TEST_F(MetricsRoutes, AreRegisteredWithTheirAccess) {
  EXPECT_EQ(router_.find(http::verb::get, "/metrics").route->access, Access::Public);
  EXPECT_EQ(router_.find(http::verb::get, "/api/v1/admin/stats").route->access, Access::Admin);
}

TEST_F(MetricsRoutes, LoginsCountByResult) {
  const auto before = scrape();
  logged_in("alice");
  auto& device = connect();
  send(device, "login bob wrong-password");
  send(device, "resume carol not-a-token");
  const auto after = scrape();
  auto moved = [&](const std::string& key) { return after.at(key) - before.at(key); };
  EXPECT_EQ(moved("edgehub_logins_total{result=\"ok\"}"), 1);
  EXPECT_EQ(moved("edgehub_logins_total{result=\"bad_password\"}"), 1);
  EXPECT_EQ(moved("edgehub_logins_total{result=\"bad_token\"}"), 1);
  EXPECT_EQ(moved("edgehub_logins_total{result=\"locked\"}"), 0);
  EXPECT_EQ(moved("edgehub_commands_total{command=\"login\"}"), 2);
  EXPECT_EQ(moved("edgehub_commands_total{command=\"resume\"}"), 1);
  EXPECT_EQ(moved("edgehub_sessions{state=\"logged_in\"}"), 1);
  EXPECT_EQ(moved("edgehub_sessions{state=\"awaiting_login\"}"), 1);  // the second device
}

TEST_F(MetricsRoutes, MessagesAndUnknownCommandsCount) {
  auto& alice = logged_in("alice");
  logged_in("bob");
  const auto before = scrape();
  send(alice, "message bob hello");
  send(alice, "message carol later");  // carol is offline: stored
  send(alice, "frobnicate");
  const auto after = scrape();
  auto moved = [&](const std::string& key) { return after.at(key) - before.at(key); };
  EXPECT_EQ(moved("edgehub_messages_routed_total"), 1);
  EXPECT_EQ(moved("edgehub_messages_stored_total"), 1);
  EXPECT_EQ(moved("edgehub_commands_total{command=\"message\"}"), 2);
  EXPECT_EQ(moved("edgehub_commands_total{command=\"unknown\"}"), 1);
  EXPECT_GE(moved("edgehub_store_jobs_total"), 1);
  EXPECT_GE(moved("edgehub_store_commit_seconds_count"), 1);
}

TEST_F(MetricsRoutes, EveryLineIsCommentOrSampleAndFamiliesAreTyped) {
  const std::string body = call("/metrics").body;
  EXPECT_TRUE(body.ends_with('\n'));
  for (const char* type : {"# TYPE edgehub_connections gauge", "# TYPE edgehub_logins_total counter",
                           "# TYPE edgehub_store_commit_seconds histogram", "# TYPE edgehub_limits_hit_total counter"})
    EXPECT_NE(body.find(type), std::string::npos) << type;
  EXPECT_NE(body.find("edgehub_store_commit_seconds_bucket{le=\"+Inf\"}"), std::string::npos);
}

TEST_F(MetricsRoutes, AdminStatsIsTheContractsJson) {
  logged_in("alice");
  const ApiResponse r = call("/api/v1/admin/stats");
  EXPECT_EQ(r.status, 200u);
  const auto json = boost::json::parse(r.body).as_object();
  EXPECT_TRUE(
      std::regex_match(std::string(json.at("time").as_string()), std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")));
  EXPECT_EQ(json.at("connections").to_number<std::int64_t>(), 1);
  EXPECT_GE(json.at("logged_in").to_number<std::int64_t>(), 1);
  for (const char* key : {"messages_routed", "bytes_in", "bytes_out"})
    EXPECT_GE(json.at(key).to_number<std::int64_t>(), 0) << key;
}

}  // namespace
}  // namespace edgehub::web
