#pragma once
// The swarm tracker's state (docs/SWARM.md#2-tracker-protocol): which
// versions (roots) are announced under each name, which online device holds
// which chunks of each root, and the tickets that let a downloader fetch
// from a seeder. The one owner of this state, built with the Hub like the
// Directory; thread-safe (one mutex, held only for map work). It never
// sends: callers get snapshots and send after the lock is released
// (docs/ARCHITECTURE.md#threads-and-who-owns-what).
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/sha256.hpp"
#include "hub/cluster/cluster.hpp"
#include "hub/p2p/swarm_limits.hpp"
#include "p2p/swarm/chunk_ranges.hpp"
#include "p2p/swarm/manifest.hpp"
#include "protocol/status_code.hpp"

namespace edgehub::hub {

using SwarmRoot = Sha256Digest;

// A version's geometry, chunk digests and root (p2p/swarm/manifest.hpp):
// immutable once announced, shared by every holder.
using SwarmManifest = p2p::swarm::Manifest;

// The device a call is about. owner tells two logins of one name apart: a
// late withdrawal of an old login leaves a newer one alone.
struct SwarmDevice {
  std::string name;
  const void* owner = nullptr;
  std::string ip;
  int udp_port = 0;
};

struct SwarmRefusal {
  protocol::StatusCode code;
  std::string text;
};

struct SwarmHolder {
  std::string device;
  std::uint32_t have = 0;  // chunks verified (of those asked, for chunk queries)
};

struct SwarmVersion {
  std::shared_ptr<const SwarmManifest> manifest;
  std::vector<SwarmHolder> holders;  // every holder, by name; have may be 0
};

// A holder a downloader may fetch from, with its ticket.
struct SwarmPeer {
  std::string device;
  std::string ip;
  int udp_port = 0;
  std::string ticket;
  bool new_ticket = false;  // the holder must hear !SWARMTICKET before the asker gets it
  std::string have;         // "all" or "x" + ChunkSet hex
};

// A ticket to revoke (!SWARMUNTICKET) because its asker left.
struct SwarmUnticket {
  std::string holder;
  std::string ticket;
};

struct SwarmStats {
  std::size_t memory = 0;
  std::size_t max_memory = 0;
  std::size_t devices = 0;
  std::size_t names = 0;
  std::size_t roots = 0;
  std::size_t holders = 0;
  std::size_t tickets = 0;
};

class SwarmTracker {
 public:
  // Peers one swarmpeers reply lists at most (a random choice when more
  // qualify): each line may carry an 8 KiB bitmap in hex, and the reply must
  // stay far below a connection's output limit (--high-water).
  static constexpr std::size_t kMaxPeers = 200;

  explicit SwarmTracker(SwarmLimits limits) : limits_(limits) {}

  SwarmLimits limits() const;  // the limits in force
  // New limits (SIGHUP), from the next announcement on; what is announced
  // stays, even past a lowered limit.
  void reconfigure(const SwarmLimits& limits);

  // Whether a manifest of count chunks announced as name may be received
  // at all: checked before its digests are buffered.
  std::optional<SwarmRefusal> check_share(const SwarmDevice& device, const std::string& name,
                                          std::uint64_t count) const;
  // Announces that device holds all of manifest under name (complete; or
  // only what it held already: a downloader on another node), replacing
  // what it announced under name before. The manifest must be consistent.
  std::optional<SwarmRefusal> share(const SwarmDevice& device, const std::string& name,
                                    std::shared_ptr<const SwarmManifest> manifest, bool complete = true);
  // False if device does not announce name.
  bool unshare(const SwarmDevice& device, const std::string& name);
  // Registers device as a downloader of root under name (0 chunks unless it
  // already holds some).
  std::optional<SwarmRefusal> add_downloader(const SwarmDevice& device, const std::string& name, const SwarmRoot& root);
  // Marks chunks (sorted, in range) as held; the new total, or a refusal
  // if device holds no part of root. With held_hex, also the whole bitmap
  // as held_hex() gives it, read under the same lock (for the cluster).
  std::optional<std::uint32_t> have(const SwarmDevice& device, const SwarmRoot& root,
                                    const std::vector<std::uint32_t>& chunks, std::string* held_hex = nullptr);
  // What device holds of root, as a bitmap in hex (SwarmShare::held_hex);
  // "" if it holds no part of root.
  std::string held_hex(const std::string& device, const SwarmRoot& root) const;

