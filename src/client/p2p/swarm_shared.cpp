#include "client/p2p/swarm_shared.hpp"

#include <sys/stat.h>

namespace edgehub::client::swarm {

std::optional<FileStamp> stamp_if_file(const std::filesystem::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  return p2p::swarm::stamp_of(st);
}

void SharedFiles::put(SharedFile file) {
  std::lock_guard lock(mutex_);
  std::string name = file.name;
  files_[std::move(name)] = std::move(file);
}

bool SharedFiles::remove(const std::string& name) {
  std::lock_guard lock(mutex_);
  return files_.erase(name) > 0;
}

std::optional<SharedFile> SharedFiles::by_name(const std::string& name) const {
  std::lock_guard lock(mutex_);
  const auto it = files_.find(name);
  if (it == files_.end()) return std::nullopt;
  return it->second;
}

std::optional<SharedFile> SharedFiles::by_root(const std::string& root_hex) const {
  std::lock_guard lock(mutex_);
  for (const auto& [name, file] : files_)
    if (file.manifest->root_hex() == root_hex) return file;
  return std::nullopt;
}

std::vector<std::string> SharedFiles::names() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out;
  for (const auto& [name, file] : files_) out.push_back(name);
  return out;
}

void SharedFiles::add_ticket(TicketEvent ticket) {
  std::lock_guard lock(mutex_);
  // The tracker hands out one ticket per (downloader, holder, root) and takes
  // it back at logout; the bound only guards against a misbehaving server.
  if (tickets_.size() >= kMaxTickets && !tickets_.contains(ticket.ticket)) return;
  std::string key = ticket.ticket;
  tickets_[std::move(key)] = std::move(ticket);
}

void SharedFiles::drop_ticket(const std::string& ticket) {
  std::lock_guard lock(mutex_);
  tickets_.erase(ticket);
}

std::optional<TicketEvent> SharedFiles::ticket(const std::string& ticket) const {
  std::lock_guard lock(mutex_);
  const auto it = tickets_.find(ticket);
  if (it == tickets_.end()) return std::nullopt;
  return it->second;
}

}  // namespace edgehub::client::swarm
