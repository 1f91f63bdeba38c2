#pragma once
// get NAME (docs/FILES.md, "Downloads"): fetches a file from the repository
// into the current directory. The bytes go to .NAME.part; a later get of
// the same name resumes from its size, telling the server the SHA-256 it
// expects so that a file changed meanwhile restarts from 0 instead of
// mixing versions. Only a file whose SHA-256 matches takes its final name.
#include <atomic>
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

// Why get NAME must not start: a local file NAME exists and replace (get
// NAME -f) was not asked for. A part left by an earlier get is not such a
// file: it resumes.
std::optional<std::string> refuse_existing_file(const std::string& name, bool replace);

// Prints progress and the outcome. Holds the connection's turn while it
// runs. stop null: in the foreground (the command thread, already in its
// turn). Otherwise in the background: between windows the turn goes to any
// thread that waits for it, and once *stop is set the download ends at the
// next window, its part kept for a resume.
void download_file(ClientApp& app, const std::string& name, bool replace, const std::atomic<bool>* stop = nullptr);

}  // namespace edgehub::client
