#include "hub/cluster/postgres_cluster.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <stdexcept>
#include <thread>

#include "common/time_format.hpp"
#include "hub/cluster/cluster_notify.hpp"
#include "hub/cluster/event_log.hpp"
#include "hub/cluster/node_id.hpp"

namespace edgehub::hub {
namespace {

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
      swarm_(db_),
      listener_(database_url, self_.id, config.renew_every()) {}

PostgresCluster::~PostgresCluster() { stop(); }

void PostgresCluster::start(const std::string& addresses, ClusterEvents& events) {
  self_.addresses = addresses;
  events_ = &events;
  // A previous run of this node (same data directory, so surely gone) may
  // have left its row and logins: taken back at once (node_id.hpp). The
  // others may not have seen it gone (a restart within lease/3), so they
  // are told of each of its logins' end.
  if (config_.node_id_chosen) refuse_an_id_in_use();
  keep_liveness_lock();  // before the row: a row without it may look dead
  const auto previous_logins = logins_.held();
  if (registry_.leave(self_.id)) {
    spdlog::info("cluster: the logins of this node's previous run are released");
    for (const auto& account : previous_logins) to_send(logout_event(account));
    send_events();
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
      const auto claimed = logins_.claim(device);
      won = claimed.won;
      if (claimed.reaped) holder_reaped(device.account);
    } catch (const std::exception& e) {
      error = std::current_exception();
      if (db_.lost()) database_lost("a login's claim", e.what());
    }
    done(error, won);
  });
}

// This node learns of the death now rather than at its next round; the
// others at theirs, since the row is gone (docs/CLUSTER.md#a-dead-nodes-logins-are-free-at-once).
void PostgresCluster::holder_reaped(const std::string& account) {
  spdlog::warn(
      "cluster: {}'s login was held by a dead node (its lease over or its database session gone); "
      "that node's row and logins are removed",
      account);
  try {
    look();
  } catch (const std::exception& e) {
    spdlog::warn("cluster: cannot read the live nodes: {}", e.what());
  }
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

void PostgresCluster::release_all() {
  queue([this] {
    try {
      logins_.release_all();
    } catch (const std::exception& e) {
      spdlog::warn("cluster: could not release this node's logins at shutdown ({}); they go with its row", e.what());
    }
  });
}

void PostgresCluster::update_udp_key(std::string account, std::string key) {
  queue([this, account = std::move(account), key = std::move(key)]() mutable {
    try {
      logins_.set_udp_key(account, key);
    } catch (const std::exception& e) {
      // The event below still tells the nodes running now; only a node
      // that reads the snapshot later sees the old key.
      spdlog::warn("cluster: could not record {}'s new udpkey: {}", account, e.what());
    }
    to_send({.kind = ClusterEvent::Kind::udp_key, .name = std::move(account), .key = std::move(key)});
  });
}

void PostgresCluster::announce_swarm(SwarmShare share) {
  queue([this, share = std::move(share)] {
    try {
      if (!swarm_.record(share)) return;  // the login ended (or was never claimed): nothing to tell
    } catch (const std::exception& e) {
      // The event still tells the nodes running now; a node that reads the
      // snapshot later does not see this announcement.
      spdlog::warn("cluster: could not record {}'s swarm announcement of {}: {}", share.account, share.file, e.what());
    }
    to_send({.kind = ClusterEvent::Kind::swarm_share,
             .name = share.account,
             .other = share.manifest->root_hex(),
             .on = share.complete,
             .text = share.file});
  });
}

void PostgresCluster::withdraw_swarm(std::string account, std::string file) {
  queue([this, account = std::move(account), file = std::move(file)]() mutable {
    try {
      swarm_.erase(account, file);
    } catch (const std::exception& e) {
      spdlog::warn("cluster: could not remove {}'s swarm announcement of {}: {}", account, file, e.what());
    }
    to_send({.kind = ClusterEvent::Kind::swarm_unshare, .name = std::move(account), .text = std::move(file)});
  });
}

void PostgresCluster::announce_have(std::string account, std::string root_hex, std::string chunks,
                                    std::string held_hex) {
  {
    std::lock_guard lock(mutex_);
    held_[{account, root_hex}] = std::move(held_hex);
  }
  queue([this, account = std::move(account), root_hex = std::move(root_hex), chunks = std::move(chunks)]() mutable {
    // A downloader may send several haves a second: while the database is
    // slow, only the newest of those waiting is written.
    if (const auto held = take_held(account, root_hex)) try {
        swarm_.record_held(account, root_hex, *held);
      } catch (const std::exception& e) {
        // The event still tells the nodes running now.
        spdlog::warn("cluster: could not record {}'s swarm progress: {}", account, e.what());
      }
    to_send({.kind = ClusterEvent::Kind::swarm_have,
             .name = std::move(account),
             .other = std::move(root_hex),
             .text = std::move(chunks)});
  });
}

std::optional<std::string> PostgresCluster::take_held(const std::string& account, const std::string& root_hex) {
  std::lock_guard lock(mutex_);
  const auto it = held_.find({account, root_hex});
  if (it == held_.end()) return std::nullopt;
  auto held = std::move(it->second);
  held_.erase(it);
  return held;
}

void PostgresCluster::publish(ClusterEvent event) {
  queue([this, event = std::move(event)]() mutable { to_send(std::move(event)); });
}

void PostgresCluster::to_send(ClusterEvent event) {
  event.node = self_.id;
  std::string payload = encode_cluster_event(event);
  if (payload.size() > kMaxClusterPayload) {  // a message line is at most 4,096 bytes: not expected
    spdlog::error("cluster: an event of {} bytes is over NOTIFY's limit; not sent", payload.size());
    return;
  }
  unsent_.push_back(std::move(payload));
}

// One transaction for every event the last jobs produced (cluster_notify.hpp).
void PostgresCluster::send_events() { notify_cluster(db_, unsent_, "tell the other nodes of its events"); }

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
    send_events();
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
    if (unreachable_.exchange(false)) spdlog::info("cluster: the database answers again");
  } catch (const std::exception& e) {
    database_lost("the lease round", e.what());
  }
}

