#pragma once
// Terminal echo off while a password is typed, on again however the scope
// is left. Line mode stays on so the typed line arrives whole; TCSANOW keeps
// anything typed ahead. Not a terminal: does nothing.
#include <termios.h>
#include <unistd.h>

namespace edgehub {

class EchoOff {
 public:
  EchoOff() : active_(::tcgetattr(STDIN_FILENO, &saved_) == 0) {
    if (!active_) return;
    termios silent = saved_;
    silent.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    silent.c_lflag |= ICANON;
    ::tcsetattr(STDIN_FILENO, TCSANOW, &silent);
  }
  ~EchoOff() {
    if (active_) ::tcsetattr(STDIN_FILENO, TCSANOW, &saved_);
  }
  EchoOff(const EchoOff&) = delete;
  EchoOff& operator=(const EchoOff&) = delete;

 private:
  termios saved_{};
  bool active_;
};

}  // namespace edgehub
