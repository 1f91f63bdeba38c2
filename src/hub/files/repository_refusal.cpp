#include "hub/files/repository_refusal.hpp"

#include <spdlog/spdlog.h>

#include <fmt/format.h>

#include "common/file_names.hpp"
#include "hub/auth/security_log.hpp"
#include "hub/core/run_command.hpp"

namespace edgehub::hub {

void log_refusal(const FileRefusal& refusal, std::string_view ip, std::string_view user, std::string_view command,
                 std::string_view name) {
  if (refusal.suspicious())
    log_security_event(SecurityEvent::path_refused, ip, user,
                       fmt::format("{} '{}': {}", command, printable_file_name(name), refusal.what()));
}

std::string storage_failure(std::string_view client, std::string_view name, const std::exception& e) {
  const std::string id = new_error_id();
  spdlog::error("{}: storing '{}' failed (error id {}): {}", client, name, id, e.what());
  return fmt::format("Could not store '{}' on the server (id {})", name, id);
}

}  // namespace edgehub::hub
