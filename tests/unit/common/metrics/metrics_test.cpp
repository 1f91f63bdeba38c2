#include "common/metrics/metrics.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "common/metrics/catalog.hpp"
#include "common/metrics/registry.hpp"

namespace edgehub::metrics {
namespace {

TEST(Metrics, CounterSumsEveryThreadsShard) {
  Counter c;
  std::vector<std::thread> threads;
  for (int t = 0; t < 12; ++t)
    threads.emplace_back([&c] {
      for (int i = 0; i < 1000; ++i) c.inc();
    });
  for (auto& t : threads) t.join();
  c.inc(5);
  EXPECT_EQ(c.value(), 12'005u);
}

TEST(Metrics, GaugeGoesDownAcrossThreads) {
  Gauge g;
  g.add(3);
  std::thread([&g] { g.sub(5); }).join();  // another shard goes below zero
  EXPECT_EQ(g.value(), -2);
  g.add(2);
  EXPECT_EQ(g.value(), 0);
}

TEST(Metrics, HistogramCountsInTheFirstBucketThatHolds) {
  Histogram h({0.001, 0.01}, 1e-6);
  h.observe(1000);   // exactly 1 ms: le="0.001"
  h.observe(1001);   // just over
  h.observe(50000);  // 50 ms: +Inf
  const auto s = h.snapshot();
  EXPECT_EQ(s.cumulative, (std::vector<std::uint64_t>{1, 2, 3}));
  EXPECT_EQ(s.count, 3u);
  EXPECT_NEAR(s.sum, 0.052001, 1e-9);
}

TEST(Metrics, HistogramRefusesBoundsThatDoNotIncrease) { EXPECT_THROW(Histogram({0.1, 0.1}, 1e-6), std::logic_error); }

TEST(Registry, SameSeriesTwiceIsTheSameObject) {
  Registry r;
  Counter& a = r.counter("t_total", "help", "kind", "x");
  Counter& b = r.counter("t_total", "help", "kind", "x");
  Counter& other = r.counter("t_total", "help", "kind", "y");
  EXPECT_EQ(&a, &b);
  EXPECT_NE(&a, &other);
}

TEST(Registry, RefusesConflictsAndBadNames) {
  Registry r;
  r.counter("t_total", "help");
  EXPECT_THROW(r.gauge("t_total", "help"), std::logic_error);
  EXPECT_THROW(r.counter("t_total", "other help"), std::logic_error);
  EXPECT_THROW(r.counter("t_total", "help", "label", "v"), std::logic_error);
  EXPECT_THROW(r.counter("1bad", "help"), std::logic_error);
  EXPECT_THROW(r.counter("bad-name", "help"), std::logic_error);
  EXPECT_THROW(r.counter("ok_total", "help", "__reserved", "v"), std::logic_error);
  EXPECT_THROW(r.counter("ok_total", "help", "a:b", "v"), std::logic_error);
}

TEST(Registry, RendersTextFormat004) {
  Registry r;
  r.counter("req_total", "Requests\\n \"by\" verb\nsecond line", "verb", "get").inc(3);
  r.counter("req_total", "Requests\\n \"by\" verb\nsecond line", "verb", "a\"b\\c\nd");
  r.gauge("open", "Open things").add(-2);
  r.histogram("lat_seconds", "Latency", {0.001, 0.5}, 1e-6).observe(250);
  EXPECT_EQ(r.render(),
            "# HELP req_total Requests\\\\n \"by\" verb\\nsecond line\n"
            "# TYPE req_total counter\n"
            "req_total{verb=\"get\"} 3\n"
            "req_total{verb=\"a\\\"b\\\\c\\nd\"} 0\n"
            "# HELP open Open things\n"
            "# TYPE open gauge\n"
            "open -2\n"
            "# HELP lat_seconds Latency\n"
            "# TYPE lat_seconds histogram\n"
            "lat_seconds_bucket{le=\"0.001\"} 1\n"
            "lat_seconds_bucket{le=\"0.5\"} 1\n"
            "lat_seconds_bucket{le=\"+Inf\"} 1\n"
            "lat_seconds_sum 0.00025\n"
            "lat_seconds_count 1\n");
}

TEST(Catalog, RegistersEveryFamilyOnceAtZero) {
  const ServerMetrics& m = server_metrics();
  EXPECT_EQ(&m, &server_metrics());
  EXPECT_EQ(&m.login(LoginResult::ok),
            &registry().counter("edgehub_logins_total", "Login attempts (login, resume, certlogin) by result", "result",
                                "ok"));
  const std::string text = registry().render();
  for (const char* family :
       {"edgehub_connections", "edgehub_sessions", "edgehub_logins_total", "edgehub_received_bytes_total",
        "edgehub_sent_bytes_total", "edgehub_messages_routed_total", "edgehub_store_commit_seconds"})
    EXPECT_NE(text.find(std::string("# TYPE ") + family + " "), std::string::npos) << family;
  EXPECT_NE(text.find("edgehub_logins_total{result=\"already_online\"}"), std::string::npos);
  EXPECT_EQ(&command_counter("login"), &command_counter("login"));
}

}  // namespace
}  // namespace edgehub::metrics
