#include "client/p2p/uvf_tickets.hpp"

#include "common/strings.hpp"

namespace edgehub::client {

std::optional<UvfTickets::Announcement> UvfTickets::parse(std::string_view event_text) {
  const auto words = split_words(event_text, 4);  // SENDER SIZE TICKET FILE (FILE may contain spaces)
  if (words.size() != 4) return std::nullopt;
  const auto size = parse_uint64(words[1]);
  if (!size || words[2].empty()) return std::nullopt;
  return Announcement{std::string(words[0]), *size, std::string(words[2]), std::string(words[3])};
}

void UvfTickets::add(Announcement a, Clock::time_point now) {
  expire(now);
  if (tickets_.size() >= kMaxTickets) return;  // the server does not hand out that many; refuse to grow
  std::string key = a.ticket;
  tickets_[std::move(key)] = Entry{std::move(a), now + kTicketLifetime};
}

std::optional<std::string> UvfTickets::redeem(std::string_view ticket, std::string_view file, std::uint64_t size,
                                              Clock::time_point now) {
  expire(now);
  const auto it = tickets_.find(std::string(ticket));
  if (it == tickets_.end()) return std::nullopt;
  const Announcement& a = it->second.a;
  if (a.file != file || a.size != size) return std::nullopt;  // not what the server authorised
  std::string sender = a.sender;
  tickets_.erase(it);
  return sender;
}

void UvfTickets::expire(Clock::time_point now) {
  for (auto it = tickets_.begin(); it != tickets_.end();)
    it = now >= it->second.expires ? tickets_.erase(it) : std::next(it);
}

}  // namespace edgehub::client
