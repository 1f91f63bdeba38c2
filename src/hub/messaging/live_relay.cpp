#include "hub/messaging/live_relay.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/metrics/catalog.hpp"
#include "hub/cluster/cluster.hpp"

namespace edgehub::hub {

namespace asio = boost::asio;

std::int64_t LiveRelay::first_id_from_the_clock() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

asio::awaitable<bool> LiveRelay::send(Cluster& cluster, ClusterEvent message) {
  auto pending = std::make_shared<Pending>(co_await asio::this_coro::executor, message.target, waits_.answer_timeout);
  std::int64_t id = 0;
  {
    std::lock_guard lock(mutex_);
    id = message.id = next_id_++;
    pending_[id] = pending;
  }
  const std::string to = message.name;
  cluster.publish(std::move(message));
  const std::optional<bool> answer = co_await wait_for_answer(pending);
  bool gone = false;
  {
    std::lock_guard lock(mutex_);
    pending_.erase(id);
    gone = pending->gone;
  }
  auto& metrics = metrics::server_metrics();
  if (!answer) {
    metrics.cluster_live_unanswered->inc();
    spdlog::warn("cluster: no answer from node {} for a message to {} ({}); it is stored instead", pending->target, to,
                 gone ? "the node is dead" : fmt::format("not within {} ms", waits_.answer_timeout.count()));
  } else if (!*answer) {
    metrics.cluster_live_declined->inc();
  }
  co_return answer.value_or(false);
}

// Waits until the answer or the deadline, which node_gone may bring
// forward. News wakes the timer by cancelling it (posted to this executor:
// it may come before the wait starts, and then the loop sees it).
asio::awaitable<std::optional<bool>> LiveRelay::wait_for_answer(const PendingPtr& pending) {
  for (;;) {
    Clock::time_point deadline;
    {
      std::lock_guard lock(mutex_);
      if (pending->answer || Clock::now() >= pending->deadline) co_return pending->answer;
      deadline = pending->deadline;
    }
    pending->timer.expires_at(deadline);
    co_await pending->timer.async_wait(asio::as_tuple(asio::use_awaitable));
  }
}

// Called with mutex_ held, by a thread other than the sender's: the strong
// reference the caller took is dropped before the mutex is released, and
// the posted cancel holds only a weak one. Otherwise this thread could hold
// the last reference after the sender finished, and destroy the timer
// after its io_context (ASan found it in the unit test). While the mutex
// is held the sender cannot finish (it erases its entry under it), so its
// io_context is still there to post to.
void LiveRelay::wake(const PendingPtr& pending) {
  asio::post(pending->timer.get_executor(), [weak = std::weak_ptr<Pending>(pending)] {
    if (const auto alive = weak.lock()) alive->timer.cancel();
  });
}

void LiveRelay::answered(std::int64_t id, bool queued) {
  std::lock_guard lock(mutex_);
  const auto it = pending_.find(id);
  if (it == pending_.end()) return;  // answered after the sender gave up: the message was stored too
  const PendingPtr pending = it->second.lock();
  if (!pending) return;  // the server is stopping
  pending->answer = queued;
  wake(pending);
}

void LiveRelay::node_gone(const std::string& node) {
  std::lock_guard lock(mutex_);
  for (const auto& [id, weak] : pending_) {
    const PendingPtr pending = weak.lock();
    if (!pending || pending->target != node || pending->answer) continue;
    pending->gone = true;
    pending->deadline = std::min(pending->deadline, pending->sent + waits_.gone_after);
    wake(pending);
  }
}

}  // namespace edgehub::hub
