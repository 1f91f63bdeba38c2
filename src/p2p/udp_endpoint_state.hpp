#pragma once
// The endpoint's per-transfer and per-request records, shared by the files
// that implement UdpEndpoint (udp_endpoint.cpp, udp_endpoint_requests.cpp).
// Private to those files.
#include <filesystem>
#include <memory>
#include <string>

#include "p2p/receiver_machine.hpp"
#include "p2p/sender_machine.hpp"
#include "p2p/udp_endpoint.hpp"

namespace edgehub::p2p {

struct UdpEndpoint::Outgoing {
  udp::endpoint peer;
  std::unique_ptr<ChunkSource> source;
  std::unique_ptr<SenderMachine> machine;
  ProgressCallback progress;
  SendCallback done;
  std::string name;
  std::uint64_t started = 0;
  std::optional<RequestKey> request;  // set when it answers a swarm request
  ChannelPtr channel;                 // null only at a plaintext endpoint
};

struct UdpEndpoint::Incoming {
  udp::endpoint peer;
  std::uint32_t peer_conn = 0;
  IncomingInfo info;
  std::unique_ptr<ChunkSink> sink;
  std::filesystem::path final_path;  // where a UVF file lands; empty for swarm sinks
  std::unique_ptr<ReceiverMachine> machine;
  std::uint64_t started = 0;
  bool reported = false;
  std::uint32_t request = 0;  // id of the swarm request it answers, 0 for UVF
  ChannelPtr channel;
};

// A swarm request we sent: repeated until its SYN arrives, then answered by
// the incoming transfer `incoming`.
struct UdpEndpoint::PendingRequest {
  udp::endpoint peer;
  ChunkRequest request;
  std::string name;  // swarm_transfer_name
  RequestOptions options;
  RequestCallback done;
  Micros started = 0, next_send = 0, backoff = 0, give_up_at = 0;
  std::uint32_t incoming = 0;  // conn id once the SYN was accepted
  ChannelPtr channel;
};

}  // namespace edgehub::p2p
