#pragma once
// The web console's files (docs/CONSOLE.md), embedded into edgehubd at build
// time by console/assets.cmake, so one binary serves the console.
#include <cstddef>
#include <span>
#include <string_view>

namespace edgehub::web {

struct Asset {
  std::string_view name;          // "app.js": the path under /assets/
  std::string_view content_type;  // "text/javascript; charset=utf-8"
  std::string_view bytes;
  std::string_view etag;  // strong, quoted SHA-256 of the bytes
};

// Every embedded file (generated: build/src/web/console_assets.cpp).
std::span<const Asset> console_assets();

// The asset of that name, or null.
const Asset* find_asset(std::string_view name);

}  // namespace edgehub::web
