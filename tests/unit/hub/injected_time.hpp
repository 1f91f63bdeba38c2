#pragma once
// Where a test's injected steady time starts: never the real clock, and far
// enough from the clock's epoch that a test may step back from it.
#include <chrono>

namespace edgehub::hub::test {

inline const std::chrono::steady_clock::time_point t0 =
    std::chrono::steady_clock::time_point{} + std::chrono::hours(1000);

}  // namespace edgehub::hub::test
