#include "hub/messaging/messaging_offline.hpp"

#include "common/metrics/catalog.hpp"

#include <spdlog/spdlog.h>

#include "protocol/reply.hpp"

namespace edgehub::hub {

void OfflineDelivery::start(const std::string& name, const std::shared_ptr<Peer>& peer) {
  peer->backlog_delivered.store(false);
  auto pump = std::make_shared<Pump>();
  pump->peer = peer;
  pump->identity = peer.get();
  pump->busy = true;
  {
    std::lock_guard lock(mutex_);
    pumps_[name] = pump;
  }
  fetch(name, pump);
}

void OfflineDelivery::stop(const std::string& name, const Peer* peer) {
  std::lock_guard lock(mutex_);
  const auto it = pumps_.find(name);
  if (it != pumps_.end() && it->second->identity == peer) pumps_.erase(it);
}

// Without a pump, name is offline (delivered at its next login), or online
// here with its login's backlog not yet started (start() will read), or
// online and drained: then a pump starts, in the drained state, so what it
// reads goes out as live messages.
void OfflineDelivery::kick(const std::string& name) {
  PumpPtr pump;
  {
    std::lock_guard lock(mutex_);
    if (const auto it = pumps_.find(name); it != pumps_.end()) {
      if (it->second->busy) {  // at work: it fetches once more when done
        it->second->again = true;
        return;
      }
      it->second->busy = true;
      pump = it->second;
    }
  }
  if (!pump) pump = new_pump(name);
  if (pump) fetch(name, pump);
}

// The directory is asked outside mutex_ (it has its own lock). Returns the
// pump made, busy, for the caller to start, or nullptr.
OfflineDelivery::PumpPtr OfflineDelivery::new_pump(const std::string& name) {
  const auto peer = find_peer_ ? find_peer_(name) : nullptr;
  if (!peer || !peer->backlog_delivered.load()) return nullptr;
  std::lock_guard lock(mutex_);
  if (pumps_.count(name) > 0) return nullptr;  // another kick was first: it reads this message too
  auto pump = std::make_shared<Pump>();
  pump->peer = peer;
  pump->identity = peer.get();
  pump->busy = true;
  pump->announced = true;
  pump->drained = true;  // what it reads goes out as live messages
  peer->backlog_delivered.store(false);
  pumps_[name] = pump;
  return pump;
}

// The connection's flag is kept exact: false from a login, or a pump made
// by a kick, until retire().
bool OfflineDelivery::drained(const std::string& name) const {
  const auto peer = find_peer_ ? find_peer_(name) : nullptr;
  return peer && peer->backlog_delivered.load();
}

std::size_t OfflineDelivery::pumps() const {
  std::lock_guard lock(mutex_);
  return pumps_.size();
}

void OfflineDelivery::retire(const std::string& name, const Pump& pump) {
  if (const auto peer = pump.peer.lock()) peer->backlog_delivered.store(true);
  pumps_.erase(name);
}

void OfflineDelivery::written(const std::string& name, const Peer* peer, std::vector<LetterPtr> letters) {
  std::vector<std::int64_t> ids;
  ids.reserve(letters.size());
  bool batch_done = false;
  for (const auto& letter : letters) {
    ids.push_back(letter->stored_id);
    batch_done = batch_done || letter->last_in_batch;
  }
  delete_delivered(name, std::move(ids));
  if (!batch_done) return;
  PumpPtr pump;
  {
    std::lock_guard lock(mutex_);
    const auto it = pumps_.find(name);
    if (it == pumps_.end() || it->second->identity != peer) return;
    pump = it->second;
  }
  fetch(name, pump);  // FIFO store queue: runs after the delete above
}

void OfflineDelivery::delete_delivered(const std::string& name, std::vector<std::int64_t> ids) {
  auto job = [name, ids](store::Store& st) { st.delete_offline(name, ids); };
  store_.submit({std::move(job), [this, name, ids = std::move(ids)](std::exception_ptr error) {
                   std::lock_guard lock(mutex_);
                   if (error) {
                     spdlog::error(
                         "could not delete {} delivered offline message(s) of {}; retried before the next read",
                         ids.size(), name);
                     undeleted_[name].insert(ids.begin(), ids.end());
                     return;
                   }
                   const auto it = undeleted_.find(name);
                   if (it == undeleted_.end()) return;
                   for (const auto id : ids) it->second.erase(id);
                   if (it->second.empty()) undeleted_.erase(it);
                 }});
}

void OfflineDelivery::skip_undeleted(const std::string& name, std::vector<store::OfflineMessage>& rows) const {
  const auto it = undeleted_.find(name);
  if (it == undeleted_.end()) return;
  std::erase_if(rows, [&](const store::OfflineMessage& m) { return it->second.count(m.id) > 0; });
}

void OfflineDelivery::trim_to_bytes(std::vector<store::OfflineMessage>& rows) const {
  // The rows cut off here are fetched again with the next batch.
  std::size_t keep = 0;
  std::size_t bytes = 0;
  for (; keep < rows.size(); ++keep) {
    bytes += rows[keep].sender.size() + rows[keep].text.size() + 40;  // + "!STOREDBCAST ", the time, separators
    if (keep > 0 && bytes > batch_bytes_) break;
  }
  rows.resize(keep);
}

bool OfflineDelivery::current(const std::string& name, const PumpPtr& pump) const {
  const auto it = pumps_.find(name);
  return it != pumps_.end() && it->second == pump;
}

void OfflineDelivery::fetch(const std::string& name, const PumpPtr& pump) {
  std::int64_t cursor = 0;
  bool count_too = false;
  std::vector<std::int64_t> failed_deletes;
  {
    std::lock_guard lock(mutex_);
    cursor = pump->cursor;
    count_too = !pump->announced && !pump->drained;
    if (const auto it = undeleted_.find(name); it != undeleted_.end())
      failed_deletes.assign(it->second.begin(), it->second.end());
  }
  struct Result {
    std::vector<store::OfflineMessage> rows;
    std::size_t waiting = 0;
  };
  auto result = std::make_shared<Result>();
  // Queued before the read (the store queue runs jobs in order): a delete
  // that failed before and works now takes its rows out first.
  if (!failed_deletes.empty()) delete_delivered(name, std::move(failed_deletes));
  store_.submit({[result, name, cursor, count_too, limit = batch_](store::Store& st) {
                   result->rows = st.offline_after(name, cursor, limit);
                   if (count_too && !result->rows.empty()) result->waiting = st.offline_count(name);
                 },
                 [this, result, name, pump](std::exception_ptr error) {
                   if (error) return on_fetch_failed(name, pump);
                   on_fetched(name, pump, std::move(result->rows), result->waiting);
                 }});
}

// Not drained: the backlog is still there, and a live message must not
// overtake it (deliver_live asks drained()). Read again at the next kick
// (the next message stored for name) or login; not at once, which would
// spin against a store that keeps failing.
void OfflineDelivery::on_fetch_failed(const std::string& name, const PumpPtr& pump) {
  spdlog::error("could not read the offline messages of {}; read again at the next message stored for {} or login",
                name, name);
  std::lock_guard lock(mutex_);
  if (!current(name, pump)) return;
  pump->drained = false;
  pump->busy = false;
  pump->again = false;
}

void OfflineDelivery::on_fetched(const std::string& name, const PumpPtr& pump, std::vector<store::OfflineMessage> rows,
                                 std::size_t waiting) {
  std::shared_ptr<Peer> peer;
  bool announce = false;
  bool live = false;
  {
    std::lock_guard lock(mutex_);
    if (!current(name, pump)) return;  // logged out meanwhile
    const bool drained = rows.empty();
    if (!drained) pump->cursor = rows.back().seq;  // past rows skipped below, if all of them are
    skip_undeleted(name, rows);
    if (drained) {
      // Drained: nothing is in flight (a batch is fetched after the last
      // one's deletes), so the next fetch starts from the lowest seq again.
      // With several nodes the seqs of different senders' nodes do not
      // follow the order of storing: a cursor kept past a drain could skip
      // a row stored later with a lower seq (docs/CLUSTER.md#messages-across-nodes).
      pump->cursor = 0;
      pump->drained = true;      // what arrives from now on is not a backlog
      pump->busy = pump->again;  // a kick came in while we were reading
      pump->again = false;
      if (!pump->busy) return retire(name, *pump);
    } else if (!rows.empty()) {
      trim_to_bytes(rows);
      pump->cursor = rows.back().seq;  // after a cut, the rows cut off come again
      announce = !pump->announced && !pump->drained && waiting > 0;
      pump->announced = pump->announced || announce;
    }
    peer = pump->peer.lock();
    live = pump->drained;
    if (!peer) {  // its connection is gone: nothing to deliver to until the next login
      pumps_.erase(name);
      return;
    }
  }
  if (rows.empty()) return fetch(name, pump);
  if (announce) peer->send(make_bytes(protocol::encode_event("OFFLINE", std::to_string(waiting))));
  // Once the login's backlog is drained, what is stored for an online
  // recipient was sent while it was online (by a device on another node,
  // or written to a connection of its that closed first): it arrives as a
  // live message, not as a stored one.
  metrics::server_metrics().messages_routed->inc(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& m = rows[i];
    peer->send_letter(make_letter(m.kind, m.sender, m.text, m.sent_unix, m.seq, m.id, i + 1 == rows.size(), live));
  }
}

}  // namespace edgehub::hub
