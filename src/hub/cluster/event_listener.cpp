#include "hub/cluster/event_listener.hpp"

#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>

#include "common/errno_error.hpp"
#include "hub/cluster/swarm_table.hpp"

namespace edgehub::hub {
namespace {

using store::PgStatement;

constexpr PgStatement kOthersOnline{
    "cluster_others_online",
    "SELECT account, node_id, ip, udp_port, (extract(epoch FROM login_at) * 1000)::bigint, udp_key "
    "FROM cluster_sessions WHERE node_id <> $1 ORDER BY login_at"};

std::vector<RemoteDevice> others_online(store::PgConnection& db, const std::string& self) {
  const auto rows = db.run(kOthersOnline, {self});
  std::vector<RemoteDevice> devices;
  devices.reserve(static_cast<std::size_t>(rows.rows()));
  for (int r = 0; r < rows.rows(); ++r)
    devices.push_back({rows.text(r, 1), rows.text(r, 0), rows.text(r, 2), static_cast<int>(rows.int64(r, 3)),
                       rows.int64(r, 4), rows.text(r, 5)});
  return devices;
}

constexpr PgStatement kAllBlocks{"cluster_all_blocks", "SELECT blocker, blocked FROM blocks"};

// Devices online here for whom messages are stored: a kick for them may
// have been sent while this node was not listening.
constexpr PgStatement kWaitingHere{
    "cluster_waiting_here",
    "SELECT s.account FROM cluster_sessions s JOIN offline_counts c ON c.recipient = s.account "
    "WHERE s.node_id = $1 AND c.n > 0"};

std::vector<std::pair<std::string, std::string>> all_blocks(store::PgConnection& db) {
  const auto rows = db.run(kAllBlocks);
  std::vector<std::pair<std::string, std::string>> blocks;
  blocks.reserve(static_cast<std::size_t>(rows.rows()));
  for (int r = 0; r < rows.rows(); ++r) blocks.emplace_back(rows.text(r, 0), rows.text(r, 1));
  return blocks;
}

// The session's name in pg_stat_activity, so that an operator (or a test)
// can tell this connection from the node's others.
std::string name_the_session(const std::string& self) {
  std::string quoted;
  for (char c : "edgehub events " + self) quoted += c == '\'' ? std::string("''") : std::string(1, c);
  return "SET application_name = '" + quoted + "'";
}

}  // namespace

EventListener::EventListener(const std::string& database_url, std::string self_id,
                             std::chrono::milliseconds retry_every)
    : self_(std::move(self_id)), retry_every_(retry_every), db_(database_url) {
  wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (wake_fd_ < 0) throw_errno("eventfd");
}

EventListener::~EventListener() {
  stop();
  ::close(wake_fd_);
}

void EventListener::start(ClusterEvents& events) {
  events_ = &events;
  listen_and_snapshot();
  missed_.start(db_);
  thread_ = std::thread([this] { run(); });
}

void EventListener::stop() {
  if (stopping_.exchange(true)) return;
  const std::uint64_t one = 1;
  if (::write(wake_fd_, &one, sizeof one) < 0) spdlog::debug("cluster: could not wake the event listener");
  if (thread_.joinable()) thread_.join();
}

// LISTEN first, then the snapshot: an event sent between the two arrives
// after the snapshot and is applied on top of it, so none falls between.
void EventListener::listen_and_snapshot() {
  db_.exec(name_the_session(self_) + "; LISTEN " + kClusterChannel);
  events_->on_snapshot(others_online(db_, self_));
  events_->on_swarm_snapshot(SwarmTable(db_).others(self_));
}

// After a loss, what the missed events would have changed and the database
// holds: the blocks (read again until no local change crossed the read),
// and the stored messages of devices online here (kicked, as the sender's
// node did). Broadcasts, failed logins, relays and swarm haves sent
// meanwhile stay lost (docs/CLUSTER.md#events-between-nodes).
void EventListener::catch_up() {
  for (int attempt = 0; attempt < 3; ++attempt) {
    const auto version = events_->blocks_version();
    if (events_->on_blocks_snapshot(all_blocks(db_), version)) break;
  }
  const auto waiting = db_.run(kWaitingHere, {self_});
  for (int r = 0; r < waiting.rows(); ++r)
    events_->on_event({.kind = ClusterEvent::Kind::kick, .node = self_, .name = waiting.text(r, 0)});
  if (waiting.rows() > 0) spdlog::info("cluster: {} device(s) here have stored messages; delivering", waiting.rows());
  const auto missed = missed_.missed(db_);
  if (!missed.empty())
    spdlog::info("cluster: {} broadcast(s) and failed login(s) sent meanwhile; passing them on", missed.size());
  dispatch(missed);
}

void EventListener::run() {
  while (!stopping_.load()) {
    try {
      if (lost_) {
        listen_and_snapshot();
        // Logged before the catch-up's kicks deliver anything, so whoever
        // sees a stored message arrive also finds this line in the log.
        lost_ = false;
        spdlog::info("cluster: listening to the other nodes' events again");
        catch_up();
      }
      dispatch(db_.notifications());
      if (!wait_for_input(db_.socket())) return;
    } catch (const std::exception& e) {
      if (!std::exchange(lost_, true))
        spdlog::warn("cluster: lost the other nodes' events: {}; retrying every {} ms", e.what(), retry_every_.count());
      pause_after_failure();
    }
  }
}

void EventListener::dispatch(const std::vector<std::string>& payloads) {
  for (const auto& notified : payloads) {
    const auto payload = missed_.live(notified);
    if (!payload) continue;  // read by the catch-up already
    const auto event = decode_cluster_event(*payload);
    if (!event) {
      spdlog::warn("cluster: ignored a malformed event ({} bytes)", payload->size());
      continue;
    }
    if (event->node == self_) continue;
    if (event->kind == ClusterEvent::Kind::swarm_share)
      hand_over_share(*event);
    else if (event->kind == ClusterEvent::Kind::live_message)
      live_message(*event);
    else
      events_->on_event(*event);
  }
  send_answers();
}

void EventListener::live_message(const ClusterEvent& message) {
  if (message.target != self_) return;  // for another node
  const bool queued = events_->on_live_message(message);
  answers_.push_back(encode_cluster_event(
      {.kind = ClusterEvent::Kind::live_answer, .node = self_, .name = message.node, .on = queued, .id = message.id}));
}

// A failure is logged, not retried: the senders store their messages when
// no answer comes, and a recipient whose message was queued here may then
// get it twice (docs/CLUSTER.md#what-is-not-there-yet).
void EventListener::send_answers() { notify_cluster(db_, answers_, "answer live messages"); }

// The manifest is read here, on the listener's connection: ClusterEvents
// never waits for the database. Events after this one wait behind it, so
// a have for this root never arrives before the root is known.
void EventListener::hand_over_share(const ClusterEvent& event) {
  auto manifest = events_->known_manifest(event.other);
  if (!manifest) manifest = SwarmTable(db_).manifest(event.other);
  if (!manifest) {
    spdlog::warn("cluster: {} on node {} announced {}, whose manifest is not in the database; ignored", event.name,
                 event.node, event.other.substr(0, 12));
    return;
  }
  // A downloader announcing again (its node rejoined) holds chunks already.
  auto held = event.on ? std::string() : SwarmTable(db_).held(event.name, event.text, event.other);
  events_->on_swarm_share({event.node, event.name, event.text, event.on, std::move(manifest), std::move(held)});
}

bool EventListener::wait_for_input(int socket) {
  pollfd fds[2] = {{socket, POLLIN, 0}, {wake_fd_, POLLIN, 0}};
  const int ready = ::poll(fds, 2, static_cast<int>(retry_every_.count()));
  if (ready < 0 && errno != EINTR) throw_errno("poll");
  return !stopping_.load();
}

// After a failure: wait retry_every_ (or until stop()) before connecting again.
void EventListener::pause_after_failure() {
  pollfd wake{wake_fd_, POLLIN, 0};
  ::poll(&wake, 1, static_cast<int>(retry_every_.count()));
}

}  // namespace edgehub::hub
