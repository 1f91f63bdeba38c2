// SwarmDownload: `have` batches, progress, and the end of a download
// (docs/SWARM.md#5-downloader-and-seeder).
#include <fmt/format.h>

#include <algorithm>

#include "client/core/client_app.hpp"
#include "client/p2p/swarm_agent.hpp"
#include "client/p2p/swarm_download.hpp"

namespace edgehub::client::swarm {

namespace ps = p2p::swarm;

namespace {
constexpr std::size_t kHaveBatch = 64;  // chunks; docs/SWARM.md#5-downloader-and-seeder
constexpr auto kHaveEvery = std::chrono::seconds(1);
constexpr auto kJsonEvery = std::chrono::milliseconds(100);  // every tick: tests act on them
}  // namespace

// Verified chunks reach the tracker at most once a second, or every 64
// chunks, so it is not hit once per chunk.
void SwarmDownload::flush_have(bool force) {
  if (pending_have_.empty()) return;
  const bool due = pending_have_.size() >= kHaveBatch ||
                   (have_since_ && std::chrono::steady_clock::now() - *have_since_ >= kHaveEvery);
  if (!force && !due) return;
  std::sort(pending_have_.begin(), pending_have_.end());
  agent_.tracker().ask(fmt::format("have {} {}", root_hex_, ps::format_chunk_ranges(pending_have_)));
  pending_have_.clear();
  have_since_.reset();
}

void SwarmDownload::report_progress(bool force) {
  const auto t = std::chrono::steady_clock::now();
  const std::uint64_t done = resumed_bytes_ + scheduler_.bytes_done();
  meter_.update(done, t);
  // The bar is the only progress people see, above the prompt too
  // (docs/CLIENT.md#progress-bars): no milestone lines besides it.
  if (bar_) bar_->update(done);
  const ProgressFigures figures{done, plan_.manifest->size, meter_.rate(), peers_.size()};
  if (plan_.json && (force || t - last_json_ >= kJsonEvery)) {
    last_json_ = t;
    emit_json(json_progress(plan_.name, figures, scheduler_.chunks_done(), scheduler_.chunk_count(), shares()));
  }
}

// Every chunk is verified: the part file checks the root and takes the
// file's name; the file is then served like a shared one.
void SwarmDownload::complete() {
  if (ended_) return;
  flush_have(true);
  report_progress(true);
  std::filesystem::path path;
  try {
    path = plan_.part->finish();
  } catch (const std::exception& e) {
    const std::string why = e.what();
    return end([&] {
      say("error", fmt::format("p2pDownload {} failed: {}", plan_.name, why));
      if (plan_.json) emit_json(json_event("swarm_failed", plan_.name, "", "", why));
    });
  }
  if (const auto stamp = stamp_if_file(path)) agent_.shared().put(SharedFile{plan_.name, path, *stamp, plan_.manifest});
  const auto list = shares();
  const double seconds = elapsed();
  end([&] {
    say("swarm_done", format_summary(plan_.name, plan_.manifest->size, seconds, list));
    if (!plan_.json) return;
    std::uint64_t fetched = 0;
    std::uint32_t chunks = 0;
    for (const auto& s : list) {
      fetched += s.bytes;
      chunks += s.chunks;
    }
    emit_json(json_done(plan_.name, plan_.manifest->size, seconds, fetched, chunks, resumed_chunks_, list));
  });
}

void SwarmDownload::stop(const std::string& reason) {
  if (ended_) return;
  end([&] {
    say("error", fmt::format("p2pDownload {} interrupted ({}); {} of {} chunks are here, run it again to resume",
                             plan_.name, reason, verified_.count(), plan_.manifest->chunk_count()));
  });
}

void SwarmDownload::end(const std::function<void()>& announce) {
  const auto self = shared_from_this();  // download_ended may drop the agent's reference to this
  ended_ = true;
  try {
    if (!plan_.part->complete()) plan_.part->sync();  // a re-run resumes from every chunk verified so far
  } catch (const std::exception& e) {
    say("error", fmt::format("p2pDownload {}: {}", plan_.name, e.what()));
  }
  timer_.cancel();
  if (bar_) bar_->finish();
  std::vector<ps::RequestId> ids;
  for (const auto& [id, o] : outstanding_) ids.push_back(id);
  cancel(ids);
  agent_.download_ended(root_hex_);
  announce();
}

void SwarmDownload::say(std::string_view kind, const std::string& text) {
  if (kind == "error") return agent_.app().out().error(text);
  agent_.app().out().info(kind, text);
}

void SwarmDownload::emit_json(const std::string& line) { agent_.app().out().line(line); }

std::vector<PeerShare> SwarmDownload::shares() const {
  std::vector<PeerShare> out;
  for (const auto& c : scheduler_.contributions()) out.push_back(PeerShare{c.peer, c.bytes, c.chunks});
  return out;
}

double SwarmDownload::elapsed() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
}

}  // namespace edgehub::client::swarm
