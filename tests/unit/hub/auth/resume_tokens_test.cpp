#include "hub/auth/resume_tokens.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <gtest/gtest.h>

#include "hub/auth/token_store.hpp"
#include "unit/hub/injected_time.hpp"

#include <set>

namespace edgehub::hub {
namespace {

using namespace std::chrono_literals;
using Clock = ResumeTokens::Clock;

using test::t0;  // injected time, never the real clock

TEST(ResumeTokens, IssueThenRedeemOnce) {
  ResumeTokens tokens(60s);
  const std::string tok = tokens.issue("alice", t0);
  EXPECT_EQ(tok.size(), 64u);  // 256 bits, hex
  EXPECT_TRUE(tokens.redeem("alice", tok, t0 + 1s));
  EXPECT_FALSE(tokens.redeem("alice", tok, t0 + 2s)) << "tokens are single use";
}

TEST(ResumeTokens, WrongNameOrTokenRefused) {
  ResumeTokens tokens(60s);
  const std::string tok = tokens.issue("alice", t0);
  EXPECT_FALSE(tokens.redeem("bob", tok, t0));
  EXPECT_FALSE(tokens.redeem("Alice", tok, t0));
  std::string altered = tok;
  altered[0] = altered[0] == 'a' ? 'b' : 'a';
  EXPECT_FALSE(tokens.redeem("alice", altered, t0));
  EXPECT_FALSE(tokens.redeem("alice", "", t0));
  // Failed attempts do not spend the real token.
  EXPECT_TRUE(tokens.redeem("alice", tok, t0));
}

TEST(ResumeTokens, ExpiredTokenRefused) {
  ResumeTokens tokens(60s);
  const std::string tok = tokens.issue("alice", t0);
  EXPECT_FALSE(tokens.redeem("alice", tok, t0 + 60s));
  const std::string tok2 = tokens.issue("alice", t0);
  EXPECT_TRUE(tokens.redeem("alice", tok2, t0 + 59s));
}

TEST(ResumeTokens, NewTokenReplacesTheOld) {
  ResumeTokens tokens(60s);
  const std::string first = tokens.issue("alice", t0);
  const std::string second = tokens.issue("alice", t0);
  EXPECT_NE(first, second);
  EXPECT_FALSE(tokens.redeem("alice", first, t0));
  EXPECT_TRUE(tokens.redeem("alice", second, t0));
}

TEST(ResumeTokens, TokensAreRandom) {
  ResumeTokens tokens(60s);
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) seen.insert(tokens.issue("n" + std::to_string(i), t0));
  EXPECT_EQ(seen.size(), 100u);
}

TEST(ResumeTokens, BoundedTable) {
  ResumeTokens tokens(60s, 4);
  tokens.issue("early", t0);
  for (int i = 0; i < 50; ++i) tokens.issue("n" + std::to_string(i), t0 + 1s);
  // Something had to go; the newest must still work.
  const std::string last = tokens.issue("last", t0 + 2s);
  EXPECT_TRUE(tokens.redeem("last", last, t0 + 2s));
}

// docs/SECURITY.md#device-certificates: a certificate login's token is
// bound to that certificate.
TEST(ResumeTokens, BoundTokenResumesOnlyWithTheSameCertificate) {
  using R = ResumeTokens::Redeemed;
  ResumeTokens tokens(60s);
  const std::string tok = tokens.issue("sensor1", t0, "SHA256:aaa");
  EXPECT_EQ(tokens.redeem("sensor1", tok, t0, ""), R::other_certificate);
  EXPECT_FALSE(tokens.redeem("sensor1", tok, t0)) << "no certificate presented";
  EXPECT_EQ(tokens.redeem("sensor1", tok, t0, "SHA256:bbb"), R::other_certificate);
  std::string altered = tok;
  altered[0] = altered[0] == 'a' ? 'b' : 'a';
  EXPECT_EQ(tokens.redeem("sensor1", altered, t0, "SHA256:aaa"), R::invalid);
  EXPECT_EQ(tokens.redeem("sensor1", tok, t0, "SHA256:aaa"), R::ok_certificate) << "the refusals did not spend it";
  EXPECT_EQ(tokens.redeem("sensor1", tok, t0, "SHA256:aaa"), R::invalid) << "single use";
}

TEST(ResumeTokens, UnboundTokenResumesWithOrWithoutACertificate) {
  using R = ResumeTokens::Redeemed;
  ResumeTokens tokens(60s);
  const std::string tok = tokens.issue("alice", t0);
  EXPECT_EQ(tokens.redeem("alice", tok, t0, "SHA256:aaa"), R::ok);
}

TEST(ResumeTokens, RevokeSpendsOnlyThatNamesToken) {
  ResumeTokens tokens(60s);
  const std::string alice = tokens.issue("alice", t0);
  const std::string bob = tokens.issue("bob", t0);
  tokens.revoke("alice");
  tokens.revoke("nobody");
  EXPECT_FALSE(tokens.redeem("alice", alice, t0));
  EXPECT_TRUE(tokens.redeem("bob", bob, t0));
}

// The cluster's table keeps the same digests (hub/cluster/token_table.hpp):
// 32 bytes of BLAKE2b in hex, never the token itself.
TEST(ResumeTokens, NewTokensAreRandomAndTheirDigestIsBlake2bHex) {
  const std::string a = ResumeTokens::new_token();
  const std::string b = ResumeTokens::new_token();
  EXPECT_EQ(a.size(), 64u);
  EXPECT_NE(a, b);
  const std::string digest = ResumeTokens::digest_hex(a);
  EXPECT_EQ(digest.size(), 64u);
  EXPECT_NE(digest, a);
  EXPECT_EQ(digest, ResumeTokens::digest_hex(a));
  EXPECT_NE(digest, ResumeTokens::digest_hex(b));
  // BLAKE2b-256 of "abc" (RFC 7693's test input), as libsodium computes it.
  EXPECT_EQ(ResumeTokens::digest_hex("abc"), "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
}

TEST(MemoryTokenStore, AnswersAtOnceAndLeavesTheClaimToTheLogin) {
  MemoryTokenStore store(60s);
  EXPECT_FALSE(store.claims_login());
  boost::asio::io_context io;
  const DeviceClaim alice{"alice", "127.0.0.1", 0};
  const std::string none;
  std::vector<ResumeTokens::Redeemed> seen;
  boost::asio::co_spawn(
      io,
      [&]() -> boost::asio::awaitable<void> {
        const std::string token = co_await store.issue("alice", none);
        seen.push_back(co_await store.redeem(alice, token, none));
        seen.push_back(co_await store.redeem(alice, token, none));
        const std::string again = co_await store.issue("alice", none);
        store.revoke("alice");
        seen.push_back(co_await store.redeem(alice, again, none));
      },
      boost::asio::detached);
  io.run();
  using R = ResumeTokens::Redeemed;
  EXPECT_EQ(seen, (std::vector<R>{R::ok, R::invalid, R::invalid}));
}

}  // namespace
}  // namespace edgehub::hub
