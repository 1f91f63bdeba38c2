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

std::string ResumeTokens::issue(const std::string& name, Clock::time_point now, std::string_view certificate) {
  unsigned char raw[32];
  randombytes_buf(raw, sizeof raw);
  std::string token = to_hex(raw, sizeof raw);
  std::lock_guard lock(mutex_);
  if (by_name_.size() >= max_tokens_) expire(now);
  if (by_name_.size() >= max_tokens_) by_name_.erase(by_name_.begin());
  std::optional<Digest> bound;
  if (!certificate.empty()) bound = digest_of(certificate);
  by_name_[name] = Entry{digest_of(token), now + lifetime_, bound};
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
  if (entry.certificate) {
    const Digest presented = digest_of(certificate);
    if (certificate.empty() || sodium_memcmp(entry.certificate->data(), presented.data(), presented.size()) != 0)
      return Redeemed::other_certificate;
  }
  const bool bound = entry.certificate.has_value();
  by_name_.erase(it);
  return bound ? Redeemed::ok_certificate : Redeemed::ok;
}

void ResumeTokens::revoke(const std::string& name) {
  std::lock_guard lock(mutex_);
  by_name_.erase(name);
}

void ResumeTokens::expire(Clock::time_point now) {
  for (auto it = by_name_.begin(); it != by_name_.end();)
    it = now >= it->second.expires ? by_name_.erase(it) : std::next(it);
}

}  // namespace edgehub::hub
