// Cipher negotiation for UVF and swarm (docs/UDP.md#14-end-to-end-encryption).
#include "p2p/crypto/cipher_choice.hpp"

#include <gtest/gtest.h>

#include <string>

namespace edgehub::p2p::crypto {
namespace {

const std::string kHex(64, 'a');

TEST(CipherChoice, FirstCipherOfTheFixedOrderThatBothOffer) {
  EXPECT_EQ(choose_cipher("aes256gcm,xchacha20poly1305", "aes256gcm,xchacha20poly1305"), Cipher::aes256gcm);
  // The order of an offer does not matter, only kCipherOrder.
  EXPECT_EQ(choose_cipher("xchacha20poly1305,aes256gcm", "aes256gcm,xchacha20poly1305"), Cipher::aes256gcm);
  EXPECT_EQ(choose_cipher("aes256gcm,xchacha20poly1305", "xchacha20poly1305"), Cipher::xchacha20poly1305);
  EXPECT_EQ(choose_cipher("xchacha20poly1305", "aes256gcm,xchacha20poly1305"), Cipher::xchacha20poly1305);
  EXPECT_EQ(choose_cipher("future-cipher,xchacha20poly1305", "xchacha20poly1305"), Cipher::xchacha20poly1305);
}

TEST(CipherChoice, NothingInCommonMeansAesGcm) {
  EXPECT_EQ(choose_cipher("aes256gcm", "xchacha20poly1305"), Cipher::aes256gcm);
  EXPECT_EQ(choose_cipher("future-cipher", "other"), Cipher::aes256gcm);
}

TEST(CipherChoice, OfferSyntax) {
  EXPECT_TRUE(valid_offer("aes256gcm"));
  EXPECT_TRUE(valid_offer("aes256gcm,xchacha20poly1305,a-1"));
  EXPECT_FALSE(valid_offer(""));
  EXPECT_FALSE(valid_offer("aes256gcm,"));
  EXPECT_FALSE(valid_offer(",aes256gcm"));
  EXPECT_FALSE(valid_offer("AES256GCM"));
  EXPECT_FALSE(valid_offer("aes256gcm xchacha20poly1305"));
  EXPECT_FALSE(valid_offer(std::string(33, 'a')));
  EXPECT_FALSE(valid_offer("a,b,c,d,e,f,g,h,i"));
  EXPECT_TRUE(valid_offer(own_offer()));
  EXPECT_TRUE(offers(own_offer(), Cipher::xchacha20poly1305) || std::getenv("EDGEHUB_P2P_CIPHER") != nullptr);
}

TEST(CipherChoice, PeerKeyWithAndWithoutOffer) {
  const auto bare = decode_peer_key(kHex);
  ASSERT_TRUE(bare);
  EXPECT_FALSE(bare->offer);
  const auto offered = decode_peer_key(kHex + ":xchacha20poly1305");
  ASSERT_TRUE(offered);
  EXPECT_EQ(offered->key, bare->key);
  EXPECT_EQ(offered->offer, "xchacha20poly1305");
  EXPECT_FALSE(decode_peer_key(kHex + ":"));
  EXPECT_FALSE(decode_peer_key(kHex + ":Bad"));
  EXPECT_FALSE(decode_peer_key(kHex.substr(1) + ":aes256gcm"));
}

struct Pair {
  KxKeyPair a = make_kx_keypair(), b = make_kx_keypair();
  PeerKey a_as_seen(std::optional<std::string> offer) const { return {a.public_key, std::move(offer)}; }
  PeerKey b_as_seen(std::optional<std::string> offer) const { return {b.public_key, std::move(offer)}; }
};

TEST(CipherChoice, BothEndsDeriveTheSameKeysAndCipher) {
  const Pair p;
  const auto ka = derive_transfer_keys(p.a, "aes256gcm,xchacha20poly1305", p.b_as_seen("xchacha20poly1305"), true, "t");
  const auto kb =
      derive_transfer_keys(p.b, "xchacha20poly1305", p.a_as_seen("aes256gcm,xchacha20poly1305"), false, "t");
  ASSERT_TRUE(ka && kb);
  EXPECT_EQ(ka->cipher, Cipher::xchacha20poly1305);
  EXPECT_EQ(kb->cipher, Cipher::xchacha20poly1305);
  EXPECT_EQ(ka->tx, kb->rx);
  EXPECT_EQ(ka->rx, kb->tx);
}

// A peer without an offer (an older client or hub): the keys it derives
// itself (the ticket alone) and the process default cipher.
TEST(CipherChoice, AnOlderPeerGetsTheKeysItDerivesItself) {
  const Pair p;
  const auto mine = derive_transfer_keys(p.a, "aes256gcm,xchacha20poly1305", p.b_as_seen(std::nullopt), true, "t");
  const auto old = derive_session_keys(p.b, p.a.public_key, false, "t");
  ASSERT_TRUE(mine && old);
  EXPECT_EQ(mine->cipher, default_cipher());
  EXPECT_EQ(mine->tx, old->rx);
}

// A man in the middle who changes one end's offer as the other sees it (to
// steer both to a cipher of its liking) changes that end's keys: the
// conversation does not open.
TEST(CipherChoice, AChangedOfferChangesTheKeys) {
  const Pair p;
  const std::string both = "aes256gcm,xchacha20poly1305";
  const auto ka = derive_transfer_keys(p.a, both, p.b_as_seen("xchacha20poly1305"), true, "t");  // b's was changed
  const auto kb = derive_transfer_keys(p.b, both, p.a_as_seen(both), false, "t");
  ASSERT_TRUE(ka && kb);
  EXPECT_NE(ka->tx, kb->rx);
  // Stripping the offer on one side only fails alike.
  const auto stripped = derive_transfer_keys(p.b, both, p.a_as_seen(std::nullopt), false, "t");
  const auto honest = derive_transfer_keys(p.a, both, p.b_as_seen(both), true, "t");
  ASSERT_TRUE(stripped && honest);
  EXPECT_NE(honest->tx, stripped->rx);
}

}  // namespace
}  // namespace edgehub::p2p::crypto
