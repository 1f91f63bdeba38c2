#pragma once
// Hashing a whole credentials file: argon2id costs tens of milliseconds (and
// 64 MiB) per password at the default cost, so thousands of devices take
// minutes. The passwords are hashed on several threads, progress is
// reported, and the work can be stopped (a SIGTERM during start-up).
#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "hub/core/hub_config.hpp"

namespace edgehub::hub {

struct BatchControl {
  // Polled while hashing; once true, no further password is started.
  std::function<bool()> stop;
  // Told (0, total) first, (done, total) every `every`, (total, total)
  // at the end if not stopped.
  std::function<void(std::size_t done, std::size_t total)> progress;
  std::chrono::milliseconds every{5000};
};

// As many threads as cores, but no more than fit in 1 GiB of argon2
// memory, nor more than there are passwords.
std::size_t hashing_threads(std::size_t passwords, const Argon2Cost& cost);

// The hashes, in the passwords' order; nullopt if stopped first.
std::optional<std::vector<std::string>> hash_passwords(const std::vector<std::string>& passwords,
                                                       const Argon2Cost& cost, const BatchControl& control = {});

}  // namespace edgehub::hub
