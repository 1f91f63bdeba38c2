// mqtt_idle: many concurrent idle MQTT 3.1.1 clients, to compare a broker's
// memory per connection (Mosquitto) with edgehubd's under the same load.
//
//   mqtt_idle --port P --connections N [--processes K] [--server-pid PID]
//             [--keepalive S] [--hold-seconds S] ...
//
// Each client sends one CONNECT (clean session, client id "idle-<n>") and
// waits for CONNACK with return code 0, then stays idle; with a non-zero
// --keepalive it sends PINGREQ every S seconds, as a real device would.
// Same process fan-out, source addresses and RESULT lines as `load`.
#include <CLI/CLI.hpp>
#include <array>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <cstdio>
#include <string>

#include "load_runner.hpp"

namespace {

using namespace edgehub::bench;

// MQTT's "remaining length": 7 bits a byte, high bit = more bytes follow.
void append_remaining_length(std::string& out, std::size_t n) {
  do {
    unsigned char byte = n % 128;
    n /= 128;
    if (n > 0) byte |= 0x80;
    out.push_back(static_cast<char>(byte));
  } while (n > 0);
}

void append_u16(std::string& out, std::size_t v) {
  out.push_back(static_cast<char>((v >> 8) & 0xff));
  out.push_back(static_cast<char>(v & 0xff));
}

// MQTT 3.1.1 section 3.1: CONNECT with only a client identifier.
std::string connect_packet(const std::string& client_id, unsigned keepalive) {
  std::string body;
  append_u16(body, 4);
  body += "MQTT";
  body.push_back(4);     // protocol level 4 = 3.1.1
  body.push_back(0x02);  // connect flags: clean session
  append_u16(body, keepalive);
  append_u16(body, client_id.size());
  body += client_id;
  std::string packet(1, static_cast<char>(0x10));  // CONNECT
  append_remaining_length(packet, body.size());
  return packet + body;
}

class MqttProtocol final : public LoadProtocol {
 public:
  explicit MqttProtocol(unsigned keepalive) : keepalive_(keepalive) {}

  asio::awaitable<bool> handshake(Conn& c, const std::string& /*phase*/) override {
    const std::string packet = connect_packet("idle-" + std::to_string(c.index), keepalive_);
    boost::system::error_code ec;
    co_await asio::async_write(c.socket, asio::buffer(packet), asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return false;
    // CONNACK: 0x20, remaining length 2, session-present flags, return code.
    std::array<unsigned char, 4> ack{};
    co_await asio::async_read(c.socket, asio::buffer(ack), asio::redirect_error(asio::use_awaitable, ec));
    co_return !ec && ack[0] == 0x20 && ack[1] == 0x02 && ack[3] == 0x00;
  }

  asio::awaitable<void> idle(Conn& c) override {
    if (keepalive_ > 0) asio::co_spawn(c.socket.get_executor(), ping(c, c.generation), asio::detached);
    std::array<unsigned char, 64> sink{};  // PINGRESPs; nothing else comes
    for (;;) {
      boost::system::error_code ec;
      co_await c.socket.async_read_some(asio::buffer(sink), asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return;
    }
  }

  std::string stats() const override { return fmt::format("pings={}", pings_); }

 private:
  asio::awaitable<void> ping(Conn& c, unsigned generation) {
    static const std::string pingreq("\xc0\x00", 2);
    asio::steady_timer timer(c.socket.get_executor());
    while (c.generation == generation && c.socket.is_open()) {
      timer.expires_after(std::chrono::seconds(keepalive_));
      boost::system::error_code ec;
      co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      if (ec || c.generation != generation || !c.socket.is_open()) co_return;
      co_await asio::async_write(c.socket, asio::buffer(pingreq), asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return;
      ++pings_;
    }
  }

  unsigned keepalive_;
  std::size_t pings_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"mqtt_idle: concurrent idle MQTT 3.1.1 clients"};
  RunConfig config;
  unsigned keepalive = 0;
  add_run_options(app, config);
  app.add_option("--keepalive", keepalive, "MQTT keep-alive seconds (0 = none)")->capture_default_str()->check(CLI::Range(0u, 65535u));
  CLI11_PARSE(app, argc, argv);
  config.phases = {"mqtt"};
  return run_load(config, [&] { return std::make_unique<MqttProtocol>(keepalive); });
}
