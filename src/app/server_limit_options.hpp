#pragma once
// edgehubd's limit options that fill a hub config directly: the abuse limits
// (docs/SECURITY.md#abuse-limits) and the swarm tracker's (docs/SWARM.md#limits).
#include <CLI/CLI.hpp>

#include "hub/core/hub_config.hpp"

namespace edgehub::app {

void add_abuse_options(CLI::App& app, hub::AbuseConfig& abuse);
void add_swarm_options(CLI::App& app, hub::SwarmLimits& limits);

}  // namespace edgehub::app
