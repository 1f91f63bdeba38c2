#pragma once
// Per-connection hub state. Owned by the connection; its plain fields are
// touched only on the connection's thread, the atomics also by the sweeper.
#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "common/metrics/catalog.hpp"
#include "common/shared_text.hpp"
#include "common/time_format.hpp"
#include "hub/core/peer.hpp"

namespace edgehub::hub {

using SteadyMillis = std::int64_t;
class BroadcastBudget;  // hub/messaging/broadcast_budget.hpp
class SessionRegistry;  // hub/core/session_registry.hpp
SteadyMillis steady_now_ms();

class Session;
// Set by a command that expects "$N" data blocks after it (uploads). Every
// block goes to the sink in order; a "$0" block ends the stream. The view
// is valid until the returned awaitable completes.
using BlockSink = std::function<boost::asio::awaitable<void>(Session&, std::string_view block)>;

class Session {
 public:
  Session(Peer& peer, std::weak_ptr<Peer> handle) : peer_(peer), handle_(std::move(handle)) {}
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  ~Session();

  Peer& peer() { return peer_; }
  std::shared_ptr<Peer> shared_peer() const { return handle_.lock(); }
  const std::string& ip() const { return peer_.remote_ip(); }

  void send(std::string bytes) { peer_.send(make_bytes(std::move(bytes))); }

  // Identity once logged in. The fields are ordered so that the small ones
  // share 8-byte words: one Session per connection
  // (docs/BENCHMARKS.md#memory-per-device).
  bool logged_in() const { return !name.empty(); }
  std::string name;
  // This login's X25519 public key for end-to-end encrypted UVF and swarm
  // transfers, 64 hex digits, then ":OFFER" when the client offered ciphers
  // (`udpkey`, docs/UDP.md#14-end-to-end-encryption); see relayed_key().
  SharedText udp_key;
  SystemTime login_time{};
  // Row of this login in the store's history. Written and read only on the
  // store thread, whose jobs run in order, so the logout always sees the id.
  std::shared_ptr<std::int64_t> login_row;
  int udp_port = 0;
  int bad_frames = 0;  // consecutive undecodable lines
  bool is_guest = false;
  bool wants_presence = true;   // "notify off" before login opts out
  bool awaiting_login = false;  // counted by AbuseLimits as not logged in yet
  // The feature of the last command line, and whether it is still running:
  // how the connection attributes bytes (docs/METRICS.md#bytes-by-feature).
  metrics::Feature feature = metrics::Feature::control;
  bool running_command = false;

  // What only some sessions ever use, made at the first use: an idle device
  // does not carry it (docs/BENCHMARKS.md#memory-per-device).
  struct Occasional {
    BlockSink block_sink;  // empty unless a command is receiving blocks
    // Letters this connection handed back for offline storage, and those
    // dropped past --max-offline (docs/MESSAGING.md#slow-receivers).
    std::size_t handed_back = 0;
    std::size_t handed_back_dropped = 0;
    // This device's broadcasts queued at others (created at its first
    // broadcast); letters keep it alive after the session ends.
    std::shared_ptr<BroadcastBudget> broadcast_budget;
    bool dropping_logged = false;     // for handed_back_dropped
    bool budget_wait_logged = false;  // for broadcast_budget
  };
  Occasional& occasional() {
    if (!occasional_) occasional_ = std::make_unique<Occasional>();
    return *occasional_;
  }
  // Whether a command is receiving "$N" blocks (Occasional::block_sink).
  bool receiving_blocks() const { return occasional_ && occasional_->block_sink; }
  void set_block_sink(BlockSink sink) { occasional().block_sink = std::move(sink); }
  void end_block_sink() {
    if (occasional_) occasional_->block_sink = nullptr;
  }

  // Liveness, read by the sweeper thread.
  std::atomic<SteadyMillis> connected_at{steady_now_ms()};
  std::atomic<SteadyMillis> last_received{steady_now_ms()};  // any bytes
  std::atomic<SteadyMillis> last_command{steady_now_ms()};   // a valid command
  std::atomic<bool> ping_outstanding{false};
  std::atomic<bool> closing{false};
  std::atomic<bool> online{false};  // mirrors logged_in() for the sweeper

 private:
  friend class SessionRegistry;
  SessionRegistry* registry_ = nullptr;  // the hub's, while this session is in it
  std::uint32_t registry_index_ = 0;     // its place there
  Peer& peer_;
  std::weak_ptr<Peer> handle_;
  std::unique_ptr<Occasional> occasional_;
};

}  // namespace edgehub::hub
