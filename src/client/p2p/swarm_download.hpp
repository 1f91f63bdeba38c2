#pragma once
// One p2pDownload running in the background (docs/SWARM.md#5-downloader-and-seeder):
// asks the tracker for peers every 2 s, lets the scheduler
// (p2p/swarm/download_scheduler.hpp) choose who sends which chunks, sends
// the requests on the UVF endpoint, writes what arrives into the part file
// (which checks each chunk's hash), announces verified chunks with `have`
// (batched: at most one a second, or 64 chunks), serves them to others at
// once (SwarmAgent::serve_partial), and ends with the file renamed, or
// with the chunks no online device holds. All on the client's I/O thread.
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "client/p2p/swarm_replies.hpp"
#include "client/p2p/swarm_report.hpp"
#include "client/p2p/swarm_tracker_link.hpp"
#include "client/shell/progress_bar.hpp"
#include "p2p/chunk_request.hpp"
#include "p2p/swarm/chunk_ranges.hpp"
#include "p2p/swarm/download_scheduler.hpp"
#include "p2p/swarm/manifest.hpp"
#include "p2p/swarm/part_file.hpp"

namespace edgehub::client::swarm {

class SwarmAgent;

struct DownloadPlan {
  std::string name;
  std::shared_ptr<const p2p::swarm::Manifest> manifest;
  std::shared_ptr<p2p::swarm::PartFile> part;
  bool json = false;  // p2pDownload --json: progress events
};

class SwarmDownload : public std::enable_shared_from_this<SwarmDownload> {
 public:
  SwarmDownload(SwarmAgent& agent, DownloadPlan plan);

  void start();
  // Logout or lost connection: ends without the file; a re-run resumes.
  void stop(const std::string& reason);

  const std::string& name() const { return plan_.name; }
  const std::string& root_hex() const { return root_hex_; }
  const p2p::swarm::Manifest& manifest() const { return *plan_.manifest; }
  // For serving chunks [first, first + count) to others; nullptr unless
  // every one of them is verified.
  std::unique_ptr<p2p::ChunkSource> range_source(std::uint32_t first, std::uint32_t count) {
    return plan_.part->range_source(first, count);
  }

 private:
  struct Peer {
    boost::asio::ip::udp::endpoint address;
    std::string ticket;
    p2p::crypto::PeerKey key{};
  };
  struct Outstanding {
    std::uint32_t transport_id = 0;
    p2p::swarm::PeerRequest request;
  };

  // swarm_download.cpp: peers and requests.
  void tick();
  void ask_peers(p2p::Micros now);
  void on_peers(const TrackerLink::Reply& reply);
  void update_peers(const std::vector<PeerLine>& lines);
  void pump();
  void send(const p2p::swarm::PeerRequest& request);
  void on_result(p2p::swarm::RequestId id, const p2p::RequestResult& result);
  void on_verified(const std::string& peer, std::uint32_t chunk);
  void on_bad(const std::string& peer, std::uint32_t chunk);
  void cancel(const std::vector<p2p::swarm::RequestId>& ids);
  void check_missing();
  p2p::Micros now() const;

  // swarm_download_end.cpp: announcing, reporting, ending.
  void flush_have(bool force);
  void report_progress(bool force);
  void complete();
  // Ends the download (part synced, requests cancelled, the agent told),
  // then runs announce: whoever reacts to the announced result finds the
  // download no longer running.
  void end(const std::function<void()>& announce);
  void say(std::string_view kind, const std::string& text);
  void emit_json(const std::string& line);
  std::vector<PeerShare> shares() const;
  double elapsed() const;

  SwarmAgent& agent_;
  DownloadPlan plan_;
  std::string root_hex_;
  boost::asio::steady_timer timer_;
  p2p::swarm::DownloadScheduler scheduler_;
  p2p::swarm::ChunkSet verified_;
  std::uint32_t resumed_chunks_ = 0;
  std::uint64_t resumed_bytes_ = 0;
  std::map<std::string, Peer> peers_;
  std::map<p2p::swarm::RequestId, Outstanding> outstanding_;
  std::vector<std::uint32_t> pending_have_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  std::optional<std::chrono::steady_clock::time_point> have_since_;
  p2p::Micros last_peers_ask_ = 0;
  bool asking_peers_ = false;
  bool peers_known_ = false;  // a swarmpeers answer has been applied
  bool ended_ = false;
  ProgressMeter meter_;
  std::unique_ptr<ProgressBar> bar_;
  std::chrono::steady_clock::time_point last_json_{};
};

}  // namespace edgehub::client::swarm
