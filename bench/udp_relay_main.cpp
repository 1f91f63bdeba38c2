// udp_relay: a user-space impairment relay between UDP peers (netem is not
// available here). Clients send to --listen; each client gets its own
// upstream socket towards --to, like a NAT. Both directions suffer, from a
// seeded generator (same seed + same packet order = same fate): loss,
// duplication, bit corruption, reordering, delay + jitter, and a token-bucket
// rate limit with a tail-drop queue.
//
// --learn-reply-port: a server that answers from another port than the one
// it was asked on (TFTP: every transfer gets its own port) becomes the
// flow's upstream peer from its first answer on, so the client's further
// datagrams reach it.
#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdio>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <queue>
#include <vector>

#include "common/splitmix.hpp"

using boost::asio::ip::udp;
using Clock = std::chrono::steady_clock;

namespace {

struct Impairments {
  double loss = 0, dup = 0, reorder = 0, corrupt = 0;
  double delay_ms = 0, jitter_ms = 0, reorder_ms = 5;
  double rate_mbit = 0, burst_kb = 16, queue_kb = 256;
  bool learn_reply_port = false;
  // Security tests (docs/UDP.md#14-end-to-end-encryption): every datagram
  // forwarded is also appended here; every replay_old-th datagram is followed
  // by a copy of the one kReplayLag datagrams before it (behind the replay window).
  std::FILE* capture = nullptr;
  unsigned replay_old = 0;
};
constexpr std::size_t kReplayLag = 6000;

using Rng = edgehub::SplitMix64;  // seeded runs repeat on any libstdc++

struct Stats {
  std::uint64_t in = 0, out = 0, lost = 0, dup = 0, corrupt = 0, reordered = 0, queue_drop = 0, replayed_old = 0;
};

struct Delivery {
  Clock::time_point at;
  std::uint64_t order;
  std::vector<std::uint8_t> bytes;
  udp::socket* via;
  udp::endpoint to;
  bool operator>(const Delivery& o) const { return at != o.at ? at > o.at : order > o.order; }
};

// One direction: decides each datagram's fate and its delivery time.
class Link {
 public:
  Link(const Impairments& imp, std::uint64_t seed) : imp_(imp), rng_(seed) {}

