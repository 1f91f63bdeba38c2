#include "hub/cluster/postgres_cluster.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "common/time_format.hpp"
#include "hub/cluster/node_id.hpp"

namespace edgehub::hub {
namespace {

constexpr store::PgStatement kNotify{"cluster_notify", "SELECT pg_notify('edgehub_cluster', $1)"};

bool has_node(const std::vector<NodeInfo>& nodes, const std::string& id) {
  return std::any_of(nodes.begin(), nodes.end(), [&](const NodeInfo& n) { return n.id == id; });
}

ClusterEvent logout_event(const std::string& account) {
  return {.kind = ClusterEvent::Kind::logout, .name = account, .time = to_unix_ms(std::chrono::system_clock::now())};
}

}  // namespace

PostgresCluster::PostgresCluster(const std::string& database_url, ClusterConfig config)
    : config_(config),
      self_{config.node_id.empty() ? new_node_id() : config.node_id, {}, {}, {}},
      db_(database_url),
      registry_(db_),
      logins_(db_, self_.id),
      tokens_([this](std::function<void()> job) { queue(std::move(job)); }, db_, logins_, config.token_lifetime),
      listener_(database_url, self_.id, config.renew_every()) {}

PostgresCluster::~PostgresCluster() { stop(); }

void PostgresCluster::start(const std::string& addresses, ClusterEvents& events) {
  self_.addresses = addresses;
  events_ = &events;
  // A previous run of this node (same data directory, so surely gone) may
  // have left its row and logins: taken back at once (node_id.hpp). The
  // others may not have seen it gone (a restart within lease/3), so they
  // are told of each of its logins' end.
  const auto previous_logins = logins_.held();
  if (registry_.leave(self_.id)) {
    spdlog::info("cluster: the logins of this node's previous run are released");
    for (const auto& account : previous_logins) notify_now(logout_event(account));
  }
  registry_.enter(self_, config_.lease);
  spdlog::info("cluster: this node is {} ({}); lease {} s, renewed every {} ms; a dead node is gone within {} ms",
               self_.id, self_.addresses, config_.lease.count(), config_.renew_every().count(),
               config_.death_bound().count());
  look();
  listener_.start(events);  // who is online elsewhere, before the first client
  thread_ = std::thread([this] { run(); });
}

void PostgresCluster::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  wake_.notify_all();
  listener_.stop();
  if (!thread_.joinable()) return;  // never started: no row to remove
  thread_.join();
  try {
    registry_.leave(self_.id);  // its logins go with it (ON DELETE CASCADE)
    spdlog::info("cluster: node {} left the cluster", self_.id);
  } catch (const std::exception& e) {
    spdlog::warn("cluster: could not remove this node's row ({}); the others drop it when its lease runs out",
                 e.what());
  }
}

std::vector<NodeInfo> PostgresCluster::live_nodes() const {
  std::lock_guard lock(mutex_);
  return live_;
}

void PostgresCluster::claim(DeviceClaim device, ClaimDone done) {
  queue([this, device = std::move(device), done = std::move(done)] {
    std::exception_ptr error;
    bool won = false;
    try {
      won = logins_.claim(device);
    } catch (...) {
      error = std::current_exception();
    }
    done(error, won);
  });
}

void PostgresCluster::release(std::string account, Done done) {
  queue([this, account = std::move(account), done = std::move(done)] {
    std::exception_ptr error;
    try {
      logins_.release(account);
    } catch (const std::exception& e) {
      // Not lost for good: the row goes with this node's row when it stops
      // or dies; until then the account cannot log in on another node.
      spdlog::warn("cluster: could not release {}'s login: {}", account, e.what());
      error = std::current_exception();
    }
    if (done) done(error);
  });
}

void PostgresCluster::publish(ClusterEvent event) {
  queue([this, event = std::move(event)]() mutable { notify_now(std::move(event)); });
}

void PostgresCluster::notify_now(ClusterEvent event) {
  event.node = self_.id;
  const std::string payload = encode_cluster_event(event);
  if (payload.size() > kMaxClusterPayload) {  // a message line is at most 4,096 bytes: not expected
    spdlog::error("cluster: an event of {} bytes is over NOTIFY's limit; not sent", payload.size());
    return;
  }
  try {
    db_.run(kNotify, {payload});
  } catch (const std::exception& e) {
    spdlog::warn("cluster: could not tell the other nodes ({}): {}", payload.substr(0, 1), e.what());
  }
}

void PostgresCluster::queue(Job job) {
  {
    std::lock_guard lock(mutex_);
    jobs_.push_back(std::move(job));
  }
  wake_.notify_one();
}

void PostgresCluster::run() {
  auto round_due = Clock::now() + config_.renew_every();
  std::deque<Job> jobs;
  while (next_jobs(jobs, round_due)) {
    for (auto& job : jobs) job();
    jobs.clear();
    if (Clock::now() < round_due) continue;
    guarded_round();
    round_due = Clock::now() + config_.renew_every();
  }
}

// Jobs queued before stop() still run (their callers are waiting for an
// answer); the claims they make go with this node's row when it leaves.
bool PostgresCluster::next_jobs(std::deque<Job>& jobs, Clock::time_point round_due) {
  std::unique_lock lock(mutex_);
  wake_.wait_until(lock, round_due, [this] { return stopping_ || !jobs_.empty(); });
  if (stopping_ && jobs_.empty()) return false;
  jobs.swap(jobs_);
  return true;
}

void PostgresCluster::guarded_round() {
  try {
    round();
    if (std::exchange(unreachable_, false)) spdlog::info("cluster: the database answers again");
  } catch (const std::exception& e) {
    // Logged once per outage; the next round reconnects (PgConnection).
    if (!std::exchange(unreachable_, true))
      spdlog::warn("cluster: cannot renew this node's lease: {}; retrying every {} ms", e.what(),
                   config_.renew_every().count());
  }
}

void PostgresCluster::round() {
  renew_or_enter();
  for (const auto& dead : registry_.reap_expired())
    spdlog::warn("cluster: node {} ({}) is dead: its lease ran out at {} UTC; its row and its logins are removed",
                 dead.id, dead.addresses, dead.lease_until);
  tokens_.reap_expired();
  look();
}

void PostgresCluster::renew_or_enter() {
  if (registry_.renew(self_.id, config_.lease)) return;
  // Its logins went with the row: until the hub claims them again (not
  // done yet, docs/CLUSTER.md#what-is-not-there-yet) another node may
  // admit the same accounts.
  spdlog::warn("cluster: this node's lease had run out and another node removed its row; registering again");
  registry_.enter(self_, config_.lease);
}

void PostgresCluster::look() {
  auto now = registry_.live_nodes();
  std::vector<NodeInfo> before;
  {
    std::lock_guard lock(mutex_);
    before = std::exchange(live_, now);
  }
  for (const auto& n : now)
    if (n.id != self_.id && !has_node(before, n.id)) spdlog::info("cluster: node {} ({}) is alive", n.id, n.addresses);
  for (const auto& n : before) {
    if (n.id == self_.id || has_node(now, n.id)) continue;
    spdlog::info("cluster: node {} is gone", n.id);
    if (events_) events_->on_node_gone(n.id);
  }
}

}  // namespace edgehub::hub
