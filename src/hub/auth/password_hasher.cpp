#include "hub/auth/password_hasher.hpp"

#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace edgehub::hub {
namespace {
struct SodiumInit {
  SodiumInit() {
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  }
};
void ensure_sodium() { static const SodiumInit init; }
}  // namespace

std::string hash_password(std::string_view password, const Argon2Cost& cost) {
  ensure_sodium();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), cost.ops, cost.mem_bytes,
                            crypto_pwhash_ALG_ARGON2ID13) != 0)
    throw std::runtime_error("argon2id hashing failed (out of memory?)");
  return out;
}

bool verify_password(const std::string& hash, std::string_view password) {
  ensure_sodium();
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

std::optional<std::string> password_problem(std::string_view password) {
  constexpr std::size_t kMaxPassword = 1024;
  if (password.empty()) return "the password is empty";
  if (password.size() > kMaxPassword) return "the password is longer than 1024 bytes";
  const bool spaced = std::any_of(password.begin(), password.end(),
                                  [](unsigned char c) { return std::isspace(c) != 0 || std::iscntrl(c) != 0; });
  if (spaced) return "the password contains a space or a control character";
  return std::nullopt;
}

}  // namespace edgehub::hub
