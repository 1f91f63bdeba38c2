#pragma once
// --version of edgehubd and edgehub (docs/OPERATIONS.md#version).
#include <string>
#include <string_view>

namespace edgehub::app {

// "PROGRAM 0.1.0 (git REVISION, BUILDTYPE build, protocol 1)".
std::string version_text(std::string_view program);

}  // namespace edgehub::app
