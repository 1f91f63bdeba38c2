// What the shared table's redeem statement answers, read back
// (hub/cluster/token_table.hpp); the statement itself runs against real
// nodes in tests/integration/test_cluster_resume.py.
#include "hub/cluster/token_table.hpp"

#include <gtest/gtest.h>

namespace edgehub::hub {
namespace {

using R = ResumeTokens::Redeemed;

TEST(TokenTable, ASpentTokenSaysWhetherItWasBound) {
  EXPECT_EQ(redeemed_of(false, false), R::ok);
  EXPECT_EQ(redeemed_of(true, false), R::ok_certificate);
}

TEST(TokenTable, AnUnspentTokenIsBoundElsewhereOrInvalid) {
  EXPECT_EQ(redeemed_of(std::nullopt, true), R::other_certificate);
  EXPECT_EQ(redeemed_of(std::nullopt, false), R::invalid);
}

}  // namespace
}  // namespace edgehub::hub
