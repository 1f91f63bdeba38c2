#include "hub/cluster/event_log.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "common/strings.hpp"
#include "hub/cluster/cluster_event.hpp"

namespace edgehub::hub {
namespace {

constexpr std::string_view kSeqTag = "Q\t";

constexpr store::PgStatement kNewest{"cluster_event_log_newest", "SELECT COALESCE(max(seq), 0) FROM cluster_event_log"};
constexpr store::PgStatement kAfter{"cluster_event_log_after",
                                    "SELECT seq, payload FROM cluster_event_log WHERE seq > $1 ORDER BY seq"};
constexpr store::PgStatement kPrune{"cluster_event_log_prune",
                                    "DELETE FROM cluster_event_log WHERE sent_at < now() - $1::interval"};

bool of_kind(std::string_view payload, ClusterEvent::Kind kind) {
  return payload.size() >= 2 && payload[0] == static_cast<char>(kind) && payload[1] == '\t';
}

}  // namespace

const store::PgStatement kLogAndNotify{
    "cluster_log_and_notify",
    "WITH logged AS (INSERT INTO cluster_event_log (payload) VALUES ($1::text) RETURNING seq) "
    "SELECT pg_notify('edgehub_cluster', 'Q' || chr(9) || seq || chr(9) || $1::text) FROM logged"};

bool logged_event(std::string_view payload) {
  return of_kind(payload, ClusterEvent::Kind::broadcast) || of_kind(payload, ClusterEvent::Kind::failed_login);
}

void prune_event_log(store::PgConnection& db) {
  db.run(kPrune, {fmt::format("{} seconds", std::chrono::seconds(kEventLogKeep).count())});
}

void MissedEvents::start(store::PgConnection& db) { start_after(db.run(kNewest).int64(0, 0)); }

std::optional<std::string_view> MissedEvents::live(std::string_view payload) {
  if (!payload.starts_with(kSeqTag)) return payload;
  const auto rest = payload.substr(kSeqTag.size());
  const auto tab = rest.find('\t');
  const auto seq = parse_int64(rest.substr(0, tab));
  if (tab == std::string_view::npos || !seq) return payload;  // malformed: decoding refuses it
  if (!first_time(*seq)) return std::nullopt;
  return rest.substr(tab + 1);
}

std::vector<std::string> MissedEvents::missed(store::PgConnection& db) {
  const auto rows = db.run(kAfter, {std::to_string(read_after_)});
  std::vector<std::string> out;
  for (int r = 0; r < rows.rows(); ++r)
    if (first_time(rows.int64(r, 0))) out.push_back(rows.text(r, 1));
  return out;
}

bool MissedEvents::first_time(std::int64_t seq) {
  if (!had_.insert(seq).second) return false;
  while (had_.size() > kMaxHad) {
    read_after_ = std::max(read_after_, *had_.begin());
    had_.erase(had_.begin());
  }
  return true;
}

}  // namespace edgehub::hub
