#pragma once
#include <string_view>

namespace edgehub::protocol {

// Strict UTF-8 (RFC 3629): no overlongs, no surrogates, nothing above U+10FFFF.
bool is_valid_utf8(std::string_view s);

// True if s holds a C0 control character other than TAB, or DEL. Lines are
// text; binary belongs in "$N" blocks.
bool has_control_chars(std::string_view s);

}  // namespace edgehub::protocol
