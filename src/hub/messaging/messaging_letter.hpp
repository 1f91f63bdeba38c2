#pragma once
// A letter: one message (direct or broadcast) on its way to recipients.
// The encoded frame ("!MSG alice hello\n") is built once and shared by every
// recipient's connection; sender and text are views into it, so a broadcast
// to 10,000 devices costs one allocation, not 10,000.
//
// Letters, unlike other frames, are tracked by the connection: one it could
// not write before closing (slow receiver, dropped link) is handed back to
// the hub, which keeps it offline instead of losing it (docs/MESSAGING.md).
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "hub/core/peer.hpp"

namespace edgehub::hub {

class BroadcastBudget;  // hub/messaging/broadcast_budget.hpp

struct Letter {
  char kind = 'M';             // 'M' direct ("!MSG"), 'B' broadcast ("!BCAST")
  std::string frame;           // the encoded event, sent as is
  std::size_t sender_pos = 0;  // sender and text inside frame
  std::size_t sender_len = 0;
  std::size_t text_pos = 0;
  std::size_t text_len = 0;
  std::int64_t sent_unix = 0;
  // When the server accepted it (Messaging::next_seq): the order in which a
  // recipient gets stored messages, whenever they were stored.
  std::int64_t seq = 0;
  // Set when the letter comes from the offline store: the row to delete once
  // the connection has written it. 0 for a letter that was never stored.
  std::int64_t stored_id = 0;
  // The last letter of an offline delivery batch: once written, the next
  // batch is fetched (so delivery never floods a connection's queue).
  bool last_in_batch = false;
  // A broadcast's sender's budget, charged once per recipient connection:
  // each one releases its part through letter_settled.
  std::shared_ptr<BroadcastBudget> budget;

  std::string_view sender() const { return std::string_view(frame).substr(sender_pos, sender_len); }
  std::string_view text() const { return std::string_view(frame).substr(text_pos, text_len); }
};

// Event names on the wire. A letter from the offline store is "!STOREDMSG
// TIME alice TEXT" (or STOREDBCAST), TIME when it was sent, in ISO 8601 UTC.
inline constexpr std::string_view kDirectEvent = "MSG";
inline constexpr std::string_view kBroadcastEvent = "BCAST";
inline constexpr std::string_view kStoredPrefix = "STORED";

// sender and text must be single-line (they come from a command line); a
// letter with a stored_id carries its send time on the wire, unless it is
// `live`: stored by another node while its recipient was online here.
LetterPtr make_letter(char kind, std::string_view sender, std::string_view text, std::int64_t sent_unix,
                      std::int64_t seq, std::int64_t stored_id = 0, bool last_in_batch = false, bool live = false);

// A broadcast charged to budget (see broadcast_budget.hpp).
LetterPtr make_broadcast_letter(std::string_view sender, std::string_view text, std::int64_t sent_unix,
                                std::int64_t seq, std::shared_ptr<BroadcastBudget> budget);

// A recipient connection is done with letter (written to the socket,
// refused, or handed back): releases its part of the sender's budget.
void letter_settled(const Letter& letter);

// The frame as SharedBytes that keeps the whole letter alive (no copy).
inline SharedBytes letter_bytes(const LetterPtr& letter) { return SharedBytes(letter, &letter->frame); }

}  // namespace edgehub::hub
