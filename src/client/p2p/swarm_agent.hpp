#pragma once
// The client's part in the swarm (docs/SWARM.md#5-downloader-and-seeder).
//   - Seeder: serves chunks of the files it shared (SharedFiles) and the
//     verified chunks of its running downloads, over the UVF endpoint's
//     swarm requests (docs/UDP.md#13-swarm-requests), only to downloaders
//     the tracker gave a ticket (!SWARMTICKET), within the upload slots.
//   - Downloader: each p2pDownload runs in the background (SwarmDownload);
//     at the end of batch input the client waits for them.
// Threads: the endpoint hooks and the downloads live on the client's I/O
// thread; commands call download/wait_idle/stop from the command thread;
// tracker requests run on TrackerLink's thread.
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "client/p2p/swarm_replies.hpp"
#include "client/p2p/swarm_shared.hpp"
#include "client/p2p/swarm_tracker_link.hpp"
#include "client/p2p/swarm_upload_slots.hpp"
#include "common/file_names.hpp"
#include "p2p/udp_endpoint.hpp"
#include "protocol/server_message.hpp"

namespace edgehub::client {
class ClientApp;
}

namespace edgehub::client::swarm {

// A name p2pDownload writes in the current directory: as shared names
// (no '@'), and not hidden, so a download cannot overwrite a dotfile and
// its partial files (".NAME.swarm-part") never clash with another name.
inline constexpr FileNameRule kDownloadName{.hidden = false, .at = false};

class SwarmDownload;
struct DownloadPlan;

class SwarmAgent {
 public:
  SwarmAgent(ClientApp& app, std::size_t upload_slots);
  ~SwarmAgent();
  SwarmAgent(const SwarmAgent&) = delete;
  SwarmAgent& operator=(const SwarmAgent&) = delete;

  ClientApp& app() { return app_; }
  SharedFiles& shared() { return shared_; }
  // This device's session keys with a peer for a ticket
  // (docs/UDP.md#14-end-to-end-encryption): as the downloader (initiator),
  // or as the seeder for a ticket the tracker told it of (nullopt if unknown).
  std::optional<p2p::crypto::SessionKeys> initiator_keys(const p2p::crypto::PeerKey& peer,
                                                         std::string_view ticket) const;
  std::optional<p2p::crypto::SessionKeys> seeder_keys(std::string_view ticket) const;
  TrackerLink& tracker() { return tracker_; }

  // Endpoint options the UVF agent creates its endpoint with: the swarm's
  // request handler. I/O thread.
  void attach(p2p::EndpointOptions& options);
  // The endpoint to send requests on (I/O thread); null before login and
  // after logout.
  void set_endpoint(p2p::UdpEndpoint* endpoint) { endpoint_ = endpoint; }
  p2p::UdpEndpoint* endpoint() const { return endpoint_; }
  // I/O thread: handles !SWARMTICKET and !SWARMUNTICKET; false for others.
  bool on_event(const protocol::ServerMessage& m);

  // Command thread: p2pDownload (swarm_download_start.cpp).
  void download(const NameChoice& choice, bool json);
  // Whether a download of this name runs (any thread).
  bool running(const std::string& name);
  // Waits until no download runs and the tracker has heard every `have`.
  void wait_idle();
  // Ends every download (logout) and the tracker link.
  void stop(const std::string& reason);

  // I/O thread, for SwarmDownload.
  void download_ended(const std::string& root_hex);
  // A file no longer matches what was shared: forget it, tell the tracker.
  void withdraw(const SharedFile& file, const std::string& why);

 private:
  // swarm_serving.cpp
  p2p::RequestDecision decide(const p2p::ChunkRequest& request);
  p2p::RequestDecision serve_file(const p2p::ChunkRequest& request, const std::string& downloader,
                                  const SharedFile& file);
  p2p::RequestDecision serve_partial(const p2p::ChunkRequest& request, const std::string& downloader,
                                     SwarmDownload& download);
  p2p::RequestDecision admit(const p2p::ChunkRequest& request, const std::string& downloader,
                             std::unique_ptr<p2p::ChunkSource> source);
  void upload_ended(const std::string& downloader);
  void start_download(DownloadPlan plan);  // command thread; the download runs on the I/O thread

  ClientApp& app_;
  SharedFiles shared_;
  TrackerLink tracker_;
  // I/O thread only.
  p2p::UdpEndpoint* endpoint_ = nullptr;
  UploadSlots slots_;
  std::uint64_t next_deferred_ = 1;
  struct Deferred {
    p2p::ChunkRequest request;
    std::unique_ptr<p2p::ChunkSource> source;
  };
  std::map<std::uint64_t, Deferred> deferred_;
  std::map<std::string, std::shared_ptr<SwarmDownload>> downloads_;  // by root hex
  bool stopped_ = false;
  // Running downloads by name, for wait_idle and "already running" (any thread).
  std::mutex mutex_;
  std::condition_variable idle_;
  std::map<std::string, std::string> running_;  // name -> root hex
};

}  // namespace edgehub::client::swarm
