#include "hub/messaging/messaging_letter.hpp"

namespace edgehub::hub {

LetterPtr make_letter(char kind, std::string_view sender, std::string_view text, std::int64_t sent_unix,
                      std::int64_t seq, std::int64_t stored_id, bool last_in_batch) {
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
  letter->stored_id = stored_id;
  letter->last_in_batch = last_in_batch;
  return letter;
}

}  // namespace edgehub::hub
