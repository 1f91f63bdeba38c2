// udp_send: stand-alone EHT sender or receiver for tests and benchmarks.
//   receiver: udp_send --listen PORT --dir D --accept-ticket T [--count N]
//   sender:   udp_send --to HOST:PORT --file F [--file G ...] --ticket T [--stop-and-wait]
// Prints one line per event (tests wait on these lines) and goodput + CPU.
// Datagrams are sealed end to end (docs/UDP.md#14-end-to-end-encryption) with
// keys both sides derive from --psk; --no-aead (both sides) sends version-1
// plaintext instead, for the benchmark's comparison only: the client cannot.
#include <sodium.h>
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "p2p/crypto/aead.hpp"
#include "p2p/udp_endpoint.hpp"

namespace p2p = edgehub::p2p;
using boost::asio::ip::udp;

namespace {

struct Options {
  std::uint16_t listen_port = 0;
  bool listen = false;
  std::string bind = "127.0.0.1", dir = ".", sender_name = "peer", to;
  std::vector<std::string> tickets, files;
  std::string ticket;
  unsigned count = 0;
  bool stop_and_wait = false, progress = false, trace = false, no_aead = false;
  std::string psk = "udp_send";
  unsigned chunk = 1412;
  double idle_timeout = 10;
};

double cpu_seconds(bool user) {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  const auto& tv = user ? ru.ru_utime : ru.ru_stime;
  return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6;
}

void print_cpu(double wall) {
  double u = cpu_seconds(true), s = cpu_seconds(false);
  std::printf("cpu: user %.2f s, sys %.2f s (%.0f%% of one core over %.2f s)\n", u, s,
              wall > 0 ? 100 * (u + s) / wall : 0.0, wall);
}

// Both sides' key pairs come from --psk, so that a test or benchmark needs
// no hub: the sender is the initiator, the receiver the responder.
p2p::crypto::SessionKeys keys_of(const Options& o, bool initiator, std::string_view ticket) {
  p2p::crypto::ensure_sodium();
  auto pair_of = [&](const char* role) {
    std::array<std::uint8_t, crypto_kx_SEEDBYTES> seed{};
    const std::string material = o.psk + role;
    crypto_generichash(seed.data(), seed.size(), reinterpret_cast<const unsigned char*>(material.data()),
                       material.size(), nullptr, 0);
    p2p::crypto::KxKeyPair kp{};
    crypto_kx_seed_keypair(kp.public_key.data(), kp.secret_key.data(), seed.data());
    return kp;
  };
  const auto mine = pair_of(initiator ? " initiator" : " responder");
  const auto theirs = pair_of(initiator ? " responder" : " initiator");
  return *p2p::crypto::derive_session_keys(mine, theirs.public_key, initiator, ticket);
}

void print_counters(const p2p::EndpointCounters& c) {
  std::printf(
      "security: forged=%llu replayed=%llu plaintext=%llu\n", static_cast<unsigned long long>(c.forged_datagrams),
      static_cast<unsigned long long>(c.replayed_datagrams), static_cast<unsigned long long>(c.plaintext_datagrams));
  std::printf(
      "counters: datagrams=%llu bad=%llu unknown=%llu rejected=%llu started=%llu completed=%llu failed=%llu sent=%llu "
      "parked=%llu send_calls=%llu receive_calls=%llu\n",
      static_cast<unsigned long long>(c.datagrams), static_cast<unsigned long long>(c.bad_datagrams),
      static_cast<unsigned long long>(c.unknown_connection), static_cast<unsigned long long>(c.rejected_handshakes),
      static_cast<unsigned long long>(c.incoming_started), static_cast<unsigned long long>(c.incoming_completed),
      static_cast<unsigned long long>(c.incoming_failed), static_cast<unsigned long long>(c.datagrams_sent),
      static_cast<unsigned long long>(c.parked_handshakes), static_cast<unsigned long long>(c.send_calls),
      static_cast<unsigned long long>(c.receive_calls));
}

void print_path(const p2p::PathStats& s) {
  std::printf("path: bw=%.1f MB/s min_rtt=%llu us srtt=%llu us cwnd=%u retransmissions=%llu spurious=%llu\n",
              s.bottleneck_bytes_per_s / 1e6, static_cast<unsigned long long>(s.min_rtt_us),
              static_cast<unsigned long long>(s.srtt_us), s.cwnd_packets,
              static_cast<unsigned long long>(s.retransmissions),
              static_cast<unsigned long long>(s.spurious_retransmissions));
}

p2p::TransportConfig config_of(const Options& o) {
  p2p::TransportConfig c;
  c.stop_and_wait = o.stop_and_wait;
  c.chunk_size = static_cast<std::uint16_t>(o.chunk);
  c.ipv4_chunk_size = 0;  // what was asked for, on either family
  c.idle_timeout = static_cast<p2p::Micros>(o.idle_timeout * 1e6);
  c.handshake_timeout = c.idle_timeout;
  return c;
}

udp::endpoint parse_peer(const std::string& s) {
  auto colon = s.rfind(':');
  if (colon == std::string::npos) throw std::runtime_error("--to wants HOST:PORT");
  auto addr = boost::asio::ip::make_address(s.substr(0, colon) == "localhost" ? "127.0.0.1" : s.substr(0, colon));
  return {addr, static_cast<std::uint16_t>(std::stoul(s.substr(colon + 1)))};
}

int run_receiver(const Options& o) {
  boost::asio::io_context io;
  udp::socket sock(io, udp::endpoint(boost::asio::ip::make_address(o.bind), o.listen_port));
  unsigned finished = 0, failures = 0;
  p2p::EndpointOptions eo;
  eo.receive_dir = o.dir;
  eo.config = config_of(o);
  eo.plaintext = o.no_aead;
  eo.keys = [&o](std::string_view ticket) { return std::optional(keys_of(o, false, ticket)); };
  eo.validator = [&](const p2p::TransferRequest& r) -> std::optional<std::string> {
    for (const auto& ok : o.tickets)
      if (r.ticket == ok) return o.sender_name;
    return std::nullopt;
  };
  eo.on_incoming_started = [](const p2p::IncomingInfo& i) {
    std::printf("incoming %s from %s (%llu bytes)\n", i.file_name.c_str(), i.sender.c_str(),
                static_cast<unsigned long long>(i.size));
  };
  std::unique_ptr<p2p::UdpEndpoint> ep;
  // Exits once the endpoint forgot every transfer: a finished one lingers
  // to answer a repeated FIN (its FINACK may have been lost).
  boost::asio::steady_timer exit_timer(io);
  std::function<void()> exit_when_idle = [&] {
    if (ep->active_transfers() == 0) return io.stop();
    exit_timer.expires_after(std::chrono::milliseconds(50));
    exit_timer.async_wait([&](boost::system::error_code ec) {
      if (!ec) exit_when_idle();
    });
  };
  eo.on_incoming_done = [&](const p2p::IncomingResult& r) {
    if (r.ok) {
      std::printf("Received %s from %s\n", r.info.file_name.c_str(), r.info.sender.c_str());
      std::printf("received %llu bytes in %.3f s: %.1f MB/s -> %s\n", static_cast<unsigned long long>(r.bytes),
                  r.seconds, r.seconds > 0 ? static_cast<double>(r.bytes) / r.seconds / 1e6 : 0.0, r.path.c_str());
    } else {
      ++failures;
      std::printf("failed: %s from %s: %s\n", r.info.file_name.c_str(), r.info.sender.c_str(), r.error.c_str());
    }
    print_counters(ep->counters());
    if (o.count > 0 && ++finished >= o.count) exit_when_idle();
  };
  ep = std::make_unique<p2p::UdpEndpoint>(std::move(sock), std::move(eo));
  ep->start();
  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](auto, int) {
    ep->close("receiver shutting down");
    boost::asio::post(io, [&] { io.stop(); });
  });
  std::printf("listening on %s:%u\n", o.bind.c_str(), ep->local_endpoint().port());
  auto t0 = std::chrono::steady_clock::now();
  io.run();
  print_counters(ep->counters());
  print_cpu(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  return failures == 0 ? 0 : 1;
}

