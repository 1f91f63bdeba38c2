#pragma once
// The hub: the server's domain, independent of sockets. The connection
// layer calls on_connect / on_line / on_block / on_disconnect on the
// connection's own thread (checked in debug builds, common/thread_check.hpp);
// commands run as coroutines there. Shared state (presence, lockout,
// tokens, the file repository, the edge data store) lives in thread-safe
// owners below, each built once with the hub; nothing is ever sent while
// one of their locks is held. See docs/ARCHITECTURE.md#threads-and-who-owns-what.
#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "common/heap_trim.hpp"
#include "hub/auth/accounts.hpp"
#include "hub/auth/crl_watch.hpp"
#include "hub/auth/lockout.hpp"
#include "hub/auth/login_gate.hpp"
#include "hub/auth/token_store.hpp"
#include "hub/cluster/single_node.hpp"
#include "hub/core/cluster_link.hpp"
#include "hub/core/command_table.hpp"
#include "hub/core/hub_config.hpp"
#include "hub/core/session.hpp"
#include "hub/core/session_registry.hpp"
#include "hub/edge_data/edge_data_store.hpp"
#include "hub/presence/device_log.hpp"
#include "hub/presence/directory.hpp"
#include "protocol/frame_decoder.hpp"
#include "store/store_queue.hpp"

namespace edgehub::hub {

class Messaging;   // hub/messaging/messaging_service.hpp
class Repository;  // hub/files/repository.hpp
struct RepositoryLimits;
class SwarmTracker;  // hub/p2p/swarm_tracker.hpp

class Hub {
 public:
  Hub(HubConfig config, store::StoreQueue& store, boost::asio::thread_pool& workers,
      std::unique_ptr<Accounts> accounts);
  ~Hub();

  // --- called by the connection layer, on the connection's thread ---
  // Sends the greeting (or "server full"); false means: close after flush.
  bool on_connect(Session& s);
  boost::asio::awaitable<void> on_line(Session& s, std::string_view line);
  boost::asio::awaitable<void> on_block(Session& s, std::string_view block);
  // Returns false if the connection must close.
  bool on_frame_error(Session& s, protocol::FrameError error);
  void on_disconnect(Session& s);

  // --- called by the server's timer: login/idle timeouts and heartbeat ---
  void sweep();
  // Asks the store whether another process (`edgehubd user`) changed the
  // accounts; if so swaps them in, lifts requested blocks and logs out
  // devices whose account is gone (hub/auth/account_reload.cpp).
  void reload_accounts_if_changed();
  // The web console's accounts page (hub/auth/account_admin.cpp): the same
  // writes as `edgehubd user passwd|del`, on the store thread, applied to
  // the running hub at once (its own writes do not trigger a reload): a
  // deleted account that is online is logged out. False: no such account.
  // The hash is made by the caller, on a worker (run_blocking).
  boost::asio::awaitable<bool> set_password_hash(const std::string& name, const std::string& hash);
  boost::asio::awaitable<bool> delete_account(const std::string& name);
  // The database's data_version when the accounts given to the constructor
  // were loaded: changes after it are noticed. Call before serving.
  void accounts_loaded_at(std::int64_t data_version) { data_version_ = data_version; }
  // The serials of revoked device certificates, from the store at start-up;
  // reloaded with the accounts (docs/SECURITY.md#device-certificates).
  void set_revoked_certificates(const std::vector<std::string>& serials);
  // --client-crl: the revocations read at start-up (tls::revocation_key()s)
  // and how to read the file again when it changes (hub/auth/crl_reload.cpp).
  void watch_client_crl(std::unique_ptr<CrlWatch> watch, std::unordered_set<std::string> revoked);
  // Tells every client the server is going away and closes them. From then
  // on the logouts it causes are not announced: each client has its !BYE.
  void shutdown_all(std::string_view reason);
  bool shutting_down() const { return shutting_down_.load(); }
  // Once the network threads have stopped, before their io_contexts go:
  // the connections of the devices still listed (the shutdown's grace ran
  // out before they closed) are destroyed now, while their timers' and
  // sockets' services exist. Held until the Hub's own destruction, after
  // the io_contexts', they damaged the heap (found by
  // bench/cluster_scale_bench.sh under ASan).
  void let_go_of_connections();

