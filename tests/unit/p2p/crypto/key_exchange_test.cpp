#include "p2p/crypto/key_exchange.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <cctype>
#include <string>

namespace edgehub::p2p::crypto {
namespace {

class KeyExchange : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { ASSERT_GE(sodium_init(), 0); }
};

TEST_F(KeyExchange, BothSidesDeriveMatchingKeys) {
  const KxKeyPair alice = make_kx_keypair(), bob = make_kx_keypair();
  const auto a = derive_session_keys(alice, bob.public_key, true, "token");
  const auto b = derive_session_keys(bob, alice.public_key, false, "token");
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->tx, b->rx);
  EXPECT_EQ(a->rx, b->tx);
  EXPECT_NE(a->rx, a->tx);  // one key per direction
}

TEST_F(KeyExchange, SameRoleOnBothSidesDoesNotMatch) {
  const KxKeyPair alice = make_kx_keypair(), bob = make_kx_keypair();
  const auto a = derive_session_keys(alice, bob.public_key, true, "token");
  const auto b = derive_session_keys(bob, alice.public_key, true, "token");
  ASSERT_TRUE(a && b);
  EXPECT_NE(a->tx, b->rx);
}

TEST_F(KeyExchange, ContextChangesTheKeys) {
  const KxKeyPair alice = make_kx_keypair(), bob = make_kx_keypair();
  const auto one = derive_session_keys(alice, bob.public_key, true, "token-1");
  const auto two = derive_session_keys(alice, bob.public_key, true, "token-2");
  const auto other_side = derive_session_keys(bob, alice.public_key, false, "token-2");
  ASSERT_TRUE(one && two && other_side);
  EXPECT_NE(one->tx, two->tx);
  EXPECT_NE(one->rx, two->rx);
  EXPECT_NE(one->tx, other_side->rx);  // a mismatched context never opens the other's records
  EXPECT_EQ(two->tx, other_side->rx);
}

TEST_F(KeyExchange, FreshKeyPairsDiffer) {
  const KxKeyPair a = make_kx_keypair(), b = make_kx_keypair();
  EXPECT_NE(a.public_key, b.public_key);
  EXPECT_NE(a.secret_key, b.secret_key);
}

TEST_F(KeyExchange, LowOrderKeyIsRejected) {
  const KxKeyPair alice = make_kx_keypair();
  PublicKey zero{};  // the identity point: shared secret all zeros
  EXPECT_FALSE(derive_session_keys(alice, zero, true, "t"));
  EXPECT_FALSE(derive_session_keys(alice, zero, false, "t"));
  PublicKey one{};
  one[0] = 1;  // order 1 as well
  EXPECT_FALSE(derive_session_keys(alice, one, true, "t"));
}

TEST_F(KeyExchange, PublicKeyRoundTripsThroughHex) {
  const KxKeyPair kp = make_kx_keypair();
  const std::string hex = encode_public_key(kp.public_key);
  EXPECT_EQ(hex.size(), 64u);
  EXPECT_EQ(hex.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(decode_public_key(hex), kp.public_key);
  std::string upper = hex;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_EQ(decode_public_key(upper), kp.public_key);
}

TEST_F(KeyExchange, MalformedPublicKeysAreRejected) {
  const std::string good = encode_public_key(make_kx_keypair().public_key);
  EXPECT_FALSE(decode_public_key(""));
  EXPECT_FALSE(decode_public_key(good.substr(0, 63)));
  EXPECT_FALSE(decode_public_key(good + "0"));
  EXPECT_FALSE(decode_public_key(std::string(63, 'a') + "g"));
  EXPECT_FALSE(decode_public_key(std::string(62, 'a') + " a"));
}

TEST_F(KeyExchange, SasIsTheSameOnBothSides) {
  const KxKeyPair alice = make_kx_keypair(), bob = make_kx_keypair();
  const std::string at_alice = short_authentication_string(alice.public_key, bob.public_key);
  EXPECT_EQ(at_alice, short_authentication_string(bob.public_key, alice.public_key));
  ASSERT_EQ(at_alice.size(), 6u * 5 + 5);  // six groups of five digits
  for (std::size_t i = 0; i < at_alice.size(); ++i)
    EXPECT_TRUE(i % 6 == 5 ? at_alice[i] == ' ' : (at_alice[i] >= '0' && at_alice[i] <= '9')) << at_alice;
}

TEST_F(KeyExchange, SasDiffersForASubstitutedKey) {
  const KxKeyPair alice = make_kx_keypair(), bob = make_kx_keypair(), mallory = make_kx_keypair();
  const std::string real = short_authentication_string(alice.public_key, bob.public_key);
  EXPECT_NE(real, short_authentication_string(alice.public_key, mallory.public_key));
  EXPECT_NE(real, short_authentication_string(mallory.public_key, bob.public_key));
}

TEST_F(KeyExchange, SasIsStableForFixedKeys) {
  // Pins the derivation: both sides of a session may run different builds.
  // Checked independently: Python hashlib.blake2b(label + lo + hi, digest_size=64).
  PublicKey a{}, b{};
  for (std::size_t i = 0; i < a.size(); ++i) {
    a[i] = static_cast<std::uint8_t>(i);
    b[i] = static_cast<std::uint8_t>(255 - i);
  }
  EXPECT_EQ(short_authentication_string(a, b), short_authentication_string(b, a));
  EXPECT_EQ(short_authentication_string(a, b), "00952 21736 65319 69759 14378 09173");
}

}  // namespace
}  // namespace edgehub::p2p::crypto
