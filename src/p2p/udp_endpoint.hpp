#pragma once
// The Asio driver of EHT (docs/UDP.md): one UDP socket, any number of
// concurrent incoming and outgoing transfers, each a pure state machine
// (SenderMachine / ReceiverMachine) fed with datagrams and timer ticks.
//
// Threading: everything runs on the socket's executor; call every member
// from that executor's thread (the client's io_context thread). Callbacks
// are invoked on it too. Destroying the endpoint drops all transfers
// (incoming temporary files are removed) without notifying peers: call
// close() first for a polite goodbye.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "p2p/chunk_request.hpp"
#include "p2p/crypto/channel.hpp"
#include "p2p/parked_handshakes.hpp"
#include "p2p/path_shares.hpp"
#include "p2p/spent_salts.hpp"
#include "p2p/transfer_types.hpp"
#include "p2p/transport_config.hpp"
#include "p2p/udp_batch_io.hpp"
#include "p2p/udp_readiness.hpp"

namespace edgehub::p2p {

using boost::asio::ip::udp;
struct Packet;

// What a sender asks for in its handshake (SYN).
struct TransferRequest {
  std::string_view ticket;
  std::string_view file_name;
  std::uint64_t file_size = 0;
  udp::endpoint from;
};

// Accepts a handshake and names the sender, or refuses (nullopt).
using TicketValidator = std::function<std::optional<std::string>(const TransferRequest&)>;
// This side's keys for a ticket the hub told it of (an incoming UVF, a swarm
// ticket), or nullopt if it knows none (yet): docs/UDP.md#14-end-to-end-encryption.
using KeyLookup = std::function<std::optional<crypto::SessionKeys>(std::string_view ticket)>;
using ChannelPtr = std::shared_ptr<crypto::Channel>;

struct EndpointOptions {
  std::filesystem::path receive_dir = ".";
  TicketValidator validator;  // unset: every incoming transfer is refused
  std::function<void(const IncomingInfo&)> on_incoming_started;
  std::function<void(const IncomingInfo&, const TransferProgress&)> on_incoming_progress;
  std::function<void(const IncomingResult&)> on_incoming_done;
  TransportConfig config;
  std::chrono::milliseconds progress_interval{200};
  // A handshake the validator refuses is held this long, and tried again on
  // recheck_tickets(), before it is refused: its ticket may still be on its
  // way from the server (parked_handshakes.hpp). 0: refuse at once.
  std::chrono::milliseconds ticket_wait{0};
  // Seeder: answers swarm chunk requests (docs/UDP.md#13-swarm-requests);
  // unset: every request is ignored.
  RequestHandler request_handler;
  // Downloader: the sink for a transfer answering send_request, unless the
  // request brought its own (RequestOptions::make_sink).
  SinkFactory sink_factory;
  // While datagrams keep coming, read them this long after the last batch
  // instead of waking for each one: paced senders otherwise cost a wake-up
  // per datagram. Delays ACKs by up to this much. 0: read at once.
  std::chrono::microseconds read_coalesce{0};
  // Responder's keys for incoming handshakes (SYN, REQUEST).
  KeyLookup keys;
  // Only for benchmarks (udp_send --no-aead): datagrams without AEAD, with
  // the CRC32C (version 1). The client never sets it; then every version-1
  // datagram is dropped and counted.
  bool plaintext = false;
};

struct SendOptions {
  std::string file_name;                    // name told to the receiver; default: the file's own name
  std::optional<TransportConfig> config;    // default: the endpoint's
  std::optional<crypto::SessionKeys> keys;  // this side's, for the ticket; required unless plaintext
};

class UdpEndpoint {
 public:
  // Takes over an open (normally bound) socket, e.g. the client's UDP port.
  UdpEndpoint(udp::socket socket, EndpointOptions options);
  ~UdpEndpoint();
  UdpEndpoint(const UdpEndpoint&) = delete;
  UdpEndpoint& operator=(const UdpEndpoint&) = delete;

