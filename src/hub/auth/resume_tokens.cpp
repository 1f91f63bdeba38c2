#include "hub/auth/resume_tokens.hpp"

#include <sodium.h>

#include "common/strings.hpp"

namespace edgehub::hub {

ResumeTokens::ResumeTokens(std::chrono::seconds lifetime, std::size_t max_tokens)
    : lifetime_(lifetime), max_tokens_(max_tokens) {}

ResumeTokens::Digest ResumeTokens::digest_of(std::string_view token) {
  Digest out{};
  crypto_generichash(out.data(), out.size(), reinterpret_cast<const unsigned char*>(token.data()), token.size(),
                     nullptr, 0);
  return out;
}

std::string ResumeTokens::new_token() {
  unsigned char raw[32];
  randombytes_buf(raw, sizeof raw);
  return to_hex(raw, sizeof raw);
}

std::string ResumeTokens::digest_hex(std::string_view text) {
  const Digest digest = digest_of(text);
  return to_hex(digest.data(), digest.size());
}

std::string ResumeTokens::issue(const std::string& name, Clock::time_point now, std::string_view certificate) {
  std::string token = new_token();
  std::lock_guard lock(mutex_);
  if (by_name_.size() >= max_tokens_) expire(now);
  if (by_name_.size() >= max_tokens_) erase(by_name_.begin());
  by_name_[name] = Entry{digest_of(token), now + lifetime_};
  if (certificate.empty())
    bound_.erase(name);
  else
    bound_[name] = digest_of(certificate);
  return token;
}

ResumeTokens::Redeemed ResumeTokens::redeem(const std::string& name, const std::string& token, Clock::time_point now,
                                            std::string_view certificate) {
  const Digest digest = digest_of(token);
  std::lock_guard lock(mutex_);
  const auto it = by_name_.find(name);
  if (it == by_name_.end()) return Redeemed::invalid;
  const Entry& entry = it->second;
  if (now >= entry.expires || sodium_memcmp(entry.digest.data(), digest.data(), digest.size()) != 0)
    return Redeemed::invalid;
  const auto binding = bound_.find(name);
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
  std::lock_guard lock(mutex_);
  by_name_.erase(name);
  bound_.erase(name);
}

void ResumeTokens::erase(std::unordered_map<std::string, Entry>::iterator it) {
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
