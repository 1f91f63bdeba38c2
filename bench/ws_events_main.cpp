// ws_events: many concurrent browser sessions, each logged in over HTTP and
// holding the WebSocket of GET /api/v1/events open (docs/HTTP_API.md#events),
// to measure edgehubd's memory per idle session and the delivery latency of
// events fanned out to every socket (docs/BENCHMARKS.md#web-console-sessions).
//
//   ws_events --port HTTP_PORT --connections N [--processes K] [--server-pid PID]
//             [--hold-seconds S] [--latency-file PREFIX] ...
//
// Session n logs in as account "web<n>" with password --password on one
// keep-alive connection (POST /api/v1/login), upgrades that same connection
// to the events WebSocket with the session cookie and waits for the "hello"
// event; then it only reads (Beast answers the server's pings). With
// --latency-file, every "broadcast" event whose text is "bench-<ns>" (ns: a
// CLOCK_MONOTONIC time the sender took just before sending) records its
// delivery latency; each worker writes its latencies, in microseconds, one a
// line, to PREFIX.<pid> when it ends. Same process fan-out, source addresses
// and RESULT lines as `load` (bench/load_runner.hpp). --anchor-subprotocol
// opens bare WebSockets on "/" instead, for another server (the anchor).
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <charconv>
#include <cstdio>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "load_runner.hpp"

namespace {

using namespace edgehub::bench;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using EventSocket = websocket::stream<tcp::socket&>;

// The value of the edgehub_session cookie in a login answer, "" if none.
std::string session_cookie(const http::response<http::string_body>& response) {
  static constexpr std::string_view kName = "edgehub_session=";
  for (const auto& field : response) {
    if (field.name() != http::field::set_cookie) continue;
    const std::string_view value = field.value();
    if (!value.starts_with(kName)) continue;
    const auto end = value.find(';');
    return std::string(value.substr(kName.size(), end == std::string_view::npos ? end : end - kName.size()));
  }
  return "";
}

// The sender's timestamp of a benchmark broadcast, or -1 for any other event.
std::int64_t broadcast_stamp(std::string_view json) {
  static constexpr std::string_view kText = "\"text\":\"bench-";
  if (json.find("\"type\":\"broadcast\"") == std::string_view::npos) return -1;
  const auto at = json.find(kText);
  if (at == std::string_view::npos) return -1;
  const char* first = json.data() + at + kText.size();
  std::int64_t ns = -1;
  const auto [end, ec] = std::from_chars(first, json.data() + json.size(), ns);
  return ec == std::errc() ? ns : -1;
}

class EventsProtocol final : public LoadProtocol {
 public:
  EventsProtocol(std::string host, std::string password, std::string latency_file, std::string anchor)
      : host_(std::move(host)),
        password_(std::move(password)),
        latency_file_(std::move(latency_file)),
        anchor_(std::move(anchor)) {}

  ~EventsProtocol() override { write_latencies(); }

