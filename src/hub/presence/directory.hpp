#pragma once
// Who is online now, and who was online since start-up
// (docs/PROTOCOL.md#7-core-commands).
// The one owner of presence state; thread-safe. Callers get snapshots and
// send to peers only after the lock is released.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "common/page_allocator.hpp"
#include "common/shared_text.hpp"
#include "common/time_format.hpp"
#include "hub/core/peer.hpp"

namespace edgehub::hub {

struct OnlineDevice {
  std::string name;
  std::string ip;
  int udp_port = 0;
  SystemTime since{};
  std::uint64_t seq = 0;       // login order, for the device log
  std::shared_ptr<Peer> peer;  // null for a device on another node
  bool wants_presence = true;  // receives "X logged in/out" events
  SharedText udp_key{};        // `udpkey`: public key for encrypted UVF/swarm, empty if none
  std::string node{};          // the node it is online on; empty: this one
};

// What edge-device-log.txt shows of an online device: no peer, no keys, so
// that taking a snapshot of every device touches no reference counts the
// network threads share and copies only short strings.
struct LoggedDevice {
  std::string name;
  std::string ip;
  SystemTime since{};
  std::uint64_t seq = 0;
  int udp_port = 0;
};
// One job's snapshot of every device, megabytes with many: in pages of its own.
using LoggedDevices = std::vector<LoggedDevice, PageAllocator<LoggedDevice>>;

struct NamedPeer {
  std::string name;
  std::shared_ptr<Peer> peer;
};

struct PresenceRecord {
  std::string name;
  std::string ip;
  SystemTime login{};
  std::optional<SystemTime> logout;
};

class Directory {
 public:
  explicit Directory(std::size_t max_history = 200'000) : max_history_(max_history) {}

  // Atomically: false (nothing changed) if the name is already online.
  bool add(OnlineDevice device);
  // Removes name only if it is still this peer's login (a newer login of
  // the same name is left alone). True if removed.
  bool remove(const std::string& name, const Peer* peer, SystemTime at);

  // Gives name's login (this peer's) its UDP port, if it has none yet: a
  // guest, logged in by the greeting, tells it afterwards
  // (docs/PROTOCOL.md#4-greeting-and-modes). True if set.
  bool set_udp_port(const std::string& name, const Peer* peer, int port);
  // Gives name's login (this peer's) its public key for encrypted UDP
  // transfers (docs/UDP.md#14-end-to-end-encryption). True if set.
  bool set_udp_key(const std::string& name, const Peer* peer, SharedText key);
  // At the very end of a shutdown: forgets this node's devices and hands
  // their connections back, so that the caller can let go of them while
  // their network threads' timers and sockets still exist (Hub::let_go_of_connections).
  std::vector<std::shared_ptr<Peer>> take_local_peers();

  // --- devices online on other nodes (docs/CLUSTER.md#presence-across-nodes) ---
  // They are listed, logged in the history and counted as online like this
  // node's own, but have no peer: whatever is sent to them goes through the
  // cluster. Adds or updates; false if the name is online here (this node's
  // login stands: the database admitted it) or was already there, unchanged.
  bool add_remote(OnlineDevice device);
  // Removes name if it is online on `node`. True if removed.
  bool remove_remote(const std::string& name, const std::string& node, SystemTime at);
  // name, online on `node`, gave a new udpkey. True if set.
  bool set_remote_udp_key(const std::string& name, const std::string& node, const std::string& key);
  // Removes every device of `node`; returns their names.
  std::vector<std::string> remove_node(const std::string& node, SystemTime at);
  struct RemoteChange {
    std::vector<std::string> arrived;
    std::vector<std::string> left;
  };
  // Makes the other nodes' devices exactly `devices` (a fresh snapshot).
  RemoteChange replace_remote(const std::vector<OnlineDevice>& devices, SystemTime at);
  // How many devices on other nodes `counts` accepts, by name (without
  // copying the table: a broadcast asks it).
  std::size_t count_remote(const std::function<bool(const std::string& name)>& counts) const;

  // This node's connection for name; null if name is not online here.
  std::shared_ptr<Peer> find_peer(const std::string& name) const;
  std::optional<OnlineDevice> find(const std::string& name) const;
  std::vector<OnlineDevice> online() const;  // in login order
  LoggedDevices logged() const;              // in login order: the device log's lines
  // Every device online here: name and peer, in no particular order. What a
  // broadcast needs, without copying and sorting whole records.
  std::vector<NamedPeer> online_peers() const;
  // Online devices that want presence events. Kept apart from the full
  // table so that a login costs O(subscribers), not O(online devices):
  // devices that opted out ("notify off") cost nothing per login.
  std::vector<NamedPeer> presence_subscribers() const;
  std::vector<std::string> names_since(SystemTime since) const;
  std::vector<PresenceRecord> history() const;
  // The last n records (oldest first) and how many are kept in all: what
  // `status [N]` shows, without copying the whole history. Records of the
  // names in `hidden` (who blocked the viewer) are left out of both, as AED
  // leaves them out (docs/MESSAGING.md#blocks); that costs one pass over the
  // history, taken only by a viewer someone has blocked.
  std::pair<std::vector<PresenceRecord>, std::size_t> history_tail(
      std::size_t n, const std::unordered_set<std::string>& hidden = {}) const;
  std::size_t online_count() const;

 private:
  void trim_history();

  // What the tables hold, smaller than the records above: an online entry
  // without the name its key already is, a past one without a
  // std::optional (16 bytes) for the logout time it always has
  // (docs/BENCHMARKS.md#memory-per-device).
  static constexpr std::uint32_t kNotSubscribed = UINT32_MAX;
  // A device of another node (or one whose address is not its peer's).
  struct Elsewhere {
    std::string ip;
    std::string node;  // empty: this node
  };
  struct Online {
    std::shared_ptr<Peer> peer;
    SystemTime since{};
    std::uint64_t seq = 0;
    int udp_port = 0;
    std::uint32_t subscriber = kNotSubscribed;  // index in subscribers_: wants presence events
    SharedText udp_key;                         // shared with the session's
    // Null for a device connected here: its address is its connection's
    // (fixed when it connected), which saves two strings per device.
    std::unique_ptr<Elsewhere> where;
    const std::string& ip() const { return where ? where->ip : peer->remote_ip(); }
    const std::string& node() const;
  };
  static Online make_online(OnlineDevice&& device, std::uint64_t seq);
  // A session that has ended. One still open is its online entry: the
  // history is the two tables merged in login order.
  struct Past {
    std::string name;
    std::string ip;
    SystemTime login{};
    SystemTime logout{};
  };
  static OnlineDevice device_of(const std::string& name, const Online& entry);
  // make(name, entry) of every online device, sorted by login seq.
  template <class Out, class Make>
  Out in_login_order(Make make) const;
  static PresenceRecord record_of(const Past& past);
  using OnlineEntry = std::pair<const std::string, Online>;
  static PresenceRecord record_of(const OnlineEntry& online);
  // The online entries not in hidden, in login order; only the `latest` last ones.
  std::vector<const OnlineEntry*> online_in_order(const std::unordered_set<std::string>& hidden,
                                                  std::size_t latest) const;
  // Each a part of a public call; the caller holds mutex_.
  void insert(OnlineDevice device);
  void end_record(const OnlineEntry& online, SystemTime at);
  void unsubscribe(Online& entry);
  bool insert_remote(OnlineDevice device);
  // Ends and removes the devices on other nodes that `leaves` picks; their names.
  std::vector<std::string> erase_remote(const std::function<bool(const std::string& name, const Online&)>& leaves,
                                        SystemTime at);

  const std::size_t max_history_;
  mutable std::mutex mutex_;
  std::uint64_t next_seq_ = 1;
  std::unordered_map<std::string, Online> online_;
  // Ended sessions by login seq. Kept with the open ones (online_) up to
  // max_history_ records in all; the oldest ended ones go first.
  std::map<std::uint64_t, Past> history_;
  // The online entries that want presence events, as pointers into online_
  // (its elements stay put when it rehashes); an entry knows its index
  // here. One pointer per subscriber instead of a map node with a copy of
  // its name (docs/BENCHMARKS.md#memory-per-device).
  std::vector<OnlineEntry*> subscribers_;
};

}  // namespace edgehub::hub
