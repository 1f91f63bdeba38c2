#include "client/shell/shell_terminal.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <system_error>

#include "client/core/foreground_cancel.hpp"

namespace edgehub::client {
namespace {

// Read by signal handlers: set before the handlers are installed.
std::atomic<int> g_wake_fd{-1};
std::atomic<bool> g_have_terminal{false};
termios g_terminal{};  // written before g_have_terminal is set, then read-only
static_assert(std::atomic<int>::is_always_lock_free && std::atomic<bool>::is_always_lock_free,
              "used from signal handlers");

extern "C" void on_wake_signal(int sig) {
  const int saved_errno = errno;
  const char why = sig == SIGWINCH ? kWakeResize : kWakeResume;
  if (const int fd = g_wake_fd.load(); fd >= 0) {
    [[maybe_unused]] const auto n = ::write(fd, &why, 1);
  }
  errno = saved_errno;
}

extern "C" void on_fatal_signal(int sig) {
  const int saved_errno = errno;
  if (sig == SIGINT && cancel_foreground()) {  // Ctrl-C during a put: that transfer stops, not the client
    errno = saved_errno;
    return;
  }
  if (g_have_terminal.load()) ::tcsetattr(STDIN_FILENO, TCSANOW, &g_terminal);
  ::signal(sig, SIG_DFL);
  ::raise(sig);  // delivered with the default action once this handler returns
  errno = saved_errno;
}

}  // namespace

WakePipe::WakePipe() {
  if (::pipe2(fds_.data(), O_NONBLOCK | O_CLOEXEC) != 0)
    throw std::system_error(errno, std::generic_category(), "pipe");
}

WakePipe::~WakePipe() {
  ::close(fds_[0]);
  ::close(fds_[1]);
}

void WakePipe::wake(WakeReason why) const noexcept {
  const char byte = why;
  [[maybe_unused]] const auto n = ::write(fds_[1], &byte, 1);
}

std::string WakePipe::drain() const {
  std::string reasons;
  char buffer[64];
  for (ssize_t n; (n = ::read(fds_[0], buffer, sizeof buffer)) > 0;)
    reasons.append(buffer, static_cast<std::size_t>(n));
  return reasons;
}

TerminalSignals::TerminalSignals(const WakePipe& wake) {
  g_wake_fd.store(wake.write_fd());
  if (::tcgetattr(STDIN_FILENO, &g_terminal) == 0) g_have_terminal.store(true);
  for (std::size_t i = 0; i < kSignals.size(); ++i) {
    struct sigaction action {};
    const bool wakes = kSignals[i] == SIGWINCH || kSignals[i] == SIGCONT;
    action.sa_handler = wakes ? on_wake_signal : on_fatal_signal;
    action.sa_flags = SA_RESTART;
    sigemptyset(&action.sa_mask);
    ::sigaction(kSignals[i], &action, &previous_[i]);
  }
}

TerminalSignals::~TerminalSignals() {
  for (std::size_t i = 0; i < kSignals.size(); ++i) ::sigaction(kSignals[i], &previous_[i], nullptr);
  g_have_terminal.store(false);
  g_wake_fd.store(-1);
}

void write_to_terminal(const std::string& text) {
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
}

}  // namespace edgehub::client