// From now until a round succeeds, new connections are greeted with 503
// (kDatabaseAway), which takes the node out of a load balancer's rotation.
// A lost connection noticed by a login's claim counts at once, not at the
// next round (up to lease/3 later). Logged once per outage; the next round
// reconnects (PgConnection).
void PostgresCluster::database_lost(std::string_view noticed_by, std::string_view why) {
  if (!unreachable_.exchange(true))
    spdlog::warn(
        "cluster: the database cannot be reached ({}: {}); new connections are turned away until a "
        "lease round succeeds, tried every {} ms",
        noticed_by, why, config_.renew_every().count());
}

void PostgresCluster::round() {
  keep_liveness_lock();
  renew_or_enter();
  for (const auto& dead : registry_.reap_expired())
    spdlog::warn("cluster: node {} ({}) is dead: its lease ran out at {} UTC; its row and its logins are removed",
                 dead.id, dead.addresses, dead.lease_until);
  tokens_.reap_expired();
  swarm_.reap_unused_manifests();
  prune_event_log(db_);
  look();
}

void PostgresCluster::renew_or_enter() {
  if (registry_.renew(self_.id, config_.lease)) return;
  // Its logins went with the row: the hub claims them again, and logs out
  // here a device whose account another node admitted meanwhile
  // (docs/CLUSTER.md#a-dead-nodes-logins-are-free-at-once).
  spdlog::warn(
      "cluster: another node removed this node's row (its lease ran out, or its database session was gone); "
      "registering again and claiming its logins again");
  registry_.enter(self_, config_.lease);
  if (events_) events_->on_rejoined();
}

// A chosen id may be another running node's by mistake: then that node
// holds the id's liveness lock, and taking its row would end its logins.
// The lock of a run just killed is free within moments (PostgreSQL ends
// the session when the connection closes), so a few tries tell the two
// apart.
void PostgresCluster::refuse_an_id_in_use() {
  constexpr int kTries = 10;
  constexpr auto kPause = std::chrono::milliseconds(300);
  for (int attempt = 0; attempt < kTries; ++attempt) {
    if (attempt > 0) std::this_thread::sleep_for(kPause);
    if (hold_liveness_lock()) return;
  }
  throw std::runtime_error(fmt::format(
      "cluster: node id {} is in use: another database session holds its liveness lock (a running node with "
      "the same --cluster-node-id, or a previous run's session that PostgreSQL has not ended yet); give each "
      "node its own id (docs/CLUSTER.md#choosing-node-ids)",
      self_.id));
}

bool PostgresCluster::hold_liveness_lock() {
  if (liveness_generation_ == db_.generation()) return true;  // held on this connection
  if (!registry_.hold_liveness_lock(self_.id)) return false;
  liveness_generation_ = db_.generation();
  return true;
}

void PostgresCluster::keep_liveness_lock() {
  if (hold_liveness_lock()) return;
  // Not dangerous: whoever holds it makes this node look alive, as it is.
  spdlog::warn(
      "cluster: another database session holds this node's liveness lock (a previous run's connection "
      "not closed yet?); trying again in {} ms",
      config_.renew_every().count());
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
