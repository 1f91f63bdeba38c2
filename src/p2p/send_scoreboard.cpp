#include "p2p/send_scoreboard.hpp"

#include <algorithm>

namespace edgehub::p2p {
namespace {
constexpr std::uint32_t kDupThresh = 3;
}

void SendScoreboard::on_sent(std::uint32_t seq, Micros now, bool app_limited) {
  if (seq == next_new_) {
    sent_.emplace_back();
    ++next_new_;
  }
  if (in_flight_ == 0) {  // start of a flight: rate intervals start here
    first_sent_time_ = now;
    delivered_time_ = now;
  }
  Sent& s = at(seq);
  s.sent_time = now;
  s.delivered = delivered_;
  s.delivered_time = delivered_time_;
  s.first_sent_time = first_sent_time_;
  s.app_limited = app_limited;
  s.state = State::in_flight;
  ++s.transmissions;
  ++in_flight_;
}

void SendScoreboard::deliver(std::uint32_t seq, Micros now, Micros min_rtt, const Sent*& newest) {
  Sent& s = at(seq);
  if (s.state == State::delivered) return;
  if (s.state == State::in_flight) --in_flight_;
  s.state = State::delivered;
  ++delivered_;
  delivered_time_ = now;
  highest_delivered_ = std::max(highest_delivered_, seq + 1);
  if (newest == nullptr || s.sent_time >= newest->sent_time) newest = &s;
  // Acknowledged sooner after its retransmission than any round trip takes:
  // the original arrived after all, late (RFC 8985 section 6.2). Its timing
  // says nothing about the retransmission.
  if (s.transmissions > 1 && min_rtt != kNever && now - s.sent_time < min_rtt) {
    reordering_seen_ = true;
    ++spurious_;
    return;
  }
  if (s.sent_time >= rack_xmit_time_) {
    rack_xmit_time_ = s.sent_time;
    rack_rtt_ = now - s.sent_time;
  }
}

std::optional<AckEvent> SendScoreboard::on_ack(const Ack& ack, Micros now, Micros min_rtt) {
  if (ack.cum_ack > next_new_) return std::nullopt;
  for (const auto& b : ack.sacks)
    if (b.end > next_new_) return std::nullopt;
  auto before = delivered_;
  const Sent* newest = nullptr;
  for (std::uint32_t seq = base_; seq < ack.cum_ack; ++seq) deliver(seq, now, min_rtt, newest);
  for (const auto& b : ack.sacks)
    for (std::uint32_t seq = std::max({b.start, ack.cum_ack, base_}); seq < b.end; ++seq)
      deliver(seq, now, min_rtt, newest);
  AckEvent e;
  e.rate = rate_sample(newest, now);
  if (newest != nullptr) first_sent_time_ = newest->sent_time;
  while (base_ < ack.cum_ack) {
    sent_.pop_front();
    ++base_;
  }
  e.newly_delivered = static_cast<std::uint32_t>(delivered_ - before);
  e.delivered = delivered_;
  return e;
}

// Delivery rate of the newest packet acknowledged: packets delivered since it
// was sent over the longer of its send and ACK intervals (so ACK compression
// cannot inflate the estimate).
RateSample SendScoreboard::rate_sample(const Sent* newest, Micros now) const {
  RateSample rs;
  if (newest == nullptr) return rs;
  Micros send_elapsed = newest->sent_time - newest->first_sent_time;
  Micros ack_elapsed = now - newest->delivered_time;
  Micros interval = std::max(send_elapsed, ack_elapsed);
  rs.prior_delivered = newest->delivered;
  rs.app_limited = newest->app_limited;
  if (interval == 0) return rs;
  rs.delivery_rate = static_cast<double>(delivered_ - newest->delivered) * 1e6 / static_cast<double>(interval);
  rs.valid = true;
  return rs;
}

void SendScoreboard::mark_lost(std::uint32_t seq, Sent& s) {
  s.state = State::lost;
  --in_flight_;
  lost_queue_.push_back(seq);
}

std::uint32_t SendScoreboard::detect_losses(Micros now, Micros reorder_window) {
  std::uint32_t lost = 0;
  loss_deadline_ = kNever;
  auto end = std::min(highest_delivered_, next_new_);
  for (std::uint32_t seq = base_; seq < end; ++seq) {
    Sent& s = at(seq);
    if (s.state != State::in_flight) continue;
    bool dup_thresh = !reordering_seen_ && s.transmissions == 1 && seq + kDupThresh < highest_delivered_;
    bool rack_candidate = s.sent_time < rack_xmit_time_;
    Micros rack_deadline = s.sent_time + rack_rtt_ + reorder_window;
    if (dup_thresh || (rack_candidate && now >= rack_deadline)) {
      mark_lost(seq, s);
      ++lost;
    } else if (rack_candidate) {
      loss_deadline_ = std::min(loss_deadline_, rack_deadline);
    }
  }
  return lost;
}

std::uint32_t SendScoreboard::mark_all_lost() {
  std::uint32_t lost = 0;
  for (std::uint32_t seq = base_; seq < next_new_; ++seq) {
    Sent& s = at(seq);
    if (s.state != State::in_flight) continue;
    mark_lost(seq, s);
    ++lost;
  }
  loss_deadline_ = kNever;
  return lost;
}

std::optional<std::uint32_t> SendScoreboard::pop_lost() {
  while (!lost_queue_.empty()) {
    auto seq = lost_queue_.front();
    lost_queue_.pop_front();
    if (seq >= base_ && at(seq).state == State::lost) return seq;
  }
  return std::nullopt;
}

bool SendScoreboard::has_lost() {
  while (!lost_queue_.empty()) {
    auto seq = lost_queue_.front();
    if (seq >= base_ && at(seq).state == State::lost) return true;
    lost_queue_.pop_front();
  }
  return false;
}

}  // namespace edgehub::p2p
