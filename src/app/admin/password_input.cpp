#include "app/admin/password_input.hpp"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <iostream>

#include "common/echo_off.hpp"

namespace edgehub::app {
namespace {

constexpr std::size_t kMaxPassword = 1024;

std::optional<std::string> prompt_once(const std::string& prompt) {
  std::cerr << prompt << std::flush;
  std::string line;
  bool got;
  {
    EchoOff quiet;
    got = static_cast<bool>(std::getline(std::cin, line));
  }
  std::cerr << '\n';
  if (!got) return std::nullopt;
  return line;
}

}  // namespace

std::optional<std::string> password_problem(const std::string& password) {
  if (password.empty()) return "the password is empty";
  if (password.size() > kMaxPassword) return "the password is longer than 1024 bytes";
  const bool spaced = std::any_of(password.begin(), password.end(),
                                  [](unsigned char c) { return std::isspace(c) != 0 || std::iscntrl(c) != 0; });
  if (spaced) return "the password contains a space or a control character";
  return std::nullopt;
}

PasswordRead read_new_password(const std::string& name, bool from_stdin) {
  if (from_stdin) {
    std::string line;
    if (!std::getline(std::cin, line)) return {std::nullopt, "no password on standard input"};
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return {line, ""};
  }
  if (!::isatty(STDIN_FILENO))
    return {std::nullopt, "standard input is not a terminal: give --password-stdin to read the password from it"};
  auto first = prompt_once("New password for " + name + ": ");
  if (!first) return {std::nullopt, "end of input before the password"};
  auto again = prompt_once("Again: ");
  if (!again) return {std::nullopt, "end of input before the password was repeated"};
  if (*first != *again) return {std::nullopt, "the two passwords differ; nothing changed"};
  return {first, ""};
}

}  // namespace edgehub::app
