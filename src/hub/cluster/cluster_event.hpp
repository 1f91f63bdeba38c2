#pragma once
// What one node tells the others (docs/CLUSTER.md#events-between-nodes): a
// PostgreSQL NOTIFY on the channel edgehub_cluster, one event per payload,
// tab-separated text (NOTIFY payloads are text of at most 7,999 bytes; a
// message line is at most 4,096, names and addresses have no tabs).
//
//   L NODE NAME IP UDPPORT SINCE_MS KEY
//                                     NAME logged in on NODE (KEY: its udpkey, may be empty)
//   U NODE NAME KEY                   NAME, logged in on NODE, gave a new udpkey
//   O NODE NAME AT_MS                 NAME's login on NODE ended
//   K NODE NAME                       a message for NAME was stored: deliver it if NAME is yours
//   M NODE NAME TARGET ID SENT_MS FROM TEXT
//                                     FROM's direct message to NAME, whom TARGET (a node) holds:
//                                     TARGET writes it to NAME and answers (the text is the rest)
//   A NODE ASKER ID 1|0               NODE queued ASKER's message ID to its recipient (1), or
//                                     did not (0: ASKER stores it)
//   B NODE FROM SENT_UNIX TEXT        FROM broadcast TEXT (the text is the rest, tabs and all)
//   X NODE BLOCKER BLOCKED 1|0        BLOCKER blocked (1) or unblocked (0) BLOCKED
//   F NODE NAME                       a login as NAME failed (the lockout counts it everywhere)
//   D NODE NAME EVENT BODY            write "!EVENT BODY" to NAME if NAME is yours (UVF
//                                     tickets, private sessions; the body is the rest)
//   S NODE NAME ROOT 1|0 FILE         NAME announces FILE as the swarm version ROOT (hex),
//                                     holding all of it (1: share) or none yet (0: swarmget);
//                                     the manifest is in cluster_swarm_manifests
//   W NODE NAME FILE                  NAME withdrew its announcement of FILE (unshare)
//   H NODE NAME ROOT CHUNKS           NAME now holds CHUNKS (ranges, "0-9,12") of ROOT
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace edgehub::hub {

struct ClusterEvent {
  enum class Kind : char {
    login = 'L',
    logout = 'O',
    kick = 'K',
    broadcast = 'B',
    block = 'X',
    failed_login = 'F',
    udp_key = 'U',
    relay = 'D',
    swarm_share = 'S',
    swarm_unshare = 'W',
    swarm_have = 'H',
    live_message = 'M',
    live_answer = 'A',
  };
  Kind kind = Kind::kick;
  std::string node{};
  std::string name{};     // the device; the sender of a broadcast; the blocker; a relay's or live
                          // message's recipient; live_answer: the node that asked
  std::string ip{};       // login
  int udp_port = 0;       // login
  std::int64_t time = 0;  // login: since (ms); logout: at (ms); broadcast: sent (s); live_message: sent (ms)
  std::string other{};    // block: the blocked name; relay: the event's name (UVF, PRIVREQ, ...);
                          // swarm_share, swarm_have: the root (hex); live_message: the sender
  bool on = false;        // block: blocked (true) or unblocked; swarm_share: complete;
                          // live_answer: queued to the recipient
  std::string text{};     // broadcast, live_message; relay: the event's body; swarm_share,
                          // swarm_unshare: the file name; swarm_have: the chunks
  std::string target{};   // live_message: the node that holds the recipient
  std::int64_t id = 0;    // live_message, live_answer: the asking node's number for the message
  std::string key{};      // login, udp_key: the device's udpkey ("" if none)
};

// The limit PostgreSQL puts on a NOTIFY payload, in bytes.
inline constexpr std::size_t kMaxClusterPayload = 7999;

std::string encode_cluster_event(const ClusterEvent& event);
// nullopt for anything malformed: an unknown kind, a field missing or too
// many, a number that is not one.
std::optional<ClusterEvent> decode_cluster_event(std::string_view payload);

}  // namespace edgehub::hub
