// Fuzz target for the tracker's lines as the client reads them
// (docs/SWARM.md#2-tracker-protocol, docs/UDP.md#14-end-to-end-encryption):
// swarmpeers lines, !SWARMTICKET events, searchfile/searchchunk version
// lines, the swarmget header, NAME@ROOTPREFIX, and the !UVF event. The hub's
// side of `have` and `share` decodes through parse_chunk_list and
// DigestStream (tests/fuzz/swarm_fuzz.cpp). Keys may carry a cipher offer. The first byte picks the
// decoder; each must accept or refuse cleanly, and what it accepts must
// hold what the format promises (a 64-hex root, a non-empty ticket, a port).
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "client/p2p/swarm_replies.hpp"
#include "client/p2p/uvf_tickets.hpp"
#include "common/strings.hpp"

namespace {

using namespace edgehub::client;
using namespace edgehub::client::swarm;

void require(bool ok) {
  if (!ok) std::abort();
}

bool is_root(std::string_view s) { return s.size() == 64 && edgehub::is_lower_hex(s); }

// A key read with its cipher offer (docs/UDP.md#14-end-to-end-encryption):
// the offer, when there is one, is well formed.
bool good_key(const edgehub::p2p::crypto::PeerKey& k) {
  return !k.offer || edgehub::p2p::crypto::valid_offer(*k.offer);
}

void peer_line(std::string_view in) {
  const auto p = parse_peer_line(in);
  if (!p) return;
  require(!p->user.empty() && !p->ticket.empty() && p->address.port() != 0 && good_key(p->key));
  require(p->all == p->bitmap_hex.empty() && edgehub::is_lower_hex(p->bitmap_hex));
}

void ticket_event(std::string_view in) {
  const auto t = parse_ticket_event(in);
  if (!t) return;
  require(!t->asker.empty() && !t->ticket.empty() && is_root(t->root) && good_key(t->key));
}

void version_line(std::string_view in) {
  const auto v = parse_version_line(in);
  if (!v) return;
  require(is_root(v->root));
  for (const auto& h : v->holders) require(!h.user.empty());
  (void)format_version("name", *v, static_cast<std::uint32_t>(in.size()));
  (void)format_version("name", *v);
}

void swarmget_and_name(std::string_view in) {
  if (const auto h = parse_swarmget(in)) require(is_root(h->root));
  std::string error;
  const auto choice = parse_name_choice(in, &error);
  if (!choice) return require(!error.empty());
  require(choice->root_prefix.empty() || (choice->root_prefix.size() >= 4 && choice->root_prefix.size() <= 64));
}

void uvf_event(std::string_view in) {
  const auto a = UvfTickets::parse(in);
  if (!a) return;
  require(!a->ticket.empty() && !a->file.empty() && good_key(a->key));
  UvfTickets tickets;
  const auto now = UvfTickets::Clock::time_point{};
  tickets.add(*a, now);
  require(tickets.key_of(a->ticket, now) == a->key);
  require(tickets.redeem(a->ticket, a->file, a->size, now) == a->sender);
  require(!tickets.redeem(a->ticket, a->file, a->size, now));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 5) {
    case 0:
      return peer_line(in), 0;
    case 1:
      return ticket_event(in), 0;
    case 2:
      return version_line(in), 0;
    case 3:
      return swarmget_and_name(in), 0;
    default:
      return uvf_event(in), 0;
  }
}
