#include "p2p/sender_machine.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "common/overloaded.hpp"

namespace edgehub::p2p {
namespace {

constexpr Micros kMinReorderWindow = 1 * kMillis;
// Pacing works in quanta, not packet by packet: once the next packet's
// release time has come, every packet due within kEarlyMicros goes too, so
// one wake-up of the driver sends about that much data at once, timers are
// armed at most every kEarlyMicros (each costs a system call), and ACKs that
// arrive in between do not each wake a send of one packet. A sender that woke
// late may catch up by kCatchUpMicros. Bursts stay short at any rate: 1.5 ms
// of data.
constexpr double kEarlyMicros = 500;
constexpr double kCatchUpMicros = 1000;

std::string seconds_text(Micros t) { return std::to_string(t / kSeconds) + " s"; }

}  // namespace

SenderMachine::SenderMachine(SenderParams params, ChunkSource& source, Micros now)
    : params_(std::move(params)),
      source_(source),
      file_size_(source.size()),
      total_packets_(0),
      rtt_(params_.config.initial_rto, params_.config.min_rto, params_.config.max_rto),
      started_(now),
      last_heard_(now) {
  auto chunk = params_.config.chunk_size;
  auto packets = (file_size_ + chunk - 1) / chunk;
  if (chunk == 0 || chunk > kMaxChunk || packets >= 0xFFFFFFFFull) {
    fail("file too large for the transport (or bad chunk size)");
    return;
  }
  total_packets_ = static_cast<std::uint32_t>(packets);
}

void SenderMachine::on_packet(const Packet& p, Micros now) {
  if (finished()) return;
  last_heard_ = now;
  std::visit(
      Overloaded{[&](const SynAck& s) { on_synack(s, now); }, [&](const Ack& a) { on_ack(a, now); },
                 [&](const FinAck& f) { on_finack(f); }, [&](const Abort& a) { on_abort(a); }, [](const auto&) {}},
      p.body);
}

void SenderMachine::on_synack(const SynAck& s, Micros now) {
  if (state_ != State::handshake) return;  // a duplicate
  peer_conn_ = s.src_conn;
  window_end_ = s.window_end;
  rtt_sample(s.echo_ts, 0, now);
  state_ = State::transfer;
  want_syn_ = false;
  if (total_packets_ == 0) start_finishing();
}

void SenderMachine::on_ack(const Ack& a, Micros now) {
  if (state_ != State::transfer && state_ != State::finishing) return;
  auto ev = board_.on_ack(a, now, cc_.min_rtt());
  if (!ev) return;  // acknowledges data never sent: ignore
  window_end_ = std::max(window_end_, a.window_end);
  rtt_sample(a.echo_ts, a.ack_delay_us, now);
  ev->rtt = rtt_.latest();
  ev->newly_lost = board_.detect_losses(now, reorder_window());
  ev->in_flight = board_.in_flight();
  if (!params_.config.stop_and_wait) cc_.on_ack(*ev, now);
  if (ev->newly_delivered > 0) rto_armed_ = board_.in_flight() > 0 ? now : kNever;
  if (state_ == State::transfer && board_.cum_ack() == total_packets_) start_finishing();
}

// Everything is acknowledged: the FIN carries the digest (all zeros when the
// receiver verifies chunks itself).
void SenderMachine::start_finishing() {
  state_ = State::finishing;
  if (!params_.chunk_verified) digest_ = hash_.finish();
  want_fin_ = true;
}

void SenderMachine::on_finack(const FinAck& f) {
  if (state_ != State::finishing) return;
  if (f.status == FinStatus::ok) {
    state_ = State::done;
    return;
  }
  fail(std::string("transfer failed: ") + to_string(f.status));
}

void SenderMachine::on_abort(const Abort& a) {
  std::string why = to_string(a.reason);
  if (!a.text.empty()) why += ": " + a.text;
  fail(why);
}

void SenderMachine::fail(std::string why) {
  error_ = std::move(why);
  state_ = State::failed;
}

void SenderMachine::cancel(const std::string& why) {
  if (finished()) return;
  want_abort_ = peer_conn_ != 0;  // before the SYNACK the receiver has no id for us to name
  fail(why);
}

void SenderMachine::rtt_sample(std::uint32_t echo_ts, Micros ack_delay, Micros now) {
  Micros r = since_wire_ts(now, echo_ts);
  if (ack_delay < r) r -= ack_delay;
  rtt_.on_sample(std::max<Micros>(r, 1));
}

void SenderMachine::on_timer(Micros now) {
  if (finished()) return;
  if (state_ == State::handshake && now - started_ >= params_.config.handshake_timeout)
    return fail("no answer from the receiver (handshake timed out after " +
                seconds_text(params_.config.handshake_timeout) + ")");
  if (state_ != State::handshake && now - last_heard_ >= params_.config.idle_timeout)
    return fail("receiver stopped responding (nothing heard for " + seconds_text(params_.config.idle_timeout) + ")");
  if (state_ == State::handshake && syn_sent_ != kNever && now >= syn_sent_ + rtt_.rto()) {
    rtt_.on_timeout();
    want_syn_ = true;
  }
  if (state_ == State::finishing && fin_sent_ != kNever && now >= fin_sent_ + rtt_.rto()) {
    rtt_.on_timeout();
    want_fin_ = true;
  }
  if (state_ == State::transfer && now >= rto_deadline()) on_rto(now);
  if (state_ == State::transfer && now >= board_.loss_deadline()) board_.detect_losses(now, reorder_window());
  if (state_ != State::handshake && now - last_sent_ >= params_.config.keepalive_interval) want_keepalive_ = true;
}

void SenderMachine::on_rto(Micros /*now*/) {
  board_.mark_all_lost();
  rtt_.on_timeout();
  cc_.on_rto();
  rto_armed_ = kNever;  // re-armed by the retransmission
}

Micros SenderMachine::rto_deadline() const { return rto_armed_ == kNever ? kNever : rto_armed_ + rtt_.rto(); }

Micros SenderMachine::reorder_window() const {
  Micros base = cc_.min_rtt() != kNever ? cc_.min_rtt() : rtt_.srtt();
  return std::max(kMinReorderWindow, base / 4);
}

std::uint32_t SenderMachine::send_window() const { return params_.config.stop_and_wait ? 1 : cc_.cwnd(); }

bool SenderMachine::pacing_allows(Micros now) {
  if (params_.config.stop_and_wait) return true;
  const auto t = static_cast<double>(now);
  if (t >= next_send_) quantum_end_ = t + kEarlyMicros;  // a send opportunity opens
  return next_send_ <= quantum_end_;
}

bool SenderMachine::can_send_new() const {
  auto seq = board_.next_new();
  return seq < total_packets_ && seq < window_end_ && board_.in_flight() < send_window();
}

Micros SenderMachine::next_deadline() {
  if (finished()) return want_abort_ ? 0 : kNever;
  if (want_syn_ || want_fin_ || want_keepalive_) return 0;
  Micros d = state_ == State::handshake ? started_ + params_.config.handshake_timeout
                                        : last_heard_ + params_.config.idle_timeout;
  if (syn_sent_ != kNever && state_ == State::handshake) d = std::min(d, syn_sent_ + rtt_.rto());
  if (fin_sent_ != kNever && state_ == State::finishing) d = std::min(d, fin_sent_ + rtt_.rto());
  if (state_ == State::handshake) return d;
  d = std::min({d, rto_deadline(), board_.loss_deadline(), last_sent_ + params_.config.keepalive_interval});
  bool data_ready =
      state_ == State::transfer && ((board_.has_lost() && board_.in_flight() < send_window()) || can_send_new());
  if (data_ready) d = std::min(d, static_cast<Micros>(std::ceil(next_send_)));
  return d;
}

std::size_t SenderMachine::poll_transmit(Micros now, std::span<std::uint8_t> buf) {
  if (auto n = poll_control(now, buf); n > 0 || finished()) return n;
  if (state_ == State::transfer) {
    if (auto n = poll_data(now, buf); n > 0) return n;
  }
  if (want_keepalive_) {
    want_keepalive_ = false;
    return send_control(Keepalive{wire_ts(now)}, now, buf);
  }
  return 0;
}

std::size_t SenderMachine::poll_control(Micros now, std::span<std::uint8_t> buf) {
  if (want_abort_) {
    want_abort_ = false;
    return send_control(Abort{AbortReason::cancelled, error_.substr(0, kMaxAbortText)}, now, buf);
  }
  if (finished()) return 0;
  if (want_syn_ && state_ == State::handshake) {
    want_syn_ = false;
    syn_sent_ = now;
    auto mode = params_.config.stop_and_wait ? TransferMode::stop_and_wait : TransferMode::windowed;
    return send_control(Syn{params_.local_conn, mode, params_.config.chunk_size, file_size_, wire_ts(now),
                            params_.ticket, params_.file_name, params_.chunk_verified},
                        now, buf);
  }
  if (want_fin_ && state_ == State::finishing) {
    want_fin_ = false;
    fin_sent_ = now;
    Fin f{file_size_, {}, wire_ts(now)};
    std::copy(digest_.begin(), digest_.end(), f.sha256.begin());
    return send_control(f, now, buf);
  }
  return 0;
}

std::size_t SenderMachine::poll_data(Micros now, std::span<std::uint8_t> buf) {
  if (!pacing_allows(now)) return 0;
  if (board_.in_flight() < send_window() && board_.has_lost()) {
    ++retransmissions_;
    return send_data(*board_.pop_lost(), now, buf);
  }
  if (can_send_new()) return send_data(board_.next_new(), now, buf);
  if (board_.next_new() == total_packets_) app_limited_until_ = board_.delivered() + board_.in_flight();
  return 0;
}

std::size_t SenderMachine::send_data(std::uint32_t seq, Micros now, std::span<std::uint8_t> buf) {
  std::uint64_t offset = std::uint64_t{seq} * params_.config.chunk_size;
  auto len = static_cast<std::size_t>(std::min<std::uint64_t>(params_.config.chunk_size, file_size_ - offset));
  auto payload = buf.subspan(kHeaderSize + kDataFields, len);
  try {
    source_.read(offset, payload);
  } catch (const std::exception& e) {
    cancel(std::string("cannot read the file: ") + e.what());
    return poll_control(now, buf);
  }
  if (seq == hashed_ && !params_.chunk_verified) {
    hash_.update(payload.data(), payload.size());
    ++hashed_;
  }
  board_.on_sent(seq, now, board_.delivered() < app_limited_until_);
  auto n = seal_data(buf, peer_conn_, seq, wire_ts(now), len, params_.config.crc32c);
  last_sent_ = now;
  if (rto_armed_ == kNever) rto_armed_ = now;
  if (!params_.config.stop_and_wait) {
    double interval = 1e6 / std::max(cc_.pacing_rate(), 1.0);
    next_send_ = std::max(next_send_, static_cast<double>(now) - kCatchUpMicros) + interval;
  }
  return n;
}

std::size_t SenderMachine::send_control(const Body& b, Micros now, std::span<std::uint8_t> buf) {
  Micros dest = std::holds_alternative<Syn>(b) ? 0 : peer_conn_;
  last_sent_ = now;
  return encode(Packet{static_cast<std::uint32_t>(dest), b}, buf, params_.config.crc32c);
}

PathStats SenderMachine::path_stats() const {
  PathStats s;
  s.bottleneck_bytes_per_s = cc_.bottleneck_bw() * params_.config.chunk_size;
  s.min_rtt_us = cc_.min_rtt() == kNever ? 0 : cc_.min_rtt();
  s.srtt_us = rtt_.srtt();
  s.cwnd_packets = send_window();
  s.retransmissions = retransmissions_;
  s.spurious_retransmissions = board_.spurious_retransmissions();
  return s;
}

std::uint64_t SenderMachine::bytes_acked() const {
  return std::min<std::uint64_t>(std::uint64_t{board_.cum_ack()} * params_.config.chunk_size, file_size_);
}

const char* to_string(SenderMachine::State s) {
  switch (s) {
    case SenderMachine::State::handshake:
      return "handshake";
    case SenderMachine::State::transfer:
      return "transfer";
    case SenderMachine::State::finishing:
      return "finishing";
    case SenderMachine::State::done:
      return "done";
    case SenderMachine::State::failed:
      return "failed";
  }
  return "?";
}

}  // namespace edgehub::p2p
