#include "p2p/receiver_machine.hpp"

#include <algorithm>
#include <stdexcept>

#include "common/overloaded.hpp"

namespace edgehub::p2p {
namespace {

constexpr std::uint32_t kAckEvery = 2;  // in-order packets per ACK

}  // namespace

ReceiverMachine::ReceiverMachine(ReceiverParams params, ChunkSink& sink, Micros now)
    : params_(std::move(params)),
      sink_(sink),
      total_packets_(
          static_cast<std::uint32_t>((params_.syn.file_size + params_.syn.chunk_size - 1) / params_.syn.chunk_size)),
      buffer_(params_.syn.mode == TransferMode::stop_and_wait ? 1 : params_.config.receive_window,
              params_.syn.chunk_size),
      last_heard_(now),
      last_sent_(now),
      trigger_ts_(params_.syn.ts) {}

void ReceiverMachine::on_packet(const Packet& p, Micros now) {
  if (finished()) return;
  last_heard_ = now;
  std::visit(Overloaded{[&](const Syn&) { want_synack_ = state_ == State::receiving; },
                        [&](const Data& d) { on_data(d, now); }, [&](const Fin& f) { on_fin(f, now); },
                        [&](const Abort& a) { on_abort(a); },
                        [&](const Keepalive& k) {
                          trigger_ts_ = k.ts;
                          trigger_arrival_ = now;
                          ack_due_ = now;
                        },
                        [](const auto&) {}},
             p.body);
}

void ReceiverMachine::on_abort(const Abort& a) {
  std::string why = std::string("sender aborted: ") + (a.text.empty() ? to_string(a.reason) : a.text);
  fail(a.reason, why);
  want_abort_ = false;  // no need to tell the sender
}

bool ReceiverMachine::valid_length(const Data& d) const {
  if (d.seq >= total_packets_) return false;
  std::uint64_t offset = std::uint64_t{d.seq} * params_.syn.chunk_size;
  auto expected = std::min<std::uint64_t>(params_.syn.chunk_size, params_.syn.file_size - offset);
  return d.payload.size() == expected;
}

void ReceiverMachine::on_data(const Data& d, Micros now) {
  if (state_ != State::receiving || !valid_length(d)) return;
  std::uint32_t window_end = next_seq_ + buffer_.slots();
  if (d.seq >= window_end) return;  // beyond what we advertised
  want_synack_ = false;
  trigger_ts_ = d.ts;
  trigger_arrival_ = now;
  const bool extends_top = d.seq == highest_seen_;  // the packet expected next at the top
  const bool filled = d.seq == next_seq_ && buffer_.held() > 0;
  highest_seen_ = std::max(highest_seen_, d.seq + 1);
  if (d.seq == next_seq_) {
    deliver(d.payload);
    drain_buffer();
  } else if (d.seq > next_seq_ && buffer_.insert(d.seq, d.payload)) {
    remember_recent(d.seq);
  }
  // News goes out at once: a new hole (a packet beyond the top), a duplicate,
  // a hole filled, the last packet. Packets that just extend the top, below a
  // hole or not, are acknowledged every kAckEvery like in-order ones.
  bool urgent = !extends_top || filled || next_seq_ == total_packets_;
  if (urgent || ++unacked_ >= kAckEvery || params_.syn.mode == TransferMode::stop_and_wait)
    ack_due_ = now;
  else if (ack_due_ == kNever)
    ack_due_ = now + params_.config.delayed_ack;
}

// A packet that arrived out of order leads the next ACKs' SACK blocks; one
// adjacent to the newest does not start a new entry (same block).
void ReceiverMachine::remember_recent(std::uint32_t seq) {
  if (!recent_.empty() && (recent_.front() + 1 == seq || recent_.front() == seq + 1)) {
    recent_.front() = seq;
    return;
  }
  recent_.push_front(seq);
  if (recent_.size() > kMaxSackBlocks) recent_.pop_back();
}

void ReceiverMachine::deliver(std::span<const std::uint8_t> payload) {
  try {
    sink_.write(payload);
  } catch (const std::exception& e) {
    fail(AbortReason::io_error, std::string("cannot write the file: ") + e.what());
    want_abort_ = true;
    return;
  }
  if (!params_.syn.chunk_verified) hash_.update(payload.data(), payload.size());
  bytes_written_ += payload.size();
  ++next_seq_;
}

void ReceiverMachine::drain_buffer() {
  while (state_ == State::receiving && buffer_.holds(next_seq_)) {
    auto seq = next_seq_;
    deliver(buffer_.get(seq));
    buffer_.release(seq);
  }
}

void ReceiverMachine::on_fin(const Fin& f, Micros now) {
  if (state_ == State::lingering) {
    want_finack_ = true;  // our FINACK was lost
    return;
  }
  if (state_ != State::receiving) return;
  if (f.file_size != params_.syn.file_size || next_seq_ != total_packets_ || bytes_written_ != f.file_size)
    return finish(FinStatus::size_mismatch, now);
  // A chunk-verified transfer's sink has checked every chunk as it arrived.
  if (!params_.syn.chunk_verified) {
    auto digest = hash_.finish();
    if (!std::equal(digest.begin(), digest.end(), f.sha256.begin())) return finish(FinStatus::hash_mismatch, now);
  }
  try {
    sink_.commit();
  } catch (const std::exception& e) {
    error_ = std::string("cannot save the file: ") + e.what();
    return finish(FinStatus::write_error, now);
  }
  finish(FinStatus::ok, now);
}

void ReceiverMachine::finish(FinStatus status, Micros now) {
  buffer_.free_storage();  // nothing more is received; the linger may last seconds
  fin_status_ = status;
  want_finack_ = true;
  linger_until_ = now + params_.config.linger;
  if (status == FinStatus::ok) {
    state_ = State::lingering;
    return;
  }
  if (error_.empty()) error_ = to_string(status);
  sink_.discard();
  state_ = State::lingering;  // linger to repeat the FINACK, but report failure
  fail_after_linger_ = true;
}

void ReceiverMachine::fail(AbortReason reason, std::string why) {
  if (finished()) return;
  if (state_ == State::receiving) sink_.discard();
  buffer_.free_storage();
  error_ = std::move(why);
  abort_reason_ = reason;
  state_ = State::failed;
}

void ReceiverMachine::close(AbortReason reason, const std::string& text) {
  if (state_ == State::lingering) {  // the outcome is known: say it once more, the last FINACK may have been lost
    want_finack_ = true;
    return;
  }
  if (state_ != State::receiving) return;
  fail(reason, text);
  want_abort_ = true;
}

void ReceiverMachine::on_timer(Micros now) {
  if (finished()) return;
  if (state_ == State::lingering) {
    if (now >= linger_until_) state_ = fail_after_linger_ ? State::failed : State::done;
    return;
  }
  if (now - last_heard_ >= params_.config.idle_timeout) {
    fail(AbortReason::cancelled, "sender stopped responding (nothing heard for " +
                                     std::to_string(params_.config.idle_timeout / kSeconds) + " s)");
    want_abort_ = true;
    return;
  }
  if (now - last_sent_ >= params_.config.keepalive_interval) want_keepalive_ = true;
}

Micros ReceiverMachine::next_deadline() const {
  if (want_abort_) return 0;
  if (finished()) return kNever;
  if (want_synack_ || want_finack_ || want_keepalive_) return 0;
  if (state_ == State::lingering) return linger_until_;
  return std::min(
      {ack_due_, last_heard_ + params_.config.idle_timeout, last_sent_ + params_.config.keepalive_interval});
}

Ack ReceiverMachine::make_ack(Micros now) const {
  Ack a;
  a.cum_ack = next_seq_;
  a.window_end = next_seq_ + buffer_.slots();
  a.echo_ts = trigger_ts_;
  a.ack_delay_us = static_cast<std::uint32_t>(std::min<Micros>(now - trigger_arrival_, 0xFFFFFFFFu));
  std::vector<std::uint32_t> recent(recent_.begin(), recent_.end());
  a.sacks = buffer_.sack_blocks(next_seq_, highest_seen_, recent);
  return a;
}

std::size_t ReceiverMachine::poll_transmit(Micros now, std::span<std::uint8_t> buf) {
  if (want_abort_) {
    want_abort_ = false;
    return send(Abort{abort_reason_, error_.substr(0, kMaxAbortText)}, now, buf);
  }
  if (finished()) return 0;
  if (want_synack_) {
    want_synack_ = false;
    return send(SynAck{params_.local_conn, next_seq_ + buffer_.slots(), trigger_ts_}, now, buf);
  }
  if (want_finack_) {
    want_finack_ = false;
    return send(FinAck{fin_status_, trigger_ts_}, now, buf);
  }
  if (state_ == State::receiving && (now >= ack_due_ || want_keepalive_)) {
    want_keepalive_ = false;
    ack_due_ = kNever;
    unacked_ = 0;
    return send(make_ack(now), now, buf);
  }
  return 0;
}

std::size_t ReceiverMachine::send(const Body& b, Micros now, std::span<std::uint8_t> buf) {
  last_sent_ = now;
  return encode(Packet{params_.syn.src_conn, b}, buf, params_.config.crc32c);
}

}  // namespace edgehub::p2p
