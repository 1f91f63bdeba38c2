// LiveRelay (hub/messaging/live_relay.hpp): a live cross-node message
// waits for its answer, however early or late on whichever thread it comes,
// gives up at the timeout, and sooner once its node is declared dead.
#include "hub/messaging/live_relay.hpp"

#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <thread>
#include <vector>

#include "hub/cluster/single_node.hpp"

namespace edgehub::hub {
// Named, not anonymous: a unity build compiles this file with others.
namespace live_relay_test {

using namespace std::chrono_literals;

// A node of a cluster that records what it publishes; on_publish answers
// for the other node.
class RecordingCluster final : public SingleNode {
 public:
  std::function<void(const ClusterEvent&)> on_publish;
  std::vector<ClusterEvent> published;

  bool spans_nodes() const override { return true; }
  void publish(ClusterEvent event) override {
    published.push_back(event);
    if (on_publish) on_publish(published.back());
  }
};

ClusterEvent message_to_bob() {
  return {.kind = ClusterEvent::Kind::live_message,
          .name = "bob",
          .time = 1,
          .other = "alice",
          .text = "hi",
          .target = "n2"};
}

// Runs one send to the end; its answer.
std::optional<bool> sent(LiveRelay& relay, RecordingCluster& cluster) {
  boost::asio::io_context io;
  std::optional<bool> answer;
  boost::asio::co_spawn(io, relay.send(cluster, message_to_bob()), [&](std::exception_ptr error, bool queued) {
    if (!error) answer = queued;
  });
  io.run();
  return answer;
}

TEST(LiveRelay, TheAnswerOfTheRecipientsNodeIsTheResult) {
  LiveRelay relay;
  RecordingCluster cluster;
  cluster.on_publish = [&](const ClusterEvent& e) { relay.answered(e.id, true); };  // before the wait starts
  EXPECT_EQ(sent(relay, cluster), true);
  cluster.on_publish = [&](const ClusterEvent& e) { relay.answered(e.id, false); };
  EXPECT_EQ(sent(relay, cluster), false);
  ASSERT_EQ(cluster.published.size(), 2u);
  EXPECT_EQ(cluster.published[0].target, "n2");
  EXPECT_NE(cluster.published[0].id, cluster.published[1].id) << "each message its own number";
}

TEST(LiveRelay, IdsStartFromTheClockSoThatARestartedNodeReusesNone) {
  RecordingCluster cluster;
  LiveRelay numbered({.answer_timeout = 1ms}, 41);
  cluster.on_publish = [&](const ClusterEvent& e) { numbered.answered(e.id, true); };
  EXPECT_EQ(sent(numbered, cluster), true);
  EXPECT_EQ(cluster.published.back().id, 41);
  LiveRelay restarted;
  cluster.on_publish = [&](const ClusterEvent& e) { restarted.answered(e.id, true); };
  EXPECT_EQ(sent(restarted, cluster), true);
  constexpr std::int64_t kSeptember2020InMicroseconds = 1'600'000'000'000'000;
  EXPECT_GT(cluster.published.back().id, kSeptember2020InMicroseconds) << "microseconds since the epoch, not 1";
}

TEST(LiveRelay, AnAnswerFromTheEventThreadWakesTheSender) {
  LiveRelay relay({.answer_timeout = 60s});
  RecordingCluster cluster;
  std::thread event_thread;
  cluster.on_publish = [&](const ClusterEvent& e) {
    event_thread = std::thread([&relay, id = e.id] { relay.answered(id, true); });
  };
  EXPECT_EQ(sent(relay, cluster), true) << "not after 60 s";
  event_thread.join();
}

TEST(LiveRelay, NoAnswerGivesUpAtTheTimeoutAndALateOneChangesNothing) {
  LiveRelay relay({.answer_timeout = 50ms});
  RecordingCluster cluster;
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(sent(relay, cluster), false);
  EXPECT_GE(std::chrono::steady_clock::now() - start, 50ms);
  relay.answered(cluster.published.at(0).id, true);  // the sender has stored it meanwhile
}

TEST(LiveRelay, ADeadNodeIsGivenUpOnSooner) {
  LiveRelay relay({.answer_timeout = 60s, .gone_after = 50ms});
  RecordingCluster cluster;
  cluster.on_publish = [&](const ClusterEvent&) { relay.node_gone("n2"); };
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(sent(relay, cluster), false) << "not after 60 s";
  EXPECT_GE(std::chrono::steady_clock::now() - start, 50ms) << "no sooner than gone_after";
}

}  // namespace live_relay_test
}  // namespace edgehub::hub
