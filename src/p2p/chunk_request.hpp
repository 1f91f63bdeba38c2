#pragma once
// Swarm chunk requests over EHT (docs/UDP.md#13-swarm-requests): what a
// downloader asks a seeder for, how the seeder's endpoint is told to answer,
// and what the downloader learns at the end. Plain data, no Asio calls.
#include <boost/asio/ip/udp.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/sha256.hpp"
#include "p2p/chunk_io.hpp"
#include "p2p/crypto/channel.hpp"
#include "p2p/transfer_types.hpp"
#include "p2p/transport_config.hpp"

namespace edgehub::p2p {

// Chunks [first_chunk, first_chunk + count) of the swarm file `root`.
struct ChunkRequest {
  std::string ticket;  // from the tracker (swarmpeers)
  Sha256Digest root{};
  std::uint32_t first_chunk = 0;
  std::uint32_t count = 0;
  // Set by the endpoint. Seeder side: who asked and the requester's id for
  // the request (the pair identifies it, e.g. for answer_request).
  // Downloader side: the id send_request returned.
  boost::asio::ip::udp::endpoint from;
  std::uint32_t id = 0;
  // Set by the endpoint: the conversation's keys (docs/UDP.md#14-end-to-end-encryption).
  std::shared_ptr<crypto::Channel> channel;
};

// The name of the EHT transfer that answers a request, carried by its SYN:
// "swarm:<root hex>:<first>+<count>". The downloader accepts a SYN only if
// its ticket and this name match a request it sent to that address.
std::string swarm_transfer_name(const Sha256Digest& root, std::uint32_t first_chunk, std::uint32_t count);

// The seeder's answer to a request (EndpointOptions::request_handler).
struct RequestDecision {
  enum class Kind {
    ignore,  // unknown ticket: counted, no reply (like any stray datagram)
    refuse,  // ABORT(rejected, refusal) to the requester
    serve,   // start an EHT transfer of `source` back to the requester
    defer,   // answered later with UdpEndpoint::answer_request (e.g. upload slots are busy)
  };
  Kind kind = Kind::ignore;
  std::unique_ptr<ChunkSource> source;  // serve: exactly the bytes of the requested chunks
  std::string refusal;                  // refuse: told to the requester (first 40 bytes)
  SendCallback done;                    // serve: the upload's outcome, e.g. to free an upload slot

  static RequestDecision ignore() { return {}; }
  static RequestDecision refuse(std::string text) { return {Kind::refuse, nullptr, std::move(text), {}}; }
  static RequestDecision defer() { return {Kind::defer, nullptr, {}, {}}; }
  static RequestDecision serve(std::unique_ptr<ChunkSource> source, SendCallback done = {}) {
    return {Kind::serve, std::move(source), {}, std::move(done)};
  }
};

using RequestHandler = std::function<RequestDecision(const ChunkRequest&)>;

// Downloader side: makes the sink for an accepted SYN that answers one of our
// requests (info.file_name is the swarm transfer name, info.size its bytes);
// nullptr refuses it.
using SinkFactory = std::function<std::unique_ptr<ChunkSink>(const IncomingInfo&, std::string_view ticket)>;

struct RequestResult {
  std::uint32_t id = 0;  // as returned by send_request
  bool ok = false;       // every byte arrived and the sink committed
  bool refused = false;  // the seeder refused before sending anything
  std::string error;     // user-facing reason when !ok
  std::uint64_t bytes = 0;
  double seconds = 0;  // from send_request to the outcome
};
using RequestCallback = std::function<void(const RequestResult&)>;

struct RequestOptions {
  // The sink for this request's transfer; unset: EndpointOptions::sink_factory.
  std::function<std::unique_ptr<ChunkSink>(const IncomingInfo&)> make_sink;
  std::uint64_t expected_bytes = 0;  // refuse a SYN of another size (0: any)
  // The REQUEST is repeated (from 250 ms, doubling) until the SYN arrives, for this long.
  std::chrono::milliseconds give_up{5000};
  std::optional<TransportConfig> config;  // the receiving side's; default: the endpoint's
  // This side's keys for the ticket, from the key exchange through the hub
  // (docs/UDP.md#14-end-to-end-encryption); required unless the endpoint is plaintext.
  std::optional<crypto::SessionKeys> keys;
};

}  // namespace edgehub::p2p
