#pragma once
// The server's part in private sessions (docs/MESSAGING.md#private-sessions):
// it only introduces the two devices. It remembers who asked whom (pending) and
// which pairs agreed (active), so that it can check an answer, tell the other
// side when one stops, and end every session of a device that logs out. The
// messages themselves go straight between the clients. Thread-safe.
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace edgehub::hub {

class PrivateRegistry {
 public:
  // from asks to: false (nothing recorded) if they already have a session.
  bool request(const std::string& from, const std::string& to);
  // to answers from's request; true if there was one (it is consumed).
  bool take_request(const std::string& from, const std::string& to);
  void activate(const std::string& a, const std::string& b);
  bool active(const std::string& a, const std::string& b) const;
  // Ends a's session with b; true if there was one.
  bool stop(const std::string& a, const std::string& b);
  // What a logout ends: the sessions (partners), and the requests still
  // waiting for an answer, from name or to it (the other side of each), so
  // that everyone concerned can be told (docs/MESSAGING.md#private-sessions).
  struct Dropped {
    std::vector<std::string> partners;
    std::vector<std::string> requests;
  };
  // name logged out: ends its sessions and cancels its requests.
  Dropped drop(const std::string& name);

  // Another node relayed `event` from `from` to `to`, a device of this node
  // (docs/CLUSTER.md#peer-to-peer-across-nodes): the same change of the pair
  // that the event's sender made on its own node. Other events change nothing.
  void heard(std::string_view event, const std::string& from, const std::string& to);

 private:
  using Pair = std::pair<std::string, std::string>;
  static Pair ordered(const std::string& a, const std::string& b) { return a < b ? Pair{a, b} : Pair{b, a}; }

  mutable std::mutex mutex_;
  std::set<Pair> pending_;  // (from, to)
  std::set<Pair> active_;   // (smaller name, larger name)
};

}  // namespace edgehub::hub
