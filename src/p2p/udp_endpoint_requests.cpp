// Swarm chunk requests in the EHT driver (docs/UDP.md#13-swarm-requests):
// the seeder answers a REQUEST with an ordinary outgoing transfer (or an
// ABORT, or silence for an unknown ticket); the downloader repeats its
// REQUEST until the matching SYN arrives and feeds that transfer into the
// sink the request names.
#include <boost/asio/post.hpp>

#include <algorithm>

#include "p2p/packet.hpp"
#include "p2p/udp_endpoint_state.hpp"

namespace edgehub::p2p {
namespace {
constexpr Micros kFirstRetry = 250 * kMillis;  // no RTT is known yet for a peer we have not talked to
constexpr Micros kMaxRetry = 1 * kSeconds;

std::string address_text(const udp::endpoint& e) { return e.address().to_string() + ":" + std::to_string(e.port()); }
}  // namespace

// ---- seeder ------------------------------------------------------------------

void UdpEndpoint::handle_request(const Packet& p, const udp::endpoint& from, const ChannelPtr& ch) {
  const auto& q = std::get<Request>(p.body);
  ++counters_.requests_received;
  // A repeat of a request being served or waiting for a slot: the SYN (or the
  // deferred answer) will come; a SYN not yet answered may have been lost.
  if (auto it = served_.find({from, q.src_conn}); it != served_.end()) {
    if (auto o = outgoing_.find(it->second); o != outgoing_.end()) o->second->machine->repeat_syn();
    return;
  }
  if (!options_.request_handler || closed_) return void(++counters_.requests_ignored);
  ChunkRequest request{q.ticket, {}, q.first_chunk, q.count, from, q.src_conn, ch};
  std::copy(q.root.begin(), q.root.end(), request.root.begin());
  apply_decision(request, options_.request_handler(request));
}

void UdpEndpoint::apply_decision(const ChunkRequest& request, RequestDecision decision) {
  using Kind = RequestDecision::Kind;
  switch (decision.kind) {
    case Kind::ignore:
      ++counters_.requests_ignored;
      return;
    case Kind::refuse:
      ++counters_.requests_refused;
      return send_abort(request.from, request.id, AbortReason::rejected, decision.refusal, request.channel.get());
    case Kind::defer:
      served_[{request.from, request.id}] = 0;
      return;
    case Kind::serve:
      if (decision.source) return serve(request, std::move(decision));
      drop_decision(request, std::move(decision), "nothing to send");
      return apply_decision(request, RequestDecision::refuse("nothing to send"));
  }
}

// Starts the transfer answering a request: an ordinary EHT sender whose SYN
// names the request and skips the whole-stream hash (the downloader checks
// every chunk).
void UdpEndpoint::serve(const ChunkRequest& request, RequestDecision decision) {
  ++counters_.requests_served;
  auto out = std::make_unique<Outgoing>();
  out->peer = request.from;
  out->source = std::move(decision.source);
  out->done = std::move(decision.done);
  out->name = swarm_transfer_name(request.root, request.first_chunk, request.count);
  out->started = now_us();
  out->request = RequestKey{request.from, request.id};
  out->channel = request.channel;
  auto id = new_conn_id();
  SenderParams params{sender_config(options_.config, out->channel, out->peer), id, out->name, request.ticket, true};
  out->machine = std::make_unique<SenderMachine>(std::move(params), *out->source, out->started);
  served_[*out->request] = id;
  const auto peer = out->peer;
  const auto now = out->started;
  outgoing_[id] = std::move(out);
  share_path(peer, now);
}

std::vector<BbrLite*> UdpEndpoint::serves_to(const udp::endpoint& peer, bool live_only) {
  std::vector<BbrLite*> serves;
  for (auto& [id, o] : outgoing_) {
    if (!o->request || o->peer != peer || (live_only && o->machine->finished())) continue;
    serves.push_back(&o->machine->congestion());
  }
  return serves;
}

// Called when a serve to `peer` starts or ends: the live ones split the path.
void UdpEndpoint::share_path(const udp::endpoint& peer, Micros now) {
  path_shares_.share(peer, serves_to(peer, true), now);
}

void UdpEndpoint::answer_request(const ChunkRequest& request, RequestDecision decision) {
  auto it = served_.find({request.from, request.id});
  if (it == served_.end() || it->second != 0 || closed_) {  // not deferred (any more)
    if (it != served_.end() && it->second == 0) served_.erase(it);
    return drop_decision(request, std::move(decision), "the request is no longer waiting");
  }
  served_.erase(it);
  if (decision.kind == RequestDecision::Kind::defer) served_[{request.from, request.id}] = 0;
  apply_decision(request, std::move(decision));
  boost::asio::post(socket_.get_executor(), [this, alive = alive_] {
    if (*alive) flush();
  });
}

// A serve decision that will not run still reports to its `done` (later, on
// the executor): the caller may count upload slots by it.
void UdpEndpoint::drop_decision(const ChunkRequest& request, RequestDecision decision, const std::string& why) {
  if (decision.kind != RequestDecision::Kind::serve || !decision.done) return;
  SendResult r{false, why, swarm_transfer_name(request.root, request.first_chunk, request.count), 0, 0, 0};
  boost::asio::post(socket_.get_executor(), [done = std::move(decision.done), r, alive = alive_] {
    if (*alive) done(r);
  });
}

// ---- downloader ----------------------------------------------------------------

std::uint32_t UdpEndpoint::send_request(const udp::endpoint& peer, ChunkRequest request, RequestCallback done,
                                        RequestOptions options) {
  auto id = new_conn_id();
  auto r = std::make_unique<PendingRequest>();
  r->peer = peer;
  request.id = id;
  r->name = swarm_transfer_name(request.root, request.first_chunk, request.count);
  r->request = std::move(request);
  r->done = std::move(done);
  r->started = r->next_send = now_us();
  r->backoff = kFirstRetry;
  r->give_up_at = r->started + static_cast<Micros>(options.give_up.count()) * kMillis;
  std::string error = closed_ ? "the UDP endpoint is closed" : "";
  r->channel = new_channel(options.keys, r->request.ticket, error);
  // The seeder's SYN answering it comes with its salt: found like a repeat.
  if (r->channel) remember_handshake(peer, r->channel, 0);
  r->options = std::move(options);
  requests_[id] = std::move(r);
  if (!error.empty()) {
    boost::asio::post(socket_.get_executor(), [this, alive = alive_, id, error] {
      if (*alive) finish_request(id, RequestResult{id, false, false, error, 0, 0});
    });
    return id;
  }
  boost::asio::post(socket_.get_executor(), [this, alive = alive_] {
    if (*alive) flush();
  });
  return id;
}

void UdpEndpoint::cancel_request(std::uint32_t id) {
  auto it = requests_.find(id);
  if (it == requests_.end()) return;
  auto& r = *it->second;
  if (r.incoming == 0) return finish_request(id, RequestResult{id, false, false, "cancelled", 0, 0}, true);
  // Not from inside this call: it may come from the transfer's own sink callback.
  boost::asio::post(socket_.get_executor(), [this, alive = alive_, conn = r.incoming] {
    if (!*alive) return;
    if (auto i = incoming_.find(conn); i != incoming_.end())
      i->second->machine->close(AbortReason::cancelled, "request cancelled");
    flush();
  });
}

// Sends the REQUESTs that are due: new ones, and repeats (backing off) of
// those whose SYN has not come.
void UdpEndpoint::send_due_requests(Micros now) {
  if (closed_) return;
  for (auto& [id, r] : requests_) {
    if (r->incoming != 0 || now < r->next_send) continue;
    if (sender_.full() && !flush_sends()) return;
    Request q{id, r->request.ticket, {}, r->request.first_chunk, r->request.count};
    std::copy(r->request.root.begin(), r->request.root.end(), q.root.begin());
    const bool sent = r->channel ? commit_sealed(encode(Packet{0, q}, plain_, false), r->peer, *r->channel)
                                 : commit_plain(encode(Packet{0, q}, sender_.buffer()), r->peer);
    if (!sent) {  // ticket too long, or zero chunks: the seeder could never answer
      r->give_up_at = now;
      r->next_send = kNever;
      continue;
    }
    r->next_send = now + r->backoff;
    r->backoff = std::min(r->backoff * 2, kMaxRetry);
  }
}

void UdpEndpoint::expire_requests(Micros now) {
  std::vector<std::uint32_t> expired;
  for (auto& [id, r] : requests_)
    if (r->incoming == 0 && now >= r->give_up_at) expired.push_back(id);
  for (auto id : expired) {
    auto text = "no answer from " + address_text(requests_[id]->peer) + " to the chunk request";
    finish_request(id, RequestResult{id, false, false, std::move(text), 0, 0});
  }
}

Micros UdpEndpoint::next_request_deadline() const {
  Micros next = kNever;
  for (const auto& [id, r] : requests_)
    if (r->incoming == 0) next = std::min({next, r->next_send, r->give_up_at});
  return next;
}

// A SYN answering one of our requests: same address, ticket and name.
// Returns false if it answers none (then it is handled like any SYN).
bool UdpEndpoint::accept_swarm(const Syn& syn, const udp::endpoint& from, const ChannelPtr& ch) {
  auto match = std::find_if(requests_.begin(), requests_.end(), [&](const auto& entry) {
    const auto& r = *entry.second;
    return r.incoming == 0 && r.peer == from && r.name == syn.name && r.request.ticket == syn.ticket && r.channel == ch;
  });
  if (match == requests_.end()) return false;
  start_swarm_incoming(*match->second, syn, from);
  return true;
}

void UdpEndpoint::start_swarm_incoming(PendingRequest& r, const Syn& syn, const udp::endpoint& from) {
  const auto id = r.request.id;
  auto fail = [&](const std::string& why) {
    refuse(from, syn.src_conn, 5, why, r.channel.get());
    finish_request(id, RequestResult{id, false, false, why, 0, 0});
  };
  if (r.options.expected_bytes != 0 && syn.file_size != r.options.expected_bytes)
    return fail("unexpected size " + std::to_string(syn.file_size));
  auto in = std::make_unique<Incoming>();
  in->peer = from;
  in->peer_conn = syn.src_conn;
  in->info = IncomingInfo{address_text(from), syn.name, syn.file_size, syn.chunk_size};
  in->request = id;
  in->channel = r.channel;
  try {
    if (r.options.make_sink)
      in->sink = r.options.make_sink(in->info);
    else if (options_.sink_factory)
      in->sink = options_.sink_factory(in->info, syn.ticket);
  } catch (const std::exception& e) {
    return fail(e.what());
  }
  if (!in->sink) return fail("no sink for the transfer");
  in->started = now_us();
  auto conn = new_conn_id();
  const auto config = config_for(r.options.config.value_or(options_.config), r.channel);
  in->machine = std::make_unique<ReceiverMachine>(ReceiverParams{config, conn, syn}, *in->sink, in->started);
  ++counters_.incoming_started;
  r.incoming = conn;
  syn_index_[{from, syn.src_conn}] = conn;
  incoming_[conn] = std::move(in);
}

// An ABORT from a seeder refusing one of our requests before any SYN.
bool UdpEndpoint::request_aborted(const Packet& p, const udp::endpoint& from, const crypto::Channel* ch) {
  const auto* abort = std::get_if<Abort>(&p.body);
  auto it = requests_.find(p.dest_conn);
  if (abort == nullptr || it == requests_.end() || it->second->peer != from || it->second->incoming != 0) return false;
  if (it->second->channel.get() != ch) return false;
  std::string why = to_string(abort->reason);
  if (!abort->text.empty()) why += ": " + abort->text;
  finish_request(p.dest_conn, RequestResult{p.dest_conn, false, true, std::move(why), 0, 0});
  return true;
}

// Reports a request's outcome once and forgets it; `later`: from the
// executor, not from inside the caller's call (cancel_request).
void UdpEndpoint::finish_request(std::uint32_t id, RequestResult result, bool later) {
  auto it = requests_.find(id);
  if (it == requests_.end()) return;
  auto r = std::move(it->second);
  requests_.erase(it);
  result.id = id;
  result.seconds = static_cast<double>(now_us() - r->started) / 1e6;
  if (!r->done) return;
  if (!later) return r->done(result);
  boost::asio::post(socket_.get_executor(), [done = std::move(r->done), result, alive = alive_] {
    if (*alive) done(result);
  });
}

}  // namespace edgehub::p2p