  // Every version announced under name, each with all its holders.
  std::vector<SwarmVersion> versions(const std::string& name) const;
  // root's holders with how many of these sorted chunks each has.
  std::vector<SwarmHolder> holders_of_chunks(const SwarmRoot& root, const std::vector<std::uint32_t>& chunks) const;
  std::shared_ptr<const SwarmManifest> manifest(const SwarmRoot& root) const;

  // root's holders among candidates (device names the caller may see),
  // other than the asker, with at least one chunk and a UDP port, each with
  // the asker's ticket for it (new ones made here). nullopt: root unknown,
  // or a refusal when new tickets would break the memory limit.
  struct PeersResult {
    std::optional<SwarmRefusal> refusal;
    std::vector<SwarmPeer> peers;
  };
  PeersResult peers(const SwarmDevice& asker, const SwarmRoot& root, const std::set<std::string>& hidden);

  // What device announces, as its node tells the others on rejoining the
  // cluster (node and account left for the caller; a downloader's progress
  // in held_hex).
  std::vector<SwarmShare> announcements(const std::string& device) const;

  // Withdraws everything device holds and the tickets it was given; returns
  // those tickets so that their holders hear !SWARMUNTICKET.
  std::vector<SwarmUnticket> withdraw(const std::string& device, const void* owner);

  SwarmStats stats() const;

 private:
  struct RootEntry {
    std::shared_ptr<const SwarmManifest> manifest;
    std::map<std::string, p2p::swarm::ChunkSet> holders;  // device -> chunks it has verified
  };
  struct DeviceEntry {
    const void* owner = nullptr;
    std::string ip;
    int udp_port = 0;
    std::map<std::string, SwarmRoot> names;         // name -> the root it announces under it
    std::map<SwarmRoot, std::uint32_t> root_names;  // root -> how many of its names point there
  };
  using TicketKey = std::pair<std::string, SwarmRoot>;  // holder, root

  // root's holders the asker may get (see peers()), at most kMaxPeers.
  std::vector<std::pair<const std::string*, const p2p::swarm::ChunkSet*>> eligible(
      const RootEntry& entry, const SwarmDevice& asker, const std::set<std::string>& hidden) const;
  std::optional<SwarmRefusal> check_name_room(const DeviceEntry* entry, const std::string& name,
                                              std::size_t extra_bytes) const;
  // device's entry if it belongs to this login; an older login's is dropped.
  DeviceEntry* current_entry(const SwarmDevice& device);
  DeviceEntry& device_entry(const SwarmDevice& device);  // created if missing
  void bind_name(const std::string& device, DeviceEntry& entry, const std::string& name, const SwarmRoot& root);
  // name by value: callers pass keys of the map it erases from.
  void unbind_name(const std::string& device, DeviceEntry& entry, std::string name);
  void drop_holder(const std::string& device, const SwarmRoot& root);
  void drop_tickets_of_holder(const std::string& holder);
  std::vector<SwarmUnticket> drop_tickets_of_asker(const std::string& asker, const void* owner);
  const std::string& ticket_for(const SwarmDevice& asker, const std::string& holder, const SwarmRoot& root,
                                bool& is_new);
  void drop_device(const std::string& device);

  SwarmLimits limits_;  // under mutex_
  mutable std::mutex mutex_;
  std::size_t memory_ = 0;  // estimated bytes of everything below (docs/SWARM.md#limits)
  std::map<SwarmRoot, RootEntry> roots_;
  std::unordered_map<std::string, std::map<SwarmRoot, std::uint32_t>> names_;  // name -> root -> devices
  std::unordered_map<std::string, DeviceEntry> devices_;
  struct AskerTickets {
    const void* owner = nullptr;
    std::map<TicketKey, std::string> tickets;  // (holder, root) -> ticket
  };
  std::unordered_map<std::string, AskerTickets> tickets_;                 // by asker
  std::unordered_map<std::string, std::set<std::string>> ticket_askers_;  // holder -> askers with its tickets
  std::size_t ticket_count_ = 0;
};

}  // namespace edgehub::hub
