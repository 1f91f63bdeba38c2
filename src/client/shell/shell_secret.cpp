#include "client/shell/shell_secret.hpp"

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include "common/echo_off.hpp"

namespace edgehub::client {
namespace {

constexpr std::size_t kMaxSecretBytes = 4096;

// Reads what the terminal has (in line mode: up to a whole line); false at
// end of input. Returns true with `done` set once the newline came.
bool read_some(std::string& line, bool& done) {
  char buffer[256];
  const ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
  if (n < 0) return errno == EINTR;
  if (n == 0) return false;
  for (ssize_t i = 0; i < n && !done; ++i) {
    if (buffer[i] == '\n')
      done = true;
    else if (buffer[i] != '\r' && line.size() < kMaxSecretBytes)
      line.push_back(buffer[i]);
  }
  return true;
}

}  // namespace

std::optional<std::string> read_secret_line(const std::string& prompt, Output& out, const WakePipe& wake,
                                            const ShellHooks& hooks) {
  write_to_terminal(prompt);
  EchoOff echo_off;
  std::string line;
  for (bool done = false; !done;) {
    pollfd fds[2] = {{STDIN_FILENO, POLLIN, 0}, {wake.read_fd(), POLLIN, 0}};
    const int ready = ::poll(fds, 2, kLivenessCheckMs);
    if (ready < 0 && errno != EINTR) return std::nullopt;
    if (ready > 0 && (fds[1].revents & POLLIN) != 0) {
      wake.drain();
      std::string text;
      for (const auto& l : out.take_queued()) text += "\r\033[K" + l + "\n";
      if (!text.empty()) write_to_terminal(text + prompt);  // nothing typed is shown, so nothing to redraw
    }
    if (hooks.connection_open && !hooks.connection_open()) return std::nullopt;
    if (ready > 0 && (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) != 0 && !read_some(line, done)) {
      return std::nullopt;
    }
  }
  return line;
}

}  // namespace edgehub::client