  void accept(std::vector<std::uint8_t> dg, udp::socket* via, const udp::endpoint& to, Clock::time_point now) {
    ++stats.in;
    if (imp_.capture != nullptr) std::fwrite(dg.data(), 1, dg.size(), imp_.capture);
    if (imp_.replay_old > 0) replay_old(dg, via, to, now);
    if (rng_.uniform() < imp_.loss) return void(++stats.lost);
    bool twice = rng_.uniform() < imp_.dup;
    if (rng_.uniform() < imp_.corrupt && !dg.empty()) {
      ++stats.corrupt;
      auto bit = rng_.next() % (dg.size() * 8);
      dg[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
    }
    if (twice) {
      ++stats.dup;
      schedule(dg, via, to, now);
    }
    schedule(std::move(dg), via, to, now);
  }
  std::priority_queue<Delivery, std::vector<Delivery>, std::greater<>> due;
  Stats stats;

 private:
  void replay_old(const std::vector<std::uint8_t>& dg, udp::socket* via, const udp::endpoint& to,
                  Clock::time_point now) {
    history_.push_back(dg);
    if (history_.size() <= kReplayLag) return;
    if (stats.in % imp_.replay_old == 0) {
      ++stats.replayed_old;
      schedule(history_.front(), via, to, now);
    }
    history_.pop_front();
  }
  void schedule(std::vector<std::uint8_t> dg, udp::socket* via, const udp::endpoint& to, Clock::time_point now) {
    auto leave = bottleneck(dg.size(), now);
    if (!leave) return void(++stats.queue_drop);
    double ms = imp_.delay_ms + (imp_.jitter_ms > 0 ? rng_.uniform() * imp_.jitter_ms : 0.0);
    if (rng_.uniform() < imp_.reorder) {
      ms += imp_.reorder_ms;
      ++stats.reordered;
    }
    auto at = *leave + std::chrono::microseconds(static_cast<long>(ms * 1000));
    due.push({at, order_++, std::move(dg), via, to});
  }
  // Token bucket of burst_kb filled at rate_mbit; packets that cannot get
  // tokens wait in a FIFO of queue_kb, beyond which they are dropped.
  std::optional<Clock::time_point> bottleneck(std::size_t size, Clock::time_point now) {
    if (imp_.rate_mbit <= 0) return now;
    double bytes_per_us = imp_.rate_mbit / 8.0;
    double burst_us = imp_.burst_kb * 1024 / bytes_per_us;
    double now_us = std::chrono::duration<double, std::micro>(now.time_since_epoch()).count();
    double start = std::max(free_at_us_, now_us - burst_us);
    if ((start - now_us) * bytes_per_us > imp_.queue_kb * 1024) return std::nullopt;
    free_at_us_ = start + static_cast<double>(size) / bytes_per_us;
    auto leave_us = std::max(now_us, free_at_us_);
    return Clock::time_point(
        std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double, std::micro>(leave_us)));
  }
  Impairments imp_;
  Rng rng_;
  double free_at_us_ = 0;
  std::uint64_t order_ = 0;
  std::deque<std::vector<std::uint8_t>> history_;  // replay_old
};

class Relay {
 public:
  Relay(boost::asio::io_context& io, std::uint16_t port, udp::endpoint server, const Impairments& imp,
        std::uint64_t seed)
      : io_(io),
        front_(io, udp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port)),
        server_(server),
        learn_(imp.learn_reply_port),
        up_(imp, seed),
        down_(imp, seed ^ 0xD1B54A32D192ED03ull),
        timer_(io),
        buf_(65536) {
    front_.set_option(boost::asio::socket_base::receive_buffer_size(8 << 20));
    receive_front();
  }
  std::uint16_t port() const { return front_.local_endpoint().port(); }
  void print_stats() const {
    print("up", up_.stats);
    print("down", down_.stats);
  }

 private:
  struct Flow {
    udp::socket sock;
    udp::endpoint client, from, upstream;  // upstream: where this client's datagrams go
    std::vector<std::uint8_t> buf = std::vector<std::uint8_t>(65536);
  };

  static void print(const char* dir, const Stats& s) {
    std::printf(
        "relay %s: in=%llu out=%llu lost=%llu dup=%llu corrupt=%llu reordered=%llu queue_drop=%llu replayed_old=%llu\n",
        dir, (unsigned long long)s.in, (unsigned long long)s.out, (unsigned long long)s.lost, (unsigned long long)s.dup,
        (unsigned long long)s.corrupt, (unsigned long long)s.reordered, (unsigned long long)s.queue_drop,
        (unsigned long long)s.replayed_old);
  }

  void receive_front() {
    front_.async_receive_from(boost::asio::buffer(buf_), client_, [this](boost::system::error_code ec, std::size_t n) {
      if (ec == boost::asio::error::operation_aborted) return;
      if (!ec) {
        Flow& f = flow_for(client_);
        up_.accept({buf_.begin(), buf_.begin() + static_cast<long>(n)}, &f.sock, f.upstream, Clock::now());
        arm();
      }
      receive_front();
    });
  }

  Flow& flow_for(const udp::endpoint& client) {
    auto it = flows_.find(client);
    if (it != flows_.end()) return *it->second;
    auto f = std::make_unique<Flow>(Flow{udp::socket(io_, udp::endpoint(server_.protocol(), 0)), client, {}, server_});
    f->sock.set_option(boost::asio::socket_base::receive_buffer_size(8 << 20));
    Flow& ref = *f;
    flows_[client] = std::move(f);
    receive_back(ref);
    return ref;
  }

  void receive_back(Flow& f) {
    f.sock.async_receive_from(
        boost::asio::buffer(f.buf), f.from, [this, &f](boost::system::error_code ec, std::size_t n) {
          if (ec == boost::asio::error::operation_aborted) return;
          if (!ec) {
            if (learn_) f.upstream = f.from;
            down_.accept({f.buf.begin(), f.buf.begin() + static_cast<long>(n)}, &front_, f.client, Clock::now());
            arm();
          }
          receive_back(f);
        });
  }

