#pragma once
// A failed system call as an exception that carries errno, so the message
// reads "WHAT: no space left on device" and callers can test the code.
#include <cerrno>
#include <string>
#include <system_error>

namespace edgehub {

[[noreturn]] inline void throw_errno(const std::string& what) {
  throw std::system_error(errno, std::generic_category(), what);
}

}  // namespace edgehub
