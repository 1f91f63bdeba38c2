#pragma once
// The tracker's replies and events as the client reads them
// (docs/SWARM.md#2-tracker-protocol), and how the client prints them
// (docs/SWARM.md#5-downloader-and-seeder). Pure: parsing and formatting only.
#include <boost/asio/ip/udp.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "p2p/crypto/cipher_choice.hpp"

namespace edgehub::client::swarm {

// One line of a searchfile / searchchunk list:
// "ROOT SIZE CHUNKSIZE COUNT HOLDER:HAVE[,HOLDER:HAVE...]".
struct VersionLine {
  std::string root;  // 64 hex
  std::uint64_t size = 0;
  std::uint32_t chunk_size = 0;
  std::uint32_t chunk_count = 0;
  struct Holder {
    std::string user;
    std::uint32_t have = 0;
  };
  std::vector<Holder> holders;
};
std::optional<VersionLine> parse_version_line(std::string_view line);
// "data.bin 3fa9c2e1b7d0: 300.0 MiB in 1200 chunks of 256.0 KiB, 2 holders: alice all, bob 600/1200"
// (for searchChunk, asked > 0: HAVE counts only the asked chunks, "bob 3/10").
std::string format_version(std::string_view name, const VersionLine& v, std::uint32_t asked = 0);

// "+OK ROOT SIZE CHUNKSIZE COUNT", the answer to swarmget.
struct SwarmGetHeader {
  std::string root;
  std::uint64_t size = 0;
  std::uint32_t chunk_size = 0;
  std::uint32_t chunk_count = 0;
};
std::optional<SwarmGetHeader> parse_swarmget(std::string_view text);

// One line of swarmpeers: "USER IP UDPPORT TICKET KEY HAVE"; KEY is the
// holder's public key and cipher offer (docs/UDP.md#14-end-to-end-encryption); have is "all" or
// "x" followed by the hex bitmap (docs/SWARM.md#1-chunks-and-manifest).
struct PeerLine {
  std::string user;
  boost::asio::ip::udp::endpoint address;
  std::string ticket;
  p2p::crypto::PeerKey key{};
  bool all = false;
  std::string bitmap_hex;  // when !all
};
std::optional<PeerLine> parse_peer_line(std::string_view line);

// !SWARMTICKET ASKER TICKET ROOT KEY (KEY: the asker's public key).
struct TicketEvent {
  std::string asker;
  std::string ticket;
  std::string root;
  p2p::crypto::PeerKey key{};
};
std::optional<TicketEvent> parse_ticket_event(std::string_view text);

// NAME[@ROOTPREFIX]: prefix empty when none was given; nullopt with a
// reason in *error when the prefix is not 4..64 lower-case hex.
struct NameChoice {
  std::string name;
  std::string root_prefix;
};
std::optional<NameChoice> parse_name_choice(std::string_view text, std::string* error);

}  // namespace edgehub::client::swarm
