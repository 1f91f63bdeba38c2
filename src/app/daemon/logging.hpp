#pragma once
// Where edgehubd's log goes (docs/OPERATIONS.md#logs):
//   --log-file FILE  appended to FILE, reopened by reopen_log() (SIGHUP), so
//                    that logrotate can move it away;
//   the journal      when stderr is the journal's stream (systemd sets
//                    JOURNAL_STREAM to its device:inode): each line starts
//                    with its syslog priority ("<4>" for a warning), which
//                    journald reads, and carries no time of its own;
//   stderr           otherwise, as before (colour on a terminal).
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace edgehub::app {

enum class LogTarget { file, journal, terminal };

// Whether JOURNAL_STREAM ("DEVICE:INODE", as systemd sets it) names the
// file descriptor's file.
bool is_journal_stream(std::optional<std::string_view> journal_stream, int fd);

// Installs the default logger; throws std::runtime_error if FILE cannot be
// opened for appending.
LogTarget start_logging(const std::string& level, const std::filesystem::path& file);
// Reopens the log file (nothing for the other targets); false if it could
// not be opened again (the old one stays in use, and the failure is logged).
bool reopen_log();

}  // namespace edgehub::app
