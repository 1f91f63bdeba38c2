#pragma once
// Runs work(i) for every part index i in [0, parts): part 0 on the calling
// thread, the others on threads of their own, and waits for all of them.
// An exception thrown by any part (std::bad_alloc under a memory limit, for
// one) is carried back and rethrown here, the first by part order, once
// every thread has ended: never std::terminate in a helper thread
// (docs/EDGE_DATA.md#median-in-bounded-memory). A thread that cannot be started
// (the system is short of memory or threads) runs its part on this thread.
#include <cstddef>
#include <exception>
#include <system_error>
#include <thread>
#include <vector>

namespace edgehub::data {

template <class Work>
void run_parts(std::size_t parts, const Work& work) {
  std::vector<std::exception_ptr> errors(parts);
  const auto guarded = [&work, &errors](std::size_t i) noexcept {
    try {
      work(i);
    } catch (...) {
      errors[i] = std::current_exception();
    }
  };
  {
    std::vector<std::jthread> helpers;
    helpers.reserve(parts);
    for (std::size_t i = 1; i < parts; ++i) {
      try {
        helpers.emplace_back(guarded, i);
      } catch (const std::system_error&) {
        guarded(i);
      }
    }
    if (parts > 0) guarded(0);
  }  // the helpers join here
  for (const auto& error : errors)
    if (error) std::rethrow_exception(error);
}

}  // namespace edgehub::data
