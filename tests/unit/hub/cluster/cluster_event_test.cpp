// The events between nodes as NOTIFY payloads (hub/cluster/cluster_event.hpp).
#include "hub/cluster/cluster_event.hpp"

#include <gtest/gtest.h>

namespace edgehub::hub {
namespace {

using Kind = ClusterEvent::Kind;

ClusterEvent round_trip(const ClusterEvent& event) {
  const auto decoded = decode_cluster_event(encode_cluster_event(event));
  EXPECT_TRUE(decoded.has_value()) << encode_cluster_event(event);
  return decoded.value_or(ClusterEvent{});
}

TEST(ClusterEvent, ALoginCarriesTheDeviceItsAddressAndSince) {
  const auto e = round_trip({.kind = Kind::login,
                             .node = "db1-ab",
                             .name = "alice",
                             .ip = "10.0.0.7",
                             .udp_port = 5000,
                             .time = 1700000000123,
                             .key = "ab12:aes256gcm"});
  EXPECT_EQ(e.kind, Kind::login);
  EXPECT_EQ(e.node, "db1-ab");
  EXPECT_EQ(e.name, "alice");
  EXPECT_EQ(e.ip, "10.0.0.7");
  EXPECT_EQ(e.udp_port, 5000);
  EXPECT_EQ(e.time, 1700000000123);
  EXPECT_EQ(e.key, "ab12:aes256gcm");
  // A device that gave no udpkey: an empty last field.
  EXPECT_EQ(round_trip({.kind = Kind::login, .node = "n", .name = "a", .ip = "::1", .udp_port = 0}).key, "");
}

TEST(ClusterEvent, ANewUdpKeyAndARelayedEventRoundTrip) {
  EXPECT_EQ(round_trip({.kind = Kind::udp_key, .node = "n", .name = "a", .key = "cd34"}).key, "cd34");
  const auto relay =
      round_trip({.kind = Kind::relay, .node = "n", .name = "bob", .other = "UVF", .text = "alice 10 t k my file\t"});
  EXPECT_EQ(relay.name, "bob");
  EXPECT_EQ(relay.other, "UVF");
  EXPECT_EQ(relay.text, "alice 10 t k my file\t");
}

TEST(ClusterEvent, ABroadcastKeepsItsTextWholeTabsIncluded) {
  const auto e = round_trip({.kind = Kind::broadcast, .node = "n", .name = "bob", .time = 17, .text = "a\tb\t c"});
  EXPECT_EQ(e.text, "a\tb\t c");
  EXPECT_EQ(e.time, 17);
  EXPECT_EQ(round_trip({.kind = Kind::broadcast, .node = "n", .name = "bob", .time = 1, .text = ""}).text, "");
}

TEST(ClusterEvent, LogoutKickBlockAndFailedLoginRoundTrip) {
  EXPECT_EQ(round_trip({.kind = Kind::logout, .node = "n", .name = "a", .time = 5}).time, 5);
  EXPECT_EQ(round_trip({.kind = Kind::kick, .node = "n", .name = "a"}).name, "a");
  const auto block = round_trip({.kind = Kind::block, .node = "n", .name = "a", .other = "b", .on = true});
  EXPECT_EQ(block.other, "b");
  EXPECT_TRUE(block.on);
  EXPECT_FALSE(round_trip({.kind = Kind::block, .node = "n", .name = "a", .other = "b", .on = false}).on);
  EXPECT_EQ(round_trip({.kind = Kind::failed_login, .node = "n", .name = "a"}).kind, Kind::failed_login);
}

TEST(ClusterEvent, SwarmAnnouncementsRoundTrip) {
  const std::string root(64, 'a');
  const auto share = round_trip(
      {.kind = Kind::swarm_share, .node = "n", .name = "alice", .other = root, .on = true, .text = "my file.bin"});
  EXPECT_EQ(share.other, root);
  EXPECT_TRUE(share.on);
  EXPECT_EQ(share.text, "my file.bin");
  EXPECT_FALSE(
      round_trip({.kind = Kind::swarm_share, .node = "n", .name = "a", .other = root, .on = false, .text = "f"}).on);
  EXPECT_EQ(round_trip({.kind = Kind::swarm_unshare, .node = "n", .name = "a", .text = "f g"}).text, "f g");
  const auto have = round_trip({.kind = Kind::swarm_have, .node = "n", .name = "a", .other = root, .text = "0-9,12"});
  EXPECT_EQ(have.other, root);
  EXPECT_EQ(have.text, "0-9,12");
}

TEST(ClusterEvent, ALiveMessageAndItsAnswerRoundTrip) {
  const auto m = round_trip({.kind = Kind::live_message,
                             .node = "n1",
                             .name = "bob",
                             .time = 1700000000,
                             .other = "alice",
                             .text = "hi\tthere",
                             .target = "n2",
                             .id = 42});
  EXPECT_EQ(m.name, "bob");
  EXPECT_EQ(m.target, "n2");
  EXPECT_EQ(m.id, 42);
  EXPECT_EQ(m.time, 1700000000);
  EXPECT_EQ(m.other, "alice");
  EXPECT_EQ(m.text, "hi\tthere");
  const auto a = round_trip({.kind = Kind::live_answer, .node = "n2", .name = "n1", .on = true, .id = 42});
  EXPECT_EQ(a.name, "n1");
  EXPECT_EQ(a.id, 42);
  EXPECT_TRUE(a.on);
  EXPECT_FALSE(round_trip({.kind = Kind::live_answer, .node = "n2", .name = "n1", .on = false, .id = 1}).on);
}

TEST(ClusterEvent, MalformedPayloadsAreRefused) {
  for (const char* bad : {"",
                          "Z\tn\ta",
                          "K",
                          "K\tn",
                          "K\t\ta",
                          "K\tn\t",
                          "K\tn\ta\textra",
                          "L\tn\ta\t1.2.3.4\t70000\t1\tk",
                          "L\tn\ta\t1.2.3.4\tx\t1\tk",
                          "L\tn\ta\t\t1\t1\tk",
                          "L\tn\ta\t1.2.3.4\t1",
                          "O\tn\ta\tsoon",
                          "X\tn\ta\tb\t2",
                          "X\tn\ta\t\t1",
                          "B\tn\ta\tnot-a-time\ttext",
                          "KK\tn\ta",
                          "U\tn\ta\t",
                          "U\tn\ta",
                          "D\tn\ta\t\tbody",
                          "D\tn\ta\tUVF",
                          "L\tn\ta\t1.2.3.4\t1\t1",
                          "S\tn\ta\tabc\t1\tf",
                          "S\tn\ta\tabababababababababababababababababababababababababababababababab\t2\tf",
                          "S\tn\ta\tabababababababababababababababababababababababababababababababab\t1\t",
                          "S\tn\ta\tabababababababababababababababababababababababababababababababab\t1\tf\tg",
                          "W\tn\ta\t",
                          "H\tn\ta\tabababababababababababababababababababababababababababababababab\t",
                          "H\tn\ta\tabc\t1",
                          "M\tn\tbob\t\t1\t2\talice\ttext",
                          "M\tn\tbob\tn2\tx\t2\talice\ttext",
                          "M\tn\tbob\tn2\t1\tsoon\talice\ttext",
                          "M\tn\tbob\tn2\t1\t2\t\ttext",
                          "M\tn\tbob\tn2\t1\t2\talice",
                          "A\tn\tn1\t1\t2",
                          "A\tn\tn1\tx\t1",
                          "A\tn\tn1\t1\t1\textra"})
    EXPECT_FALSE(decode_cluster_event(bad).has_value()) << bad;
}

}  // namespace
}  // namespace edgehub::hub
