#include "client/p2p/swarm_download.hpp"

#include <fmt/format.h>
#include <boost/asio/post.hpp>

#include "client/core/client_app.hpp"
#include "client/p2p/swarm_agent.hpp"

namespace edgehub::client::swarm {

namespace ps = p2p::swarm;
using Kind = protocol::ServerMessage::Kind;

namespace {

constexpr auto kTick = std::chrono::milliseconds(100);
constexpr p2p::Micros kPeersEvery = 2 * p2p::kSeconds;      // docs/SWARM.md#5-downloader-and-seeder
constexpr p2p::Micros kPeersWhenIdle = 500 * p2p::kMillis;  // out of peers: ask sooner
constexpr p2p::Micros kStartEpoch = 10 * p2p::kSeconds;     // so that "0" never looks like a time

std::uint64_t bytes_of(const ps::Manifest& m, std::uint32_t first, std::uint32_t count) {
  std::uint64_t n = 0;
  for (std::uint32_t i = first; i < first + count; ++i) n += m.chunk_length(i);
  return n;
}

}  // namespace

SwarmDownload::SwarmDownload(SwarmAgent& agent, DownloadPlan plan)
    : agent_(agent),
      plan_(std::move(plan)),
      root_hex_(plan_.manifest->root_hex()),
      timer_(agent.app().io()),
      scheduler_(plan_.manifest->size, plan_.manifest->chunk_size, plan_.part->have()),
      verified_(plan_.part->have()) {
  resumed_chunks_ = verified_.count();
  for (const auto chunk : verified_.chunks()) resumed_bytes_ += plan_.manifest->chunk_length(chunk);
}

p2p::Micros SwarmDownload::now() const {
  const auto d = std::chrono::steady_clock::now() - started_;
  return kStartEpoch + static_cast<p2p::Micros>(std::chrono::duration_cast<std::chrono::microseconds>(d).count());
}

void SwarmDownload::start() {
  bar_ = std::make_unique<ProgressBar>(agent_.app().out(), "p2pDownload " + plan_.name, plan_.manifest->size);
  if (plan_.json)
    emit_json(json_event("swarm_start", plan_.name, "root", root_hex_,
                         fmt::format("{} chunks, {} already here", plan_.manifest->chunk_count(), resumed_chunks_)));
  if (scheduler_.complete())  // every chunk was verified by an earlier run
    return boost::asio::post(agent_.app().io(), [self = shared_from_this()] { self->complete(); });
  // A resumed download holds chunks already: the tracker hears of them
  // first, so others may fetch them from here.
  if (resumed_chunks_ > 0) agent_.tracker().ask(fmt::format("have {} {}", root_hex_, verified_.ranges()));
  ask_peers(now());
  tick();
}

// Every kTick: new requests, progress, `have` batches, peers when due.
void SwarmDownload::tick() {
  if (ended_) return;
  const auto t = now();
  const bool idle = scheduler_.outstanding_requests() == 0;
  if (t - last_peers_ask_ >= (idle ? kPeersWhenIdle : kPeersEvery)) ask_peers(t);
  pump();
  flush_have(false);
  report_progress(false);
  timer_.expires_after(kTick);
  timer_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
    if (!ec) self->tick();
  });
}

void SwarmDownload::ask_peers(p2p::Micros t) {
  if (asking_peers_) return;
  asking_peers_ = true;
  last_peers_ask_ = t;
  auto& io = agent_.app().io();
  agent_.tracker().ask("swarmpeers " + root_hex_, [self = shared_from_this(), &io](TrackerLink::Reply reply) {
    boost::asio::post(io, [self, reply = std::move(reply)] { self->on_peers(reply); });
  });
}

void SwarmDownload::on_peers(const TrackerLink::Reply& reply) {
  asking_peers_ = false;
  if (ended_) return;
  std::vector<PeerLine> lines;
  if (reply && reply->kind == Kind::List) {
    for (const auto& line : reply->lines)
      if (auto peer = parse_peer_line(line)) lines.push_back(std::move(*peer));
  } else if (!reply) {
    return stop("the connection to the server was lost");  // no tracker: no peers, no `have`
  }
  update_peers(lines);  // an error (the root is unknown): nobody holds anything
  peers_known_ = true;
  pump();
  check_missing();
}

void SwarmDownload::update_peers(const std::vector<PeerLine>& lines) {
  const auto t = now();
  std::map<std::string, Peer> listed;
  for (const auto& line : lines) {
    if (line.all) {
      scheduler_.update_peer_all(line.user, t);
    } else {
      const auto have = ps::ChunkSet::from_hex(line.bitmap_hex, plan_.manifest->chunk_count());
      if (!have) continue;  // a bitmap of another size: not this file
      scheduler_.update_peer(line.user, *have, t);
    }
    listed[line.user] = Peer{line.address, line.ticket, line.key};
  }
  for (const auto& [user, peer] : peers_)
    if (!listed.contains(user)) cancel(scheduler_.remove_peer(user));  // gone: its chunks go to others
  peers_ = std::move(listed);
}

