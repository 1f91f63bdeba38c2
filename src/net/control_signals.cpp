#include "net/control_signals.hpp"

#include <pthread.h>

#include <csignal>

namespace edgehub::net {
namespace {

sigset_t control_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  return set;
}

}  // namespace

void block_control_signals() {
  const auto set = control_signals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

void unblock_control_signals() {
  const auto set = control_signals();
  pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
}

ControlSignalsBlocked::ControlSignalsBlocked() {
  const auto set = control_signals();
  pthread_sigmask(SIG_BLOCK, &set, &before_);
}

ControlSignalsBlocked::~ControlSignalsBlocked() { pthread_sigmask(SIG_SETMASK, &before_, nullptr); }

bool stop_signal_pending() {
  sigset_t pending;
  sigemptyset(&pending);
  if (sigpending(&pending) != 0) return false;
  return sigismember(&pending, SIGINT) == 1 || sigismember(&pending, SIGTERM) == 1;
}

}  // namespace edgehub::net
