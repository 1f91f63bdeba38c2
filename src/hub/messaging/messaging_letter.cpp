#include "hub/messaging/messaging_letter.hpp"

#include "hub/messaging/broadcast_budget.hpp"

namespace edgehub::hub {
namespace {

std::shared_ptr<Letter> build_letter(char kind, std::string_view sender, std::string_view text, std::int64_t sent_unix,
                                     std::int64_t seq) {
  auto letter = std::make_shared<Letter>();
  const std::string_view event = kind == 'B' ? kBroadcastEvent : kDirectEvent;
  letter->kind = kind == 'B' ? 'B' : 'M';
  letter->frame.reserve(event.size() + sender.size() + text.size() + 4);
  letter->frame.append("!").append(event).append(" ");
  letter->sender_pos = letter->frame.size();
  letter->sender_len = sender.size();
  letter->frame.append(sender).append(" ");
  letter->text_pos = letter->frame.size();
  letter->text_len = text.size();
  letter->frame.append(text).append("\n");
  letter->sent_unix = sent_unix;
  letter->seq = seq;
  return letter;
}

}  // namespace

LetterPtr make_letter(char kind, std::string_view sender, std::string_view text, std::int64_t sent_unix,
                      std::int64_t seq, std::int64_t stored_id, bool last_in_batch) {
  auto letter = build_letter(kind, sender, text, sent_unix, seq);
  letter->stored_id = stored_id;
  letter->last_in_batch = last_in_batch;
  return letter;
}

LetterPtr make_broadcast_letter(std::string_view sender, std::string_view text, std::int64_t sent_unix,
                                std::int64_t seq, std::shared_ptr<BroadcastBudget> budget) {
  auto letter = build_letter('B', sender, text, sent_unix, seq);
  letter->budget = std::move(budget);
  return letter;
}

void letter_settled(const Letter& letter) {
  if (letter.budget) letter.budget->release(letter.frame.size());
}

}  // namespace edgehub::hub