int run_sender(const Options& o) {
  boost::asio::io_context io;
  auto peer = parse_peer(o.to);
  udp::socket sock(io, udp::endpoint(peer.address().is_v4() ? udp::v4() : udp::v6(), 0));
  p2p::EndpointOptions eo;
  eo.config = config_of(o);
  eo.plaintext = o.no_aead;
  p2p::UdpEndpoint ep(std::move(sock), std::move(eo));
  p2p::SendOptions send_options;
  if (!o.no_aead) send_options.keys = keys_of(o, true, o.ticket);
  std::printf("cipher: %s\n", o.no_aead ? "none (--no-aead)" : p2p::crypto::Aead::make({}).name());
  ep.start();
  std::size_t pending = o.files.size(), failures = 0;
  auto t0 = std::chrono::steady_clock::now();
  std::uint64_t total = 0;
  for (const auto& f : o.files) {
    auto progress = [&o, f](const p2p::TransferProgress& p) {
      if (o.progress)
        std::printf("progress %s %llu/%llu\n", f.c_str(), static_cast<unsigned long long>(p.bytes_done),
                    static_cast<unsigned long long>(p.total));
      if (o.trace) print_path(p.path);
    };
    ep.send_file(
        peer, f, o.ticket, progress,
        [&](const p2p::SendResult& r) {
          if (r.ok) {
            total += r.bytes;
            std::printf("%s has been uploaded\n", r.file_name.c_str());
            std::printf(
                "sent %llu bytes in %.3f s: %.1f MB/s (%.1f Mbit/s), retransmissions %llu\n",
                static_cast<unsigned long long>(r.bytes), r.seconds, static_cast<double>(r.bytes) / r.seconds / 1e6,
                static_cast<double>(r.bytes) * 8 / r.seconds / 1e6, static_cast<unsigned long long>(r.retransmissions));
          } else {
            ++failures;
            std::printf("error: %s: %s\n", r.file_name.c_str(), r.error.c_str());
          }
          if (--pending == 0) io.stop();
        },
        send_options);
  }
  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](auto, int) { ep.close("sender interrupted"); });
  io.run();
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (o.files.size() > 1)
    std::printf("all: %llu bytes in %.3f s: %.1f MB/s\n", static_cast<unsigned long long>(total), wall,
                static_cast<double>(total) / wall / 1e6);
  print_counters(ep.counters());
  print_cpu(wall);
  return failures == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  Options o;
  CLI::App app{"EHT reliable-UDP file sender/receiver (edgehub, docs/UDP.md)"};
  auto* listen = app.add_option("--listen", o.listen_port, "receive: UDP port to listen on (0: any)");
  app.add_option("--bind", o.bind, "receive: address to bind");
  app.add_option("--dir", o.dir, "receive: directory for received files");
  app.add_option("--accept-ticket", o.tickets, "receive: ticket to accept (repeatable)");
  app.add_option("--sender-name", o.sender_name, "receive: sender name for accepted tickets");
  app.add_option("--count", o.count, "receive: exit after this many transfers ended (0: never)");
  auto* to = app.add_option("--to", o.to, "send: receiver HOST:PORT");
  app.add_option("--file", o.files, "send: file to send (repeatable: sent concurrently)");
  app.add_option("--ticket", o.ticket, "send: ticket to present");
  app.add_flag("--stop-and-wait", o.stop_and_wait, "send: window of 1 (comparison only)");
  app.add_flag("--progress", o.progress, "send: print progress lines");
  app.add_flag("--trace", o.trace, "send: print the path model (bandwidth, RTT, window) with each progress report");
  app.add_option("--chunk", o.chunk, "send: payload bytes per datagram")->check(CLI::Range(1, 65000));
  app.add_option("--idle-timeout", o.idle_timeout, "seconds without a word from the peer before giving up");
  app.add_option("--psk", o.psk, "secret both sides derive their key pairs from (default: udp_send)");
  app.add_flag("--no-aead", o.no_aead,
               "both sides: plaintext datagrams with CRC32C instead of AEAD (benchmark comparison only)");
  listen->excludes(to);
  CLI11_PARSE(app, argc, argv);
  o.listen = listen->count() > 0;
  try {
    if (o.listen) return run_receiver(o);
    if (o.to.empty() || o.files.empty()) throw std::runtime_error("give --listen PORT, or --to HOST:PORT --file F");
    return run_sender(o);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "udp_send: %s\n", e.what());
    return 2;
  }
}
