#include "data/stream_validator.hpp"

#include <algorithm>
#include <cstring>

#include "data/line_scan.hpp"

namespace edgehub::data {

bool StreamValidator::feed(std::string_view chunk) {
  if (failed()) return false;
  if (chunk.empty()) return true;  // its data() may be null, which memchr/memcpy must not see
  bytes_fed_ += chunk.size();
  const char* p = chunk.data();
  const char* end = p + chunk.size();
  if (pending_size_ > 0) {
    p = complete_pending(p, end);
    if (p == nullptr) return !failed();
  }
  // A local copy lets the compiler keep the accumulators in registers.
  Stats local = stats_;
  const ScanStop stop = scan_complete_lines(p, end, [&local](std::int64_t v) { local.add(v); });
  stats_ = local;
  if (stop.bad.problem != LineProblem::none) {
    accept(stop.bad);
    return false;
  }
  return keep_pending(stop.rest, end);
}

// Extends the line begun in an earlier chunk. Returns where the scan goes on,
// or nullptr when the chunk is used up (or the line is bad).
const char* StreamValidator::complete_pending(const char* p, const char* end) {
  const auto* newline = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
  const std::size_t take = static_cast<std::size_t>((newline != nullptr ? newline : end) - p);
  if (pending_size_ + take > max_pending_line) {
    // Too long to be valid; the first max_pending_line + 1 bytes decide why.
    const std::size_t room = pending_.size() - pending_size_;
    std::memcpy(pending_.data() + pending_size_, p, std::min(take, room));
    pending_size_ += std::min(take, room);
    accept(check_line(pending()));
    return nullptr;
  }
  std::memcpy(pending_.data() + pending_size_, p, take);
  pending_size_ += take;
  if (newline == nullptr) return nullptr;
  accept(check_terminated_line(pending_.data(), pending_.data() + pending_size_));
  pending_size_ = 0;
  return failed() ? nullptr : newline + 1;
}

// Remembers an unterminated last line for the next chunk (or finish()).
bool StreamValidator::keep_pending(const char* p, const char* end) {
  const auto size = static_cast<std::size_t>(end - p);
  if (size > max_pending_line) {
    accept(check_line(std::string_view(p, max_pending_line + 1)));
    return false;
  }
  std::memcpy(pending_.data(), p, size);
  pending_size_ = size;
  return true;
}

void StreamValidator::accept(const LineCheck& check) {
  if (check.problem == LineProblem::none) {
    stats_.add(check.value);
  } else {
    // Every accepted line holds one value, so the bad line is the next one.
    error_ = LineError{stats_.count + 1, describe(check)};
  }
}

bool StreamValidator::finish() {
  if (failed()) return false;
  if (pending_size_ > 0) {
    // A last line without '\n': its bytes are all there is, '\r' included.
    accept(check_line(pending()));
    pending_size_ = 0;
  }
  return !failed();
}

}  // namespace edgehub::data
