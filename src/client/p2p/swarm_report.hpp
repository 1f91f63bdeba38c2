#pragma once
// What a download tells the person and programs
// (docs/SWARM.md#5-downloader-and-seeder): progress lines, the summary that
// tests parse, and the --json events. Pure formatting.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace edgehub::client::swarm {

struct PeerShare {
  std::string peer;
  std::uint64_t bytes = 0;
  std::uint32_t chunks = 0;
};

// "Downloaded NAME (SIZE) in S s from N peers: alice 40%, bob 35%, ..."
// (shares of the bytes fetched in this run, most first); "... in S s: every
// chunk was already here" when nothing was fetched.
std::string format_summary(std::string_view name, std::uint64_t size, double seconds,
                           const std::vector<PeerShare>& shares);

struct ProgressFigures {
  std::uint64_t done = 0, total = 0;  // bytes verified (resumed ones included), file size
  double rate = 0;                    // bytes per second over the last seconds
  std::size_t peers = 0;              // peers in use
};
// Seconds left at this rate; negative if unknown.
double eta_seconds(const ProgressFigures& p);

// --json event objects, one line each: {"type":"swarm_TYPE","name":NAME,...}.
// "from": bytes fetched so far from each peer.
std::string json_progress(std::string_view name, const ProgressFigures& p, std::uint32_t chunks_done,
                          std::uint32_t chunk_count, const std::vector<PeerShare>& shares);
std::string json_done(std::string_view name, std::uint64_t size, double seconds, std::uint64_t fetched_bytes,
                      std::uint32_t fetched_chunks, std::uint32_t resumed_chunks, const std::vector<PeerShare>& shares);
std::string json_event(std::string_view type, std::string_view name, std::string_view key, std::string_view value,
                       std::string_view text);

}  // namespace edgehub::client::swarm
