#pragma once
// SIGINT, SIGTERM and SIGHUP ("control signals") reach edgehubd's main
// thread only, and only once it runs the server's first network loop
// (net::Server::run). main() blocks them before it starts any thread, so
// every thread inherits the block; Server::run unblocks them on its own
// thread. Why not let any thread take them: a thread that takes a signal
// runs the handler when it next gets the chance, and under ThreadSanitizer
// (which defers handlers to its next intercepted call) a thread that waits
// in the wrong place, or ends, can delay a SIGTERM for good. Before
// serving, a stop signal simply stays pending: the credential import asks
// stop_signal_pending() between passwords.
#include <csignal>

namespace edgehub::net {

// Blocks the control signals on the calling thread (and so in every thread
// it starts afterwards).
void block_control_signals();
// Unblocks them on the calling thread; one that is pending is taken at once.
void unblock_control_signals();
// SIGINT or SIGTERM arrived while blocked, and waits.
bool stop_signal_pending();

// Blocked for the scope's lifetime, then as before: a thread started in
// the scope inherits the block.
class ControlSignalsBlocked {
 public:
  ControlSignalsBlocked();
  ~ControlSignalsBlocked();
  ControlSignalsBlocked(const ControlSignalsBlocked&) = delete;
  ControlSignalsBlocked& operator=(const ControlSignalsBlocked&) = delete;

 private:
  sigset_t before_;
};

}  // namespace edgehub::net