  // --- services for command handlers ---
  // The configuration in force. A reload installs a new snapshot and keeps
  // the old ones until the hub ends (a few hundred bytes per SIGHUP that
  // changed a limit), so a reference taken here never dangles.
  const HubConfig& config() const { return *config_.load(std::memory_order_acquire); }
  // SIGHUP (app/daemon/reload.cpp): change edits a copy of the configuration
  // in force, which is then installed, and its limits handed to their owners
  // (lockout, repository, messaging, swarm, abuse limits). The caller
  // decides which fields may change; the timeouts are read from config() at
  // every check, so they follow too. hub/core/hub_reconfigure.cpp.
  void reconfigure(const std::function<void(HubConfig&)>& change);
  // The repository's limits in a configuration: at the start and at every reconfigure.
  static RepositoryLimits repository_limits(const HubConfig& config);
  const CommandTable& commands() const { return commands_; }
  Directory& directory() { return directory_; }
  Lockout& lockout() { return lockout_; }
  LoginGate& login_gate() { return login_gate_; }
  AbuseLimits& abuse() { return abuse_; }
  // The current set; hold the pointer across a verification (it may be
  // swapped meanwhile by reload_accounts_if_changed).
  std::shared_ptr<const Accounts> accounts() const;
  // Resume tokens: the cluster's shared table with several nodes
  // (docs/CLUSTER.md#resume-tokens-across-nodes), this node's memory alone.
  ResumeTokenStore& tokens() {
    ResumeTokenStore* shared = cluster_->shared_tokens();
    return shared ? *shared : tokens_;
  }
  // Revoked by `edgehubd ca revoke` (its serial) or by a --client-crl CRL
  // (its issuer and serial).
  bool certificate_revoked(const tls::PeerCertificate& cert) const;
  store::StoreQueue& store() { return store_; }
  boost::asio::thread_pool& workers() { return workers_; }
  SystemTime started_at() const { return started_; }
  std::size_t connection_count() const { return connections_.load(); }
  Messaging& messaging() { return *messaging_; }
  // Both block on disk: use them through run_blocking, never on a network thread.
  Repository& repository() { return *repository_; }
  const EdgeDataStore& edge_data() const { return edge_data_; }
  SwarmTracker& swarm() { return *swarm_; }
  // The other nodes and the cluster-wide logins (docs/CLUSTER.md); a
  // SingleNode unless use_cluster gave another before serving.
  Cluster& cluster() { return *cluster_; }
  void use_cluster(Cluster& cluster) { cluster_ = &cluster; }
  // What the other nodes' events do here; given to Cluster::start.
  ClusterEvents& cluster_events() { return cluster_link_; }
  // Whether s's login is in the cluster's tables (a guest's never is; a
  // single node has none): its logins, swarm announcements and haves are
  // told to the other nodes.
  bool claims_in_cluster(const Session& s) const { return !s.is_guest && cluster_->spans_nodes(); }
  // Presence changed: edge-device-log.txt is rewritten soon.
  void device_log_changed() { device_log_.changed(); }

