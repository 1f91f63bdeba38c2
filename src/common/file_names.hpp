#pragma once
// Which names may become file names: one rule for every place where a name
// from the network or from a person turns into a file. The base rule keeps a
// name one plain component of the directory it is put in; the stricter
// variants below add what their feature needs, each saying why. The
// repository's rule is documented in docs/FILES.md#names, UVF's in
// docs/UDP.md#11-uvf-user-file-in-the-client. Pure code.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace edgehub {

inline constexpr std::size_t kMaxFileNameBytes = 255;  // NAME_MAX on Linux

// What a rule allows beyond the base rule. The base rule always refuses: an
// empty name, more than kMaxFileNameBytes bytes, "." and "..", '/' and '\'
// (a path separator here or on Windows), NUL and every other control byte
// (0x00-0x1f, 0x7f: they forge terminal output and log lines).
struct FileNameRule {
  bool hidden = true;  // may start with '.'
  bool space = true;   // may contain ' '
  bool at = true;      // may contain '@'
};

// The base rule. UVF uses it as is: the hub when it authorises `uvf USER SIZE
// FILE` and the receiving endpoint before it saves "SENDER_FILE" (so a hidden
// FILE does not make a hidden file, and FILE, the last argument, may hold
// spaces).
inline constexpr FileNameRule kPlainName{};

// A name that becomes a file in the client's current directory (`get NAME`).
// Hidden names are refused: the client keeps a download's partial files
// under ".NAME.part" and ".NAME.sha256", and a visible name cannot overwrite
// a dotfile such as ".bashrc".
inline constexpr FileNameRule kLocalName{.hidden = false};

// A name in the hub's file repository (`get`, `put`): hidden names are the
// server's own (uploads in progress, metadata), and a name is one word of
// the command line (`put NAME SIZE SHA256`), so it holds no space.
inline constexpr FileNameRule kRepositoryName{.hidden = false, .space = false};

// A name shared in the swarm (`share NAME`): '@' is refused because
// NAME@ROOTPREFIX chooses one version of a name. NAME is the last argument,
// so it may hold spaces.
inline constexpr FileNameRule kSharedName{.at = false};

// Why name breaks rule, as a sentence for the user ("the file name contains
// '/': ..."), or nullopt if it is acceptable.
std::optional<std::string> file_name_problem(std::string_view name, FileNameRule rule);

// True if name follows the base rule (kPlainName).
bool is_plain_file_name(std::string_view name);

// The name made safe for a log line: printable ASCII kept, any other byte
// as \xNN, cut after 120 bytes. Logs must not be forgeable by a name.
std::string printable_file_name(std::string_view name);

}  // namespace edgehub
