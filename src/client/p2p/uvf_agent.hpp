#pragma once
// The client's UVF transfers (docs/UDP.md#11-uvf-user-file-in-the-client): one
// EHT endpoint on the client's UDP port (the one the server tells peers) both
// receives files and sends them, in the background.
//   - Receiving: the server announces each authorised sender with
//     !UVF SENDER SIZE TICKET FILE; only handshakes with such a ticket are
//     accepted (UvfTickets). The file is saved as SENDER_FILE in the
//     current directory, under a temporary name until its SHA-256 matched:
//     "Received FILE from SENDER".
//   - Sending (UVF USER FILE, client/p2p/uvf_commands.cpp): after the server's
//     "+OK IP UDPPORT TICKET" the file goes to that address; "FILE has been
//     uploaded" when the receiver confirmed the hash.
//   - Logging out closes the endpoint: peers are told why ("receiver closed
//     the transfer: bob logged out"), partial files are removed. At the end
//     of batch input the client first waits for running transfers.
// Threads: the endpoint, the tickets and the progress line live on the
// client's I/O thread; the command thread calls start/send/wait_idle/stop,
// which post there.
#include <boost/asio/ip/udp.hpp>

#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>

#include "client/p2p/uvf_progress.hpp"
#include "client/p2p/uvf_tickets.hpp"
#include "p2p/crypto/key_exchange.hpp"
#include "p2p/udp_endpoint.hpp"
#include "protocol/server_message.hpp"

namespace edgehub::client {

class ClientApp;

struct UvfSend {
  std::string user;                   // the receiver
  boost::asio::ip::udp::endpoint to;  // its address, from the server
  std::filesystem::path path;         // the local file
  std::string name;                   // the name the receiver sees
  std::string ticket;
  std::uint64_t size = 0;      // as told to the server
  p2p::crypto::PeerKey key{};  // the receiver's, from the server
};

class UvfAgent {
 public:
  explicit UvfAgent(ClientApp& app);
  ~UvfAgent();
  UvfAgent(const UvfAgent&) = delete;
  UvfAgent& operator=(const UvfAgent&) = delete;

  // Once logged in: takes over the client's UDP socket and starts receiving.
  void start();
  // This client's key pair for encrypted UVF and swarm transfers, made at
  // start-up and kept only in memory; the server relays its public half
  // (`udpkey`, docs/UDP.md#14-end-to-end-encryption). Immutable: any thread.
  const p2p::crypto::KxKeyPair& udp_keys() const { return keys_; }
  std::string udp_key_command(bool with_offer = true) const;
  // I/O thread: handles !UVF; false for any other event.
  bool on_event(const protocol::ServerMessage& m);
  // Starts a transfer in the background; its outcome is printed when known.
  void send(UvfSend request);
  // Waits until no transfer runs (each ends by itself: done, failed or timed
  // out) and no received file lingers to repeat its confirmation.
  void wait_idle();
  // Aborts every transfer with this reason (peers are told); waits, bounded,
  // until the goodbyes are sent. Later sends fail. A transfer it ends says
  // "... stopped: NOTE" here if a note is given (OUT: "you logged out"),
  // else it fails with its own error.
  void stop(const std::string& reason, const std::string& note = {});

 private:
  p2p::EndpointOptions endpoint_options();
  void on_incoming_done(const p2p::IncomingResult& r);
  void on_sent(const UvfSend& request, const p2p::SendResult& r);
  void transfer_ended();
  std::size_t endpoint_transfers();

  ClientApp& app_;
  const p2p::crypto::KxKeyPair keys_;
  // I/O thread only.
  std::unique_ptr<p2p::UdpEndpoint> endpoint_;
  UvfTickets tickets_;
  UvfProgress progress_;
  std::uint64_t next_key_ = 0;
  bool stopped_ = false;
  std::string stop_note_;
  // Running transfers, for wait_idle (any thread).
  std::mutex mutex_;
  std::condition_variable idle_;
  std::size_t active_ = 0;
  bool used_ = false;  // a UVF transfer ran: one may linger at the end
};

}  // namespace edgehub::client
