#include "hub/core/command_table.hpp"

#include <stdexcept>

#include "common/strings.hpp"

namespace edgehub::hub {

void CommandTable::add(CommandSpec spec) {
  const std::size_t pos = specs_.size();
  auto claim = [&](const std::string& word) {
    if (!index_.emplace(to_lower(word), pos).second) throw std::logic_error("duplicate command word: " + word);
  };
  claim(spec.name);
  for (const auto& alias : spec.aliases) claim(alias);
  specs_.push_back(std::move(spec));
}

const CommandSpec* CommandTable::find(std::string_view word) const {
  const auto it = index_.find(to_lower(word));
  return it == index_.end() ? nullptr : &specs_[it->second];
}

}  // namespace edgehub::hub
