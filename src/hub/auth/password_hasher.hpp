#pragma once
// argon2id through libsodium. Hash strings carry their own parameters, so
// verification needs no cost setting.
#include <optional>
#include <string>
#include <string_view>

#include "hub/core/hub_config.hpp"

namespace edgehub::hub {

// Throws std::runtime_error if libsodium cannot allocate the memory cost.
std::string hash_password(std::string_view password, const Argon2Cost& cost);
bool verify_password(const std::string& hash, std::string_view password);
// Why a new password is refused (`edgehubd user`, the web console's
// accounts page), or nullopt: the credentials file's rule, 1 to 1024 bytes
// with no space or control character.
std::optional<std::string> password_problem(std::string_view password);

}  // namespace edgehub::hub
