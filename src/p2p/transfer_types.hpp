#pragma once
// What the UDP endpoint reports to its user (the client's UVF command, the
// udp_send tool). Plain data, no Asio.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

namespace edgehub::p2p {

// The sender's view of the path, for diagnostics (udp_send --trace).
struct PathStats {
  double bottleneck_bytes_per_s = 0;  // the congestion controller's estimate
  std::uint64_t min_rtt_us = 0, srtt_us = 0;
  std::uint32_t cwnd_packets = 0;
  std::uint64_t retransmissions = 0, spurious_retransmissions = 0;
};

struct TransferProgress {
  std::uint64_t bytes_done = 0;  // acknowledged (sender) or written (receiver)
  std::uint64_t total = 0;
  PathStats path;  // sender only
};

struct SendResult {
  bool ok = false;
  std::string error;  // user-facing reason when !ok
  std::string file_name;
  std::uint64_t bytes = 0;
  double seconds = 0;
  std::uint64_t retransmissions = 0;
};

struct IncomingInfo {
  std::string sender;     // from the ticket validator
  std::string file_name;  // as the sender named it
  std::uint64_t size = 0;
  std::uint16_t chunk_size = 0;  // DATA payload per datagram, as the sender chose it
};

struct IncomingResult {
  bool ok = false;
  std::string error;
  IncomingInfo info;
  std::filesystem::path path;  // final path when ok
  std::uint64_t bytes = 0;
  double seconds = 0;
};

struct EndpointCounters {
  std::uint64_t datagrams = 0;            // everything read from the socket
  std::uint64_t bad_datagrams = 0;        // failed to decode (garbage, corruption)
  std::uint64_t unknown_connection = 0;   // valid but for no transfer of ours / wrong source
  std::uint64_t rejected_handshakes = 0;  // ticket refused or bad file name
  std::uint64_t incoming_started = 0;
  std::uint64_t incoming_completed = 0;
  std::uint64_t incoming_failed = 0;
  std::uint64_t outgoing_completed = 0;
  std::uint64_t outgoing_failed = 0;
  std::uint64_t datagrams_sent = 0;
  std::uint64_t parked_handshakes = 0;  // held while their ticket was unknown
  std::uint64_t send_calls = 0;         // system calls: datagrams per call show the batching
  std::uint64_t receive_calls = 0;
  // Swarm requests (docs/UDP.md#13-swarm-requests), seeder side.
  std::uint64_t requests_received = 0;  // REQUEST datagrams, repeats included
  std::uint64_t requests_ignored = 0;   // unknown ticket (or no handler): no reply
  std::uint64_t requests_refused = 0;   // answered with ABORT
  std::uint64_t requests_served = 0;    // transfers started
  // End-to-end encryption (docs/UDP.md#14-end-to-end-encryption): dropped, never acted on.
  std::uint64_t forged_datagrams = 0;     // sealed, but the tag did not match (tampered or forged)
  std::uint64_t replayed_datagrams = 0;   // a counter seen before, or behind the replay window
  std::uint64_t plaintext_datagrams = 0;  // version 1 (not sealed) at an endpoint that requires sealing
};

using ProgressCallback = std::function<void(const TransferProgress&)>;
using SendCallback = std::function<void(const SendResult&)>;

}  // namespace edgehub::p2p
