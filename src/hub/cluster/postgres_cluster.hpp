#pragma once
// The cluster on PostgreSQL (docs/CLUSTER.md#the-node-registry-and-its-lease,
// docs/CLUSTER.md#logins-across-nodes). One CLUSTER thread with its own
// database connection (the store thread's transactions never wait behind
// it, nor it behind them) runs, in order:
//   - the jobs the hub queues (claim and release of a login, resume
//     tokens: cluster_tokens.hpp, swarm announcements: swarm_table.hpp),
//     at once;
//   - every lease/3, a round: renew this node's row, delete the rows whose
//     lease ran out (with their logins), the expired resume tokens and the
//     swarm manifests nobody announces any more, and
//     take a new snapshot of the live nodes, logging who joined and who is
//     gone;
//   - the NOTIFY of this node's events, in the order they were published,
//     after each batch of jobs, in one transaction.
// A second thread (EventListener) receives the other nodes' events.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "hub/cluster/cluster.hpp"
#include "hub/cluster/cluster_tokens.hpp"
#include "hub/cluster/event_listener.hpp"
#include "hub/cluster/login_table.hpp"
#include "hub/cluster/node_registry.hpp"
#include "hub/cluster/swarm_table.hpp"
#include "store/postgres/pg_connection.hpp"

namespace edgehub::hub {

class PostgresCluster final : public Cluster {
 public:
  // Connects at once (throws if it cannot).
  PostgresCluster(const std::string& database_url, ClusterConfig config);
  ~PostgresCluster() override;
  PostgresCluster(const PostgresCluster&) = delete;
  PostgresCluster& operator=(const PostgresCluster&) = delete;

  void start(const std::string& addresses, ClusterEvents& events) override;
  void stop() override;
  bool spans_nodes() const override { return true; }
  const std::string& node_id() const override { return self_.id; }
  std::vector<NodeInfo> live_nodes() const override;
  bool database_reachable() const override { return !unreachable_.load(std::memory_order_relaxed); }
  void claim(DeviceClaim claim, ClaimDone done) override;
  void release(std::string account, Done done) override;
  void release_all() override;
  void update_udp_key(std::string account, std::string key) override;
  void announce_swarm(SwarmShare share) override;
  void withdraw_swarm(std::string account, std::string file) override;
  void announce_have(std::string account, std::string root_hex, std::string chunks, std::string held_hex) override;
  void publish(ClusterEvent event) override;
  void after_queued(std::function<void()> done) override { queue(std::move(done)); }
  ResumeTokenStore* shared_tokens() override { return &tokens_; }

 private:
  using Job = std::function<void()>;
  using Clock = std::chrono::steady_clock;

  void queue(Job job);
  // Queues this node's event; send_events() NOTIFYs the queued ones, after
  // each batch of jobs. Both on the cluster thread (or before it runs).
  void to_send(ClusterEvent event);
  void send_events();
  void run();  // the cluster thread
  // Waits for jobs, the next round or stop(); false once stopped and drained.
  bool next_jobs(std::deque<Job>& jobs, Clock::time_point round_due);
  void guarded_round();
  void database_lost(std::string_view noticed_by, std::string_view why);  // cluster thread
  void round();                                                           // renew, reap (nodes, tokens), look
  void renew_or_enter();                                                  // renew; enter again if the row was reaped
  // Takes this node's liveness lock (node_registry.hpp) if the connection
  // does not hold it: at start-up, and after the connection was opened again.
  void keep_liveness_lock();
  // Takes it if this connection does not hold it yet; false if another
  // session does.
  bool hold_liveness_lock();
  // With a --cluster-node-id: takes the liveness lock, or throws
  // std::runtime_error if another session keeps holding it.
  void refuse_an_id_in_use();
  // The newest progress announce_have left for (account, root), taken
  // away: nullopt if a job before this one wrote it already.
  std::optional<std::string> take_held(const std::string& account, const std::string& root_hex);
  void look();                                     // the new snapshot, and what changed
  void holder_reaped(const std::string& account);  // a claim removed a dead holder's node

  const ClusterConfig config_;
  NodeInfo self_;
  store::PgConnection db_;
  NodeRegistry registry_;
  LoginTable logins_;
  ClusterTokens tokens_;
  SwarmTable swarm_;
  EventListener listener_;
  ClusterEvents* events_ = nullptr;        // set by start()
  std::atomic<bool> unreachable_{false};   // written by the cluster thread: the database was lost (logged once)
  std::uint64_t liveness_generation_ = 0;  // cluster thread only: db_'s generation holding the lock; 0: none
  std::vector<std::string> unsent_;        // cluster thread only: encoded events for send_events()

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;                                            // under mutex_
  std::deque<Job> jobs_;                                             // under mutex_
  std::vector<NodeInfo> live_;                                       // under mutex_
  std::map<std::pair<std::string, std::string>, std::string> held_;  // under mutex_: (account, root) -> newest held_hex
  std::thread thread_;
};

}  // namespace edgehub::hub
