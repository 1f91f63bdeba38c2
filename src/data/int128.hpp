#pragma once
// 128-bit integers for exact sums. GCC/Clang provide __int128 as an extension;
// __extension__ keeps -Wpedantic quiet. A SUM of up to 2^63 int64 values is
// bounded by 2^126 in magnitude, so Int128 never overflows for any file we
// can count.
#include <optional>
#include <string>
#include <string_view>

namespace edgehub::data {

__extension__ typedef __int128 Int128;
__extension__ typedef unsigned __int128 UInt128;

std::string to_decimal(UInt128 v);
std::string to_decimal(Int128 v);

// Strict: optional '-', 1..39 digits, nothing else; nullopt on overflow.
std::optional<Int128> parse_int128(std::string_view s);
std::optional<UInt128> parse_uint128(std::string_view s);

}  // namespace edgehub::data
