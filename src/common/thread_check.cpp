#include "common/thread_check.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>

namespace edgehub {

void thread_check_failed(std::string_view function) {
  std::fprintf(stderr, "edgehub: thread check failed: %.*s ran on thread %d, not on the thread that owns its state\n",
               static_cast<int>(function.size()), function.data(), static_cast<int>(::gettid()));
  std::fflush(stderr);
  std::abort();
}

}  // namespace edgehub
