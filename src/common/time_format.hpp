#pragma once
// Timestamps as the SPEC's logs and listings show them: "30 September 2022 10:31:13"
// (local time of the server; day of month zero-padded as strftime's %d).
#include <chrono>
#include <string>

namespace edgehub {

using SystemTime = std::chrono::system_clock::time_point;

std::string format_log_time(SystemTime t);

}  // namespace edgehub
