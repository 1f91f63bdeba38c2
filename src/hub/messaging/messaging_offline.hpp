#pragma once
// Delivery of stored (offline) messages to a device that is online: a pump
// per online recipient while there is something to deliver. It fetches a
// batch of at most `batch` messages in id order, hands them to the
// connection as letters, and fetches the next batch only when the
// connection has written the last one, so a long queue never floods the
// connection past its high-water mark. Each letter's row is
// deleted once the connection has written it (deliver, then delete: see
// docs/MESSAGING.md for what that guarantees across a crash).
//
// A failed read leaves the backlog undelivered, not "drained": the next
// message stored for the recipient, or its next login, reads again. A
// failed delete keeps its ids: they are deleted again before the next
// read of the recipient's messages, and skipped if that read finds them
// still there, so a failing delete never delivers a message twice from
// this node.
//
// A pump lives from the login until the backlog is delivered, and from a
// kick (a message stored for a device online here) until that is
// delivered; then it goes, and the connection's backlog_delivered flag
// (hub/core/peer.hpp) says that live messages may go straight to it. So an
// idle device costs no pump: 144 bytes each when every online device had
// one (docs/BENCHMARKS.md#memory-per-device).
//
// Thread-safe: called from connection threads, store completions run on the
// store thread.
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "hub/core/peer.hpp"
#include "hub/messaging/messaging_letter.hpp"
#include "store/store_queue.hpp"

namespace edgehub::hub {

class OfflineDelivery {
 public:
  // The connection of a device online here (the directory's), or nullptr.
  using FindPeer = std::function<std::shared_ptr<Peer>(const std::string& name)>;

  OfflineDelivery(store::StoreQueue& store, std::size_t batch, std::size_t batch_bytes, FindPeer find_peer)
      : store_(store), batch_(batch), batch_bytes_(batch_bytes), find_peer_(std::move(find_peer)) {}

  // name logged in on peer: deliver what is waiting.
  void start(const std::string& name, const std::shared_ptr<Peer>& peer);
  // name's login on peer ended; a newer login of the same name is left alone.
  void stop(const std::string& name, const Peer* peer);
  // A message for name was stored: deliver it if name is online.
  void kick(const std::string& name);
  // Whether name is online here with its stored messages delivered: a
  // message sent now may go straight to its connection without overtaking
  // one stored before it.
  bool drained(const std::string& name) const;
  // peer has written these stored letters to name's socket.
  void written(const std::string& name, const Peer* peer, std::vector<LetterPtr> letters);
  // Pumps at work (tests).
  std::size_t pumps() const;

 private:
  struct Pump {
    std::weak_ptr<Peer> peer;
    const Peer* identity = nullptr;
    std::int64_t cursor = 0;  // highest seq handed to the connection
    bool busy = false;        // a fetch or a batch is in flight
    bool again = false;       // kicked while busy: fetch once more at the end
    bool announced = false;   // the "!OFFLINE N" notice was sent
    bool drained = false;     // the login's backlog is delivered: what comes now is live
  };
  using PumpPtr = std::shared_ptr<Pump>;

  PumpPtr new_pump(const std::string& name);
  void fetch(const std::string& name, const PumpPtr& pump);
  // Deletes ids; their delete failing (again) keeps them in undeleted_,
  // succeeding takes them out.
  void delete_delivered(const std::string& name, std::vector<std::int64_t> ids);
  // Drops the rows whose delete failed; caller holds mutex_.
  void skip_undeleted(const std::string& name, std::vector<store::OfflineMessage>& rows) const;
  void on_fetch_failed(const std::string& name, const PumpPtr& pump);
  void on_fetched(const std::string& name, const PumpPtr& pump, std::vector<store::OfflineMessage> rows,
                  std::size_t waiting);
  bool current(const std::string& name, const PumpPtr& pump) const;  // caller holds mutex_
  // Its work done: the pump goes and its connection is told; caller holds mutex_.
  void retire(const std::string& name, const Pump& pump);
  void trim_to_bytes(std::vector<store::OfflineMessage>& rows) const;

  store::StoreQueue& store_;
  const std::size_t batch_;
  const std::size_t batch_bytes_;
  const FindPeer find_peer_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, PumpPtr> pumps_;  // by online recipient with a delivery under way
  // Written to the recipient's connection, delete failed: by recipient,
  // online or not (its next login must not get them again).
  std::unordered_map<std::string, std::unordered_set<std::int64_t>> undeleted_;
};

}  // namespace edgehub::hub