  // Registers s as logged in as name. False if name is already online.
  bool complete_login(Session& s, const std::string& name, int udp_port);
  // Gives a logged-in session without one its UDP port (guests: `udpport`).
  // False if it has one already.
  bool set_udp_port(Session& s, int udp_port);
  // Registers the session's public key for encrypted UDP transfers (`udpkey`).
  bool set_udp_key(Session& s, const std::string& key);
  // Sends "!EVENT text" to name through the cluster if name is online on
  // another node (docs/CLUSTER.md#peer-to-peer-across-nodes); false if not.
  bool relay_event(const std::string& name, std::string_view event, std::string_view text);
  // Takes a logged-in session off the directory, stores the logout and tells
  // the others; once only (OUT does it before "+OK Bye", so the name is free
  // when the client reads Bye; the disconnect then finds nothing to do).
  void end_login(Session& s);
  // Sends "!EVENT subject" to everyone online but subject and those whom
  // subject has blocked.
  void announce(const std::string& subject, std::string_view event);
  // True if subject has blocked viewer, so viewer must not see subject.
  bool hides(const std::string& subject, const std::string& viewer) const;
  // Everyone viewer must not see (who blocked viewer): one lock for a list.
  std::unordered_set<std::string> hidden_from(const std::string& viewer) const;

 private:
  // Counts s (hub/abuse/abuse_limits.hpp) or says why it may not connect.
  std::optional<Refusal> register_session(Session& s);
  void unregister_session(Session& s);
  void sweep_one(Session& s, Peer& peer, SteadyMillis now);
  void record_logout(Session& s, SystemTime at);
  void withdraw_swarm(Session& s);  // hub/p2p/swarm_handlers.cpp
  // Tells the other nodes of a login or its end (not of guests: their
  // names are per node).
  void publish_presence(const Session& s, ClusterEvent::Kind kind, SystemTime at);

  std::deque<HubConfig> configs_;  // every snapshot, the one in force last; under reconfigure_mutex_
  std::atomic<const HubConfig*> config_;
  std::mutex reconfigure_mutex_;
  store::StoreQueue& store_;
  boost::asio::thread_pool& workers_;
  mutable std::mutex accounts_mutex_;
  std::shared_ptr<const Accounts> accounts_;
  std::shared_ptr<const std::unordered_set<std::string>> revoked_;      // under accounts_mutex_
  std::shared_ptr<const std::unordered_set<std::string>> crl_revoked_;  // under accounts_mutex_
  std::shared_ptr<CrlWatch> crl_watch_;                                 // set before serving
  std::atomic<bool> reload_pending_{false};
  std::optional<std::int64_t> data_version_;  // store thread only
  struct AccountChanges {
    std::vector<store::Account> accounts;
    std::vector<std::string> unlocks;
    std::vector<std::string> revoked;
  };
  void apply_account_changes(AccountChanges changes);
  boost::asio::awaitable<bool> change_account(std::function<bool(store::Store&)> write);
  void log_out_revoked();
  void reload_crl_if_changed();
  void check_crl(CrlWatch& watch);
  Lockout lockout_;
  LoginGate login_gate_;
  AbuseLimits abuse_;
  MemoryTokenStore tokens_;
  Directory directory_;
  DeviceLog device_log_;
  // The device log's next rewrite waits on it, on a worker. Declared after
  // the log, so destroyed first: a rewrite still waiting is cancelled
  // before the log it would write goes.
  boost::asio::steady_timer device_log_timer_{workers_};
  CommandTable commands_;
  // Shared (not unique) because an upload in progress keeps its repository.
  std::shared_ptr<Repository> repository_;
  EdgeDataStore edge_data_;
  std::unique_ptr<SwarmTracker> swarm_;
  SingleNode single_node_;
  Cluster* cluster_ = &single_node_;
  ClusterLink cluster_link_{*this};
  SystemTime started_;
  std::atomic<std::size_t> connections_{0};
  std::atomic<std::uint64_t> guests_{0};
  std::atomic<bool> shutting_down_{false};

  SessionRegistry sessions_;
  // Connections opened and closed, logins and logouts: when it stops
  // moving, the sweeper gives the burst's freed heap back (common/heap_trim.hpp).
  std::atomic<std::uint64_t> churn_{0};
  HeapTrimPolicy heap_trim_;              // the sweeper's
  std::unique_ptr<Messaging> messaging_;  // last: it uses the members above
};

}  // namespace edgehub::hub
