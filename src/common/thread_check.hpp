#pragma once
// Debug-build checks that code runs on the thread that owns its state, in
// the way muduo's EventLoop::assertInLoopThread() does (docs/ARCHITECTURE.md,
// "Threads and who owns what"). A connection's socket, buffers, write queue
// and hub::Session belong to its io_context's one thread; the entry points
// that touch them state so with EDGEHUB_ASSERT_OWN_THREAD(on_own_thread, name).
//
// On when EDGEHUB_THREAD_CHECKS is defined: Debug builds and the ASan and
// TSan builds (CMakeLists.txt). Off in release builds, where the condition
// is not even evaluated. A failed check prints the function's name and the
// thread's id to stderr and aborts: a wrong thread is a bug to fix, never a
// state to continue from.
#include <string_view>

namespace edgehub {

#ifdef EDGEHUB_THREAD_CHECKS
inline constexpr bool kThreadChecks = true;
#else
inline constexpr bool kThreadChecks = false;
#endif

// Prints "thread check failed: <function> ..." and aborts.
[[noreturn]] void thread_check_failed(std::string_view function);

}  // namespace edgehub

#ifdef EDGEHUB_THREAD_CHECKS
#define EDGEHUB_ASSERT_OWN_THREAD(on_own_thread, function)          \
  do {                                                              \
    if (!(on_own_thread)) ::edgehub::thread_check_failed(function); \
  } while (false)
#else
#define EDGEHUB_ASSERT_OWN_THREAD(on_own_thread, function) ((void)0)
#endif
