#pragma once
// Ctrl-C during a foreground transfer in the interactive shell cancels that
// transfer, not the client (docs/CLIENT.md#keys). A transfer that can stop
// cleanly opens a ForegroundCancel for its duration; while one is open the
// shell's SIGINT handler (client/shell/shell_terminal.cpp) only marks it,
// and the transfer checks requested() between its steps. Without one,
// SIGINT ends the client as before. One foreground transfer at a time: the
// command thread's.
namespace edgehub::client {

class ForegroundCancel {
 public:
  ForegroundCancel();
  ~ForegroundCancel();
  ForegroundCancel(const ForegroundCancel&) = delete;
  ForegroundCancel& operator=(const ForegroundCancel&) = delete;

  bool requested() const;
};

// For the SIGINT handler, async-signal-safe: true (and the open
// ForegroundCancel marked) if one is open.
bool cancel_foreground() noexcept;

}  // namespace edgehub::client