  asio::awaitable<bool> handshake(Conn& c, const std::string& /*phase*/) override {
    if (!anchor_.empty()) co_return co_await open_anchor(c);
    const std::string cookie = co_await log_in(c);
    if (cookie.empty()) co_return false;
    auto ws = std::make_unique<EventSocket>(c.socket);
    ws->set_option(websocket::stream_base::decorator(
        [cookie](websocket::request_type& request) { request.set(http::field::cookie, "edgehub_session=" + cookie); }));
    boost::system::error_code ec;
    co_await ws->async_handshake(host_, "/api/v1/events", asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return false;
    beast::flat_buffer hello;
    co_await ws->async_read(hello, asio::redirect_error(asio::use_awaitable, ec));
    if (ec || beast::buffers_to_string(hello.data()).find("\"hello\"") == std::string::npos) co_return false;
    sockets_[c.index] = std::move(ws);
    co_return true;
  }

  asio::awaitable<void> idle(Conn& c) override {
    auto found = sockets_.find(c.index);
    if (found == sockets_.end()) co_return;
    // This coroutine owns the stream from now on: when the worker stops, the
    // io_context destroys it with the coroutine, before its own services.
    const std::unique_ptr<EventSocket> owned = std::move(found->second);
    sockets_.erase(found);
    EventSocket& ws = *owned;
    beast::flat_buffer buffer;
    for (;;) {
      boost::system::error_code ec;
      co_await ws.async_read(buffer, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) break;
      ++events_;
      const auto data = buffer.cdata();
      const std::int64_t sent = broadcast_stamp({static_cast<const char*>(data.data()), data.size()});
      if (sent > 0) latencies_us_.push_back((monotonic_ns() - sent) / 1000);
      buffer.clear();
    }
  }

  std::string stats() const override { return fmt::format("events={} timed={}", events_, latencies_us_.size()); }

 private:
  // The anchor: a bare WebSocket on "/" with subprotocol anchor_, no login.
  asio::awaitable<bool> open_anchor(Conn& c) {
    auto ws = std::make_unique<EventSocket>(c.socket);
    ws->set_option(websocket::stream_base::decorator([protocol = anchor_](websocket::request_type& request) {
      request.set(http::field::sec_websocket_protocol, protocol);
    }));
    boost::system::error_code ec;
    co_await ws->async_handshake(host_, "/", asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return false;
    sockets_[c.index] = std::move(ws);
    co_return true;
  }

  // POST /api/v1/login as web<index>; the session cookie, "" if refused.
  asio::awaitable<std::string> log_in(Conn& c) {
    http::request<http::string_body> request{http::verb::post, "/api/v1/login", 11};
    request.set(http::field::host, host_);
    request.set(http::field::content_type, "application/json");
    request.body() = fmt::format(R"({{"name":"web{}","password":"{}"}})", c.index, password_);
    request.prepare_payload();
    boost::system::error_code ec;
    co_await http::async_write(c.socket, request, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return "";
    beast::flat_buffer buffer;
    http::response<http::string_body> response;
    co_await http::async_read(c.socket, buffer, response, asio::redirect_error(asio::use_awaitable, ec));
    if (ec || response.result() != http::status::ok) {
      if (!ec && refusals_++ < 3) std::fprintf(stderr, "login web%zu: %s\n", c.index, response.body().c_str());
      co_return "";
    }
    co_return session_cookie(response);
  }

  void write_latencies() const {
    if (latency_file_.empty()) return;
    const std::string path = latency_file_ + "." + std::to_string(::getpid());
    FILE* out = std::fopen(path.c_str(), "w");
    if (out == nullptr) return;
    for (const auto us : latencies_us_) std::fprintf(out, "%lld\n", static_cast<long long>(us));
    std::fclose(out);
  }

  std::string host_;
  std::string password_;
  std::string latency_file_;
  std::string anchor_;
  std::unordered_map<std::size_t, std::unique_ptr<EventSocket>> sockets_;
  std::vector<std::int64_t> latencies_us_;
  std::size_t events_ = 0;
  std::size_t refusals_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"ws_events: concurrent browser sessions on edgehubd's events WebSocket"};
  RunConfig config;
  std::string password = "bench-password";
  std::string latency_file;
  std::string anchor;
  add_run_options(app, config);
  app.add_option("--password", password, "every account's password (accounts are web1 ... webN)")
      ->capture_default_str();
  app.add_option("--latency-file", latency_file, "record benchmark broadcasts' latencies in PREFIX.<pid>");
  app.add_option("--anchor-subprotocol", anchor,
                 "no login: open a bare WebSocket on / with this subprotocol (another server, for comparison)");
  CLI11_PARSE(app, argc, argv);
  config.phases = {"events"};
  return run_load(config,
                  [&] { return std::make_unique<EventsProtocol>(config.host, password, latency_file, anchor); });
}
