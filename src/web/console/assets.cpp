// Lookup in the table that console/embed_assets.py generated.
#include "web/console/assets.hpp"

namespace edgehub::web {

const Asset* find_asset(std::string_view name) {
  for (const auto& asset : console_assets())
    if (asset.name == name) return &asset;
  return nullptr;
}

}  // namespace edgehub::web
