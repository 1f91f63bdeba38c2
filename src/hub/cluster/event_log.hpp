#pragma once
// The events a node must not miss while its event connection is down
// (docs/CLUSTER.md#events-a-node-missed): broadcasts and failed logins.
// The others a node catches up on from what the database holds (presence,
// swarm announcements, blocks, stored messages), or they are worthless
// late (relays, live messages and their answers). These two go into the
// table cluster_event_log (migration 7) as they are sent, and their NOTIFY
// carries the row's seq: "Q<TAB>SEQ<TAB>PAYLOAD". A listener that comes
// back reads the rows after those it has seen and hands over the ones it
// did not get live. Rows are kept for kEventLogKeep: an outage longer than
// that loses the older ones.
#include <chrono>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "store/postgres/pg_connection.hpp"

namespace edgehub::hub {

inline constexpr std::chrono::minutes kEventLogKeep{10};

// Whether an encoded event (cluster_event.hpp) is one that is logged.
bool logged_event(std::string_view payload);
// Logs payload and NOTIFYs it with its seq; a logged_event() only.
extern const store::PgStatement kLogAndNotify;
// Deletes the rows older than kEventLogKeep (every node, at its rounds).
void prune_event_log(store::PgConnection& db);

// A listener's account of the logged events: which it has had, and where
// a catch-up starts reading. Listener thread only.
class MissedEvents {
 public:
  // After the first LISTEN: the log's rows up to now are not for this node.
  void start(store::PgConnection& db);
  // A NOTIFY payload, its seq (if any) taken off (a view into payload):
  // nullopt if this listener has had that logged event already (read by a
  // catch-up while its notification waited).
  std::optional<std::string_view> live(std::string_view payload);
  // After LISTENing again: the logged events not had yet, oldest first.
  std::vector<std::string> missed(store::PgConnection& db);

  // The bookkeeping, without a database (tested alone): true the first
  // time seq is seen, false after.
  bool first_time(std::int64_t seq);
  std::int64_t read_after() const { return read_after_; }
  void start_after(std::int64_t seq) { read_after_ = seq; }

 private:
  // Seqs had, live or read; a catch-up reads those after read_after_. At
  // most kMaxHad: beyond it the oldest goes and read_after_ moves up to it
  // (a lower seq not had by then is one whose notification came before
  // thousands of later ones, or that was never committed).
  static constexpr std::size_t kMaxHad = 4096;
  std::int64_t read_after_ = 0;
  std::set<std::int64_t> had_;
};

}  // namespace edgehub::hub
