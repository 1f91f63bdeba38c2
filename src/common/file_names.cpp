#include "common/file_names.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace edgehub {
namespace {

constexpr std::size_t kMaxLoggedBytes = 120;

bool is_control(unsigned char c) { return c < 0x20 || c == 0x7f; }

// The first byte-level problem, scanning left to right.
std::optional<std::string> character_problem(std::string_view name, FileNameRule rule) {
  for (const char ch : name) {
    const auto c = static_cast<unsigned char>(ch);
    if (is_control(c)) return "the file name contains a control character";
    if (c == ' ' && !rule.space) return "the file name contains a space";
    if (c == '\\') return "the file name contains '\\'";
    if (c == '@' && !rule.at) return "the file name contains '@' (NAME@ROOTPREFIX chooses a version)";
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> file_name_problem(std::string_view name, FileNameRule rule) {
  if (name.empty()) return "the file name is empty";
  if (name.size() > kMaxFileNameBytes)
    return fmt::format("the file name is {} bytes long; at most {} are allowed", name.size(), kMaxFileNameBytes);
  if (name.find('\0') != std::string_view::npos) return "the file name contains a NUL byte";
  if (name.find('/') != std::string_view::npos)
    return "the file name contains '/': only plain names are allowed, no paths";
  if (name.front() == '.' && !rule.hidden)
    return "file names starting with '.' are reserved (this also refuses '.' and '..')";
  if (name == "." || name == "..") return "the file name cannot be '.' or '..'";
  return character_problem(name, rule);
}

bool is_plain_file_name(std::string_view name) { return !file_name_problem(name, kPlainName); }

std::string printable_file_name(std::string_view name) {
  std::string out;
  const std::size_t n = std::min(name.size(), kMaxLoggedBytes);
  for (std::size_t i = 0; i < n; ++i) {
    const auto c = static_cast<unsigned char>(name[i]);
    if (c >= 0x20 && c < 0x7f && c != '\\')
      out.push_back(static_cast<char>(c));
    else
      out += fmt::format("\\x{:02x}", c);
  }
  if (name.size() > n) out += fmt::format("...({} bytes)", name.size());
  return out;
}

}  // namespace edgehub
