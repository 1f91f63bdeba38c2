#pragma once
// Reading a new password for `edgehubd user`: never from argv (the process
// list shows it). From a terminal: asked twice with echo off. With
// --password-stdin: the first line of standard input.
#include <optional>
#include <string>

namespace edgehub::app {

struct PasswordRead {
  std::optional<std::string> password;
  std::string error;  // set when password is not
};

PasswordRead read_new_password(const std::string& name, bool from_stdin);

}  // namespace edgehub::app
