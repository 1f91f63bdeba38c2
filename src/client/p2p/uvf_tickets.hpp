#pragma once
// The receiver's side of UVF authorisation
// (docs/UDP.md#2-handshake-connection-ids-authorisation): the tickets the
// server announced with !UVF SENDER SIZE TICKET KEY FILE (KEY: the sender's
// public key and cipher offer, docs/UDP.md#14-end-to-end-encryption). A handshake is accepted
// only with such a ticket, for that file name and size, within kTicketLifetime
// of the announcement, and only once. Pure: the caller passes the time. Not
// thread-safe (used on the I/O thread).
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "p2p/crypto/cipher_choice.hpp"

namespace edgehub::client {

class UvfTickets {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr auto kTicketLifetime = std::chrono::seconds(30);
  static constexpr std::size_t kMaxTickets = 1024;

  struct Announcement {
    std::string sender;
    std::uint64_t size = 0;
    std::string ticket;
    std::string file;
    p2p::crypto::PeerKey key{};
  };
  // Parses the text of a !UVF event; nullopt if malformed.
  static std::optional<Announcement> parse(std::string_view event_text);

  void add(Announcement a, Clock::time_point now);
  // The sender's name if the ticket was announced for this file and size and
  // has not expired; a ticket that matches is used up (refused from then on).
  std::optional<std::string> redeem(std::string_view ticket, std::string_view file, std::uint64_t size,
                                    Clock::time_point now);
  // The sender's public key for an announced, unexpired ticket (used or not).
  std::optional<p2p::crypto::PeerKey> key_of(std::string_view ticket, Clock::time_point now) const;
  std::size_t size() const { return tickets_.size(); }

 private:
  struct Entry {
    Announcement a;
    Clock::time_point expires;
    // Redeemed: refused again, but its key stays until it expires, so that
    // a second SYN with it is refused in a sealed ABORT.
    bool used = false;
  };
  void expire(Clock::time_point now);

  std::unordered_map<std::string, Entry> tickets_;
};

}  // namespace edgehub::client
