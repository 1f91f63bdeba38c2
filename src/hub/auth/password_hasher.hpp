#pragma once
// argon2id through libsodium. Hash strings carry their own parameters, so
// verification needs no cost setting.
#include <string>
#include <string_view>

#include "hub/core/hub_config.hpp"

namespace edgehub::hub {

// Throws std::runtime_error if libsodium cannot allocate the memory cost.
std::string hash_password(std::string_view password, const Argon2Cost& cost);
bool verify_password(const std::string& hash, std::string_view password);

}  // namespace edgehub::hub
