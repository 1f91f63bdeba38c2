#include "app/admin/password_input.hpp"

#include <unistd.h>

#include <iostream>

#include "common/echo_off.hpp"

namespace edgehub::app {
namespace {

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
