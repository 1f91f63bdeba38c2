#include "p2p/bbr_lite.hpp"

#include <algorithm>
#include <array>

namespace edgehub::p2p {
namespace {

constexpr double kHighGain = 2.885;  // 2/ln 2: doubles the rate every round
constexpr double kCwndGain = 2.0;
constexpr std::array<double, 8> kProbeGains = {1.25, 0.75, 1, 1, 1, 1, 1, 1};
constexpr std::uint32_t kInitialCwnd = 16;
constexpr std::uint32_t kMinCwnd = 4;
constexpr Micros kMinRttWindow = 10 * kSeconds;
constexpr double kLossThreshold = 0.2;
constexpr double kLossBackoff = 0.85;
constexpr double kAckAggregation = 0.002;  // seconds

}  // namespace

BbrLite::BbrLite() = default;

void BbrLite::on_ack(const AckEvent& e, Micros now) {
  if (e.newly_delivered > 0) in_rto_recovery_ = false;
  round_lost_ += e.newly_lost;
  round_delivered_ += e.newly_delivered;
  update_round(e);
  if (e.rtt > 0) update_min_rtt(e.rtt, now);
  // Application-limited samples only count when they show more bandwidth.
  if (e.rate.valid && (!e.rate.app_limited || e.rate.delivery_rate > bw_.get()))
    bw_.update(round_, e.rate.delivery_rate);
  if (round_start_) {
    check_loss_bound();
    check_full_bw(e);
  }
  advance_mode(e, now);
}

void BbrLite::update_round(const AckEvent& e) {
  round_start_ = false;
  if (e.rate.valid && e.rate.prior_delivered >= next_round_delivered_) {
    next_round_delivered_ = e.delivered;
    ++round_;
    round_start_ = true;
  }
}

void BbrLite::update_min_rtt(Micros rtt, Micros now) {
  if (rtt <= min_rtt_ || now - min_rtt_stamp_ > kMinRttWindow) {
    min_rtt_ = rtt;
    min_rtt_stamp_ = now;
  }
}

// Loss above the threshold in a round means a queue is overflowing, not
// noise: lower the bandwidth model (a crude BBRv2 inflight bound).
void BbrLite::check_loss_bound() {
  auto total = round_lost_ + round_delivered_;
  if (total >= 10 && static_cast<double>(round_lost_) > kLossThreshold * static_cast<double>(total))
    bw_.scale(kLossBackoff);
  round_lost_ = round_delivered_ = 0;
}

void BbrLite::check_full_bw(const AckEvent& e) {
  if (mode_ != Mode::startup || e.rate.app_limited) return;
  if (bw_.get() >= full_bw_ * 1.25) {
    full_bw_ = bw_.get();
    full_bw_rounds_ = 0;
    return;
  }
  if (++full_bw_rounds_ >= 3) mode_ = Mode::drain;
}

void BbrLite::advance_mode(const AckEvent& e, Micros now) {
  if (mode_ == Mode::drain && static_cast<double>(e.in_flight) <= bdp()) {
    mode_ = Mode::probe_bw;
    cycle_index_ = 0;
    cycle_stamp_ = now;
  }
  if (mode_ == Mode::probe_bw && min_rtt_ != kNever && now - cycle_stamp_ > min_rtt_) {
    cycle_index_ = (cycle_index_ + 1) % kProbeGains.size();
    cycle_stamp_ = now;
  }
}

void BbrLite::on_rto() { in_rto_recovery_ = true; }

void BbrLite::set_path_share(double bw, Micros min_rtt, Micros now) {
  if (bw <= 0 || min_rtt == kNever) return;
  bw_.reset(round_, bw);
  if (min_rtt < min_rtt_) {
    min_rtt_ = min_rtt;
    min_rtt_stamp_ = now;
  }
  full_bw_ = bw;
  if (mode_ != Mode::probe_bw) {
    mode_ = Mode::probe_bw;
    cycle_index_ = 2;
    cycle_stamp_ = now;
  }
}

double BbrLite::bdp() const {
  if (min_rtt_ == kNever || bw_.get() <= 0) return kInitialCwnd;
  return bw_.get() * static_cast<double>(min_rtt_) / 1e6;
}

std::uint32_t BbrLite::cwnd() const {
  if (in_rto_recovery_) return kMinCwnd;
  double gain = mode_ == Mode::probe_bw ? kCwndGain : kHighGain;
  // Headroom for ACKs that arrive in bursts (delayed ACKs, batching, the
  // receiver's scheduling): without it a path whose RTT is tiny compared to
  // those delays, like loopback, would be window-limited far below its rate.
  double w = gain * bdp() + bw_.get() * kAckAggregation + 2;
  return std::max<std::uint32_t>(kMinCwnd, static_cast<std::uint32_t>(std::min(w, 1e9)));
}

double BbrLite::pacing_rate() const {
  double gain = mode_ == Mode::startup ? kHighGain : mode_ == Mode::drain ? 1.0 / kHighGain : kProbeGains[cycle_index_];
  if (bw_.get() <= 0) {
    double rtt_s = (min_rtt_ == kNever ? 1000.0 : static_cast<double>(min_rtt_)) / 1e6;
    return kHighGain * kInitialCwnd / std::max(rtt_s, 1e-4);
  }
  return gain * bw_.get();
}

}  // namespace edgehub::p2p
