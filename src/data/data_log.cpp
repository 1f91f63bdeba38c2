#include "data/data_log.hpp"

namespace edgehub::data {

std::string format_data_log_line(std::string_view device_name, SystemTime when, FileId id, std::uint64_t count) {
  std::string line(device_name);
  line += "; ";
  line += format_log_time(when);
  line += "; ";
  line += id.str();
  line += "; ";
  line += std::to_string(count);
  line += '\n';
  return line;
}

}  // namespace edgehub::data
