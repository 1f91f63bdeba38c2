#include "client/p2p/uvf_tickets.hpp"

#include "common/strings.hpp"

namespace edgehub::client {

std::optional<UvfTickets::Announcement> UvfTickets::parse(std::string_view event_text) {
  const auto words = split_words(event_text, 5);  // SENDER SIZE TICKET KEY FILE (FILE may contain spaces)
  if (words.size() != 5) return std::nullopt;
  const auto size = parse_uint64(words[1]);
  const auto key = p2p::crypto::decode_peer_key(words[3]);
  if (!size || words[2].empty() || !key) return std::nullopt;
  return Announcement{std::string(words[0]), *size, std::string(words[2]), std::string(words[4]), *key};
}

void UvfTickets::add(Announcement a, Clock::time_point now) {
  expire(now);
  if (tickets_.size() >= kMaxTickets) return;  // the server does not hand out that many; refuse to grow
  std::string key = a.ticket;
  tickets_[std::move(key)] = Entry{std::move(a), now + kTicketLifetime, false};
}

std::optional<std::string> UvfTickets::redeem(std::string_view ticket, std::string_view file, std::uint64_t size,
                                              Clock::time_point now) {
  expire(now);
  const auto it = tickets_.find(std::string(ticket));
  if (it == tickets_.end() || it->second.used) return std::nullopt;
  const Announcement& a = it->second.a;
  if (a.file != file || a.size != size) return std::nullopt;  // not what the server authorised
  it->second.used = true;
  return a.sender;
}

std::optional<p2p::crypto::PeerKey> UvfTickets::key_of(std::string_view ticket, Clock::time_point now) const {
  const auto it = tickets_.find(std::string(ticket));
  if (it == tickets_.end() || now >= it->second.expires) return std::nullopt;
  return it->second.a.key;
}

void UvfTickets::expire(Clock::time_point now) {
  for (auto it = tickets_.begin(); it != tickets_.end();)
    it = now >= it->second.expires ? tickets_.erase(it) : std::next(it);
}

}  // namespace edgehub::client
