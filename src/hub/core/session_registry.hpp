#pragma once
// Every connection's session, for the sweeper and the shutdown
// (Hub::sweep, Hub::shutdown_all). A vector of pointers in which each
// session knows its index (the last moves into a leaver's place): one
// pointer per connection instead of a hash node holding a weak_ptr
// (docs/BENCHMARKS.md#memory-per-device). A session leaves when the hub
// unregisters it or, at the latest, when it is destroyed, so no pointer
// here outlives its session. Thread-safe.
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace edgehub::hub {

class Peer;
class Session;

class SessionRegistry {
 public:
  SessionRegistry() = default;
  SessionRegistry(const SessionRegistry&) = delete;
  SessionRegistry& operator=(const SessionRegistry&) = delete;

  void add(Session& s);
  // False if s was not here.
  bool remove(Session& s);
  std::size_t size() const;
  // The sessions whose connection still exists, each with the reference
  // that keeps the connection, and so the session, alive.
  std::vector<std::pair<Session*, std::shared_ptr<Peer>>> live() const;

 private:
  mutable std::mutex mutex_;
  std::vector<Session*> sessions_;
};

}  // namespace edgehub::hub