  void arm() {
    auto next = Clock::time_point::max();
    if (!up_.due.empty()) next = std::min(next, up_.due.top().at);
    if (!down_.due.empty()) next = std::min(next, down_.due.top().at);
    if (next == Clock::time_point::max() || (armed_ && next >= armed_at_)) return;
    armed_ = true;
    armed_at_ = next;
    timer_.expires_at(next);
    timer_.async_wait([this](boost::system::error_code ec) {
      if (ec) return;
      armed_ = false;
      release(up_);
      release(down_);
      arm();
    });
  }

  static void release(Link& l) {
    auto now = Clock::now();
    while (!l.due.empty() && l.due.top().at <= now) {
      const Delivery& d = l.due.top();
      boost::system::error_code ec;
      d.via->send_to(boost::asio::buffer(d.bytes), d.to, 0, ec);
      ++l.stats.out;
      l.due.pop();
    }
  }

  boost::asio::io_context& io_;
  udp::socket front_;
  udp::endpoint server_, client_;
  bool learn_;
  Link up_, down_;
  boost::asio::steady_timer timer_;
  bool armed_ = false;
  Clock::time_point armed_at_;
  std::vector<std::uint8_t> buf_;
  std::map<udp::endpoint, std::unique_ptr<Flow>> flows_;
};

}  // namespace

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  Impairments imp;
  std::uint16_t port = 0;
  std::string to;
  std::uint64_t seed = 1;
  CLI::App app{"UDP impairment relay (seeded, deterministic) for edgehub tests and benchmarks"};
  app.add_option("--listen", port, "UDP port on 127.0.0.1 that clients send to (0: any)");
  app.add_option("--to", to, "server HOST:PORT")->required();
  app.add_option("--loss", imp.loss, "drop probability per datagram, each direction");
  app.add_option("--dup", imp.dup, "duplication probability");
  app.add_option("--reorder", imp.reorder, "probability that a datagram is held back --reorder-ms");
  app.add_option("--reorder-ms", imp.reorder_ms, "extra delay of reordered datagrams");
  app.add_option("--corrupt", imp.corrupt, "probability that one random bit is flipped");
  app.add_option("--delay-ms", imp.delay_ms, "one-way delay (RTT = 2x)");
  app.add_option("--jitter-ms", imp.jitter_ms, "uniform extra delay in [0, jitter)");
  app.add_option("--rate-mbit", imp.rate_mbit, "token-bucket rate limit per direction (0: none)");
  app.add_option("--burst-kb", imp.burst_kb, "token bucket size");
  app.add_option("--queue-kb", imp.queue_kb, "queue behind the rate limit; tail drop beyond");
  app.add_option("--seed", seed, "random seed");
  app.add_flag("--learn-reply-port", imp.learn_reply_port,
               "send a client's datagrams to wherever the server last answered from (TFTP)");
  std::string capture;
  app.add_option("--capture", capture, "append every datagram received, both directions, to this file");
  app.add_option("--replay-old", imp.replay_old,
                 "every Nth datagram, also send again the one 6000 datagrams before it (0: never)");
  CLI11_PARSE(app, argc, argv);
  try {
    if (!capture.empty() && (imp.capture = std::fopen(capture.c_str(), "ab")) == nullptr)
      throw std::runtime_error("cannot open " + capture);
    boost::asio::io_context io;
    auto colon = to.rfind(':');
    udp::endpoint server(boost::asio::ip::make_address(to.substr(0, colon)),
                         static_cast<std::uint16_t>(std::stoul(to.substr(colon + 1))));
    Relay relay(io, port, server, imp, seed);
    std::printf("relay listening on 127.0.0.1:%u\n", relay.port());
    boost::asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](auto, int) { io.stop(); });
    io.run();
    relay.print_stats();
    if (imp.capture != nullptr) std::fclose(imp.capture);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "udp_relay: %s\n", e.what());
    return 2;
  }
  return 0;
}
