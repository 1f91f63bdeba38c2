#pragma once
// Incremental SHA-256 (OpenSSL EVP) for whole-file integrity checks.
#include <array>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace edgehub {

using Sha256Digest = std::array<unsigned char, 32>;

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(Sha256&&) noexcept;
  Sha256& operator=(Sha256&&) noexcept;
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(const void* data, std::size_t len);
  void update(std::string_view s) { update(s.data(), s.size()); }
  Sha256Digest finish();  // resets for reuse

 private:
  struct Ctx;
  std::unique_ptr<Ctx> ctx_;
};

std::string sha256_hex(std::string_view data);
std::string digest_hex(const Sha256Digest& d);
// SHA-256 of a whole file, hex; throws std::runtime_error if unreadable.
std::string sha256_file_hex(const std::string& path);

}  // namespace edgehub
