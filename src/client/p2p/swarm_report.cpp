#include "client/p2p/swarm_report.hpp"

#include <fmt/format.h>
#include <boost/json/value.hpp>

#include <algorithm>
#include <cmath>

#include "client/core/json_line.hpp"
#include "client/shell/progress_bar.hpp"

namespace edgehub::client::swarm {

namespace json = boost::json;

namespace {

std::vector<PeerShare> by_bytes(std::vector<PeerShare> shares) {
  std::stable_sort(shares.begin(), shares.end(), [](const auto& a, const auto& b) { return a.bytes > b.bytes; });
  return shares;
}

}  // namespace

std::string format_summary(std::string_view name, std::uint64_t size, double seconds,
                           const std::vector<PeerShare>& shares) {
  std::uint64_t fetched = 0;
  for (const auto& s : shares) fetched += s.bytes;
  const std::string head = fmt::format("Downloaded {} ({}) in {:.1f} s", name, format_bytes(size), seconds);
  if (fetched == 0) return head + ": every chunk was already here";
  std::string list;
  std::size_t n = 0;
  for (const auto& s : by_bytes(shares)) {
    if (s.bytes == 0) continue;
    ++n;
    const auto percent =
        static_cast<int>(std::lround(100.0 * static_cast<double>(s.bytes) / static_cast<double>(fetched)));
    list += fmt::format("{}{} {}%", list.empty() ? "" : ", ", s.peer, percent);
  }
  return fmt::format("{} from {} peer{}: {}", head, n, n == 1 ? "" : "s", list);
}

double eta_seconds(const ProgressFigures& p) {
  if (p.rate <= 0 || p.done > p.total) return -1;
  return static_cast<double>(p.total - p.done) / p.rate;
}

std::string json_progress(std::string_view name, const ProgressFigures& p, std::uint32_t chunks_done,
                          std::uint32_t chunk_count, const std::vector<PeerShare>& shares) {
  const double eta = eta_seconds(p);
  json::object from;
  for (const auto& s : shares) from[s.peer] = s.bytes;
  return json_line(json::object{
      {"type", "swarm_progress"},
      {"name", name},
      {"done", p.done},
      {"total", p.total},
      {"percent", p.total == 0 ? 100.0 : 100.0 * static_cast<double>(p.done) / static_cast<double>(p.total)},
      {"chunks_done", chunks_done},
      {"chunks", chunk_count},
      {"rate", p.rate},
      {"eta", eta < 0 ? json::value(nullptr) : json::value(eta)},
      {"peers", p.peers},
      {"from", std::move(from)}});
}

std::string json_done(std::string_view name, std::uint64_t size, double seconds, std::uint64_t fetched_bytes,
                      std::uint32_t fetched_chunks, std::uint32_t resumed_chunks,
                      const std::vector<PeerShare>& shares) {
  json::array peers;
  for (const auto& s : by_bytes(shares))
    peers.emplace_back(json::object{{"peer", s.peer}, {"bytes", s.bytes}, {"chunks", s.chunks}});
  return json_line(json::object{{"type", "swarm_done"},
                                {"name", name},
                                {"size", size},
                                {"seconds", seconds},
                                {"fetched_bytes", fetched_bytes},
                                {"fetched_chunks", fetched_chunks},
                                {"resumed_chunks", resumed_chunks},
                                {"peers", std::move(peers)}});
}

std::string json_event(std::string_view type, std::string_view name, std::string_view key, std::string_view value,
                       std::string_view text) {
  json::object o{{"type", type}, {"name", name}, {"text", text}};
  if (!key.empty()) o[key] = value;
  return json_line(o);
}

}  // namespace edgehub::client::swarm
