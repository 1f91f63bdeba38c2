// The seeder's side of SwarmAgent (docs/SWARM.md#5-downloader-and-seeder):
// which requests are served, from which file, within the upload slots.
#include <fmt/format.h>

#include "client/core/client_app.hpp"
#include "client/p2p/swarm_agent.hpp"
#include "client/p2p/swarm_download.hpp"
#include "client/p2p/swarm_test_corruption.hpp"
#include "p2p/swarm/range_source.hpp"

namespace edgehub::client::swarm {

using p2p::RequestDecision;

namespace {

// Whether [first, first + count) are chunks of a file of chunk_count chunks.
bool in_range(const p2p::ChunkRequest& r, std::uint32_t chunk_count) {
  return r.count > 0 && r.first_chunk < chunk_count && r.count <= chunk_count - r.first_chunk;
}

}  // namespace

// Only a downloader the tracker gave a ticket for this root is answered;
// anyone else is ignored and counted by the endpoint, as for UVF.
RequestDecision SwarmAgent::decide(const p2p::ChunkRequest& request) {
  const auto ticket = shared_.ticket(request.ticket);
  if (!ticket) return RequestDecision::ignore();
  const std::string root = digest_hex(request.root);
  if (ticket->root != root) return RequestDecision::refuse("the ticket is for another file");
  if (const auto it = downloads_.find(root); it != downloads_.end())
    return serve_partial(request, ticket->asker, *it->second);
  if (const auto file = shared_.by_root(root)) return serve_file(request, ticket->asker, *file);
  return RequestDecision::refuse("no longer shared here");
}

RequestDecision SwarmAgent::serve_file(const p2p::ChunkRequest& request, const std::string& downloader,
                                       const SharedFile& file) {
  const auto& m = *file.manifest;
  if (!in_range(request, m.chunk_count())) return RequestDecision::refuse("chunks out of range");
  if (stamp_if_file(file.path) != file.stamp) {
    withdraw(file, "it changed since it was shared");
    return RequestDecision::refuse("the file changed; withdrawn");
  }
  try {
    std::unique_ptr<p2p::ChunkSource> source =
        p2p::swarm::RangeSource::for_chunks(file.path, file.stamp, m, request.first_chunk, request.count);
    if (corrupt_chunks_for_tests()) source = corrupting(std::move(source), m.chunk_size);
    return admit(request, downloader, std::move(source));
  } catch (const p2p::swarm::FileChanged&) {
    withdraw(file, "it changed since it was shared");
    return RequestDecision::refuse("the file changed; withdrawn");
  } catch (const std::exception& e) {
    withdraw(file, e.what());
    return RequestDecision::refuse("the file cannot be read; withdrawn");
  }
}

// A running download serves the chunks it has verified, at once
// (docs/SWARM.md#5-downloader-and-seeder): two downloaders feed each other.
RequestDecision SwarmAgent::serve_partial(const p2p::ChunkRequest& request, const std::string& downloader,
                                          SwarmDownload& download) {
  const auto& m = download.manifest();
  if (!in_range(request, m.chunk_count())) return RequestDecision::refuse("chunks out of range");
  auto source = download.range_source(request.first_chunk, request.count);
  if (!source) return RequestDecision::refuse("chunks not here yet");
  return admit(request, downloader, std::move(source));
}

RequestDecision SwarmAgent::admit(const p2p::ChunkRequest& request, const std::string& downloader,
                                  std::unique_ptr<p2p::ChunkSource> source) {
  const std::uint64_t key = next_deferred_++;
  auto done = [this, downloader](const p2p::SendResult&) { upload_ended(downloader); };
  switch (slots_.admit(downloader, key)) {
    case UploadSlots::Admission::start:
      return RequestDecision::serve(std::move(source), done);
    case UploadSlots::Admission::queued:
      deferred_.emplace(key, Deferred{request, std::move(source)});
      return RequestDecision::defer();
    case UploadSlots::Admission::busy:
      break;
  }
  return RequestDecision::refuse("busy");
}

// A slot is free: the next waiting request, in turn, is served.
void SwarmAgent::upload_ended(const std::string& downloader) {
  const auto next = slots_.release(downloader);
  if (!next) return;
  auto it = deferred_.find(next->request);
  if (it == deferred_.end()) return upload_ended(next->downloader);
  Deferred d = std::move(it->second);
  deferred_.erase(it);
  auto done = [this, who = next->downloader](const p2p::SendResult&) { upload_ended(who); };
  if (endpoint_ && !stopped_)
    endpoint_->answer_request(d.request, RequestDecision::serve(std::move(d.source), done));
  else
    upload_ended(next->downloader);
}

void SwarmAgent::withdraw(const SharedFile& file, const std::string& why) {
  const auto current = shared_.by_name(file.name);
  if (!current || current->manifest != file.manifest) return;  // already withdrawn or shared again
  shared_.remove(file.name);
  app_.out().info("swarm", fmt::format("Withdrew {} from the swarm: {}", file.name, why));
  tracker_.ask("unshare " + file.name);
}

}  // namespace edgehub::client::swarm
