#pragma once
// Crash-safe file replacement: write to a temporary in the same directory,
// fsync it, rename over the target, fsync the directory. A reader (or a
// restart after kill -9) sees the old content or the new, never a mix.
#include <filesystem>
#include <string_view>

namespace edgehub {

// Throws std::system_error on failure (the target is then untouched).
void write_file_atomically(const std::filesystem::path& target, std::string_view content);

// fsync a directory so a rename or create inside it is durable.
void fsync_directory(const std::filesystem::path& dir);

// Appends one line (content must end in '\n') with O_APPEND and fdatasync.
void append_line_durably(const std::filesystem::path& file, std::string_view line);

}  // namespace edgehub
