// A connection's output (net/connection.hpp): frames and letters queued on
// its thread, written a turn of the event loop later in one gathered write,
// letters settled once written or handed back once closed, and the busy
// block freed when nothing is in progress.
#include <spdlog/spdlog.h>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <utility>
#include <vector>

#include "common/thread_check.hpp"
#include "hub/messaging/messaging_service.hpp"
#include "net/connection.hpp"
#include "protocol/reply.hpp"

namespace edgehub::net {

namespace {
constexpr std::size_t kMaxGather = 64;  // frames per writev
}  // namespace

void Connection::send(hub::SharedBytes bytes) {
  asio::dispatch(socket_.get_executor(),
                 [self = shared_from_this(), bytes = std::move(bytes)]() mutable { self->enqueue(std::move(bytes)); });
}

void Connection::send_letter(hub::LetterPtr letter) {
  asio::dispatch(socket_.get_executor(), [self = shared_from_this(), letter = std::move(letter)]() mutable {
    self->enqueue_letter(std::move(letter));
  });
}

bool Connection::enqueue(hub::SharedBytes bytes) {
  EDGEHUB_ASSERT_OWN_THREAD(on_own_thread(), "Connection::enqueue");
  if (closed_) return false;
  const std::size_t queued = busy().queued_bytes;
  if (queued + bytes->size() > high_water_) {
    static metrics::Counter& high_water = metrics::limit_counter("high_water");
    high_water.inc();
    spdlog::warn("{} ({}) is not reading: {} bytes queued, disconnecting", session_->name, ip_, queued + bytes->size());
    shutdown_now();
    return false;
  }
  if (!hub_.abuse().charge_output(bytes->size())) return refuse_output();
  metrics::server_metrics().sent(output_feature()).inc(bytes->size());
  push(std::move(bytes));
  return true;
}

void Connection::push(hub::SharedBytes bytes) {
  Busy& out = busy();
  out.queued_bytes += bytes->size();
  out.queue.push_back(std::move(bytes));
  ++out.frames_queued;
  if (!writing_) write_next();
}

// The connection whose frame would take the output queued by all of them
// past --max-queued-bytes is the one closed (docs/SECURITY.md#abuse-limits).
// What it has queued and not begun to write is dropped at once, so the
// others have room again, and one line says why.
bool Connection::refuse_output() {
  if (closing_) return false;
  const hub::Refusal refusal = hub_.abuse().output_refusal(ip_, std::chrono::steady_clock::now());
  if (!busy().files.empty()) {  // a file stream cannot be cut short and still framed
    shutdown_now();
    return false;
  }
  drop_unwritten();
  auto line = hub::make_bytes(protocol::encode_err(refusal.code, refusal.text));
  hub_.abuse().force_charge_output(line->size());  // a line, so that the client knows why
  push(std::move(line));
  begin_close();
  return false;
}

void Connection::drop_unwritten() {
  Busy& out = busy();
  const std::size_t keep = writing_ ? out.in_flight : 0;
  std::size_t dropped = 0;
  for (std::size_t i = keep; i < out.queue.size(); ++i) dropped += out.queue[i]->size();
  out.queue.resize(keep);
  out.queued_bytes -= dropped;
  hub_.abuse().release_output(dropped);
  // Letters in dropped frames were never written: handed back once closed.
  const std::uint64_t first_dropped = out.frames_written + keep;
  for (auto& pending : out.letters)
    if (pending.frame >= first_dropped) pending.frame = UINT64_MAX;
}

void Connection::enqueue_letter(hub::LetterPtr letter) {
  const std::uint64_t frame = busy().frames_queued;
  sending_letter_ = true;
  const bool queued = enqueue(hub::letter_bytes(letter));
  sending_letter_ = false;
  busy().letters.push_back({queued ? frame : UINT64_MAX, std::move(letter)});
  if (!queued) settle_letters();
}

void Connection::settle_letters() {
  if (!busy_) return;
  auto& letters = busy_->letters;
  std::vector<hub::LetterPtr> written;
  while (!letters.empty() && letters.front().frame < busy_->frames_written) {
    metrics::server_metrics().messages_delivered->inc();
    hub::letter_settled(*letters.front().letter);
    if (letters.front().letter->stored_id != 0) written.push_back(std::move(letters.front().letter));
    letters.pop_front();
  }
  if (!written.empty()) hub_.messaging().letters_written(*session_, std::move(written));
  if (!closed_ || writing_ || letters.empty()) return;
  std::vector<hub::LetterPtr> unsent;
  unsent.reserve(letters.size());
  for (auto& pending : letters) {
    hub::letter_settled(*pending.letter);
    unsent.push_back(std::move(pending.letter));
  }
  letters.clear();
  hub_.messaging().letters_unsent(*session_, std::move(unsent));
}

// Letters are messages; other frames count under the command that is
// running or receiving blocks, and under control when none is (events).
metrics::Feature Connection::output_feature() const {
  if (sending_letter_) return metrics::Feature::messaging;
  if (session_ && (session_->running_command || session_->receiving_blocks())) return session_->feature;
  return metrics::Feature::control;
}

// One write per turn of the event loop: the frames that the handlers queued
// before this post runs (the replies to a burst of commands read at once,
// letters handed over from the other network thread) leave in one system
// call instead of one each (docs/BENCHMARKS.md#routing-cost).
void Connection::write_next() {
  ensure_unparked();
  touched_ = true;
  writing_ = true;
  asio::post(socket_.get_executor(), [self = shared_from_this()] { self->write_gathered(); });
}

void Connection::write_gathered() {
  Busy& out = busy();
  if (out.queue.empty()) {  // only a refusal empties it meanwhile, and it queues a line
    writing_ = false;
    if (closing_) return shutdown_now();
    return release_busy_if_done();
  }
  if (is_file_marker(out.queue.front())) {
    asio::co_spawn(socket_.get_executor(), pump_file(shared_from_this()), asio::detached);
    return;
  }
  out.in_flight = frames_to_gather(kMaxGather);
  write_frames(out.in_flight);
}

void Connection::write_frames(std::size_t count) {
  std::vector<asio::const_buffer> buffers;
  buffers.reserve(count);
  for (std::size_t i = 0; i < count; ++i) buffers.push_back(asio::buffer(*busy_->queue[i]));
  asio::async_write(
      socket_, std::move(buffers),
      [self = shared_from_this()](const boost::system::error_code& ec, std::size_t n) { self->on_written(ec, n); });
}

void Connection::on_written(const boost::system::error_code& ec, std::size_t written) {
  writing_ = false;
  // After an error only the frames wholly within `written` reached the socket.
  Busy& out = busy();
  bool whole = true;
  for (std::size_t i = 0; i < out.in_flight; ++i) {
    const std::size_t size = out.queue[i]->size();
    whole = whole && written >= size;
    if (whole) {
      written -= size;
      ++out.frames_written;
    }
    out.queued_bytes -= size;
    hub_.abuse().release_output(size);
  }
  out.queue.erase(out.queue.begin(), out.queue.begin() + static_cast<std::ptrdiff_t>(out.in_flight));
  out.in_flight = 0;
  if (!out.letters.empty()) settle_letters();
  if (ec) return shutdown_now();
  if (!out.queue.empty()) return write_next();
  if (closing_) return shutdown_now();
  release_busy_if_done();
}

// Freed as soon as nothing is in progress, not when the device parks: the
// next connection's output reuses the chunk, so a login storm does not
// leave one block per device in the heap (docs/BENCHMARKS.md#memory-per-device).
// The frame counts start again at 0 with the next block: no letter refers
// to them any more.
void Connection::release_busy_if_done() {
  if (!busy_ || writing_ || closing_ || closed_) return;
  const Busy& out = *busy_;
  if (out.queue.empty() && out.letters.empty() && out.files.empty() && out.input.empty()) busy_.reset();
}

}  // namespace edgehub::net
