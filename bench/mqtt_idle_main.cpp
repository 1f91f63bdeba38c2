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
#include "mqtt_wire.hpp"

namespace {

using namespace edgehub::bench;

class MqttProtocol final : public LoadProtocol {
 public:
  explicit MqttProtocol(unsigned keepalive) : keepalive_(keepalive) {}

  asio::awaitable<bool> handshake(Conn& c, const std::string& /*phase*/) override {
    const std::string packet = mqtt::connect_packet("idle-" + std::to_string(c.index), keepalive_);
    boost::system::error_code ec;
    co_await asio::async_write(c.socket, asio::buffer(packet), asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return false;
    // CONNACK: 0x20, remaining length 2, session-present flags, return code.
    std::string ack(4, '\0');
    co_await asio::async_read(c.socket, asio::buffer(ack), asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return false;
    std::size_t offset = 0;
    bool bad = false;
    const auto reply = mqtt::next_packet(ack, offset, bad);
    co_return reply && reply->type == mqtt::kConnack&& mqtt::connack_accepted(reply->body);
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
  app.add_option("--keepalive", keepalive, "MQTT keep-alive seconds (0 = none)")
      ->capture_default_str()
      ->check(CLI::Range(0u, 65535u));
  CLI11_PARSE(app, argc, argv);
  config.phases = {"mqtt"};
  return run_load(config, [&] { return std::make_unique<MqttProtocol>(keepalive); });
}
