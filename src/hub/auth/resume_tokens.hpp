#pragma once
// Opaque resume tokens: a device that logged in with its password gets a
// random 256-bit token and can reconnect with "resume NAME TOKEN" without
// paying an argon2 verification again. Only a BLAKE2b digest of each token
// is kept, in memory (a restart invalidates them all). Tokens are single-use
// (resuming rotates them) and expire. Thread-safe and bounded.
// A token issued on a certificate login is bound to that certificate: it
// resumes only over a connection presenting the same one
// (docs/SECURITY.md#device-certificates).
#include <array>
#include <chrono>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace edgehub::hub {

class ResumeTokens {
 public:
  using Clock = std::chrono::steady_clock;
  ResumeTokens(std::chrono::seconds lifetime, std::size_t max_tokens = 1'000'000);

  // A new token for name (hex), replacing the name's previous one;
  // certificate: the fingerprint of the certificate it is bound to, or "".
  std::string issue(const std::string& name, Clock::time_point now, std::string_view certificate = {});

  enum class Redeemed {
    invalid,            // unknown, wrong or expired
    ok,                 // spent; it was not bound
    ok_certificate,     // spent; it was bound to the certificate presented
    other_certificate,  // bound to a certificate this connection does not present: not spent
    // Only from a store that claims the login as it spends the token
    // (hub/cluster/cluster_tokens.hpp): the account is online on another
    // node, so the token was not spent.
    online_elsewhere,
  };
  // certificate: the fingerprint of the verified certificate the
  // connection presents, or "".
  Redeemed redeem(const std::string& name, const std::string& token, Clock::time_point now,
                  std::string_view certificate);
  // True, and the token is spent, if token is name's live unbound token.
  bool redeem(const std::string& name, const std::string& token, Clock::time_point now) {
    return redeem(name, token, now, {}) == Redeemed::ok;
  }
  // Spends name's token, if any: it stood in for a password that changed
  // or an account that is gone.
  void revoke(const std::string& name);

  // A new random token (hex), and the digest kept of a token or of a
  // certificate's fingerprint (hex of 32 bytes of BLAKE2b): shared with
  // the cluster's table of tokens, which keeps the same digests.
  static std::string new_token();
  static std::string digest_hex(std::string_view text);

 private:
  // What is kept per name, as raw bytes in one small hash node each (one
  // per device that logged in; docs/BENCHMARKS.md#memory-per-device):
  // the name as a 16-byte BLAKE2b digest keyed with a secret of this
  // process (no collision can be chosen, and none happens by chance among
  // a million names but with probability ~2^-88), and the token as a
  // 16-byte digest (guessing a token that matches it stays 2^-128).
  using Digest = std::array<unsigned char, 16>;
  struct DigestHash {
    std::size_t operator()(const Digest& d) const noexcept;
  };
  struct Entry {
    Digest token;
    Clock::time_point expires;
  };
  using Table = std::unordered_map<Digest, Entry, DigestHash>;
  static Digest digest_of(std::string_view token);
  Digest key_of(std::string_view name) const;
  void expire(Clock::time_point now);
  void erase(Table::iterator it);

  const std::chrono::seconds lifetime_;
  const std::size_t max_tokens_;
  std::array<unsigned char, 32> name_secret_{};
  std::mutex mutex_;
  Table by_name_;
  // The digest of the certificate a name's token is bound to. Apart from
  // Entry: few tokens are bound, and an optional in every entry would make
  // each map node larger.
  std::unordered_map<Digest, Digest, DigestHash> bound_;
};

}  // namespace edgehub::hub
