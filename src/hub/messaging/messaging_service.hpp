#pragma once
// Messaging (docs/MESSAGING.md): routing of direct messages and broadcasts,
// offline storage and delivery, blocks, and the server's side of private
// sessions. Owned by the Hub; thread-safe; never sends while holding a lock.
#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hub/core/command_table.hpp"
#include "hub/core/session.hpp"
#include "hub/messaging/blocks.hpp"
#include "hub/messaging/live_relay.hpp"
#include "hub/messaging/messaging_letter.hpp"
#include "hub/messaging/messaging_limits.hpp"
#include "hub/messaging/messaging_offline.hpp"
#include "hub/messaging/messaging_private.hpp"

namespace edgehub::hub {

class Hub;

class Messaging {
 public:
  // Loads the blocks from the store (waits for it: start-up only).
  Messaging(Hub& hub, MessagingLimits limits);

  BlockList& blocks() { return blocks_; }
  PrivateRegistry& privates() { return privates_; }
  MessagingLimits limits() const;                                        // the limits in force
  std::size_t max_text_bytes() const { return limits_.max_text_bytes; }  // every message asks: no copy
  // SIGHUP: a new --max-offline holds for the next message stored; a new
  // --broadcast-budget for devices that broadcast for the first time since
  // their login (each keeps the budget it started with).
  void reconfigure(std::size_t max_offline_per_recipient, std::size_t broadcast_budget_bytes);
  // An account, or a device online now (guests have no account).
  bool known_user(const std::string& name) const;

  // --- hub hooks, on the session's connection thread ---
  void on_login(Session& s);   // starts delivery of stored messages
  void on_logout(Session& s);  // stops it; ends s's private sessions

  // --- live messages across nodes (live_relay.hpp), on the cluster event thread ---
  // Queues from's message to `to` if `to` is online here with its stored
  // messages delivered; false otherwise (the sending node stores it).
  // sent_ms: when the sender's node sent it (Unix ms, its clock).
  bool deliver_live(const std::string& to, const std::string& from, std::string_view text, std::int64_t sent_ms);
  void live_answered(std::int64_t id, bool queued) { live_.answered(id, queued); }
  void live_node_gone(const std::string& node) { live_.node_gone(node); }

  // --- connection hooks (hub::Peer::send_letter), on its thread ---
  void letters_written(Session& s, std::vector<LetterPtr> letters);
  void letters_unsent(Session& s, std::vector<LetterPtr> letters);

  // What became of one direct message: handed to the recipient's connection,
  // stored for later (durable: the store has committed it), or refused
  // because the recipient's offline queue is full.
  enum class DeliveryResult { Delivered, Stored, QueueFull };
  // from -> to, after the caller checked names and blocks.
  boost::asio::awaitable<DeliveryResult> send_direct(const std::string& from, const std::string& to,
                                                     std::string_view text);

  struct BroadcastResult {
    std::size_t delivered = 0;
    std::size_t skipped = 0;  // online, but they blocked the sender
  };
  // Charges each recipient's copy to budget (none: uncharged).
  BroadcastResult broadcast(const std::string& from, std::string_view text,
                            const std::shared_ptr<BroadcastBudget>& budget = nullptr);

  // --- from the other nodes (docs/CLUSTER.md#messages-across-nodes) ---
  // A message for name was stored by another node: delivered if name is here.
  void deliver_stored(const std::string& name) { offline_.kick(name); }
  // Another node's broadcast, to the devices here (blocks honoured).
  void broadcast_here(const std::string& from, std::string_view text, std::int64_t sent_unix);

  // Another node relayed "!EVENT text" for name: written if name is here.
  // A private-session event updates this node's record of the pair first.
  void relayed(const std::string& name, std::string_view event, std::string_view text);
  // name, online on another node, logged out or its node is gone: the
  // private sessions and requests it had with devices here end.
  void remote_left(const std::string& name);

  // Sends "!EVENT text" to name, here or through the cluster to the node
  // where name is online; false if name is online nowhere.
  bool notify(const std::string& name, std::string_view event, std::string_view text);
  // The same, only if name is online on this node.
  bool notify_here(const std::string& name, std::string_view event, std::string_view text);

 private:
  // Tells name's partners and requesters here that what they had with it ended.
  void tell_ended(const std::string& name, const PrivateRegistry::Dropped& dropped);
  std::int64_t next_seq() { return next_seq_.fetch_add(1, std::memory_order_relaxed); }
  // The live_message event for a message to a device online on another
  // node; nullopt if `to` is not (live_relay.hpp).
  std::optional<ClusterEvent> live_message_to(const std::string& to, const std::string& from, std::string_view text,
                                              std::int64_t sent_ms) const;
  // Queues letter to every device here but from and its blockers.
  BroadcastResult deliver_here(const std::string& from, const BlockList::Names& blockers, const LetterPtr& letter,
                               const std::shared_ptr<BroadcastBudget>& budget);

  Hub& hub_;
  const MessagingLimits limits_;  // as started: the two below change
  std::atomic<std::size_t> max_offline_per_recipient_;
  std::atomic<std::size_t> broadcast_budget_bytes_;
  BlockList blocks_;
  OfflineDelivery offline_;
  PrivateRegistry privates_;
  LiveRelay live_;
  std::atomic<std::int64_t> next_seq_{1};  // above every stored message's seq
};

// Server commands, registered by register_messaging_commands (commands.hpp).
void register_block_commands(CommandTable& table);    // block, unblock
void register_private_commands(CommandTable& table);  // startprivate, accept, decline, stopprivate

}  // namespace edgehub::hub
