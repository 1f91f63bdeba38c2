// Fuzzes the streaming validator of uploaded edge data.
//
// Input layout: byte 0 picks the chunking (0: one chunk; otherwise a seed
// for pseudo-random chunk sizes of 1..byte0 bytes), the rest is the content.
// Invariants checked:
//   - the verdict (ok, bad line number, reason) and the statistics are the
//     same whether the content arrives whole or in chunks;
//   - they match the plain reference implementation;
//   - valid statistics survive a round trip through the stored record, and
//     every O(1) answer formats without trouble.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "data/answer.hpp"
#include "data/reference_scan.hpp"
#include "data/stats_record.hpp"
#include "data/stream_validator.hpp"

namespace {

using namespace edgehub::data;

void check(bool condition) {
  if (!condition) std::abort();
}

StreamValidator feed_whole(std::string_view content) {
  StreamValidator v;
  v.feed(content);
  v.finish();
  return v;
}

StreamValidator feed_chunked(std::string_view content, std::uint8_t max_chunk) {
  StreamValidator v;
  std::uint32_t state = max_chunk * 2654435761u + 1;
  while (!content.empty()) {
    state = state * 1103515245u + 12345u;
    const std::size_t size = std::min<std::size_t>(content.size(), 1 + (state >> 16) % max_chunk);
    if (!v.feed(content.substr(0, size))) break;
    content.remove_prefix(size);
  }
  v.finish();
  return v;
}

void check_same(const StreamValidator& a, const StreamValidator& b) {
  check(a.failed() == b.failed());
  if (a.failed()) {
    check(a.error()->line == b.error()->line);
    check(a.error()->reason == b.error()->reason);
  } else {
    check(a.stats() == b.stats());
  }
}

void check_reference(const StreamValidator& v, std::string_view content) {
  const ReferenceResult ref = reference_scan(content);
  check(ref.ok == !v.failed());
  if (!ref.ok) {
    check(v.error()->line == ref.bad_line);
    check(v.error()->reason == describe(LineCheck{ref.problem, 0, ref.offending}));
    return;
  }
  const Stats& s = v.stats();
  check(s.count == ref.count && s.sum == ref.sum && s.sum_of_squares() == ref.sumsq);
  check(s.count == 0 || (s.min == ref.min && s.max == ref.max));
}

void check_stored_answers(const Stats& s) {
  const auto back = parse_stats(serialize_stats(s));
  check(back.has_value() && *back == s);
  for (Operation op :
       {Operation::sum, Operation::average, Operation::max, Operation::min, Operation::count, Operation::stddev}) {
    check(!answer_from_stats(FileId(1), op, s).empty());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t chunking = data[0];
  const std::string content(reinterpret_cast<const char*>(data + 1), size - 1);
  const StreamValidator whole = feed_whole(content);
  if (chunking != 0) check_same(whole, feed_chunked(content, chunking));
  check_same(whole, feed_chunked(content, 1));
  check_reference(whole, content);
  if (!whole.failed()) check_stored_answers(whole.stats());
  return 0;
}
