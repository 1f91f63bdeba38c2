// The encrypted records of a private session (client/messaging/private_records.hpp):
// both sides agree, and a record changed, replayed, reordered or oversized on
// the way is refused with nothing of it returned.
#include "client/messaging/private_records.hpp"

#include <gtest/gtest.h>

#include <string>

#include "client/messaging/private_wire.hpp"

namespace edgehub::client {
namespace {

namespace crypto = p2p::crypto;

struct Pair {
  PrivateCipher alice, bob;
};

Pair make_pair(const PrivateParties& parties = {"alice", "bob", "0123456789abcdef0123456789abcdef"}) {
  const auto a = crypto::make_kx_keypair(), b = crypto::make_kx_keypair();
  auto alice = PrivateCipher::make(a, "", {b.public_key}, true, parties);
  auto bob = PrivateCipher::make(b, "", {a.public_key}, false, parties);
  EXPECT_TRUE(alice && bob);
  return {std::move(*alice), std::move(*bob)};
}

std::string opened(PrivateCipher& c, std::string& buffer) {
  auto r = c.open(buffer);
  if (auto* line = std::get_if<PrivateCipher::Opened>(&r)) return *line;
  if (auto* bad = std::get_if<PrivateCipher::Bad>(&r)) return "bad: " + bad->why;
  return "need more";
}

TEST(PrivateRecords, BothDirectionsOpenInOrder) {
  auto [alice, bob] = make_pair();
  std::string wire = alice.seal("MSG one");
  wire += alice.seal("MSG two");  // sealed in this order: the operands of + are not sequenced
  EXPECT_EQ(opened(bob, wire), "MSG one");
  EXPECT_EQ(opened(bob, wire), "MSG two");
  EXPECT_TRUE(wire.empty());
  std::string back = bob.seal("MSG three");
  EXPECT_EQ(opened(alice, back), "MSG three");
  EXPECT_EQ(alice.sas(), bob.sas());
}

TEST(PrivateRecords, RecordIsNotPlaintextAndHasItsLength) {
  auto [alice, bob] = make_pair();
  const std::string record = alice.seal("MSG secret words");
  EXPECT_EQ(record.find("secret"), std::string::npos);
  EXPECT_EQ(record.size(), 4 + std::string("MSG secret words").size() + 16);
  EXPECT_EQ(record.substr(0, 4), std::string("\0\0\0\x20", 4));
}

TEST(PrivateRecords, PartialRecordNeedsMoreAndLeavesTheBuffer) {
  auto [alice, bob] = make_pair();
  const std::string record = alice.seal("MSG hi");
  for (std::size_t cut : {std::size_t{0}, std::size_t{3}, record.size() - 1}) {
    std::string part = record.substr(0, cut);
    EXPECT_EQ(opened(bob, part), "need more");
    EXPECT_EQ(part.size(), cut);
  }
  std::string whole = record;
  EXPECT_EQ(opened(bob, whole), "MSG hi");
}

TEST(PrivateRecords, AnyChangedByteIsRefused) {
  const std::size_t size = 4 + 6 + 16;
  for (std::size_t i = 4; i < size; ++i) {
    auto [a2, bob] = make_pair();  // fresh keys: a refused record ends the session
    std::string wire = a2.seal("MSG hi");
    wire[i] = static_cast<char>(wire[i] ^ 0x40);
    EXPECT_EQ(opened(bob, wire), "bad: failed authentication") << i;
  }
}

TEST(PrivateRecords, ChangedLengthIsRefused) {
  auto [alice, bob] = make_pair();
  std::string wire = alice.seal("MSG hi") + std::string(8, 'x');
  wire[3] = static_cast<char>(wire[3] + 1);  // one byte longer: the AD and the tag disagree
  EXPECT_EQ(opened(bob, wire), "bad: failed authentication");
}

TEST(PrivateRecords, ReplayedOrReorderedRecordIsRefused) {
  auto [alice, bob] = make_pair();
  const std::string first = alice.seal("MSG one");
  std::string wire = first;
  EXPECT_EQ(opened(bob, wire), "MSG one");
  wire = first;
  EXPECT_EQ(opened(bob, wire), "bad: failed authentication");

  auto [alice2, bob2] = make_pair();
  const std::string one = alice2.seal("MSG one");
  const std::string two = alice2.seal("MSG two");
  wire = two + one;
  EXPECT_EQ(opened(bob2, wire), "bad: failed authentication");
}

TEST(PrivateRecords, ImpossibleLengthsAreRefusedAtOnce) {
  auto [alice, bob] = make_pair();
  std::string huge("\x7f\xff\xff\xff", 4);
  EXPECT_EQ(opened(bob, huge), "bad: had an impossible length (2147483647 bytes)");
  std::string tiny("\0\0\0\x05xxxxx", 9);
  EXPECT_EQ(opened(bob, tiny), "bad: had an impossible length (5 bytes)");
  std::string largest = alice.seal(std::string(kPrivateMaxLine, 'x'));
  EXPECT_EQ(opened(bob, largest).size(), kPrivateMaxLine);
}

TEST(PrivateRecords, OtherSessionsKeysDoNotOpen) {
  const auto a = crypto::make_kx_keypair(), b = crypto::make_kx_keypair();
  auto alice = PrivateCipher::make(a, "", {b.public_key}, true, {"alice", "bob", "token-1"});
  auto bob = PrivateCipher::make(b, "", {a.public_key}, false, {"alice", "bob", "token-2"});
  ASSERT_TRUE(alice && bob);
  std::string wire = alice->seal("MSG hi");
  EXPECT_EQ(opened(*bob, wire), "bad: failed authentication");
  EXPECT_EQ(alice->sas(), bob->sas()) << "the code depends on the keys only";
}

TEST(PrivateRecords, LowOrderKeyMakesNoCipher) {
  const auto a = crypto::make_kx_keypair();
  EXPECT_FALSE(PrivateCipher::make(a, "", {crypto::PublicKey{}}, true, {"alice", "bob", "t"}));
}

// Cipher negotiation, as UVF's (p2p/crypto/cipher_choice.hpp): each side
// sees the other's offer through the hub; both take the first cipher of
// kCipherOrder that both name.
struct Negotiated {
  std::optional<PrivateCipher> alice, bob;
};

Negotiated negotiate(std::string_view alice_offer, std::string_view bob_offer,
                     std::string_view bob_offer_as_alice_sees_it) {
  const auto a = crypto::make_kx_keypair(), b = crypto::make_kx_keypair();
  const PrivateParties parties{"alice", "bob", "0123456789abcdef"};
  return {PrivateCipher::make(a, alice_offer, {b.public_key, std::string(bob_offer_as_alice_sees_it)}, true, parties),
          PrivateCipher::make(b, bob_offer, {a.public_key, std::string(alice_offer)}, false, parties)};
}

TEST(PrivateRecords, NegotiatesTheFirstCipherBothOffer) {
  auto n = negotiate("aes256gcm,xchacha20poly1305", "xchacha20poly1305", "xchacha20poly1305");
  ASSERT_TRUE(n.alice && n.bob);
  EXPECT_STREQ(n.alice->cipher_name(), "xchacha20poly1305");
  EXPECT_STREQ(n.bob->cipher_name(), "xchacha20poly1305");
  std::string wire = n.alice->seal("MSG hi");
  EXPECT_EQ(opened(*n.bob, wire), "MSG hi");
  std::string back = n.bob->seal("MSG hello");
  EXPECT_EQ(opened(*n.alice, back), "MSG hello");

  auto both = negotiate("aes256gcm,xchacha20poly1305", "aes256gcm,xchacha20poly1305", "aes256gcm,xchacha20poly1305");
  ASSERT_TRUE(both.alice && both.bob);
  EXPECT_STREQ(both.alice->cipher_name(), "aes256gcm");
  std::string w = both.bob->seal("MSG x");
  EXPECT_EQ(opened(*both.alice, w), "MSG x");
}

TEST(PrivateRecords, AnOfferChangedOnTheWayMakesKeysThatDoNotOpen) {
  // The hub shows alice "aes256gcm" although bob offered XChaCha20 alone:
  // bob runs XChaCha20-Poly1305, alice AES-256-GCM, and the offers bound
  // into the keys differ, so nothing opens instead of a downgraded session.
  auto n = negotiate("aes256gcm,xchacha20poly1305", "xchacha20poly1305", "aes256gcm");
  ASSERT_TRUE(n.alice && n.bob);
  std::string wire = n.alice->seal("MSG hi");
  EXPECT_EQ(opened(*n.bob, wire), "bad: failed authentication");
  n = negotiate("xchacha20poly1305", "xchacha20poly1305", "xchacha20poly1305,aes256gcm");
  ASSERT_TRUE(n.alice && n.bob);
  EXPECT_STREQ(n.alice->cipher_name(), n.bob->cipher_name());
  std::string same_cipher = n.bob->seal("MSG hi");
  EXPECT_EQ(opened(*n.alice, same_cipher), "bad: failed authentication") << "same cipher, other offers, other keys";
}

TEST(PrivateRecords, ContextNamesTheProtocolBothNamesAndTheToken) {
  EXPECT_EQ(private_key_context({"alice", "bob", "abc"}), "EDGEHUB-PRIVATE/2 alice bob abc");
}

}  // namespace
}  // namespace edgehub::client
