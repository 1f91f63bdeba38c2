#include "data/edg_args.hpp"

#include <string>

#include "common/strings.hpp"
#include "data/generator.hpp"

namespace edgehub::data {

namespace {

// A wrong word count reads like every other one, client or server:
// "Usage: ...", then what is wrong (issue 13, docs/CLIENT.md#client-side-commands).
std::string usage_error(std::string_view what) { return "Usage: EDG FILEID COUNT (" + std::string(what) + ")"; }

bool looks_negative(std::string_view s) { return s.size() > 1 && s.front() == '-' && parse_uint64(s.substr(1)); }

}  // namespace

Outcome<std::uint64_t> parse_count(std::string_view text) {
  if (text.empty()) return Failure{usage_error("COUNT is missing")};
  if (looks_negative(text)) return Failure{"COUNT must not be negative"};
  if (!all_digits(text))
    return Failure{"COUNT must be a non-negative integer, got '" + std::string(text.substr(0, 32)) + "'"};
  const auto count = parse_uint64(text);
  if (!count || *count > max_generate_count) {
    return Failure{"COUNT too large (at most " + std::to_string(max_generate_count) + ")"};
  }
  return *count;
}

Outcome<EdgRequest> parse_edg_args(std::string_view args) {
  const auto words = split_words(trim(args), 3);
  if (words.empty() || words[0].empty()) return Failure{usage_error("FILEID and COUNT are missing")};
  if (words.size() > 2) return Failure{usage_error("too many words")};
  const auto id = parse_file_id(words[0]);
  if (!id) return Failure{id.error()};
  const auto count = parse_count(words.size() > 1 ? words[1] : std::string_view{});
  if (!count) return Failure{count.error()};
  return EdgRequest{*id, *count};
}

}  // namespace edgehub::data
