#pragma once
// Which names the file repository accepts (docs/FILES.md, "Names"). A name
// is one plain file name inside the repository directory, so it can never
// reach outside it: no '/', no "..", nothing hidden (temporary uploads and
// metadata are hidden files), and nothing a terminal or a shell would
// misread. Pure code, shared by every file command.
#include <optional>
#include <string>
#include <string_view>

namespace edgehub::hub {

inline constexpr std::size_t kMaxFileNameBytes = 255;  // NAME_MAX on Linux

// Why name is refused, as a sentence for the client ("contains '/' ..."),
// or nullopt if it is acceptable.
std::optional<std::string> file_name_problem(std::string_view name);

// The name made safe for a log line: printable ASCII kept, any other byte
// as \xNN, cut after 120 bytes. Logs must not be forgeable by a name.
std::string printable_file_name(std::string_view name);

}  // namespace edgehub::hub
