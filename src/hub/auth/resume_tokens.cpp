#include "hub/auth/resume_tokens.hpp"

#include <sodium.h>

#include <cstring>
#include <span>

#include "common/strings.hpp"

namespace edgehub::hub {

ResumeTokens::ResumeTokens(std::chrono::seconds lifetime, std::size_t max_tokens)
    : lifetime_(lifetime), max_tokens_(max_tokens) {
  randombytes_buf(name_secret_.data(), name_secret_.size());
}

std::size_t ResumeTokens::DigestHash::operator()(const Digest& d) const noexcept {
  std::size_t h = 0;  // the digest is already uniform: its first bytes are the hash
  std::memcpy(&h, d.data(), sizeof h);
  return h;
}

namespace {

// BLAKE2b of text, N bytes long, keyed if key is not empty.
template <std::size_t N>
std::array<unsigned char, N> blake2b(std::string_view text, std::span<const unsigned char> key = {}) {
  std::array<unsigned char, N> out{};
  crypto_generichash(out.data(), out.size(), reinterpret_cast<const unsigned char*>(text.data()), text.size(),
                     key.empty() ? nullptr : key.data(), key.size());
  return out;
}

}  // namespace

ResumeTokens::Digest ResumeTokens::digest_of(std::string_view token) { return blake2b<16>(token); }

ResumeTokens::Digest ResumeTokens::key_of(std::string_view name) const { return blake2b<16>(name, name_secret_); }

std::string ResumeTokens::new_token() {
  unsigned char raw[32];
  randombytes_buf(raw, sizeof raw);
  return to_hex(raw, sizeof raw);
}

// 32 bytes, as the cluster's table keeps them (a column of its own, not this process's memory).
std::string ResumeTokens::digest_hex(std::string_view text) {
  const auto digest = blake2b<32>(text);
  return to_hex(digest.data(), digest.size());
}

std::string ResumeTokens::issue(const std::string& name, Clock::time_point now, std::string_view certificate) {
  std::string token = new_token();
  const Digest key = key_of(name);
  std::lock_guard lock(mutex_);
  if (by_name_.size() >= max_tokens_) expire(now);
  if (by_name_.size() >= max_tokens_) erase(by_name_.begin());
  by_name_[key] = Entry{digest_of(token), now + lifetime_};
  if (certificate.empty())
    bound_.erase(key);
  else
    bound_[key] = digest_of(certificate);
  return token;
}

ResumeTokens::Redeemed ResumeTokens::redeem(const std::string& name, const std::string& token, Clock::time_point now,
                                            std::string_view certificate) {
  const Digest digest = digest_of(token);
  const Digest key = key_of(name);
  std::lock_guard lock(mutex_);
  const auto it = by_name_.find(key);
  if (it == by_name_.end()) return Redeemed::invalid;
  const Entry& entry = it->second;
  if (now >= entry.expires || sodium_memcmp(entry.token.data(), digest.data(), digest.size()) != 0)
    return Redeemed::invalid;
  const auto binding = bound_.find(key);
  const bool bound = binding != bound_.end();
  if (bound) {
    const Digest presented = digest_of(certificate);
    if (certificate.empty() || sodium_memcmp(binding->second.data(), presented.data(), presented.size()) != 0)
      return Redeemed::other_certificate;
  }
  erase(it);
  return bound ? Redeemed::ok_certificate : Redeemed::ok;
}

void ResumeTokens::revoke(const std::string& name) {
  const Digest key = key_of(name);
  std::lock_guard lock(mutex_);
  by_name_.erase(key);
  bound_.erase(key);
}

void ResumeTokens::erase(Table::iterator it) {
  bound_.erase(it->first);
  by_name_.erase(it);
}

void ResumeTokens::expire(Clock::time_point now) {
  for (auto it = by_name_.begin(); it != by_name_.end();)
    if (now >= it->second.expires) {
      bound_.erase(it->first);
      it = by_name_.erase(it);
    } else {
      ++it;
    }
}

}  // namespace edgehub::hub