  // Starts reading datagrams. Call once.
  void start();

  // Sends a file; `done` is called exactly once, later, on the executor.
  void send_file(const udp::endpoint& peer, const std::filesystem::path& file, std::string ticket,
                 ProgressCallback progress, SendCallback done, SendOptions options = {});
  boost::asio::awaitable<SendResult> async_send_file(udp::endpoint peer, std::filesystem::path file, std::string ticket,
                                                     ProgressCallback progress = {}, SendOptions options = {});

  // Retries the handshakes held for ticket_wait (call after learning a ticket).
  void recheck_tickets();

  // Downloader: asks `peer` for chunks, repeating the REQUEST until the
  // seeder's SYN arrives (or give_up passes). `done` is called exactly once,
  // later, on the executor. Returns the request's id.
  std::uint32_t send_request(const udp::endpoint& peer, ChunkRequest request, RequestCallback done,
                             RequestOptions options = {});
  // Gives up a request (e.g. an endgame duplicate): an unanswered one is
  // forgotten at once (a late SYN is refused), a running transfer is
  // aborted. Its `done` still runs, later, with ok = false.
  void cancel_request(std::uint32_t id);
  // Seeder: answers a request the handler deferred (request as the handler
  // got it). Answer every deferred request once; ignore() just forgets it.
  // A serve() that cannot run (not deferred, endpoint closed) still calls
  // its done, later, with ok = false.
  void answer_request(const ChunkRequest& request, RequestDecision decision);

  // Aborts every transfer, telling the peers (incoming: "receiver closed the
  // transfer: <reason>"), and stops reading. Completion callbacks still run.
  void close(const std::string& reason);

  const EndpointCounters& counters() const { return counters_; }
  udp::endpoint local_endpoint() const;
  std::size_t active_transfers() const;

 private:
  struct Outgoing;
  struct Incoming;
  struct PendingRequest;
  using RequestKey = std::pair<udp::endpoint, std::uint32_t>;  // requester, its request id

