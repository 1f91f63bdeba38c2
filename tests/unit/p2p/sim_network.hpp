#pragma once
// A deterministic simulated network for the pure state machines: virtual
// time, a bottleneck with a rate and a queue, delay, loss, duplication,
// reordering and corruption from a seeded generator. No sockets, no sleeping.
#include <cstdint>
#include <cstring>
#include <functional>
#include <queue>
#include <vector>

#include "common/splitmix.hpp"
#include "p2p/clock.hpp"
#include "p2p/packet.hpp"
#include "p2p/receiver_machine.hpp"
#include "p2p/sender_machine.hpp"

namespace edgehub::p2p::test {

struct Impairments {
  double loss = 0, dup = 0, reorder = 0, corrupt = 0;
  Micros delay = 10 * kMillis;
  double rate_bytes_per_us = 12.5;  // 100 Mbit/s
  std::size_t queue_bytes = 512 * 1024;
};

using SplitMix = edgehub::SplitMix64;

class MemorySource : public ChunkSource {
 public:
  explicit MemorySource(std::vector<std::uint8_t> d) : data(std::move(d)) {}
  std::uint64_t size() const override { return data.size(); }
  void read(std::uint64_t off, std::span<std::uint8_t> out) override {
    std::memcpy(out.data(), data.data() + off, out.size());
  }
  std::vector<std::uint8_t> data;
};

class MemorySink : public ChunkSink {
 public:
  void write(std::span<const std::uint8_t> d) override { data.insert(data.end(), d.begin(), d.end()); }
  void commit() override { committed = true; }
  void discard() noexcept override {
    discarded = true;
    data.clear();
  }
  std::vector<std::uint8_t> data;
  bool committed = false, discarded = false;
};

// One direction of the path.
class SimLink {
 public:
  SimLink(Impairments imp, std::uint64_t seed) : imp_(imp), rng_(seed) {}

  void send(std::vector<std::uint8_t> dg, Micros now) {
    ++sent;
    if (rng_.uniform() < imp_.loss) return;
    if (rng_.uniform() < imp_.corrupt && !dg.empty()) dg[rng_.next() % dg.size()] ^= 0x10;
    int copies = rng_.uniform() < imp_.dup ? 2 : 1;
    for (int i = 0; i < copies; ++i) enqueue(dg, now);
  }
  bool due(Micros now) const { return !q_.empty() && q_.top().at <= now; }
  Micros next_time() const { return q_.empty() ? kNever : q_.top().at; }
  std::vector<std::uint8_t> pop() {
    auto dg = q_.top().bytes;
    q_.pop();
    return dg;
  }
  std::uint64_t sent = 0, dropped_queue = 0;

 private:
  struct InFlight {
    Micros at;
    std::uint64_t order;
    std::vector<std::uint8_t> bytes;
    bool operator>(const InFlight& o) const { return at != o.at ? at > o.at : order > o.order; }
  };
  void enqueue(const std::vector<std::uint8_t>& dg, Micros now) {
    double start = std::max(free_at_, static_cast<double>(now));
    if ((start - static_cast<double>(now)) * imp_.rate_bytes_per_us > static_cast<double>(imp_.queue_bytes)) {
      ++dropped_queue;
      return;
    }
    free_at_ = start + static_cast<double>(dg.size()) / imp_.rate_bytes_per_us;
    Micros at = static_cast<Micros>(free_at_) + imp_.delay;
    if (rng_.uniform() < imp_.reorder) at += imp_.delay / 2;
    q_.push({at, order_++, dg});
  }
  Impairments imp_;
  SplitMix rng_;
  double free_at_ = 0;
  std::uint64_t order_ = 0;
  std::priority_queue<InFlight, std::vector<InFlight>, std::greater<>> q_;
};

// Runs a sender and (once its SYN arrives) a receiver until both are done,
// or the virtual time limit passes. Either side can be "killed" at a time.
class SimTransfer {
 public:
  SimTransfer(std::vector<std::uint8_t> file, TransportConfig cfg, Impairments imp, std::uint64_t seed = 1)
      : source(std::move(file)), config(cfg), up(imp, seed), down(imp, seed + 1) {
    sender = std::make_unique<SenderMachine>(SenderParams{cfg, 7, "f.bin", "ticket"}, source, now);
  }

  void run(Micros limit) {
    while (now < limit && !(sender->finished() && (!receiver || receiver->finished()))) step(limit);
  }

  void step(Micros limit) {
    std::vector<std::uint8_t> buf(kMaxDatagram);
    if (!sender_dead)
      while (auto n = sender->poll_transmit(now, buf)) up.send({buf.begin(), buf.begin() + static_cast<long>(n)}, now);
    if (receiver && !receiver_dead)
      while (auto n = receiver->poll_transmit(now, buf))
        down.send({buf.begin(), buf.begin() + static_cast<long>(n)}, now);
    Micros next = std::min({up.next_time(), down.next_time(), limit});
    if (!sender_dead) next = std::min(next, sender->next_deadline());
    if (receiver && !receiver_dead) next = std::min(next, receiver->next_deadline());
    now = std::max(now, next);
    while (up.due(now)) to_receiver(up.pop());
    while (down.due(now)) to_sender(down.pop());
    if (sender->finished() && sender_done_at == kNever) sender_done_at = now;
    if (!sender_dead && now >= sender->next_deadline()) sender->on_timer(now);
    if (sender->finished() && sender_done_at == kNever) sender_done_at = now;
    if (receiver && !receiver_dead && now >= receiver->next_deadline()) receiver->on_timer(now);
  }

  void to_receiver(const std::vector<std::uint8_t>& dg) {
    auto r = decode(dg);
    if (!r.ok() || receiver_dead) {
      bad += r.ok() ? 0 : 1;
      return;
    }
    const auto& p = r.packet();
    if (!receiver) {
      if (!std::holds_alternative<Syn>(p.body)) return;
      receiver = std::make_unique<ReceiverMachine>(ReceiverParams{config, 99, std::get<Syn>(p.body)}, sink, now);
    }
    if (p.dest_conn == 99 || std::holds_alternative<Syn>(p.body)) receiver->on_packet(p, now);
  }
  void to_sender(const std::vector<std::uint8_t>& dg) {
    auto r = decode(dg);
    if (!r.ok() || sender_dead) {
      bad += r.ok() ? 0 : 1;
      return;
    }
    if (r.packet().dest_conn == 7) sender->on_packet(r.packet(), now);
  }

  Micros now = 1'000'000;
  Micros sender_done_at = kNever;  // when the sender learnt the outcome
  MemorySource source;
  MemorySink sink;
  TransportConfig config;
  SimLink up, down;
  std::unique_ptr<SenderMachine> sender;
  std::unique_ptr<ReceiverMachine> receiver;
  bool sender_dead = false, receiver_dead = false;
  std::uint64_t bad = 0;
};

inline std::vector<std::uint8_t> pattern(std::size_t n, std::uint64_t seed = 3) {
  SplitMix r(seed);
  std::vector<std::uint8_t> v(n);
  for (auto& b : v) b = static_cast<std::uint8_t>(r.next());
  return v;
}

}  // namespace edgehub::p2p::test
