#pragma once
// An argon2id cost that keeps unit tests fast: 8 KiB, one pass. Real costs
// are exercised by the integration tests and bench/login_bench.sh.
#include "hub/core/hub_config.hpp"

namespace edgehub::hub::test {

inline const Argon2Cost kCheap{1, 8 * 1024};

}  // namespace edgehub::hub::test
