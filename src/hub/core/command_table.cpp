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
  spec.calls = &metrics::command_counter(spec.name);
  specs_.push_back(std::move(spec));
}

void CommandTable::set_feature(std::size_t from, metrics::Feature feature) {
  for (std::size_t i = from; i < specs_.size(); ++i) specs_[i].feature = feature;
}

const CommandSpec* CommandTable::find(std::string_view word) const {
  const auto it = index_.find(to_lower(word));
  return it == index_.end() ? nullptr : &specs_[it->second];
}

}  // namespace edgehub::hub
