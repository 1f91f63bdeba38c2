#include "hub/messaging/messaging_service.hpp"

#include "common/time_format.hpp"

#include "common/metrics/catalog.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <future>

#include "hub/core/async.hpp"
#include "hub/core/hub.hpp"
#include "hub/messaging/broadcast_budget.hpp"
#include "protocol/reply.hpp"

namespace edgehub::hub {
namespace {

std::int64_t unix_now() { return std::chrono::system_clock::to_time_t(std::chrono::system_clock::now()); }

struct SavedState {
  std::vector<std::pair<std::string, std::string>> blocks;
  std::int64_t max_seq = 0;
};

SavedState load_state(store::StoreQueue& store) {
  auto loaded = std::make_shared<std::promise<SavedState>>();
  auto state = std::make_shared<SavedState>();
  store.submit({[state](store::Store& st) {
                  state->blocks = st.load_blocks();
                  state->max_seq = st.max_offline_seq();
                },
                [loaded, state](std::exception_ptr error) {
                  if (error)
                    loaded->set_exception(error);
                  else
                    loaded->set_value(std::move(*state));
                }});
  return loaded->get_future().get();
}

}  // namespace

Messaging::Messaging(Hub& hub, MessagingLimits limits)
    : hub_(hub),
      limits_(limits),
      max_offline_per_recipient_(limits.max_offline_per_recipient),
      broadcast_budget_bytes_(limits.broadcast_budget_bytes),
      offline_(hub.store(), limits.delivery_batch, limits.delivery_batch_bytes,
               [&hub](const std::string& name) { return hub.directory().find_peer(name); }) {
  const SavedState state = load_state(hub.store());
  blocks_.load(state.blocks);
  next_seq_.store(state.max_seq + 1);
  if (blocks_.size() > 0) spdlog::info("{} blocks loaded", blocks_.size());
}

MessagingLimits Messaging::limits() const {
  MessagingLimits now = limits_;
  now.max_offline_per_recipient = max_offline_per_recipient_.load(std::memory_order_relaxed);
  now.broadcast_budget_bytes = broadcast_budget_bytes_.load(std::memory_order_relaxed);
  return now;
}

void Messaging::reconfigure(std::size_t max_offline_per_recipient, std::size_t broadcast_budget_bytes) {
  max_offline_per_recipient_.store(max_offline_per_recipient, std::memory_order_relaxed);
  broadcast_budget_bytes_.store(broadcast_budget_bytes, std::memory_order_relaxed);
}

bool Messaging::known_user(const std::string& name) const {
  return hub_.accounts()->exists(name) || hub_.directory().find_peer(name) != nullptr;
}

void Messaging::on_login(Session& s) { offline_.start(s.name, s.shared_peer()); }

void Messaging::on_logout(Session& s) {
  offline_.stop(s.name, &s.peer());
  const auto dropped = privates_.drop(s.name);
  // At shutdown everyone has been told why already (!BYE), and private
  // sessions go straight between the clients: they may outlive the server.
  if (hub_.shutting_down()) return;
  tell_ended(s.name, dropped);
}

// Partners on other nodes are told by their own nodes, which hear of the
// logout (remote_left): so a node's death ends its devices' sessions too.
void Messaging::tell_ended(const std::string& name, const PrivateRegistry::Dropped& dropped) {
  for (const auto& partner : dropped.partners) notify_here(partner, "PRIVSTOP", name);
  // A request nobody can answer any more: the other side learns it is over
  // (issue 13; docs/MESSAGING.md#private-sessions).
  for (const auto& other : dropped.requests) notify_here(other, "PRIVCANCEL", name);
}

void Messaging::remote_left(const std::string& name) {
  const auto dropped = privates_.drop(name);
  if (!dropped.partners.empty() || !dropped.requests.empty()) tell_ended(name, dropped);
}

void Messaging::letters_written(Session& s, std::vector<LetterPtr> letters) {
  offline_.written(s.name, &s.peer(), std::move(letters));
}

void Messaging::letters_unsent(Session& s, std::vector<LetterPtr> letters) {
  if (s.name.empty()) return;
  // Handed back letters respect --max-offline like any other
  // (docs/MESSAGING.md#slow-receivers): a sender pipelining broadcasts to
  // devices that do not read would otherwise store senders x recipients x
  // text (issue 14). Counting here too keeps the letters past the bound from
  // even reaching the store's queue as copies.
  const std::size_t bound = max_offline_per_recipient_.load(std::memory_order_relaxed);
  std::vector<store::OfflineMessage> keep;
  auto& counts = s.occasional();
  for (const auto& l : letters) {
    if (l->stored_id != 0) continue;  // a stored letter is still in the store
    if (counts.handed_back >= bound) {
      ++counts.handed_back_dropped;
      continue;
    }
    ++counts.handed_back;
    keep.push_back({0, l->seq, s.name, std::string(l->sender()), l->kind, std::string(l->text()), l->sent_unix});
  }
  if (counts.handed_back_dropped > 0 && !counts.dropping_logged) {
    counts.dropping_logged = true;
    spdlog::warn(
        "{}: more than {} messages not written before the connection closed; the rest are dropped "
        "(--max-offline)",
        s.name, bound);
  }
  if (keep.empty()) return;
  metrics::server_metrics().messages_stored->inc(keep.size());
  spdlog::info("{}: {} message(s) not written before the connection closed; kept offline", s.name, keep.size());
  hub_.store().submit({[keep, bound](store::Store& st) {
                         for (const auto& m : keep) st.store_offline(m, bound);
                       },
                       [this, name = s.name, n = keep.size()](std::exception_ptr error) {
                         if (error)
                           spdlog::error("{}: could not keep {} undelivered message(s) offline", name, n);
                         else
                           offline_.kick(name);  // logged in again meanwhile?
                       }});
}

boost::asio::awaitable<Messaging::DeliveryResult> Messaging::send_direct(const std::string& from, const std::string& to,
                                                                         std::string_view text) {
  const std::int64_t now = unix_now();
  const std::int64_t seq = next_seq();
  if (auto peer = hub_.directory().find_peer(to)) {
    peer->send_letter(make_letter('M', from, text, now, seq));
    metrics::server_metrics().messages_routed->inc();
    co_return DeliveryResult::Delivered;
  }
  if (auto live = live_message_to(to, from, text, to_unix_ms(std::chrono::system_clock::now()))) {
    // Named, not a temporary in the co_await expression (GCC 12, above).
    const bool queued = co_await live_.send(hub_.cluster(), std::move(*live));
    if (queued) co_return DeliveryResult::Delivered;
  }
  store::OfflineMessage m{0, seq, to, from, 'M', std::string(text), now};
  const std::size_t bound = max_offline_per_recipient_.load(std::memory_order_relaxed);
  // A named job, not a temporary in the co_await expression: GCC 12 may
  // destroy such temporaries twice.
  auto job = [m = std::move(m), bound](store::Store& st) { return st.store_offline(m, bound); };
  const bool stored = co_await run_in_store(hub_.store(), std::move(job));
  if (!stored) co_return DeliveryResult::QueueFull;
  metrics::server_metrics().messages_stored->inc();
  offline_.kick(to);  // to may have logged in while we stored
  // In a cluster, a message to a device not here that did not go live is
  // stored, and its node is told to deliver it: stored once, delivered once
  // and in order, by whichever node holds `to` now or at its next login. The
  // kick goes out even if no node seemed to hold `to`: it may have just
  // logged in on another (docs/CLUSTER.md#messages-across-nodes).
  if (!hub_.cluster().spans_nodes()) co_return DeliveryResult::Stored;
  hub_.cluster().publish({.kind = ClusterEvent::Kind::kick, .name = to});
  co_return hub_.directory().find(to) ? DeliveryResult::Delivered : DeliveryResult::Stored;
}

std::optional<ClusterEvent> Messaging::live_message_to(const std::string& to, const std::string& from,
                                                       std::string_view text, std::int64_t sent_ms) const {
  if (!hub_.cluster().spans_nodes()) return std::nullopt;
  const auto remote = hub_.directory().find(to);
  if (!remote || remote->node.empty()) return std::nullopt;  // offline (or just logged in here)
  return ClusterEvent{.kind = ClusterEvent::Kind::live_message,
                      .name = to,
                      .time = sent_ms,
                      .other = from,
                      .text = std::string(text),
                      .target = remote->node};
}

bool Messaging::deliver_live(const std::string& to, const std::string& from, std::string_view text,
                             std::int64_t sent_ms) {
  const auto age = std::chrono::milliseconds(to_unix_ms(std::chrono::system_clock::now()) - sent_ms);
  if (age > LiveRelay::kFreshFor) {  // its sender may have stored it meanwhile
    spdlog::info("cluster: a live message from {} to {} came {} ms late; declined (its node stores it)", from, to,
                 age.count());
    return false;
  }
  // Not before the stored messages that came first (OfflineDelivery::drained).
  const auto peer = hub_.directory().find_peer(to);
  if (!peer || !peer->backlog_delivered.load()) return false;
  // Written or handed back: a connection that closes first hands its
  // unwritten letters back (letters_unsent), which stores them.
  peer->send_letter(make_letter('M', from, text, sent_ms / 1000, next_seq()));
  metrics::server_metrics().messages_routed->inc();
  return true;
}

Messaging::BroadcastResult Messaging::broadcast(const std::string& from, std::string_view text,
                                                const std::shared_ptr<BroadcastBudget>& budget) {
  // One buffer for everyone.
  const std::int64_t now = unix_now();
  const LetterPtr letter = make_broadcast_letter(from, text, now, next_seq(), budget);
  const BlockList::Names blockers = blocks_.blockers_of(from);
  BroadcastResult result = deliver_here(from, blockers, letter, budget);
  if (hub_.cluster().spans_nodes()) {
    // Each node delivers to its own devices (docs/CLUSTER.md#messages-across-nodes).
    hub_.cluster().publish(
        {.kind = ClusterEvent::Kind::broadcast, .name = from, .time = now, .text = std::string(text)});
    result.delivered += hub_.directory().count_remote(
        [&](const std::string& name) { return name != from && blockers.count(name) == 0; });
  }
  return result;
}

void Messaging::broadcast_here(const std::string& from, std::string_view text, std::int64_t sent_unix) {
  deliver_here(from, blocks_.blockers_of(from), make_broadcast_letter(from, text, sent_unix, next_seq(), nullptr),
               nullptr);
}

Messaging::BroadcastResult Messaging::deliver_here(const std::string& from, const BlockList::Names& blockers,
                                                   const LetterPtr& letter,
                                                   const std::shared_ptr<BroadcastBudget>& budget) {
  BroadcastResult result;
  for (const auto& device : hub_.directory().online_peers()) {
    if (device.name == from) continue;
    if (blockers.count(device.name) > 0) {
      ++result.skipped;
      continue;
    }
    // Charged before it is queued: the recipient may release it at once.
    if (budget) budget->charge(letter->frame.size());
    device.peer->send_letter(letter);
    ++result.delivered;
  }
  metrics::server_metrics().messages_routed->inc(result.delivered);
  return result;
}

bool Messaging::notify(const std::string& name, std::string_view event, std::string_view text) {
  return notify_here(name, event, text) || hub_.relay_event(name, event, text);
}

bool Messaging::notify_here(const std::string& name, std::string_view event, std::string_view text) {
  const auto peer = hub_.directory().find_peer(name);
  if (!peer) return false;
  peer->send(make_bytes(protocol::encode_event(event, text)));
  return true;
}

void Messaging::relayed(const std::string& name, std::string_view event, std::string_view text) {
  const auto peer = hub_.directory().find_peer(name);
  if (!peer) return;  // gone meanwhile, or online on yet another node: never relayed again
  privates_.heard(event, std::string(text.substr(0, text.find(' '))), name);
  peer->send(make_bytes(protocol::encode_event(event, text)));
}

}  // namespace edgehub::hub
