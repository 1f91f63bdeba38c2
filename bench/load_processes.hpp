#pragma once
// Fans a load out over several processes (one process may hold at most
// `ulimit -Hn` sockets). The parent forks the workers before it creates any
// Asio object, then drives them in lock-step over pipes: it writes one
// command line to each, and reads one report line back from each, so every
// phase starts only when all workers finished the previous one.
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace edgehub::bench {

// Parent-side signal state: SIGINT/SIGTERM end the run early.
inline volatile sig_atomic_t g_interrupted = 0;

inline void on_parent_signal(int) { g_interrupted = 1; }

// Raises the soft open-file limit to the hard one; returns the new limit.
inline rlim_t raise_file_limit() {
  rlimit lim{};
  if (::getrlimit(RLIMIT_NOFILE, &lim) != 0) return 0;
  lim.rlim_cur = lim.rlim_max;
  ::setrlimit(RLIMIT_NOFILE, &lim);
  return lim.rlim_cur;
}

class Workers {
 public:
  // body(index, control_fd, report_fd) runs in each child; its result is
  // the child's exit status.
  using Body = std::function<int(std::size_t, int, int)>;

  Workers(std::size_t count, const Body& body) {
    for (std::size_t i = 0; i < count; ++i) spawn(i, body);
    struct sigaction sa {};
    sa.sa_handler = on_parent_signal;  // no SA_RESTART: blocking reads return EINTR
    ::sigaction(SIGINT, &sa, nullptr);
    ::sigaction(SIGTERM, &sa, nullptr);
  }
  Workers(const Workers&) = delete;
  Workers& operator=(const Workers&) = delete;
  ~Workers() { stop_all(); }

  void broadcast(const std::string& command) {
    const std::string line = command + "\n";
    for (auto& w : workers_)
      if (w.control >= 0 && ::write(w.control, line.data(), line.size()) != static_cast<ssize_t>(line.size()))
        close_worker(w);
  }

  // One report line from each worker, in worker order; "" for a worker that
  // is gone (crashed, killed, or the run was interrupted).
  std::vector<std::string> collect() {
    std::vector<std::string> lines;
    for (auto& w : workers_) lines.push_back(read_line(w));
    return lines;
  }

  // Waits for every worker; true if all exited with status 0.
  bool wait_all() {
    bool ok = true;
    for (auto& w : workers_) {
      close_worker(w);
      int status = 0;
      if (w.pid > 0 && ::waitpid(w.pid, &status, 0) == w.pid) ok = ok && WIFEXITED(status) && WEXITSTATUS(status) == 0;
      w.pid = -1;
    }
    return ok;
  }

 private:
  struct Worker {
    pid_t pid = -1;
    int control = -1;         // parent writes commands
    FILE* reports = nullptr;  // parent reads lines
  };

  void spawn(std::size_t index, const Body& body) {
    int control[2], reports[2];
    if (::pipe(control) != 0 || ::pipe(reports) != 0) throw std::runtime_error("pipe failed");
    std::fflush(nullptr);
    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
      ::close(control[1]);
      ::close(reports[0]);
      for (auto& w : workers_) close_worker(w);  // siblings' pipes are not ours
      ::_exit(body(index, control[0], reports[1]));
    }
    ::close(control[0]);
    ::close(reports[1]);
    workers_.push_back({pid, control[1], ::fdopen(reports[0], "r")});
  }

  std::string read_line(Worker& w) {
    if (w.reports == nullptr) return "";
    char* buffer = nullptr;
    std::size_t size = 0;
    ssize_t n = -1;
    while (!g_interrupted && (n = ::getline(&buffer, &size, w.reports)) < 0 && errno == EINTR) clearerr(w.reports);
    std::string line = n > 0 ? std::string(buffer, static_cast<std::size_t>(n) - 1) : "";
    std::free(buffer);
    if (line.empty()) close_worker(w);
    return line;
  }

  void close_worker(Worker& w) {
    if (w.control >= 0) ::close(w.control);
    if (w.reports != nullptr) std::fclose(w.reports);
    w.control = -1;
    w.reports = nullptr;
  }

  void stop_all() {
    for (auto& w : workers_)
      if (w.pid > 0) ::kill(w.pid, SIGTERM);
    wait_all();
  }

  std::vector<Worker> workers_;
};

}  // namespace edgehub::bench
