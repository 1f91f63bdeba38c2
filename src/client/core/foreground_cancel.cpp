#include "client/core/foreground_cancel.hpp"

#include <atomic>

namespace edgehub::client {
namespace {

// Lock-free atomics: read and written by a signal handler.
std::atomic<int> g_open{0};
std::atomic<bool> g_requested{false};
static_assert(std::atomic<int>::is_always_lock_free && std::atomic<bool>::is_always_lock_free,
              "used from a signal handler");

}  // namespace

ForegroundCancel::ForegroundCancel() {
  g_requested.store(false);
  g_open.fetch_add(1);
}

ForegroundCancel::~ForegroundCancel() { g_open.fetch_sub(1); }

bool ForegroundCancel::requested() const { return g_requested.load(); }

bool cancel_foreground() noexcept {
  if (g_open.load() == 0) return false;
  g_requested.store(true);
  return true;
}

}  // namespace edgehub::client
