#pragma once
// get NAME (docs/FILES.md, "Downloads"): fetches a file from the repository
// into the current directory. The bytes go to .NAME.part; a later get of
// the same name resumes from its size, telling the server the SHA-256 it
// expects so that a file changed meanwhile restarts from 0 instead of
// mixing versions. Only a file whose SHA-256 matches takes its final name.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace edgehub::client {

class ClientApp;

// What the server's "+OK SIZE SHA256 OFFSET NAME" announces.
struct GetAnnouncement {
  std::uint64_t size = 0;
  std::string sha256;
  std::uint64_t offset = 0;
};
std::optional<GetAnnouncement> parse_get_announcement(std::string_view text);

// Prints progress and the outcome. A local file NAME is replaced only if
// replace (get NAME -f); without it the download is refused before it
// starts (a part left by an earlier get is not such a file: it resumes).
void download_file(ClientApp& app, const std::string& name, bool replace);

}  // namespace edgehub::client
