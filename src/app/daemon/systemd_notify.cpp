#include "app/daemon/systemd_notify.hpp"

#include <spdlog/spdlog.h>
#include <systemd/sd-daemon.h>

#include "common/strings.hpp"

namespace edgehub::app {
namespace {

// A notification that cannot be sent is logged, never fatal: systemd then
// times the start out, and says so itself.
void notify(const std::string& state) {
  const int result = sd_notify(0, state.c_str());
  if (result < 0) spdlog::warn("sd_notify({}): {}", state, error_text(-result));
}

}  // namespace

void notify_ready(const std::string& status) { notify("READY=1\nSTATUS=" + status); }

void notify_stopping() { notify("STOPPING=1"); }

}  // namespace edgehub::app
