#pragma once
// Direct messages to a device on another node, sent live
// (docs/CLUSTER.md#messages-across-nodes). The message travels in a cluster
// event to the node that holds the recipient, which queues it to the
// recipient's connection and answers. The sender's node stores the message
// instead (the path every cross-node message took before) when that node
// says no (the recipient left, or its stored messages are still being
// delivered and this one must come after them), does not answer within
// 5 s, or is declared dead (then 3.5 s after sending). The database
// is out of the live path: one NOTIFY each way instead of a stored row, a
// fetch and a delete.
//
// Thread-safe: send runs on the sender's connection thread, answered and
// node_gone on the cluster threads.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "hub/cluster/cluster_event.hpp"

namespace edgehub::hub {

class Cluster;

struct LiveRelayWaits {  // shorter in the tests
  // Long enough that a loaded node answers in time; short enough that a
  // sender to a node that hangs waits only this long per message.
  std::chrono::milliseconds answer_timeout{5000};
  // How long after sending a sender gives up when the recipient's node is
  // declared dead (at least LiveRelay::kFreshFor, below).
  std::chrono::milliseconds gone_after{3500};
};

class LiveRelay {
 public:
  using Clock = std::chrono::steady_clock;
  // The recipient's node queues a message only while it is younger than
  // kFreshFor (by the sending node's clock, which the event carries), and
  // the sender gives up no sooner than LiveRelayWaits::gone_after: a
  // message given up and stored is then one the recipient's node declines
  // when it comes late, not one that arrives twice. Only an answer that
  // takes longer than the difference to come back (or clocks further
  // apart) makes a duplicate.
  static constexpr std::chrono::milliseconds kFreshFor{2500};

  // The ids of a run start at microseconds since the epoch, not at 1: a
  // node restarted under the same node id then reuses none of its last
  // run's ids, and a late answer meant for one of those matches nothing.
  static std::int64_t first_id_from_the_clock();

  explicit LiveRelay(LiveRelayWaits waits = {}, std::int64_t first_id = first_id_from_the_clock())
      : waits_(waits), next_id_(first_id) {}

  // Publishes message (a live_message event; its id is set here) and
  // waits for the answer: true if the recipient's node queued it.
  boost::asio::awaitable<bool> send(Cluster& cluster, ClusterEvent message);
  // The answer to message id, from the node it was sent to.
  void answered(std::int64_t id, bool queued);
  // node is dead (its lease ran out): what waits for its answer gives up
  // gone_after (LiveRelayWaits) after it was sent.
  void node_gone(const std::string& node);

 private:
  struct Pending {
    Pending(const boost::asio::any_io_executor& executor, std::string target_node, Clock::duration timeout)
        : timer(executor), target(std::move(target_node)), deadline(sent + timeout) {}
    boost::asio::steady_timer timer;  // wakes the sender: at the deadline, or at once for news
    const std::string target;
    const Clock::time_point sent = Clock::now();
    Clock::time_point deadline;  // under mutex_
    std::optional<bool> answer;  // under mutex_
    bool gone = false;           // under mutex_
  };
  using PendingPtr = std::shared_ptr<Pending>;

  boost::asio::awaitable<std::optional<bool>> wait_for_answer(const PendingPtr& pending);
  static void wake(const PendingPtr& pending);

  const LiveRelayWaits waits_;
  std::mutex mutex_;
  // Weak: the waiting send holds its Pending. A send still waiting when the
  // server stops is destroyed with its io_context, timer and all, and must
  // not leave a timer here to outlive that io_context.
  std::unordered_map<std::int64_t, std::weak_ptr<Pending>> pending_;
  std::int64_t next_id_;  // under mutex_
};

}  // namespace edgehub::hub
