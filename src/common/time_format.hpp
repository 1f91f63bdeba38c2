#pragma once
// Timestamps as the logs and listings show them: "30 September 2022 10:31:13"
// (local time of the server; day of month zero-padded as strftime's %d).
// See docs/PROTOCOL.md#7-core-commands and docs/EDGE_DATA.md#log-lines.
#include <chrono>
#include <string>

namespace edgehub {

using SystemTime = std::chrono::system_clock::time_point;

std::string format_log_time(SystemTime t);

}  // namespace edgehub
