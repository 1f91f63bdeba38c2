#pragma once
// Sender side of one EHT transfer as a pure state machine (docs/UDP.md):
// feed it packets addressed to it and the time; ask it for datagrams to send
// and for the next deadline. No sockets, no clocks, no sleeping.
//
// Driver loop: on_packet() for each datagram, on_timer() when next_deadline()
// has passed, then poll_transmit() until it returns 0.
#include <cstdint>
#include <span>
#include <string>

#include "common/sha256.hpp"
#include "p2p/bbr_lite.hpp"
#include "p2p/chunk_io.hpp"
#include "p2p/clock.hpp"
#include "p2p/packet.hpp"
#include "p2p/rtt_estimator.hpp"
#include "p2p/send_scoreboard.hpp"
#include "p2p/transfer_types.hpp"
#include "p2p/transport_config.hpp"

namespace edgehub::p2p {

struct SenderParams {
  TransportConfig config;
  std::uint32_t local_conn = 1;  // random, non-zero
  std::string file_name;         // as the receiver should see it (plain name)
  std::string ticket;
  // The receiver verifies every chunk itself (a swarm transfer): no
  // whole-stream SHA-256 on either side (docs/UDP.md#13-swarm-requests).
  bool chunk_verified = false;
};

class SenderMachine {
 public:
  enum class State { handshake, transfer, finishing, done, failed };

  SenderMachine(SenderParams params, ChunkSource& source, Micros now);

  void on_packet(const Packet& p, Micros now);
  void on_timer(Micros now);
  // Writes the next datagram into buf (at least kMaxDatagram bytes); 0 if none now.
  std::size_t poll_transmit(Micros now, std::span<std::uint8_t> buf);
  Micros next_deadline();
  // Gives up: an ABORT goes out on the next poll_transmit.
  void cancel(const std::string& why);
  // The peer asked again before our SYN arrived (a repeated swarm REQUEST):
  // send it now rather than after the handshake's RTO.
  void repeat_syn() { want_syn_ = want_syn_ || state_ == State::handshake; }

  State state() const { return state_; }

  bool finished() const { return state_ == State::done || state_ == State::failed; }
  const std::string& error() const { return error_; }
  std::uint64_t bytes_acked() const;
  std::uint64_t file_size() const { return file_size_; }
  std::uint32_t local_conn() const { return params_.local_conn; }
  std::uint64_t retransmissions() const { return retransmissions_; }
  PathStats path_stats() const;
  const RttEstimator& rtt() const { return rtt_; }
  const BbrLite& congestion() const { return cc_; }
  BbrLite& congestion() { return cc_; }

 private:
  void on_synack(const SynAck& s, Micros now);
  void on_ack(const Ack& a, Micros now);
  void on_finack(const FinAck& f);
  void on_abort(const Abort& a);
  void fail(std::string why);
  void start_finishing();
  void rtt_sample(std::uint32_t echo_ts, Micros ack_delay, Micros now);
  void on_rto(Micros now);
  std::uint32_t send_window() const;
  bool pacing_allows(Micros now);
  bool can_send_new() const;
  void after_data_sent(Micros now);
  std::size_t send_data(std::uint32_t seq, Micros now, std::span<std::uint8_t> buf);
  std::size_t send_control(const Body& b, Micros now, std::span<std::uint8_t> buf);
  std::size_t poll_control(Micros now, std::span<std::uint8_t> buf);
  std::size_t poll_data(Micros now, std::span<std::uint8_t> buf);
  Micros rto_deadline() const;
  Micros reorder_window() const;

  SenderParams params_;
  ChunkSource& source_;
  std::uint64_t file_size_;
  std::uint32_t total_packets_;
  State state_ = State::handshake;
  std::string error_;
  std::uint32_t peer_conn_ = 0;
  std::uint32_t window_end_ = 0;
  SendScoreboard board_;
  RttEstimator rtt_;
  BbrLite cc_;
  Sha256 hash_;
  Sha256Digest digest_{};
  std::uint32_t hashed_ = 0;  // packets hashed so far (first transmissions are in order)
  Micros started_, last_heard_, last_sent_ = 0, rto_armed_ = kNever;
  double next_send_ = 0;    // pacing release time, fractional micros
  double quantum_end_ = 0;  // packets released up to here may go now
  Micros syn_sent_ = kNever, fin_sent_ = kNever;
  bool want_syn_ = true, want_fin_ = false, want_abort_ = false, want_keepalive_ = false;
  std::uint64_t app_limited_until_ = 0;
  std::uint64_t retransmissions_ = 0;
};

const char* to_string(SenderMachine::State s);

}  // namespace edgehub::p2p
