#include "net/server.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <csignal>
#include <thread>

#include "net/control_signals.hpp"
#include "net/first_byte.hpp"
#include "net/parking_lot.hpp"

namespace edgehub::net {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {
constexpr auto kSweepInterval = std::chrono::milliseconds(250);
constexpr std::uint64_t kSweepsPerAccountCheck = 4;
constexpr auto kShutdownGrace = std::chrono::seconds(2);
}  // namespace

Server::Server(const ServerOptions& options, Listener listener, hub::Hub& hub) : options_(options), hub_(hub) {
  // OpenSSL writes to the socket without MSG_NOSIGNAL (as sendfile does): a
  // client that vanishes must cost an EPIPE, not the process.
  std::signal(SIGPIPE, SIG_IGN);
  const std::size_t threads = std::max<std::size_t>(1, options_.threads);
  for (std::size_t i = 0; i < threads; ++i) {
    contexts_.push_back(std::make_unique<asio::io_context>(1));
    ParkingLot::of(contexts_.back()->get_executor()).enable(options_.park_idle);
    guards_.push_back(
        std::make_unique<asio::executor_work_guard<asio::io_context::executor_type>>(contexts_.back()->get_executor()));
  }
  if (options_.admission_threads > 0) admission_ = std::make_unique<AdmissionThreads>(options_.admission_threads);
  signals_ = std::make_unique<asio::signal_set>(*contexts_[0], SIGINT, SIGTERM);
  reload_signal_ = std::make_unique<asio::signal_set>(*contexts_[0], SIGHUP);
  port_ = listener.port();
  const auto protocol = listener.ipv6() ? tcp::v6() : tcp::v4();
  const auto accepting = admission_ ? asio::any_io_executor(asio::make_strand(admission_->context()))
                                    : asio::any_io_executor(contexts_[0]->get_executor());
  acceptor_ = std::make_unique<tcp::acceptor>(accepting, protocol, listener.take());
}

// The io_contexts go last (members), after every connection the hub still
// holds (Hub::let_go_of_connections).
Server::~Server() { hub_.let_go_of_connections(); }

void Server::run() {
  asio::co_spawn(acceptor_->get_executor(), accept_loop(), asio::detached);
  asio::co_spawn(*contexts_[0], sweep_loop(), asio::detached);
  signals_->async_wait([this](const boost::system::error_code& ec, int sig) {
    if (ec) return;
    spdlog::info("signal {}: shutting down", sig);
    begin_shutdown();
  });
  wait_for_reload();
  std::vector<std::thread> threads;
  {
    ControlSignalsBlocked inherited;  // the other network threads leave them to this one (control_signals.hpp)
    for (std::size_t i = 1; i < contexts_.size(); ++i) threads.emplace_back([ctx = contexts_[i].get()] { ctx->run(); });
    if (admission_) admission_->start();
  }
  unblock_control_signals();  // one that came during the start-up is taken now
  contexts_[0]->run();
  for (auto& t : threads) t.join();
  if (admission_) admission_->join();
}

std::vector<asio::any_io_executor> Server::executors() const {
  std::vector<asio::any_io_executor> out;
  for (const auto& c : contexts_) out.emplace_back(c->get_executor());
  return out;
}

void Server::stop() {
  asio::post(*contexts_[0], [this] { begin_shutdown(); });
}

void Server::wait_for_reload() {
  reload_signal_->async_wait([this](const boost::system::error_code& ec, int) {
    if (ec || shutting_down_) return;
    for (auto& hook : reload_hooks_) hook();
    wait_for_reload();
  });
}

void Server::begin_shutdown() {
  if (shutting_down_) return;
  shutting_down_ = true;
  boost::system::error_code cancelled;
  reload_signal_->cancel(cancelled);
  // On the acceptor's own thread: it may be waiting in an accept there.
  asio::post(acceptor_->get_executor(), [this] {
    boost::system::error_code ignored;
    acceptor_->close(ignored);
  });
  for (auto& hook : shutdown_hooks_) hook();
  hub_.shutdown_all("Server shutting down");
  // Give the goodbyes a moment to flush (no longer than it takes every
  // connection to close), then let every loop run dry.
  asio::co_spawn(
      *contexts_[0],
      [this]() -> asio::awaitable<void> {
        asio::steady_timer timer(*contexts_[0]);
        const auto deadline = std::chrono::steady_clock::now() + kShutdownGrace;
        while (hub_.connection_count() > 0 && std::chrono::steady_clock::now() < deadline) {
          timer.expires_after(std::chrono::milliseconds(20));
          boost::system::error_code ec;
          co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        }
        for (auto& g : guards_) g->reset();
        for (auto& c : contexts_) c->stop();
        if (admission_) admission_->stop();
      },
      asio::detached);
}

// Runs on the acceptor's executor. Ends when shutdown closes the acceptor
// (shutting_down_ belongs to network thread 0: not read here).
asio::awaitable<void> Server::accept_loop() {
  for (;;) {
    auto home = next_network_thread();
    // Accepted onto the admission threads (a strand per connection), or
    // straight onto its network thread when there are none.
    auto where =
        admission_ ? asio::any_io_executor(asio::make_strand(admission_->context())) : asio::any_io_executor(home);
    boost::system::error_code ec;
    tcp::socket socket = co_await acceptor_->async_accept(where, asio::redirect_error(asio::use_awaitable, ec));
    if (ec == asio::error::operation_aborted || !acceptor_->is_open()) break;
    if (ec) {
      // EMFILE and friends: say so, back off briefly, keep serving.
      spdlog::warn("accept failed: {}", ec.message());
      asio::steady_timer pause(acceptor_->get_executor(), std::chrono::milliseconds(100));
      co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      continue;
    }
    admit(std::move(socket), {.hub = hub_,
                              .high_water_bytes = options_.high_water_bytes,
                              .tls = options_.tls,
                              .handshake_deadline = options_.tls_handshake_deadline,
                              .proxies = options_.proxies,
                              .home = std::move(home)});
  }
}

asio::io_context::executor_type Server::next_network_thread() {
  return contexts_[next_context_++ % contexts_.size()]->get_executor();
}

asio::awaitable<void> Server::sweep_loop() {
  asio::steady_timer timer(*contexts_[0]);
  std::uint64_t sweeps = 0;
  while (!shutting_down_) {
    timer.expires_after(kSweepInterval);
    boost::system::error_code ec;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (ec) break;
    hub_.sweep();
    // `edgehubd user` changes are noticed within a second.
    if (++sweeps % kSweepsPerAccountCheck == 0) hub_.reload_accounts_if_changed();
  }
}

}  // namespace edgehub::net
