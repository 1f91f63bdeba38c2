#pragma once
// What this device offers the swarm (docs/SWARM.md#5-downloader-and-seeder):
// the files it shared (or finished downloading), each with the manifest it
// announced and the size and mtime the file had then, and the tickets the
// tracker handed out for it (!SWARMTICKET ASKER TICKET ROOT). A request is
// served only with a known ticket for that root, and only while the file
// still has its size and mtime: a file changed after `share` is withdrawn,
// never served as the old version. Thread-safe (commands add files, the I/O
// thread looks them up).
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "client/p2p/swarm_replies.hpp"
#include "p2p/swarm/manifest.hpp"
#include "p2p/swarm/range_source.hpp"

namespace edgehub::client::swarm {

// Size and modification time: what must not change while a file is shared.
using p2p::swarm::FileStamp;
// The stamp of a regular file; nullopt if it is missing or not regular.
std::optional<FileStamp> stamp_if_file(const std::filesystem::path& path);

struct SharedFile {
  std::string name;
  std::filesystem::path path;
  FileStamp stamp;
  std::shared_ptr<const p2p::swarm::Manifest> manifest;
};

class SharedFiles {
 public:
  static constexpr std::size_t kMaxTickets = 4096;

  // Replaces an earlier file of the same name (sharing it again after a change).
  void put(SharedFile file);
  bool remove(const std::string& name);
  std::optional<SharedFile> by_name(const std::string& name) const;
  std::optional<SharedFile> by_root(const std::string& root_hex) const;
  std::vector<std::string> names() const;

  void add_ticket(TicketEvent ticket);
  void drop_ticket(const std::string& ticket);
  std::optional<TicketEvent> ticket(const std::string& ticket) const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, SharedFile> files_;     // by name
  std::map<std::string, TicketEvent> tickets_;  // by ticket
};

}  // namespace edgehub::client::swarm
