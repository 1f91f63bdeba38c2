#pragma once
// Receiver side of one EHT transfer as a pure state machine (docs/UDP.md).
// Created by the endpoint once a SYN's ticket has been accepted. In-order
// data goes straight to the sink and into the SHA-256; out-of-order data
// waits in the reorder buffer. Same driving contract as SenderMachine.
#include <cstdint>
#include <deque>
#include <span>
#include <string>

#include "common/sha256.hpp"
#include "p2p/chunk_io.hpp"
#include "p2p/clock.hpp"
#include "p2p/packet.hpp"
#include "p2p/reorder_buffer.hpp"
#include "p2p/transport_config.hpp"

namespace edgehub::p2p {

struct ReceiverParams {
  TransportConfig config;  // chunk_size and stop_and_wait come from the SYN
  std::uint32_t local_conn = 1;
  Syn syn;
};

class ReceiverMachine {
 public:
  enum class State { receiving, lingering, done, failed };

  ReceiverMachine(ReceiverParams params, ChunkSink& sink, Micros now);

  void on_packet(const Packet& p, Micros now);
  void on_timer(Micros now);
  std::size_t poll_transmit(Micros now, std::span<std::uint8_t> buf);
  Micros next_deadline() const;
  // Ends the transfer (e.g. the user logs out): ABORT to the sender, temp
  // file removed. After the outcome is known it only repeats the FINACK.
  void close(AbortReason reason, const std::string& text);

  State state() const { return state_; }
  // True once the outcome is known (the machine may still linger for FINs).
  bool completed() const { return state_ != State::receiving; }
  bool succeeded() const { return (state_ == State::lingering || state_ == State::done) && !fail_after_linger_; }
  // True once the endpoint can forget the transfer.
  bool finished() const { return state_ == State::done || state_ == State::failed; }
  const std::string& error() const { return error_; }
  std::uint64_t bytes_received() const { return bytes_written_; }
  std::uint64_t file_size() const { return params_.syn.file_size; }
  const Syn& syn() const { return params_.syn; }
  std::uint32_t local_conn() const { return params_.local_conn; }

 private:
  void on_data(const Data& d, Micros now);
  void on_fin(const Fin& f, Micros now);
  void on_abort(const Abort& a);
  bool valid_length(const Data& d) const;
  void deliver(std::span<const std::uint8_t> payload);
  void drain_buffer();
  void remember_recent(std::uint32_t seq);
  void fail(AbortReason reason, std::string why);
  void finish(FinStatus status, Micros now);
  std::size_t send(const Body& b, Micros now, std::span<std::uint8_t> buf);
  Ack make_ack(Micros now) const;

  ReceiverParams params_;
  ChunkSink& sink_;
  std::uint32_t total_packets_;
  std::uint32_t next_seq_ = 0;      // cumulative ack
  std::uint32_t highest_seen_ = 0;  // one past the highest seq received
  ReorderBuffer buffer_;
  Sha256 hash_;
  std::uint64_t bytes_written_ = 0;
  State state_ = State::receiving;
  std::string error_;
  FinStatus fin_status_ = FinStatus::ok;
  Micros last_heard_, last_sent_, linger_until_ = kNever, ack_due_ = kNever;
  Micros trigger_arrival_ = 0;
  std::uint32_t trigger_ts_ = 0, unacked_ = 0;
  std::deque<std::uint32_t> recent_;  // out-of-order arrivals, newest first: their blocks lead the SACKs
  bool want_synack_ = true, want_finack_ = false, want_abort_ = false, want_keepalive_ = false;
  bool fail_after_linger_ = false;  // FIN check failed: keep answering, then report failure
  AbortReason abort_reason_ = AbortReason::cancelled;
};

}  // namespace edgehub::p2p
