#include "hub/core/hub.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>

#include <fmt/format.h>

#include "common/strings.hpp"
#include "common/thread_check.hpp"
#include "hub/core/command_context.hpp"
#include "hub/core/commands.hpp"
#include "hub/core/run_command.hpp"
#include "hub/files/repository.hpp"
#include "hub/messaging/messaging_service.hpp"
#include "hub/p2p/swarm_tracker.hpp"
#include "protocol/limits.hpp"
#include "protocol/reply.hpp"

namespace edgehub::hub {

using protocol::StatusCode;
namespace asio = boost::asio;

namespace {
constexpr int kMaxBadFrames = 20;  // consecutive undecodable lines before we hang up

// Opening tidies the directory (uploads cut off by a crash, stale hash
// sidecars): disk work, done here once, before any network thread runs.
std::shared_ptr<Repository> open_repository(const HubConfig& config) {
  const auto dir = config.files_dir.empty() ? config.data_dir / "files" : config.files_dir;
  const RepositoryLimits limits = Hub::repository_limits(config);
  const UploadBudgetLimits& uploads = limits.uploads;
  auto repo = std::make_shared<Repository>(dir, limits);
  spdlog::info(
      "file repository {} (largest file {} bytes, total {} bytes; uploads in progress hold at most {} bytes per user, "
      "{} bytes in all, and leave {} bytes of the disk free)",
      dir.string(), config.max_file_size, config.max_repo_size, uploads.per_user, uploads.total, uploads.keep_free);
  return repo;
}
std::deque<HubConfig> first_snapshot(HubConfig config) {
  std::deque<HubConfig> snapshots;
  snapshots.push_back(std::move(config));
  return snapshots;
}
}  // namespace

Hub::Hub(HubConfig config, store::StoreQueue& store, asio::thread_pool& workers, std::unique_ptr<Accounts> accounts)
    : configs_(first_snapshot(std::move(config))),
      config_(&configs_.front()),
      store_(store),
      workers_(workers),
      accounts_(std::move(accounts)),
      lockout_(configs_.front().max_attempts, configs_.front().block_time),
      login_gate_(configs_.front().verify_slots, configs_.front().verify_per_address),
      abuse_(configs_.front().abuse),
      tokens_(std::chrono::duration_cast<std::chrono::seconds>(configs_.front().token_lifetime)),
      device_log_(
          configs_.front().data_dir / "edge-device-log.txt", [this] { return directory_.logged(); },
          [this](auto delay, std::function<void()> job) {
            device_log_timer_.expires_after(delay);
            device_log_timer_.async_wait([job = std::move(job)](boost::system::error_code ec) {
              if (!ec) job();
            });
          }),
      commands_(build_command_table()),
      repository_(open_repository(configs_.front())),
      edge_data_(configs_.front().data_dir / "uploads"),
      swarm_(std::make_unique<SwarmTracker>(configs_.front().swarm)),
      started_(std::chrono::system_clock::now()),
      messaging_(
          std::make_unique<Messaging>(*this, MessagingLimits{
                                                 .max_offline_per_recipient = configs_.front().max_offline_messages,
                                                 .broadcast_budget_bytes = configs_.front().broadcast_budget,
                                             })) {
  metrics::server_metrics();      // registers every family: a scrape shows them at zero from now on
  device_log_.write_now();        // no device is active at start-up
  edge_data_.remove_leftovers();  // uploads cut off by a crash
}

Hub::~Hub() = default;

bool Hub::on_connect(Session& s) {
  EDGEHUB_ASSERT_OWN_THREAD(s.peer().on_own_thread(), "Hub::on_connect");
  if (!cluster_->database_reachable()) {  // no login could succeed here: another node, or later
    s.send(protocol::encode_err(protocol::StatusCode::Unavailable, kDatabaseAway));
    return false;
  }
  if (const auto refusal = register_session(s)) {
    s.send(protocol::encode_err(refusal->code, refusal->text));
    return false;
  }
  s.wants_presence = config().presence_default;  // guests have no chance to say "notify"
  if (!config().guest_mode) {
    s.send(protocol::encode_ok(
        fmt::format("EDGEHUB/{} login Welcome to edgehub. Log in with: login NAME PASSWORD [UDPPORT]",
                    protocol::kProtocolVersion)));
    return true;
  }
  const std::string name = fmt::format("Client{:02}", guests_.fetch_add(1) + 1);
  s.is_guest = true;
  s.send(protocol::encode_ok(
      fmt::format("EDGEHUB/{} guest {} Welcome, you are {}", protocol::kProtocolVersion, name, name)));
  complete_login(s, name, 0);
  return true;
}

asio::awaitable<void> Hub::on_line(Session& s, std::string_view line) {
  EDGEHUB_ASSERT_OWN_THREAD(s.peer().on_own_thread(), "Hub::on_line");
  const SteadyMillis now = steady_now_ms();
  s.last_received.store(now);
  s.ping_outstanding.store(false);
  s.bad_frames = 0;
  if (trim(line).empty()) co_return;  // blank line: heartbeat answer, no reply
  if (s.closing.load()) co_return;    // after OUT (or a BYE): the session has ended
  const auto [verb, rest] = split_first_word(line);
  const CommandSpec* spec = commands_.find(verb);
  s.feature = spec ? spec->feature : metrics::Feature::control;
  if (spec == nullptr) {
    metrics::server_metrics().unknown_commands->inc();
    if (s.is_guest)
      s.send(protocol::encode_ok(fmt::format("{} ACK", trim(line))));
    else
      s.send(protocol::encode_err(StatusCode::BadRequest,
                                  fmt::format("Unknown command '{}'. Type 'help' for the list", verb.substr(0, 64))));
    co_return;
  }
  if (spec->access == Access::LoggedIn && !s.logged_in()) {
    s.send(protocol::encode_err(StatusCode::Forbidden, "Please log in first: login NAME PASSWORD [UDPPORT]"));
    co_return;
  }
  if (spec->access == Access::LoggedOut && s.logged_in()) {
    const std::string why = spec->after_login.empty()
                                ? fmt::format("Already logged in as {}", s.name)
                                : fmt::format("{}; you are already logged in as {}", spec->after_login, s.name);
    s.send(protocol::encode_err(StatusCode::BadRequest, why));
    co_return;
  }
  auto args = split_words(rest, spec->max_args);
  if (args.size() < spec->min_args || (spec->max_args == 0 && !rest.empty())) {
    s.send(protocol::encode_err(StatusCode::BadRequest, fmt::format("Usage: {}", spec->usage)));
    co_return;
  }
  s.last_command.store(now);
  CommandContext ctx(*this, s, *spec, std::move(args));
  spec->calls->inc();
  s.running_command = true;
  co_await run_command(ctx);  // a handler that throws: logged, the client gets a generic error
  s.running_command = false;
  // Work awaited on the workers or the store thread resumes the handler here.
  EDGEHUB_ASSERT_OWN_THREAD(s.peer().on_own_thread(), "Hub::on_line (after the handler)");
}

asio::awaitable<void> Hub::on_block(Session& s, std::string_view block) {
  EDGEHUB_ASSERT_OWN_THREAD(s.peer().on_own_thread(), "Hub::on_block");
  s.last_received.store(steady_now_ms());
  s.ping_outstanding.store(false);
  if (!s.receiving_blocks()) {
    s.send(protocol::encode_err(StatusCode::BadRequest, "Unexpected data block: no upload in progress"));
    co_return;
  }
  BlockSink sink = s.occasional().block_sink;  // the sink may clear itself when done
  co_await sink(s, block);
  EDGEHUB_ASSERT_OWN_THREAD(s.peer().on_own_thread(), "Hub::on_block (after the sink)");
}

bool Hub::on_frame_error(Session& s, protocol::FrameError error) {
  s.last_received.store(steady_now_ms());
  s.send(protocol::encode_err(StatusCode::BadRequest, protocol::describe(error)));
  if (error == protocol::FrameError::LineTooLong) {
    s.send(protocol::encode_err(StatusCode::TooLarge, fmt::format("Lines are limited to {} bytes; closing",
                                                                  protocol::kClientToServer.max_line)));
  }
  return !protocol::Frame{protocol::FrameKind::Error, {}, 0, error}.fatal() && ++s.bad_frames < kMaxBadFrames;
}

void Hub::on_disconnect(Session& s) {
  EDGEHUB_ASSERT_OWN_THREAD(s.peer().on_own_thread(), "Hub::on_disconnect");
  unregister_session(s);
  end_login(s);
}

void Hub::end_login(Session& s) {
  if (!s.logged_in()) return;
  const auto now = std::chrono::system_clock::now();
  s.online.store(false);
  if (!directory_.remove(s.name, &s.peer(), now)) return;
  churn_.fetch_add(1, std::memory_order_relaxed);
  metrics::server_metrics().logged_in->sub();
  // Guests' names are per node (Client01 on each), so they claim nothing.
  // At shutdown, shutdown_all gave up every login at once (release_all).
  if (claims_in_cluster(s) && !shutting_down_.load()) cluster_->release(s.name, {});
  publish_presence(s, ClusterEvent::Kind::logout, now);
  record_logout(s, now);
  device_log_.changed();
  messaging_->on_logout(s);
  withdraw_swarm(s);  // before LOGOUT: whoever sees it sees the withdrawal too
  announce(s.name, "LOGOUT");
}

bool Hub::complete_login(Session& s, const std::string& name, int udp_port) {
  OnlineDevice device{name, s.ip(),          udp_port,         std::chrono::system_clock::now(),
                      0,    s.shared_peer(), s.wants_presence, s.udp_key};
  if (!directory_.add(device)) return false;
  churn_.fetch_add(1, std::memory_order_relaxed);
  const auto& counts = metrics::server_metrics();
  counts.logged_in->add();
  s.name = name;
  s.udp_port = udp_port;
  s.login_time = device.since;
  s.last_command.store(steady_now_ms());
  s.online.store(true);
  if (std::exchange(s.awaiting_login, false)) {
    abuse_.logged_in();
    counts.awaiting_login->sub();
  }
  s.login_row = std::make_shared<std::int64_t>(0);
  store::LoginRecord record{0, name, device.ip, udp_port, std::chrono::system_clock::to_time_t(device.since), {}};
  store_.submit({[row = s.login_row, record](store::Store& st) { *row = st.record_login(record); }, nullptr});
  device_log_.changed();
  announce(name, "LOGIN");
  publish_presence(s, ClusterEvent::Kind::login, device.since);
  messaging_->on_login(s);  // stored messages arrive after the login reply
  return true;
}

void Hub::publish_presence(const Session& s, ClusterEvent::Kind kind, SystemTime at) {
  if (s.is_guest) return;
  cluster_->publish({.kind = kind,
                     .name = s.name,
                     .ip = s.ip(),
                     .udp_port = s.udp_port,
                     .time = to_unix_ms(at),
                     .key = kind == ClusterEvent::Kind::login ? s.udp_key.str() : std::string()});
}

bool Hub::set_udp_port(Session& s, int udp_port) {
  if (s.udp_port > 0 || !directory_.set_udp_port(s.name, &s.peer(), udp_port)) return false;
  s.udp_port = udp_port;
  device_log_.changed();  // edge-device-log.txt lists the port
  return true;
}

// Before the login the key waits in the session; complete_login lists it.
bool Hub::set_udp_key(Session& s, const std::string& key) {
  s.udp_key = key;
  if (!s.logged_in()) return true;
  if (!directory_.set_udp_key(s.name, &s.peer(), s.udp_key)) return false;
  // The other nodes relay it to their devices (docs/CLUSTER.md#peer-to-peer-across-nodes).
  if (!s.is_guest) cluster_->update_udp_key(s.name, key);
  return true;
}

bool Hub::relay_event(const std::string& name, std::string_view event, std::string_view text) {
  const auto device = directory_.find(name);
  if (!device || device->peer || device->node.empty()) return false;
  cluster_->publish(
      {.kind = ClusterEvent::Kind::relay, .name = name, .other = std::string(event), .text = std::string(text)});
  return true;
}

void Hub::record_logout(Session& s, SystemTime at) {
  const auto unix_time = std::chrono::system_clock::to_time_t(at);
  store_.submit({[row = s.login_row, unix_time](store::Store& st) {
                   if (row && *row > 0) st.record_logout(*row, unix_time);
                 },
                 nullptr});
}

void Hub::announce(const std::string& subject, std::string_view event) {
  if (shutting_down_.load()) return;  // no "alice logged out" after "Server shutting down" (issue 13)
  const SharedBytes bytes = make_bytes(protocol::encode_event(event, subject));
  for (const auto& sub : directory_.presence_subscribers())
    if (sub.name != subject && !hides(subject, sub.name)) sub.peer->send(bytes);
}

bool Hub::hides(const std::string& subject, const std::string& viewer) const {
  return messaging_->blocks().blocks(subject, viewer);
}

std::unordered_set<std::string> Hub::hidden_from(const std::string& viewer) const {
  return messaging_->blocks().blockers_of(viewer);
}

std::optional<Refusal> Hub::register_session(Session& s) {
  // Checked and counted under AbuseLimits' lock: connections accepted at the same time on different
  // threads cannot both take the last place.
  if (auto refusal = abuse_.admit(s.ip(), std::chrono::steady_clock::now())) return refusal;
  s.awaiting_login = true;
  metrics::server_metrics().awaiting_login->add();
  sessions_.add(s);
  churn_.fetch_add(1, std::memory_order_relaxed);
  connections_.fetch_add(1);
  return std::nullopt;
}

void Hub::unregister_session(Session& s) {
  if (!sessions_.remove(s)) return;  // never registered, or unregistered already
  churn_.fetch_add(1, std::memory_order_relaxed);
  connections_.fetch_sub(1);
  if (s.awaiting_login) metrics::server_metrics().awaiting_login->sub();
  abuse_.release(s.ip(), !s.awaiting_login);
}

void Hub::sweep() {
  const auto live = sessions_.live();
  const SteadyMillis now = steady_now_ms();
  for (auto& [session, peer] : live) sweep_one(*session, *peer, now);
  abuse_.maintain(std::chrono::steady_clock::now());  // aggregated log lines, idle addresses
  if (heap_trim_.should_trim(churn_.load(std::memory_order_relaxed), std::chrono::steady_clock::now())) {
    const auto started = std::chrono::steady_clock::now();
    const std::int64_t returned = trim_heap();
    spdlog::debug(
        "gave {} KiB of freed heap back to the kernel after a burst of connections ({} ms)", returned / 1024,
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count());
  }
}

void Hub::sweep_one(Session& s, Peer& peer, SteadyMillis now) {
  if (s.closing.load()) return;
  auto close_with = [&](const std::string& why) {
    s.closing.store(true);
    peer.send(make_bytes(protocol::encode_event("BYE", why)));
    peer.close_after_flush();
  };
  const auto ms = [](std::chrono::seconds sec) { return static_cast<SteadyMillis>(sec.count()) * 1000; };
  const bool online = s.online.load();
  const HubConfig& config = this->config();  // a SIGHUP may change the timeouts
  if (!online && config.login_timeout.count() > 0 && now - s.connected_at.load() > ms(config.login_timeout))
    return close_with("Login timed out");
  if (online && config.idle_timeout.count() > 0 && now - s.last_command.load() > ms(config.idle_timeout))
    return close_with(fmt::format("Logged out after {} seconds without a command", config.idle_timeout.count()));
  if (config.heartbeat.count() == 0) return;
  const SteadyMillis silent = now - s.last_received.load();
  if (silent > 2 * ms(config.heartbeat)) return close_with("No heartbeat answer");
  if (silent > ms(config.heartbeat) && !s.ping_outstanding.exchange(true))
    peer.send(make_bytes(protocol::encode_event("PING", "")));
}

void Hub::let_go_of_connections() {
  const auto peers = directory_.take_local_peers();  // destroyed here, outside the directory's lock
  if (!peers.empty()) spdlog::info("{} connection(s) still open at the end of the shutdown were closed", peers.size());
}

void Hub::shutdown_all(std::string_view reason) {
  shutting_down_.store(true);
  cluster_->release_all();  // before the goodbyes: a device that moves to another node is let in there
  const auto live = sessions_.live();
  const SharedBytes bye = make_bytes(protocol::encode_event("BYE", reason));
  for (const auto& [session, peer] : live) {
    peer->send(bye);
    peer->close_after_flush();
  }
}

}  // namespace edgehub::hub