void SwarmDownload::pump() {
  if (ended_ || !agent_.endpoint()) return;
  for (const auto& request : scheduler_.next_requests(now())) send(request);
}

void SwarmDownload::send(const ps::PeerRequest& request) {
  const auto peer = peers_.find(request.peer);
  if (peer == peers_.end()) return scheduler_.on_request_failed(request.id, now());
  p2p::ChunkRequest wire{peer->second.ticket, plan_.manifest->root, request.first_chunk, request.count, {}, 0, {}};
  p2p::RequestOptions options;
  // The downloader starts the conversation (docs/UDP.md#14-end-to-end-encryption);
  // a bad key makes the request fail like an unreachable peer.
  options.keys = agent_.initiator_keys(peer->second.key, peer->second.ticket);
  options.expected_bytes = bytes_of(*plan_.manifest, request.first_chunk, request.count);
  std::weak_ptr<SwarmDownload> weak = shared_from_this();
  options.make_sink = [weak, part = plan_.part, request](const p2p::IncomingInfo&) -> std::unique_ptr<p2p::ChunkSink> {
    return part->chunk_sink(
        request.first_chunk, request.count,
        [weak, peer = request.peer](std::uint32_t chunk) {
          if (auto self = weak.lock()) self->on_verified(peer, chunk);
        },
        [weak, peer = request.peer](std::uint32_t chunk) {
          if (auto self = weak.lock()) self->on_bad(peer, chunk);
        });
  };
  const auto id = agent_.endpoint()->send_request(
      peer->second.address, std::move(wire),
      [self = shared_from_this(), id = request.id](const p2p::RequestResult& r) { self->on_result(id, r); },
      std::move(options));
  outstanding_[request.id] = Outstanding{id, request};
}

void SwarmDownload::on_result(ps::RequestId id, const p2p::RequestResult& result) {
  if (outstanding_.erase(id) == 0 || ended_) return;
  if (result.ok)
    scheduler_.on_request_finished(id, now());
  else
    scheduler_.on_request_failed(id, now());
  pump();
  check_missing();
}

void SwarmDownload::on_verified(const std::string& peer, std::uint32_t chunk) {
  if (ended_) return;
  const auto result = scheduler_.on_chunk_done(peer, chunk, plan_.manifest->chunk_length(chunk), now());
  if (result.fresh && verified_.set(chunk)) {
    pending_have_.push_back(chunk);
    if (!have_since_) have_since_ = std::chrono::steady_clock::now();
  }
  cancel(result.cancel);
  if (scheduler_.complete()) boost::asio::post(agent_.app().io(), [self = shared_from_this()] { self->complete(); });
}

// The part file found a chunk whose hash is wrong: that peer is not asked
// again for this file, and its chunks are fetched elsewhere.
void SwarmDownload::on_bad(const std::string& peer, std::uint32_t chunk) {
  if (ended_ || scheduler_.dropped(peer)) return;
  const auto text = fmt::format("p2pDownload {}: dropped {}: sent a bad chunk {}", plan_.name, peer, chunk);
  say("swarm", text);
  if (plan_.json) emit_json(json_event("swarm_dropped", plan_.name, "peer", peer, text));
  cancel(scheduler_.drop_peer(peer));
}

// Cancels are posted: the chunk that made them useless may be arriving on
// one of those very transfers.
void SwarmDownload::cancel(const std::vector<ps::RequestId>& ids) {
  for (const auto id : ids) {
    const auto it = outstanding_.find(id);
    if (it == outstanding_.end()) continue;
    const auto transport_id = it->second.transport_id;
    outstanding_.erase(it);
    boost::asio::post(agent_.app().io(), [this, self = shared_from_this(), transport_id] {
      if (auto* endpoint = agent_.endpoint()) endpoint->cancel_request(transport_id);
    });
  }
}

// Stops cleanly when every chunk still missing has no online holder and
// nothing else is in flight (docs/SWARM.md#5-downloader-and-seeder).
void SwarmDownload::check_missing() {
  if (ended_ || !peers_known_ || scheduler_.complete() || !outstanding_.empty()) return;
  const auto missing = scheduler_.missing_without_holder();
  const std::uint32_t left = scheduler_.chunk_count() - scheduler_.chunks_done();
  if (missing.empty() || missing.size() < left) return;
  flush_have(true);
  const auto ranges = ps::format_chunk_ranges(missing);
  const auto text = fmt::format(
      "p2pDownload {} stopped: chunk{} {} {} missing (no online device holds {}); {} of {} "
      "chunks are here, run it again to resume",
      plan_.name, missing.size() == 1 ? "" : "s", ranges, missing.size() == 1 ? "is" : "are",
      missing.size() == 1 ? "it" : "them", scheduler_.chunks_done(), scheduler_.chunk_count());
  end([&] {
    say("error", text);
    if (plan_.json) emit_json(json_event("swarm_missing", plan_.name, "chunks", ranges, text));
  });
}

}  // namespace edgehub::client::swarm
