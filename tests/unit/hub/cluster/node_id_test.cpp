// Node ids (hub/cluster/node_id.hpp): the one kept in the data directory,
// and the rule for a chosen one (--cluster-node-id). That a running node's
// id is refused to a second node needs PostgreSQL: test_cluster.py.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "hub/cluster/node_id.hpp"

namespace edgehub::hub {
namespace {

TEST(NodeId, IsMadeOnceAndKeptInTheDataDirectory) {
  const auto dir = std::filesystem::temp_directory_path() / ("node-id-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string first = node_id_of(dir);
  EXPECT_EQ(node_id_of(dir), first);
  std::filesystem::remove_all(dir);
}

TEST(NodeId, AChosenIdIsOneTo63PlainCharacters) {
  for (const std::string& good :
       std::initializer_list<std::string>{"a", "eu-1", "node_2.example", std::string(63, 'x')})
    EXPECT_FALSE(node_id_problem(good).has_value()) << good;
  EXPECT_EQ(node_id_problem(""), "a node id may not be empty");
  EXPECT_EQ(node_id_problem(std::string(64, 'x')), "a node id is at most 63 characters");
  for (const std::string& bad :
       std::initializer_list<std::string>{"two words", "a/b", "quote'", "semi;colon", "caf\xc3\xa9", "tab\t"})
    EXPECT_EQ(node_id_problem(bad), "a node id holds only letters, digits, '.', '_' and '-'") << bad;
}

}  // namespace
}  // namespace edgehub::hub
