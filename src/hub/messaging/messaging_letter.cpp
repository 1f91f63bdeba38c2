#include "hub/messaging/messaging_letter.hpp"

#include "common/time_format.hpp"
#include "hub/messaging/broadcast_budget.hpp"

namespace edgehub::hub {
namespace {

std::shared_ptr<Letter> build_letter(char kind, std::string_view sender, std::string_view text, std::int64_t sent_unix,
                                     std::int64_t seq, std::int64_t stored_id, bool last_in_batch, bool live) {
  auto letter = std::make_shared<Letter>();
  const std::string_view event = kind == 'B' ? kBroadcastEvent : kDirectEvent;
  letter->kind = kind == 'B' ? 'B' : 'M';
  // A stored letter says when it was sent: it may arrive days later
  // (docs/MESSAGING.md#events). A live one arrives as it is sent.
  const bool stored_form = stored_id != 0 && !live;
  const std::string sent =
      stored_form ? format_iso_utc(SystemTime{std::chrono::seconds{sent_unix}}) + " " : std::string();
  letter->frame.reserve(event.size() + sent.size() + sender.size() + text.size() + 12);
  letter->frame.append(stored_form ? "!" + std::string(kStoredPrefix) : "!").append(event).append(" ");
  letter->frame.append(sent);
  letter->sender_pos = letter->frame.size();
  letter->sender_len = sender.size();
  letter->frame.append(sender).append(" ");
  letter->text_pos = letter->frame.size();
  letter->text_len = text.size();
  letter->frame.append(text).append("\n");
  letter->sent_unix = sent_unix;
  letter->seq = seq;
  letter->stored_id = stored_id;
  letter->last_in_batch = last_in_batch;
  return letter;
}

}  // namespace

LetterPtr make_letter(char kind, std::string_view sender, std::string_view text, std::int64_t sent_unix,
                      std::int64_t seq, std::int64_t stored_id, bool last_in_batch, bool live) {
  return build_letter(kind, sender, text, sent_unix, seq, stored_id, last_in_batch, live);
}

LetterPtr make_broadcast_letter(std::string_view sender, std::string_view text, std::int64_t sent_unix,
                                std::int64_t seq, std::shared_ptr<BroadcastBudget> budget) {
  auto letter = build_letter('B', sender, text, sent_unix, seq, 0, false, true);
  letter->budget = std::move(budget);
  return letter;
}

void letter_settled(const Letter& letter) {
  if (letter.budget) letter.budget->release(letter.frame.size());
}

}  // namespace edgehub::hub
