#include "client/p2p/swarm_agent.hpp"

#include <fmt/format.h>
#include <boost/asio/post.hpp>

#include <future>

#include "client/core/client_app.hpp"
#include "client/p2p/swarm_download.hpp"
#include "client/p2p/uvf_agent.hpp"
#include "common/strings.hpp"

namespace edgehub::client::swarm {

namespace {
constexpr auto kSwarmStopWait = std::chrono::seconds(3);
}

SwarmAgent::SwarmAgent(ClientApp& app, std::size_t upload_slots)
    : app_(app), tracker_(app.link()), slots_(upload_slots) {}

SwarmAgent::~SwarmAgent() { tracker_.stop(); }

void SwarmAgent::attach(p2p::EndpointOptions& options) {
  options.request_handler = [this](const p2p::ChunkRequest& request) { return decide(request); };
}

std::optional<p2p::crypto::SessionKeys> SwarmAgent::initiator_keys(const p2p::crypto::PeerKey& peer,
                                                                   std::string_view ticket) const {
  return p2p::crypto::derive_transfer_keys(app_.uvf().udp_keys(), p2p::crypto::own_offer(), peer, true, ticket);
}

std::optional<p2p::crypto::SessionKeys> SwarmAgent::seeder_keys(std::string_view ticket) const {
  const auto known = shared_.ticket(std::string(ticket));
  if (!known) return std::nullopt;
  return p2p::crypto::derive_transfer_keys(app_.uvf().udp_keys(), p2p::crypto::own_offer(), known->key, false, ticket);
}

bool SwarmAgent::on_event(const protocol::ServerMessage& m) {
  if (m.name == "SWARMTICKET") {
    if (auto ticket = parse_ticket_event(m.text)) shared_.add_ticket(std::move(*ticket));
    return true;
  }
  if (m.name == "SWARMUNTICKET") {
    shared_.drop_ticket(std::string(trim(m.text)));
    return true;
  }
  return false;
}

// Command thread: the plan is ready (swarm_download_start.cpp); the
// download runs on the I/O thread from here.
void SwarmAgent::start_download(DownloadPlan plan) {
  {
    std::lock_guard lock(mutex_);
    running_[plan.name] = plan.manifest->root_hex();
  }
  boost::asio::post(app_.io(), [this, plan = std::move(plan)]() mutable {
    const std::string root = plan.manifest->root_hex();
    auto download = std::make_shared<SwarmDownload>(*this, std::move(plan));
    if (stopped_ || downloads_.contains(root)) return download->stop("logged out");
    downloads_[root] = download;
    download->start();
  });
}

void SwarmAgent::download_ended(const std::string& root_hex) {
  downloads_.erase(root_hex);
  std::lock_guard lock(mutex_);
  for (auto it = running_.begin(); it != running_.end(); ++it) {
    if (it->second != root_hex) continue;
    running_.erase(it);
    break;
  }
  idle_.notify_all();
}

bool SwarmAgent::running(const std::string& name) {
  std::lock_guard lock(mutex_);
  return running_.contains(name);
}

void SwarmAgent::wait_idle() {
  std::unique_lock lock(mutex_);
  if (!running_.empty())
    app_.out().info("swarm_waiting", fmt::format("Waiting for {} p2pDownload{} to finish", running_.size(),
                                                 running_.size() == 1 ? "" : "s"));
  idle_.wait(lock, [this] { return running_.empty(); });
  lock.unlock();
  tracker_.drain();  // the last `have` reaches the tracker before logout
}

void SwarmAgent::stop(const std::string& reason) {
  auto done = std::make_shared<std::promise<void>>();
  auto stopped = done->get_future();
  boost::asio::post(app_.io(), [this, reason, done] {
    stopped_ = true;
    auto downloads = downloads_;  // stop() removes each from downloads_
    for (auto& [root, download] : downloads) download->stop(reason);
    done->set_value();
  });
  stopped.wait_for(kSwarmStopWait);  // the I/O thread may already be gone
  tracker_.stop();
}

}  // namespace edgehub::client::swarm
