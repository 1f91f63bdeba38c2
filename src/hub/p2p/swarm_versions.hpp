#pragma once
// How the tracker answers about a name (docs/SWARM.md#searchfile-searchchunk-swarmget):
// which holders an asker sees, which version it gets, and the reply lines.
// Pure code over snapshots taken from the SwarmTracker.
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hub/p2p/swarm_tracker.hpp"

namespace edgehub::hub {

// "NAME@ROOTPREFIX" -> {NAME, ROOTPREFIX}; no '@' -> {NAME, ""}. Shared
// names never hold '@' (common/file_names.hpp kSharedName).
struct VersionQuery {
  std::string name;
  std::string root_prefix;
};
VersionQuery split_version_query(std::string_view text);
// Empty if prefix is 4..64 lower-case hex digits, else why not.
std::string root_prefix_problem(std::string_view prefix);

// Keeps the holders the asker may see and that hold something: not the
// asker itself, not a device that blocked it (hidden), not have == 0.
// Sorted by most chunks, then name.
std::vector<SwarmHolder> visible_holders(std::vector<SwarmHolder> holders, const std::string& asker,
                                         const std::function<bool(const std::string&)>& hidden);

// Versions with at least one holder, most holders first, ties: most chunks
// held in total, then the lowest root.
void sort_versions(std::vector<SwarmVersion>& versions);

// The version query chooses among sorted versions (with their visible
// holders): the first, or the one whose root starts with the prefix.
struct VersionChoice {
  std::optional<SwarmVersion> version;
  std::optional<SwarmRefusal> refusal;
};
VersionChoice choose_version(const std::vector<SwarmVersion>& sorted, const VersionQuery& query);

// Holders listed on one version line: the first (most chunks) ones. 1000
// names of at most 32 bytes with their counts keep the line well under the
// client's 64 KiB line limit (protocol/limits.hpp).
inline constexpr std::size_t kMaxListedHolders = 1000;

// "ROOT SIZE CHUNKSIZE COUNT HOLDER:HAVE[,HOLDER:HAVE...]"
std::string version_line(const SwarmVersion& version);

}  // namespace edgehub::hub
