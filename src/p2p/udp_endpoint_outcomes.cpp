// Progress reports and outcomes of the EHT driver's transfers (docs/UDP.md):
// part of UdpEndpoint, split from udp_endpoint.cpp.
#include "p2p/udp_endpoint_state.hpp"

namespace edgehub::p2p {
namespace {
double seconds_between(std::uint64_t a, std::uint64_t b) { return static_cast<double>(b - a) / 1e6; }
}  // namespace

void UdpEndpoint::report_progress(std::uint64_t now) {
  last_progress_ = now;
  for (auto& [id, o] : outgoing_)
    if (o->progress) o->progress({o->machine->bytes_acked(), o->machine->file_size(), o->machine->path_stats()});
  if (!options_.on_incoming_progress) return;
  for (auto& [id, i] : incoming_)
    if (i->request == 0)  // swarm transfers report through their sink's chunk callbacks
      options_.on_incoming_progress(i->info, {i->machine->bytes_received(), i->machine->file_size(), {}});
}

void UdpEndpoint::reap() {
  auto now = now_us();
  forget_handshakes(now);
  for (auto it = outgoing_.begin(); it != outgoing_.end();) {
    auto& o = *it->second;
    if (!o.machine->finished() || o.machine->next_deadline() == 0) {  // 0: an ABORT still to send
      ++it;
      continue;
    }
    bool ok = o.machine->state() == SenderMachine::State::done;
    ++(ok ? counters_.outgoing_completed : counters_.outgoing_failed);
    SendResult r{ok,
                 o.machine->error(),
                 o.name,
                 o.machine->file_size(),
                 seconds_between(o.started, now),
                 o.machine->retransmissions()};
    auto done = std::move(o.done);
    const bool serve = o.request.has_value();  // a swarm serve, not a UVF send
    const auto peer = o.peer;
    if (ok && serve) path_shares_.remember(peer, serves_to(peer, false), now);
    if (serve) served_.erase(*o.request);
    it = outgoing_.erase(it);
    if (serve) share_path(peer, now);
    if (done) done(r);
  }
  for (auto it = incoming_.begin(); it != incoming_.end();) {
    auto& i = *it->second;
    if (i.machine->completed() && !i.reported && i.machine->next_deadline() != 0) report_incoming(i, now);
    if (i.machine->finished() && i.reported) {
      syn_index_.erase({i.peer, i.peer_conn});
      it = incoming_.erase(it);
    } else {
      ++it;
    }
  }
}

void UdpEndpoint::report_incoming(Incoming& i, Micros now) {
  i.reported = true;
  bool ok = i.machine->succeeded();
  ++(ok ? counters_.incoming_completed : counters_.incoming_failed);
  auto seconds = seconds_between(i.started, now);
  if (i.request != 0)
    return finish_request(i.request,
                          RequestResult{i.request, ok, false, i.machine->error(), i.machine->bytes_received(), 0});
  IncomingResult r{
      ok,     i.machine->error(), i.info, ok ? i.final_path : std::filesystem::path{}, i.machine->bytes_received(),
      seconds};
  if (options_.on_incoming_done) options_.on_incoming_done(r);
}

}  // namespace edgehub::p2p
