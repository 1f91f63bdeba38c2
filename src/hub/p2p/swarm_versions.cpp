#include "hub/p2p/swarm_versions.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "common/strings.hpp"

namespace edgehub::hub {

using protocol::StatusCode;

namespace {

std::uint64_t total_held(const SwarmVersion& v) {
  std::uint64_t total = 0;
  for (const auto& h : v.holders) total += h.have;
  return total;
}

}  // namespace

VersionQuery split_version_query(std::string_view text) {
  const auto at = text.rfind('@');
  if (at == std::string_view::npos) return {std::string(text), {}};
  return {std::string(text.substr(0, at)), std::string(text.substr(at + 1))};
}

std::string root_prefix_problem(std::string_view prefix) {
  if (prefix.size() < 4 || prefix.size() > 64 || !is_lower_hex(prefix))
    return "ROOTPREFIX must be 4 to 64 lower-case hex digits of a root hash";
  return {};
}

std::vector<SwarmHolder> visible_holders(std::vector<SwarmHolder> holders, const std::string& asker,
                                         const std::function<bool(const std::string&)>& hidden) {
  std::erase_if(holders, [&](const SwarmHolder& h) { return h.have == 0 || h.device == asker || hidden(h.device); });
  std::sort(holders.begin(), holders.end(), [](const SwarmHolder& a, const SwarmHolder& b) {
    return a.have != b.have ? a.have > b.have : a.device < b.device;
  });
  return holders;
}

void sort_versions(std::vector<SwarmVersion>& versions) {
  std::erase_if(versions, [](const SwarmVersion& v) { return v.holders.empty(); });
  std::sort(versions.begin(), versions.end(), [](const SwarmVersion& a, const SwarmVersion& b) {
    if (a.holders.size() != b.holders.size()) return a.holders.size() > b.holders.size();
    const auto ta = total_held(a);
    const auto tb = total_held(b);
    if (ta != tb) return ta > tb;
    return a.manifest->root < b.manifest->root;
  });
}

VersionChoice choose_version(const std::vector<SwarmVersion>& sorted, const VersionQuery& query) {
  const std::string unavailable = fmt::format("{} is not available", query.name);
  if (query.root_prefix.empty()) {
    if (sorted.empty()) return {std::nullopt, SwarmRefusal{StatusCode::NotFound, unavailable}};
    return {sorted.front(), std::nullopt};
  }
  const SwarmVersion* found = nullptr;
  for (const auto& v : sorted) {
    if (!v.manifest->root_hex().starts_with(query.root_prefix)) continue;
    if (found != nullptr)
      return {std::nullopt, SwarmRefusal{StatusCode::Conflict, fmt::format("{} matches several versions of {}",
                                                                           query.root_prefix, query.name)}};
    found = &v;
  }
  if (found == nullptr)
    return {std::nullopt,
            SwarmRefusal{StatusCode::NotFound, fmt::format("{}@{} is not available", query.name, query.root_prefix)}};
  return {*found, std::nullopt};
}

std::string version_line(const SwarmVersion& version) {
  const SwarmManifest& m = *version.manifest;
  std::string holders;
  for (std::size_t i = 0; i < version.holders.size() && i < kMaxListedHolders; ++i) {
    const SwarmHolder& h = version.holders[i];
    if (!holders.empty()) holders += ',';
    holders += fmt::format("{}:{}", h.device, h.have);
  }
  return fmt::format("{} {} {} {} {}", m.root_hex(), m.size, m.chunk_size, m.chunk_count(), holders);
}

}  // namespace edgehub::hub
