#include "client/p2p/uvf_agent.hpp"

#include <fmt/format.h>
#include <boost/asio/post.hpp>

#include <chrono>
#include <future>

#include "client/core/client_app.hpp"
#include "client/p2p/swarm_agent.hpp"

namespace edgehub::client {

namespace asio = boost::asio;

namespace {

// A handshake whose ticket is not known yet waits this long for the
// server's !UVF (sent at the same time as the sender's ticket, over another
// connection) before it is refused.
constexpr auto kTicketWait = std::chrono::seconds(5);
constexpr auto kUvfStopWait = std::chrono::seconds(3);
constexpr auto kLingerPoll = std::chrono::milliseconds(100);

std::string incoming_key(const p2p::IncomingInfo& i) { return "in " + i.sender + "/" + i.file_name; }

p2p::crypto::KxKeyPair fresh_keys() {
  p2p::crypto::ensure_sodium();
  return p2p::crypto::make_kx_keypair();
}

}  // namespace

UvfAgent::UvfAgent(ClientApp& app) : app_(app), keys_(fresh_keys()), progress_(app.out()) {}

// "udpkey KEY OFFER": the ciphers this device runs fast, for the peers to
// choose from (docs/UDP.md#14-end-to-end-encryption); an older hub refuses
// the OFFER and is given the bare key (ClientApp::give_udp_key).
std::string UvfAgent::udp_key_command(bool with_offer) const {
  const std::string key = "udpkey " + p2p::crypto::encode_public_key(keys_.public_key);
  return with_offer ? key + " " + p2p::crypto::own_offer() : key;
}

UvfAgent::~UvfAgent() = default;

p2p::EndpointOptions UvfAgent::endpoint_options() {
  p2p::EndpointOptions o;
  o.receive_dir = std::filesystem::current_path();
  o.ticket_wait = kTicketWait;
  o.progress_interval = std::chrono::milliseconds(100);
  // Behind paced uplinks (swarm seeders, UVF senders) reading every 2 ms
  // instead of per datagram cuts the receiver's CPU; 2 ms woke a third less
  // than 1 ms at the same goodput, 4 ms lost goodput
  // (docs/UDP.md#12-the-driver-batched-system-calls).
  o.read_coalesce = std::chrono::milliseconds(2);
  o.validator = [this](const p2p::TransferRequest& r) {
    return tickets_.redeem(r.ticket, r.file_name, r.file_size, UvfTickets::Clock::now());
  };
  // The responder's keys: for a UVF the server announced, or a swarm ticket.
  o.keys = [this](std::string_view ticket) -> std::optional<p2p::crypto::SessionKeys> {
    if (const auto sender = tickets_.key_of(ticket, UvfTickets::Clock::now()))
      return p2p::crypto::derive_transfer_keys(keys_, p2p::crypto::own_offer(), *sender, false, ticket);
    return app_.swarm().seeder_keys(ticket);
  };
  o.on_incoming_started = [this](const p2p::IncomingInfo& i) {
    {
      std::lock_guard lock(mutex_);
      ++active_;
      used_ = true;
    }
    app_.out().info("uvf_receiving",
                    fmt::format("Receiving {} from {} ({})", i.file_name, i.sender, format_bytes(i.size)));
    progress_.begin(incoming_key(i), i.file_name + " from " + i.sender, i.size);
  };
  o.on_incoming_progress = [this](const p2p::IncomingInfo& i, const p2p::TransferProgress& p) {
    progress_.update(incoming_key(i), p.bytes_done);
  };
  o.on_incoming_done = [this](const p2p::IncomingResult& r) { on_incoming_done(r); };
  app_.swarm().attach(o);  // swarm chunk requests share the endpoint (docs/SWARM.md#5-downloader-and-seeder)
  return o;
}

void UvfAgent::start() {
  asio::post(app_.io(), [this] {
    if (endpoint_ || stopped_ || !app_.udp_socket().is_open()) return;
    endpoint_ = std::make_unique<p2p::UdpEndpoint>(std::move(app_.udp_socket()), endpoint_options());
    endpoint_->start();
    app_.swarm().set_endpoint(endpoint_.get());
  });
}

bool UvfAgent::on_event(const protocol::ServerMessage& m) {
  if (m.name != "UVF") return false;
  auto announcement = UvfTickets::parse(m.text);
  if (!announcement) return true;  // malformed: nothing to authorise
  tickets_.add(std::move(*announcement), UvfTickets::Clock::now());
  if (endpoint_) endpoint_->recheck_tickets();  // its handshake may have come first
  return true;
}

void UvfAgent::send(UvfSend request) {
  {
    std::lock_guard lock(mutex_);
    ++active_;
    used_ = true;
  }
  asio::post(app_.io(), [this, request = std::move(request)] {
    if (!endpoint_)
      return on_sent(request,
                     p2p::SendResult{false, "UDP transfers are not running (logged out?)", request.name, 0, 0, 0});
    const auto keys =
        p2p::crypto::derive_transfer_keys(keys_, p2p::crypto::own_offer(), request.key, true, request.ticket);
    if (!keys)
      return on_sent(request, p2p::SendResult{false, "the server gave an unusable key for " + request.user,
                                              request.name, 0, 0, 0});
    const std::string key = fmt::format("out {}", next_key_++);
    progress_.begin(key, request.name + " to " + request.user, request.size);
    auto progress = [this, key](const p2p::TransferProgress& p) { progress_.update(key, p.bytes_done); };
    endpoint_->send_file(
        request.to, request.path, request.ticket, progress,
        [this, key, request](const p2p::SendResult& r) {
          progress_.end(key, r.ok);  // the bar goes before the outcome is printed
          on_sent(request, r);
        },
        p2p::SendOptions{request.name, std::nullopt, keys});
  });
}

void UvfAgent::on_sent(const UvfSend& request, const p2p::SendResult& r) {
  if (r.ok)
    app_.out().info("uvf_sent", fmt::format("{} has been uploaded", request.name));
  else if (!stop_note_.empty())  // the person's own choice: not a failure
    app_.out().info("uvf_stopped", fmt::format("Sending {} to {} stopped: {}", request.name, request.user, stop_note_));
  else
    app_.out().error(fmt::format("Sending {} to {} failed: {}", request.name, request.user, r.error));
  transfer_ended();
}

void UvfAgent::on_incoming_done(const p2p::IncomingResult& r) {
  progress_.end(incoming_key(r.info), r.ok);
  if (r.ok)
    app_.out().info("uvf_received", fmt::format("Received {} from {}", r.info.file_name, r.info.sender));
  else if (!stop_note_.empty())
    app_.out().info("uvf_stopped",
                    fmt::format("Receiving {} from {} stopped: {}", r.info.file_name, r.info.sender, stop_note_));
  else
    app_.out().error(fmt::format("Receiving {} from {} failed: {}", r.info.file_name, r.info.sender, r.error));
  transfer_ended();
}

void UvfAgent::transfer_ended() {
  std::lock_guard lock(mutex_);
  if (active_ > 0) --active_;
  idle_.notify_all();
}

// How many transfers the endpoint still holds: a received file lingers a
// few seconds to repeat its FINACK, should the sender not have got it.
std::size_t UvfAgent::endpoint_transfers() {
  auto count = std::make_shared<std::promise<std::size_t>>();
  auto result = count->get_future();
  asio::post(app_.io(), [this, count] { count->set_value(endpoint_ ? endpoint_->active_transfers() : 0); });
  if (result.wait_for(kUvfStopWait) != std::future_status::ready) return 0;  // the I/O thread is gone
  return result.get();
}

void UvfAgent::wait_idle() {
  std::unique_lock lock(mutex_);
  if (active_ > 0)
    app_.out().info("uvf_waiting",
                    fmt::format("Waiting for {} file transfer{} to finish", active_, active_ == 1 ? "" : "s"));
  for (;;) {
    idle_.wait(lock, [this] { return active_ == 0; });
    // Only a UVF transfer leaves a receiver lingering; swarm transfers end
    // with their download (docs/SWARM.md#5-downloader-and-seeder).
    if (!used_) return;
    lock.unlock();
    const std::size_t held = endpoint_transfers();
    lock.lock();
    if (held == 0 && active_ == 0) return;
    idle_.wait_for(lock, kLingerPoll);  // lingering ends by itself (docs/UDP.md#7-whole-file-sha-256)
  }
}

void UvfAgent::stop(const std::string& reason, const std::string& note) {
  auto done = std::make_shared<std::promise<void>>();
  auto stopped = done->get_future();
  asio::post(app_.io(), [this, reason, note, done] {
    stopped_ = true;
    stop_note_ = note;
    if (endpoint_) endpoint_->close(reason);
    app_.swarm().set_endpoint(nullptr);
    done->set_value();
  });
  stopped.wait_for(kUvfStopWait);  // the I/O thread may already be gone
}

}  // namespace edgehub::client
