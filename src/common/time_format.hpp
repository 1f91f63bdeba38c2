#pragma once
// Timestamps as the logs and listings show them: "30 September 2022 10:31:13"
// (local time of the server; day of month zero-padded as strftime's %d).
// See docs/PROTOCOL.md#7-core-commands and docs/EDGE_DATA.md#log-lines.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace edgehub {

using SystemTime = std::chrono::system_clock::time_point;

std::string format_log_time(SystemTime t);

// For programs: UTC in ISO 8601, "2026-12-04T13:56:28Z", whole seconds. The
// time a stored message was sent travels so (docs/MESSAGING.md#events), and
// the client's --json events carry it (docs/CLIENT.md#json-output---json).
std::string format_iso_utc(SystemTime t);
// The inverse; nullopt unless text is exactly that form.
std::optional<SystemTime> parse_iso_utc(std::string_view text);

// Milliseconds since the Unix epoch, as the nodes of a cluster tell each
// other login and logout times (docs/CLUSTER.md#events-between-nodes).
inline std::int64_t to_unix_ms(SystemTime t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}
inline SystemTime from_unix_ms(std::int64_t ms) { return SystemTime(std::chrono::milliseconds(ms)); }

}  // namespace edgehub
