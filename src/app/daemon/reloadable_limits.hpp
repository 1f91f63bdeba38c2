#pragma once
// The settings a SIGHUP applies while serving (docs/OPERATIONS.md#reloading-sighup):
// the limits and the timeouts. Each is named by its option, so that the log
// says what changed, and the other options can be told apart as the ones
// that need a restart.
#include <string>
#include <string_view>
#include <vector>

#include "hub/core/hub_config.hpp"

namespace edgehub::app {

// Copies every reloadable setting that differs from fresh into running and
// returns one "--option NEW (was OLD)" per change, in the --help order.
std::vector<std::string> take_reloadable_limits(const hub::HubConfig& fresh, hub::HubConfig& running);

// Whether the long option (without its dashes, as in the configuration
// file) is one take_reloadable_limits applies.
bool is_reloadable_limit(std::string_view option);

}  // namespace edgehub::app
