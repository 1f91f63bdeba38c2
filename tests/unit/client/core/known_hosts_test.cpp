// The known_hosts parser (docs/SECURITY.md#tls): entries, comments and
// blank lines; any other line refuses the whole file with its number.
#include "client/core/known_hosts.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

namespace edgehub::client {
namespace {

constexpr std::string_view kA = "SHA256:/x+t5vgwB+ROei1/5cQf3SBR4Rqwiyyd7Cy2I5x6T+w";
constexpr std::string_view kB = "SHA256:Qd1Xk0HcTNN0tfa2UJT2r+nHkQyGbN8A0lQ8vVhCw2c";

TEST(KnownHosts, ReadsEntriesAndSkipsCommentsAndBlankLines) {
  const std::string text = "# pinned by edgehub\n\n   \n127.0.0.1:7475 " + std::string(kA) + "\n  [::1]:7475\t" +
                           std::string(kB) + "\r\nhub.example.org:7475 " + std::string(kB);
  const auto hosts = parse_known_hosts(text);
  ASSERT_FALSE(hosts.error) << *hosts.error;
  ASSERT_EQ(hosts.entries.size(), 3u);
  EXPECT_EQ(hosts.entries[0].host_port, "127.0.0.1:7475");
  EXPECT_EQ(hosts.entries[0].fingerprint, kA);
  EXPECT_EQ(hosts.entries[0].line, 4u);
  EXPECT_EQ(hosts.entries[1].host_port, "[::1]:7475");
  EXPECT_EQ(hosts.entries[1].line, 5u);
  EXPECT_EQ(hosts.entries[2].host_port, "hub.example.org:7475");
  ASSERT_NE(hosts.find("[::1]:7475"), nullptr);
  EXPECT_EQ(hosts.find("[::1]:7475")->fingerprint, kB);
  EXPECT_EQ(hosts.find("127.0.0.1:7476"), nullptr);
}

TEST(KnownHosts, TheFirstEntryOfAHostCounts) {
  const auto hosts = parse_known_hosts("h:1 " + std::string(kA) + "\nh:1 " + std::string(kB) + "\n");
  ASSERT_FALSE(hosts.error);
  EXPECT_EQ(hosts.find("h:1")->fingerprint, kA);
}

TEST(KnownHosts, GarbageRefusesTheFileWithItsLineNumber) {
  const std::string good = "127.0.0.1:7475 " + std::string(kA) + "\n";
  const std::pair<std::string, std::string> cases[] = {
      {good + "# ok\nnot an entry at all\n", "line 3: expected 'HOST:PORT SHA256:...', found 5 words"},
      {good + "127.0.0.1 " + std::string(kA), "line 2: '127.0.0.1' is not HOST:PORT"},
      {"h:0 " + std::string(kA), "line 1: 'h:0' is not HOST:PORT"},
      {"h:65536 " + std::string(kA), "line 1: 'h:65536' is not HOST:PORT"},
      {"::1:7475 " + std::string(kA), "line 1: '::1:7475' is not HOST:PORT"},
      {":7475 " + std::string(kA), "line 1: ':7475' is not HOST:PORT"},
      {"h:1 SHA256:short", "line 1: 'SHA256:short' is not a SHA256:... fingerprint"},
      {"h:1 MD5:" + std::string(kA.substr(7)), "is not a SHA256:... fingerprint"},
      {"h:1 " + std::string(kA) + " extra", "line 1: expected 'HOST:PORT SHA256:...', found 3 words"},
  };
  for (const auto& [text, expected] : cases) {
    const auto hosts = parse_known_hosts(text);
    ASSERT_TRUE(hosts.error) << text;
    EXPECT_NE(hosts.error->find(expected), std::string::npos) << *hosts.error;
    EXPECT_TRUE(hosts.entries.empty());
  }
}

TEST(KnownHosts, WrittenLinesParseBack) {
  const auto line = known_host_line(host_port_key("::1", 7475), kA);
  EXPECT_EQ(line, "[::1]:7475 " + std::string(kA) + "\n");
  const auto hosts = parse_known_hosts(line + known_host_line(host_port_key("localhost", 1), kB));
  ASSERT_FALSE(hosts.error);
  ASSERT_EQ(hosts.entries.size(), 2u);
  EXPECT_EQ(hosts.entries[1].host_port, "localhost:1");
}

TEST(KnownHosts, PathHonoursXdgConfigHome) {
  const char* home = std::getenv("HOME");
  const std::string saved_home = home != nullptr ? home : "";
  ::setenv("XDG_CONFIG_HOME", "/tmp/xdg-test", 1);
  EXPECT_EQ(known_hosts_path(), "/tmp/xdg-test/edgehub/known_hosts");
  ::unsetenv("XDG_CONFIG_HOME");
  ::setenv("HOME", "/home/ann", 1);
  EXPECT_EQ(known_hosts_path(), "/home/ann/.config/edgehub/known_hosts");
  ::setenv("HOME", saved_home.c_str(), 1);
}

}  // namespace
}  // namespace edgehub::client