  void wait_readable();
  void on_readable();
  void read_later();
  void handle_datagram(std::span<const std::uint8_t> bytes, const udp::endpoint& from);
  void route(const Packet& p, const udp::endpoint& from, const crypto::Channel* ch);
  void handle_syn(const Packet& p, const udp::endpoint& from, const ChannelPtr& ch);
  void admit(const Syn& syn, const udp::endpoint& from, Micros park_until, const ChannelPtr& ch);
  void accept(const Syn& syn, const udp::endpoint& from, const std::string& sender, const ChannelPtr& ch);
  void refuse(const udp::endpoint& to, std::uint32_t conn, std::uint8_t reason, const std::string& text,
              crypto::Channel* ch);
  void send_abort(const udp::endpoint& to, std::uint32_t conn, AbortReason reason, const std::string& text,
                  crypto::Channel* ch);
  void refuse_parked(const ParkedHandshakes::Entry& e, std::uint8_t reason, const std::string& text);
  // Sealed datagrams (udp_endpoint_sealed.cpp).
  void handle_sealed(std::span<const std::uint8_t> bytes, const udp::endpoint& from, Micros park_until = 0);
  ChannelPtr channel_of(std::uint32_t conn, const udp::endpoint& from) const;
  ChannelPtr handshake_channel(const crypto::SealedView& v, const udp::endpoint& from, bool& fresh);
  std::optional<Packet> open_sealed(crypto::Channel& ch, const crypto::SealedView& v);
  void remember_handshake(const udp::endpoint& from, const ChannelPtr& ch, Micros keep);
  void forget_handshakes(Micros now);
  bool commit_sealed(std::size_t plain_len, const udp::endpoint& to, crypto::Channel& ch);
  bool commit_plain(std::size_t len, const udp::endpoint& to);
  ChannelPtr new_channel(const std::optional<crypto::SessionKeys>& keys, const std::string& ticket,
                         std::string& error) const;
  TransportConfig config_for(const TransportConfig& base, const ChannelPtr& ch) const;
  // config_for, with the DATA payload for the peer's address family.
  TransportConfig sender_config(const TransportConfig& base, const ChannelPtr& ch, const udp::endpoint& peer) const;
  // Swarm requests (udp_endpoint_requests.cpp).
  void handle_request(const Packet& p, const udp::endpoint& from, const ChannelPtr& ch);
  void apply_decision(const ChunkRequest& request, RequestDecision decision);
  void serve(const ChunkRequest& request, RequestDecision decision);
  void drop_decision(const ChunkRequest& request, RequestDecision decision, const std::string& why);
  bool accept_swarm(const Syn& syn, const udp::endpoint& from, const ChannelPtr& ch);
  void start_swarm_incoming(PendingRequest& r, const Syn& syn, const udp::endpoint& from);
  bool request_aborted(const Packet& p, const udp::endpoint& from, const crypto::Channel* ch);
  void send_due_requests(Micros now);
  void expire_requests(Micros now);
  Micros next_request_deadline() const;
  void finish_request(std::uint32_t id, RequestResult result, bool later = false);
  void report_incoming(Incoming& i, Micros now);
  void flush();
  template <class T>
  bool transmit(T& t);
  bool flush_sends();
  void wait_writable();
  void fire_timers();
  void reschedule();
  void reap();
  // The swarm serves to `peer`'s congestion controllers; `live_only` leaves out finished ones.
  std::vector<BbrLite*> serves_to(const udp::endpoint& peer, bool live_only);
  void share_path(const udp::endpoint& peer, Micros now);
  void report_progress(std::uint64_t now);
  std::uint32_t new_conn_id();
  std::uint64_t now_us() const;

  udp::socket socket_;
  boost::asio::steady_timer timer_;
  EndpointOptions options_;
  std::map<std::uint32_t, std::unique_ptr<Outgoing>> outgoing_;
  std::map<std::uint32_t, std::unique_ptr<Incoming>> incoming_;
  std::map<std::pair<udp::endpoint, std::uint32_t>, std::uint32_t> syn_index_;
  std::map<std::uint32_t, std::unique_ptr<PendingRequest>> requests_;  // ours, by id
  std::map<RequestKey, std::uint32_t> served_;  // requests we serve: outgoing conn id, 0 while deferred
  PathShares path_shares_;                      // what the serves to each peer measured together
  ParkedHandshakes parked_;
  // Channels of handshakes (SYN, REQUEST) by peer and salt, so that a
  // retransmission finds the same keys and replay window; spent_: salts of
  // those forgotten, whose datagrams now count as replays
  // (docs/UDP.md#14-end-to-end-encryption).
  struct Handshake {
    ChannelPtr channel;
    Micros keep_until = 0;
  };
  std::map<std::pair<udp::endpoint, crypto::Salt>, Handshake> handshakes_;
  SpentSalts spent_;
  std::vector<std::uint8_t> plain_ = std::vector<std::uint8_t>(kMaxDatagram);  // one opened or to-be-sealed datagram
  EndpointCounters counters_;
  BatchSender sender_;
  BatchReceiver receiver_;
  bool write_blocked_ = false, closed_ = false;
  std::chrono::steady_clock::time_point epoch_ = std::chrono::steady_clock::now();
  std::uint64_t armed_ = ~std::uint64_t{0}, last_progress_ = 0;
  Micros read_due_ = kNever;  // a coalesced read (read_coalesce)
  udp::endpoint local_;
  // With read_coalesce the socket leaves Asio (released_fd_) and is watched here.
  std::unique_ptr<ReadinessWatch> watch_;
  int released_fd_ = -1;
  std::mt19937 rng_{std::random_device{}()};
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace edgehub::p2p
