// End-to-end encryption in the EHT driver (docs/UDP.md#14-end-to-end-encryption):
// finding a sealed datagram's channel, opening it (a forged or replayed one
// is counted and dropped before anything else sees it), and sealing what the
// machines send. Part of UdpEndpoint.
#include <algorithm>

#include "p2p/packet.hpp"
#include "p2p/udp_endpoint_state.hpp"

namespace edgehub::p2p {
namespace {
// A handshake's channel outlives its SYN or REQUEST this long, so that
// repeats of a refused one are answered alike; then its salt is spent.
constexpr Micros kHandshakeKeep = 30 * kSeconds;
}  // namespace

void UdpEndpoint::handle_sealed(std::span<const std::uint8_t> bytes, const udp::endpoint& from, Micros park_until) {
  const auto v = crypto::parse_sealed(bytes);
  if (!v) return void(++counters_.bad_datagrams);
  if (v->dest_conn != 0) {
    const ChannelPtr ch = channel_of(v->dest_conn, from);
    if (!ch) return void(++counters_.unknown_connection);
    if (auto p = open_sealed(*ch, *v)) route(*p, from, ch.get());
    return;
  }
  const auto type = static_cast<PacketType>(v->type);
  if (type != PacketType::syn && type != PacketType::request) return void(++counters_.unknown_connection);
  bool fresh = false;
  const ChannelPtr ch = handshake_channel(*v, from, fresh);
  if (!ch) {
    if (spent_.contains({from, v->salt})) return void(++counters_.replayed_datagrams);
    if (type == PacketType::request) {  // unknown ticket: the downloader repeats it (docs/UDP.md#13-swarm-requests)
      ++counters_.requests_received;
      return void(++counters_.requests_ignored);
    }
    if (closed_) return void(++counters_.rejected_handshakes);
    // A SYN whose ticket (and so its keys) has not arrived from the server yet.
    const auto wait = static_cast<Micros>(options_.ticket_wait.count()) * kMillis;
    if (park_until == 0) park_until = now_us() + wait;
    if (wait == 0 || now_us() >= park_until) return void(++counters_.rejected_handshakes);
    ++counters_.parked_handshakes;
    std::string id(v->ticket);
    id.append(reinterpret_cast<const char*>(v->salt.data()), v->salt.size());
    ParkedHandshakes::Entry e{from, {}, park_until, {bytes.begin(), bytes.end()}, std::move(id)};
    if (auto out = parked_.park(std::move(e))) refuse_parked(*out, 2, "ticket not accepted");
    return;
  }
  const auto p = open_sealed(*ch, *v);
  if (!p) return;
  if (fresh) remember_handshake(from, ch, now_us() + kHandshakeKeep);
  if (type == PacketType::syn && std::holds_alternative<Syn>(p->body)) return handle_syn(*p, from, ch);
  if (type == PacketType::request && std::holds_alternative<Request>(p->body)) return handle_request(*p, from, ch);
  ++counters_.bad_datagrams;
}

// The channel of a transfer or request of ours that `from` may address.
ChannelPtr UdpEndpoint::channel_of(std::uint32_t conn, const udp::endpoint& from) const {
  if (auto o = outgoing_.find(conn); o != outgoing_.end() && o->second->peer == from) return o->second->channel;
  if (auto i = incoming_.find(conn); i != incoming_.end() && i->second->peer == from) return i->second->channel;
  if (auto r = requests_.find(conn); r != requests_.end() && r->second->peer == from) return r->second->channel;
  return nullptr;
}

// A SYN or REQUEST: the channel of its conversation (a repeat, or a SYN
// answering our request), or a new one from the responder's keys for its
// ticket (fresh = true); null when no keys are known for the ticket.
ChannelPtr UdpEndpoint::handshake_channel(const crypto::SealedView& v, const udp::endpoint& from, bool& fresh) {
  if (auto it = handshakes_.find({from, v.salt}); it != handshakes_.end())
    return it->second.channel->ticket() == v.ticket ? it->second.channel : nullptr;
  if (closed_ || !options_.keys || spent_.contains({from, v.salt})) return nullptr;
  const auto keys = options_.keys(v.ticket);
  if (!keys) return nullptr;
  fresh = true;
  return std::make_shared<crypto::Channel>(*keys, v.salt, std::string(v.ticket));
}

// Opens and decodes; a forgery, a replay or a malformed body is counted and
// gives nothing.
std::optional<Packet> UdpEndpoint::open_sealed(crypto::Channel& ch, const crypto::SealedView& v) {
  std::size_t n = 0;
  switch (ch.open(v, plain_, n)) {
    case crypto::Channel::Verdict::forged:
      ++counters_.forged_datagrams;
      return std::nullopt;
    case crypto::Channel::Verdict::replayed:
      ++counters_.replayed_datagrams;
      return std::nullopt;
    case crypto::Channel::Verdict::ok:
      break;
  }
  auto r = decode(std::span<const std::uint8_t>(plain_).first(n), false);
  if (!r.ok()) {
    ++counters_.bad_datagrams;
    return std::nullopt;
  }
  return std::move(std::get<Packet>(r.value));
}

void UdpEndpoint::remember_handshake(const udp::endpoint& from, const ChannelPtr& ch, Micros keep) {
  handshakes_[{from, ch->salt()}] = Handshake{ch, keep};
}

// Forgets the handshakes whose time is over and that no transfer or request
// uses any more; their salts are spent.
void UdpEndpoint::forget_handshakes(Micros now) {
  for (auto it = handshakes_.begin(); it != handshakes_.end();) {
    if (now < it->second.keep_until || it->second.channel.use_count() > 1) {
      ++it;
      continue;
    }
    spent_.add(it->first);
    it = handshakes_.erase(it);
  }
}

// Seals plain_[0, plain_len) into the send arena, to `to`.
bool UdpEndpoint::commit_sealed(std::size_t plain_len, const udp::endpoint& to, crypto::Channel& ch) {
  if (plain_len == 0) return false;
  const std::size_t n = ch.seal(std::span<const std::uint8_t>(plain_).first(plain_len), sender_.buffer());
  if (n == 0) return false;
  sender_.commit(n, to);
  return true;
}

// The channel for a conversation this side starts (UVF sender, swarm
// downloader); error set when it may not start one.
ChannelPtr UdpEndpoint::new_channel(const std::optional<crypto::SessionKeys>& keys, const std::string& ticket,
                                    std::string& error) const {
  if (keys) return std::make_shared<crypto::Channel>(*keys, crypto::random_salt(), ticket);
  if (!options_.plaintext) error = "no end-to-end keys for the transfer";
  return nullptr;
}

bool UdpEndpoint::commit_plain(std::size_t len, const udp::endpoint& to) {
  if (len == 0) return false;
  sender_.commit(len, to);
  return true;
}

TransportConfig UdpEndpoint::config_for(const TransportConfig& base, const ChannelPtr& ch) const {
  TransportConfig c = base;
  c.crc32c = ch == nullptr;
  return c;
}

// The receiver takes the chunk size from the SYN, so only the sender chooses.
TransportConfig UdpEndpoint::sender_config(const TransportConfig& base, const ChannelPtr& ch,
                                           const udp::endpoint& peer) const {
  TransportConfig c = config_for(base, ch);
  const auto& address = peer.address();
  const bool ipv4 = address.is_v4() || (address.is_v6() && address.to_v6().is_v4_mapped());
  if (ipv4 && c.ipv4_chunk_size != 0) c.chunk_size = c.ipv4_chunk_size;
  return c;
}

}  // namespace edgehub::p2p
