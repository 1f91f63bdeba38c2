#include "p2p/crypto/channel.hpp"

#include <sodium.h>

#include <cstring>

#include "p2p/packet.hpp"
#include "p2p/wire.hpp"

namespace edgehub::p2p::crypto {
namespace {

// This conversation's key for one direction: BLAKE2b keyed with the
// direction's session key, over a label and the salt.
Aead conversation_key(const std::array<std::uint8_t, 32>& session_key, const Salt& salt, Cipher cipher) {
  static constexpr char kLabel[] = "edgehub EHT/2 conversation";
  std::array<std::uint8_t, sizeof kLabel - 1 + kSaltSize> msg{};
  std::memcpy(msg.data(), kLabel, sizeof kLabel - 1);
  std::memcpy(msg.data() + sizeof kLabel - 1, salt.data(), salt.size());
  std::array<std::uint8_t, 32> key{};
  crypto_generichash(key.data(), key.size(), msg.data(), msg.size(), session_key.data(), session_key.size());
  auto aead = Aead::make(key, cipher);
  sodium_memzero(key.data(), key.size());
  return aead;
}

}  // namespace

Salt random_salt() {
  ensure_sodium();
  Salt s{};
  randombytes_buf(s.data(), s.size());
  return s;
}

std::optional<SealedView> parse_sealed(std::span<const std::uint8_t> dg) {
  if (dg.size() < kHeaderSize + kCounterSize + kTagSize || dg[0] != kMagic || dg[1] != kSealedVersion) return {};
  WireReader r(dg);
  SealedView v;
  r.bytes(2);
  v.type = r.uint<std::uint8_t>();
  v.flags = r.uint<std::uint8_t>();
  v.dest_conn = r.uint<std::uint32_t>();
  v.counter = r.uint<std::uint64_t>();
  if (v.dest_conn == 0) {
    const auto t = r.bytes(r.uint<std::uint8_t>());
    v.ticket = {reinterpret_cast<const char*>(t.data()), t.size()};
    const auto s = r.bytes(kSaltSize);
    if (s.size() == kSaltSize) std::memcpy(v.salt.data(), s.data(), kSaltSize);
  }
  const std::size_t ad_len = dg.size() - r.remaining();
  if (!r.ok() || r.remaining() < kTagSize) return {};
  v.ad = dg.subspan(0, ad_len);
  v.cipher = dg.subspan(ad_len);
  return v;
}

Channel::Channel(const SessionKeys& keys, const Salt& salt, std::string ticket)
    : tx_(conversation_key(keys.tx, salt, keys.cipher)),
      rx_(conversation_key(keys.rx, salt, keys.cipher)),
      salt_(salt),
      ticket_(std::move(ticket)) {}

std::size_t Channel::seal(std::span<const std::uint8_t> plain, std::span<std::uint8_t> out) {
  if (plain.size() < kHeaderSize) return 0;
  const std::uint32_t dest = static_cast<std::uint32_t>(plain[4]) << 24 | static_cast<std::uint32_t>(plain[5]) << 16 |
                             static_cast<std::uint32_t>(plain[6]) << 8 | plain[7];
  const std::uint64_t counter = next_counter_;
  WireWriter w(out);
  w.uint(kMagic);
  w.uint(kSealedVersion);
  w.bytes(plain.data() + 2, kHeaderSize - 2);  // type, flags, dest conn id
  w.uint(counter);
  if (dest == 0) {
    if (ticket_.size() > kMaxTicket) return 0;
    w.uint(static_cast<std::uint8_t>(ticket_.size()));
    w.text(ticket_);
    w.bytes(salt_.data(), salt_.size());
  }
  const auto body = plain.subspan(kHeaderSize);
  const std::size_t ad_len = w.size();
  if (!w.ok() || out.size() < ad_len + body.size() + kTagSize || ad_len + body.size() + kTagSize > kMaxDatagram)
    return 0;
  tx_.seal(counter, out.subspan(0, ad_len), body, out.data() + ad_len);
  ++next_counter_;  // a retransmission is sealed again, with a new counter: never a nonce twice
  return ad_len + body.size() + kTagSize;
}

Channel::Verdict Channel::open(const SealedView& v, std::span<std::uint8_t> out, std::size_t& n) {
  if (!window_.fresh(v.counter)) return Verdict::replayed;
  const std::size_t body = v.cipher.size() - kTagSize;
  if (out.size() < kHeaderSize + body) return Verdict::forged;
  if (!rx_.open(v.counter, v.ad, v.cipher, out.data() + kHeaderSize)) return Verdict::forged;
  window_.accept(v.counter);
  std::memcpy(out.data(), v.ad.data(), kHeaderSize);
  out[1] = kVersion;
  n = kHeaderSize + body;
  return Verdict::ok;
}

}  // namespace edgehub::p2p::crypto
