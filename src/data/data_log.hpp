#pragma once
// Lines of upload-log.txt and deletion-log.txt (docs/EDGE_DATA.md#log-lines):
//
//   NAME; TIMESTAMP; FILEID; COUNT
//   e.g. "supersmartwatch; 30 September 2022 10:31:13; 7; 100\n"
//
// TIMESTAMP is format_log_time (server local time); FILEID canonical; COUNT
// the number of values in the file (for a deletion: in the file deleted).
#include <cstdint>
#include <string>
#include <string_view>

#include "common/time_format.hpp"
#include "data/file_id.hpp"

namespace edgehub::data {

// Ends in '\n', ready for append_line_durably.
std::string format_data_log_line(std::string_view device_name, SystemTime when, FileId id, std::uint64_t count);

}  // namespace edgehub::data
