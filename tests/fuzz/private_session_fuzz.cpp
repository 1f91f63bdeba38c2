// Fuzz target for what a private-session peer can send
// (docs/MESSAGING.md#private-sessions): the clear hello
// (src/client/messaging/private_wire.*) and the encrypted records
// (src/client/messaging/private_records.*). Any input must parse or fail
// cleanly, and a record that opens must be exactly what the sender would
// have sealed: AEAD means nothing else opens. The keys come from fixed
// seeds, so the seed corpus holds real records (made by
// tests/integration/private_peer.py, see tests/fuzz/corpus/private_session/README).
#include <sodium.h>

#include <array>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "client/messaging/private_records.hpp"
#include "client/messaging/private_wire.hpp"

namespace {

using edgehub::client::PrivateCipher;
using edgehub::p2p::crypto::KxKeyPair;

// alice (seed 32 x 0x01) initiates, bob (seed 32 x 0x02) listens.
const KxKeyPair& keys(int who) {
  static const std::array<KxKeyPair, 2> pairs = [] {
    if (sodium_init() < 0) std::abort();
    std::array<KxKeyPair, 2> p;
    for (int i = 0; i < 2; ++i) {
      std::array<unsigned char, crypto_kx_SEEDBYTES> seed;
      seed.fill(static_cast<unsigned char>(i + 1));
      crypto_kx_seed_keypair(p[i].public_key.data(), p[i].secret_key.data(), seed.data());
    }
    return p;
  }();
  return pairs[static_cast<std::size_t>(who)];
}

PrivateCipher cipher(bool alice) {
  const KxKeyPair& mine = keys(alice ? 0 : 1);
  const KxKeyPair& theirs = keys(alice ? 1 : 0);
  // No cipher offer: the keys of before negotiation, which the seed corpus's records were sealed with.
  auto c = PrivateCipher::make(mine, "", {theirs.public_key, std::nullopt}, alice,
                               {"alice", "bob", "0123456789abcdef0123456789abcdef"});
  if (!c) std::abort();
  return std::move(*c);
}

void check_hello(std::string_view text) {
  const auto hello = edgehub::client::parse_hello(text);
  if (hello && (hello->name.empty() || hello->token.empty())) std::abort();
}

// bob reads the input as the stream alice sent.
void check_records(std::string_view text) {
  PrivateCipher bob = cipher(false), alice = cipher(true);
  std::string buffer(text);
  for (;;) {
    const std::size_t before = buffer.size();
    auto result = bob.open(buffer);
    const auto* line = std::get_if<PrivateCipher::Opened>(&result);
    if (line == nullptr) {
      if (buffer.size() != before) std::abort();  // a refusal or a wait consumes nothing
      return;
    }
    if (line->size() > edgehub::client::kPrivateMaxLine) std::abort();
    const std::string_view consumed = text.substr(text.size() - before, before - buffer.size());
    if (alice.seal(*line) != consumed) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  check_hello(text);
  check_records(text);
  return 0;
}
