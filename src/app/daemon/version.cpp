#include "app/daemon/version.hpp"

#include <fmt/format.h>

#include "app/daemon/build_info.hpp"

namespace edgehub::app {

std::string version_text(std::string_view program) {
  return fmt::format("{} {} (git {}, {} build, protocol 1)", program, kProjectVersion, kGitRevision, kBuildType);
}

}  // namespace edgehub::app
