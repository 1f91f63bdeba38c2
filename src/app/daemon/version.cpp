#include "app/daemon/version.hpp"

#include <fmt/format.h>

#include "app/daemon/build_info.hpp"
#include "protocol/limits.hpp"

namespace edgehub::app {

std::string version_text(std::string_view program) {
  return fmt::format("{} {} (git {}, {} build, protocol {})", program, kProjectVersion, kGitRevision, kBuildType,
                     protocol::kProtocolVersion);
}

}  // namespace edgehub::app
