#include "data/median.hpp"

#include <algorithm>
#include <cstring>
#include <limits>
#include <new>
#include <stdexcept>
#include <system_error>
#include <vector>

#include "data/line_scan.hpp"
#include "data/mapped_file.hpp"
#include "data/median_select.hpp"
#include "data/run_parts.hpp"
#include "data/stream_validator.hpp"

namespace edgehub::data {

namespace {

// Below this a file is parsed on one thread: a thread costs more than it saves.
constexpr std::size_t parallel_from_bytes = std::size_t{4} << 20;
constexpr std::size_t max_parts = 2;  // the parse is as fast as memory allows with two

// One slice of the file, ending after a '\n' (the last at the file's end).
struct TextPart {
  const char* begin = nullptr;
  const char* end = nullptr;
  bool last = false;
};

// Calls on_value for each value of the part up to its first bad line, and
// returns the verdict on that line (problem none: the part is valid).
template <class OnValue>
LineCheck visit_text(const TextPart& part, OnValue&& on_value) {
  const ScanStop stop = scan_complete_lines(part.begin, part.end, on_value);
  if (!part.last || stop.bad.problem != LineProblem::none || stop.rest == part.end) return stop.bad;
  // No final newline: the last line is judged on its own.
  const LineCheck tail = check_line(std::string_view(stop.rest, static_cast<std::size_t>(part.end - stop.rest)));
  if (tail.problem == LineProblem::none) on_value(tail.value);
  return tail;
}

// The parts of a stored file, parsed again on each pass (they are valid:
// the first pass checked them).
struct TextSource {
  std::vector<TextPart> text;
  std::size_t parts() const { return text.size(); }
  template <class OnValue>
  void visit(std::size_t i, OnValue&& on_value) const {
    visit_text(text[i], on_value);
  }
};

struct SpanSource {
  std::span<const std::int64_t> values;
  std::size_t parts() const { return 1; }
  template <class OnValue>
  void visit(std::size_t, OnValue&& on_value) const {
    for (const std::int64_t v : values) on_value(v);
  }
};

// Up to max_parts slices of bytes, each ending after a '\n' (the last at the end).
std::vector<TextPart> split(std::string_view bytes) {
  std::vector<TextPart> parts;
  const char* begin = bytes.data();
  const char* const end = bytes.data() + bytes.size();
  const std::size_t target = bytes.size() >= parallel_from_bytes ? bytes.size() / max_parts : bytes.size();
  while (begin != end) {
    const char* cut = end;
    if (parts.size() + 1 < max_parts && static_cast<std::size_t>(end - begin) > target) {
      const char* newline =
          static_cast<const char*>(std::memchr(begin + target, '\n', static_cast<std::size_t>(end - begin) - target));
      if (newline != nullptr) cut = newline + 1;
    }
    parts.push_back(TextPart{begin, cut, cut == end});
    begin = cut;
  }
  return parts;
}

// The first pass: how many values each part holds, their min and max, and
// whether the part is valid.
struct Scan {
  std::size_t n = 0;
  std::int64_t lo = std::numeric_limits<std::int64_t>::max();
  std::int64_t hi = std::numeric_limits<std::int64_t>::min();
  LineCheck bad;
};

std::vector<Scan> scan(const TextSource& source) {
  std::vector<Scan> each(source.parts());
  run_parts(each.size(), [&](std::size_t i) {
    Scan s;
    s.bad = visit_text(source.text[i], [&s](std::int64_t v) {
      ++s.n;
      s.lo = std::min(s.lo, v);
      s.hi = std::max(s.hi, v);
    });
    each[i] = s;
  });
  return each;
}

template <class Source>
Median median_of_source(const Source& source, std::size_t n, std::int64_t lo, std::int64_t hi) {
  if (n == 0) return Median{};
  return Median{n, select_middle(source, n, lo, hi, (n - 1) / 2, n % 2 == 0)};
}

Outcome<Median> median_of_text(std::string_view bytes) {
  const TextSource source{split(bytes)};
  std::size_t n = 0;  // values (= lines) before the part in hand
  std::int64_t lo = std::numeric_limits<std::int64_t>::max();
  std::int64_t hi = std::numeric_limits<std::int64_t>::min();
  for (const Scan& s : scan(source)) {
    if (s.bad.problem != LineProblem::none)
      return Failure{"stored file is not valid: " + LineError{n + s.n + 1, describe(s.bad)}.message()};
    n += s.n;
    lo = std::min(lo, s.lo);
    hi = std::max(hi, s.hi);
  }
  return median_of_source(source, n, lo, hi);
}

}  // namespace

Median median_of(std::span<std::int64_t> values) {
  const auto [lo, hi] = values.empty() ? std::pair<std::int64_t, std::int64_t>{0, 0}
                                       : std::pair{*std::min_element(values.begin(), values.end()),
                                                   *std::max_element(values.begin(), values.end())};
  return median_of_source(SpanSource{values}, values.size(), lo, hi);
}

Outcome<Median> median_of_file(const std::filesystem::path& path) {
  // Every failure, in any of the threads, becomes an error answer: the
  // server keeps running (docs/EDGE_DATA.md#median-in-bounded-memory).
  try {
    const MappedFile file(path);
    return median_of_text(file.bytes());
  } catch (const std::bad_alloc&) {
    return Failure{"not enough memory for MEDIAN now; try again later"};
  } catch (const std::system_error& e) {
    return Failure{e.what()};
  } catch (const std::exception& e) {
    return Failure{std::string("MEDIAN failed: ") + e.what()};
  }
}

}  // namespace edgehub::data
