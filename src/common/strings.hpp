#pragma once
// Small string helpers shared by every layer. Views never own: keep the
// source alive.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace edgehub {

std::string_view trim(std::string_view s);

// "verb rest of line" -> {"verb", "rest of line"} (rest trimmed on the left).
std::pair<std::string_view, std::string_view> split_first_word(std::string_view s);

// Splits on runs of spaces/tabs into at most max_parts pieces; the last piece
// keeps the remainder verbatim (so "message bob hi  there" with 2 parts after
// the verb gives {"bob", "hi  there"}).
std::vector<std::string_view> split_words(std::string_view s, std::size_t max_parts);

// Strict decimal parse of the whole string: no sign for unsigned, no spaces,
// no trailing junk. nullopt on anything else, including overflow.
std::optional<std::int64_t> parse_int64(std::string_view s);
std::optional<std::uint64_t> parse_uint64(std::string_view s);
// An optional '-' and one or more digits: what the parses above refuse only
// when it overflows (or is negative for parse_uint64). Lets an error say
// "too large" rather than "not a number".
bool is_decimal_integer(std::string_view s);
// One or more of 0-9 and nothing else (no sign).
bool all_digits(std::string_view s);

// strerror's wording for errno value error, in lower case to follow a colon:
// "address already in use", "no such file or directory".
std::string error_text(int error);

bool iequals(std::string_view a, std::string_view b);
std::string to_lower(std::string_view s);
std::string to_hex(const unsigned char* data, std::size_t len);

// Lower-case hex digits only, in the C locale's sense whatever the locale.
bool is_lower_hex(std::string_view s);
// Exactly 64 lower-case hex digits: how SHA-256 digests travel and are stored.
bool is_sha256_hex(std::string_view s);
// Lower-case hex to bytes into out (out.size() * 2 == hex.size()); false on
// a wrong length or a character that is not a lower-case hex digit.
bool from_hex(std::string_view hex, unsigned char* out, std::size_t out_len);

// "5368709120 bytes (5.0 GiB)": exact for programs, readable for people
// (size limits and disk-space errors).
std::string byte_count_text(std::uint64_t bytes);

}  // namespace edgehub
